"""Events (Veranstaltungen) announced by the KI and its partners."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_portal.models import ContactFields
from integration_portal.publishing import Publishable, PublishableQuerySet
from places.models import City, District, Venue
from providers.models import Provider
from vocabularies.models import Category, TargetGroup


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CONFIRMED = "confirmed", _("takes place")
    POSTPONED = "postponed", _("postponed, new date not yet known")
    RESCHEDULED = "rescheduled", _("postponed to a new date")
    CANCELLED = "cancelled", _("cancelled")
    FULLY_BOOKED = "fully_booked", _("fully booked")


class EventQuerySet(PublishableQuerySet):
    def upcoming(self, now=None):
        """Events with a date still ahead; an event running now counts as upcoming."""
        now = now or timezone.now()
        return self.filter(
            Q(dates__end__gte=now) | Q(dates__end__isnull=True, dates__start__gte=now)
        ).distinct()


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
        if errors:
            raise ValidationError(errors)

    @property
    def organizer_name(self):
        return self.organizer.name if self.organizer_id else self.district.ki_name


class EventDate(models.Model):
    """One date of an event. Events with several separate days have several of these; a
    span of days (a festival week) is one date with an end on a later day."""

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
        ]

    def __str__(self):
        return f"{self.event.title}: {self.start:%Y-%m-%d %H:%M}"


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
    file = models.FileField(_("file"), upload_to="events/attachments/", blank=True)
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
