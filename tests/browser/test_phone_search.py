"""The offer search on a 360 px phone: the filters fold away behind "Filter (N)", the
results come first, and after a change the page lands at the results heading, with and
without JavaScript. And on a wide screen the filters stay beside the results."""

import re

import pytest
from playwright.sync_api import expect

from offers.models import Offer
from tests.browser.texts import german, german_count

pytestmark = pytest.mark.usefixtures("live_demo_data")

SEARCH = "/de/offers/"
PHONE = {"width": 360, "height": 740}
# Two meeting-place offers in Unna in the demo data.
CATEGORY, CITY = "begegnung", "unna"
HEADING = "#results-heading"
TOGGLE = "details.filters > summary"
MAP = "[data-offer-map]"


def two_filter_count():
    return (
        Offer.objects.published()
        .filter(categories__slug=CATEGORY, city__slug=CITY)
        .distinct()
        .count()
    )


def choose(page, facet, value):
    box = page.locator(f"#f-{facet}-{value}")
    details = page.locator("details.facet", has=box)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    box.check()


def assert_at_the_results(page, count):
    heading = page.locator(HEADING)
    expect(heading).to_have_text(german_count("%(counter)s offer", "%(counter)s offers", count))
    # The deferred script moves the focus after the page is parsed: wait for it (reading
    # document.activeElement at once raced the script on a busy machine).
    expect(heading).to_be_focused()
    top = heading.evaluate("heading => heading.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"], f"the results heading is {top}px from the top"


def test_on_a_phone_two_filters_lead_to_the_results_heading(page, browser_log):
    assert two_filter_count() == 2, "the demo data changed: pick other filters"
    page.set_viewport_size(PHONE)
    page.goto(SEARCH)
    expect(page.locator("form.search")).to_have_class(re.compile(r"\bauto-submit\b"))
    toggle = page.locator(TOGGLE)
    expect(toggle).to_have_text(german("Filter"))
    # Folded away: the results heading is on the first screen, the filters are not.
    expect(page.locator(f"#f-city-{CITY}")).to_be_hidden()
    expect(page.locator(HEADING)).to_be_in_viewport()

    toggle.click()
    choose(page, "category", CATEGORY)
    choose(page, "city", CITY)
    # Nothing is sent while choosing on a phone; the button says what it will show.
    expect(page).to_have_url(re.compile(rf"{SEARCH}$"))
    expect(toggle).to_have_text(f"{german('Filter')} (2)")
    apply = page.locator(".apply")
    expect(apply).to_have_text(german_count("Show %(counter)s offer", "Show %(counter)s offers", 2))
    apply.click()

    expect(page).to_have_url(re.compile(rf"[?&]city={CITY}.*#results-heading$"))
    assert_at_the_results(page, 2)
    expect(page.locator(TOGGLE)).to_have_text(f"{german('Filter')} (2)")
    browser_log.assert_clean()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_on_a_phone_without_javascript_the_filters_lead_to_the_results(page, browser_log):
    page.set_viewport_size(PHONE)
    page.goto(SEARCH)
    expect(page.locator(f"#f-city-{CITY}")).to_be_hidden()
    page.locator(TOGGLE).click()
    choose(page, "category", CATEGORY)
    choose(page, "city", CITY)
    page.locator(".apply").click()
    expect(page).to_have_url(re.compile(r"#results-heading$"))
    assert_at_the_results(page, 2)
    browser_log.assert_clean()


def test_back_from_an_offer_lands_at_the_results(page, browser_log):
    page.set_viewport_size(PHONE)
    page.goto(f"{SEARCH}?category={CATEGORY}&city={CITY}")
    page.locator(".result-list .card h3 a").first.click()
    page.get_by_role("link", name=german("Back to the results"), exact=True).click()
    expect(page).to_have_url(re.compile(r"#results-heading$"))
    # The address changes when the navigation starts; the browser scrolls to the fragment
    # once the page is laid out (a timeout here means it never did).
    page.wait_for_function("() => window.scrollY > 0", timeout=5000)
    assert_at_the_results(page, 2)
    browser_log.assert_clean()


def test_the_phone_map_shows_the_filters_first_and_clusters_its_markers(page, browser_log):
    page.set_viewport_size(PHONE)
    page.goto("/de/offers/map/")
    offer_map = page.locator(MAP)
    offers = page.request.get(offer_map.get_attribute("data-geojson-url")).json()["features"]
    expect(offer_map).to_have_attribute("data-markers", str(len(offers)))
    toggle = page.locator(TOGGLE).bounding_box()
    assert toggle["y"] + toggle["height"] <= offer_map.bounding_box()["y"]
    clusters = page.locator(f"{MAP} .marker-cluster")
    expect(clusters.first).to_be_visible()
    singles = page.locator(f"{MAP} .leaflet-marker-icon:not(.marker-cluster)").count()
    assert singles + clusters.count() < len(offers)
    # Each cluster is a button that names what it holds.
    label = german("Offers close together, zoom in to see them:")
    expect(clusters.first).to_have_attribute("title", re.compile(rf"^{re.escape(label)} \d+$"))
    browser_log.assert_clean()


def test_on_a_wide_screen_the_filters_stay_beside_the_results(page, browser_log):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{SEARCH}?category={CATEGORY}")
    expect(page.locator("form.search")).to_have_class(re.compile(r"\bauto-submit\b"))
    expect(page.locator(TOGGLE)).to_be_hidden()
    expect(page.get_by_role("heading", name=german("Filter"), exact=True)).to_be_visible()
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"]
    assert abs(facets["y"] - results["y"]) < 5
    expect(page.locator(f"#f-city-{CITY}").locator("xpath=ancestor::details[1]")).to_be_visible()
    expect(page.locator(".apply")).to_be_hidden()  # each change applies at once
    browser_log.assert_clean()


# The placeholder's width in the input's own font, against the room inside the input.
PLACEHOLDER_ROOM = """input => {
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return [context.measureText(input.placeholder).width, room];
}"""


@pytest.mark.parametrize("language", ["de", "ar", "uk", "fa"])
@pytest.mark.parametrize(("path", "box"), [("/", "#home-q"), ("/offers/", "#search-q")])
def test_the_search_placeholder_fits_a_phone(page, browser_log, language, path, box):
    page.set_viewport_size(PHONE)
    page.goto(f"/{language}{path}")
    search_box = page.locator(box)
    assert search_box.get_attribute("placeholder")
    text, room = search_box.evaluate(PLACEHOLDER_ROOM)
    assert text <= room, f"the placeholder needs {text:.0f}px, the box has {room:.0f}px"
    assert search_box.evaluate("input => input.scrollWidth <= input.clientWidth")
    browser_log.assert_clean()
