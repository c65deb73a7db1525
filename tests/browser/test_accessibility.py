"""The public pages pass axe-core's WCAG 2.1 A/AA rules, as rendered in Chromium (so
colour contrast, landmarks and the maps' Leaflet controls are checked as users get them).

A failure lists each rule with its impact, what to do and the first elements it found.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("live_demo_data")

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}}
MAP = "[data-offer-map]"
SHOWN_TARGETS = 3

PAGES = {
    "home": "/de/",
    "search-with-two-filters": "/de/offers/?category=beratung&city=unna",
    "offer": "/de/offers/badminton-castrop-rauxel/",
    "city": "/de/cities/unna/",
    "provider-list": "/de/providers/",
    "provider": "/de/providers/turnerbund-rauxel/",
    "map-with-a-filter": "/de/offers/map/?category=sport",
    "search-in-english": "/en/offers/",
    "events": "/de/events/",
    "events-with-filters-and-a-note": "/de/events/?city=unna&category=begegnung&to=kaputt",
    "past-events": "/de/events/past/",
    "event-series-with-map": "/de/events/sprachcafe-unna/",
    "event-cancelled": "/de/events/stadtteilfest-gahmen/",
    "events-in-english": "/en/events/",
    "suggest-an-offer": "/de/offers/suggest/",
    "report-an-offer": "/de/offers/badminton-castrop-rauxel/report/",
    # Right to left, with German fallback texts marked lang="de".
    "home-in-arabic": "/ar/",
    "search-in-arabic-with-two-filters": "/ar/offers/?category=beratung&city=unna",
    "offer-in-arabic": "/ar/offers/badminton-castrop-rauxel/",
    "city-in-arabic": "/ar/cities/unna/",
    "event-in-arabic": "/ar/events/sprachcafe-unna/",
    "events-in-arabic": "/ar/events/",
    "suggest-an-offer-in-arabic": "/ar/offers/suggest/",
}


UNCOVERED_MARKER = """markers => markers.findIndex((marker) => {
    const box = marker.getBoundingClientRect();
    return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === marker;
})"""


@pytest.fixture(scope="module")
def axe():
    return Axe()


def describe(violations):
    lines = [f"{len(violations)} accessibility rule(s) violated:"]
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:SHOWN_TARGETS]]
        more = f" and {len(nodes) - SHOWN_TARGETS} more" if len(nodes) > SHOWN_TARGETS else ""
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    at {', '.join(targets)}{more}\n"
            f"    {nodes[0].get('failureSummary', '').replace(chr(10), ' ')}\n"
            f"    {violation['helpUrl']}"
        )
    return "\n".join(lines)


def assert_accessible(page, axe):
    results = axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert not violations, f"{page.url}\n{describe(violations)}"


def wait_until_settled(page):
    """Pages are checked as users see them: loaded, and their maps drawn."""
    page.wait_for_load_state()
    maps = page.locator(MAP)
    for index in range(maps.count()):
        # map.js sets data-markers when the markers are on the map.
        expect(maps.nth(index)).to_have_attribute("data-markers", re.compile(r"^\d+$"))


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_wcag_violations(page, browser_log, axe, path):
    page.goto(path)
    wait_until_settled(page)
    assert_accessible(page, axe)
    browser_log.assert_clean()


def test_map_with_an_open_popup_has_no_wcag_violations(page, browser_log, axe):
    page.goto(PAGES["map-with-a-filter"])
    wait_until_settled(page)
    markers = page.locator(f"{MAP} .leaflet-marker-icon")
    page.locator(MAP).scroll_into_view_if_needed()
    index = markers.evaluate_all(UNCOVERED_MARKER)
    assert index >= 0, "every marker is covered by another one"
    markers.nth(index).click()
    expect(page.locator(f"{MAP} .leaflet-popup-content a")).to_be_visible()
    # Checked once it has faded in: half-transparent text fails the contrast rule.
    expect(page.locator(f"{MAP} .leaflet-popup")).to_have_css("opacity", "1")
    assert_accessible(page, axe)
    browser_log.assert_clean()


@pytest.mark.parametrize("path", [PAGES["suggest-an-offer"], PAGES["report-an-offer"]])
def test_form_with_errors_has_no_wcag_violations(page, browser_log, axe, path):
    """Sent empty: the error summary, the marked fields and their messages pass too."""
    page.goto(path)
    page.locator("form.public-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, axe)
    browser_log.assert_clean()
