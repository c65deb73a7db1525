from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView, TemplateView

from content.text import fold
from events.models import Event, next_events
from offers.models import Offer

from .models import Provider

PROVIDERS_PER_PAGE = 30


class ProviderListView(TemplateView):
    """All providers with their number of public offers, searchable by name."""

    template_name = "providers/provider_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "").replace("\x00", "").split())[:100]
        published = Offer.objects.published().values("pk")
        providers = Provider.objects.select_related("city").annotate(
            offer_count=Count("offers", filter=Q(offers__in=published))
        )
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
        context.update(
            query=query, page_obj=page, page_query=urlencode({"q": query}) if query else ""
        )
        return context


class ProviderDetailView(DetailView):
    queryset = Provider.objects.select_related("city").prefetch_related(
        "contact_persons",
        Prefetch(
            "offers",
            queryset=Offer.objects.published().select_related("city"),
            to_attr="published_offers",
        ),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming_events"] = next_events(
            Event.objects.published().filter(organizer=self.object), limit=10
        )
        return context
