"""Provider pages: the providers with their offers and events.

Faces of the offer search (offers/search.py) with the next events beside it: they live here,
above both engines, as the home page does. A provider's number of offers, and the offers on
its page, are those of the offer search for that provider.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from content.params import MAX_VALUE_LENGTH, clean_value
from content.text import fold
from events.models import Event, next_events
from offers.search import OfferSearch
from providers.models import Provider

PROVIDERS_PER_PAGE = 30


class ProviderListView(TemplateView):
    """All providers with their number of public offers, searchable by name and place."""

    template_name = "providers/provider_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(clean_value(self.request.GET.get("q", "")).split())[:MAX_VALUE_LENGTH]
        providers = Provider.objects.select_related("city")
        if query:
            # Folded in Python, like the offer search, so "lünen" finds "Lünen" on SQLite
            # too. The list holds a district's providers (a few hundred): one query.
            terms = fold(query).split()
            providers = [
                provider
                for provider in providers
                if all(term in fold(f"{provider.name} {provider.address}") for term in terms)
            ]
        page = Paginator(providers, PROVIDERS_PER_PAGE).get_page(self.request.GET.get("page"))
        counts = OfferSearch(QueryDict(), get_language()).value_counts("provider")
        for provider in page.object_list:
            provider.offer_count = counts.get(provider.pk, 0)
        context.update(
            query=query, page_obj=page, page_query=urlencode({"q": query}) if query else ""
        )
        return context


class ProviderDetailView(DetailView):
    queryset = Provider.objects.select_related("city").prefetch_related("contact_persons")
    template_name = "providers/provider_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = OfferSearch(QueryDict(), get_language(), fixed={"provider": [self.object]})
        context["offers"] = search.queryset().select_related("city")
        context["upcoming_events"] = next_events(
            Event.objects.published().filter(organizer=self.object), limit=10
        )
        return context
