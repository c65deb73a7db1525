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
* sorts (relevance when there is a query, name, newest) and paginates.

Every list runs a fixed number of queries, whatever the number of results: the counts of
every facet and the number of results come from one query (see _count_all).

Text matching works on Offer.search_text, folded in Python (content.text.fold),
so "übung" finds "Übung" and "strasse" finds "Straße" on SQLite and PostgreSQL alike. Each
word must occur in the text (substring, so "kurs" finds "Deutschkurs"). PostgreSQL adds
German stemming ("kurse" finds "Kurs"), ranking, and a typo-tolerant trigram fallback when
nothing matches ("badmington" finds "Badminton").
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf, StrIndex
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.params import MAX_VALUE_LENGTH, clean_value, read_page
from content.text import fold
from places.models import City
from providers.models import Provider
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage

from .models import Offer

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_VALUES_PER_FACET = 40
SORTS = {
    "relevance": _("relevance"),
    "name": _("name"),
    "newest": _("newest first"),
}


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


FACETS = [
    FacetSpec("city", _("City"), City, "city", label_field="name"),
    FacetSpec("category", _("Category"), Category, "categories", many=True),
    FacetSpec("language", _("Language of the offer"), OfferLanguage, "languages", many=True),
    FacetSpec("gender", _("Gender"), Gender, "genders", many=True, empty_matches_all=True),
    FacetSpec("migration", _("Migration background"), MigrationBackground, "migration_background"),
    FacetSpec("age", _("Age group"), AgeGroup, "age_groups", many=True),
    FacetSpec("provider", _("Provider"), Provider, "provider", show_zero=False, label_field=None),
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

    @property
    def selected_values(self):
        return [value for value in self.values if value.selected]


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


class GermanTextRank(Func):
    template = "ts_rank(to_tsvector('german'::regconfig, %(expressions)s))"
    arg_joiner = "), plainto_tsquery('german'::regconfig, "
    output_field = FloatField()


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
        self.terms = self._terms(self.query)
        self._values = {}  # facet name -> {slug: object}, one query per facet
        self.selected = {spec.name: self._read_facet(spec) for spec in FACETS}
        self.sort = self._read_sort()
        self.fuzzy = False  # set when the trigram fallback supplied the results

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
        """All values of a facet, {slug: object}; providers only as far as needed."""
        if spec.name not in self._values:
            queryset = spec.model.objects.all()
            if spec.model is Provider:
                queryset = queryset.none()  # filled by _read_facet / facets()
            self._values[spec.name] = {obj.slug: obj for obj in queryset}
        return self._values[spec.name]

    def _read_facet(self, spec):
        if spec.name in self.fixed:
            objects = self.fixed[spec.name]
            if spec.model is Provider:
                self._values[spec.name] = {obj.slug: obj for obj in objects}
            return [obj.slug for obj in objects]
        raw = [clean_value(value) for value in self.params.getlist(spec.name)]
        raw = [value for value in dict.fromkeys(raw) if value]
        if not raw:
            return []  # its values are read only when needed: the city list needs only counts
        if len(raw) > MAX_VALUES_PER_FACET:
            raw = raw[:MAX_VALUES_PER_FACET]
            self.notes.append(
                gettext("Only the first %(count)d values of “%(facet)s” were used.")
                % {"count": MAX_VALUES_PER_FACET, "facet": spec.label}
            )
        if spec.model is Provider:
            wanted = [value for value in raw if len(value) <= MAX_VALUE_LENGTH]
            known = {p.slug: p for p in Provider.objects.filter(slug__in=wanted)} if wanted else {}
            self._values[spec.name] = known
        else:
            known = self.values_of(spec)
        unknown = [value for value in raw if value not in known]
        for value in unknown:
            self.notes.append(
                gettext("“%(value)s” is not a known value of “%(facet)s” and was ignored.")
                % {"value": value[:MAX_VALUE_LENGTH], "facet": spec.label}
            )
        return [value for value in raw if value in known]

    def _read_sort(self):
        sort = clean_value(self.params.get("sort", ""))
        default = "relevance" if self.terms else "name"
        if not sort:
            return default
        if sort not in SORTS or (sort == "relevance" and not self.terms):
            if sort not in SORTS:
                self.notes.append(gettext("The sort order you asked for is unknown."))
            return default
        return sort

    # --- Building the query ----------------------------------------------------------------

    def _facet_condition(self, spec, slugs):
        ids = [self.values_of(spec)[slug].pk for slug in slugs]
        if not spec.many:
            return Q(**{f"{spec.lookup}_id__in": ids})
        through, target = link_table(spec)
        condition = Q(
            Exists(through.objects.filter(offer=OuterRef("pk"), **{f"{target}__in": ids}))
        )
        if spec.empty_matches_all:
            condition |= ~Q(Exists(through.objects.filter(offer=OuterRef("pk"))))
        return condition

    def _text_condition(self, fuzzy=False):
        condition = Q()
        for term in self.terms:
            if fuzzy:
                # search_text %> term: some stretch of the text is similar to the term.
                term_condition = Q(TrigramWordSimilar(F("search_text"), Value(term)))
            else:
                term_condition = Q(search_text__contains=term)
                if connection.vendor == "postgresql":
                    term_condition |= Q(GermanTextMatch(F("search_text"), Value(term)))
            condition &= term_condition
        return condition

    def _filtered(self, fuzzy=False):
        """Published offers matching the text and every selected facet."""
        queryset = Offer.objects.published().filter(self._text_condition(fuzzy))
        for spec in FACETS:
            if self.selected[spec.name]:
                queryset = queryset.filter(self._facet_condition(spec, self.selected[spec.name]))
        return queryset

    def _ordered(self, queryset):
        name = Lower(Coalesce(NullIf(f"name_{self.language}", Value("")), "name_de"))
        if self.sort == "newest":
            return queryset.order_by("-created", "-pk")
        if self.sort == "relevance":
            # Names come first in search_text: an early hit is a hit in the name.
            position = sum((StrIndex("search_text", Value(term)) for term in self.terms), Value(0))
            order = [position.asc(), name, "pk"]
            if connection.vendor == "postgresql" and not self.fuzzy:
                rank = GermanTextRank(F("search_text"), Value(" ".join(self.terms)))
                order.insert(0, rank.desc())
            return queryset.order_by(*order)
        return queryset.order_by(name, "pk")

    # --- Results -----------------------------------------------------------------------------

    def queryset(self):
        """All matching offers in order (for the map, a provider's page); not paginated."""
        if not hasattr(self, "_queryset"):
            if self.terms:
                self._counted()  # decides whether the fuzzy fallback is in use
            self._queryset = self._ordered(self._filtered(fuzzy=self.fuzzy))
        return self._queryset

    def page(self):
        """The requested page of results, with what a result list shows."""
        if not hasattr(self, "_page"):
            queryset = (
                self.queryset().select_related("provider", "city").prefetch_related("categories")
            )
            paginator = CountedPaginator(queryset, PAGE_SIZE, count=self._counted()[1])
            self._page = read_page(paginator, self.params, self.notes)
        return self._page

    @property
    def count(self):
        return self.page().paginator.count

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

    def _count_all(self, fuzzy=False):
        """Every facet's counts and the number of results, in one query.

        Disjunctive counts need, for every facet, the offers matching all *other* facets.
        Counting each facet with its own query evaluated the text condition (the expensive
        part) once per facet; here a common table expression finds the offers matching the
        text once, with one flag per selected facet, and every facet counts its values over
        it, asking only the other facets' flags. Returns ({facet name: {value id: count}},
        total).
        """
        qn = connection.ops.quote_name
        flags = {
            f"match_{spec.name}": ExpressionWrapper(
                self._facet_condition(spec, self.selected[spec.name]),
                output_field=BooleanField(),
            )
            for spec in FACETS
            if self.selected[spec.name]
        }
        columns = [f"{spec.lookup}_id" for spec in FACETS if not spec.many]
        matches = (
            Offer.objects.published()
            .filter(self._text_condition(fuzzy))
            .annotate(**flags)
            .values("pk", *columns, *flags)
            .order_by()
        )
        matches_sql, params = matches.query.sql_with_params()

        def where(leave_out=None, extra=()):
            conditions = [
                qn(f"match_{spec.name}")
                for spec in FACETS
                if spec.name != leave_out and self.selected[spec.name]
            ]
            conditions = [*extra, *conditions]
            return " AND ".join(f"({condition})" for condition in conditions) or "1 = 1"

        parts = [f"SELECT '', NULL, COUNT(*) FROM matches WHERE {where()}"]
        for spec in FACETS:
            if not spec.many:
                column = qn(f"{spec.lookup}_id")
                parts.append(
                    f"SELECT '{spec.name}', {column}, COUNT(*) FROM matches "
                    f"WHERE {where(spec.name)} GROUP BY {column}"
                )
                continue
            through, target = link_table(spec)
            table = qn(through._meta.db_table)
            offer_column = qn(through._meta.get_field("offer").column)
            value_column = qn(through._meta.get_field(target).column)
            parts.append(
                f"SELECT '{spec.name}', link.{value_column}, COUNT(*) FROM matches "
                f"JOIN {table} link ON link.{offer_column} = matches.{qn('pk')} "
                f"WHERE {where(spec.name)} GROUP BY link.{value_column}"
            )
            if spec.empty_matches_all:
                # Offers naming no value are open to all: they count for every value.
                no_value = (
                    f"NOT EXISTS (SELECT 1 FROM {table} link "
                    f"WHERE link.{offer_column} = matches.{qn('pk')})"
                )
                parts.append(
                    f"SELECT '{spec.name}', NULL, COUNT(*) FROM matches "
                    f"WHERE {where(spec.name, extra=[no_value])}"
                )
        sql = f"WITH matches AS ({matches_sql}) " + " UNION ALL ".join(parts)

        counts = {spec.name: {} for spec in FACETS}
        open_to_all = {}
        total = 0
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, count in cursor.fetchall():
                if name == "":
                    total = count
                elif value is None:
                    open_to_all[name] = count
                else:
                    counts[name][value] = count
        for name, extra in open_to_all.items():
            spec = FACETS_BY_NAME[name]
            counts[name] = {
                obj.pk: counts[name].get(obj.pk, 0) + extra for obj in self.values_of(spec).values()
            }
        return counts, total

    def _counted(self):
        """Counts and total of this search; decides whether the trigram fallback is used."""
        if not hasattr(self, "_counts_and_total"):
            counts, total = self._count_all()
            if not total and self.terms and connection.vendor == "postgresql":
                self.fuzzy = True
                counts, total = self._count_all(fuzzy=True)
            self._counts_and_total = counts, total
        return self._counts_and_total

    def value_counts(self, name):
        """{value id: number of offers} of the facet ``name``, the numbers the facet shows:
        for each value, how many offers the search finds with it as the facet's only value,
        every other filter kept. Values that find none may be missing. One query, shared
        with the facets and the number of results."""
        return self._counted()[0][name]

    # --- Facets ------------------------------------------------------------------------------

    def facets(self):
        if hasattr(self, "_facets"):
            return self._facets
        all_counts, _total = self._counted()
        facets = []
        for spec in FACETS:
            counts = all_counts[spec.name]
            if spec.model is Provider:
                wanted = set(counts) | {p.pk for p in self.values_of(spec).values()}
                self._values[spec.name] = {
                    provider.slug: provider for provider in Provider.objects.filter(pk__in=wanted)
                }
            objects = list(self.values_of(spec).values())
            if spec.model in (City, Provider):
                objects.sort(key=lambda obj: fold(str(obj)))
            values = []
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
                        query=self.query_string(toggle=(spec.name, obj.slug)),
                        obj=obj,
                        label_field=spec.label_field,
                    )
                )
            facets.append(Facet(spec.name, str(spec.label), values, fixed=spec.name in self.fixed))
        self._facets = facets
        return facets

    def active_filters(self):
        active = []
        for facet in self.facets():
            if facet.fixed:
                continue
            for value in facet.selected_values:
                active.append(ActiveFilter(facet.label, value.label, value.query))
        return active

    # --- Addresses ---------------------------------------------------------------------------

    def query_string(self, toggle=None, page=None, sort=None, include_fixed=False):
        """The parameters of this search as a query string, optionally with one facet value
        switched on or off, another page or sort order. Facets fixed by the page (a city
        page's city) are part of the page's address and left out, unless the link leads to
        another page (include_fixed)."""
        pairs = []
        if self.query:
            pairs.append(("q", self.query))
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
        sort = sort or self.sort
        default_sort = "relevance" if self.terms else "name"
        if sort != default_sort:
            pairs.append(("sort", sort))
        if page and page != 1:
            pairs.append(("page", page))
        return urlencode(pairs)

    @property
    def portable_query_string(self):
        """This search's parameters for links to another page (list, map, JSON)."""
        return self.query_string(include_fixed=True)

    @property
    def has_filters(self):
        return bool(self.query) or any(
            self.selected[spec.name] for spec in FACETS if spec.name not in self.fixed
        )
