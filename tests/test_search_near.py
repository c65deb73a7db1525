"""Offers near a place (issue 16): ``near`` (the browser's "lat,lon", or a town, Stadtteil or
postcode, placed by the mean position of our own venues) and ``radius`` (km) on the search
page, search.json, map.geojson, and ``proximity`` in the HSDS API.

The expected figures are computed here from plain ORM queries and a haversine of the
test's own, never by the search engine.
"""

import math
import re
from html import unescape
from statistics import mean

import pytest
from django.core.management import call_command
from django.db.models.functions import Lower

from offers.models import Offer
from places.models import City, Venue
from tests.pages import count_queries
from tests.search_counts import FACETS, expected_count
from tests.test_hsds_api import all_pages, assert_valid
from tests.test_hsds_api import get as api_get
from tests.test_search_index import query_count

pytestmark = pytest.mark.django_db

SEARCH = "/de/offers/"
JSON = "/de/offers/search.json"
GEOJSON = "/de/offers/map.geojson"
UNNA_KREISHAUS = (51.5395, 7.6933)


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def offers_near(point, radius_km, offers=None):
    """({slug: km} of the published offers within the radius, [slugs without a place])."""
    offers = Offer.objects.published() if offers is None else offers
    within, placeless = {}, []
    rows = offers.values_list("slug", "venue__latitude", "venue__longitude").distinct()
    for slug, latitude, longitude in rows:
        if latitude is None:
            placeless.append(slug)
        else:
            distance = haversine_km(point, (float(latitude), float(longitude)))
            if distance <= radius_km:
                within[slug] = distance
    return within, placeless


def results(client, query, language="de"):
    """Every result of a search as (slug, distance_km), over all pages, and the last page."""
    found, page = [], 1
    while True:
        data = client.get(f"/{language}/offers/search.json?{query}&page={page}").json()
        found += [(result["slug"], result["distance_km"]) for result in data["results"]]
        if page >= data["pages"]:
            return found, data
        page += 1


@pytest.fixture
def placeless(demo_data):
    """Two offers without a fixed place, in Castrop-Rauxel, far from Unna (an online
    course, a mobile counselling)."""
    offers = list(Offer.objects.published().filter(city__slug="castrop-rauxel")[:2])
    for offer in offers:
        offer.venue = None
        offer.save()
    return sorted(offer.slug for offer in offers)


def name_order(slugs):
    """The slugs in the search's name order (German, case-insensitive), by the ORM."""
    return list(
        Offer.objects.filter(slug__in=slugs)
        .order_by(Lower("name_de"), "pk")
        .values_list("slug", flat=True)
    )


# --- Sorting and distances -------------------------------------------------------------------


def test_near_a_position_sorts_by_distance_and_shows_it(client, placeless):
    found, data = results(client, f"near={UNNA_KREISHAUS[0]},{UNNA_KREISHAUS[1]}")
    within, without_place = offers_near(UNNA_KREISHAUS, 10)
    assert data["near"]["radius_km"] == 10  # the default
    nearby = [(slug, km) for slug, km in found if km is not None]
    assert {slug for slug, _km in nearby} == set(within)
    for slug, km in nearby:
        assert km == pytest.approx(within[slug], abs=0.01)
    distances = [km for _slug, km in nearby]
    assert distances == sorted(distances)
    assert distances[0] < 0.05  # the Kreishaus itself
    # The offers without a fixed place come last, in name order, never dropped.
    assert [slug for slug, km in found[len(nearby) :]] == name_order(without_place)
    assert sorted(without_place) == placeless

    html = client.get(f"/en/offers/?near={UNNA_KREISHAUS[0]},{UNNA_KREISHAUS[1]}").content.decode()
    shown = re.findall(r'<span class="distance[^"]*">([^<]+)</span>', html)
    assert shown[:3] == [f"{max(km, 0.1):.1f} km" for _slug, km in found[:3]]
    assert '<option value="" selected>nearest first</option>' in html  # the default
    assert '<option value="name">name</option>' in html


def test_distances_are_written_in_the_page_language(client, demo_data):
    html = client.get("/de/offers/?near=Habinghorst").content.decode()
    assert re.search(r'<span class="distance">\d+,\d km</span>', html)


def test_the_offer_list_without_near_shows_no_distance(client, demo_data):
    html = client.get(SEARCH).content.decode()
    assert 'class="distance' not in html
    assert "distance_km" not in client.get(JSON).json()["results"][0]
    assert ">nearest first<" not in client.get("/en/offers/").content.decode()


@pytest.mark.parametrize(
    ("near", "points"),
    [
        ("59423", lambda: Venue.objects.filter(postcode="59423")),
        ("Habinghorst", lambda: Venue.objects.filter(quarter="Habinghorst")),
        ("Königsborn", lambda: Venue.objects.filter(quarter="Königsborn")),
        ("Mitte, Unna", lambda: Venue.objects.filter(quarter="Mitte", city__slug="unna")),
        ("Unna-Mitte", lambda: Venue.objects.filter(quarter="Mitte", city__slug="unna")),
        ("59423 Unna", lambda: Venue.objects.filter(postcode="59423")),
    ],
)
def test_near_a_postcode_or_stadtteil_starts_from_its_venues_mean(client, demo_data, near, points):
    venues = list(points().exclude(latitude=None).values_list("latitude", "longitude"))
    assert venues
    centre = (mean(float(v[0]) for v in venues), mean(float(v[1]) for v in venues))
    found, data = results(client, f"near={near}&radius=5")
    assert data["notes"] == []
    assert (data["near"]["latitude"], data["near"]["longitude"]) == pytest.approx(centre)
    within, without_place = offers_near(centre, 5)
    assert {slug for slug, km in found if km is not None} == set(within)
    assert data["count"] == len(within) + len(without_place)


@pytest.mark.parametrize("near", ["Unna", "unna", "UNNA", "Castrop-Rauxel", "castrop rauxel"])
def test_near_a_city_starts_from_its_own_centre(client, demo_data, near):
    city = City.objects.get(name_de__iexact=near.replace(" ", "-"))
    data = client.get(JSON, {"near": near, "radius": 2}).json()
    assert data["near"]["place"] == city.name
    assert data["near"]["latitude"] == pytest.approx(float(city.latitude))
    within, _without_place = offers_near((float(city.latitude), float(city.longitude)), 2)
    assert data["count"] == len(within)


def test_a_city_without_coordinates_starts_from_its_venues(client, demo_data):
    city = City.objects.get(slug="unna")
    city.latitude = city.longitude = None
    city.save()
    venues = Venue.objects.filter(city=city).values_list("latitude", "longitude")
    centre = (mean(float(v[0]) for v in venues), mean(float(v[1]) for v in venues))
    data = client.get(JSON, {"near": "Unna"}).json()
    assert (data["near"]["latitude"], data["near"]["longitude"]) == pytest.approx(centre)


# --- The radius --------------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [1, 2, 5, 10, 25])
def test_the_radius_drops_far_offers_and_keeps_those_without_a_place(client, placeless, radius):
    city = City.objects.get(slug="unna")
    centre = (float(city.latitude), float(city.longitude))
    found, _data = results(client, f"near=Unna&radius={radius}")
    within, _without_place = offers_near(centre, radius)
    slugs = [slug for slug, _km in found]
    assert set(slugs) == set(within) | set(placeless)
    assert slugs[-len(placeless) :] == name_order(placeless)
    assert [km for _slug, km in found[-len(placeless) :]] == [None] * len(placeless)
    # Offers at a place outside the radius are gone (Castrop-Rauxel is 27 km away).
    far = Offer.objects.published().filter(city__slug="castrop-rauxel", venue__isnull=False)
    assert far.exists()
    assert not set(far.values_list("slug", flat=True)) & set(slugs)


def test_an_offer_without_a_place_says_so(client, placeless):
    _found, data = results(client, "near=Unna&radius=1", language="en")
    last_page = data["pages"]
    html = client.get(f"/en/offers/?near=Unna&radius=1&page={last_page}").content.decode()
    assert html.count('<span class="distance distance--none">No fixed place</span>') == 2


def test_the_forms_defaults_are_blank_so_a_place_typed_in_sorts_by_distance(client, demo_data):
    html = client.get("/en/offers/").content.decode()
    assert '<option value="" selected>name</option>' in html
    assert '<option value="" selected>10 km</option>' in html
    # What the form sends when a place is typed in and nothing else is changed.
    by_form, _data = results(client, "q=&near=Unna&radius=&sort=")
    by_link, _data = results(client, "near=Unna")
    assert by_form == by_link
    distances = [km for _slug, km in by_link if km is not None]
    assert distances == sorted(distances)


def test_a_chosen_sort_order_keeps_the_radius_and_the_distances(client, placeless):
    by_distance, _data = results(client, "near=Unna&radius=2")
    by_name, _data = results(client, "near=Unna&radius=2&sort=name")
    assert set(by_name) == set(by_distance)
    assert [slug for slug, _km in by_name] == name_order([slug for slug, _km in by_distance])


def test_a_place_is_an_active_filter_that_can_be_removed(client, demo_data):
    html = client.get("/en/offers/?near=Unna&radius=5&category=beratung").content.decode()
    chips = re.findall(r'<a href="\?([^"#]*)#results-heading" class="chip">([^<]*)', html)
    near_chip = next(chip for chip in chips if chip[1].startswith("Near: Unna, 5 km"))
    assert unescape(near_chip[0]) == "category=beratung"
    category_chip = next(chip for chip in chips if not chip[1].startswith("Near"))
    assert "near=Unna" in unescape(category_chip[0]) and "radius=5" in unescape(category_chip[0])


# --- Counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("near", "radius", "selection"),
    [
        ("Unna", 5, {}),
        ("Unna", 2, {"category": ["beratung", "sport"]}),
        ("51.6148,7.5245", 10, {"language": ["german"], "gender": ["female"]}),
        ("Habinghorst", 25, {"city": ["castrop-rauxel", "unna"], "age": ["adults"]}),
    ],
)
def test_facet_counts_near_a_place_are_exact(client, placeless, near, radius, selection):
    data = client.get(JSON, {"near": near, "radius": radius}).json()
    centre = (data["near"]["latitude"], data["near"]["longitude"])
    within, without_place = offers_near(centre, radius)
    near_ids = set(
        Offer.objects.filter(slug__in=[*within, *without_place]).values_list("pk", flat=True)
    )
    params = [("near", near), ("radius", radius)]
    params += [(name, slug) for name, slugs in selection.items() for slug in slugs]
    data = client.get(JSON, params).json()
    assert data["count"] == expected_count(selection, near_ids)
    for name, (model, *_rest) in FACETS.items():
        shown = {value["value"]: value["count"] for value in data["facets"][name]}
        slugs = shown if name == "provider" else model.objects.values_list("slug", flat=True)
        for slug in slugs:
            expected = expected_count(selection, near_ids, leave_out=name, extra=(name, [slug]))
            assert shown.get(slug, 0) == expected, (near, selection, name, slug)


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("near=91,7", "is no position on the map"),
        ("near=51.5,181", "is no position on the map"),
        ("near=-90.5,7", "is no position on the map"),
        ("near=1e999,5", "is no position on the map"),
        ("near=" + "9" * 400 + ",7", "is no position on the map"),
        ("near=nan,nan", "We don't know the place"),
        ("near=1,2,3", "is no position on the map"),
        ("near=,", "is no position on the map"),
        ("near=Atlantis", "We don't know the place"),
        ("near=12345", "We don't know the place"),
        ("near=" + "x" * 5000, "We don't know the place"),
        ("near=Mitte", "Several towns have a part called “Mitte”"),
        ("near=Unna&radius=3", "There is no radius “3”"),
        ("near=Unna&radius=0", "There is no radius “0”"),
        ("near=Unna&radius=-5", "There is no radius “-5”"),
        ("near=Unna&radius=" + "9" * 400, "There is no radius"),
        ("near=Unna&radius=abc", "There is no radius “abc”"),
        ("near=Unna&radius=1e3", "There is no radius “1e3”"),
    ],
)
def test_bad_places_and_radii_answer_with_a_note_not_an_error(client, demo_data, query, note):
    for url in ("/en/offers/", "/en/offers/map/", "/en/cities/unna/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)
        assert note in unescape(response.content.decode()), (url, query)
    assert client.get(f"/en/embed/offers/?{query}").status_code == 200  # a widget: no notes
    data = client.get(f"/en/offers/search.json?{query}").json()
    assert any(note in text for text in data["notes"])
    assert client.get(f"/en/offers/map.geojson?{query}").status_code == 200
    # The search goes on: everywhere for a place we do not know, 10 km for a bad radius.
    if "radius" in query:
        assert data["near"]["radius_km"] == 10
    else:
        assert "near" not in data
        assert data["count"] == Offer.objects.published().count()
    # In the visitor's language.
    german = client.get(f"{JSON}?{query}").json()["notes"]
    assert german and german != data["notes"]


def test_an_unknown_place_keeps_its_text_in_the_field_for_correction(client, demo_data):
    html = client.get("/en/offers/?near=Atlantis").content.decode()
    field = re.search(r'<input type="text" id="search-near"[^>]*>', html)[0]
    assert 'value="Atlantis"' in field
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="search-notes"' in field
    assert 'id="search-notes"' in html


def test_a_nul_in_near_or_radius_answers_400(client, demo_data):
    for query in ("near=Unna%00", "radius=5%00", "near=51.5%00,7.6"):
        assert client.get(f"{SEARCH}?{query}").status_code == 400


# --- JSON and GeoJSON ------------------------------------------------------------------------


def test_json_and_geojson_carry_the_distance(client, placeless):
    data = client.get(JSON, {"near": "Unna", "radius": 2}).json()
    assert set(data["near"]) == {"place", "latitude", "longitude", "radius_km"}
    assert all(set(result) >= {"slug", "distance_km"} for result in data["results"])
    geojson = client.get(GEOJSON, {"near": "Unna", "radius": 2}).json()
    city = City.objects.get(slug="unna")
    within, _without_place = offers_near((float(city.latitude), float(city.longitude)), 2)
    assert {f["properties"]["url"].split("/")[-2] for f in geojson["features"]} == set(within)
    for feature in geojson["features"]:
        slug = feature["properties"]["url"].split("/")[-2]
        assert feature["properties"]["distance_km"] == pytest.approx(within[slug], abs=0.01)
        assert feature["properties"]["distance"].endswith(" km")
    assert "distance" not in client.get(GEOJSON).json()["features"][0]["properties"]


def test_html_json_and_geojson_agree_near_a_place(client, placeless):
    query = "near=Unna&radius=5&category=beratung"
    data = client.get(f"{JSON}?{query}").json()
    html = client.get(f"{SEARCH}?{query}").content.decode()
    links = re.findall(r'<h3><a href="/de/offers/([^/]+)/', html)
    assert links == [result["slug"] for result in data["results"]]
    assert f">{data['count']} Angebote<" in html
    geojson = client.get(f"{GEOJSON}?{query}").json()
    with_place = [r for r in results(client, query)[0] if r[1] is not None]
    assert len(geojson["features"]) == len(with_place)


# --- Queries -----------------------------------------------------------------------------------


NEAR_URLS = [
    f"{SEARCH}?near=Unna&radius=5",
    f"{SEARCH}?near=51.5395,7.6933&q=deutsch&category=sprachkurs-sprachfoerderung",
    f"{JSON}?near=59423",
    f"{GEOJSON}?near=Habinghorst&radius=25",
    "/de/offers/map/?near=Unna",
]


def test_near_searches_run_a_fixed_number_of_queries(client, demo_data, page_cache_off):
    before = {url: count_queries(client, url) for url in NEAR_URLS}
    call_command("generate_offers", count=300, seed=3, verbosity=0)
    after = {url: count_queries(client, url) for url in NEAR_URLS}
    assert after == before


@pytest.mark.parametrize(
    ("url", "plain"),
    [
        (f"{SEARCH}?near=Unna&radius=5", SEARCH),
        (f"{JSON}?near=59423", JSON),
        (f"{GEOJSON}?near=Habinghorst", GEOJSON),
    ],
)
def test_a_near_search_costs_no_more_queries_than_a_plain_one(
    client, demo_data, page_cache_off, url, plain
):
    client.get(url)  # builds the index and the place centres of this generation
    client.get(plain)
    assert query_count(client, url) <= query_count(client, plain)


# --- HSDS: proximity -------------------------------------------------------------------------


def test_hsds_proximity_finds_the_places_around_a_postcodes_centre(client, demo_data):
    venues = Venue.objects.filter(postcode="59423").values_list("latitude", "longitude")
    centre = (mean(float(v[0]) for v in venues), mean(float(v[1]) for v in venues))
    for metres in (500, 2000, 15000):
        within, _without_place = offers_near(centre, metres / 1000)
        expected = set(
            Offer.objects.filter(slug__in=within).values_list("uuid", flat=True).distinct()
        )
        found = all_pages(client, f"/service_at_locations?postcode=59423&proximity={metres}")
        assert {item["service_id"] for item in found} == {str(u) for u in expected}
        for item in found:
            assert_valid(item, "service_at_location.json")
    # 15 km reach beyond the postcode; 500 m do not reach all of it.
    wider = all_pages(client, "/service_at_locations?postcode=59423&proximity=15000")
    assert {i["location"]["addresses"][0]["postal_code"] for i in wider} > {"59423"}
    page = api_get(client, "/service_at_locations?postcode=59423&proximity=2000&per_page=1")
    assert page["total_items"] == len(
        all_pages(client, "/service_at_locations?postcode=59423&proximity=2000")
    )


@pytest.mark.parametrize(
    "query",
    [
        "proximity=1000",  # no postcode to measure from
        "postcode=59423&proximity=abc",
        "postcode=59423&proximity=0",
        "postcode=59423&proximity=-5",
        "postcode=59423&proximity=1e400",
        "postcode=59423&proximity=nan",
        "postcode=59423&proximity=100001",
        "postcode=5942&proximity=1000",
    ],
)
def test_hsds_bad_proximity_answers_400(client, demo_data, query):
    data = api_get(client, f"/service_at_locations?{query}", status=400)
    assert data["error"] == "invalid_parameter"
    assert data["errors"]


def test_hsds_nothing_is_near_a_postcode_none_of_our_places_has(client, demo_data):
    """A well-formed postcode we have no place with has no centre: an empty list, as for
    ``postcode`` alone (not an error: the request is valid by the API's description)."""
    for query in ("postcode=00000", "postcode=00000&proximity=100000"):
        page = api_get(client, f"/service_at_locations?{query}")
        assert (page["total_items"], page["contents"]) == (0, [])


def test_hsds_proximity_is_described_and_services_do_not_take_it(client, demo_data):
    document = api_get(client, "/openapi.json")
    references = [
        p["$ref"] for p in document["paths"]["/service_at_locations"]["get"]["parameters"]
    ]
    assert "#/components/parameters/proximity" in references
    assert document["components"]["parameters"]["proximity"]["schema"]["type"] == "number"
    assert api_get(client, "/services?proximity=1000", status=400)["error"] == ("unknown_parameter")


def test_a_venue_not_yet_on_the_map_is_kept_with_its_distance_unknown(client, demo_data):
    offer = Offer.objects.published().filter(city__slug="castrop-rauxel").first()
    venue = offer.venue
    venue.latitude = venue.longitude = None
    venue.save()
    found, data = results(client, "near=Unna&radius=1", language="en")
    assert (offer.slug, None) in found
    html = client.get(f"/en/offers/?near=Unna&radius=1&page={data['pages']}").content.decode()
    assert '<span class="distance distance--none">Distance unknown</span>' in html
