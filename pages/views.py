from django.http import QueryDict
from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from content.publication import PublicationStatus, PublishedObjectMixin
from events.models import Event, next_events
from offers.search import OfferSearch

from .models import Page


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The entry points are the unfiltered search's facets: the same counts the search
        # page shows, from the same engine.
        search = OfferSearch(QueryDict(), get_language())
        facets = {facet.name: facet for facet in search.facets()}
        context.update(
            offer_count=search.count,
            categories=facets["category"].values,
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
