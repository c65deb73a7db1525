"""The Atom feed of new and changed offers: a face of the offer search (offers/search.py).

``/<lang>/offers/feed.atom`` takes the search page's parameters (``?city=unna``, a
category, words), so every search, and every city page, has its feed; the newest change
comes first. The offers are exactly the search's; only the order is the feed's own.
"""

from django.urls import reverse
from django.utils.translation import get_language, gettext

from content.feeds import FEED_SIZE, EngineFeed

from .search import FACETS, OfferSearch

CITY_FACET = next(spec for spec in FACETS if spec.name == "city")


class OfferFeed(EngineFeed):
    def engine(self, request):
        return OfferSearch(request.GET, get_language())

    def title(self, search):
        slugs = search.selected["city"]
        if len(slugs) == 1:
            city = search.values_of(CITY_FACET)[slugs[0]]
            return self.titled(gettext("New and changed offers in %(city)s") % {"city": city.name})
        return self.titled(gettext("New and changed offers"))

    def link(self, search):
        query = search.portable_query_string
        return reverse("offers:search") + ("?" + query if query else "")

    def items(self, search):
        return (
            search.queryset()
            .order_by("-updated", "-pk")
            .select_related("provider", "city")
            .prefetch_related("categories")[:FEED_SIZE]
        )

    def item_description(self, offer):
        return offer.short_description or offer.description[:500]

    def item_pubdate(self, offer):
        return offer.created

    def item_updateddate(self, offer):
        return offer.updated

    def item_author_name(self, offer):
        return offer.provider.name

    def item_categories(self, offer):
        return [category.label for category in offer.categories.all()]
