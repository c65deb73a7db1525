"""The open-data API's query parameters, parsed and validated by django-filter.

A value the API cannot read answers 400 (views.bad_request) rather than a different list,
as the feeds do: a client asking for a filter gets exactly that filter or an error.
Filters combine with AND.
"""

from datetime import UTC

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q, Value
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from offers.models import Offer
from offers.search import EXACT_SPELLING, OfferSearch, ids_condition
from places.centres import known_places

from .hsds import TAXONOMIES, TAXONOMIES_BY_ID

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
# The offer search reads at most this much text (offers.search.MAX_QUERY_LENGTH).
MAX_SEARCH_LENGTH = 200
# ``proximity`` in metres: the district is some 60 km across.
MAX_PROXIMITY = 100_000


class PageForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PER_PAGE)

    def clean_page(self):
        return self.cleaned_data["page"] or 1

    def clean_per_page(self):
        return self.cleaned_data["per_page"] or DEFAULT_PER_PAGE


def find_term(term_uuid):
    """(taxonomy, primary key) of the vocabulary value ``term_uuid``, or None: one query
    over every vocabulary (a UNION), so that the offers are then filtered by a key."""
    lookups = [
        tax.model.objects.filter(uuid=term_uuid).values_list(Value(index), "pk").order_by()
        for index, tax in enumerate(TAXONOMIES)
    ]
    found = lookups[0].union(*lookups[1:], all=True).first()
    return (TAXONOMIES[found[0]], found[1]) if found else None


def term_condition(tax, pk):
    """Offers naming the value ``pk`` of ``tax``."""
    if not tax.many:
        return Q(**{f"{tax.relation}_id": pk})
    relation = getattr(Offer, tax.relation)
    target = relation.field.m2m_reverse_field_name()
    return Q(Exists(relation.through.objects.filter(offer=OuterRef("pk"), **{target: pk})))


class UTCDateTimeField(IsoDateTimeField):
    """An RFC 3339 date-time, with any offset RFC 3339 allows (below 24 hours), in UTC:
    PostgreSQL takes offsets up to 15:59 only (found by tests/test_api_schema.py: "-16:30"
    failed the query). One without an offset is in the portal's time zone, as before."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as overflow:  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from overflow


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class ServiceFilter(django_filters.FilterSet):
    # First: the offer search supplies the ordered list the other filters narrow down.
    search = django_filters.CharFilter(method="filter_search", max_length=MAX_SEARCH_LENGTH)
    taxonomy_term_id = django_filters.UUIDFilter(method="filter_term")
    taxonomy_id = django_filters.UUIDFilter(method="filter_taxonomy")
    organization_id = django_filters.UUIDFilter(field_name="provider__uuid")
    modified_after = UTCDateTimeFilter(field_name="updated", lookup_expr="gte")

    class Meta:
        model = Offer
        fields = []

    def __init__(self, *args, language, **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def filter_search(self, queryset, name, value):
        # The portal's one text search (offers/search.py): the same words find the same
        # offers here as on the search page. Its matching ids narrow ``queryset`` (published
        # offers; for service_at_locations those with a venue), which keeps the API's order
        # by id: pages of a search stay stable while a client walks them, and no relevance
        # sort over every match is paid for (300 ms of 310 at 10,000 offers).
        value = " ".join(value.split())
        if not value:
            return queryset
        params = QueryDict(mutable=True)
        params["q"] = value
        # A filter of an API finds what it was asked for: no "did you mean" for clients
        # that cannot see which word was searched instead.
        params["spelling"] = EXACT_SPELLING
        return queryset.filter(ids_condition(OfferSearch(params, self.language).result_ids()))

    def filter_term(self, queryset, name, value):
        found = find_term(value)
        return queryset.filter(term_condition(*found)) if found else queryset.none()

    def filter_taxonomy(self, queryset, name, value):
        tax = TAXONOMIES_BY_ID.get(str(value))
        if tax is None:
            return queryset.none()
        if not tax.many:
            return queryset  # every offer has a value of it
        relation = getattr(Offer, tax.relation)
        return queryset.filter(Exists(relation.through.objects.filter(offer=OuterRef("pk"))))


class LocationForm(forms.Form):
    """``proximity`` as HSDS 3.0 defines it: metres from the centre of ``postcode``, so it
    needs a postcode to measure from. Its centre is the mean position of our venues with
    that postcode (places/centres.py; no outside geocoder); a postcode none of our places
    has has no centre, and nothing is near it (an empty list, as for ``postcode`` alone)."""

    def clean(self):
        data = super().clean()
        if data.get("proximity") is None or "postcode" in self.errors:
            return data
        if not data.get("postcode"):
            self.add_error("proximity", _("proximity needs a postcode to measure from."))
        return data


class ServiceAtLocationFilter(ServiceFilter):
    """The services' filters, and the place: its postcode (German postcodes: five digits),
    or with ``proximity`` (metres) every place within that distance of the postcode's
    centre, as HSDS 3.0 defines them."""

    postcode = django_filters.CharFilter(
        method="filter_postcode",
        validators=[RegexValidator(r"^[0-9]{5}$")],
    )
    proximity = django_filters.NumberFilter(
        method="filter_proximity", min_value=1, max_value=MAX_PROXIMITY
    )

    class Meta(ServiceFilter.Meta):
        form = LocationForm

    def filter_postcode(self, queryset, name, value):
        proximity = self.form.cleaned_data.get("proximity")
        if proximity is None:
            return queryset.filter(venue__postcode=value)
        places = known_places()
        centre = places.postcode_centre(value)
        if centre is None:
            return queryset.none()
        venues = places.venues_within(centre.latitude, centre.longitude, float(proximity) / 1000)
        return queryset.filter(ids_condition(venues, field="venue_id"))

    def filter_proximity(self, queryset, name, value):
        return queryset  # applied with the postcode it measures from (filter_postcode)

    def filter_queryset(self, queryset):
        # Only offers with a venue are at a location (the base queryset says so too; this
        # keeps it true whatever a filter returns).
        return super().filter_queryset(queryset).filter(venue__isnull=False)


class TaxonomyTermForm(forms.Form):
    """The taxonomy terms are few (one query per vocabulary) and filtered in Python."""

    taxonomy_id = forms.UUIDField(required=False)
