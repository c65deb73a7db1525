"""Residents filter the events in the browser, open one, add it to their calendar and
subscribe to a city's events; on phones too, and without JavaScript (the event pages need
none: the filter form is a plain GET form).

The demo data is loaded for every test (live_demo_data): the real, past Ennepe-Ruhr events
and upcoming events dated from today. Texts are looked up in the German catalog.
"""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q
from django.utils import translation
from playwright.sync_api import expect

from events.models import Event, Occurrence
from tests.browser.texts import german, german_count

pytestmark = pytest.mark.usefixtures("live_demo_data")

BERLIN = ZoneInfo("Europe/Berlin")
LIST = "/de/events/"
PAST = "/de/events/past/"
CAFE = "sprachcafe-unna"
HEADING = "#results-heading"
EVENT_LINKS = ".event-list h3 a"
PHONE_WIDTH = 360


def german_event_count(count):
    return german_count("%(counter)s event", "%(counter)s events", count)


def events_in_unna_on(day):
    """Published events in Unna or across its district with a date on ``day`` (Berlin)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=BERLIN)
    end = start + dt.timedelta(days=1)
    in_unna = Q(event__city__slug="unna") | Q(
        event__city__isnull=True, event__district__slug="kreis-unna"
    )
    return set(
        Occurrence.objects.filter(in_unna, event__publication_status="published")
        .filter(start__lt=end, ends_at__gt=start)
        .values_list("event__slug", flat=True)
    )


def test_filters_events_by_city_and_date_and_opens_one(page, browser_log):
    evening = Occurrence.objects.filter(event__slug=CAFE, cancelled=False).order_by("start").first()
    day = evening.start.astimezone(BERLIN).date()
    expected = events_in_unna_on(day)
    assert CAFE in expected

    page.goto(LIST)
    all_events = page.locator(HEADING).inner_text()
    page.get_by_label(german("City"), exact=True).select_option("unna")
    page.get_by_label(german("From"), exact=True).fill(day.isoformat())
    page.get_by_label(german("Until"), exact=True).fill(day.isoformat())
    page.get_by_role("button", name=german("Show events")).click()

    expect(page).to_have_url(re.compile(r"[?&]city=unna(&|$)"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["from"] == [day.isoformat()] and query["to"] == [day.isoformat()]
    expect(page.locator(HEADING)).to_have_text(german_event_count(len(expected)))
    assert page.locator(HEADING).inner_text() != all_events
    links = page.locator(EVENT_LINKS)
    slugs = {
        href.strip("/").split("/")[-1]
        for href in links.evaluate_all("links => links.map((link) => link.getAttribute('href'))")
    }
    assert slugs == expected
    # The form shows the filters it applied.
    expect(page.get_by_label(german("City"), exact=True)).to_have_value("unna")
    expect(page.get_by_label(german("From"), exact=True)).to_have_value(day.isoformat())

    # The subscribe link carries the same filters.
    feed = page.get_by_role("link", name=german("Subscribe to these events in your calendar app"))
    expect(feed).to_have_attribute(
        "href", re.compile(r"^webcal://.*/de/events/feed\.ics\?city=unna")
    )

    with translation.override("de"):
        title = Event.objects.get(slug=CAFE).title
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#event-status")).to_contain_text(german("confirmed: takes place"))
    calendar = page.get_by_role("link", name=german("Add to calendar (.ics)"))
    expect(calendar).to_have_attribute("href", f"/de/events/{CAFE}.ics")
    with page.expect_download() as download:
        calendar.click()
    assert download.value.suggested_filename == f"{CAFE}.ics"
    browser_log.assert_clean()


def test_a_cancelled_event_is_marked_on_the_list_and_its_page(page, browser_log):
    page.goto(LIST)
    card = page.locator(
        ".event-card", has=page.locator('a[href="/de/events/stadtteilfest-gahmen/"]')
    )
    expect(card.locator(".status-badge")).to_have_text(re.compile("abgesagt", re.IGNORECASE))
    card.locator("h3 a").click()
    status = page.locator("#event-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text(german("This event does not take place."))
    browser_log.assert_clean()


def test_bad_filters_are_explained_on_the_page(page, browser_log):
    page.goto(f"{LIST}?city=atlantis&from=2026-02-31")
    notice = page.locator(".event-filter .notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("atlantis")
    expect(page.locator("#id_from")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(EVENT_LINKS).first).to_be_visible()
    browser_log.assert_clean()


def test_the_archive_lists_the_ennepe_ruhr_events_newest_first(page, browser_log):
    page.goto(f"{PAST}?city=witten")
    links = page.locator(EVENT_LINKS)
    # Witten's own events and those across the Ennepe-Ruhr-Kreis, the newest first:
    # the visit to the Landtag on 4 November 2020 (district-wide).
    expect(links.first).to_have_attribute("href", "/de/events/landtagsbesuch-gefluechtete-2020/")
    hrefs = links.evaluate_all("links => links.map((link) => link.getAttribute('href'))")
    assert "/de/events/workshop-akteure-integrationsarbeit-2020/" in hrefs
    assert (
        "/de/events/lass-mal-reden-diversitaet-sport-gesellschaft-2020/" not in hrefs
    )  # Gevelsberg
    page.get_by_role("link", name=german("Upcoming events"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/de/events/\?city=witten$"))
    browser_log.assert_clean()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_form_filters(page, browser_log):
    page.goto(LIST)
    page.get_by_label(german("Topic"), exact=True).select_option("sport")
    page.get_by_role("button", name=german("Show events")).click()
    expect(page).to_have_url(re.compile(r"[?&]category=sport(&|$)"))
    count = Event.objects.published().upcoming().filter(categories__slug="sport").count()
    expect(page.locator(HEADING)).to_have_text(german_event_count(count))
    browser_log.assert_clean()


@pytest.mark.parametrize("path", [LIST, f"/de/events/{CAFE}/"], ids=["list", "event"])
def test_phone_sized_screens_need_no_sideways_scrolling(page, browser_log, path):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto(path)
    page.wait_for_load_state()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"{path} scrolls sideways: {scroll_width}px wide"
    browser_log.assert_clean()
