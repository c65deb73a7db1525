"""Placing a venue from its address (issue 15, item 13): the admin's lookup view, which asks
a Nominatim-compatible geocoder on the server's side, and the pin filled in on save.

The geocoder is a fake on 127.0.0.1 (tests/fake_geocoder.py); no test reaches elsewhere.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from places.models import City, Venue
from tests.factories import make_city, make_venue
from tests.fake_geocoder import FakeGeocoder

pytestmark = pytest.mark.django_db

GEOCODE = "admin:places_venue_geocode"
ADDRESS = "Markt 1, 59423 Unna"


@pytest.fixture(autouse=True)
def _no_cached_answers():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def geocoder(settings):
    with FakeGeocoder({ADDRESS: (51.537245, 7.689312)}) as fake:
        settings.PORTAL_GEOCODER_URL = fake.url
        settings.PORTAL_GEOCODER_TIMEOUT = 0.5
        yield fake


@pytest.fixture
def unna():
    return make_city("Unna")


def lookup(client, **params):
    return client.get(reverse(GEOCODE), params)


def test_the_lookup_finds_the_address_through_the_geocoder(staff_client, geocoder, unna):
    response = lookup(staff_client, street=" Markt 1 ", postcode="59423", city=unna.pk)
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == ADDRESS
    assert data["places"][0]["latitude"] == "51.537245"
    assert data["places"][0]["longitude"] == "7.689312"
    assert data["places"][0]["label"].startswith(ADDRESS)
    path, params, headers = geocoder.requests[0]
    assert path == "/search"
    assert params["format"] == ["jsonv2"]
    assert params["q"] == [ADDRESS]
    assert "Integrationsportal" in headers["User-Agent"]

    # Asked once: the second press of the button is answered from the cache.
    assert lookup(staff_client, street="Markt 1", postcode="59423", city=unna.pk).json() == data
    assert len(geocoder.requests) == 1


def test_the_lookup_is_for_staff_who_edit_venues(client, geocoder, unna, django_user_model):
    anonymous = lookup(client, street="Markt 1", city=unna.pk)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))

    # Staff without the right to add or change venues.
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    assert lookup(client, street="Markt 1", city=unna.pk).status_code == 403

    # Not staff at all: the admin sends them to its login.
    User.objects.filter(pk=viewer.pk).update(is_staff=False)
    assert lookup(client, street="Markt 1", city=unna.pk)["Location"].startswith(
        reverse("admin:login")
    )
    assert geocoder.requests == []


@pytest.mark.parametrize(
    "params",
    [{}, {"street": "   "}, {"postcode": "59423", "city": "1"}, {"street": "x" * 400}],
    ids=["nothing", "spaces", "no street", "too long"],
)
def test_nothing_to_look_up_is_a_message_not_a_request(staff_client, geocoder, params):
    response = lookup(staff_client, **params)
    assert response.status_code == 400
    assert response.json()["error"]
    assert geocoder.requests == []


@pytest.mark.parametrize("city", ["abc", "9" * 30, "²", "-1"])
def test_a_broken_city_id_is_ignored(staff_client, geocoder, city):
    response = lookup(staff_client, street="Markt 1", city=city)
    assert response.json()["places"] == []  # "Markt 1" alone is not in the fake's map
    assert geocoder.requests[0][1]["q"] == ["Markt 1"]


def test_an_unknown_address_says_so_in_the_editors_language(staff_client, geocoder, unna):
    response = staff_client.get(
        reverse(GEOCODE), {"street": "Nirgendwo 9", "city": unna.pk}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 200
    assert response.json()["places"] == []
    assert "Nirgendwo 9, Unna" in response.json()["error"]
    assert "Karte" in response.json()["error"]


@pytest.mark.parametrize("failure", ["down", "error", "slow", "garbage"])
def test_a_failing_geocoder_gives_a_clear_message_never_a_500(
    staff_client, geocoder, unna, failure
):
    if failure == "down":
        geocoder.stop()  # nobody listens on that port any more
    elif failure == "error":
        geocoder.status = 503
    elif failure == "slow":
        geocoder.delay = 2  # the timeout is 0.5 s here
    else:
        geocoder.body = b"<html>Bad gateway</html>"
    response = staff_client.get(
        reverse(GEOCODE), {"street": "Markt 1", "city": unna.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 502
    message = response.json()["error"]
    assert message
    if failure == "slow":
        assert "in time" in message
    # A failure is not cached: once the geocoder works again, the address is found.
    if failure != "down":
        geocoder.status, geocoder.delay, geocoder.body = 200, 0, None
        response = lookup(staff_client, street="Markt 1", postcode="59423", city=unna.pk)
        assert response.status_code == 200


def test_without_a_geocoder_the_lookup_says_so(staff_client, settings, unna):
    settings.PORTAL_GEOCODER_URL = ""
    response = lookup(staff_client, street="Markt 1", city=unna.pk)
    assert response.status_code == 503
    assert response.json()["error"]


def test_the_form_offers_the_button_only_with_a_geocoder(staff_client, settings, unna):
    add = reverse("admin:places_venue_add")
    settings.PORTAL_GEOCODER_URL = ""
    assert "coordinates-map__geocode" not in staff_client.get(add).content.decode()
    settings.PORTAL_GEOCODER_URL = "http://127.0.0.1:9"
    page = staff_client.get(add, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Adresse auf der Karte suchen" in page
    assert reverse(GEOCODE) in page


def test_the_map_knows_where_each_city_is(unna):
    """A stored centre wins; otherwise the middle of the city's pinned venues."""
    kamen = make_city("Kamen", district=unna.district)
    make_city("Holzwickede", district=unna.district)  # neither: left out
    City.objects.filter(pk=unna.pk).update(latitude=Decimal("51.5"), longitude=Decimal("7.7"))
    make_venue(unna, "Far away", latitude=Decimal("50"), longitude=Decimal("8"))
    make_venue(kamen, "A", latitude=Decimal("51.6"), longitude=Decimal("7.6"))
    make_venue(kamen, "B", latitude=Decimal("51.5"), longitude=Decimal("7.7"))
    make_venue(kamen, "Unpinned")
    centres = City.objects.map_centres()
    assert centres[unna.pk] == pytest.approx((51.5, 7.7))
    assert centres[kamen.pk] == pytest.approx((51.55, 7.65))
    assert len(centres) == 2


def venue_data(city, **fields):
    return {
        "name": "Bürgerhaus Mitte",
        "street": "Markt 1",
        "postcode": "59423",
        "city": city.pk,
        "quarter": "",
        "latitude": "",
        "longitude": "",
        **fields,
    }


def test_saving_an_address_without_a_pin_places_it(staff_client, geocoder, unna):
    response = staff_client.post(
        reverse("admin:places_venue_add"), venue_data(unna), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="Bürgerhaus Mitte")
    assert (venue.latitude, venue.longitude) == (Decimal("51.537245"), Decimal("7.689312"))
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("placed from its address" in text and "check it" in text for text in texts)


def test_a_typed_pin_is_kept_and_a_failing_geocoder_still_saves(staff_client, geocoder, unna):
    data = venue_data(unna, latitude="51.600000", longitude="7.600000")
    assert staff_client.post(reverse("admin:places_venue_add"), data).status_code == 302
    venue = Venue.objects.get()
    assert (venue.latitude, venue.longitude) == (Decimal("51.6"), Decimal("7.6"))
    assert geocoder.requests == []

    geocoder.status = 500
    response = staff_client.post(
        reverse("admin:places_venue_add"),
        venue_data(unna, name="Jugendtreff", street="Weg 2"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert not Venue.objects.get(name="Jugendtreff").has_coordinates
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("no pin on the map yet" in text for text in texts)


def test_a_pin_removed_on_purpose_stays_removed(staff_client, geocoder, unna):
    venue = make_venue(
        unna,
        "Bürgerhaus Mitte",
        street="Markt 1",
        postcode="59423",
        latitude=Decimal("51.6"),
        longitude=Decimal("7.6"),
    )
    response = staff_client.post(
        reverse("admin:places_venue_change", args=[venue.pk]), venue_data(unna)
    )
    assert response.status_code == 302
    venue.refresh_from_db()
    assert not venue.has_coordinates
    assert geocoder.requests == []
