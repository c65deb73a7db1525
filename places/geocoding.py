"""Turning an address into a point on the map with a Nominatim-compatible geocoder.

The geocoder is optional (``PORTAL_GEOCODER_URL``; empty switches it off) and is only ever
asked by the server, on behalf of staff: the browser never talks to it, so the Content
Security Policy stays ``connect-src 'self'`` and the geocoder never learns who asked.
Answers are cached, so that pressing the button twice, or saving the form after looking up
its address, asks once; Nominatim's usage policy also wants few requests and a User-Agent
that names the application.
"""

import hashlib
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .models import one_line_address

MAX_QUERY_LENGTH = 300
MAX_RESULTS = 5
MAX_ANSWER_BYTES = 256 * 1024
# Found places rarely move; failures are not cached, so a geocoder back up is used at once.
CACHE_SECONDS = 24 * 60 * 60


class GeocodingError(Exception):
    """The geocoder could not be asked or gave no usable answer; str() is for the editor."""


class InvalidQuery(GeocodingError):
    """There is nothing to look up: no street, or an address too long to be one."""


@dataclass(frozen=True)
class Place:
    latitude: Decimal
    longitude: Decimal
    label: str

    def as_json(self):
        # Strings, so no float rounding changes the six decimals the inputs keep.
        return {
            "latitude": str(self.latitude),
            "longitude": str(self.longitude),
            "label": self.label,
        }


def is_configured():
    return bool(settings.PORTAL_GEOCODER_URL)


def venue_query(street, postcode, city_name):
    """The address as one line for the geocoder ("Markt 1, 59423 Unna"); empty without a
    street, because a town alone would put the pin in the middle of the town."""
    if not (street or "").strip():
        return ""
    return one_line_address(street.strip(), (postcode or "").strip(), (city_name or "").strip())


def _coordinate(value, limit):
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() and abs(number) <= limit else None


def _parse(answer):
    try:
        data = json.loads(answer)
    except (ValueError, UnicodeDecodeError) as error:
        raise GeocodingError(_("The geocoder sent an answer that could not be read.")) from error
    if not isinstance(data, list):
        raise GeocodingError(_("The geocoder sent an answer that could not be read."))
    places = []
    for item in data[:MAX_RESULTS]:
        if not isinstance(item, dict):
            continue
        latitude = _coordinate(item.get("lat"), 90)
        longitude = _coordinate(item.get("lon"), 180)
        if latitude is None or longitude is None:
            continue
        places.append(Place(latitude, longitude, str(item.get("display_name") or "")[:300]))
    return places


def _ask(query):
    base = settings.PORTAL_GEOCODER_URL.rstrip("/")
    url = f"{base}/search?" + urllib.parse.urlencode(
        {"format": "jsonv2", "q": query, "limit": MAX_RESULTS}
    )
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": settings.PORTAL_GEOCODER_USER_AGENT,
            "Accept": "application/json",
            "Accept-Language": "de",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.PORTAL_GEOCODER_TIMEOUT) as response:
            return response.read(MAX_ANSWER_BYTES + 1)[:MAX_ANSWER_BYTES]
    except TimeoutError as error:
        raise GeocodingError(
            _(
                "The geocoder did not answer in time. Please try again later or place "
                "the pin on the map."
            )
        ) from error
    except urllib.error.HTTPError as error:
        raise GeocodingError(
            _(
                "The geocoder answered with an error (%(status)s). Please try again later "
                "or place the pin on the map."
            )
            % {"status": error.code}
        ) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        if isinstance(getattr(error, "reason", None), (TimeoutError, socket.timeout)):
            raise GeocodingError(
                _(
                    "The geocoder did not answer in time. Please try again later or place "
                    "the pin on the map."
                )
            ) from error
        raise GeocodingError(
            _("The geocoder cannot be reached. Please try again later or place the pin on the map.")
        ) from error


def geocode(query):
    """The places the geocoder finds for ``query``, best first (possibly none).

    Raises GeocodingError with a message for the editor when no geocoder is configured,
    the query is empty or too long, or the geocoder fails.
    """
    if not is_configured():
        raise GeocodingError(_("No geocoder is configured; please place the pin on the map."))
    query = " ".join((query or "").split())
    if not query:
        raise InvalidQuery(_("Please enter the street and number first."))
    if len(query) > MAX_QUERY_LENGTH or "\x00" in query:
        raise InvalidQuery(_("This address is too long to look up."))
    key = (
        "geocode:"
        + hashlib.sha256(f"{settings.PORTAL_GEOCODER_URL}\n{query.casefold()}".encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return [Place(Decimal(lat), Decimal(lon), label) for lat, lon, label in cached]
    places = _parse(_ask(query))
    cache.set(key, [(str(p.latitude), str(p.longitude), p.label) for p in places], CACHE_SECONDS)
    return places
