from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from editorial import history
from editorial.spreadsheets_admin import SpreadsheetContentAdmin

from .models import ContactPerson, Provider
from .resources import ProviderResource


class ContactPersonInline(TranslationTabularInline):
    model = ContactPerson
    extra = 0


history.register(ContactPerson)
history.register(Provider, follow=["contact_persons"])


@admin.register(Provider)
class ProviderAdmin(SpreadsheetContentAdmin):
    resource_classes = [ProviderResource]
    # Everyone sees all providers (to choose them for offers); city editors change those
    # based in their cities, provider accounts their own.
    scope_city_lookup = "city"
    scope_provider_lookup = "pk"
    scope_hides_others = False
    list_display = ["name", "city", "phone", "email", "offer_count", "updated"]
    list_filter = ["city__district", "city"]
    list_select_related = ["city"]
    search_fields = ["name", "email", "street", "city__name_de"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["city"]
    inlines = [ContactPersonInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "logo"]}),
        (_("Address"), {"fields": ["street", "postcode", "city"]}),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(offer_total=Count("offers"))

    @admin.display(description=_("offers"), ordering="offer_total")
    def offer_count(self, obj):
        return obj.offer_total
