from django.conf import settings
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from content.formats import join_list
from content.publication import PublicationStatus, PublishedObjectMixin
from events.models import Event, next_events
from offers.search import OfferSearch
from places.models import District
from translations.fallback import falls_back
from translations.machine import shows_machine_translation

from .models import Page


def region_name():
    """What the home page says the portal covers: PORTAL_REGION_NAME, or else the district
    (or the districts) by name, in the page's language where a translation exists."""
    if settings.PORTAL_REGION_NAME:
        return settings.PORTAL_REGION_NAME
    return join_list(district.name for district in District.objects.order_by("pk"))


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The entry points are the unfiltered search's facets: the same counts the search
        # page shows, from the same engine.
        search = OfferSearch(QueryDict(), get_language())
        region = region_name()
        facets = {facet.name: facet for facet in search.facets()}
        intro_page = Page.objects.published().filter(slug="ueber-uns").first()
        categories = facets["category"].values
        context.update(
            region_name=region,
            # Isolated in the heading: a German name must not reorder an Arabic sentence.
            region_in_heading=format_html("<bdi>{}</bdi>", region),
            offer_count=search.count,
            categories=categories,
            topics_machine_translated=shows_machine_translation(
                [value.obj for value in categories if value.obj], ["label"]
            ),
            cities=[value for value in facets["city"].values if value.count],
            intro_page=intro_page,
            # Texts from the database shown in German for lack of a translation: the page
            # says so (each is marked lang="de" where it stands).
            german_fallback=(intro_page is not None and falls_back(intro_page, "summary"))
            or any(
                value.obj is not None and falls_back(value.obj, "label") for value in categories
            ),
            next_events=next_events(Event.objects.published(), limit=4),
        )
        return context


class PageDetailView(PublishedObjectMixin, DetailView):
    queryset = Page.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.filter(
            publication_status=PublicationStatus.PUBLISHED
        )
        return context


class PageListView(TemplateView):
    """The index of the information pages (/<lang>/info/): every published page, the pages
    below another one under their parent."""

    template_name = "pages/page_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = list(Page.objects.published().select_related("parent"))
        published = {page.pk for page in pages}
        # A page whose parent is not public is listed at the top level.
        context["top_pages"] = [
            page for page in pages if page.parent_id is None or page.parent_id not in published
        ]
        context["children_of"] = {
            page.pk: [child for child in pages if child.parent_id == page.pk] for page in pages
        }
        context["german_fallback"] = any(falls_back(page, "title") for page in pages)
        for page in pages:
            page.listed_children = context["children_of"][page.pk]
        return context
