"""Integration offers (Integrationsangebote): what residents search for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_portal.models import ContactFields
from integration_portal.publishing import Publishable, PublishableQuerySet, ReviewedQuerySet
from integration_portal.text import fold
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
    tables and so that SQLite and PostgreSQL match the same folded text.
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
    # Derived, never edited: see search_document(). Kept current by offers/signals.py.
    search_text = models.TextField(editable=False, blank=True, default="")

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
        if not self.is_free and not self.costs:
            raise ValidationError(
                {"is_free": _("An offer that is not free of charge needs a note on its costs.")}
            )
