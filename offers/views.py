"""Public offer pages: the faces of the offer search (search page, map, search.json,
map.geojson) and the offer page. Every list here presents one OfferSearch; none filters on
its own. The suggestion forms are in suggestion_views.py."""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from content.embed import feature_collection, map_json, script_json
from content.params import MAX_VALUE_LENGTH, clean_value
from content.publication import PublishedObjectMixin
from content.text import fold
from places.geojson import venue_feature

from .jsonld import offer_json_ld
from .models import Offer
from .search import FACETS_BY_NAME, OfferSearch, distance_label


def search_for(request, **fixed):
    return OfferSearch(request.GET, get_language(), fixed=fixed)


class SearchPageMixin:
    """Context for pages that show a search: the search page and the map."""

    def get_search(self):
        return search_for(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.get_search().page_context(self.request.path))
        return context


class OfferSearchView(SearchPageMixin, TemplateView):
    template_name = "offers/search.html"


class OfferMapView(SearchPageMixin, TemplateView):
    template_name = "offers/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["geojson_url"] = (
            reverse("offers:map-geojson") + "?" + context["search"].portable_query_string
        )
        return context


CHOICES_PER_PAGE = 50


class FacetChoiceView(TemplateView):
    """Every value of a bounded facet (providers; towns at state scale) for a search,
    searchable by name: where the search page's "show all" leads. Each value links back to
    the search with it ticked (or unticked), counted like the facet counts it."""

    template_name = "offers/facet_choice.html"
    facet = None  # "provider" or "city" (a FacetSpec with a limit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = search_for(self.request)
        spec = FACETS_BY_NAME[self.facet]
        query = " ".join(clean_value(self.request.GET.get("pq", "")).split())[:MAX_VALUE_LENGTH]
        counts = search.value_counts(spec.name)
        chosen = set(search.selected[spec.name])
        values = sorted(search.values_of(spec).values(), key=lambda obj: fold(str(obj)))
        values = [obj for obj in values if spec.show_zero or obj.pk in counts or obj.slug in chosen]
        if query:
            terms = fold(query).split()
            values = [obj for obj in values if all(term in fold(str(obj)) for term in terms)]
        values.sort(key=lambda obj: -counts.get(obj.pk, 0))  # stable: by name among equals
        page = Paginator(values, CHOICES_PER_PAGE).get_page(self.request.GET.get("page"))
        search_query = search.query_string()
        context.update(
            facet=spec.name,
            search=search,
            query=query,
            page_obj=page,
            choices=[
                {
                    "name": str(obj),
                    "count": counts.get(obj.pk, 0),
                    "selected": obj.slug in chosen,
                    "query": search.query_string(toggle=(spec.name, obj.slug)),
                }
                for obj in page.object_list
            ],
            # The search's own parameters, kept by the name filter's form and the pages.
            hidden_fields=parse_qsl(search_query),
            page_query=urlencode(parse_qsl(search_query) + ([("pq", query)] if query else [])),
            back_query=search_query,
        )
        return context


def offer_summary(offer):
    return {
        "id": offer.pk,
        "slug": offer.slug,
        "name": offer.name,
        "url": offer.get_absolute_url(),
        "provider": {"slug": offer.provider.slug, "name": offer.provider.name},
        "city": {"slug": offer.city.slug, "name": offer.city.name},
        "categories": [{"slug": c.slug, "label": c.label} for c in offer.categories.all()],
    }


def near_summary(search):
    """Where a search near a place looks, or None."""
    near = search.near
    if near is None:
        return None
    return {
        "place": near.label,
        "latitude": round(near.latitude, 6),
        "longitude": round(near.longitude, 6),
        "radius_km": near.radius_km,
    }


def result_summary(search, offer):
    summary = offer_summary(offer)
    if search.near:
        # None (null): no fixed place, listed after the nearby offers.
        distance = offer.distance_km
        summary["distance_km"] = None if distance is None else round(distance, 2)
    return summary


def search_json(request):
    search = search_for(request)
    page = search.page()
    near = near_summary(search)
    corrected = search.corrected_query
    return JsonResponse(
        {
            "count": search.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            # The words searched for instead of those typed, which no offer contains.
            **({"corrected_query": corrected} if corrected else {}),
            **({"near": near} if near else {}),
            "results": [result_summary(search, offer) for offer in page.object_list],
            "facets": {
                facet.name: [
                    {
                        "value": value.value,
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected,
                    }
                    for value in facet.values
                ]
                for facet in search.facets()
            },
            "notes": search.notes,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def translated_fields(name):
    """``name`` and its per-language columns, for only(): the attribute's language
    fallback needs all of them."""
    return [name, *(f"{name}_{code}" for code, _label in settings.LANGUAGES)]


def offer_feature(offer):
    return venue_feature(
        offer.venue,
        {
            "id": offer.pk,
            "name": offer.name,
            "url": offer.get_absolute_url(),
            "venue": offer.venue.name,
            "city": offer.city.name,
        },
    )


def map_geojson(request):
    """Every matching offer that has coordinates, as GeoJSON points."""
    search = search_for(request)
    offers = (
        search.queryset()
        .filter(venue__latitude__isnull=False)
        .select_related("venue", "city")
        .only(
            "pk",
            "slug",
            *translated_fields("name"),
            *translated_fields("city__name"),
            "venue__name",
            "venue__latitude",
            "venue__longitude",
        )
    )
    features = [offer_feature(offer) for offer in offers]
    if search.near:
        for feature in features:
            distance = search.distance_of(feature["properties"]["id"])
            if distance is not None:  # every offer on the map has a place
                feature["properties"]["distance_km"] = round(distance, 2)
                feature["properties"]["distance"] = distance_label(distance)
    return JsonResponse(
        feature_collection(features),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


class OfferDetailView(PublishedObjectMixin, DetailView):
    queryset = Offer.objects.select_related(
        "provider", "provider__city", "city", "venue", "venue__city", "migration_background"
    ).prefetch_related("categories", "languages", "genders", "age_groups")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The search this visitor came from, re-encoded so that nothing but parameters of
        # our own search page can end up in the link.
        context["back_url"] = back_to_results(self.request.GET.get("back", ""))
        if self.object.venue and self.object.venue.has_coordinates:
            context["venue_geojson"] = map_json([offer_feature(self.object)])
        context["json_ld"] = script_json(offer_json_ld(self.object, self.request))
        return context


# The pages an offer can be listed on; "back" may only lead to one of them.
RESULT_PAGES = {"offers:search", "offers:map", "cities:detail"}


def back_to_results(back):
    """The list a visitor came from, rebuilt from the ``back`` parameter: only a path of
    one of our own result pages, with its query re-encoded, else the plain search page."""
    parts = urlsplit(back[:2000])
    if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
        try:
            match = resolve(parts.path)
        except Resolver404:
            match = None
        if match and match.view_name in RESULT_PAGES:
            query = QueryDict(parts.query).urlencode()
            return parts.path + ("?" + query if query else "")
    return reverse("offers:search")
