"""The offer search counts and orders from an in-memory index (offers/facet_index.py): it
must say exactly what a plain database query says, follow every change at once (a save in
the admin or the ORM, an offer's last valid day passing), and keep the queries per page few.

The expected figures here are computed with straightforward ORM queries, never by the
search engine itself.
"""

import datetime
import random
import re
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.publication import PublicationStatus
from content.text import fold
from offers.models import Offer
from places.models import City
from providers.models import Provider
from tests.admin_forms import save_in_admin
from tests.pages import assert_bounded_facet
from tests.search_counts import FACETS, expected_count, facet_q

pytestmark = pytest.mark.django_db

JSON = "/de/offers/search.json"


def text_ids(words):
    """Offers whose search text contains every (folded) word; on PostgreSQL also those
    matching it with German stemming, as the README promises."""
    ids = set(Offer.objects.values_list("pk", flat=True))
    for word in fold(words).split():
        found = set(Offer.objects.filter(search_text__contains=word).values_list("pk", flat=True))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM offers_offer WHERE to_tsvector('german', search_text) "
                    "@@ plainto_tsquery('german', %s)",
                    [word],
                )
                found |= {row[0] for row in cursor.fetchall()}
        ids &= found
    return ids


def random_selections(count, seed=16):
    rng = random.Random(seed)
    slugs = {
        name: list(model.objects.values_list("slug", flat=True))
        for name, (model, *_r) in FACETS.items()
    }
    selections = [({}, ""), ({}, "deutsch"), ({}, "kurs beratung")]
    for _ in range(count):
        names = rng.sample(sorted(FACETS), rng.randint(1, 3))
        selection = {name: rng.sample(slugs[name], rng.randint(1, 2)) for name in names}
        selections.append((selection, rng.choice(["", "", "deutsch", "kinder", "e"])))
    return selections


def test_counts_equal_plain_database_counts_for_many_combinations(client, demo_data):
    for selection, words in random_selections(14):
        params = [(name, slug) for name, slugs in selection.items() for slug in slugs]
        if words:
            params.append(("q", words))
        data = client.get(JSON, params).json()
        ids = text_ids(words) if words else None
        assert data["count"] == expected_count(selection, ids), (selection, words)
        for name, (model, *_rest) in FACETS.items():
            shown = {value["value"]: value["count"] for value in data["facets"][name]}
            # The provider facet is bounded (the ten most frequent, see below): its
            # listed values are checked; the others, on the search's provider list.
            slugs = shown if name == "provider" else model.objects.values_list("slug", flat=True)
            for slug in slugs:
                expected = expected_count(selection, ids, leave_out=name, extra=(name, [slug]))
                assert shown.get(slug, 0) == expected, (selection, words, name, slug)


def names_in_order(client, language, params):
    slugs, page = [], 1
    while True:
        data = client.get(f"/{language}/offers/search.json", {**params, "page": page}).json()
        slugs += [result["slug"] for result in data["results"]]
        if page >= data["pages"]:
            return slugs
        page += 1


@pytest.mark.parametrize("language", ["de", "en", "ar"])
@pytest.mark.parametrize("params", [{}, {"category": "sport"}, {"city": "unna"}])
def test_name_order_in_every_language_is_the_databases(client, demo_data, language, params):
    offers = Offer.objects.published()
    for name, slug in params.items():
        offers = offers.filter(facet_q(name, [slug]))
    name = Lower(Coalesce(NullIf(f"name_{language}", Value("")), "name_de"))
    expected = list(offers.distinct().order_by(name, "pk").values_list("slug", flat=True))
    assert names_in_order(client, language, params) == expected


@pytest.mark.parametrize("params", [{}, {"category": "beratung"}])
def test_newest_first_is_the_databases_order(client, demo_data, params):
    offers = Offer.objects.published()
    for name, slug in params.items():
        offers = offers.filter(facet_q(name, [slug]))
    expected = list(offers.distinct().order_by("-created", "-pk").values_list("slug", flat=True))
    assert names_in_order(client, "de", {**params, "sort": "newest"}) == expected


def test_a_save_through_the_orm_shows_at_once(client, demo_data):
    before = client.get(JSON).json()["count"]
    offer = Offer.objects.published().first()
    offer.publication_status = PublicationStatus.DRAFT
    offer.save()
    assert client.get(JSON).json()["count"] == before - 1
    assert offer.slug not in names_in_order(client, "de", {})


def test_a_save_in_the_admin_shows_at_once(client, admin_client, demo_data):
    offer = Offer.objects.published().filter(city__slug="unna").first()
    other = City.objects.get(slug="luenen")
    unna = client.get(JSON, {"city": "unna"}).json()["count"]
    luenen = client.get(JSON, {"city": "luenen"}).json()["count"]
    save_in_admin(admin_client, offer, city=str(other.pk))
    assert client.get(JSON, {"city": "unna"}).json()["count"] == unna - 1
    assert client.get(JSON, {"city": "luenen"}).json()["count"] == luenen + 1
    assert offer.slug in names_in_order(client, "de", {"city": "luenen"})


def test_an_offer_drops_out_after_its_last_valid_day(
    client, demo_data, monkeypatch, page_cache_off
):
    today = timezone.localdate()
    offer = Offer.objects.published().first()
    offer.valid_until = today
    offer.save()
    before = client.get(JSON).json()
    assert offer.slug in names_in_order(client, "de", {})

    # Midnight passes; no content changes (no new generation).
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    after = client.get(JSON).json()
    assert after["count"] == before["count"] - 1
    assert offer.slug not in names_in_order(client, "de", {})
    city = {value["value"]: value["count"] for value in after["facets"]["city"]}
    assert (
        city[offer.city.slug] == Offer.objects.published(tomorrow).filter(city=offer.city).count()
    )


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/de/offers/", 3),
        (
            "/de/offers/?q=deutsch&category=sprachkurs-sprachfoerderung&language=german&age=adults",
            4,
        ),
        ("/de/offers/?q=deutsch&sort=name", 4),
        ("/de/offers/search.json", 2),
        ("/de/offers/map.geojson", 1),
        ("/de/offers/?near=Unna&radius=5", 3),
        ("/de/offers/search.json?near=51.5395,7.6933", 2),
        ("/de/offers/map.geojson?near=59423", 1),
        ("/de/cities/unna/", 6),
        ("/de/", 5),
    ],
)
def test_once_the_index_is_built_a_page_needs_few_queries(
    client, demo_data, page_cache_off, url, budget
):
    client.get(url)  # builds the index of this generation
    assert query_count(client, url) <= budget


# --- The bounded provider facet ------------------------------------------------------------


def provider_counts(words=""):
    counts, ids = {}, text_ids(words) if words else None
    for provider in Provider.objects.all():
        count = expected_count({}, ids, extra=("provider", [provider.slug]))
        if count:
            counts[provider.slug] = count
    return counts


def test_the_provider_facet_shows_the_ten_most_frequent_and_leads_to_all(client, demo_data):
    counts = provider_counts()
    assert len(counts) > 10
    html = client.get("/de/offers/").content.decode()
    assert_bounded_facet(html, "provider", counts, 10, "/de/offers/providers/")


def test_a_chosen_provider_stays_in_the_facet(client, demo_data):
    counts = provider_counts()
    rare = min(counts, key=counts.get)
    html = client.get("/de/offers/", {"provider": rare}).content.decode()
    shown = re.findall(r'name="provider" value="([^"]+)"', html)
    assert rare in shown
    assert len(shown) == 11


def test_the_provider_list_of_a_search_counts_like_the_search(client, demo_data):
    words = "deutsch"
    counts = provider_counts(words)
    response = client.get("/de/offers/providers/", {"q": words})
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(
        r'<a href="/de/offers/\?([^"#]+)#results-heading">([^<]+)</a> '
        r'<span class="count">\((\d+)\)',
        html,
    )
    assert {count for *_rest, count in links}  # not empty
    listed = {}
    for query, _name, count in links:
        params = dict(parse_qsl(query.replace("&amp;", "&")))
        assert params["q"] == words
        listed[params["provider"]] = int(count)
    assert listed == counts
    # Following a provider yields exactly its count.
    slug, count = next(iter(listed.items()))
    assert client.get(JSON, {"q": words, "provider": slug}).json()["count"] == count


def test_the_provider_list_of_a_search_is_searchable_by_name(client, demo_data):
    provider = Provider.objects.get(name="Turnerbund Rauxel 1892 e.V.")
    html = client.get("/de/offers/providers/", {"pq": "turnerbund"}).content.decode()
    assert provider.name in html
    assert "1 Anbieter" in html


def test_search_pages_stay_small_with_many_providers(client, demo_data, page_cache_off):
    call_command("generate_offers", count=400, providers=300, seed=5, verbosity=0)
    html = client.get("/de/offers/").content.decode()
    assert len(re.findall(r'name="provider"', html)) == 10
    assert len(html.encode()) < 80_000
