from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from editorial import history
from editorial.content_admin import ContentAdmin, TranslatedContentAdmin

from . import geocoding
from .forms import MapCoordinatesForm, VenueForm
from .models import City, District, Venue

for model in (District, City, Venue):
    history.register(model)


@admin.register(District)
class DistrictAdmin(TranslatedContentAdmin):
    list_display = ["name", "ki_name", "email", "phone"]
    search_fields = ["name_de", "name_en", "ki_name"]
    prepopulated_fields = {"slug": ("name_de",)}


@admin.register(City)
class CityAdmin(TranslatedContentAdmin):
    form = MapCoordinatesForm
    list_display = [
        "name",
        "district",
        "population",
        "migration_background_percent",
        "has_coordinates",
    ]
    list_filter = ["district"]
    list_select_related = ["district"]
    search_fields = ["name_de", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name_de",)}
    autocomplete_fields = ["district"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "district"]}),
        (_("Population"), {"fields": ["population", "population_with_migration_background"]}),
        (_("Centre on the map"), {"fields": ["latitude", "longitude"]}),
    ]

    @admin.display(description=_("with migration background (%)"))
    def migration_background_percent(self, obj):
        return obj.migration_background_share

    @admin.display(description=_("on the map"), boolean=True)
    def has_coordinates(self, obj):
        return obj.has_coordinates


class HasCoordinatesFilter(admin.SimpleListFilter):
    title = _("on the map")
    parameter_name = "pinned"

    def lookups(self, request, model_admin):
        return [("yes", _("pinned")), ("no", _("not pinned yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(latitude__isnull=False)
        if self.value() == "no":
            return queryset.filter(latitude__isnull=True)
        return queryset


@admin.register(Venue)
class VenueAdmin(ContentAdmin):
    # Everyone sees all venues (to choose them); city editors change those in their cities.
    scope_city_lookup = "city"
    scope_provider_lookup = None
    scope_hides_others = False
    form = VenueForm
    list_display = ["name", "street", "postcode", "city", "quarter", "has_coordinates"]
    list_filter = [HasCoordinatesFilter, "city__district", "city"]
    list_select_related = ["city"]
    search_fields = ["name", "street", "quarter", "city__name_de"]
    autocomplete_fields = ["city"]
    fieldsets = [
        (None, {"fields": ["name", "street", "postcode", "city", "quarter"]}),
        (_("Position on the map"), {"fields": ["latitude", "longitude"]}),
    ]

    @admin.display(description=_("on the map"), boolean=True)
    def has_coordinates(self, obj):
        return obj.has_coordinates

    def get_urls(self):
        return [
            path(
                "geocode/",
                self.admin_site.admin_view(self.geocode_view),
                name="places_venue_geocode",
            ),
            *super().get_urls(),
        ]

    def geocode_view(self, request):
        """The address lookup behind the form's "find the address on the map" button.

        GET street, postcode and city (the city's id, as the form's select sends it);
        answers JSON: ``{"places": [{"latitude", "longitude", "label"}, ...]}``, or
        with ``"places": []`` and an ``"error"`` message when nothing was found, or
        ``{"error": message}`` in the editor's language with 400 (nothing to look up),
        503 (no geocoder configured) or 502 (the geocoder failed or is too slow).
        """
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if not geocoding.is_configured():
            return self._geocode_error(
                geocoding.GeocodingError(
                    _("No geocoder is configured; please place the pin on the map.")
                ),
                503,
            )
        city_name = ""
        city_id = request.GET.get("city", "").strip()
        # ASCII digits that fit the database's integer; anything else names no city.
        if city_id.isascii() and city_id.isdigit() and len(city_id) < 10:
            city = City.objects.filter(pk=int(city_id)).first()
            city_name = city.name if city else ""
        query = geocoding.venue_query(
            request.GET.get("street", ""), request.GET.get("postcode", ""), city_name
        )
        if not query:
            return self._geocode_error(
                geocoding.InvalidQuery(_("Please enter the street and number first.")), 400
            )
        try:
            places = geocoding.geocode(query)
        except geocoding.InvalidQuery as error:
            return self._geocode_error(error, 400)
        except geocoding.GeocodingError as error:
            return self._geocode_error(error, 502)
        if not places:
            # Asked and answered: nothing wrong, only nothing found (no error status, so
            # the browser logs no failed request).
            message = format_lazy(
                _(
                    "No place was found for “{address}”. Please check the address or "
                    "place the pin on the map."
                ),
                address=query,
            )
            return JsonResponse({"query": query, "places": [], "error": str(message)})
        return JsonResponse({"query": query, "places": [place.as_json() for place in places]})

    @staticmethod
    def _geocode_error(error, status):
        return JsonResponse({"error": str(error.args[0])}, status=status)

    def save_model(self, request, obj, form, change):
        self.place_from_address(request, obj, form)
        super().save_model(request, obj, form, change)

    def place_from_address(self, request, obj, form):
        """Without JavaScript (or without pressing the button): a venue saved with an
        address but no pin gets its pin from the geocoder, and the editor is told so. A pin
        that was removed in this very save stays removed."""
        if not geocoding.is_configured() or obj.has_coordinates:
            return
        if {"latitude", "longitude"} & set(form.changed_data):
            return
        query = geocoding.venue_query(
            obj.street, obj.postcode, obj.city.name if obj.city_id else ""
        )
        if not query:
            return
        try:
            places = geocoding.geocode(query)
        except geocoding.GeocodingError as error:
            self.message_user(
                request,
                format_lazy(
                    _("“{venue}” has no pin on the map yet: {reason}"), venue=obj, reason=error
                ),
                messages.WARNING,
            )
            return
        if not places:
            self.message_user(
                request,
                format_lazy(
                    _(
                        "No place was found for the address of “{venue}”; it has no pin on "
                        "the map yet. Please place it on the map."
                    ),
                    venue=obj,
                ),
                messages.WARNING,
            )
            return
        obj.latitude, obj.longitude = places[0].latitude, places[0].longitude
        self.message_user(
            request,
            format_lazy(
                _(
                    "The pin of “{venue}” was placed from its address ({place}). Please "
                    "check it on the map."
                ),
                venue=obj,
                place=places[0].label or f"{obj.latitude}, {obj.longitude}",
            ),
            messages.INFO,
        )
