from django.contrib import admin, messages
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from editorial import history
from editorial.content_admin import TranslatedContentAdmin

from .models import CancelledDate, Event, EventAttachment, EventDate, Occurrence
from .recurrence import local

for model in (EventDate, CancelledDate, EventAttachment):
    history.register(model)
# The occurrences are derived from the dates and rebuilt after a restore.
history.register(Event, follow=["dates", "cancelled_dates", "attachments"])


class EventDateInline(admin.TabularInline):
    model = EventDate
    extra = 1
    min_num = 1
    validate_min = True
    fields = ["start", "end", "date_only", "repeat", "interval", "repeat_until"]


class CancelledDateInline(admin.TabularInline):
    """Single days on which a series (or one day of several) does not take place; the
    public pages mark them, the calendar export leaves them out (EXDATE)."""

    model = CancelledDate
    extra = 0


class EventAttachmentInline(TranslationTabularInline):
    model = EventAttachment
    extra = 0


class WhenFilter(admin.SimpleListFilter):
    """Upcoming or past, by the same rules as the public lists (series included)."""

    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [
            ("upcoming", _("upcoming or running")),
            ("past", _("past")),
            ("undated", _("without dates")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        if self.value() == "undated":
            return queryset.exclude(Exists(EventDate.objects.filter(event=OuterRef("pk"))))
        return queryset


@admin.register(Event)
class EventAdmin(TranslatedContentAdmin):
    # City editors work on their cities' events, provider accounts on those they organize.
    scope_city_lookup = "city"
    scope_provider_lookup = "organizer"
    list_display = [
        "title",
        "next_date",
        "first_date",
        "city",
        "status",
        "publication_status",
        "updated",
    ]
    list_filter = ["status", WhenFilter, "publication_status", "district", "city", "categories"]
    list_select_related = ["city"]
    search_fields = ["title_de", "title_en", "slug", "venue__name", "contact_name"]
    prepopulated_fields = {"slug": ("title_de",)}
    autocomplete_fields = ["district", "city", "venue", "organizer", "rescheduled_to"]
    readonly_fields = ["created", "updated"]
    inlines = [EventDateInline, CancelledDateInline, EventAttachmentInline]
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
        upcoming = Occurrence.objects.filter(
            event=OuterRef("pk"), ends_at__gt=timezone.now(), cancelled=False
        ).order_by("start")
        return (
            super()
            .get_queryset(request)
            .annotate(
                first_start=Min("dates__start"),
                next_start=Subquery(upcoming.values("start")[:1]),
            )
        )

    @admin.display(description=_("first date"), ordering="first_start")
    def first_date(self, obj):
        return obj.first_start

    @admin.display(description=_("next date"), ordering="next_start")
    def next_date(self, obj):
        return obj.next_start

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn_about_cancelled_days_without_date(request, form.instance)

    def warn_about_cancelled_days_without_date(self, request, event):
        """A cancelled day that is none of the event's dates is most likely a typo."""
        days = {local(start).date() for start in event.occurrences.values_list("start", flat=True)}
        for cancelled in event.cancelled_dates.all():
            if cancelled.date not in days:
                messages.warning(
                    request,
                    _("%(day)s is marked as cancelled, but the event has no date on that day.")
                    % {"day": date_format(cancelled.date, "DATE_FORMAT")},
                )
