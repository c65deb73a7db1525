"""Admin-editable vocabularies: the values residents filter offers and events by.

Each value has a translated label and a stable ASCII slug. The slug is what appears in URLs
and the JSON API, so it must not change once published; labels may be reworded freely.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from content.models import public_uuid_field

from .icons import DEFAULT_ICON, ICONS


class VocabularyQuerySet(models.QuerySet):
    def by_slugs(self, slugs):
        return self.filter(slug__in=slugs)


class Vocabulary(models.Model):
    label = models.CharField(_("label"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Stable ASCII key used in addresses and exports; do not change it."),
    )
    position = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Lower numbers come first in lists and forms.")
    )
    uuid = public_uuid_field()

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class Category(Vocabulary):
    """Topic of an offer or event, e.g. Sport or Beratung."""

    # A pictogram for residents who read little German: shown on the home page's topic
    # tiles, in the filter list and on result cards. A field rather than a mapping by slug,
    # so that staff choose one for a new category in the admin like its label.
    icon = models.CharField(
        _("pictogram"),
        max_length=40,
        choices=ICONS,
        default=DEFAULT_ICON,
        help_text=_("Shown beside the category on the public pages."),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class OfferLanguage(Vocabulary):
    """A language an offer is held in; includes "not fixed"."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("language of offers")
        verbose_name_plural = _("languages of offers")


class Gender(Vocabulary):
    """A gender an offer is meant for; an offer with none is open to all."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("gender")
        verbose_name_plural = _("genders")


class MigrationBackground(Vocabulary):
    """Whether an offer is open to all or meant especially for people with a migration
    background or for newcomers."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("migration background")
        verbose_name_plural = _("migration backgrounds")


class AgeGroup(Vocabulary):
    """An age group; ages are in whole years, ``max_age`` exclusive (babies: 0 to under 1)."""

    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(
        _("below age"),
        null=True,
        blank=True,
        help_text=_("The first age no longer included: 3 means up to 2 years, under 3."),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lt=models.F("max_age")),
                name="age_group_min_below_max",
            ),
        ]


class TargetGroup(Vocabulary):
    """Who an event is for, e.g. teachers, volunteers or everybody interested."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
