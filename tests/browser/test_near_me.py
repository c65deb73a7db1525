"""'Use my position' on the offer search (issue 16): the browser's position, granted to the
page, fills the near field and sends the form; browsers without geolocation never see the
button (the field and the radius menu work without it).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.texts import german

pytestmark = pytest.mark.usefixtures("live_demo_data")

SEARCH = "/de/offers/"
KREISHAUS_UNNA = {"latitude": 51.5395, "longitude": 7.6933}


def test_the_position_button_searches_near_the_browsers_position(context, page, browser_log):
    context.grant_permissions(["geolocation"])
    context.set_geolocation(KREISHAUS_UNNA)
    page.goto(SEARCH)
    button = page.get_by_role("button", name=german("Use my position"))
    expect(button).to_be_visible()
    button.click()
    expect(page).to_have_url(re.compile(r"[?&]near=51\.5395%2C7\.6933(&|$)"))
    expect(page.locator("#search-near")).to_have_value("51.5395,7.6933")
    # Nearest first: the Kreishaus's own offers, a few metres away, in German numbers.
    expect(page.locator(".result-list .distance").first).to_have_text("0,1 km")
    expect(page.locator("#search-sort option:checked")).to_have_text(german("nearest first"))
    browser_log.assert_clean()


def test_without_geolocation_the_button_stays_hidden(context, page, browser_log):
    page.add_init_script("delete Navigator.prototype.geolocation;")
    page.goto(SEARCH)
    expect(page.locator("form.search")).to_have_class(re.compile(r"\bauto-submit\b"))
    expect(page.locator("[data-locate]")).to_be_hidden()
    # Typing a place works all the same.
    page.get_by_label(german("Near (town, part of town or postcode)")).fill("Habinghorst")
    page.get_by_label(german("Near (town, part of town or postcode)")).press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]near=Habinghorst(&|$)"))
    expect(page.locator(".result-list .distance").first).to_be_visible()
    browser_log.assert_clean()
