"""At state scale a search covers hundreds of towns: the city facet shows the thirty with
the most offers (and any chosen one), and "show all" leads to a searchable list of all
of them, counted like the search. A district's towns (the demo's three districts: 28) are
all shown as before."""

import re
from urllib.parse import parse_qsl

import pytest

from offers.models import Offer
from offers.search import CITY_FACET_LIMIT
from places.models import City
from tests.admin_forms import admin_url, form_data
from tests.pages import assert_bounded_facet

pytestmark = pytest.mark.django_db

JSON = "/de/offers/search.json"


@pytest.fixture
def many_cities(demo_data):
    """25 more towns, the first ones with more offers than the later ones."""
    district = City.objects.first().district
    cities = [
        City.objects.create(
            name_de=f"Teststadt {n:02d}", slug=f"teststadt-{n:02d}", district=district
        )
        for n in range(25)
    ]
    offers = list(Offer.objects.published().order_by("pk")[:60])
    for number, offer in enumerate(offers):
        offer.city = cities[min(number // 2, number % 25)]
        offer.save()
    return cities


def city_counts(**filters):
    counts = {}
    for city in City.objects.all():
        count = Offer.objects.published().filter(city=city, **filters).count()
        counts[city.slug] = count
    return counts


def test_a_districts_towns_are_all_shown(client, demo_data):
    html = client.get("/de/offers/").content.decode()
    shown = re.findall(r'name="city" value="([^"]+)"', html)
    assert set(shown) == set(City.objects.values_list("slug", flat=True))
    assert "/de/offers/cities/" not in html


def test_the_city_facet_shows_the_most_frequent_and_leads_to_all(client, many_cities):
    counts = city_counts()
    html = client.get("/de/offers/").content.decode()
    assert_bounded_facet(html, "city", counts, CITY_FACET_LIMIT, "/de/offers/cities/")


def test_a_chosen_town_stays_in_the_facet(client, many_cities):
    counts = city_counts()
    rare = min(counts, key=counts.get)
    html = client.get("/de/offers/", {"city": rare}).content.decode()
    shown = re.findall(r'name="city" value="([^"]+)"', html)
    assert rare in shown
    assert len(shown) == CITY_FACET_LIMIT + 1


def test_the_town_list_of_a_search_counts_like_the_search(client, many_cities):
    response = client.get("/de/offers/cities/", {"category": "sport"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alle Städte und Gemeinden dieser Suche" in html
    links = re.findall(
        r'<a href="/de/offers/\?([^"#]+)#results-heading">([^<]+)</a> '
        r'<span class="count">\((\d+)\)',
        html,
    )
    listed = {}
    for query, _name, count in links:
        params = dict(parse_qsl(query.replace("&amp;", "&")))
        assert params["category"] == "sport"
        listed[params["city"]] = int(count)
    expected = city_counts(categories__slug="sport")
    # Fifty a page, the most offers first: every town with offers is on the first page.
    assert {slug: expected[slug] for slug in listed} == listed
    assert {slug for slug, count in expected.items() if count} <= set(listed)
    assert f"{len(expected)} Städte und Gemeinden" in html
    slug = max(listed, key=listed.get)
    assert client.get(JSON, {"category": "sport", "city": slug}).json()["count"] == listed[slug]


def test_the_town_list_is_searchable_by_name_in_the_readers_language(client, many_cities):
    html = client.get("/de/offers/cities/", {"pq": "teststadt 07"}).content.decode()
    assert "Teststadt 07" in html
    assert "1 Stadt oder Gemeinde" in html
    html = client.get("/ar/offers/cities/", {"pq": "nirgendwo"}).content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "لا توجد مدينة تطابق بحثك." in html


@pytest.mark.parametrize("slug", ["cities", "providers", "map", "suggest"])
def test_an_offer_cannot_take_the_address_of_a_search_page(admin_client, demo_data, slug):
    offer = Offer.objects.published().first()
    url = admin_url(Offer, "change", offer.pk)
    data = form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "slug": slug})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "slug" in errors, errors
    offer.refresh_from_db()
    assert offer.slug != slug
