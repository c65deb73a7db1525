"""Checkbox labels at phone width keep their words whole (issue 15, item 10): no
"Migrationshintergründ-e" in the public filters or the admin's checkbox lists. A label
may wrap between words (and after a hyphen or slash the name has, as in "Unna-
Fröndenberg-Holzwickede"); a word that spans two lines, or sticks out of its list, fails."""

import pytest
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}

# For every visible label matching the selector: each word (or part of a word up to a
# hyphen or slash) whose letters lie on more than one line, and each one reaching past the
# edge of the label's block (its list entry).
BROKEN_WORDS = """(selector) => {
  const found = [];
  for (const label of document.querySelectorAll(selector)) {
    if (!label.getClientRects().length) continue;
    let block = label.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    const edge = block.getBoundingClientRect();
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Pieces of words: a line may break after a hyphen or slash the name has
      // ("Unna-|Fröndenberg", "Serbisch/|Kroatisch"), as browsers do.
      for (const match of node.data.matchAll(/[^\\s\u2010/-]*[\u2010/-]|[^\\s\u2010/-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
        const lines = new Set(rects.map((rect) => Math.round(rect.bottom)));
        if (lines.size > 1) {
          found.push(`"${match[0]}" broken over ${lines.size} lines`);
        }
        if (rects.some((rect) => rect.left < edge.left - 1 || rect.right > edge.right + 1)) {
          found.push(`"${match[0]}" sticks out of its list`);
        }
      }
    }
  }
  return found;
}"""


def labels_checked(page, selector):
    """How many visible labels there are, and which words are broken."""
    count = page.evaluate(
        "(selector) => [...document.querySelectorAll(selector)]"
        ".filter((label) => label.getClientRects().length).length",
        selector,
    )
    return count, page.evaluate(BROKEN_WORDS, selector)


@pytest.mark.usefixtures("live_demo_data")
@pytest.mark.parametrize("language", ["de", "uk", "ar"])
def test_filter_labels_keep_their_words_whole_on_a_phone(page, browser_log, language):
    page.set_viewport_size(PHONE)
    page.goto(f"/{language}/offers/")
    page.locator("details.filters > summary").click()
    assert_filter_labels_whole(page)
    browser_log.assert_clean()


@pytest.mark.usefixtures("live_demo_data")
@pytest.mark.parametrize("language", ["de", "uk"])
def test_filter_labels_keep_their_words_whole_in_the_narrow_sidebar(page, browser_log, language):
    """Just wide enough for the sidebar (56rem): its 17rem are the narrowest the labels get."""
    page.set_viewport_size({"width": 900, "height": 900})
    page.goto(f"/{language}/offers/")
    assert_filter_labels_whole(page, width=900)
    browser_log.assert_clean()


def assert_filter_labels_whole(page, width=PHONE["width"]):
    page.evaluate("document.querySelectorAll('details.facet').forEach((d) => { d.open = true; })")
    count, broken = labels_checked(page, ".facets label")
    assert count > 30, "the facets show fewer labels than the demo data has"
    assert broken == []
    # And nothing makes the page scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.usefixtures("live_demo_data")
@pytest.mark.parametrize("model", ["offers/offer", "events/event"])
def test_admin_checkbox_lists_keep_their_words_whole_on_a_phone(
    admin_page, live_server, browser_log, model
):
    page = admin_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/{model}/add/")
    expect(page.locator("input[type=checkbox]").first).to_be_attached()
    count, broken = labels_checked(page, ".form-row label:has(> input[type=checkbox])")
    assert count > 20, "the form shows fewer checkbox labels than the demo vocabularies"
    assert broken == []
    browser_log.assert_clean()


@pytest.mark.usefixtures("live_demo_data")
@pytest.mark.parametrize("address", ["/admin/offers/offer/", "/admin/"])
def test_the_admin_menu_keeps_its_words_whole(admin_page, live_server, browser_log, address):
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_extra_http_headers({"Accept-Language": "de"})  # long German model names
    page.goto(f"{live_server.url}{address}")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    selector = "#nav-sidebar .module th a" if address != "/admin/" else ".dashboard .module th a"
    count, broken = labels_checked(page, selector)
    assert count > 10, "the admin shows fewer models than the portal has"
    assert broken == []
    browser_log.assert_clean()
