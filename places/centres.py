"""Where a place is: the centres of the postcodes, Stadtteile (quarters) and cities the
portal knows, computed from its own venues, never from an outside geocoder (no request
leaves the server, and a resident's "near Habinghorst" means what our data calls
Habinghorst).

* a postcode's centre is the mean position of the venues with that postcode;
* a quarter's, the mean position of the venues in it (per city: "Mitte" is a part of
  several towns);
* a city's, its own stored coordinates where set, else the mean position of its venues
  (as CityQuerySet.map_centres, which the maps start from).

``known_places()`` reads them once per content generation (two queries) and keeps them in
the process, as the offer search keeps its facet index: a search near a place then costs no
query. ``distance_km`` is the great-circle distance the search sorts and filters by, in
Python, so that SQLite and PostgreSQL answer alike.
"""

import math
import re
from dataclasses import dataclass, field

from django.conf import settings

from content import generation
from content.text import fold

from .models import City, Venue

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
POSTCODE = re.compile(r"^(\d{5})\b\s*(.*)$")
# Separators people put between a quarter and its town: "Unna-Mitte", "Mitte, Unna",
# "Mitte (Unna)", "Unna / Mitte".
SEPARATORS = re.compile(r"[\s,;/()\-–]+")


def distance_km(latitude, longitude, other_latitude, other_longitude):
    """The great-circle distance in km between two points (haversine formula)."""
    phi1, phi2 = math.radians(latitude), math.radians(other_latitude)
    d_phi = phi2 - phi1
    d_lambda = math.radians(other_longitude - longitude)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def place_key(text):
    """A place name as looked up: folded (case, umlauts, accents) and with any run of
    separators as one space, so "Castrop-Rauxel" and "castrop rauxel" are the same."""
    return " ".join(SEPARATORS.split(fold(text))).strip()


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float
    name: str  # as the place is written in our data ("59423", "Habinghorst, Castrop-Rauxel")
    kind: str  # "postcode", "quarter" or "city"
    town: str = ""  # a quarter's city


@dataclass(frozen=True)
class Lookup:
    """What a place name was found as: a centre, several places of that name (a quarter
    name of several towns), or nothing."""

    centre: Centre | None = None
    towns: tuple = ()  # the towns that have a quarter of this name, when ambiguous


def _mean(points):
    return (
        sum(point[0] for point in points) / len(points),
        sum(point[1] for point in points) / len(points),
    )


@dataclass
class KnownPlaces:
    key: str
    postcodes: dict = field(default_factory=dict)  # "59423" -> Centre
    names: dict = field(default_factory=dict)  # place_key -> [Centre, ...]
    venues: list = field(default_factory=list)  # (venue id, latitude, longitude)

    def venues_within(self, latitude, longitude, radius_km):
        """The ids of the venues at most ``radius_km`` from a point."""
        return [
            pk
            for pk, lat, lon in self.venues
            if distance_km(latitude, longitude, lat, lon) <= radius_km
        ]

    def postcode_centre(self, postcode):
        return self.postcodes.get(postcode)

    def find(self, text):
        """The place ``text`` names: a five-digit postcode (a town may follow: "59423
        Unna"), a city, a quarter, or a quarter with its city ("Mitte, Unna")."""
        text = " ".join(text.split())
        match = POSTCODE.match(text)
        if match:
            centre = self.postcodes.get(match[1])
            if centre is not None:
                return Lookup(centre)
            if not match[2]:
                return Lookup()
            text = match[2]  # an unknown postcode before a town: the town
        found = self.names.get(place_key(text), [])
        cities = [centre for centre in found if centre.kind == "city"]
        if cities:  # a city is meant before a quarter of the same name elsewhere
            found = cities
        if len(found) == 1:
            return Lookup(found[0])
        return Lookup(towns=tuple(sorted({centre.town for centre in found})))


def _build(key):
    venues = list(
        Venue.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("pk", "city_id", "postcode", "quarter", "latitude", "longitude")
    )
    name_fields = [f"name_{code}" for code, _label in settings.LANGUAGES]
    cities = list(
        City.objects.order_by().values_list("pk", "latitude", "longitude", "name", *name_fields)
    )
    places = KnownPlaces(key)
    by_postcode, by_quarter, by_city = {}, {}, {}
    for pk, city_id, postcode, quarter, latitude, longitude in venues:
        point = (float(latitude), float(longitude))
        places.venues.append((pk, *point))
        if postcode:
            by_postcode.setdefault(postcode, []).append(point)
        if quarter.strip():
            by_quarter.setdefault((city_id, quarter.strip()), []).append(point)
        by_city.setdefault(city_id, []).append(point)

    for postcode, points in by_postcode.items():
        places.postcodes[postcode] = Centre(*_mean(points), postcode, "postcode")
    names = places.names
    city_names = {}
    for pk, latitude, longitude, name, *translations in cities:
        city_names[pk] = (name, translations)
        if latitude is not None and longitude is not None:
            point = (float(latitude), float(longitude))
        elif pk in by_city:
            point = _mean(by_city[pk])
        else:
            continue  # a city nobody placed on the map yet
        centre = Centre(*point, name, "city")
        for variant in {place_key(text) for text in (name, *translations) if text}:
            names.setdefault(variant, []).append(centre)
    for (city_id, quarter), points in by_quarter.items():
        city, translations = city_names.get(city_id, ("", []))
        name = f"{quarter}, {city}" if city else quarter
        centre = Centre(*_mean(points), name, "quarter", town=city)
        quarter_key = place_key(quarter)
        variants = {quarter_key}
        for city_name in {place_key(text) for text in (city, *translations) if text}:
            variants |= {f"{quarter_key} {city_name}", f"{city_name} {quarter_key}"}
        for variant in variants:
            names.setdefault(variant, []).append(centre)
    return places


_kept = generation.KeptPerGeneration(_build)


def known_places():
    """The centres of the current content generation, read if needed (two queries)."""
    return _kept.get()


def clear():
    """Forget the centres (tests that change data without a new generation)."""
    _kept.clear()
