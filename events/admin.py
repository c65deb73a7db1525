from django.contrib import admin
from django.db.models import Min
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from integration_portal.admin_widgets import VocabularyCheckboxesMixin

from .models import Event, EventAttachment, EventDate


class EventDateInline(admin.TabularInline):
    model = EventDate
    extra = 1
    min_num = 1
    validate_min = True


class EventAttachmentInline(TranslationTabularInline):
    model = EventAttachment
    extra = 0


@admin.register(Event)
class EventAdmin(VocabularyCheckboxesMixin, TabbedTranslationAdmin):
    list_display = ["title", "first_date", "city", "status", "publication_status", "updated"]
    list_filter = ["status", "publication_status", "district", "city", "categories"]
    list_select_related = ["city"]
    search_fields = ["title_de", "title_en", "slug", "venue__name", "contact_name"]
    prepopulated_fields = {"slug": ("title_de",)}
    autocomplete_fields = ["district", "city", "venue", "organizer", "rescheduled_to"]
    readonly_fields = ["created", "updated"]
    inlines = [EventDateInline, EventAttachmentInline]
    # "Save as new" repeats an event, e.g. next year's festival week, with all its texts.
    save_as = True
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "categories"]}),
        (_("Status"), {"fields": ["status", "status_note", "rescheduled_to"]}),
        (
            _("Place and organizer"),
            {"fields": ["district", "city", "venue", "venue_note", "organizer"]},
        ),
        (_("Target group"), {"fields": ["target_groups", "target_group_note"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "registration_required",
                    "registration_how",
                    "registration_url",
                    "registration_email",
                    "registration_deadline",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_phone", "contact_email"]}),
        (
            _("Publication"),
            {"fields": ["publication_status", "last_reviewed", "created", "updated"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(first_start=Min("dates__start"))

    @admin.display(description=_("first date"), ordering="first_start")
    def first_date(self, obj):
        return obj.first_start
