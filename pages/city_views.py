"""City pages: stable addresses that municipalities link to from their own websites.

Faces of the offer search (offers/search.py) with the next events beside it: they live here,
above both engines, as the home page does. Every number of offers is the search's own.
"""

from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from events.models import Event, next_events
from offers.search import OfferSearch
from places.models import City

from .embedding import embed_snippet
from .qr import qr_svg


class CityListView(TemplateView):
    """The cities by district, each with its number of offers: the number of results of
    the offer search for that city."""

    template_name = "places/city_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = OfferSearch(QueryDict(), get_language()).value_counts("city")
        cities = list(City.objects.select_related("district").order_by("district__name", "name"))
        for city in cities:
            city.offer_count = counts.get(city.pk, 0)
        context["cities"] = cities
        return context


class CityDetailView(TemplateView):
    """The offer search with the city fixed and every other facet available."""

    template_name = "places/city_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city = get_object_or_404(City.objects.select_related("district"), slug=kwargs["slug"])
        search = OfferSearch(self.request.GET, get_language(), fixed={"city": [city]})
        context.update(search.page_context(self.request.path))
        context["city"] = city
        context["upcoming_events"] = upcoming_events_in(city)
        # For the municipality's own website: the widget's snippet (pages/embed_views.py).
        context["embed_snippet"] = embed_snippet(
            self.request,
            reverse("embed:city", kwargs={"slug": city.slug}),
            gettext("Offers in %(city)s") % {"city": city.name},
        )
        return context


@require_safe
def city_qr(request, slug):
    """The QR code of the city page, in the language of its address, for posters."""
    city = get_object_or_404(City, slug=slug)
    return HttpResponse(
        qr_svg(request.build_absolute_uri(city.get_absolute_url())),
        content_type="image/svg+xml",
    )


def upcoming_events_in(city, limit=5):
    """The next published events in the city and across its district (events still
    running count as upcoming), by date."""
    return next_events(Event.objects.published().for_city(city), limit)
