from django.conf import settings
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from content.publication import PublicationStatus, PublishedObjectMixin
from events.models import Event, next_events
from offers.search import OfferSearch
from places.models import District
from translations.machine import shows_machine_translation

from .models import Page


def region_name():
    """What the home page says the portal covers: PORTAL_REGION_NAME, or else the district
    (or the districts) by name, in the page's language where a translation exists."""
    if settings.PORTAL_REGION_NAME:
        return settings.PORTAL_REGION_NAME
    return ", ".join(district.name for district in District.objects.order_by("pk"))


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The entry points are the unfiltered search's facets: the same counts the search
        # page shows, from the same engine.
        search = OfferSearch(QueryDict(), get_language())
        region = region_name()
        facets = {facet.name: facet for facet in search.facets()}
        context.update(
            region_name=region,
            # Isolated in the heading: a German name must not reorder an Arabic sentence.
            region_in_heading=format_html("<bdi>{}</bdi>", region),
            offer_count=search.count,
            categories=facets["category"].values,
            topics_machine_translated=shows_machine_translation(
                [value.obj for value in facets["category"].values if value.obj], ["label"]
            ),
            cities=[value for value in facets["city"].values if value.count],
            intro_page=Page.objects.published().filter(slug="ueber-uns").first(),
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
