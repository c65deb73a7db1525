"""Residents search the offers in the browser: filters, results, an offer and back again,
the map, and phone-sized screens.

The demo data is loaded for every test (live_demo_data). Map tiles are aborted by the
browser conftest, so these tests also prove that the maps work without a background.
Texts are looked up in the German catalog, so the tests follow its translations.
"""

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from offers.models import Offer
from places.models import City
from tests.browser.texts import german, german_count
from vocabularies.models import Category

pytestmark = pytest.mark.usefixtures("live_demo_data")

SEARCH = "/de/offers/"
BADMINTON = "badminton-castrop-rauxel"
# 22 counselling offers in the demo data, 11 of them in Unna: enough for a first result
# that is one of several.
CATEGORY, CITY = "beratung", "unna"
FILTERED_SEARCH = f"{SEARCH}?category={CATEGORY}&city={CITY}"

FORM = "form.search"
HEADING = "#results-heading"
RESULT_LINKS = ".result-list .card h3 a"
MAP = "[data-offer-map]"
# Single markers; on the search map, offers close together are drawn as clusters instead.
MARKERS = f"{MAP} .leaflet-marker-icon:not(.marker-cluster)"
CLUSTERS = f"{MAP} .marker-cluster"
PHONE_WIDTH = 360


def german_offer_count(count):
    """The results heading for ``count`` offers, in German."""
    return german_count("%(counter)s offer", "%(counter)s offers", count)


def german_names(offers):
    with translation.override("de"):
        return Counter(offer.name for offer in offers)


def published_offers(**filters):
    return Offer.objects.published().filter(**filters).distinct()


def search_params(url):
    """The search in an address, as a multiset of (name, value) pairs.

    The form always sends its search box and sort select, so its addresses carry ``q=``
    and the default sort; links leave both out. Either way it is the same search.
    """
    pairs = parse_qsl(urlsplit(url).query)  # blank values are dropped
    default_sort = "relevance" if any(name == "q" for name, _value in pairs) else "name"
    return Counter(pair for pair in pairs if pair != ("sort", default_sort))


def search_state(page):
    """Everything that makes up the list on the screen."""
    page.wait_for_load_state()
    return {
        "address": search_params(page.url),
        "form": page.locator(FORM).evaluate(
            "form => [...new FormData(form)].map(([name, value]) => `${name}=${value}`)"
        ),
        "checked": page.locator(f"{FORM} input[type=checkbox]:checked").evaluate_all(
            "boxes => boxes.map((box) => `${box.name}=${box.value}`)"
        ),
        "heading": page.locator(HEADING).inner_text(),
        "results": page.locator(RESULT_LINKS).all_inner_texts(),
        "first_result": page.locator(RESULT_LINKS).first.get_attribute("href").split("?")[0],
    }


def expect_enhanced(page):
    """search.js has run (it is deferred): the form applies changes at once."""
    expect(page.locator(FORM)).to_have_class(re.compile(r"\bauto-submit\b"))


def tick(page, facet, value):
    """Tick a facet value as a visitor does: open the facet, click the box; the form
    sends itself (static/offers/search.js)."""
    expect_enhanced(page)
    box = page.locator(f"#f-{facet}-{value}")
    details = page.locator("details.facet", has=box)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    box.click()
    expect(page).to_have_url(re.compile(rf"[?&]{facet}={value}(&|$)"))
    expect(page.locator(f"#f-{facet}-{value}")).to_be_checked()


def search_for(page, words):
    page.goto(SEARCH)
    box = page.get_by_label(german("Search words"), exact=True)
    box.fill(words)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]q={re.escape(words)}(&|$)"))
    expect(page.locator(f"{FORM} #search-q")).to_have_value(words)


# Every offer on the map: a marker of its own or one counted in a cluster's number.
OFFERS_ON_THE_MAP = """([markers, clusters]) => {
    const single = document.querySelectorAll(markers).length;
    const clustered = [...document.querySelectorAll(clusters)]
        .reduce((sum, cluster) => sum + Number(cluster.textContent), 0);
    return single + clustered;
}"""


def offers_on_the_map(page):
    return page.evaluate(OFFERS_ON_THE_MAP, [MARKERS, CLUSTERS])


def wait_for_markers(page, count):
    """map.js writes the number of markers it placed into data-markers when done; each
    is on the map, alone or in a cluster."""
    expect(page.locator(MAP)).to_have_attribute("data-markers", str(count))
    page.wait_for_function(
        f"(args) => ({OFFERS_ON_THE_MAP})(args) === {count}", arg=[MARKERS, CLUSTERS]
    )


HIDDEN_IN_THEIR_LIST = """boxes => boxes.filter((box) => {
    const list = box.closest("ul").getBoundingClientRect();
    const item = box.closest("li").getBoundingClientRect();
    return item.top < list.top - 1 || item.bottom > list.bottom + 1;
}).map((box) => box.id)"""


def assert_ticked_values_in_sight(page):
    """Facet lists scroll when long; a ticked value is never left scrolled out of sight."""
    expect_enhanced(page)
    checked = page.locator(f"{FORM} .facet input[type=checkbox]:checked")
    assert checked.count()
    assert checked.evaluate_all(HIDDEN_IN_THEIR_LIST) == []


def test_filters_an_offer_and_back_to_exactly_the_same_results(page, browser_log):
    category = Category.objects.get(slug=CATEGORY)
    city = City.objects.get(slug=CITY)
    with translation.override("de"):
        category_label, city_label = category.label, city.name
    in_category = published_offers(categories=category)
    in_both = in_category.filter(city=city)
    assert in_category.count() > in_both.count() > 1, "the demo data changed: pick others"

    page.goto(SEARCH)
    heading = page.locator(HEADING)
    expect(heading).to_have_text(german_offer_count(published_offers().count()))
    # With JavaScript the form applies every change at once; the button is for no-JS.
    expect(page.locator(f"{FORM} .apply")).to_be_hidden()

    tick(page, "category", CATEGORY)
    expect(heading).to_have_text(german_offer_count(in_category.count()))
    tick(page, "city", CITY)
    expect(heading).to_have_text(german_offer_count(in_both.count()))
    expect(page.locator(f"#f-category-{CATEGORY}")).to_be_checked()
    chips = page.locator(".active-filters .chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text=f"{german('Category')}: {category_label}")).to_have_count(1)
    expect(chips.filter(has_text=f"{german('City')}: {city_label}")).to_have_count(1)
    assert_ticked_values_in_sight(page)
    results = page.locator(RESULT_LINKS)
    expect(results).to_have_count(in_both.count())
    assert Counter(results.all_inner_texts()) == german_names(in_both)

    before = search_state(page)
    assert before["address"] == Counter({("category", CATEGORY): 1, ("city", CITY): 1})
    first = results.first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)

    page.get_by_role("link", name=german("Back to the results"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/de/offers/\?"))
    after = search_state(page)
    assert after == before
    assert_ticked_values_in_sight(page)
    browser_log.assert_clean()


def test_keyboard_users_keep_their_place_when_the_form_applies_a_change(page, browser_log):
    page.goto(SEARCH)
    facet = page.locator("details.facet", has=page.locator(f"#f-city-{CITY}"))
    expect_enhanced(page)
    facet.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(facet).to_have_attribute("open", "")
    page.locator(f"#f-city-{CITY}").focus()

    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(rf"[?&]city={CITY}(&|$)"))
    expect(page.locator(f"#f-city-{CITY}")).to_be_checked()
    expect(page.locator(f"#f-city-{CITY}")).to_be_focused()

    expect_enhanced(page)
    page.keyboard.press("Space")  # off again: the facet comes back closed
    expect(page).not_to_have_url(re.compile(r"[?&]city="))
    expect(facet).not_to_have_attribute("open", "")
    expect(facet.locator("summary")).to_be_focused()

    expect_enhanced(page)
    page.locator("#search-sort").select_option("newest")
    expect(page).to_have_url(re.compile(r"[?&]sort=newest(&|$)"))
    expect(page.locator("#search-sort")).to_be_focused()
    browser_log.assert_clean()


@pytest.mark.parametrize("words", ["Badminton", "Habinghorst"])
def test_search_words_find_the_badminton_offer_with_its_venue_map(page, browser_log, words):
    offer = Offer.objects.get(slug=BADMINTON)
    with translation.override("de"):
        name, quarter = offer.name, offer.venue.quarter
    assert quarter == "Habinghorst"

    search_for(page, words)
    link = page.locator(f'{RESULT_LINKS}[href^="/de/offers/{BADMINTON}/"]')
    expect(link).to_have_count(1)
    expect(link).to_have_text(name)
    link.click()

    expect(page).to_have_url(re.compile(rf"/de/offers/{BADMINTON}/\?back="))
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator(".facts")).to_contain_text(quarter)
    venue_map = page.locator(f".venue-map {MAP}")
    expect(venue_map).to_be_visible()
    wait_for_markers(page, 1)
    expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    browser_log.assert_clean()


UNCOVERED_MARKER = """markers => markers.findIndex((marker) => {
    const box = marker.getBoundingClientRect();
    return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === marker;
})"""


def test_map_shows_every_offer_of_the_search_as_a_named_marker(page, browser_log):
    page.goto("/de/offers/map/?category=sport")
    offer_map = page.locator(MAP)
    expect(offer_map).to_be_visible()
    geojson = page.request.get(offer_map.get_attribute("data-geojson-url"))
    assert geojson.ok
    features = geojson.json()["features"]
    located = published_offers(categories__slug="sport", venue__latitude__isnull=False)
    assert len(features) == located.count() > 1
    names = Counter(feature["properties"]["name"] for feature in features)
    assert names == german_names(located)

    wait_for_markers(page, len(features))
    markers = page.locator(MARKERS)
    assert_ticked_values_in_sight(page)
    labels = markers.evaluate_all("markers => markers.map((m) => [m.title, m.alt])")
    assert labels, "every offer is in a cluster"
    assert all(title == alt for title, alt in labels), labels
    shown = Counter(title for title, _alt in labels)
    assert shown <= names
    # What assistive technology announces: buttons named after the offers.
    for name, count in shown.items():
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(count)

    offer_map.scroll_into_view_if_needed()
    index = markers.evaluate_all(UNCOVERED_MARKER)
    assert index >= 0, "every marker is covered by another one"
    marker = markers.nth(index)
    name = marker.get_attribute("title")
    url = next(f["properties"]["url"] for f in features if f["properties"]["name"] == name)
    marker.click()
    link = page.locator(f"{MAP} .leaflet-popup-content a")
    expect(link).to_be_visible()
    expect(link).to_have_text(name)
    expect(link).to_have_attribute("href", url)
    # The popup's close button speaks the page's language, not Leaflet's English.
    close = page.locator(f"{MAP} .leaflet-popup-close-button")
    expect(close).to_have_attribute("aria-label", "Schließen")

    link.click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("h1")).to_have_text(name)

    # Keyboard users open an offer from its marker with Space as with Enter.
    page.go_back()
    wait_for_markers(page, len(features))
    page.locator(MARKERS).nth(index).focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    browser_log.assert_clean()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_apply_button_filters(page, browser_log):
    page.goto(SEARCH)
    apply = page.locator(f"{FORM} .apply")
    expect(apply).to_be_visible()
    page.locator("details.facet", has=page.locator(f"#f-city-{CITY}")).locator("summary").click()
    page.locator(f"#f-city-{CITY}").check()
    expect(page).to_have_url(re.compile(rf"{SEARCH}$"))  # nothing sent yet
    apply.click()
    expect(page).to_have_url(re.compile(rf"[?&]city={CITY}(&|$)"))
    expect(page.locator(HEADING)).to_have_text(
        german_offer_count(published_offers(city__slug=CITY).count())
    )
    # The maps say what to do instead.
    page.goto(f"/de/offers/{BADMINTON}/")
    expect(page.locator(f"{MAP} noscript")).to_be_attached()
    browser_log.assert_clean()


def assert_fits(locator, width=PHONE_WIDTH):
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (locator, box)


@pytest.mark.parametrize(
    ("path", "must_fit"),
    [
        ("/de/", ["#home-q", "#home-q + button"]),
        (FILTERED_SEARCH, ["#search-q", "#search-q + button", ".chip", RESULT_LINKS]),
        (f"/de/offers/{BADMINTON}/", [".back-links a", ".facts", MAP]),
        (f"/de/cities/{CITY}/", ["#search-q", "#search-q + button", RESULT_LINKS]),
    ],
    ids=["home", "search", "offer", "city"],
)
def test_phone_sized_screens_need_no_sideways_scrolling(page, browser_log, path, must_fit):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto(path)
    page.wait_for_load_state()
    assert_fits(page.locator("h1"))
    for selector in must_fit:
        assert_fits(page.locator(selector).first)
    search_box = page.locator("input[type=search]")
    if search_box.count():
        expect(search_box).to_be_in_viewport()  # on the first screen, without scrolling
    if page.locator(MAP).count():
        wait_for_markers(page, 1)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"{path} scrolls sideways: {scroll_width}px wide"
    browser_log.assert_clean()


def test_back_from_an_offer_returns_to_the_city_page_search(page, browser_log):
    page.goto(f"/de/cities/{CITY}/?category={CATEGORY}")
    before = search_state(page)
    page.locator(RESULT_LINKS).first.click()
    page.get_by_role("link", name=german("Back to the results"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator(HEADING).inner_text() == before["heading"]
    assert page.locator(RESULT_LINKS).all_inner_texts() == before["results"]
    browser_log.assert_clean()
