"""City pages: stable addresses that municipalities link to from their own websites."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from events.models import Event, next_events
from offers.models import Offer
from offers.views import SearchPageMixin, search_for

from .models import City


class CityListView(ListView):
    template_name = "places/city_list.html"
    context_object_name = "cities"

    def get_queryset(self):
        published = Offer.objects.published().values("pk")
        return (
            City.objects.select_related("district")
            .annotate(offer_count=Count("offers", filter=Q(offers__in=published)))
            .order_by("district__name", "name")
        )


class CityDetailView(SearchPageMixin, TemplateView):
    """The offer search with the city fixed and every other facet available."""

    template_name = "places/city_detail.html"

    def get_search(self):
        self.city = get_object_or_404(
            City.objects.select_related("district"), slug=self.kwargs["slug"]
        )
        return search_for(self.request, city=[self.city.slug])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["city"] = self.city
        context["upcoming_events"] = upcoming_events_in(self.city)
        return context


def upcoming_events_in(city, limit=5):
    """The next published events in the city and across its district (events still
    running count as upcoming), by date."""
    return next_events(Event.objects.published().for_city(city), limit)
