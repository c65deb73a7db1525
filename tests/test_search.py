"""Residents find offers: facets, full-text search, pages and formats of the one search.

Everything goes through the public URLs; search.json is used where a number is easier to
read from JSON than from HTML, and tests check elsewhere that HTML and JSON agree.
"""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from content.publication import PublicationStatus
from offers.models import Offer
from places.models import City
from providers.models import Provider
from tests.pages import count_queries
from vocabularies.models import Category, Gender

pytestmark = pytest.mark.django_db

SEARCH = "/de/offers/"
JSON = "/de/offers/search.json"
GEOJSON = "/de/offers/map.geojson"


def search_json(client, query=""):
    response = client.get(f"{JSON}?{query}")
    assert response.status_code == 200
    return response.json()


def facet_counts(data, facet):
    return {value["value"]: value["count"] for value in data["facets"][facet]}


def all_result_slugs(client, query):
    slugs, page = [], 1
    while True:
        data = search_json(client, f"{query}&page={page}")
        slugs += [result["slug"] for result in data["results"]]
        if page >= data["pages"]:
            return slugs
        page += 1


# --- Facets ------------------------------------------------------------------------------


def test_unfiltered_search_lists_every_public_offer(client, demo_data):
    data = search_json(client)
    assert data["count"] == Offer.objects.published().count()
    assert set(data["facets"]) == {
        "city",
        "category",
        "language",
        "gender",
        "migration",
        "age",
        "provider",
    }


@pytest.mark.parametrize("facet", ["city", "category", "language", "migration", "age", "gender"])
def test_following_a_value_yields_exactly_its_count(client, demo_data, facet):
    data = search_json(client)
    for value in data["facets"][facet]:
        followed = search_json(client, f"{facet}={value['value']}")
        assert followed["count"] == value["count"], (facet, value["value"])


def test_values_of_one_facet_combine_with_or(client, demo_data):
    counts = facet_counts(search_json(client), "category")
    both = search_json(client, "category=sport&category=wohnen")["count"]
    sport = set(all_result_slugs(client, "category=sport"))
    housing = set(all_result_slugs(client, "category=wohnen"))
    assert both == len(sport | housing)
    assert both >= max(counts["sport"], counts["wohnen"])


def test_facets_combine_with_and(client, demo_data):
    in_unna = set(all_result_slugs(client, "city=unna"))
    counselling = set(all_result_slugs(client, "category=beratung"))
    both = set(all_result_slugs(client, "city=unna&category=beratung"))
    assert both == in_unna & counselling
    assert both, "the demo data has counselling in Unna"


def test_counts_are_disjunctive(client, demo_data):
    unfiltered = facet_counts(search_json(client), "category")
    data = search_json(client, "category=sport")
    # Choosing Sport does not zero the other categories: their counts ignore the
    # category facet itself ...
    assert facet_counts(data, "category") == unfiltered
    selected = [v["value"] for v in data["facets"]["category"] if v["selected"]]
    assert selected == ["sport"]
    # ... while the other facets count within Sport.
    city_counts = facet_counts(data, "city")
    assert sum(city_counts.values()) == data["count"]


def test_other_facets_count_within_the_selection(client, demo_data):
    data = search_json(client, "city=unna")
    for value in data["facets"]["category"]:
        followed = search_json(client, f"city=unna&category={value['value']}")
        assert followed["count"] == value["count"]


def test_values_with_zero_offers_stay_listed(client, demo_data):
    data = search_json(client, "q=badminton")
    categories = facet_counts(data, "category")
    assert len(categories) == Category.objects.count()
    assert categories["wohnen"] == 0
    html = client.get(f"{SEARCH}?q=badminton").content.decode()
    assert 'class="facet-zero"' in html


def test_an_offer_for_no_particular_gender_is_open_to_all(client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.genders.clear()
    women_only = Offer.objects.published().exclude(pk=offer.pk).filter(genders__slug="female")
    women_only = women_only.exclude(genders__slug="male").first()
    assert women_only is not None
    for_men = all_result_slugs(client, "gender=male")
    assert offer.slug in for_men
    assert women_only.slug not in for_men
    assert women_only.slug in all_result_slugs(client, "gender=female")


def test_removing_an_active_filter_and_new_search(client, demo_data):
    html = client.get(f"{SEARCH}?category=sport&city=castrop-rauxel").content.decode()
    chips = re.findall(r'<a href="\?([^"#]*)#results-heading" class="chip">', html)
    assert len(chips) == 2
    remaining = [parse_qs(chip.replace("&amp;", "&")) for chip in chips]
    assert {"city": ["castrop-rauxel"]} in remaining
    assert {"category": ["sport"]} in remaining
    assert f'href="{SEARCH}" class="reset"' in html


# --- Full text ---------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["Badminton", "badminton", "Habinghorst", "Fridtjof-Nansen"])
def test_finds_the_badminton_offer_by_name_place_and_stadtteil(client, demo_data, words):
    slugs = all_result_slugs(client, f"q={words}")
    assert "badminton-castrop-rauxel" in slugs


def test_search_covers_provider_venue_and_category_labels(client, demo_data):
    assert "badminton-castrop-rauxel" in all_result_slugs(client, "q=Turnerbund")
    assert "badminton-castrop-rauxel" in all_result_slugs(client, "q=Lange Straße")
    sport = set(all_result_slugs(client, "category=sport"))
    assert sport <= set(all_result_slugs(client, "q=sport"))


def test_all_words_must_match(client, demo_data):
    assert search_json(client, "q=badminton habinghorst")["count"] == 1
    assert search_json(client, "q=badminton lünen")["count"] == 0


@pytest.fixture
def exercise_offer(demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.description_de = "Übungsabend an der Großen Straße mit Café danach."
    offer.save()
    return offer


@pytest.mark.parametrize(
    "words",
    ["übung", "Übung", "UEBUNG", "strasse", "Straße", "STRASSE", "grossen", "cafe", "Café"],
)
def test_umlauts_sharp_s_accents_and_case_fold_on_every_database(client, exercise_offer, words):
    assert exercise_offer.slug in all_result_slugs(client, f"q={words}")


def test_english_search_finds_english_and_german_words(client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.description_en = "Shuttlecock evenings."
    offer.save()
    data = search_json(client, "q=shuttlecock")
    assert [r["slug"] for r in data["results"]] == [offer.slug]
    assert offer.slug in [r["slug"] for r in search_json(client, "q=Turnhalle")["results"]]


def test_typos_are_tolerated_when_nothing_matches(client, demo_data):
    # On every database since the correction of words (tests/test_search_spelling.py).
    data = search_json(client, "q=Badmington")
    assert [r["slug"] for r in data["results"]] == ["badminton-castrop-rauxel"]
    assert data["corrected_query"] == "badminton"


def test_postgresql_uses_german_stemming(client, demo_data):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL's german text search configuration")
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.description_de = "Jedes Kind darf mitspielen."
    offer.save()
    offer.refresh_from_db()
    assert "kinder" not in offer.search_text  # so only the stem "kind" can match
    assert offer.slug in all_result_slugs(client, "q=Kinder")


def test_relevance_puts_name_matches_first(client, demo_data):
    data = search_json(client, "q=deutsch")
    first = Offer.objects.get(slug=data["results"][0]["slug"])
    assert "deutsch" in first.name_de.lower()


def test_search_text_follows_renamed_providers_and_new_categories(client, demo_data):
    provider = Provider.objects.get(name="Turnerbund Rauxel 1892 e.V.")
    provider.name = "Federball-Freunde Rauxel"
    provider.save()
    assert "badminton-castrop-rauxel" in all_result_slugs(client, "q=Federball-Freunde")
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.categories.add(Category.objects.get(slug="gesundheit"))
    assert offer.slug in all_result_slugs(client, "q=gesundheit")


# --- Sorting and pages ---------------------------------------------------------------------


def test_results_come_twenty_a_page_sorted_by_name(client, demo_data):
    data = search_json(client)
    assert len(data["results"]) == 20
    names = [r["name"].casefold() for r in data["results"]]
    assert names == sorted(names)
    page_two = search_json(client, "page=2")
    assert not {r["slug"] for r in data["results"]} & {r["slug"] for r in page_two["results"]}


def test_newest_first(client, demo_data):
    newest = Offer.objects.published().order_by("-created", "-pk").first()
    assert search_json(client, "sort=newest")["results"][0]["slug"] == newest.slug


@pytest.mark.parametrize(
    ("page", "expected", "note"),
    [("999", "last", "999"), ("abc", 1, "abc"), ("0", "last", None), ("-1", "last", None)],
)
def test_bad_page_numbers_answer_sensibly(client, demo_data, page, expected, note):
    data = search_json(client, f"page={page}")
    last = data["pages"]
    assert data["page"] == (last if expected == "last" else expected)
    assert data["results"]
    assert data["notes"]
    if note:
        assert note in data["notes"][0]


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        # NUL characters answer 400 before any search runs: tests/test_nul_bytes.py.
        "category=no-such-category",
        "q=" + "x" * 5000,
        "q=" + "+".join(f"w{i}" for i in range(50)),
        "category=" + "&category=".join(f"c{i}" for i in range(300)),
        "provider=" + "p" * 5000,
        "sort=drop+table",
        "page=" + "9" * 400,
        "q=%E2%80%8B&city=unna&city=unna",
        "q='%22;--",
        "q=%25%25_%5C",
    ],
)
def test_bad_parameters_never_cause_a_server_error(client, demo_data, query):
    for url in (SEARCH, JSON, GEOJSON, "/de/offers/map/", "/de/cities/unna/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)


def test_unknown_values_are_ignored_with_a_visible_note(client, demo_data):
    response = client.get(f"{SEARCH}?category=sport&category=quidditch")
    html = response.content.decode()
    assert "quidditch" in html
    assert "ignoriert" in html  # the note, in German
    assert (
        search_json(client, "category=sport&category=quidditch")["count"]
        == (search_json(client, "category=sport")["count"])
    )


def test_notes_come_in_the_users_language(client, demo_data):
    html = client.get("/en/offers/?category=quidditch").content.decode()
    assert "was ignored" in html


def test_too_many_parameters_answer_400(client, demo_data):
    query = "&".join(f"x{i}=1" for i in range(1200))
    assert client.get(f"{SEARCH}?{query}").status_code == 400


# --- Publication ---------------------------------------------------------------------------


def test_unpublished_and_expired_offers_are_neither_listed_nor_counted(client, demo_data):
    hidden = Offer.objects.exclude(pk__in=Offer.objects.published())
    assert hidden.count() >= 4
    slugs = set(all_result_slugs(client, ""))
    assert not slugs & set(hidden.values_list("slug", flat=True))
    data = search_json(client)
    assert sum(facet_counts(data, "migration").values()) == data["count"]


# --- One engine, many faces ------------------------------------------------------------------


def test_html_and_json_show_the_same_results_in_the_same_order(client, demo_data):
    query = "category=beratung&sort=name&page=1"
    data = search_json(client, query)
    html = client.get(f"{SEARCH}?{query}").content.decode()
    links = re.findall(r'<h3><a href="/de/offers/([^/]+)/', html)
    assert links == [result["slug"] for result in data["results"]]
    assert f">{data['count']} Angebote<" in html


def test_json_result_fields_and_labels_in_the_page_language(client, demo_data):
    data = search_json(client, "q=badminton")
    (result,) = data["results"]
    assert set(result) == {"id", "slug", "name", "url", "provider", "city", "categories"}
    assert result["url"] == "/de/offers/badminton-castrop-rauxel/"
    english = client.get("/en/offers/search.json?q=badminton").json()
    labels = {v["label"] for v in english["facets"]["category"]}
    german = {v["label"] for v in data["facets"]["category"]}
    assert labels != german  # translated labels
    sport_en = next(v for v in english["facets"]["category"] if v["value"] == "sport")
    assert sport_en["label"] == Category.objects.get(slug="sport").label_en


def test_geojson_has_every_matching_offer_with_coordinates(client, demo_data):
    data = client.get(f"{GEOJSON}?category=sport").json()
    slugs = set(all_result_slugs(client, "category=sport"))
    assert len(data["features"]) == len(slugs)  # all demo offers have coordinates
    badminton = next(f for f in data["features"] if f["properties"]["name"] == "Badminton")
    longitude, latitude = badminton["geometry"]["coordinates"]
    assert 7.2 < longitude < 7.4 and 51.5 < latitude < 51.7
    assert badminton["properties"]["url"] == "/de/offers/badminton-castrop-rauxel/"


# --- Pages -----------------------------------------------------------------------------------


def test_offer_page_back_link_returns_to_the_same_search(client, demo_data):
    search = "q=badminton&category=sport&sort=name&page=1"
    html = client.get(f"{SEARCH}?{search}").content.decode()
    link = re.search(r'href="(/de/offers/badminton-castrop-rauxel/\?back=[^"]+)"', html).group(1)
    detail = client.get(link.replace("&amp;", "&")).content.decode()
    back = re.search(r'<a href="([^"]+)">Zurück zu den Ergebnissen', detail)
    assert back, "the offer page links back to the results"
    back_url = urlsplit(back.group(1).replace("&amp;", "&"))
    assert back_url.path == SEARCH
    # Page 1 is the default and left out; the explicit sort order is kept.
    assert parse_qs(back_url.query) == {
        "q": ["badminton"],
        "category": ["sport"],
        "sort": ["name"],
    }


def test_back_link_returns_to_the_city_page_or_map_it_came_from(client, demo_data):
    for listing in ["/de/cities/castrop-rauxel/?category=sport", "/de/offers/map/?q=badminton"]:
        html = client.get(listing).content.decode()
        link = re.search(r'href="(/de/offers/badminton-castrop-rauxel/\?back=[^"]+)"', html)[1]
        detail = client.get(link.replace("&amp;", "&")).content.decode()
        back = re.search(r'<a href="([^"]+)">Zurück zu den Ergebnissen', detail)[1]
        # The link lands at the results heading, as the search form does.
        assert back.replace("&amp;", "&") == listing + "#results-heading"


@pytest.mark.parametrize(
    "back",
    ["https://evil.example.org/de/offers/", "//evil.example.org/de/offers/", "/admin/", "/de/x/"],
)
def test_back_link_only_leads_to_our_result_pages(client, demo_data, back):
    detail = client.get("/de/offers/badminton-castrop-rauxel/", {"back": back}).content.decode()
    assert '<a href="/de/offers/#results-heading">Zurück zu den Ergebnissen' in detail


def test_back_link_cannot_point_elsewhere(client, demo_data):
    detail = client.get(
        "/de/offers/badminton-castrop-rauxel/?back=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    ).content.decode()
    assert "<script>alert(1)" not in detail
    assert 'href="https://' not in re.search(r'<nav class="back-links".*?</nav>', detail, re.S)[0]


def test_offer_page_has_json_ld(client, demo_data):
    html = client.get("/de/offers/badminton-castrop-rauxel/").content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Service"
    assert data["name"] == "Badminton"
    assert data["provider"]["name"] == "Turnerbund Rauxel 1892 e.V."
    place = data["availableChannel"]["serviceLocation"]
    assert place["address"]["streetAddress"] == "Lange Straße 18"
    assert "print.css" in html


def test_city_page_is_the_search_fixed_to_one_city(client, demo_data):
    html = client.get("/de/cities/unna/").content.decode()
    unna_count = search_json(client, "city=unna")["count"]
    assert f">{unna_count} Angebote<" in html
    assert 'name="city"' not in html  # the city is part of the address, not a filter
    assert 'name="category"' in html
    filtered = client.get("/de/cities/unna/?category=beratung").content.decode()
    count = search_json(client, "city=unna&category=beratung")["count"]
    assert f">{count} Angebot" in filtered
    assert client.get("/de/cities/no-such-city/").status_code == 404


def test_city_list_shows_offer_counts(client, demo_data):
    html = client.get("/de/cities/").content.decode()
    for city in City.objects.filter(slug__in=["unna", "luenen", "castrop-rauxel"]):
        count = search_json(client, f"city={city.slug}")["count"]
        assert re.search(rf'{city.name}</a> <span class="count">\({count} Angebot', html)


def test_provider_list_is_searchable(client, demo_data):
    html = client.get("/de/providers/?q=turnerbund").content.decode()
    assert "Turnerbund Rauxel 1892 e.V." in html
    assert "1 Anbieter" in html
    html = client.get("/de/providers/?q=lünen").content.decode()
    assert "Lünen" in html


def test_home_page_entry_points_count_like_the_search(client, demo_data):
    html = client.get("/de/").content.decode()
    counts = facet_counts(search_json(client), "category")
    tile = re.search(r'\?category=sport">.*?Sport</span></a> <span class="count">\((\d+)\)', html)
    assert int(tile[1]) == counts["sport"]
    assert 'href="/de/cities/unna/"' in html


def test_drafts_answer_404_to_the_public(client, admin_client, demo_data):
    draft = Offer.objects.filter(publication_status=PublicationStatus.DRAFT).first()
    assert client.get(f"/de/offers/{draft.slug}/").status_code == 404
    assert admin_client.get(f"/de/offers/{draft.slug}/").status_code == 200


# --- A fixed number of queries -------------------------------------------------------------


LIST_URLS = [
    SEARCH,
    f"{SEARCH}?q=deutsch&category=sprachkurs-sprachfoerderung&language=german&age=adults",
    JSON,
    GEOJSON,
    f"{SEARCH}?near=Unna&radius=5&category=beratung",
    "/de/offers/map/",
    "/de/cities/unna/",
    "/de/cities/",
    "/de/providers/",
    "/de/",
]


def test_list_pages_run_a_fixed_number_of_queries(client, demo_data, page_cache_off):
    before = {url: count_queries(client, url) for url in LIST_URLS}
    call_command("generate_offers", count=300, seed=3, verbosity=0)
    after = {url: count_queries(client, url) for url in LIST_URLS}
    assert after == before
    assert max(before.values()) <= 25


def test_detail_pages_run_a_fixed_number_of_queries(
    client, demo_data, django_assert_max_num_queries, page_cache_off
):
    for url in [
        "/de/offers/badminton-castrop-rauxel/",
        Provider.objects.get(name="Turnerbund Rauxel 1892 e.V.").get_absolute_url(),
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_gender_vocabulary_is_complete(demo_data):
    assert set(Gender.objects.values_list("slug", flat=True)) == {"female", "male", "diverse"}


@pytest.mark.parametrize(
    ("url", "next_link"),
    [
        ("/de/offers/?category=beratung", "?category=beratung&amp;page=2"),
        ("/de/providers/?q=e", "?q=e&amp;page=2"),
        ("/de/providers/", "?page=2"),
    ],
)
def test_page_links_keep_the_lists_other_parameters(client, demo_data, url, next_link):
    html = client.get(url).content.decode()
    assert f'rel="next" href="{next_link}"' in html


# --- What the page's markup and links are built from ---------------------------------------


def test_every_facet_value_toggles_only_itself(demo_data):
    """Each value's query (the chips' remove links, the home page's topics) is the search's
    parameters with that one value switched on or off, everything else kept."""
    from django.http import QueryDict

    from offers.search import OfferSearch

    params = "q=deutsch+kurs&category=sport&category=beratung&language=german&sort=name&page=2"
    search = OfferSearch(QueryDict(params), "de")
    expected = parse_qs(params)
    del expected["page"]  # a toggled search starts on its first page
    for facet in search.facets():
        assert facet.values
        for value in facet.values:
            toggled = {key: list(values) for key, values in expected.items()}
            chosen = toggled.setdefault(facet.name, [])
            if value.value in chosen:
                chosen.remove(value.value)
            else:
                chosen.append(value.value)
            toggled = {key: values for key, values in toggled.items() if values}
            assert parse_qs(value.query) == toggled


def test_result_categories_follow_changes_in_their_order(client, demo_data, page_cache_off):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.categories.set(Category.objects.filter(slug__in=["sport", "gesundheit"]))
    html = client.get(f"{SEARCH}?q=badminton+habinghorst").content.decode()
    card = re.search(r'<p class="categories">(.*?)</p>', html).group(1)
    shown = re.findall(r"<span>([^<]+)</span></span>", card)
    assert shown == [category.label for category in Category.objects.filter(offers=offer)]
    assert len(shown) == 2
    offer.categories.remove(Category.objects.get(slug="sport"))
    html = client.get(f"{SEARCH}?q=badminton+habinghorst").content.decode()
    card = re.search(r'<p class="categories">(.*?)</p>', html).group(1)
    assert re.findall(r"<span>([^<]+)</span></span>", card) == [
        Category.objects.get(slug="gesundheit").label
    ]


def test_postgresql_ranks_text_written_past_the_model(client, demo_data, page_cache_off):
    """Relevance reads the German tsvector PostgreSQL stores beside search_text (migration
    0008): it follows the text however it is written, QuerySet.update() included."""
    if connection.vendor != "postgresql":
        pytest.skip("the stored tsvector and its rank are PostgreSQL's")
    first, second = Offer.objects.published().order_by("pk")[:2]

    def ranked(often, rarely):
        Offer.objects.filter(pk=often.pk).update(search_text="zebrafisch " * 4 + "kurs")
        Offer.objects.filter(pk=rarely.pk).update(search_text="zebrafisch kurs")
        return [result["slug"] for result in search_json(client, "q=zebrafisch")["results"]]

    assert ranked(first, second) == [first.slug, second.slug]
    assert ranked(second, first) == [second.slug, first.slug]
