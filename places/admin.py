from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from editorial import history
from editorial.content_admin import ContentAdmin, TranslatedContentAdmin

from .forms import MapCoordinatesForm
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
    form = MapCoordinatesForm
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
