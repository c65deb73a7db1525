"""The Content-Security-Policy holds on the public pages and in the admin, and what it could
break still works: the search and event maps, the admin's language tabs, its map widget,
the "add another" popups, the import, the export and the history's comparison.

Every violation the browser reports (``securitypolicyviolation``, in popups too) is
collected; the browser log also fails on Chromium's "Refused to ..." console errors.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Event
from offers.models import Offer
from pages.models import Page
from places.models import City

pytestmark = pytest.mark.usefixtures("live_demo_data")

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile}:${event.lineNumber} (${document.location.pathname})`
  );
});
"""


@pytest.fixture
def violations(context):
    found = []
    context.expose_function("__reportViolation", lambda text: found.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    return found


def visit(page, address):
    """Open the page, which must be under a policy that allows no inline script."""
    response = page.goto(address)
    page.wait_for_load_state("load")
    script_src = next(
        directive
        for directive in response.headers["content-security-policy"].split(";")
        if directive.split()[0] == "script-src"
    )
    assert "'unsafe-inline'" not in script_src, address
    return response


def assert_no_violations(page, violations, browser_log):
    # Reports are queued as tasks: let them arrive.
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
    browser_log.assert_clean()


def public_addresses():
    offer = Offer.objects.published().filter(venue__latitude__isnull=False).first()
    event = Event.objects.published().first()
    page = Page.objects.published().first()
    city = City.objects.first()
    return [
        "/de/",
        "/ar/",
        "/de/offers/?q=deutsch",
        "/de/offers/map/",
        offer.get_absolute_url(),
        "/de/events/",
        event.get_absolute_url(),
        "/de/cities/",
        reverse("cities:detail", args=[city.slug]),
        "/de/providers/",
        page.get_absolute_url(),
        "/de/offers/suggest/",
        reverse("embed:city", args=[city.slug]),
        "/ar/embed/offers/?category=beratung",
    ]


def test_public_pages_keep_the_policy(page, violations, browser_log):
    for address in public_addresses():
        visit(page, address)
    # The search's own script ran (it marks the form as applying changes at once).
    visit(page, "/de/offers/")
    expect(page.locator("form[data-auto-submit]")).to_have_class(re.compile(r"\bauto-submit\b"))
    # The map script ran.
    visit(page, "/de/offers/map/")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert_no_violations(page, violations, browser_log)


def test_the_admin_keeps_the_policy(live_server, violations, browser_log, admin_page):
    page = admin_page  # logging in went through the login page under the policy
    offer = Offer.objects.published().first()
    event = Event.objects.first()
    for address in [
        "/admin/",
        "/admin/offers/offer/",
        "/admin/offers/offer/?q=deutsch",
        "/admin/events/event/",
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_event_add"),
        "/admin/offers/offer/import/",
        "/admin/providers/provider/import/",
        "/admin/translations/textchange/",
        reverse("admin:offers_offer_history", args=[offer.pk]),
    ]:
        assert visit(page, address).status == 200, address
    assert_no_violations(page, violations, browser_log)


def open_tab(page, field):
    """Open the language tab of a translated field (modeltranslation's jQuery UI tabs)."""
    page.locator(f'.ui-tabs-nav a[href="#tab_id_{field}"]').click()


def test_the_language_tabs_switch_fields_under_the_policy(
    live_server, violations, browser_log, admin_page
):
    page = admin_page
    offer = Offer.objects.published().first()
    visit(page, reverse("admin:offers_offer_change", args=[offer.pk]))
    # The tab of the admin's language is open first; Arabic is not the admin's language.
    arabic = page.locator("#id_name_ar")
    expect(arabic).to_be_hidden()
    open_tab(page, "name_ar")
    expect(arabic).to_be_visible()
    expect(page.locator("#id_name_de")).to_be_hidden()
    open_tab(page, "name_de")
    expect(page.locator("#id_name_de")).to_be_visible()
    expect(arabic).to_be_hidden()
    assert_no_violations(page, violations, browser_log)


def test_the_map_widget_works_under_the_policy(live_server, violations, browser_log, admin_page):
    page = admin_page
    city = City.objects.filter(latitude__isnull=False).first()
    visit(page, reverse("admin:places_city_change", args=[city.pk]))
    marker = page.locator("[data-coordinates-map] .leaflet-marker-icon")
    expect(marker).to_be_visible()
    # Removing the pin empties the fields; a click on the map places it again.
    page.locator("[data-coordinates-map] .coordinates-map__remove").click()
    expect(page.locator("#id_latitude")).to_have_value("")
    expect(marker).to_have_count(0)
    canvas = page.locator("[data-coordinates-map] .coordinates-map__canvas")
    box = canvas.bounding_box()  # (away from the zoom buttons in the corner)
    canvas.click(position={"x": box["width"] / 2 + 80, "y": box["height"] / 2 - 40})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    expect(marker).to_be_visible()
    assert_no_violations(page, violations, browser_log)


def test_add_another_popups_work_under_the_policy(live_server, violations, browser_log, admin_page):
    """X-Frame-Options DENY: the "+" next to a choice opens a window, not a frame."""
    page = admin_page
    visit(page, reverse("admin:offers_offer_add"))
    with page.expect_popup() as popup_info:
        page.locator("#add_id_provider").click()
    popup = popup_info.value
    popup.wait_for_load_state("load")
    popup.locator("#id_name").press_sequentially("Neuer Anbieter Test")
    # The slug follows the name (the admin's prepopulate script runs under the policy).
    expect(popup.locator("#id_slug")).to_have_value("neuer-anbieter-test")
    # Listening before the click: the saved popup may close before a wait started after it.
    with popup.expect_event("close"):
        popup.locator("[name=_save]").first.click()
    expect(page.locator("#id_provider")).to_contain_text("Neuer Anbieter Test")
    assert_no_violations(page, violations, browser_log)


def test_history_compare_and_export_work_under_the_policy(
    live_server, violations, browser_log, admin_page
):
    page = admin_page
    offer = Offer.objects.published().first()
    change = reverse("admin:offers_offer_change", args=[offer.pk])
    for name in ["Erste Fassung", "Zweite Fassung"]:
        visit(page, change)
        open_tab(page, "name_de")
        page.fill("#id_name_de", name)
        page.locator("[name=_continue]").first.click()
        page.wait_for_load_state("load")
    visit(page, reverse("admin:offers_offer_history", args=[offer.pk]))
    page.locator("#change-history [type=submit]").first.click()
    page.wait_for_load_state("load")
    expect(page.locator(".word-diff").first).to_be_visible()
    # The export page with its "select all" toggle.
    visit(page, "/admin/offers/offer/export/")
    toggle = page.locator("input.select-toggle")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    if toggle.count():
        toggle.first.uncheck()
        assert not fields.first.is_checked()
        toggle.first.check()
        assert fields.first.is_checked()
    assert_no_violations(page, violations, browser_log)
