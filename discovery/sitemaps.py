"""The sitemap: every public page in every language, with its language versions as
``xhtml:link hreflang`` alternates and ``lastmod`` from the content's ``updated``.

Django's Sitemap does the XML, the alternates and the paging (a sitemap index with one
file per section and page). What it would do badly at our size (200,000 offers in twelve
languages) is done here instead:

* ``Sitemap._items()`` builds every (entry, language) pair in memory for every page of the
  sitemap; ``LanguagePairs`` pages through the database instead, fetching only the entries
  of the page asked for;
* ``get_latest_lastmod()`` reads every entry for the index; here it is one aggregate.

x-default: Django would use the address without language prefix, which redirects by the
browser's language; every page's own head names the German version as x-default (German is
the source and the fallback of all content), so the sitemap says the same.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from content.publication import PublicationStatus
from events.models import Event
from offers.models import Offer
from pages.models import Page
from places.models import City
from providers.models import Provider

# Addresses per sitemap file (entries times languages). The protocol allows 50,000; each of ours
# carries 13 alternates, so this keeps a file near 5 MB and its rendering well under a
# second, and 200,000 offers in 12 languages still fit the index easily (1,000 files).
URLS_PER_FILE = 2400


class LanguagePairs:
    """(entry, language) for the entries of a queryset and every language, in that order,
    without loading more entries than a slice needs (for Django's Paginator)."""

    def __init__(self, queryset, languages):
        self.queryset = queryset
        self.languages = list(languages)

    def count(self):
        entries = self.queryset
        return (entries.count() if isinstance(entries, QuerySet) else len(entries)) * len(
            self.languages
        )

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("LanguagePairs supports plain slices only")
        start, stop = index.start or 0, index.stop
        size = len(self.languages)
        first = start // size
        entries = (
            self.queryset[first : -(-stop // size)] if stop is not None else self.queryset[first:]
        )
        pairs = [(entry, language) for entry in entries for language in self.languages]
        offset = start - first * size
        return pairs[offset : offset + (stop - start)] if stop is not None else pairs[offset:]


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    # Added by _urls() below, as the German version (see the module's docstring).
    x_default = False
    limit = URLS_PER_FILE

    def _items(self):
        return LanguagePairs(self.items(), self._languages())

    def _location(self, item, force_lang_code=None):
        # Django asks for every language version of an entry once per version listed, so
        # 12 times each: remembered per sitemap file (an instance serves one request).
        entry, language = item
        key = (id(entry), force_lang_code or language)
        if not hasattr(self, "_locations"):
            self._locations = {}
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            german = next(a for a in url["alternates"] if a["lang_code"] == "de")
            url["alternates"].append({"location": german["location"], "lang_code": "x-default"})
        return urls


class ContentSitemap(PortalSitemap):
    """Entries with an ``updated`` time, in a stable order so that pages do not shift."""

    def lastmod(self, entry):
        return entry.updated

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated"))["latest"]


class OfferSitemap(ContentSitemap):
    def items(self):
        return Offer.objects.published().only("slug", "updated").order_by("pk")


class EventSitemap(ContentSitemap):
    # Past events stay public in the archive, with their programme and documentation.
    def items(self):
        return Event.objects.published().only("slug", "updated").order_by("pk")


class PageSitemap(ContentSitemap):
    def items(self):
        return Page.objects.published().only("slug", "updated").order_by("pk")


class ProviderSitemap(ContentSitemap):
    def items(self):
        return Provider.objects.only("slug", "updated").order_by("pk")


def published_offers(prefix="offers__"):
    return Q(**{f"{prefix}publication_status": PublicationStatus.PUBLISHED})


class CitySitemap(PortalSitemap):
    """A city page lists the city's offers: it changed when the latest of them did."""

    def items(self):
        return (
            City.objects.only("slug")
            .annotate(latest=Max("offers__updated", filter=published_offers()))
            .order_by("pk")
        )

    def lastmod(self, city):
        return city.latest

    def get_latest_lastmod(self):
        return Offer.objects.published().aggregate(latest=Max("updated"))["latest"]


class ListSitemap(PortalSitemap):
    """The lists and the home page: they change with the offers and events they show."""

    def items(self):
        return LIST_PAGES

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return self.get_latest_lastmod()

    def get_latest_lastmod(self):
        if not hasattr(self, "_latest"):
            times = [
                Offer.objects.published().aggregate(latest=Max("updated"))["latest"],
                Event.objects.published().aggregate(latest=Max("updated"))["latest"],
            ]
            self._latest = max((time for time in times if time), default=None)
        return self._latest


# The lists and the home page, by URL name.
LIST_PAGES = [
    "pages:home",
    "offers:search",
    "offers:map",
    "events:list",
    "events:past",
    "cities:list",
    "providers:list",
    "pages:list",
    "open_data:page",
]


SITEMAPS = {
    "lists": ListSitemap,
    "offers": OfferSitemap,
    "events": EventSitemap,
    "cities": CitySitemap,
    "providers": ProviderSitemap,
    "info": PageSitemap,
}
