"""Staff place venues on the admin's map; the map writes plain latitude/longitude.

Map tiles are aborted by the browser conftest, so these tests also prove that the form
stays usable without a map background.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from places.models import Venue
from tests.factories import make_city, make_district, make_venue

MAP = "[data-coordinates-map]"
CANVAS = f"{MAP} .coordinates-map__canvas"
MARKER = f"{MAP} .leaflet-marker-icon"
REMOVE = f"{MAP} .coordinates-map__remove"


@pytest.fixture
def city(transactional_db):
    district = make_district("Kreis Recklinghausen", name="Kreis Recklinghausen")
    return make_city("Castrop-Rauxel", name="Castrop-Rauxel", district=district)


def choose_city(page, city):
    """Set the venue's city with whatever control the admin renders for it."""
    field = page.locator("#id_city")
    if "admin-autocomplete" in (field.get_attribute("class") or ""):
        page.locator("#id_city + .select2 .select2-selection").click()
        page.locator(".select2-container--open .select2-search__field").fill(city.name[:6])
        page.locator(".select2-results__option", has_text=city.name).click()
        expect(field).to_have_value(str(city.pk))
    elif field.evaluate("element => element.tagName") == "SELECT":
        field.select_option(str(city.pk))
    else:  # raw_id_fields
        field.fill(str(city.pk))


def map_call(page, expression, *args):
    """Evaluate ``expression`` (a function of the Leaflet map and ``args``) in the page."""
    return page.evaluate(
        f"([args]) => {{ const map = document.querySelector('{MAP}').coordinatesMap;"
        f" return ({expression})(map, ...args); }}",
        [list(args)],
    )


def expected_at(page, x, y):
    """The rounded latitude/longitude that the map shows at container point (x, y)."""
    return map_call(
        page,
        "(map, x, y) => { const p = map.containerPointToLatLng([x, y]).wrap();"
        " return [p.lat.toFixed(6), p.lng.toFixed(6)]; }",
        x,
        y,
    )


def expect_map(page):
    """The form shows the coordinates map, and the map has been set up."""
    assert page.locator(MAP).count() == 1, (
        f"no coordinates map on {page.url}: the ModelAdmin must use "
        "form = places.forms.MapCoordinatesForm (or a form based on it)"
    )
    expect(page.locator(CANVAS)).to_be_visible()
    assert map_call(page, "(map) => Boolean(map)"), "the map script did not set up the map"


def inputs(page):
    return page.input_value("#id_latitude"), page.input_value("#id_longitude")


def assert_within_view(page, latitude, longitude):
    south, west, north, east = map_call(
        page,
        "(map) => { const b = map.getBounds();"
        " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }",
    )
    assert south <= float(latitude) <= north
    assert west <= float(longitude) <= east


def marker_position(page):
    return map_call(
        page,
        "(map) => { let found = null; map.eachLayer((layer) => {"
        " if (layer.getLatLng && layer.dragging) { found = layer.getLatLng(); } });"
        " return found && [found.lat, found.lng]; }",
    )


def drag_marker(page, dx, dy):
    box = page.locator(MARKER).bounding_box()
    # Grab the pin's head, well above its tip.
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def fill_in_map_form(page, browser_log):
    """Place a pin by clicking and then move it by dragging; return the final inputs."""
    expect_map(page)
    canvas = page.locator(CANVAS)
    expect(canvas).to_have_attribute("role", "region")
    expect(canvas).to_have_attribute("aria-label", re.compile(r"\S"))
    expect(page.locator(f"{MAP} .coordinates-map__help")).to_be_visible()
    assert inputs(page) == ("", "")
    expect(page.locator(MARKER)).to_have_count(0)
    expect(page.locator(REMOVE)).to_be_disabled()

    # Nothing pinned yet: the map starts at the portal's centre.
    center = map_call(page, "(map) => [map.getCenter().lat, map.getCenter().lng]")
    # (within a pixel: Leaflet keeps the view on whole pixels)
    assert center == pytest.approx(list(settings.PORTAL_MAP_CENTER), abs=2e-3)

    box = canvas.bounding_box()
    x, y = box["width"] / 2 + 80, box["height"] / 2 - 40
    canvas.click(position={"x": x, "y": y})
    latitude, longitude = inputs(page)
    assert re.fullmatch(r"-?\d+\.\d{6}", latitude), latitude
    assert re.fullmatch(r"-?\d+\.\d{6}", longitude), longitude
    # Where the map puts that point, give or take the pixel that browsers round clicks to.
    expected, next_pixel = expected_at(page, x, y), expected_at(page, x + 1, y + 1)
    for value, at_point, at_next_pixel in zip(
        (latitude, longitude), expected, next_pixel, strict=True
    ):
        tolerance = abs(float(at_next_pixel) - float(at_point)) + 1e-6
        assert float(value) == pytest.approx(float(at_point), abs=tolerance)
    assert_within_view(page, latitude, longitude)
    assert latitude != f"{settings.PORTAL_MAP_CENTER[0]:.6f}"
    expect(page.locator(MARKER)).to_have_count(1)
    expect(page.locator(REMOVE)).to_be_enabled()

    # Dragging moves the pin and the inputs: right is east, down is south.
    drag_marker(page, 60, 50)
    moved_latitude, moved_longitude = inputs(page)
    assert Decimal(moved_latitude) < Decimal(latitude)
    assert Decimal(moved_longitude) > Decimal(longitude)
    assert_within_view(page, moved_latitude, moved_longitude)
    assert marker_position(page) == pytest.approx(
        [float(moved_latitude), float(moved_longitude)], abs=1e-6
    )

    # Tiles cannot load here; the map says so and everything above still worked.
    if browser_log.aborted_requests:
        expect(page.locator(f"{MAP} .coordinates-map__notice")).to_be_visible()
    return moved_latitude, moved_longitude


def test_staff_place_a_new_venue_on_the_map(admin_page, live_server, city, browser_log):
    page = admin_page
    page.goto(f"{live_server.url}/admin/places/venue/add/")
    page.fill("#id_name", "Stadtteilzentrum Habinghorst")
    choose_city(page, city)

    latitude, longitude = fill_in_map_form(page, browser_log)

    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/places/venue/")
    venue = Venue.objects.get(name="Stadtteilzentrum Habinghorst")
    assert venue.city == city
    assert (venue.latitude, venue.longitude) == (Decimal(latitude), Decimal(longitude))
    browser_log.assert_clean()


def test_change_form_shows_the_pin_follows_typing_and_removes_it(
    admin_page, live_server, city, browser_log
):
    venue = make_venue(
        city, "Bürgerhaus", latitude=Decimal("51.567890"), longitude=Decimal("7.312345")
    )
    page = admin_page
    page.goto(f"{live_server.url}/admin/places/venue/{venue.pk}/change/")
    expect_map(page)

    expect(page.locator(MARKER)).to_have_count(1)
    assert inputs(page) == ("51.567890", "7.312345")
    center = map_call(page, "(map) => [map.getCenter().lat, map.getCenter().lng]")
    assert center == pytest.approx([51.56789, 7.312345], abs=1e-4)
    assert marker_position(page) == pytest.approx([51.56789, 7.312345], abs=1e-6)

    # Keyboard users type the coordinates; the pin follows.
    page.fill("#id_latitude", "51.570000")
    page.fill("#id_longitude", "7.320000")
    assert marker_position(page) == pytest.approx([51.57, 7.32], abs=1e-6)

    page.locator(REMOVE).click()
    assert inputs(page) == ("", "")
    expect(page.locator(MARKER)).to_have_count(0)
    expect(page.locator(REMOVE)).to_be_disabled()
    # The inputs stay usable after the map has been cleared.
    expect(page.locator("#id_latitude")).to_be_editable()

    # The focus moved to the map; there Enter pins the map's centre.
    expect(page.locator(CANVAS)).to_be_focused()
    page.keyboard.press("Enter")
    center = map_call(page, "(map) => [map.getCenter().lat, map.getCenter().lng]")
    assert [float(value) for value in inputs(page)] == pytest.approx(center, abs=1e-6)
    expect(page.locator(MARKER)).to_have_count(1)
    page.locator(REMOVE).click()
    assert inputs(page) == ("", "")

    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/places/venue/")
    venue.refresh_from_db()
    assert (venue.latitude, venue.longitude) == (None, None)
    browser_log.assert_clean()


def test_venue_added_in_the_offer_forms_popup_gets_its_pin(
    admin_page, live_server, city, browser_log
):
    page = admin_page
    page.goto(f"{live_server.url}/admin/offers/offer/add/")
    with page.expect_popup() as popup_info:
        page.click("#add_id_venue")
    popup = popup_info.value
    popup.wait_for_load_state()
    assert "_popup=1" in popup.url

    popup.fill("#id_name", "Jugendzentrum Ickern")
    choose_city(popup, city)
    latitude, longitude = fill_in_map_form(popup, browser_log)
    with popup.expect_event("close"):
        popup.click("input[name=_save]")

    venue = Venue.objects.get(name="Jugendzentrum Ickern")
    assert (venue.latitude, venue.longitude) == (Decimal(latitude), Decimal(longitude))
    expect(page.locator("#id_venue")).to_have_value(str(venue.pk))
    browser_log.assert_clean()


def map_centre(page):
    return map_call(page, "(map) => [map.getCenter().lat, map.getCenter().lng]")


def test_the_map_starts_at_the_city_and_the_address_places_the_pin(
    admin_page, live_server, city, browser_log, settings
):
    """Issue 15, item 13: the map goes to the chosen city (the middle of its venues, or its
    stored centre), and "find the address on the map" asks the (fake) geocoder through the
    admin and pins what it found."""
    from django.core.cache import cache

    from tests.fake_geocoder import FakeGeocoder

    make_venue(city, "Rathaus", latitude=Decimal("51.560000"), longitude=Decimal("7.310000"))
    make_venue(city, "Bahnhof", latitude=Decimal("51.540000"), longitude=Decimal("7.330000"))
    herten = make_city(
        "Herten",
        name="Herten",
        district=city.district,
        latitude=Decimal("51.595000"),
        longitude=Decimal("7.141000"),
    )
    cache.clear()
    address = "Lange Straße 5, 44581 Castrop-Rauxel"
    with FakeGeocoder({address: (51.552345, 7.318765)}) as geocoder:
        settings.PORTAL_GEOCODER_URL = geocoder.url
        page = admin_page
        page.goto(f"{live_server.url}/admin/places/venue/add/")
        expect_map(page)
        page.fill("#id_name", "Stadtteilbüro Ickern")

        choose_city(page, city)
        assert map_centre(page) == pytest.approx([51.55, 7.32], abs=2e-3)
        choose_city(page, herten)
        assert map_centre(page) == pytest.approx([51.595, 7.141], abs=2e-3)
        choose_city(page, city)
        assert map_centre(page) == pytest.approx([51.55, 7.32], abs=2e-3)
        expect(page.locator(MARKER)).to_have_count(0)

        page.fill("#id_street", "Lange Straße 5")
        page.fill("#id_postcode", "44581")
        # (The browser asks for English; the German label is checked in test_geocoding.)
        button = page.get_by_role("button", name="Find the address on the map")
        button.click()
        expect(page.locator(MARKER)).to_have_count(1)
        expect(page.locator(f"{MAP} .coordinates-map__geocode-status")).to_contain_text(address)
        assert inputs(page) == ("51.552345", "7.318765")
        assert marker_position(page) == pytest.approx([51.552345, 7.318765], abs=1e-6)
        assert geocoder.requests[0][1]["q"] == [address]

        # An address the geocoder does not know: a message, and the pin stays.
        page.fill("#id_street", "Nirgendwo 1")
        button.click()
        expect(page.locator(f"{MAP} .coordinates-map__geocode-status")).to_contain_text(
            "Nirgendwo 1"
        )
        assert inputs(page) == ("51.552345", "7.318765")

        page.fill("#id_street", "Lange Straße 5")
        page.click("input[name=_save]")
        page.wait_for_url(f"{live_server.url}/admin/places/venue/")
    venue = Venue.objects.get(name="Stadtteilbüro Ickern")
    assert (venue.latitude, venue.longitude) == (Decimal("51.552345"), Decimal("7.318765"))
    browser_log.assert_clean()
