"""The offer search: one engine behind the search page, search.json, map.geojson, the city
pages and list, and the provider pages and list. They only present what it returns, so
they always agree (a city's count on the city list is the number of results of the search
for that city).

Given the request's parameters it

* reads the full-text query ``q`` and the facets (city, category, language, gender,
  migration, age, provider; vocabulary slugs, repeatable), ignoring unknown or malformed
  values with a note for the user instead of failing (the idiom of content/params.py);
* filters published offers: values of one facet combine with OR, facets with AND;
* counts, for every value of every facet, the offers it would find with all *other* facets
  applied (disjunctive faceting), so choosing "Sport" does not zero the other categories;
* sorts (relevance when there is a query, name, newest, nearest first) and paginates;
* near a place (``near``: "lat,lon" from the browser's position, or a city, Stadtteil or
  postcode, whose centre places/centres.py computes from our venues) within ``radius`` km:
  one more AND condition, "within the radius or without a fixed place" (online, mobile
  and district-wide offers are never dropped by a radius; nearest first, they come after
  the nearby ones), counted by the facets like any other; every result carries its
  distance.

Every list runs a fixed number of queries, whatever the number of results: the counts of
every facet, the number of results and the order of the results come from the in-memory
facet index of the current content generation (offers/facet_index.py); SQL matches the text
(returning ids) and fetches the one page of offers shown. The provider facet is bounded to
the ten most frequent providers plus any chosen; the rest are on /offers/providers/.

Text matching works on Offer.search_text, folded in Python (content.text.fold),
so "übung" finds "Übung" and "strasse" finds "Straße" on SQLite and PostgreSQL alike. Each
word must occur in the text (substring, so "kurs" finds "Deutschkurs"). PostgreSQL adds
German stemming ("kurse" finds "Kurs") and ranking. When a text search finds nothing, each
word that no offer contains is replaced by the closest real word of the offers
(offers/spelling.py: "badmintn" finds "Badminton") and the search runs again, matching as
always; the page says which words it used (``corrected_query``) and links to the search as
typed, with ``spelling=exact``, which switches the correction off.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, resolution_order

from content.formats import join_list
from content.params import MAX_VALUE_LENGTH, clean_value, read_page
from content.text import fold
from places.centres import known_places
from places.models import City
from providers.models import Provider
from translations.status import SOURCE_LANGUAGE
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage

from . import spelling
from .facet_index import current_index, name_order
from .models import Offer

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_VALUES_PER_FACET = 40
PROVIDER_FACET_LIMIT = 10
# A district has up to about twenty towns and the demo's three districts 28, all shown; a
# state portal (NRW: 396 towns) shows the thirty with the most offers, the rest on a page
# of their own.
CITY_FACET_LIMIT = 30
# Stands for a facet value in a query string while the rest of it is encoded: parameters
# never contain NUL (content.params.clean_value removes it), so it cannot occur otherwise.
TOGGLE_PLACEHOLDER = "\x00"
SORTS = {
    "relevance": _("relevance"),
    "name": _("name"),
    "newest": _("newest first"),
    "distance": _("nearest first"),
}
# The radii a search near a place offers, in km (the form's choices), and its default.
RADII_KM = (1, 2, 5, 10, 25)
DEFAULT_RADIUS_KM = 10
# The value of ``spelling`` that switches the correction of words off (any other is ignored).
EXACT_SPELLING = "exact"
# The allowed characters of "lat,lon" (what the browser's position is written as).
COORDINATE_CHARACTERS = frozenset("0123456789.,+-eE ")


@dataclass(frozen=True)
class FacetSpec:
    name: str  # the URL parameter
    label: str
    model: type
    lookup: str  # the Offer field it filters on
    many: bool = False  # many-to-many field
    # Offers that name no value at all are open to everybody (genders: none = all), so
    # they match every value of the facet.
    empty_matches_all: bool = False
    # Values with no matching offer are listed too (short vocabularies), or left out
    # (providers: hundreds of them, a list of zeros helps nobody).
    show_zero: bool = True
    # The translated field that names a value (its label falls back to German).
    label_field: str | None = "label"
    # At most this many values are shown (the most frequent, plus any chosen); the others
    # are on a page of their own, so that no search page grows with their number.
    limit: int | None = None


FACETS = [
    FacetSpec("city", _("City"), City, "city", label_field="name", limit=CITY_FACET_LIMIT),
    FacetSpec("category", _("Category"), Category, "categories", many=True),
    FacetSpec("language", _("Language of the offer"), OfferLanguage, "languages", many=True),
    FacetSpec("gender", _("Gender"), Gender, "genders", many=True, empty_matches_all=True),
    FacetSpec("migration", _("Migration background"), MigrationBackground, "migration_background"),
    FacetSpec("age", _("Age group"), AgeGroup, "age_groups", many=True),
    FacetSpec(
        "provider",
        _("Provider"),
        Provider,
        "provider",
        show_zero=False,
        label_field=None,
        limit=PROVIDER_FACET_LIMIT,
    ),
]
FACETS_BY_NAME = {spec.name: spec for spec in FACETS}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    query: str  # the query string that toggles this value
    obj: object = None  # the value's object, for templates (which language its label is in)
    label_field: str | None = None


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    fixed: bool = False  # pre-set by the page (a city page's city), not changeable
    hidden: int = 0  # values with offers left out of a bounded facet (FacetSpec.limit)

    @property
    def selected_values(self):
        return [value for value in self.values if value.selected]


@dataclass(frozen=True)
class Near:
    """Where a search looks around: a point and a radius."""

    latitude: float
    longitude: float
    radius_km: int
    text: str  # the ``near`` parameter as entered, for the form and the links
    label: str  # the place as shown: its name, or "your position"


def distance_label(distance_km):
    """A distance as a result shows it: "1.2 km" (in the page's number format); below 100 m
    "0.1 km" rather than "0.0 km"."""
    if distance_km is None:
        return None
    return gettext("%(distance)s km") % {
        "distance": number_format(max(distance_km, 0.1), decimal_pos=1)
    }


@dataclass
class ActiveFilter:
    facet_label: str
    label: str
    remove_query: str


class GermanTextMatch(Func):
    """``to_tsvector('german', search_text) @@ plainto_tsquery('german', term)``, written
    exactly like the expression index of migration 0003 so that PostgreSQL uses it."""

    template = "to_tsvector('german'::regconfig, %(expressions)s)"
    arg_joiner = ") @@ plainto_tsquery('german'::regconfig, "
    output_field = BooleanField()


def offer_column(compiler, connection, column):
    """A column PostgreSQL keeps beside the model's fields (migrations 0008, 0009) of the
    query's own offers table, however the query names that table."""
    table = compiler.quote_name_unless_alias(compiler.query.base_table)
    return f"{table}.{connection.ops.quote_name(column)}"


class GermanTextRank(Func):
    """``ts_rank(search_vector, plainto_tsquery('german', terms))``. search_vector is
    ``to_tsvector('german', search_text)`` stored by PostgreSQL (migration 0008, not a
    model field): the rank reads it instead of parsing every matching offer's text again."""

    template = "ts_rank(%(vector)s, plainto_tsquery('german'::regconfig, %(expressions)s))"
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        extra_context["vector"] = offer_column(compiler, connection, "search_vector")
        return super().as_sql(compiler, connection, **extra_context)


class WordsContaining(Func):
    """``search_words && ARRAY(SELECT word FROM offers_search_word WHERE word LIKE ...)``:
    the offers one of whose words contains the term, which is exactly ``search_text LIKE
    '%term%'`` for a term without whitespace, through an exact GIN lookup instead of the
    trigram index's candidates re-checked text by text (migration 0009 says why)."""

    template = (
        "%(words)s && ARRAY(SELECT word FROM offers_search_word WHERE word LIKE %(expressions)s)"
    )
    output_field = BooleanField()

    def __init__(self, term):
        super().__init__(Value(f"%{connection.ops.prep_for_like_query(term)}%"))

    def as_sql(self, compiler, connection, **extra_context):
        extra_context["words"] = offer_column(compiler, connection, "search_words")
        return super().as_sql(compiler, connection, **extra_context)


# Below three characters a term has no trigram, and the vocabulary's index cannot narrow
# its words down: such terms are matched against the text directly.
MIN_WORD_LOOKUP_LENGTH = 3


def substring_condition(term):
    """Offers whose search text contains ``term``."""
    if connection.vendor == "postgresql" and len(term) >= MIN_WORD_LOOKUP_LENGTH:
        return Q(WordsContaining(term))
    return Q(search_text__contains=term)


def link_table(spec):
    """The table linking offers to a many-to-many facet's values, and its value column."""
    relation = getattr(Offer, spec.lookup)
    return relation.through, relation.field.m2m_reverse_field_name()


class CountedPaginator(Paginator):
    """A paginator told the number of results, which the facet query has counted already."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


class Results:
    """The results of a search as the paginator slices them: only the slice asked for is
    fetched (see OfferSearch.offers_ranked)."""

    def __init__(self, search):
        self.search = search

    def __len__(self):
        return self.search._counted()[3]

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("Results are read a page at a time.")
        return LazyPage(self.search, item.start or 0, item.stop or len(self))


class LazyPage(Sequence):
    """One page of results, fetched when first read: a page that shows only the number
    of results (home) runs no query for the offers."""

    def __init__(self, search, start, stop):
        self.search, self.start, self.stop = search, start, stop

    @cached_property
    def offers(self):
        return self.search.offers_ranked(self.start, self.stop)

    def __getitem__(self, item):
        return self.offers[item]

    def __len__(self):
        return len(self.offers)


def translated_fields(name, language=None):
    """``name`` and its per-language columns, for only(): in ``language`` the columns the
    attribute reads (the language's, then its fallbacks') and German, which tells whether
    the text fell back (translations.fallback); without a language, all of them."""
    if language is None or language not in dict(settings.LANGUAGES):
        return [name, *(f"{name}_{code}" for code, _label in settings.LANGUAGES)]
    languages = dict.fromkeys([*resolution_order(language), SOURCE_LANGUAGE])
    return [name, *(build_localized_fieldname(name, code) for code in languages)]


def ids_condition(ids, field="pk"):
    """``field IN ids`` (the primary key, or a foreign key) as one parameter however many
    ids there are (SQLite limits the number of parameters of a query; PostgreSQL plans one
    array faster than thousands of them)."""
    ids = list(ids)
    lookup = f"{field}__in"
    if len(ids) <= 100:
        return Q(**{lookup: ids})
    if connection.vendor == "postgresql":
        return Q(**{lookup: RawSQL("SELECT unnest(%s::bigint[])", [ids])})
    return Q(**{lookup: RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])})


@dataclass
class OfferSearch:
    """The state of one search, built from a request's GET parameters."""

    params: object  # a QueryDict (or any mapping with getlist)
    language: str
    # facet name -> [objects]: values set by the page (a city page's City, a provider
    # page's Provider), not by the visitor's parameters.
    fixed: dict = field(default_factory=dict)
    notes: list = field(default_factory=list, init=False)

    def __post_init__(self):
        self.query = self._read_query()
        # The folded words searched for; after a correction (_counted), the corrected ones.
        self.terms = self._terms(self.query)
        # spelling=exact: the words as typed, never corrected (kept only while there are
        # words to correct).
        spelling_param = clean_value(self.params.get("spelling", ""))
        self.exact_spelling = bool(self.terms) and spelling_param == EXACT_SPELLING
        self.corrections = {}  # typed term -> the word searched for instead (_counted)
        # The facet index of this generation and day (offers/facet_index.py): counts,
        # vocabularies and the order of the results come from it.
        self.index = current_index()
        self.selected = {spec.name: self._read_facet(spec) for spec in FACETS}
        near = clean_value(self.params.get("near", ""))
        self.near_text = near[:MAX_VALUE_LENGTH]  # what the form and the notes repeat
        self.radius = self._read_radius()
        self.near = self._read_near(near)
        self.sort = self._read_sort()

    # --- Reading the parameters -----------------------------------------------------------

    def _read_query(self):
        query = " ".join(clean_value(self.params.get("q", "")).split())
        if len(query) > MAX_QUERY_LENGTH:
            query = query[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
            self.notes.append(
                gettext("Your search text was shortened to %(count)d characters.")
                % {"count": MAX_QUERY_LENGTH}
            )
        return query

    def _terms(self, query):
        terms = list(dict.fromkeys(term for term in fold(query).split() if term))
        if len(terms) > MAX_TERMS:
            self.notes.append(
                gettext("Only the first %(count)d words of your search were used.")
                % {"count": MAX_TERMS}
            )
            terms = terms[:MAX_TERMS]
        return terms

    def values_of(self, spec):
        """All values of a facet, {slug: object} (from the index: read once per generation)."""
        values = self.index.values(spec.name)
        fixed = [obj for obj in self.fixed.get(spec.name, ()) if obj.slug not in values]
        if fixed:  # a value the page sets but the index does not know yet
            values = {**values, **{obj.slug: obj for obj in fixed}}
        return values

    def _read_facet(self, spec):
        if spec.name in self.fixed:
            return [obj.slug for obj in self.fixed[spec.name]]
        raw = [clean_value(value) for value in self.params.getlist(spec.name)]
        raw = [value for value in dict.fromkeys(raw) if value]
        if not raw:
            return []
        if len(raw) > MAX_VALUES_PER_FACET:
            raw = raw[:MAX_VALUES_PER_FACET]
            self.notes.append(
                gettext("Only the first %(count)d values of “%(facet)s” were used.")
                % {"count": MAX_VALUES_PER_FACET, "facet": spec.label}
            )
        known = self.values_of(spec)
        unknown = [value for value in raw if value not in known]
        for value in unknown:
            self.notes.append(
                gettext("“%(value)s” is not a known value of “%(facet)s” and was ignored.")
                % {"value": value[:MAX_VALUE_LENGTH], "facet": spec.label}
            )
        return [value for value in raw if value in known]

    def _read_radius(self):
        raw = clean_value(self.params.get("radius", ""))
        if not raw:
            return DEFAULT_RADIUS_KM
        radius = int(raw) if raw.isdigit() and len(raw) <= 3 else None
        if radius in RADII_KM:
            return radius
        self.notes.append(
            gettext("There is no radius “%(value)s”; choose %(radii)s km. %(default)d km was used.")
            % {
                "value": raw[:20],
                "radii": join_list(RADII_KM),
                "default": DEFAULT_RADIUS_KM,
            }
        )
        return DEFAULT_RADIUS_KM

    def _read_near(self, near):
        """The point ``near`` names, or None (with a note when it names none we know)."""
        if not near:
            return None
        if "," in near and set(near) <= COORDINATE_CHARACTERS:
            return self._read_position(near)
        text = self.near_text
        found = known_places().find(text)
        if found.centre is not None:
            centre = found.centre
            return Near(centre.latitude, centre.longitude, self.radius, text, centre.name)
        if found.towns:
            self.notes.append(
                gettext(
                    "Several towns have a part called “%(place)s” (%(towns)s). "
                    "Add the town, e.g. “%(example)s”."
                )
                % {
                    "place": text,
                    "towns": join_list(found.towns),
                    "example": f"{text}, {found.towns[0]}",
                }
            )
        else:
            self.notes.append(
                gettext(
                    "We don't know the place “%(place)s”. Enter a town, a part of town "
                    "(Stadtteil) or a five-digit postcode of the district; the search "
                    "shows offers everywhere meanwhile."
                )
                % {"place": text}
            )
        return None

    def _read_position(self, text):
        parts = text.split(",")
        try:
            latitude, longitude = (float(part) for part in parts)
        except ValueError:  # not two numbers
            latitude = longitude = math.nan
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # NaN fails too
            self.notes.append(
                gettext(
                    "“%(value)s” is no position on the map: give latitude (-90 to 90) and "
                    "longitude (-180 to 180) in degrees, e.g. 51.54,7.69."
                )
                % {"value": self.near_text}
            )
            return None
        return Near(latitude, longitude, self.radius, text, gettext("your position"))

    @property
    def default_sort(self):
        if self.near:
            return "distance"
        return "relevance" if self.terms else "name"

    def _read_sort(self):
        sort = clean_value(self.params.get("sort", ""))
        default = self.default_sort
        if not sort:
            return default
        unavailable = (sort == "relevance" and not self.terms) or (
            sort == "distance" and not self.near
        )
        if sort not in SORTS or unavailable:
            if sort not in SORTS:
                self.notes.append(gettext("The sort order you asked for is unknown."))
            return default
        return sort

    @property
    def sort_choices(self):
        """The sort orders this search offers: relevance needs words, distance a place."""
        return [
            (key, label)
            for key, label in SORTS.items()
            if (key != "relevance" or self.terms) and (key != "distance" or self.near)
        ]

    # --- Building the query ----------------------------------------------------------------

    def _term_condition(self, term):
        condition = substring_condition(term)
        if connection.vendor == "postgresql":
            condition |= Q(GermanTextMatch(F("search_text"), Value(term)))
        return condition

    def _text_condition(self, terms):
        condition = Q()
        for term in terms:
            condition &= self._term_condition(term)
        return condition

    def _ordered(self, queryset):
        # Nearest first is the index's order (offers_ranked); whole lists (the map, the
        # feed) fall back to the name order.
        if self.sort == "newest":
            return queryset.order_by("-created", "-pk")
        name = name_order(self.language)
        if self.sort == "relevance":
            # Names come first in search_text: an early hit is a hit in the name.
            position = sum((StrIndex("search_text", Value(term)) for term in self.terms), Value(0))
            order = [position.asc(), *name]
            if connection.vendor == "postgresql":
                rank = GermanTextRank(Value(" ".join(self.terms)))
                order.insert(0, rank.desc())
            return queryset.order_by(*order)
        return queryset.order_by(*name)

    # --- Results -----------------------------------------------------------------------------

    def result_ids(self):
        """The ids of all matching offers (in no particular order)."""
        return self.index.all_ids(self._counted()[2])

    def queryset(self):
        """All matching offers in order (for the map, a provider's page); not paginated."""
        if not hasattr(self, "_queryset"):
            self._queryset = self._ordered(Offer.objects.filter(ids_condition(self.result_ids())))
        return self._queryset

    def page(self):
        """The requested page of results, with what a result list shows."""
        if not hasattr(self, "_page"):
            paginator = CountedPaginator(Results(self), PAGE_SIZE, count=self._counted()[3])
            self._page = read_page(paginator, self.params, self.notes)
        return self._page

    def offers_ranked(self, start, stop):
        """The results ranked start..stop-1, with only what a result list shows: one query
        for the offers (and one for their categories); provider and city come from the
        index."""
        _base, _conditions, bits, total = self._counted()
        fields = ["pk", "slug", "provider_id", "city_id", "venue_id"]
        fields += translated_fields("name", self.language)
        fields += translated_fields("short_description", self.language)
        offers = Offer.objects.only(*fields)
        if self.sort == "relevance":
            # The text rank needs the text: PostgreSQL sorts the matching ids, for one page.
            ids = self.index.all_ids(bits) if total else []
            offers = list(self._ordered(offers.filter(ids_condition(ids)))[start:stop])
        elif self.sort == "distance":
            ids = self.index.nearest_page_ids(bits, self.venue_distances, start, stop)
            by_id = {offer.pk: offer for offer in offers.filter(pk__in=ids).order_by()}
            offers = [by_id[pk] for pk in ids if pk in by_id]
        else:
            key = ("newest",) if self.sort == "newest" else ("name", self.language)
            ids = self.index.page_ids(bits, total, key, start, stop)
            # The index has put them in order: no ORDER BY (the model's name order took
            # 0.2 ms to compile, and PostgreSQL a sort).
            by_id = {offer.pk: offer for offer in offers.filter(pk__in=ids).order_by()}
            offers = [by_id[pk] for pk in ids if pk in by_id]
        providers = self.index.objects_by_pk("provider")
        cities = self.index.objects_by_pk("city")
        for offer in offers:
            # Read-only objects shared by the requests of this generation.
            if offer.provider_id in providers:
                Offer.provider.field.set_cached_value(offer, providers[offer.provider_id])
            if offer.city_id in cities:
                Offer.city.field.set_cached_value(offer, cities[offer.city_id])
            if self.near:
                offer.distance_km = self.distance_of(offer.pk)
                offer.distance_label = distance_label(offer.distance_km)
        self._attach_categories(offers)
        return offers

    def _attach_categories(self, offers):
        """Each offer's categories, as prefetch_related("categories") leaves them
        (offer.categories.all() runs no query): one query for the links, the categories
        themselves from the index. Prefetching built a related manager, a queryset and
        category objects with every translation for each offer, 4 ms of a page."""
        if not offers:
            return
        spec = FACETS_BY_NAME["category"]
        through, target = link_table(spec)
        links = through.objects.filter(offer_id__in=[offer.pk for offer in offers])
        chosen = {}
        for offer_id, value_id in links.values_list("offer_id", f"{target}_id"):
            chosen.setdefault(offer_id, []).append(value_id)
        categories = self.index.objects_by_pk(spec.name)
        if any(pk not in categories for pks in chosen.values() for pk in pks):
            prefetch_related_objects(offers, "categories")  # newer than the index
            return

        def order(pk):  # the model's order, as the prefetch's SQL had it
            category = categories[pk]
            return category.position, getattr(category, f"label_{self.language}", None) or ""

        shared = {}  # offers with the same categories share one (read-only) queryset
        every = spec.model._default_manager.all()
        for offer in offers:
            pks = tuple(sorted(chosen.get(offer.pk, ()), key=order))
            queryset = shared.get(pks)
            if queryset is None:
                # What a further filter on offer.categories would start from. Deferred as
                # the related manager defers its own: building the lookup took 0.15 ms per
                # queryset, and a result list only iterates. _defer_next_filter is Django's
                # private flag for that (Django 5.2); were it gone, the filter would only
                # be built at once again, with the same result.
                every._defer_next_filter = True
                queryset = every.filter(pk__in=pks)
                queryset._result_cache = [categories[pk] for pk in pks]
                queryset._prefetch_done = True
                shared[pks] = queryset
            offer.__dict__.setdefault("_prefetched_objects_cache", {})["categories"] = queryset

    # --- Near a place ------------------------------------------------------------------------

    @cached_property
    def venue_distances(self):
        """The distance in km of every venue of the index from the search's point."""
        return self.index.venue_distances(self.near.latitude, self.near.longitude)

    def distance_of(self, offer_id):
        """The distance in km of an offer's place from the search's point; None without a
        fixed place (or without ``near``)."""
        if not self.near:
            return None
        return self.index.distance_of(offer_id, self.venue_distances)

    @property
    def count(self):
        return self._counted()[3]

    def page_context(self, path):
        """What a page listing this search's results gives its template (offers/search.html
        and the pages extending it). ``path`` is the page's address: offer links carry it
        back, so that "back to the results" returns to exactly this list."""
        page = self.page()
        return {
            "search": self,
            "page_obj": page,
            "facets": self.facets(),
            "active_filters": self.active_filters(),
            "sorts": SORTS,
            "back": path + "?" + self.query_string(page=page.number),
        }

    # --- Counting ----------------------------------------------------------------------------

    def _selected_pks(self, spec):
        if spec.name in self.fixed:
            return [obj.pk for obj in self.fixed[spec.name]]
        values = self.values_of(spec)
        return [values[slug].pk for slug in self.selected[spec.name]]

    def _text_bits(self, terms):
        """The bitset of the offers whose text contains every one of ``terms``: one query."""
        index = self.index
        matches = (
            Offer.objects.published(index.today)
            .filter(self._text_condition(terms))
            .values_list("pk", flat=True)
            .order_by()
        )
        return index.text_bits(matches)

    def _count_all(self, base):
        """Every facet's selection as bitsets of the index, and the result of them and the
        text match ``base``: (base, conditions, result bits). No query."""
        index = self.index
        conditions = {
            spec.name: index.condition(spec, self._selected_pks(spec))
            for spec in FACETS
            if self.selected[spec.name]
        }
        if self.near:
            # No facet is called "near": every facet counts within the radius.
            conditions["near"] = index.near_bits(self.venue_distances, self.near.radius_km)
        return base, conditions, index.result(base, conditions)

    def _counted(self):
        """(base, conditions, result bits, total) of this search; decides whether the
        words are corrected (see _corrected)."""
        if not hasattr(self, "_matched"):
            base = self._text_bits(self.terms) if self.terms else self.index.all_bits
            if not base and self.terms and not self.exact_spelling:
                base = self._corrected() or base
            base, conditions, bits = self._count_all(base)
            self._matched = base, conditions, bits, bits.bit_count()
            self._value_counts = {}
        return self._matched

    def _corrected(self):
        """When no offer contains all the words: the text match of the search with each
        word that no offer contains replaced by its closest real word (offers/spelling.py),
        or 0 when a word has none or the corrected words find nothing either. Sets
        ``corrections`` and ``terms`` when it is used.

        At most three queries: which words no offer contains (only for two or more words:
        a single word is the search that found nothing), the candidate words (PostgreSQL;
        SQLite reads its word list once per generation), the corrected text match."""
        unmatched = self._unmatched_terms()
        if not unmatched or not all(spelling.correctable(term) for term in unmatched):
            return 0
        found = spelling.corrections(unmatched)
        if len(found) < len(unmatched):
            return 0
        corrected = list(dict.fromkeys(found.get(term, term) for term in self.terms))
        base = self._text_bits(corrected)
        if base:
            self.corrections, self.terms = found, corrected
        return base

    def _unmatched_terms(self):
        """The terms that no published offer contains, in one query."""
        if len(self.terms) == 1:
            return list(self.terms)
        published = Offer.objects.published(self.index.today).order_by()
        # One row per term that some offer contains (its number): one part per term, each
        # planned like a text match, on PostgreSQL's indexes (EXISTS or LIMIT 1 made it
        # scan every offer's text instead: 1.7 s at 10,000 offers).
        parts = [
            published.filter(self._term_condition(term))
            .annotate(term_number=Value(number, output_field=IntegerField()))
            .values_list("term_number", flat=True)
            .distinct()
            for number, term in enumerate(self.terms)
        ]
        matched = set(parts[0].union(*parts[1:], all=True))
        return [term for number, term in enumerate(self.terms) if number not in matched]

    @property
    def corrected_query(self):
        """The query as searched for after a correction (the typed words, each corrected
        one replaced), or "" when the words were not corrected."""
        self._counted()
        if not self.corrections:
            return ""
        words = []
        for word in self.query.split():
            folded = fold(word).split()
            if any(term in self.corrections for term in folded):
                word = " ".join(self.corrections.get(term, term) for term in folded)
            words.append(word)
        return " ".join(words)

    def value_counts(self, name):
        """{value id: number of offers} of the facet ``name``, the numbers the facet shows:
        for each value, how many offers the search finds with it as the facet's only value,
        every other filter kept (values of one facet combine with OR, facets with AND, and
        an offer naming no gender counts for every gender). Values that find none may be
        missing. From the index: no query."""
        base, conditions, _bits, _total = self._counted()
        if name not in self._value_counts:
            spec = FACETS_BY_NAME[name]
            self._value_counts[name] = self.index.facet_counts(spec, base, conditions)
        return self._value_counts[name]

    # --- Facets ------------------------------------------------------------------------------

    def facets(self):
        if hasattr(self, "_facets"):
            return self._facets
        facets = []
        for spec in FACETS:
            counts = self.value_counts(spec.name)
            if spec.model is Provider:
                # Sorted once per generation; only those with offers (or chosen) are shown.
                selected = set(self.selected[spec.name])
                objects = [
                    obj
                    for obj in self.index.sorted_by_name(spec.name)
                    if obj.pk in counts or obj.slug in selected
                ]
            else:
                objects = list(self.values_of(spec).values())
            if spec.model is City:
                objects.sort(key=lambda obj: fold(str(obj)))
            hidden = 0
            if spec.limit and len(objects) > spec.limit:
                # The most frequent values (in name order among equals) and every chosen
                # one, shown in name order; "show all" leads to the rest.
                chosen = set(self.selected[spec.name])
                top = sorted(objects, key=lambda obj: -counts.get(obj.pk, 0))[: spec.limit]
                keep = {obj.pk for obj in top} | {obj.pk for obj in objects if obj.slug in chosen}
                hidden = len(objects) - len(keep)
                objects = [obj for obj in objects if obj.pk in keep]
            values = []
            toggle = self._toggle_query(spec)
            for obj in objects:
                selected = obj.slug in self.selected[spec.name]
                count = counts.get(obj.pk, 0)
                if not (spec.show_zero or count or selected):
                    continue
                values.append(
                    FacetValue(
                        value=obj.slug,
                        label=str(obj),
                        count=count,
                        selected=selected,
                        query=toggle(obj.slug),
                        obj=obj,
                        label_field=spec.label_field,
                    )
                )
            facets.append(
                Facet(
                    spec.name,
                    str(spec.label),
                    values,
                    fixed=spec.name in self.fixed,
                    hidden=hidden,
                )
            )
        self._facets = facets
        return facets

    def active_filters(self):
        active = []
        for facet in self.facets():
            if facet.fixed:
                continue
            for value in facet.selected_values:
                active.append(ActiveFilter(facet.label, value.label, value.query))
        if self.near:
            label = gettext("%(place)s, %(radius)d km") % {
                "place": self.near.label,
                "radius": self.near.radius_km,
            }
            active.append(ActiveFilter(gettext("Near"), label, self.query_string(near=False)))
        return active

    # --- Addresses ---------------------------------------------------------------------------

    def _toggle_query(self, spec):
        """slug -> ``query_string(toggle=(spec.name, slug))``, for every value of a facet.
        A page lists 100 to 200 values: for a value not chosen, the parameters around it
        are encoded once per facet (around a placeholder, so that they stay exactly what
        query_string writes) and the value's own pair is put between them."""
        chosen = set(self.selected[spec.name])
        placeholder = urlencode([(spec.name, TOGGLE_PLACEHOLDER)])
        head, found, tail = self.query_string(toggle=(spec.name, TOGGLE_PLACEHOLDER)).partition(
            placeholder
        )
        prefix = quote_plus(spec.name) + "="

        def toggle(slug):
            if slug in chosen or not found:
                return self.query_string(toggle=(spec.name, slug))
            return head + prefix + quote_plus(slug) + tail

        return toggle

    def query_string(
        self, toggle=None, page=None, sort=None, include_fixed=False, near=True, exact=None
    ):
        """The parameters of this search as a query string, optionally with one facet value
        switched on or off, another page or sort order, or without its place (near=False),
        or with the correction of words switched off (exact=True). Facets fixed by the page
        (a city page's city) are part of the page's address and left out, unless the link
        leads to another page (include_fixed)."""
        pairs = []
        if self.query:
            pairs.append(("q", self.query))
            if self.exact_spelling if exact is None else exact:
                pairs.append(("spelling", EXACT_SPELLING))
        for spec in FACETS:
            if spec.name in self.fixed and not include_fixed:
                continue
            values = list(self.selected[spec.name])
            if toggle and toggle[0] == spec.name:
                if toggle[1] in values:
                    values.remove(toggle[1])
                else:
                    values.append(toggle[1])
            pairs.extend((spec.name, value) for value in values)
        near = self.near if near else None
        if near:
            pairs.append(("near", near.text))
            if near.radius_km != DEFAULT_RADIUS_KM:
                pairs.append(("radius", near.radius_km))
        sort = sort or self.sort
        default_sort = "relevance" if self.terms else "name"
        if near:
            default_sort = "distance"
        elif sort == "distance":
            sort = default_sort
        if sort != default_sort:
            pairs.append(("sort", sort))
        if page and page != 1:
            pairs.append(("page", page))
        return urlencode(pairs)

    @property
    def exact_query_string(self):
        """This search with the words as typed, not corrected ("search for ... instead")."""
        return self.query_string(exact=True)

    @property
    def portable_query_string(self):
        """This search's parameters for links to another page (list, map, JSON)."""
        return self.query_string(include_fixed=True)

    @property
    def radius_choices(self):
        """(km, value sent, selected) for the form's radius menu; the default is sent blank,
        so that the form's address is the same as a link's."""
        return [
            (radius, "" if radius == DEFAULT_RADIUS_KM else radius, radius == self.radius)
            for radius in RADII_KM
        ]

    @property
    def has_filters(self):
        return (
            bool(self.near)
            or bool(self.query)
            or any(self.selected[spec.name] for spec in FACETS if spec.name not in self.fixed)
        )
