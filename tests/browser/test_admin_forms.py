"""An offer's form in the admin: the language tabs of all translated fields switch
together, and the checkbox lists keep every word of a label whole."""

import pytest
from playwright.sync_api import expect

from offers.models import Offer

pytestmark = pytest.mark.usefixtures("live_demo_data")

TAB_BARS = ".ui-tabs-nav"
ACTIVE_LANGUAGES = """bars => bars.map(
    (bar) => bar.querySelector("li.ui-tabs-active a").textContent.trim())"""

# Words of checkbox labels that the browser broke over two lines.
BROKEN_WORDS = """labels => labels.flatMap((label) => {
    const text = [...label.childNodes]
        .find((node) => node.nodeType === 3 && node.textContent.trim());
    if (!text) return [];
    const broken = [];
    const words = /\\S+/g;
    let match;
    while ((match = words.exec(text.textContent))) {
        const range = document.createRange();
        range.setStart(text, match.index);
        range.setEnd(text, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
    }
    return broken;
})"""


def open_offer(page, live_server):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    page.goto(f"{live_server.url}/admin/offers/offer/{offer.pk}/change/")
    expect(page.locator(TAB_BARS).first).to_be_visible()


def test_the_language_tabs_of_all_fields_switch_together(admin_page, live_server, browser_log):
    page = admin_page
    open_offer(page, live_server)
    bars = page.locator(TAB_BARS)
    assert bars.count() >= 5
    assert len(set(bars.evaluate_all(ACTIVE_LANGUAGES))) == 1  # the admin's language
    bars.first.get_by_role("tab", name="ar", exact=True).click()
    assert set(bars.evaluate_all(ACTIVE_LANGUAGES)) == {"ar"}
    expect(page.locator("#id_schedule_ar")).to_be_visible()
    bars.nth(2).get_by_role("tab", name="uk", exact=True).click()
    assert set(bars.evaluate_all(ACTIVE_LANGUAGES)) == {"uk"}
    browser_log.assert_clean()


@pytest.mark.parametrize("width", [1280, 900])
def test_checkbox_labels_are_not_broken_within_a_word(admin_page, live_server, browser_log, width):
    page = admin_page
    page.set_viewport_size({"width": width, "height": 900})
    open_offer(page, live_server)
    labels = page.locator(".form-row label:has(> input[type=checkbox])")
    assert labels.count() > 20
    assert labels.evaluate_all(BROKEN_WORDS) == []
    browser_log.assert_clean()
