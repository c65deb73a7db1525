"""Offers as spreadsheet rows (admin import and export); columns in docs/import-format.md."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from content.publication import PublicationStatus
from content.text import fold
from editorial.spreadsheets import (
    ChoiceWidget,
    PortalResource,
    SlugWidget,
    YesNoWidget,
    day,
    is_empty,
    optional,
    relation,
    relations,
    text,
    translated,
)
from places.models import City, Venue
from providers.models import Provider
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage

from .models import Offer, WheelchairAccess

# Moving an offer into or out of these states is publishing; it needs offers.publish_offer.
PUBLIC_STATES = {PublicationStatus.PUBLISHED, PublicationStatus.ARCHIVED}


class VenueWidget(widgets.ForeignKeyWidget):
    """A venue by its name within a city: the city in "venue_city", or else the offer's
    "city". Venue names are not unique across the district ("Rathaus"), but within a city
    they are in practice; should two share a name there, the row says so.

    The venues of a city are read once per import (a file names the same few towns in
    every row), as are the cities themselves."""

    def __init__(self, **kwargs):
        super().__init__(Venue, field="name", **kwargs)
        self.cities = SlugWidget(City)
        self._venues_by_city = {}

    def prepare(self, values):
        """Before an import (PortalResource): forget the cities and venues read before."""
        self.cities.prepare([])
        self._venues_by_city = {}

    def venues_named(self, city, wanted):
        if city.pk not in self._venues_by_city:
            by_name = {}
            # Compared folded, in Python: people type names with other capitals or spaces,
            # and SQLite's case-insensitive lookups do not fold umlauts ("ZENTRUM FÜR …").
            for venue in Venue.objects.filter(city=city).select_related("city"):
                by_name.setdefault(fold(" ".join(venue.name.split())), []).append(venue)
            self._venues_by_city[city.pk] = by_name
        return self._venues_by_city[city.pk].get(wanted, [])[:2]

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        name = " ".join(str(value).split())
        row = row or {}
        city_slug = str(row.get("venue_city") or row.get("city") or "").strip()
        if not city_slug:
            raise ValueError(
                _('Name the city of the venue in the column "venue_city" (or "city").')
            )
        city = self.cities.clean(city_slug)
        venues = self.venues_named(city, fold(name))
        if not venues:
            raise ValueError(
                _(
                    'There is no venue called "%(name)s" in %(city)s. Check the spelling, '
                    "or add the venue under Places first."
                )
                % {"name": name, "city": city.name}
            )
        if len(venues) > 1:
            raise ValueError(
                _(
                    'There are several venues called "%(name)s" in %(city)s; give them '
                    "distinct names under Places."
                )
                % {"name": name, "city": city.name}
            )
        return venues[0]


class OfferResource(PortalResource):
    class Meta(PortalResource.Meta):
        model = Offer

    column_labels = {"venue_city": gettext_lazy("City of the venue")}
    constraints_checked_in_rows = ("offer_valid_until_not_before_valid_from",)

    def columns(self):
        return [
            text("slug"),
            *translated("name", "short_description", "description"),
            relation("provider", Provider),
            relation("city", City),
            Field(attribute="venue", column_name="venue", widget=VenueWidget()),
            # Only says where to look for the venue; never stored on the offer.
            Field(column_name="venue_city", widget=widgets.Widget()),
            relations("categories", Category),
            relations("languages", OfferLanguage),
            relations("genders", Gender),
            optional("migration_background", SlugWidget(MigrationBackground)),
            relations("age_groups", AgeGroup),
            *translated("schedule"),
            optional("is_free", YesNoWidget()),
            *translated("costs"),
            optional("registration_required", YesNoWidget()),
            optional("wheelchair_access", ChoiceWidget(WheelchairAccess.choices)),
            text("contact_name"),
            text("contact_phone"),
            text("contact_email"),
            text("homepage"),
            optional("publication_status", ChoiceWidget(PublicationStatus.choices)),
            day("valid_from"),
            day("valid_until"),
            day("last_reviewed"),
        ]

    def dehydrate_venue_city(self, offer):
        return offer.venue.city.slug if offer.venue_id else ""

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("provider", "city", "venue__city", "migration_background")
            .prefetch_related("categories", "languages", "genders", "age_groups")
        )

    def init_instance(self, row=None):
        offer = super().init_instance(row)
        # As in the admin: a new offer is open to everybody unless the file says otherwise.
        # (Through the column's lookup, which reads it once per import, not once per row.)
        offer.migration_background = self.fields["migration_background"].widget.lookup.get(
            "open-to-all"
        )
        return offer

    def check_row(self, offer, row, errors, user=None, **kwargs):
        before = self._before.get("publication_status") or PublicationStatus.DRAFT
        after = offer.publication_status
        if (
            before != after
            and {before, after} & PUBLIC_STATES
            and user is not None
            and not user.has_perm("offers.publish_offer")
        ):
            errors.setdefault("publication_status", []).append(
                ValidationError(
                    _(
                        "You may not publish, unpublish or archive offers; leave the cell "
                        "empty or write draft or review."
                    )
                )
            )
        if (
            "valid_until" not in errors
            and "valid_from" not in errors
            and offer.valid_from
            and offer.valid_until
            and offer.valid_until < offer.valid_from
        ):
            errors.setdefault("valid_until", []).append(
                ValidationError(_("The offer cannot end before it starts (valid_from)."))
            )
