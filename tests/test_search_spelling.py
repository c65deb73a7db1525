"""Did you mean: a search word that no offer contains is replaced by the closest real word of
the offers, the page says so and links to the search as typed (offers/spelling.py).

Through the public URLs, on SQLite and PostgreSQL alike (run the file with DATABASE_URL
set, too): the corrected search is the normal search for the corrected words, so its
results, counts and facets are exactly those of that search.
"""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.db import connection

from offers.models import Offer
from tests.pages import count_queries, html_of

pytestmark = pytest.mark.django_db

SEARCH = "/de/offers/"
JSON = "/de/offers/search.json"
NO_MATCH = "Kein Angebot passt zu Ihrer Suche."


def page(client, **params):
    return html_of(client.get(f"{SEARCH}?{urlencode(params)}"))


def search_json(client, **params):
    response = client.get(f"{JSON}?{urlencode(params)}")
    assert response.status_code == 200
    return response.json()


def heading_count(html):
    found = re.search(r'<h2 id="results-heading"[^>]*>(\d+) Angebot', html)
    return int(found.group(1))


def notice(html):
    """The did-you-mean notice's text and its link's address, or None."""
    found = re.search(r'<p class="notice spelling" role="status">(.*?)</p>', html, re.S)
    if not found:
        return None
    link = re.search(r'<a href="([^"]+)">', found.group(1))
    text = re.sub(r"<[^>]+>", "", found.group(1))
    return unescape(text), unescape(link.group(1))


def result_slugs(html):
    return re.findall(r'<h3><a href="/de/offers/([^/]+)/', html)


def test_the_words_keep_their_own_direction_in_a_right_to_left_notice(client, demo_data):
    """Latin words inside an Arabic sentence are isolated (<bdi>): otherwise they pull the
    sentence's punctuation to their side."""
    html = html_of(client.get("/ar/offers/?q=Badmintn"))
    found = re.search(r'<p class="notice spelling" role="status">(.*?)</p>', html, re.S)
    assert "<bdi>badminton</bdi>" in found.group(1)
    assert "<bdi>Badmintn</bdi>" in found.group(1)


def test_a_misspelled_word_finds_the_offers_of_the_right_word(client, demo_data):
    html = page(client, q="Badmintn")
    assert result_slugs(html) == ["badminton-castrop-rauxel"]
    assert heading_count(html) == 1
    text, link = notice(html)
    assert text == "Angezeigt werden Angebote zu „badminton“. Stattdessen nach „Badmintn“ suchen"
    assert link == "?q=Badmintn&spelling=exact#results-heading"
    # The search box keeps what was typed.
    assert 'name="q" value="Badmintn"' in html


def test_the_instead_link_searches_the_words_as_typed(client, demo_data):
    _text, link = notice(page(client, q="Badmintn"))
    html = html_of(client.get(SEARCH + link.split("#")[0]))
    assert notice(html) is None
    assert heading_count(html) == 0
    assert NO_MATCH in html
    # The form keeps the exact search while it applies, the pages and facets too.
    assert '<input type="hidden" name="spelling" value="exact">' in html
    assert search_json(client, q="Badmintn", spelling="exact")["count"] == 0


def test_the_exact_search_is_not_kept_without_words(client, demo_data):
    html = page(client, spelling="exact")
    assert 'name="spelling"' not in html
    assert 'href="/de/offers/map/?"' in html  # the view switch carries no spelling=exact


def test_a_correct_word_shows_no_notice(client, demo_data):
    html = page(client, q="Badminton")
    assert result_slugs(html) == ["badminton-castrop-rauxel"]
    assert notice(html) is None
    assert 'name="spelling"' not in html
    assert "corrected_query" not in search_json(client, q="Badminton")


def test_a_word_that_matches_a_part_of_a_word_is_not_corrected(client, demo_data):
    # "schwimm" is part of "schwimmkurs": found as typed, nothing corrected.
    data = search_json(client, q="schwimm")
    assert data["count"] >= 1
    assert "corrected_query" not in data


def test_only_the_misspelled_one_of_two_words_is_corrected(client, demo_data):
    html = page(client, q="Badmintn Habinghorst")
    assert result_slugs(html) == ["badminton-castrop-rauxel"]
    text, link = notice(html)
    assert "„badminton Habinghorst“" in text
    assert "„Badmintn Habinghorst“" in text
    assert link == "?q=Badmintn+Habinghorst&spelling=exact#results-heading"
    assert search_json(client, q="Habinghorst Badmintn")["corrected_query"] == (
        "Habinghorst badminton"
    )


def test_no_correction_when_the_corrected_words_find_nothing_together(client, demo_data):
    # There is badminton, and there are offers in Unna, but no badminton in Unna: no
    # correction is offered for a search that would find nothing either.
    assert not Offer.objects.published().filter(
        search_text__contains="badminton", search_text__icontains="unna"
    )
    html = page(client, q="Badmintn Unna")
    assert notice(html) is None
    assert NO_MATCH in html


def test_short_words_and_words_far_from_any_are_never_corrected(client, demo_data):
    for words in ["xq", "qxzvwj", "Badmintn xq"]:
        data = search_json(client, q=words)
        assert data["count"] == 0, words
        assert "corrected_query" not in data, words


def test_a_correction_with_a_facet_counts_the_corrected_search(client, demo_data):
    corrected = search_json(client, q="integrationskurs")
    data = search_json(client, q="Integratonskurs")
    assert data["corrected_query"] == "integrationskurs"
    assert data["count"] == corrected["count"] > 1
    assert data["facets"] == corrected["facets"]
    # The city list of the search: each of its links leads to the search with that city,
    # which finds as many offers as the list said, still corrected.
    html = html_of(client.get("/de/offers/cities/", {"q": "Integratonskurs"}))
    choices = re.findall(
        r'<li><a href="/de/offers/\?([^"#]+)#results-heading">[^<]+</a> '
        r'<span class="count">\((\d+)\)</span>',
        html,
    )
    choices = [(unescape(query), int(count)) for query, count in choices if count != "0"]
    assert len(choices) > 1
    for query, count in choices:
        assert query.startswith("q=Integratonskurs&city=")
        followed = html_of(client.get(f"{SEARCH}?{query}"))
        assert heading_count(followed) == count, query
        assert "„integrationskurs“" in notice(followed)[0]
    # A ticked category box (the form sends q and the value): the count its box showed.
    html = page(client, q="Integratonskurs")
    boxes = re.findall(
        r'name="category" value="([^"]+)">\s*<label[^>]*>.*?<span class="count">\((\d+)\)</span>',
        html,
        re.S,
    )
    slug, count = next((slug, int(count)) for slug, count in boxes if int(count))
    assert heading_count(page(client, q="Integratonskurs", category=slug)) == count


def test_near_me_and_sorting_keep_working_with_a_correction(client, demo_data):
    data = search_json(client, q="Integratonskurs", near="Unna", radius=25)
    assert data["corrected_query"] == "integrationskurs"
    assert (
        data["count"] == search_json(client, q="integrationskurs", near="Unna", radius=25)["count"]
    )
    distances = [r["distance_km"] for r in data["results"] if r["distance_km"] is not None]
    assert distances == sorted(distances)
    for sort in ["name", "newest", "relevance"]:
        sorted_data = search_json(client, q="Integratonskurs", sort=sort)
        expected = search_json(client, q="integrationskurs", sort=sort)
        assert [r["slug"] for r in sorted_data["results"]] == [
            r["slug"] for r in expected["results"]
        ], sort


def test_the_map_and_a_city_page_show_the_correction_too(client, demo_data):
    html = html_of(client.get("/de/offers/map/", {"q": "Badmintn"}))
    assert notice(html)[1] == "?q=Badmintn&spelling=exact#results-heading"
    typed = client.get("/de/offers/map.geojson", {"q": "Badmintn"}).json()
    right = client.get("/de/offers/map.geojson", {"q": "badminton"}).json()
    assert typed == right and typed["features"]
    html = html_of(client.get("/de/cities/castrop-rauxel/", {"q": "Badmintn"}))
    assert result_slugs(html) == ["badminton-castrop-rauxel"]
    assert notice(html)[1] == "?q=Badmintn&spelling=exact#results-heading"


def test_search_json_carries_the_correction(client, demo_data):
    data = search_json(client, q="Badmintn")
    assert data["corrected_query"] == "badminton"
    assert [r["slug"] for r in data["results"]] == ["badminton-castrop-rauxel"]
    assert "corrected_query" not in search_json(client, q="Badmintn", spelling="exact")


@pytest.mark.parametrize("value", ["EXACT", "fuzzy", "x" * 300, "", "exact exact"])
def test_an_unknown_spelling_value_is_ignored(client, demo_data, value):
    assert search_json(client, q="Badmintn", spelling=value)["corrected_query"] == "badminton"
    html = page(client, q="Badmintn", spelling=value)
    assert notice(html) is not None
    assert 'name="spelling"' not in html


@pytest.mark.parametrize(
    "words", ["b" * 300, "Badmintn " + "a" * 300, "ä" * 150, "badmintn" * 40, "ﬀ¨ - –"]
)
def test_long_and_odd_words_never_fail(client, demo_data, words):
    assert client.get(SEARCH, {"q": words}).status_code == 200
    assert client.get(JSON, {"q": words}).status_code == 200


@pytest.mark.parametrize("params", [{"q": "Badm\x00intn"}, {"q": "Badmintn", "spelling": "\x00"}])
def test_a_nul_byte_is_refused_not_a_500(client, demo_data, params):
    # As every parameter with NUL (tests/test_nul_bytes.py): 400, never a 500.
    assert client.get(SEARCH, params).status_code == 400
    assert client.get(JSON, params).status_code == 400


def test_the_word_list_follows_the_content(client, demo_data):
    assert search_json(client, q="Federbll").get("corrected_query") != "federball"
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.description_de = "Federball für alle."
    offer.save()  # a new content generation: the word list is read again
    data = search_json(client, q="Federbal")
    # "federbal" is part of "federball": found as typed.
    assert data["count"] == 1 and "corrected_query" not in data
    data = search_json(client, q="Federbll")
    assert data["corrected_query"] == "federball"


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("/de/offers/?q=deutschkurz", "/de/offers/?q=deutschkurs"),
        ("/de/offers/?q=deutschkurz+unna", "/de/offers/?q=deutschkurs+unna"),
        (
            "/de/offers/?q=integratonskurs&city=unna&sort=name",
            "/de/offers/?q=integrationskurs&city=unna&sort=name",
        ),
        ("/de/offers/search.json?q=badmintn+habinghorst", JSON + "?q=badminton+habinghorst"),
    ],
)
def test_a_corrected_page_runs_a_fixed_number_of_queries_more(
    client, demo_data, page_cache_off, typed, right
):
    # Beyond the page for the right words: the corrected text match; the candidate words
    # on PostgreSQL (SQLite reads its word list once per generation, by the first get);
    # with two words or more, which of them no offer contains.
    extra = 1 + (connection.vendor == "postgresql") + ("+" in typed)
    client.get(typed)
    client.get(right)
    assert count_queries(client, typed) == count_queries(client, right) + extra


def test_the_search_as_typed_runs_no_query_for_corrections(client, demo_data, page_cache_off):
    client.get("/de/offers/?q=deutschkurz&spelling=exact")
    # The text match finds nothing: no page of offers to read either.
    assert count_queries(client, "/de/offers/?q=deutschkurz&spelling=exact") == 1
