"""The in-memory facet index of the offer search: per worker process, per content generation.

Counting facets with SQL aggregates re-reads every matching row on every request and grows
linearly with the data. Here each process keeps, for the offers the public may see today,

* one *position* per offer: its rank in the German name order (the default sort), so
  that the unfiltered, name-sorted list is simply the set bits in ascending order;
* per facet value a bitset of the positions of the offers having it (and, for a facet whose
  empty value matches everything, the bitset of the offers naming no value);
* per facet with one value per offer (city, provider, migration background) the value of
  each position, for counting over small result sets;
* the vocabularies and providers themselves, read once per generation instead of per
  request;
* the venues' positions on the map (latitude and longitude arrays), the bitset of each
  venue's offers and the bitset of offers without a fixed place, for searches near a
  place (``near``): distances are computed per venue, in Python, a few hundred
  haversines rather than one per offer;
* lazily, further sort orders (the name in another language, newest first) as the list of
  positions in that order and the rank of each position.

A search then turns its text match (still SQL: PostgreSQL's full-text and trigram indexes
do that well; only the ids come back) and its selected values into bitsets, and every
disjunctive count is an AND plus a popcount.

Why Python ints as bitsets: bit i of an int is position i; ``a & b`` and ``int.bit_count()``
run in C over 30-bit digits, about 2 µs each at 100,000 offers, which is all the counting
needs — without a compiled dependency (numpy, pyroaring) in the deployment.

Validity: the index is keyed by ``content.generation.current()`` *and* today's date,
because an offer's ``valid_from``/``valid_until`` make it appear or disappear at midnight
without any change to the content. It is rebuilt lazily by the first request that finds the
key changed; requests already holding the old index keep using it until they finish, and a
lock makes a second thread wait for the build rather than build it twice (gunicorn's sync
workers have one thread, the development server several). It is not a result cache:
PORTAL_CACHE=off does not switch it off, it never serves data of an older generation.
"""

import heapq
import re
import threading
from array import array
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from content import generation
from content.text import fold
from places.centres import distance_km

from .models import Offer

# The bit positions set in each byte value, for turning a bitset into positions.
_BYTE_BITS = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))
_NONZERO_RUNS = re.compile(rb"[^\x00]+")


def bits_from_positions(positions, size):
    """A bitset (int) with the given positions set; via a bytearray, since OR-ing single bits
    into an int would copy the whole int for every bit."""
    buffer = bytearray((size + 7) // 8)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def positions_of(bits):
    """The set positions of a bitset, in ascending order (a generator)."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    byte_bits = _BYTE_BITS
    for run in _NONZERO_RUNS.finditer(data):
        start = run.start()
        for offset, byte in enumerate(run.group(), start):
            base = offset << 3
            for bit in byte_bits[byte]:
                yield base + bit


def name_order(language):
    """The SQL order of the name sort, exactly as the search has always sorted: the name in
    the language, German where it is empty, case-insensitive, then the id."""
    return [Lower(Coalesce(NullIf(f"name_{language}", Value("")), "name_de")), "pk"]


@dataclass
class SortOrder:
    positions: array  # the positions in this order
    rank: array  # position -> its rank in this order


@dataclass
class FacetIndex:
    key: tuple
    today: object
    ids: list  # position -> offer id
    position: dict  # offer id -> position
    all_bits: int
    bits: dict  # facet name -> {value id: bitset}
    none_bits: dict  # facet name -> bitset of offers naming no value (empty_matches_all)
    value_at: dict  # single-valued facet name -> array(position -> value id, 0 for none)
    models: dict  # facet name -> the model of its values
    # The venues with coordinates that published offers take place at, by venue index:
    venue_latitude: array = field(default_factory=lambda: array("d"))
    venue_longitude: array = field(default_factory=lambda: array("d"))
    venue_bits: list = field(default_factory=list)  # venue index -> bitset of its offers
    venue_at: array = field(default_factory=lambda: array("l"))  # position -> index, -1
    placeless_bits: int = 0  # offers without coordinates: online, mobile, district-wide
    _values: dict = field(default_factory=dict)  # facet name -> {slug: object}, read lazily
    _orders: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self):
        return len(self.ids)

    # --- Vocabularies: read once per generation, when first needed -------------------------

    def values(self, name):
        """{slug: object} of a facet's values, in the model's order. The objects are shared
        by every request of this generation: read them, never change them."""
        values = self._values.get(name)
        if values is None:
            with self._lock:
                values = self._values.get(name)
                if values is None:
                    objects = self.models[name].objects.all()
                    values = self._values[name] = {obj.slug: obj for obj in objects}
        return values

    def objects_by_pk(self, name):
        key = ("by-pk", name)
        objects = self._values.get(key)
        if objects is None:
            objects = {obj.pk: obj for obj in self.values(name).values()}
            self._values[key] = objects
        return objects

    def sorted_by_name(self, name):
        """A facet's values sorted by their folded name (providers: not translated)."""
        key = ("by-name", name)
        objects = self._values.get(key)
        if objects is None:
            objects = sorted(self.values(name).values(), key=lambda obj: fold(str(obj)))
            self._values[key] = objects
        return objects

    # --- Turning a search into bitsets --------------------------------------------------------

    def text_bits(self, matches):
        """The bitset of the offers a ``values_list("pk", flat=True)`` queryset selects. Its
        rows are read from the cursor: a common word matches thousands of offers, and
        iterating the queryset costs a few layers of Python (Django's and
        modeltranslation's) per row, more than a millisecond at 1,500 matches."""
        try:
            sql, params = matches.query.sql_with_params()
        except EmptyResultSet:  # a condition that can match nothing
            return 0
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        position = self.position
        return bits_from_positions((position[pk] for (pk,) in rows if pk in position), self.size)

    def condition(self, spec, value_pks):
        """The offers matching any of the values (OR within a facet)."""
        bits = 0
        facet_bits = self.bits[spec.name]
        for pk in value_pks:
            bits |= facet_bits.get(pk, 0)
        if spec.empty_matches_all:
            bits |= self.none_bits[spec.name]
        return bits

    @staticmethod
    def result(base, conditions):
        """The offers matching ``base`` and every facet's condition (AND across facets)."""
        for bits in conditions.values():
            base &= bits
        return base

    def facet_counts(self, spec, base, conditions):
        """{value id: count} of one facet, with the semantics of the SQL counts it replaces:
        its values are counted over ``base`` and every *other* facet's condition; a facet
        whose empty value matches all lists every value, the others only values found."""
        others = self.result(base, {k: v for k, v in conditions.items() if k != spec.name})
        return self._facet_counts(spec, others)

    def _facet_counts(self, spec, others):
        facet_bits = self.bits[spec.name]
        if spec.empty_matches_all:
            open_to_all = (others & self.none_bits[spec.name]).bit_count()
            return {
                pk: (others & facet_bits.get(pk, 0)).bit_count() + open_to_all
                for pk in self.objects_by_pk(spec.name)
            }
        found = others.bit_count()
        value_at = self.value_at.get(spec.name)
        if value_at is not None and found < 4 * len(facet_bits):
            # Few offers, many values (providers): count the offers' values instead of
            # ANDing every value's bitset.
            counts = {}
            for position in positions_of(others):
                pk = value_at[position]
                if pk:
                    counts[pk] = counts.get(pk, 0) + 1
            return counts
        counts = {}
        for pk, bits in facet_bits.items():
            count = (others & bits).bit_count()
            if count:
                counts[pk] = count
        return counts

    # --- Near a place --------------------------------------------------------------------------

    def venue_distances(self, latitude, longitude):
        """The distance in km of every venue (by venue index) from a point."""
        return [
            distance_km(latitude, longitude, lat, lon)
            for lat, lon in zip(self.venue_latitude, self.venue_longitude, strict=True)
        ]

    def near_bits(self, distances, radius_km):
        """The offers within ``radius_km`` (by their venues' ``distances``) and every offer
        without a fixed place, which a radius never drops."""
        bits = self.placeless_bits
        venue_bits = self.venue_bits
        for index, distance in enumerate(distances):
            if distance <= radius_km:
                bits |= venue_bits[index]
        return bits

    def nearest_positions(self, bits, distances):
        """The positions of ``bits`` nearest first (equally near ones in name order), then
        those without a fixed place in name order (a generator)."""
        venue_bits = self.venue_bits
        for index in sorted(range(len(distances)), key=distances.__getitem__):
            found = bits & venue_bits[index]
            if found:
                yield from positions_of(found)
        yield from positions_of(bits & self.placeless_bits)

    def nearest_page_ids(self, bits, distances, start, stop):
        ids = self.ids
        return [ids[p] for p in islice(self.nearest_positions(bits, distances), start, stop)]

    def distance_of(self, offer_id, distances):
        """The distance in km of an offer's venue, None for an offer without a fixed place."""
        position = self.position.get(offer_id)
        if position is None:
            return None
        index = self.venue_at[position]
        return distances[index] if index >= 0 else None

    # --- Pages ---------------------------------------------------------------------------------

    def sort_order(self, key):
        """A SortOrder for ``("name", language)`` or ``("newest",)``, built on first use
        (one query) and kept with the index. None for the German name order: positions are
        that order already."""
        if key == ("name", "de"):
            return None
        order = self._orders.get(key)
        if order is None:
            with self._lock:
                order = self._orders.get(key)
                if order is None:
                    order = self._orders[key] = self._build_order(key)
        return order

    def _build_order(self, key):
        ordering = ["-created", "-pk"] if key[0] == "newest" else name_order(key[1])
        ids = Offer.objects.published(self.today).order_by(*ordering).values_list("pk", flat=True)
        position = self.position
        positions = array("l", (position[pk] for pk in ids if pk in position))
        if len(positions) != self.size:  # an offer changed since the build: keep all of them
            seen = set(positions)
            positions.extend(p for p in range(self.size) if p not in seen)
        rank = array("l", [0]) * self.size
        for index, pos in enumerate(positions):
            rank[pos] = index
        return SortOrder(positions, rank)

    def page_ids(self, bits, count, order_key, start, stop):
        """The ids of the results ranked start..stop-1 in the given order."""
        order = self.sort_order(order_key)
        ids = self.ids
        if order is None:
            return [ids[p] for p in islice(positions_of(bits), start, stop)]
        if not count or start >= count:
            return []
        wanted = min(stop, count)
        # Walking the order and testing membership costs about wanted * size / count steps;
        # collecting all results and picking the first ones, about count steps.
        if wanted * self.size <= count * count:
            data = bits.to_bytes((self.size + 7) // 8, "little")
            found = []
            for pos in order.positions:
                if data[pos >> 3] >> (pos & 7) & 1:
                    found.append(pos)
                    if len(found) == wanted:
                        break
        else:
            found = heapq.nsmallest(wanted, positions_of(bits), key=order.rank.__getitem__)
        return [ids[p] for p in found[start:stop]]

    def all_ids(self, bits):
        ids = self.ids
        return [ids[p] for p in positions_of(bits)]


def _build(key, today, facets):
    from .search import link_table

    qn = connection.ops.quote_name
    single = [spec for spec in facets if not spec.many]
    columns = [f"{spec.lookup}_id" for spec in single]
    # The venue's coordinates in the same query (a LEFT JOIN: offers without a venue stay).
    place = ["venue_id", "venue__latitude", "venue__longitude"]
    rows = list(
        Offer.objects.published(today)
        .order_by(*name_order("de"))
        .values_list("pk", *columns, *place)
    )
    ids = [row[0] for row in rows]
    position = {pk: index for index, pk in enumerate(ids)}
    size = len(ids)

    bits, none_bits, value_at = {}, {}, {}
    for column, spec in enumerate(single, start=1):
        grouped = {}
        at = array("l", [0]) * size
        for index, row in enumerate(rows):
            pk = row[column]
            if pk is not None:
                grouped.setdefault(pk, []).append(index)
                at[index] = pk
        bits[spec.name] = {pk: bits_from_positions(p, size) for pk, p in grouped.items()}
        value_at[spec.name] = at
    venues = _venues(rows, size)
    # Every many-to-many facet's links in one query.
    many = [spec for spec in facets if spec.many]
    parts = []
    for number, spec in enumerate(many):
        through, target = link_table(spec)
        table = qn(through._meta.db_table)
        offer_column = qn(through._meta.get_field("offer").column)
        value_column = qn(through._meta.get_field(target).column)
        parts.append(f"SELECT {number}, {offer_column}, {value_column} FROM {table}")
    grouped = [{} for _spec in many]
    named = [set() for _spec in many]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        for number, offer_id, value_id in cursor.fetchall():
            index = position.get(offer_id)
            if index is not None:
                grouped[number].setdefault(value_id, []).append(index)
                named[number].add(index)
    for number, spec in enumerate(many):
        bits[spec.name] = {pk: bits_from_positions(p, size) for pk, p in grouped[number].items()}
        if spec.empty_matches_all:
            none_bits[spec.name] = bits_from_positions(
                (index for index in range(size) if index not in named[number]), size
            )

    return FacetIndex(
        key=key,
        today=today,
        ids=ids,
        position=position,
        all_bits=(1 << size) - 1,
        bits=bits,
        none_bits=none_bits,
        value_at=value_at,
        models={spec.name: spec.model for spec in facets},
        **venues,
    )


def _venues(rows, size):
    """The index's venue arrays from the build query's rows (venue id, latitude and
    longitude last)."""
    index_of, latitude, longitude, positions = {}, array("d"), array("d"), []
    venue_at = array("l", [-1]) * size
    placeless = []
    for position, row in enumerate(rows):
        venue_id, lat, lon = row[-3:]
        if lat is None or lon is None:
            placeless.append(position)
            continue
        index = index_of.get(venue_id)
        if index is None:
            index = index_of[venue_id] = len(positions)
            latitude.append(float(lat))
            longitude.append(float(lon))
            positions.append([])
        positions[index].append(position)
        venue_at[position] = index
    return {
        "venue_latitude": latitude,
        "venue_longitude": longitude,
        "venue_bits": [bits_from_positions(p, size) for p in positions],
        "venue_at": venue_at,
        "placeless_bits": bits_from_positions(placeless, size),
    }


def _build_current(key):
    from .search import FACETS

    _generation, today = key
    return _build(key, today, FACETS)


# The day, as the validity dates count it (looked up at each call: tests move the clock).
_kept = generation.KeptPerGeneration(_build_current, also=lambda: timezone.localdate())


def current_index():
    """The index of the current generation and day, built if needed."""
    return _kept.get()


def clear():
    """Forget the index (tests that change data without a new generation)."""
    _kept.clear()
