"""Arabic and Persian pages are mirrored and stay usable: the layout runs from the right,
the facets filter, the map draws its markers, and nothing needs sideways scrolling on a
phone. A screenshot of each checked page is written to var/screenshots/ for review."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from events.models import Event
from offers.models import Offer
from pages.models import Page
from providers.models import Provider
from tests.browser.texts import translated

pytestmark = pytest.mark.usefixtures("live_demo_data")

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE_WIDTH = 360
FORM = "form.search"


def arabic(message):
    return translated("ar", message)


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, "the screenshot is (nearly) empty"


def centre_x(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_pages_run_from_the_right(page, browser_log, language):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"/{language}/offers/?category=beratung")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", language)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The portal's name starts on the right, the facets sit right of the results.
    width = page.viewport_size["width"]
    assert centre_x(page.locator(".site-title")) > width / 2
    assert centre_x(page.locator(f"{FORM} fieldset").first) > centre_x(
        page.locator(".result-list").first
    )
    screenshot(page, f"search-{language}")
    browser_log.assert_clean()


def test_the_german_page_runs_from_the_left(page, browser_log):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto("/de/offers/?category=beratung")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert centre_x(page.locator(".site-title")) < page.viewport_size["width"] / 2
    browser_log.assert_clean()


def test_arabic_facets_filter_and_count(page, browser_log):
    page.goto("/ar/offers/")
    heading = page.locator("#results-heading")
    before = heading.inner_text()
    checkbox = page.locator(f'{FORM} input[name="category"][value="beratung"]')
    page.locator(f"{FORM} details.facet:has(input[name=category]) > summary").click()
    checkbox.check()  # the form applies a change by itself
    expect(page).to_have_url(re.compile(r"category=beratung"))
    expect(heading).not_to_have_text(before)
    expect(page.locator(".chip").first).to_be_visible()
    # Interface texts are Arabic, not English.
    expect(page.locator(".site-nav")).to_contain_text(arabic("Offers"))
    assert arabic("Offers") != "Offers"
    browser_log.assert_clean()


def test_german_fallback_texts_run_left_to_right_inside_arabic_pages(page, browser_log):
    page.goto("/ar/offers/?category=beratung")
    fallback = page.locator('.result-list [lang="de"]').first
    expect(fallback).to_have_attribute("dir", "ltr")
    assert fallback.evaluate("element => getComputedStyle(element).direction") == "ltr"
    browser_log.assert_clean()


def test_the_language_menu_opens_and_switches_keeping_the_search(page, browser_log):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto("/ar/offers/?category=beratung")
    menu = page.locator(".language-switcher summary")
    expect(menu).to_contain_text("العربيّة")
    german = page.locator('.language-switcher a[hreflang="de"]')
    expect(german).to_be_hidden()
    # The closed menu keeps the search box on the first screen of a phone.
    expect(page.locator("input[type=search]")).to_be_in_viewport()
    menu.click()
    german.click()
    expect(page).to_have_url(re.compile(r"/de/offers/\?category=beratung$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    browser_log.assert_clean()


def test_arabic_offer_page_with_its_map_fits_a_phone(page, browser_log):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto("/ar/offers/badminton-castrop-rauxel/")
    expect(page.locator("[data-offer-map]")).to_have_attribute("data-markers", "1")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the page is {scroll_width}px wide"
    screenshot(page, "offer-ar-phone")
    browser_log.assert_clean()


# Left to right inside right-to-left pages: "0123 4567-100" must not read "4567-100 0123",
# or a resident dials a wrong number. Measured in the browser: the first part of the text
# must stand left of its last part.
FIRST_LEFT_OF_LAST = """(element, [first, last]) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node, text = "";
    const nodes = [];
    while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
    const rectOf = (needle) => {
        const at = text.indexOf(needle);
        if (at < 0) throw new Error(`${needle} not in ${text}`);
        const [hit, offset] = nodes.filter(([, start]) => start <= at).pop();
        const range = document.createRange();
        range.setStart(hit, at - offset);
        range.setEnd(hit, at - offset + needle.length);
        return range.getBoundingClientRect();
    };
    return rectOf(first).left < rectOf(last).left;
}"""


def parts(text):
    words = text.split()
    return [words[0], words[-1]] if len(words) > 1 else [text[:3], text[-3:]]


def test_phone_numbers_and_addresses_read_left_to_right_on_arabic_pages(page, browser_log):
    offer = Offer.objects.published().exclude(contact_phone="").exclude(contact_email="").first()
    event = Event.objects.published().exclude(contact_phone="").first()
    provider = Provider.objects.exclude(phone="").first()
    checks = [
        (offer.get_absolute_url(), offer.contact_phone, 'a[href^="tel:"]'),
        (offer.get_absolute_url(), offer.contact_email, 'a[href^="mailto:"]'),
        (event.get_absolute_url(), event.contact_phone, 'a[href^="tel:"]'),
        (provider.get_absolute_url(), provider.phone, 'a[href^="tel:"]'),
    ]
    for url, text, selector in checks:
        page.goto(url.replace("/de/", "/ar/", 1))
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        link = page.locator(f"main {selector}").first
        expect(link).to_have_text(text)
        first, last = parts(text.replace("@", " @ ").replace(".", " . "))
        assert link.evaluate(FIRST_LEFT_OF_LAST, [first, last]), (url, text)
    browser_log.assert_clean()


def test_the_web_address_hint_reads_https_on_the_arabic_suggestion_form(page, browser_log):
    page.goto("/ar/offers/suggest/")
    hint = page.locator("#id_homepage_helptext")
    expect(hint).to_contain_text("https://")
    assert hint.evaluate(FIRST_LEFT_OF_LAST, ["https", "//"])
    browser_log.assert_clean()


ARABIC_TEXT_WITH_NUMBERS = (
    "للاستفسار اتصل على 0123 4567-100 أو اكتب إلى info@example.org"
    " أو زر https://www.example.org/kontakt ."
)


def test_numbers_written_inside_an_arabic_text_keep_their_order(page, browser_log):
    """Phone numbers and addresses inside the free texts themselves (an info page here;
    descriptions and schedules use the same filter)."""
    info = Page.objects.get(slug="impressum")
    info.body_ar = ARABIC_TEXT_WITH_NUMBERS
    info.save()
    page.goto(info.get_absolute_url().replace("/de/", "/ar/", 1))
    text = page.locator("main .prose").first
    expect(text).to_contain_text("0123 4567-100")
    for first, last in [("0123", "4567-100"), ("info", "org"), ("https", "kontakt")]:
        assert text.evaluate(FIRST_LEFT_OF_LAST, [first, last]), (first, last)
    browser_log.assert_clean()
