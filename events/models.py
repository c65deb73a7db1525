"""Events (Veranstaltungen) announced by the KI and its partners."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content import derived
from content.models import ContactFields
from content.publication import Publishable, PublishableQuerySet, ReviewedQuerySet
from content.uploads import validate_upload
from places.models import City, District, Venue
from providers.models import Provider
from vocabularies.models import Category, TargetGroup

from . import recurrence
from .recurrence import MAX_OCCURRENCES, Repeat

# Addresses below /events/ that are not events: an event with such a slug could not be
# reached (past/) or would hide the feed (feed.ics).
RESERVED_SLUGS = {"past", "feed"}


class EventStatus(models.TextChoices):
    # The two sound alike in German ("Geplant", "Findet statt"): the labels say the
    # difference, whether the organizer has confirmed the date.
    SCHEDULED = "scheduled", _("planned, not yet confirmed")
    CONFIRMED = "confirmed", _("confirmed: takes place")
    POSTPONED = "postponed", _("postponed, new date not yet known")
    RESCHEDULED = "rescheduled", _("postponed to a new date")
    CANCELLED = "cancelled", _("cancelled")
    FULLY_BOOKED = "fully_booked", _("fully booked")


class EventQuerySet(ReviewedQuerySet, PublishableQuerySet):
    """Which events are upcoming or past is decided on their occurrences (the expanded
    dates, see Occurrence), so series count with every repetition."""

    def upcoming(self, now=None):
        """Events with a date still ahead; an event running now counts as upcoming."""
        now = now or timezone.now()
        return self.filter(Exists(Occurrence.objects.filter(event=OuterRef("pk"), ends_at__gt=now)))

    def past(self, now=None):
        """Events whose every date is over. Events without any date are neither upcoming
        nor past."""
        now = now or timezone.now()
        occurrences = Occurrence.objects.filter(event=OuterRef("pk"))
        return self.filter(Exists(occurrences)).exclude(Exists(occurrences.filter(ends_at__gt=now)))

    def review_due_condition(self, today=None):
        """Nobody needs to confirm that an event of 2019 is still current: events whose
        every date is over leave the review queue (events without any date stay in it)."""
        occurrences = Occurrence.objects.filter(event=OuterRef("pk"))
        over = Exists(occurrences) & ~Exists(occurrences.filter(ends_at__gt=timezone.now()))
        return super().review_due_condition(today) & ~Q(over)

    def for_city(self, city):
        """Events in the city, and the events of its whole district (a festival week in
        every town concerns each of them)."""
        return self.filter(Q(city=city) | Q(city__isnull=True, district=city.district_id))

    def in_list_order(self, window=None, newest_first=False):
        """Each event once, in the order of the date a list shows for it.

        ``window`` (a Q on Occurrence) narrows the dates that count: the future ones for
        the upcoming list, those in a chosen date range. The shown date is the first (or,
        newest first, the last) one in the window, a cancelled one only when no other is
        left. Annotates ``shown_start``, ``shown_occurrence_id`` and ``dates_in_window``
        (the dates that take place); see with_shown_occurrences().
        """
        occurrences = Occurrence.objects.filter(window or Q(), event=OuterRef("pk"))
        shown = occurrences.order_by("cancelled", "-start" if newest_first else "start")
        count = (
            occurrences.filter(cancelled=False)
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        )
        start = F("shown_start").desc() if newest_first else F("shown_start").asc()
        return (
            self.filter(Exists(occurrences))
            .annotate(
                shown_start=Subquery(shown.values("start")[:1]),
                shown_occurrence_id=Subquery(shown.values("pk")[:1]),
                dates_in_window=Coalesce(Subquery(count), 0),
            )
            .order_by(start, "pk")
        )

    def upcoming_in_order(self, now=None):
        """Upcoming events by their next date (for short lists: home, city, provider)."""
        now = now or timezone.now()
        return self.upcoming(now).in_list_order(overlapping(now, None))

    def refresh_occurrences(self):
        """Rebuild the occurrences of these events from their dates and cancelled dates.
        Called whenever one of those changes (content/derived.py) and after bulk loads."""
        event_ids = list(self.values_list("pk", flat=True))
        cancelled = set(
            CancelledDate.objects.filter(event__in=event_ids).values_list("event_id", "date")
        )
        occurrences = []
        for date in EventDate.objects.filter(event__in=event_ids):
            occurrences.extend(date.expand(cancelled))
        with transaction.atomic():
            Occurrence.objects.filter(event__in=event_ids).delete()
            Occurrence.objects.bulk_create(occurrences, batch_size=1000)


def overlapping(start, end):
    """A Q on Occurrence: dates that overlap [start, end) (either may be None: open)."""
    condition = Q()
    if start is not None:
        condition &= Q(ends_at__gt=start)
    if end is not None:
        condition &= Q(start__lt=end)
    return condition


def next_occurrence(occurrences, now):
    """Of an event's occurrences (in order), the one it is announced with: its next date
    that takes place, else its next (cancelled) one, else its last one."""
    ahead = [occurrence for occurrence in occurrences if not occurrence.is_over(now)]
    taking_place = [occurrence for occurrence in ahead if not occurrence.cancelled]
    if taking_place or ahead:
        return (taking_place or ahead)[0]
    return occurrences[-1] if occurrences else None


def next_events(events, limit, now=None):
    """The first ``limit`` upcoming events of a queryset, each with the date it is listed
    with; a fixed number of queries."""
    events = events.upcoming_in_order(now).select_related("city", "district", "venue__city")
    return with_shown_occurrences(events[:limit])


def with_shown_occurrences(events):
    """The events of an in_list_order() queryset (or a page of it), each with the
    ``shown_occurrence`` it is listed with and ``more_dates``, the number of its other
    dates in the list's window. One query, whatever the number of events."""
    events = list(events)
    ids = [event.shown_occurrence_id for event in events if event.shown_occurrence_id]
    occurrences = Occurrence.objects.in_bulk(ids)
    for event in events:
        shown = occurrences.get(event.shown_occurrence_id)
        event.shown_occurrence = shown
        taking_place = 0 if shown is None or shown.cancelled else 1
        event.more_dates = max(event.dates_in_window - taking_place, 0)
    return events


class Event(ContactFields, Publishable):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        db_index=True,
    )
    status_note = models.CharField(
        _("note on the status"),
        max_length=200,
        blank=True,
        help_text=_('E.g. "postponed to the spring" or "only waiting list places left".'),
    )
    rescheduled_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_from",
        verbose_name=_("rescheduled to"),
        help_text=_("The event with the new date, when the status is 'postponed to a new date'."),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="events", verbose_name=_("district")
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("city"),
        null=True,
        blank=True,
        help_text=_("Leave empty for events across the whole district."),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("venue"),
        null=True,
        blank=True,
    )
    venue_note = models.CharField(
        _("note on the place"),
        max_length=200,
        blank=True,
        help_text=_('E.g. the room, or "in several places".'),
    )
    organizer = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organizer"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the integration centre (KI) itself organizes the event."),
    )
    categories = models.ManyToManyField(
        Category, related_name="events", verbose_name=_("categories"), blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="events", verbose_name=_("target groups"), blank=True
    )
    target_group_note = models.CharField(_("note on the target group"), max_length=300, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=False)
    registration_how = models.TextField(_("how to register"), blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_email = models.EmailField(_("registration e-mail"), blank=True)
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["title"]
        permissions = [("publish_event", _("Can publish and archive events"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(rescheduled_to__isnull=True) | Q(status=EventStatus.RESCHEDULED),
                name="event_rescheduled_to_only_when_rescheduled",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.status == EventStatus.RESCHEDULED and not self.rescheduled_to_id:
            errors["rescheduled_to"] = _("Choose the event with the new date.")
        if self.status != EventStatus.RESCHEDULED and self.rescheduled_to_id:
            errors["rescheduled_to"] = _(
                "Remove this link, or set the status to 'postponed to a new date'."
            )
        if self.pk and self.rescheduled_to_id == self.pk:
            errors["rescheduled_to"] = _("An event cannot be rescheduled to itself.")
        if self.city_id and self.district_id and self.city.district_id != self.district_id:
            errors["city"] = _("The city does not belong to the event's district.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is reserved for the event lists; choose another.")
        if errors:
            raise ValidationError(errors)

    @property
    def organizer_name(self):
        return self.organizer.name if self.organizer_id else self.district.ki_name

    @property
    def does_not_take_place_as_announced(self):
        """Postponed or cancelled: the announced dates are void."""
        return self.status in {
            EventStatus.POSTPONED,
            EventStatus.RESCHEDULED,
            EventStatus.CANCELLED,
        }

    def get_calendar_url(self):
        return reverse("events:ics", kwargs={"slug": self.slug})


class EventDate(models.Model):
    """One date of an event. Events with several separate days have several of these; a
    span of days (a festival week) is one date with an end on a later day; a series (a
    language café every 2nd Tuesday) is its first date with a repetition rule, expanded
    into Occurrence rows."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="dates", verbose_name=_("event")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    date_only = models.BooleanField(
        _("date only"),
        default=False,
        help_text=_(
            "Show the day(s) without times: for events lasting whole days, or whose time is "
            "not known yet. A span of days ends on the day of its end."
        ),
    )
    repeat = models.CharField(
        _("repeats"), max_length=20, choices=Repeat.choices, blank=True, default=Repeat.NONE
    )
    interval = models.PositiveSmallIntegerField(
        _("every … weeks/months"),
        default=1,
        # Blank is read as 1: the field means nothing for dates that do not repeat.
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1: every week or month; 2: every other week or month; and so on."),
    )
    repeat_until = models.DateField(
        _("repeats until"),
        null=True,
        blank=True,
        help_text=_("The day of the last repetition (required for a repeating date)."),
    )

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="event_date_end_not_before_start",
                violation_error_message=_("The end must not be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(repeat="") | Q(repeat_until__isnull=False),
                name="event_date_series_has_an_end",
                violation_error_message=_("A repeating date needs the day of its last repetition."),
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1),
                name="event_date_interval_positive",
            ),
        ]

    def __str__(self):
        return f"{self.event.title}: {self.start:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.interval is None:
            self.interval = 1
        if not self.start:
            return  # the field's own error says what is missing
        errors = {}
        first_day = recurrence.local(self.start).date()
        if self.repeat and not self.repeat_until:
            errors["repeat_until"] = _("A repeating date needs the day of its last repetition.")
        elif self.repeat and self.repeat_until:
            if self.repeat_until < first_day:
                errors["repeat_until"] = _("The last repetition cannot be before the first date.")
            elif recurrence.count_occurrences(self) > MAX_OCCURRENCES:
                errors["repeat_until"] = _(
                    "A series can have at most %(count)d dates; choose an earlier end."
                ) % {"count": MAX_OCCURRENCES}
        elif self.repeat_until and not self.repeat:
            errors["repeat"] = _("Choose how the date repeats, or leave “repeats until” empty.")
        if self.repeat and self.end and recurrence.local(self.end).date() != first_day:
            errors["end"] = _("A repeating date must end on the day it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_series(self):
        return bool(self.repeat and self.repeat_until)

    def describe_repetition(self):
        return recurrence.describe_with_end(self) if self.is_series else ""

    def expand(self, cancelled=frozenset()):
        """This date's unsaved Occurrence rows; ``cancelled`` holds (event id, day) pairs."""
        occurrences = []
        for start, end in recurrence.occurrence_times(self):
            day = recurrence.local(start).date()
            occurrences.append(
                Occurrence(
                    event_id=self.event_id,
                    date=self,
                    start=start,
                    end=end,
                    date_only=self.date_only,
                    ends_at=recurrence.ends_at(start, end, self.date_only),
                    cancelled=(self.event_id, day) in cancelled,
                )
            )
        return occurrences


class CancelledDate(models.Model):
    """A day on which an event does not take place although its dates say so: one evening
    of a series, or one day of an event with several."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="cancelled_dates", verbose_name=_("event")
    )
    date = models.DateField(
        _("day"), help_text=_("Every date of the event on this day is shown as cancelled.")
    )

    class Meta:
        verbose_name = _("cancelled date")
        verbose_name_plural = _("cancelled dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="unique_cancelled_date"),
        ]

    def __str__(self):
        return f"{self.event.title}: {self.date:%Y-%m-%d}"


class Occurrence(models.Model):
    """One concrete date of an event: its dates with every series expanded and the
    cancelled days marked. Derived data, rebuilt whenever a date or cancelled date of
    the event changes (registered with content/derived.py below), so that lists can
    filter, sort and paginate events by date in SQL; never edited by hand."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("event")
    )
    date = models.ForeignKey(
        EventDate, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("date")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    date_only = models.BooleanField(_("date only"), default=False)
    ends_at = models.DateTimeField(
        _("over at"), help_text=_("The end, or the end of the last day when it has no end time.")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["event", "ends_at"], name="occurrence_event_ends_at"),
            models.Index(fields=["start"], name="occurrence_start"),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.start:%Y-%m-%d %H:%M}"

    def is_over(self, now=None):
        return self.ends_at <= (now or timezone.now())


class AttachmentKind(models.TextChoices):
    PROGRAMME = "programme", _("programme")
    DOCUMENTATION = "documentation", _("documentation")
    INFORMATION = "information", _("information")


class EventAttachment(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("event")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.PROGRAMME
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="events/attachments/",
        blank=True,
        validators=[validate_upload],
        help_text=_(
            "PDF, an office document (Word, Excel, PowerPoint, OpenDocument) or a JPEG, PNG "
            "or WebP image."
        ),
    )
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="event_attachment_file_or_link",
                violation_error_message=_("Give either a file or a link."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def href(self):
        return self.file.url if self.file else self.url


# An event's occurrences come from its dates and cancelled days only: saving the event
# itself changes none of them.
derived.register(
    Event,
    fields=[],
    rebuild=EventQuerySet.refresh_occurrences,
    depends_on=["dates", "cancelled_dates"],
    on_own_save=False,
)
