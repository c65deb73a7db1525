from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from integration_portal.admin_widgets import VocabularyCheckboxesMixin
from integration_portal.spreadsheets_admin import SpreadsheetImportExportMixin
from translations.admin import TranslationStatusMixin
from vocabularies.models import MigrationBackground

from .models import Offer
from .resources import OfferResource


@admin.register(Offer)
class OfferAdmin(
    SpreadsheetImportExportMixin,
    TranslationStatusMixin,
    VocabularyCheckboxesMixin,
    TabbedTranslationAdmin,
):
    resource_classes = [OfferResource]
    list_display = [
        "name",
        "provider",
        "city",
        "publication_status",
        "valid_until",
        "last_reviewed",
        "updated",
    ]
    list_filter = [
        "publication_status",
        "city__district",
        "city",
        "categories",
        "migration_background",
        "last_reviewed",
    ]
    list_select_related = ["provider", "city"]
    search_fields = [
        "name_de",
        "name_en",
        "slug",
        "provider__name",
        "venue__name",
        "venue__quarter",
        "contact_name",
    ]
    prepopulated_fields = {"slug": ("name_de",)}
    autocomplete_fields = ["provider", "city", "venue"]
    readonly_fields = ["created", "updated"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "slug", "short_description", "description", "categories"]}),
        (_("Provider and place"), {"fields": ["provider", "city", "venue"]}),
        (
            _("Target group"),
            {"fields": ["languages", "genders", "migration_background", "age_groups"]},
        ),
        (
            _("Taking part"),
            {
                "fields": [
                    "schedule",
                    "is_free",
                    "costs",
                    "registration_required",
                    "wheelchair_access",
                ]
            },
        ),
        (
            _("Contact"),
            {"fields": ["contact_name", "contact_phone", "contact_email", "homepage"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "publication_status",
                    "valid_from",
                    "valid_until",
                    "last_reviewed",
                    "created",
                    "updated",
                ]
            },
        ),
    ]

    def get_changeform_initial_data(self, request):
        # Most offers are open to everybody; start new ones from that instead of a blank.
        initial = super().get_changeform_initial_data(request)
        open_to_all = MigrationBackground.objects.filter(slug="open-to-all").first()
        if open_to_all:
            initial.setdefault("migration_background", open_to_all.pk)
        return initial
