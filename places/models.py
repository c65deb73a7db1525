"""Where things happen: districts, their cities and the venues of offers and events."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.models import public_uuid_field

postcode_validator = RegexValidator(
    r"^\d{5}$", _("Enter a German postcode of five digits, e.g. 44579.")
)


def one_line_address(street, postcode, town):
    """Street, postcode and town on one line, as on a letter; empty parts left out."""
    place = " ".join(part for part in (postcode, town) if part)
    return ", ".join(part for part in (street, place) if part)


class Coordinates(models.Model):
    """A point on the map as plain latitude/longitude (WGS 84), so no GeoDjango is needed."""

    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )

    class Meta:
        abstract = True
        constraints = [
            # Half a coordinate cannot be shown on a map.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="%(app_label)s_%(class)s_both_coordinates_or_none",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
            ),
        ]

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class District(models.Model):
    """A Kreis whose Kommunales Integrationszentrum (KI) runs the portal; one instance may
    serve several districts."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    ki_name = models.CharField(
        _("name of the integration centre"),
        max_length=200,
        help_text=_("Shown as organizer of the KI's own events."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CityQuerySet(models.QuerySet):
    def map_centres(self):
        """{city id: (latitude, longitude)} where a map of the city should start.

        The city's own stored centre where it has one, otherwise the mean position of its
        venues on the map; cities with neither are left out. One query.
        """
        rows = self.annotate(
            venue_latitude=models.Avg("venues__latitude"),
            venue_longitude=models.Avg("venues__longitude"),
        ).values_list("pk", "latitude", "longitude", "venue_latitude", "venue_longitude")
        centres = {}
        for pk, latitude, longitude, venue_latitude, venue_longitude in rows:
            if latitude is not None and longitude is not None:
                centres[pk] = (float(latitude), float(longitude))
            elif venue_latitude is not None and venue_longitude is not None:
                centres[pk] = (float(venue_latitude), float(venue_longitude))
        return centres


class City(Coordinates):
    """A city or municipality (Stadt/Gemeinde) of a district."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Part of the city's public address; municipalities link to it."),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="cities", verbose_name=_("district")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_with_migration_background = models.PositiveIntegerField(
        _("population with migration background"), null=True, blank=True
    )

    objects = CityQuerySet.as_manager()

    class Meta(Coordinates.Meta):
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            *Coordinates.Meta.constraints,
            models.UniqueConstraint(fields=["district", "name"], name="unique_city_per_district"),
            models.CheckConstraint(
                condition=Q(population_with_migration_background__isnull=True)
                | Q(population__isnull=True)
                | Q(population_with_migration_background__lte=models.F("population")),
                name="city_migration_background_within_population",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The city's listing page: a stable address municipalities link to."""
        return reverse("cities:detail", kwargs={"slug": self.slug})

    @property
    def migration_background_share(self):
        """Share of residents with a migration background in per cent, or None."""
        if not self.population or self.population_with_migration_background is None:
            return None
        return round(100 * self.population_with_migration_background / self.population, 1)


class Venue(Coordinates):
    """A place where offers and events take place; several offers may share one."""

    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=5, blank=True, validators=[postcode_validator]
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="venues", verbose_name=_("city")
    )
    quarter = models.CharField(
        _("city quarter"),
        max_length=100,
        blank=True,
        help_text=_("The part of town (Stadtteil), e.g. Habinghorst."),
    )
    uuid = public_uuid_field()

    class Meta(Coordinates.Meta):
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name", "city__name"]
        constraints = [
            *Coordinates.Meta.constraints,
            models.UniqueConstraint(
                fields=["name", "street", "city"], name="unique_venue_per_address"
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.city.name}" if self.city_id else self.name

    @property
    def address(self):
        return one_line_address(self.street, self.postcode, self.city.name)
