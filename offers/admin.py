from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from editorial.admin import EditorialAdminMixin
from integration_portal.admin_widgets import VocabularyCheckboxesMixin
from translations.admin import TranslationStatusMixin
from vocabularies.models import MigrationBackground

from .admin_forms import SAME_NAME_CONFIRMATION, OfferAdminForm
from .models import Offer


@admin.register(Offer)
class OfferAdmin(
    EditorialAdminMixin,
    TranslationStatusMixin,
    VocabularyCheckboxesMixin,
    TabbedTranslationAdmin,
):
    form = OfferAdminForm
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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.method == "POST":
            # The "same name" confirmation appears only once the form was sent and the name
            # turned out to be taken by another offer of the provider (see OfferAdminForm).
            first_name, first_options = fieldsets[0]
            first_options = {
                **first_options,
                "fields": [*first_options["fields"], SAME_NAME_CONFIRMATION],
            }
            fieldsets = [(first_name, first_options), *fieldsets[1:]]
        return fieldsets

    def get_changeform_initial_data(self, request):
        # Most offers are open to everybody; start new ones from that instead of a blank.
        initial = super().get_changeform_initial_data(request)
        open_to_all = MigrationBackground.objects.filter(slug="open-to-all").first()
        if open_to_all:
            initial.setdefault("migration_background", open_to_all.pk)
        return initial
