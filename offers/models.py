"""Integration offers (Integrationsangebote): what residents search for."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content import derived, generation
from content.models import ContactFields, public_uuid_field
from content.publication import Publishable, PublishableQuerySet, ReviewedQuerySet
from content.text import fold
from places.models import City, Venue
from providers.models import Provider
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage


class WheelchairAccess(models.TextChoices):
    UNKNOWN = "unknown", _("not known")
    YES = "yes", _("wheelchair accessible")
    PARTLY = "partly", _("partly wheelchair accessible")
    NO = "no", _("not wheelchair accessible")


def search_document(offer):
    """Everything a resident may type to find the offer, in every language, folded.

    Covers the offer's texts, its provider, venue, Stadtteil, city and category labels.
    Stored in Offer.search_text so that a search reads one column instead of joining five
    tables and so that SQLite and PostgreSQL match the same folded text. A text from another
    model added here must be named in SEARCH_TEXT_SOURCES too, so that the search text is
    rebuilt when it changes.
    """
    languages = [code for code, _name in settings.LANGUAGES]
    parts = []
    for field in SEARCHED_TRANSLATED_FIELDS:
        parts.extend(getattr(offer, f"{field}_{code}", "") for code in languages)
    parts.append(offer.provider.name)
    if offer.venue_id:
        parts.extend([offer.venue.name, offer.venue.street, offer.venue.quarter])
    parts.extend(getattr(offer.city, f"name_{code}", "") for code in languages)
    for category in offer.categories.all():
        parts.extend(getattr(category, f"label_{code}", "") for code in languages)
    unique_parts = dict.fromkeys(part.strip() for part in parts if part and part.strip())
    return fold(" \n".join(unique_parts))


SEARCHED_TRANSLATED_FIELDS = ("name", "short_description", "description")
# The relations whose texts search_document() reads (content/derived.py).
SEARCH_TEXT_SOURCES = ("provider", "venue", "city", "categories")


class OfferQuerySet(ReviewedQuerySet, PublishableQuerySet):
    def refresh_search_text(self, batch_size=2000):
        """Recompute the stored search text of these offers (after bulk loads, or when a
        provider, venue, city or category they show was renamed)."""
        offers = self.select_related("provider", "venue", "city").prefetch_related("categories")
        batch = []
        for offer in offers.iterator(chunk_size=batch_size):
            offer.search_text = search_document(offer)
            batch.append(offer)
            if len(batch) >= batch_size:
                Offer.objects.bulk_update(batch, ["search_text"])
                batch = []
        if batch:
            Offer.objects.bulk_update(batch, ["search_text"])

    def published(self, today=None):
        """Published offers whose validity period includes today."""
        today = today or timezone.localdate()
        return (
            super()
            .published()
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        )


class Offer(ContactFields, Publishable):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Part of the offer's public address; keep it unchanged once published."),
    )
    short_description = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown in result lists."),
    )
    description = models.TextField(_("description"), blank=True)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="offers", verbose_name=_("provider")
    )
    categories = models.ManyToManyField(
        Category, related_name="offers", verbose_name=_("categories")
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("city"),
        help_text=_("The city whose listing shows the offer."),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        help_text=_("Where the offer takes place; empty for offers without a fixed place."),
    )
    languages = models.ManyToManyField(
        OfferLanguage,
        related_name="offers",
        verbose_name=_("languages of the offer"),
        blank=True,
    )
    genders = models.ManyToManyField(
        Gender,
        related_name="offers",
        verbose_name=_("target group: gender"),
        blank=True,
        help_text=_("Leave empty when the offer is open to all genders."),
    )
    migration_background = models.ForeignKey(
        MigrationBackground,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("target group: migration background"),
    )
    age_groups = models.ManyToManyField(
        AgeGroup, related_name="offers", verbose_name=_("target group: age groups")
    )
    homepage = models.URLField(_("homepage"), blank=True)
    schedule = models.TextField(
        _("schedule"), blank=True, help_text=_('In words, e.g. "Tuesdays 18:00 to 20:00".')
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    costs = models.CharField(
        _("costs"), max_length=300, blank=True, help_text=_("Fees, reductions, what to bring.")
    )
    registration_required = models.BooleanField(_("registration required"), default=False)
    wheelchair_access = models.CharField(
        _("wheelchair access"),
        max_length=10,
        choices=WheelchairAccess.choices,
        default=WheelchairAccess.UNKNOWN,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("After this day the offer disappears from public lists by itself."),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("The day staff last confirmed that the entry is current."),
    )
    # Derived, never edited: see search_document() and the registration below the class.
    search_text = models.TextField(editable=False, blank=True, default="")
    uuid = public_uuid_field()

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]
        permissions = [
            ("publish_offer", _("Can publish and archive offers")),
            ("import_offer", _("Can import offers from spreadsheets")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="offer_valid_until_not_before_valid_from",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offers:detail", kwargs={"slug": self.slug})

    def clean(self):
        # Checked here rather than in the database: costs is translated, and a note in any
        # language will do. The error goes to is_free, a field every form has (the
        # translated forms only have costs_de, costs_en, ...).
        errors = {}
        if not self.is_free and not self.costs:
            errors["is_free"] = _("An offer that is not free of charge needs a note on its costs.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _(
                "This address is taken by a page of the offer search; choose another slug."
            )
        if errors:
            raise ValidationError(errors)


# Addresses under /<lang>/offers/ that are pages of the search, not offers (offers/urls.py).
RESERVED_SLUGS = frozenset({"map", "suggest", "providers", "cities"})


# Whatever changes an offer or a text it shows rebuilds its search text.
derived.register(
    Offer,
    fields=["search_text"],
    rebuild=OfferQuerySet.refresh_search_text,
    depends_on=SEARCH_TEXT_SOURCES,
)


class SuggestionKind(models.TextChoices):
    NEW_OFFER = "new", _("new offer")
    REPORT = "report", _("report on an offer")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class ReportReason(models.TextChoices):
    WRONG_CONTACT = "contact", _("The contact details are wrong")
    ENDED = "ended", _("The offer no longer exists")
    WRONG_TIME_OR_PLACE = "time_place", _("The time or place is wrong")
    OTHER = "other", _("Something else")


class SuggestionQuerySet(models.QuerySet):
    def open(self):
        """Suggestions nobody has handled yet: the moderation queue."""
        return self.filter(status=SuggestionStatus.OPEN)

    def purge(self, now=None):
        """Forget what the privacy note promises to forget (see README, "Suggestions from
        the public"): address hashes after a day (the rate limit needs one hour), e-mail
        addresses of suggestions still open after PORTAL_SUGGESTION_EMAIL_DAYS, and handled
        suggestions after PORTAL_SUGGESTIONS_KEEP_DAYS. Returns the three counts."""
        now = now or timezone.now()
        day = timedelta(days=1)
        hashes = self.filter(created__lt=now - day).exclude(client_hash="").update(client_hash="")
        emails = (
            self.filter(created__lt=now - settings.PORTAL_SUGGESTION_EMAIL_DAYS * day)
            .exclude(email="")
            .update(email="")
        )
        deleted, _by_model = (
            self.exclude(status=SuggestionStatus.OPEN)
            .filter(handled_at__lt=now - settings.PORTAL_SUGGESTIONS_KEEP_DAYS * day)
            .delete()
        )
        return hashes, emails, deleted


class Suggestion(models.Model):
    """A resident's proposal of a new offer or report on a published one. Nothing in it is
    ever shown publicly; an editor turns it into a draft or a correction (offers/suggestions.py)."""

    kind = models.CharField(_("kind"), max_length=10, choices=SuggestionKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.OPEN,
        db_index=True,
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language of the page the suggestion was sent from."),
    )
    # The reported offer, or for a new offer the draft made from it once accepted.
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("offer"),
    )
    # Where the suggestion belongs, so that the queue can be divided among city editors.
    city = models.ForeignKey(
        City,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("city"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices, blank=True)
    name = models.CharField(_("name of the offer"), max_length=200, blank=True)
    provider_name = models.CharField(_("provider or organisation"), max_length=200, blank=True)
    description = models.TextField(_("what it is"), blank=True)
    where_when = models.TextField(_("where and when"), blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    homepage = models.URLField(_("homepage"), blank=True)
    message = models.TextField(_("message"), blank=True)
    email = models.EmailField(
        _("e-mail of the sender"),
        blank=True,
        help_text=_("Only for questions about this suggestion; cleared when it is handled."),
    )
    # HMAC-SHA256 of the sender's address keyed with SECRET_KEY, for the rate limit only;
    # the address itself is never stored. Cleared after a day by purge().
    client_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        # Open ones (never handled) first, then the most recently handled.
        ordering = [models.F("handled_at").desc(nulls_first=True), "-created"]

    def __str__(self):
        if self.kind == SuggestionKind.REPORT:
            return _("Report on “%(offer)s”") % {"offer": self.offer or _("a deleted offer")}
        return _("New offer “%(name)s”") % {"name": self.name}

    @property
    def is_open(self):
        return self.status == SuggestionStatus.OPEN

    def handle(self, status, user, offer=None):
        """Mark as accepted or rejected by ``user``. The sender's e-mail is only kept for
        questions while the suggestion is open, so it goes now."""
        self.status = status
        self.handled_by = user
        self.handled_at = timezone.now()
        if offer is not None:
            self.offer = offer
        self.email = ""
        self.client_hash = ""
        self.save()


# The public never sees suggestions: one sent from the public must not empty the page cache.
generation.ignore(Suggestion)
