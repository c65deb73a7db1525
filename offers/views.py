"""Public offer pages. Every list here presents one OfferSearch; none filters on its own."""

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language
from django.views.generic import DetailView, FormView, TemplateView

from content.publication import PublishedObjectMixin
from places.geojson import venue_feature
from places.jsonld import venue_place

from . import suggestions
from .forms import NewOfferSuggestionForm, ReportForm
from .models import Offer, SuggestionKind
from .search import SORTS, OfferSearch


def search_for(request, **fixed):
    return OfferSearch(request.GET, get_language(), fixed=fixed)


class SearchPageMixin:
    """Context for pages that show a search: the search page, the map and city pages."""

    def get_search(self):
        return search_for(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.get_search()
        context.update(
            search=search,
            page_obj=search.page(),
            facets=search.facets(),
            active_filters=search.active_filters(),
            sorts=SORTS,
            # Offer links carry the page they were listed on (search, map or city page,
            # with its parameters), so "back to the results" returns to exactly it.
            back=self.request.path + "?" + search.query_string(page=search.page().number),
        )
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


def search_json(request):
    search = search_for(request)
    page = search.page()
    return JsonResponse(
        {
            "count": search.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [offer_summary(offer) for offer in page.object_list],
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
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
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
            context["venue_geojson"] = json.dumps(
                {"type": "FeatureCollection", "features": [offer_feature(self.object)]}
            )
        # "<" escaped so that no text of the offer can close the script element.
        context["json_ld"] = json.dumps(
            offer_json_ld(self.object, self.request), ensure_ascii=False
        ).replace("<", "\\u003c")
        return context


# The pages an offer can be listed on; "back" may only lead to one of them.
RESULT_PAGES = {"offers:search", "offers:map", "places:city-detail"}


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


def offer_json_ld(offer, request):
    """schema.org description of the offer, for search engines and assistants."""
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": offer.name,
        "description": offer.short_description or offer.description[:300],
        "url": request.build_absolute_uri(offer.get_absolute_url()),
        "areaServed": offer.city.name,
        "category": [category.label for category in offer.categories.all()],
        "availableLanguage": [language.label for language in offer.languages.all()],
        "provider": {
            "@type": "Organization",
            "name": offer.provider.name,
            "telephone": offer.provider.phone or None,
            "email": offer.provider.email or None,
            "url": offer.provider.website or None,
        },
    }
    if offer.is_free:
        data["isAccessibleForFree"] = True
    if offer.venue:
        place = venue_place(offer.venue)
        data["availableChannel"] = {"@type": "ServiceChannel", "serviceLocation": place}
    if offer.contact_phone or offer.contact_email:
        data["provider"]["contactPoint"] = {
            "@type": "ContactPoint",
            "name": offer.contact_name or None,
            "telephone": offer.contact_phone or None,
            "email": offer.contact_email or None,
        }
    return data


# --- Suggestions from the public (offers/suggestions.py has the rules) --------------------


class SuggestionFormView(FormView):
    """A public form whose valid submissions land in the moderation queue, never on the site.

    Answers 429 (with the form and the visitor's entries kept) once a client has sent
    PORTAL_SUGGESTIONS_PER_HOUR suggestions in the last hour. A filled honeypot is treated
    like a success, so that bots learn nothing, but nothing is stored.
    """

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_spam:
            return redirect(self.get_success_url())
        if suggestions.rate_limited(request):
            context = self.get_context_data(form=form, rate_limited=True)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(int(suggestions.RATE_WINDOW.total_seconds()))
            return response
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_success_url(self):
        return reverse("offers:suggest-thanks")


class SuggestOfferView(SuggestionFormView):
    template_name = "offers/suggest.html"
    form_class = NewOfferSuggestionForm

    def form_valid(self, form):
        suggestions.store(form, self.request, kind=SuggestionKind.NEW_OFFER)
        return super().form_valid(form)


class ReportOfferView(SuggestionFormView):
    template_name = "offers/report.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        # Only what the public can see can be reported; drafts answer 404, even for staff.
        self.offer = get_object_or_404(
            Offer.objects.published().select_related("city"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(offer=self.offer, **kwargs)

    def form_valid(self, form):
        suggestions.store(
            form,
            self.request,
            kind=SuggestionKind.REPORT,
            offer=self.offer,
            city=self.offer.city,
        )
        return super().form_valid(form)

    def get_success_url(self):
        return super().get_success_url() + "?" + urlencode({"offer": self.offer.slug})


class SuggestionThanksView(TemplateView):
    template_name = "offers/suggest_thanks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.request.GET.get("offer", "")[:200]
        context["offer"] = Offer.objects.published().filter(slug=slug).first() if slug else None
        return context
