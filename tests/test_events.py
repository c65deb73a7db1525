"""Events as residents meet them: the upcoming and past lists with their filters, the event
page with its status and dates, the calendar files, series, time zones, and events on the
home, city and provider pages. Everything through URLs, as a browser or calendar app asks.

Most tests build a small world of their own with dates counted from today, so that they
hold whatever day they run; a few use the demo data (the real Ennepe-Ruhr events).
"""

import datetime as dt
import json
import re
from decimal import Decimal
from html import unescape
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from content.publication import PublicationStatus
from events.demo import create_upcoming_events
from events.models import CancelledDate, Event, EventDate, EventStatus, Occurrence
from events.recurrence import Repeat
from tests.factories import make_city, make_district, make_provider, make_venue, make_vocabulary
from tests.pages import assets_of, html_of
from vocabularies.models import Category, TargetGroup

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
LIST, PAST, FEED = "/en/events/", "/en/events/past/", "/en/events/feed.ics"
DASH = "\N{EN DASH}"


# --- A small world ---------------------------------------------------------------------------


def at(day, hour=0, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


def today():
    return timezone.localdate()


def in_days(days, hour=18, minute=0):
    return at(today() + dt.timedelta(days=days), hour, minute)


def nth_weekday_after(day, weekday, nth):
    """The first ``nth`` ``weekday`` (0 = Monday) of a month that lies after ``day``."""
    month = day.replace(day=1)
    while True:
        first = month + dt.timedelta(days=(weekday - month.weekday()) % 7)
        candidate = first + dt.timedelta(weeks=nth - 1)
        if candidate > day and candidate.month == month.month:
            return candidate
        month = (month + dt.timedelta(days=32)).replace(day=1)


@pytest.fixture
def place(db):
    unna_district = make_district("Kreis Unna", ki_name="Kommunales Integrationszentrum Kreis Unna")
    en_district = make_district("Ennepe-Ruhr-Kreis")
    unna = make_city("Unna", district=unna_district)
    return SimpleNamespace(
        unna_district=unna_district,
        en_district=en_district,
        unna=unna,
        kamen=make_city("Kamen", district=unna_district),
        witten=make_city("Witten", district=en_district),
        venue=make_venue(
            unna,
            "Zentrum für Information und Bildung",
            street="Lindenplatz 1",
            postcode="59423",
            latitude=Decimal("51.536400"),
            longitude=Decimal("7.686800"),
        ),
        sport=make_vocabulary(Category, "Sport", label_en="Sport"),
        meeting=make_vocabulary(Category, "Begegnung", label_en="Meeting people"),
        everyone=make_vocabulary(
            TargetGroup, "alle Interessierten", label_en="everyone", slug="everyone"
        ),
        parents=make_vocabulary(TargetGroup, "Eltern", label_en="parents", slug="parents"),
        provider=make_provider("Volkshochschule Unna", slug="vhs-unna", city=unna),
    )


def make_event(place, slug, dates, city="unna", cancelled=(), categories=(), groups=(), **fields):
    """An event with the given dates (datetimes, or dicts of EventDate fields)."""
    city = getattr(place, city) if city else None
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    fields.setdefault("district", city.district if city else place.unna_district)
    fields.setdefault("title_de", f"Titel {slug}")
    fields.setdefault("title_en", f"Title {slug}")
    event = Event.objects.create(slug=slug, city=city, **fields)
    for date in dates:
        EventDate.objects.create(
            event=event, **(date if isinstance(date, dict) else {"start": date})
        )
    for day in cancelled:
        CancelledDate.objects.create(event=event, date=day)
    event.categories.set(categories)
    event.target_groups.set(groups)
    return event


def main_of(response):
    html = html_of(response)
    return html[html.index("<main") : html.index("</main>")]


def listed_slugs(response):
    """The events of a list page, in order."""
    return re.findall(r'<h3><a href="/\w\w/events/([^/]+)/">', main_of(response))


def notes_of(response):
    html = main_of(response)
    match = re.search(r'<div class="notice" role="status">(.*?)</div>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def calendar_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar):
    return calendar.walk("VEVENT")


def utc(component, name):
    return component.decoded(name).astimezone(UTC)


def json_ld(response):
    html = html_of(response)
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(data)


def german(message):
    with translation.override("de"):
        return translation.gettext(message)


# --- Lists ---------------------------------------------------------------------------------------


def test_upcoming_list_is_in_date_order_with_running_events_and_without_past_ones(client, place):
    make_event(place, "later", [in_days(9)])
    make_event(place, "soon", [in_days(2)])
    make_event(place, "running", [{"start": in_days(-2, 10), "end": in_days(3, 16)}])
    make_event(place, "over", [in_days(-5)])
    make_event(place, "no-dates-yet", [])
    assert listed_slugs(client.get(LIST)) == ["running", "soon", "later"]


def test_past_list_is_newest_first_and_keeps_every_past_event(client, place):
    make_event(place, "last-year", [in_days(-400)])
    make_event(place, "last-week", [in_days(-7)])
    make_event(place, "last-month", [in_days(-30)])
    make_event(place, "tomorrow", [in_days(1)])
    assert listed_slugs(client.get(PAST)) == ["last-week", "last-month", "last-year"]
    # Nothing is deleted when its date passes: the page of a past event still answers.
    assert "Title last-year" in html_of(client.get("/en/events/last-year/"))


def test_an_event_on_today_without_end_time_stays_upcoming_until_the_day_is_over(client, place):
    make_event(place, "this-morning", [in_days(0, 0, 1)])
    make_event(place, "all-day-today", [{"start": in_days(0, 0), "date_only": True}])
    assert set(listed_slugs(client.get(LIST))) == {"this-morning", "all-day-today"}


def test_each_event_is_listed_once_with_its_next_date(client, place):
    make_event(
        place,
        "training",
        [
            {"start": in_days(-1, 15), "end": in_days(-1, 19)},
            {"start": in_days(1, 15), "end": in_days(1, 19)},
            {"start": in_days(6, 15), "end": in_days(6, 19)},
        ],
    )
    response = client.get(LIST)
    assert listed_slugs(response) == ["training"]
    html = main_of(response)
    next_day = today() + dt.timedelta(days=1)
    assert f'datetime="{in_days(1, 15).isoformat()}"' in html
    assert f"{next_day:%b}" in html and f"15:00{DASH}19:00" in html
    assert "and 1 more date" in html


def test_lists_are_paginated_with_the_shared_page_links(client, place):
    for number in range(23):
        make_event(place, f"event-{number:02}", [in_days(1 + number)])
    first = client.get(LIST)
    assert len(listed_slugs(first)) == 20
    assert 'rel="next" href="?page=2"' in html_of(first)
    second = client.get(LIST, {"page": 2, "city": "unna"})
    assert listed_slugs(second) == ["event-20", "event-21", "event-22"]
    assert 'rel="prev" href="?city=unna&amp;page=1"' in html_of(second)


# --- Every status, on the list and on the event page ------------------------------------------

STATUS_TEXTS = {
    EventStatus.SCHEDULED: "This event is planned as announced below.",
    EventStatus.CONFIRMED: "This event takes place as announced.",
    EventStatus.POSTPONED: "The new date is not yet known.",
    EventStatus.RESCHEDULED: "it has been moved to a new date",
    EventStatus.CANCELLED: "This event does not take place.",
    EventStatus.FULLY_BOOKED: "All places are taken.",
}
SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.CONFIRMED: "EventScheduled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.RESCHEDULED: "EventRescheduled",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.FULLY_BOOKED: "EventScheduled",
}


@pytest.mark.parametrize("status", EventStatus.values)
def test_every_status_shows_on_the_list_and_the_event_page(client, place, status):
    fields = {"status": status, "status_note_en": "see the note"}
    if status == EventStatus.RESCHEDULED:
        fields["rescheduled_to"] = make_event(place, "new-date", [in_days(20)])
    event = make_event(place, "the-event", [in_days(5)], **fields)
    with translation.override("en"):
        label = event.get_status_display()
    with translation.override("de"):
        german_label = event.get_status_display()

    listed = main_of(client.get(LIST))
    card = listed[listed.index("/en/events/the-event/") :].split("</li>")[0]
    assert f"status-badge--{status}" in card
    assert f'<span class="status-badge__label">{label}</span>' in card
    assert german_label in main_of(client.get("/de/events/"))

    page = main_of(client.get("/en/events/the-event/"))
    banner = page[page.index('id="event-status"') :].split("</div>")[0]
    assert f"<strong>{label}</strong> {DASH} <span>see the note</span>" in banner
    assert STATUS_TEXTS[status] in banner
    assert json_ld(client.get("/en/events/the-event/"))["eventStatus"] == (
        "https://schema.org/" + SCHEMA_STATUS[status]
    )


def test_postponed_to_a_new_date_links_the_event_with_that_date(client, place):
    new = make_event(place, "new-date", [{"start": in_days(30, 18), "end": in_days(30, 20)}])
    make_event(
        place,
        "old-date",
        [in_days(3, 18)],
        status=EventStatus.RESCHEDULED,
        rescheduled_to=new,
    )
    page = main_of(client.get("/en/events/old-date/"))
    assert '<a href="/en/events/new-date/">To the event on its new date:' in page
    assert f"18:00{DASH}20:00" in page
    data = json_ld(client.get("/en/events/old-date/"))
    assert data["startDate"] == in_days(30, 18).isoformat()
    assert data["previousStartDate"] == in_days(3, 18).isoformat()


def test_the_new_date_is_not_linked_while_it_is_a_draft(client, admin_client, place):
    new = make_event(place, "new-date", [in_days(30)], publication_status=PublicationStatus.DRAFT)
    make_event(place, "old", [in_days(3)], status=EventStatus.RESCHEDULED, rescheduled_to=new)
    assert "/en/events/new-date/" not in main_of(client.get("/en/events/old/"))
    assert "/en/events/new-date/" in main_of(admin_client.get("/en/events/old/"))


# --- The event page --------------------------------------------------------------------------


def test_event_page_has_everything_to_take_part(client, place):
    make_event(
        place,
        "workshop",
        [{"start": in_days(10, 9, 30), "end": in_days(10, 15, 30)}],
        venue=place.venue,
        venue_note_en="Room 2.04",
        organizer=place.provider,
        target_group_note_en="no previous knowledge needed",
        registration_required=True,
        registration_how_en="Write us which languages you speak.",
        registration_url="https://www.example.org/register",
        registration_email="register@example.org",
        registration_deadline=today() + dt.timedelta(days=5),
        contact_name="Lea Hoffmann",
        contact_phone="0123 4567-101",
        contact_email="lea@example.org",
        description_en="Practise together.",
        categories=[place.sport],
        groups=[place.parents],
    )
    event = Event.objects.get(slug="workshop")
    event.attachments.create(
        kind="programme", title_de="Programm", title_en="Programme", url="https://example.org/p.pdf"
    )
    page = main_of(client.get("/en/events/workshop/"))
    for text in [
        "Title workshop",
        f"09:30{DASH}15:30",
        "Zentrum für Information und Bildung",
        "Lindenplatz 1, 59423 Unna",
        "Room 2.04",
        '<a href="/en/providers/vhs-unna/">Volkshochschule Unna</a>',
        "Sport",
        "parents",
        "no previous knowledge needed",
        "<strong>required</strong>",
        "Write us which languages you speak.",
        'href="https://www.example.org/register"',
        'href="mailto:register@example.org"',
        "Lea Hoffmann",
        'href="tel:01234567101"',
        'href="mailto:lea@example.org"',
        "Practise together.",
        '<a href="https://example.org/p.pdf">Programme</a> (programme)',
        'href="/en/events/workshop.ics"',
        'id="venue-map"',
        "data-offer-map",
    ]:
        assert text in page, text
    deadline = today() + dt.timedelta(days=5)
    assert f"until {deadline.day} {deadline:%B} {deadline.year}" in page
    assert "the registration deadline has passed" not in page


def test_a_passed_registration_deadline_is_pointed_out(client, place):
    make_event(
        place,
        "late",
        [in_days(3)],
        registration_required=True,
        registration_deadline=today() - dt.timedelta(days=1),
    )
    assert "the registration deadline has passed" in main_of(client.get("/en/events/late/"))


def test_event_without_registration_or_venue_says_so(client, place):
    make_event(place, "festival", [in_days(3)], city=None, venue_note_en="across the district")
    page = main_of(client.get("/en/events/festival/"))
    assert "not required" in page
    assert "across the district" in page
    assert "data-offer-map" not in page


def test_event_page_json_ld_describes_place_and_organizer(client, place):
    make_event(place, "talk", [in_days(4, 18)], venue=place.venue, organizer=place.provider)
    data = json_ld(client.get("/en/events/talk/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Title talk"
    assert data["url"] == "http://testserver/en/events/talk/"
    assert data["startDate"] == in_days(4, 18).isoformat()
    assert data["location"]["address"]["streetAddress"] == "Lindenplatz 1"
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 51.5364,
        "longitude": 7.6868,
    }
    assert data["organizer"]["name"] == "Volkshochschule Unna"


def test_json_ld_cannot_be_broken_out_of(client, place):
    make_event(place, "script", [in_days(4)], title_en="</script><script>alert(1)</script>")
    html = html_of(client.get("/en/events/script/"))
    assert "</script><script>alert(1)" not in html
    assert json_ld(client.get("/en/events/script/"))["name"].startswith("</script>")


# --- Several dates, spans and series -------------------------------------------------------


def test_witten_training_shows_its_three_afternoons(client, demo_data):
    page = main_of(client.get("/de/events/laien-sprachmittlerpool-grundlagenschulung-witten-2020/"))
    for day in ("24. August 2020", "26. August 2020", "31. August 2020"):
        assert f"{day}, 15:00{DASH}19:00 Uhr" in page, day
    assert "Belehrungsraum" in page
    assert "findet statt" in page.lower()


def test_woche_der_vielfalt_is_one_span_of_nine_days(client, demo_data):
    page = main_of(client.get("/de/events/woche-der-vielfalt-2020/"))
    assert f"Sa, 26. September 2020 {DASH} So, 4. Oktober 2020" in page
    (component,) = vevents(calendar_of(client.get("/de/events/woche-der-vielfalt-2020.ics")))
    assert component.decoded("dtstart") == dt.date(2020, 9, 26)
    # DTEND of a whole-day event is the day after its last day (RFC 5545).
    assert component.decoded("dtend") == dt.date(2020, 10, 5)


def test_a_span_is_upcoming_while_it_runs_and_listed_by_its_start(client, place):
    make_event(
        place,
        "week",
        [{"start": in_days(-3, 0), "end": in_days(4, 23, 59), "date_only": True}],
    )
    html = main_of(client.get(LIST))
    assert listed_slugs(client.get(LIST)) == ["week"]
    first, last = today() - dt.timedelta(days=3), today() + dt.timedelta(days=4)
    assert f'datetime="{first.isoformat()}"' in html
    assert f"{last.day} {last:%B} {last.year}" in html  # "24 November 2026": the span's last day


def local_days(event):
    return [
        (occurrence.start.astimezone(BERLIN).date(), occurrence.cancelled)
        for occurrence in Occurrence.objects.filter(event=event)
    ]


def test_a_monthly_series_on_the_second_tuesday_with_a_cancelled_evening(place):
    event = make_event(
        place,
        "cafe",
        [
            {
                "start": at(dt.date(2027, 1, 12), 18),
                "end": at(dt.date(2027, 1, 12), 20),
                "repeat": Repeat.MONTHLY_WEEKDAY,
                "repeat_until": dt.date(2027, 6, 30),
            }
        ],
        cancelled=[dt.date(2027, 3, 9)],
    )
    assert local_days(event) == [
        (dt.date(2027, 1, 12), False),
        (dt.date(2027, 2, 9), False),
        (dt.date(2027, 3, 9), True),
        (dt.date(2027, 4, 13), False),
        (dt.date(2027, 5, 11), False),
        (dt.date(2027, 6, 8), False),
    ]
    times = {
        (o.start.astimezone(BERLIN).time(), o.end.astimezone(BERLIN).time())
        for o in Occurrence.objects.filter(event=event)
    }
    assert times == {(dt.time(18), dt.time(20))}


def test_weekly_every_other_week_monthly_by_day_and_the_last_weekday(place):
    fortnightly = make_event(
        place,
        "fortnightly",
        [
            {
                "start": at(dt.date(2027, 3, 6), 11),
                "repeat": Repeat.WEEKLY,
                "interval": 2,
                "repeat_until": dt.date(2027, 4, 17),
            }
        ],
    )
    assert [day for day, _cancelled in local_days(fortnightly)] == [
        dt.date(2027, 3, 6),
        dt.date(2027, 3, 20),
        dt.date(2027, 4, 3),
        dt.date(2027, 4, 17),
    ]
    # The 31st: months without one are skipped, as RFC 5545 says.
    monthly = make_event(
        place,
        "monthly",
        [
            {
                "start": at(dt.date(2027, 1, 31), 10),
                "repeat": Repeat.MONTHLY_DAY,
                "repeat_until": dt.date(2027, 5, 31),
            }
        ],
    )
    assert [day for day, _cancelled in local_days(monthly)] == [
        dt.date(2027, 1, 31),
        dt.date(2027, 3, 31),
        dt.date(2027, 5, 31),
    ]
    # A fifth Friday is always the last one: the series stays on the month's last Friday.
    last_friday = make_event(
        place,
        "last-friday",
        [
            {
                "start": at(dt.date(2027, 1, 29), 19),
                "repeat": Repeat.MONTHLY_WEEKDAY,
                "repeat_until": dt.date(2027, 3, 31),
            }
        ],
    )
    assert [day for day, _cancelled in local_days(last_friday)] == [
        dt.date(2027, 1, 29),
        dt.date(2027, 2, 26),
        dt.date(2027, 3, 26),
    ]


@pytest.fixture
def cafe(place):
    """A language café on the 2nd Tuesday of each of the next six months, 18-20 h, its
    second evening cancelled."""
    first = nth_weekday_after(today(), weekday=1, nth=2)
    evenings = [first]
    while len(evenings) < 6:
        evenings.append(nth_weekday_after(evenings[-1], weekday=1, nth=2))
    event = make_event(
        place,
        "cafe",
        [
            {
                "start": at(first, 18),
                "end": at(first, 20),
                "repeat": Repeat.MONTHLY_WEEKDAY,
                "repeat_until": evenings[-1],
            }
        ],
        cancelled=[evenings[1]],
        venue=place.venue,
    )
    return SimpleNamespace(event=event, evenings=evenings)


def test_series_page_states_the_rule_and_marks_the_cancelled_evening(client, cafe):
    page = main_of(client.get("/en/events/cafe/"))
    assert "<strong>Every second Tuesday of the month, until" in page
    assert f"{cafe.evenings[-1].year}</strong>, 18:00{DASH}20:00" in page
    assert page.count("<time ") == 6
    cancelled = page[page.index('<li class="cancelled">') :].split("</li>")[0]
    assert f'datetime="{at(cafe.evenings[1], 18).isoformat()}"' in cancelled
    assert "<strong>cancelled</strong>" in cancelled
    german_page = main_of(client.get("/de/events/cafe/"))
    assert "Jeden zweiten Dienstag im Monat" in german_page
    assert "<strong>abgesagt</strong>" in german_page


def test_a_series_is_listed_once_with_its_next_evening(client, cafe):
    response = client.get(LIST)
    assert listed_slugs(response) == ["cafe"]
    html = main_of(response)
    assert f'datetime="{at(cafe.evenings[0], 18).isoformat()}"' in html
    assert "and 4 more dates" in html  # six evenings, one of them cancelled


def test_a_date_range_shows_the_series_evening_within_it(client, cafe):
    evening = cafe.evenings[3]
    response = client.get(LIST, {"from": evening.isoformat(), "to": evening.isoformat()})
    assert listed_slugs(response) == ["cafe"]
    assert f'datetime="{at(evening, 18).isoformat()}"' in main_of(response)
    # The cancelled evening alone: the series is still shown, with that date marked.
    cancelled = cafe.evenings[1]
    response = client.get(LIST, {"from": cancelled.isoformat(), "to": cancelled.isoformat()})
    assert listed_slugs(response) == ["cafe"]
    assert "this date is cancelled" in main_of(response)
    # Between two evenings nothing takes place.
    gap = cafe.evenings[2] + dt.timedelta(days=1)
    assert listed_slugs(client.get(LIST, {"from": gap.isoformat(), "to": gap.isoformat()})) == []


def test_a_series_moves_to_the_past_after_its_last_evening(client, place):
    make_event(
        place,
        "old-series",
        [
            {
                "start": in_days(-60, 18),
                "repeat": Repeat.WEEKLY,
                "repeat_until": today() - dt.timedelta(days=4),
            }
        ],
    )
    assert listed_slugs(client.get(LIST)) == []
    assert listed_slugs(client.get(PAST)) == ["old-series"]
    assert "The series ended with its date on" in main_of(client.get("/en/events/old-series/"))


def test_occurrences_follow_every_change_of_dates_and_cancelled_days(place):
    event = make_event(
        place,
        "series",
        [
            {
                "start": at(dt.date(2027, 3, 2), 18),
                "repeat": Repeat.WEEKLY,
                "repeat_until": dt.date(2027, 3, 23),
            }
        ],
    )
    assert len(local_days(event)) == 4
    date = event.dates.get()
    date.repeat_until = dt.date(2027, 3, 16)
    date.save()
    assert len(local_days(event)) == 3
    cancelled = CancelledDate.objects.create(event=event, date=dt.date(2027, 3, 9))
    assert (dt.date(2027, 3, 9), True) in local_days(event)
    cancelled.delete()
    assert (dt.date(2027, 3, 9), False) in local_days(event)
    extra = EventDate.objects.create(event=event, start=at(dt.date(2027, 4, 1), 10))
    assert len(local_days(event)) == 4
    extra.delete()
    assert len(local_days(event)) == 3
    event.delete()
    assert not Occurrence.objects.exists()


def test_deleting_events_in_bulk_leaves_no_occurrence_behind(place):
    for slug in ("a", "b"):
        make_event(place, slug, [in_days(3)], cancelled=[today() + dt.timedelta(days=3)])
    Event.objects.all().delete()
    assert not Occurrence.objects.exists()
    assert not EventDate.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"repeat": Repeat.WEEKLY}, "repeat_until", "day of its last repetition"),
        (
            {"repeat": Repeat.WEEKLY, "repeat_until": dt.date(2027, 2, 1)},
            "repeat_until",
            "cannot be before the first date",
        ),
        ({"repeat_until": dt.date(2027, 6, 1)}, "repeat", "Choose how the date repeats"),
        (
            {
                "repeat": Repeat.WEEKLY,
                "repeat_until": dt.date(2027, 6, 1),
                "end": at(dt.date(2027, 3, 3), 10),
            },
            "end",
            "must end on the day it starts",
        ),
        (
            {"repeat": Repeat.WEEKLY, "repeat_until": dt.date(2206, 3, 2)},
            "repeat_until",
            "at most 300 dates",
        ),
    ],
)
def test_a_series_must_be_well_formed(place, fields, field, message):
    event = make_event(place, "series", [])
    date = EventDate(event=event, start=at(dt.date(2027, 3, 2), 18), **fields)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            date.full_clean()
        assert message in " ".join(error.value.message_dict.get(field, []))


def test_event_slugs_past_and_feed_are_reserved(place):
    event = Event(title_de="Vergangenes", slug="past", district=place.unna_district)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "slug" in error.value.message_dict


# --- Time zone and daylight saving -------------------------------------------------------------


def test_18_00_before_and_after_the_end_of_summer_time_shows_and_exports_18_00(client, place):
    # In 2027 summer time ends on 31 October: the 30th is CEST (UTC+2), 3 November CET.
    make_event(
        place,
        "autumn",
        [at(dt.date(2027, 10, 30), 18), at(dt.date(2027, 11, 3), 18)],
    )
    page = main_of(client.get("/de/events/autumn/"))
    assert "Sa, 30. Oktober 2027, 18:00 Uhr" in page
    assert "Mi, 3. November 2027, 18:00 Uhr" in page
    assert "17:00" not in page and "19:00" not in page
    starts = sorted(
        utc(c, "dtstart") for c in vevents(calendar_of(client.get("/de/events/autumn.ics")))
    )
    assert starts == [
        dt.datetime(2027, 10, 30, 16, 0, tzinfo=UTC),
        dt.datetime(2027, 11, 3, 17, 0, tzinfo=UTC),
    ]


def test_a_weekly_series_keeps_its_hour_across_the_change(client, place):
    event = make_event(
        place,
        "weekly",
        [
            {
                "start": at(dt.date(2027, 10, 23), 18),
                "end": at(dt.date(2027, 10, 23), 20),
                "repeat": Repeat.WEEKLY,
                "repeat_until": dt.date(2027, 11, 6),
            }
        ],
    )
    stored = [o.start for o in Occurrence.objects.filter(event=event)]
    assert stored == [
        dt.datetime(2027, 10, 23, 16, tzinfo=UTC),
        dt.datetime(2027, 10, 30, 16, tzinfo=UTC),
        dt.datetime(2027, 11, 6, 17, tzinfo=UTC),
    ]
    (component,) = vevents(calendar_of(client.get("/en/events/weekly.ics")))
    assert component.decoded("dtstart").tzinfo.key == "Europe/Berlin"
    # What a calendar app does with the file: expand the rule in the event's time zone.
    rule = rrulestr(component.get("rrule").to_ical().decode(), dtstart=component.decoded("dtstart"))
    assert [start.astimezone(UTC) for start in rule] == stored


def test_the_calendar_has_a_vtimezone_for_berlin(client, place):
    make_event(place, "talk", [in_days(3)])
    calendar = calendar_of(client.get("/en/events/talk.ics"))
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    rules = {part.name: part for part in zone.subcomponents}
    # Summer time from the last Sunday of March, winter time from the last Sunday of October.
    assert dict(rules["DAYLIGHT"].get("rrule")) == {
        "FREQ": ["YEARLY"],
        "BYMONTH": [3],
        "BYDAY": ["-1SU"],
    }
    assert dict(rules["STANDARD"].get("rrule")) == {
        "FREQ": ["YEARLY"],
        "BYMONTH": [10],
        "BYDAY": ["-1SU"],
    }
    assert rules["DAYLIGHT"]["TZOFFSETTO"].to_ical() == "+0200"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (component,) = vevents(calendar)
    assert component["DTSTART"].params["TZID"] == "Europe/Berlin"


# --- Calendar files ------------------------------------------------------------------------


def test_an_event_file_parses_back_with_the_same_data(client, place):
    make_event(
        place,
        "training",
        [
            {"start": in_days(3, 15), "end": in_days(3, 19)},
            {"start": in_days(5, 15), "end": in_days(5, 19)},
            {"start": in_days(10, 15), "end": in_days(10, 19)},
        ],
        venue=place.venue,
        status=EventStatus.CONFIRMED,
        categories=[place.meeting],
        description_en="Three afternoons.",
    )
    response = client.get("/en/events/training.ics")
    assert response["Content-Disposition"] == 'attachment; filename="training.ics"'
    components = vevents(calendar_of(response))
    event = Event.objects.get(slug="training")
    assert [(utc(c, "dtstart"), utc(c, "dtend")) for c in components] == [
        (date.start, date.end) for date in event.dates.all()
    ]
    uids = [str(c["UID"]) for c in components]
    assert len(set(uids)) == 3
    assert {uid.split("-date-")[0] for uid in uids} == {f"event-{event.pk}"}
    for component in components:
        assert str(component["SUMMARY"]) == "Title training"
        assert str(component["STATUS"]) == "CONFIRMED"
        assert str(component["LOCATION"]) == (
            "Zentrum für Information und Bildung, Lindenplatz 1, 59423 Unna"
        )
        assert str(component["URL"]) == "http://testserver/en/events/training/"
        assert "Three afternoons." in str(component["DESCRIPTION"])
        assert component.get("categories").cats == ["Meeting people"]
        geo = component.get("geo")
        assert (geo.latitude, geo.longitude) == (51.5364, 7.6868)


def test_the_series_file_has_its_rule_and_cancelled_evening(client, cafe):
    (component,) = vevents(calendar_of(client.get("/en/events/cafe.ics")))
    rule = component.get("rrule")
    assert rule["FREQ"] == ["MONTHLY"]
    assert rule["BYDAY"] == ["2TU"]
    assert rule["UNTIL"][0].astimezone(BERLIN).date() == cafe.evenings[-1]
    excluded = [value.dt for value in component.get("exdate").dts]
    assert excluded == [at(cafe.evenings[1], 18)]
    assert component["EXDATE"].params["TZID"] == "Europe/Berlin"
    expanded = rrulestr(rule.to_ical().decode(), dtstart=component.decoded("dtstart"))
    assert [start.date() for start in expanded] == cafe.evenings


@pytest.mark.parametrize(
    ("status", "ical_status", "summary"),
    [
        (EventStatus.SCHEDULED, "CONFIRMED", "Title e"),
        (EventStatus.CONFIRMED, "CONFIRMED", "Title e"),
        (EventStatus.FULLY_BOOKED, "CONFIRMED", "Fully booked: Title e"),
        (EventStatus.POSTPONED, "TENTATIVE", "Postponed: Title e"),
        (EventStatus.RESCHEDULED, "CANCELLED", "Postponed: Title e"),
        (EventStatus.CANCELLED, "CANCELLED", "Cancelled: Title e"),
    ],
)
def test_the_status_reaches_the_calendar(client, place, status, ical_status, summary):
    fields = {"status": status}
    if status == EventStatus.RESCHEDULED:
        fields["rescheduled_to"] = make_event(place, "new", [in_days(9)])
    make_event(place, "e", [in_days(3)], **fields)
    (component,) = vevents(calendar_of(client.get("/en/events/e.ics")))
    assert str(component["STATUS"]) == ical_status
    assert str(component["SUMMARY"]) == summary


def test_a_cancelled_day_of_several_is_cancelled_in_the_calendar(client, place):
    make_event(
        place,
        "three-days",
        [in_days(3, 15), in_days(5, 15), in_days(7, 15)],
        cancelled=[today() + dt.timedelta(days=5)],
    )
    components = vevents(calendar_of(client.get("/en/events/three-days.ics")))
    assert [str(c["STATUS"]) for c in components] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]


def test_the_feed_is_the_list_with_the_same_filters(client, place):
    make_event(place, "unna-sport", [in_days(3)], categories=[place.sport])
    make_event(place, "unna-meeting", [in_days(4)], categories=[place.meeting])
    make_event(place, "kamen-sport", [in_days(5)], city="kamen", categories=[place.sport])
    make_event(place, "witten-sport", [in_days(6)], city="witten", categories=[place.sport])
    make_event(place, "district-wide", [in_days(7)], city=None, categories=[place.sport])
    for query in [
        {},
        {"city": "unna"},
        {"category": "sport"},
        {"city": "kamen", "category": "sport"},
        {"from": (today() + dt.timedelta(days=4)).isoformat()},
        {"to": (today() + dt.timedelta(days=4)).isoformat(), "category": "sport"},
    ]:
        listed = listed_slugs(client.get(LIST, query))
        calendar = calendar_of(client.get(FEED, query))
        in_feed = [str(c["URL"]).rstrip("/").rsplit("/", 1)[1] for c in vevents(calendar)]
        assert sorted(in_feed) == sorted(listed), query
    assert listed_slugs(client.get(LIST, {"city": "unna"})) == [
        "unna-sport",
        "unna-meeting",
        "district-wide",
    ]


def test_the_list_links_to_the_feed_with_its_filters(client, place):
    make_event(place, "talk", [in_days(3)])
    html = html_of(client.get(LIST, {"city": "unna", "category": "nonsense"}))
    assert 'href="webcal://testserver/en/events/feed.ics?city=unna"' in html
    assert 'href="http://testserver/en/events/feed.ics?city=unna"' in html
    assert '<link rel="alternate" type="text/calendar"' in html
    calendar = calendar_of(client.get(FEED, {"city": "unna"}))
    assert str(calendar["X-WR-CALNAME"]) == "Integrationsportal: Events in Unna"


def test_the_feed_keeps_recent_past_events_for_subscribers(client, place):
    make_event(place, "last-week", [in_days(-7)])
    make_event(place, "last-year", [in_days(-365)])
    make_event(place, "next-week", [in_days(7)])
    summaries = {str(c["SUMMARY"]) for c in vevents(calendar_of(client.get(FEED)))}
    assert summaries == {"Title last-week", "Title next-week"}


def test_the_feed_refuses_filters_it_cannot_apply(client, place):
    response = client.get(FEED, {"city": "atlantis"})
    assert response.status_code == 400
    assert "atlantis" in response.content.decode()
    assert client.get(FEED, {"from": "2026-02-31"}).status_code == 400


def test_the_feed_answers_an_empty_calendar_when_nothing_matches(client, place):
    calendar = calendar_of(client.get(FEED, {"city": "witten"}))
    assert vevents(calendar) == []


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def filtered(place):
    make_event(
        place, "unna-sport-parents", [in_days(2)], categories=[place.sport], groups=[place.parents]
    )
    make_event(
        place, "unna-meeting", [in_days(12)], categories=[place.meeting], groups=[place.everyone]
    )
    make_event(place, "kamen-sport", [in_days(22)], city="kamen", categories=[place.sport])
    make_event(place, "witten-meeting", [in_days(32)], city="witten", categories=[place.meeting])
    make_event(place, "unna-district-week", [in_days(42)], city=None, groups=[place.everyone])
    make_event(place, "kamen-last-month", [in_days(-30)], city="kamen", categories=[place.sport])
    make_event(place, "witten-last-year", [in_days(-300)], city="witten", categories=[place.sport])
    return place


@pytest.mark.parametrize(
    ("query", "upcoming", "past"),
    [
        ({"city": "kamen"}, ["kamen-sport", "unna-district-week"], ["kamen-last-month"]),
        ({"city": "witten"}, ["witten-meeting"], ["witten-last-year"]),
        (
            {"category": "sport"},
            ["unna-sport-parents", "kamen-sport"],
            ["kamen-last-month", "witten-last-year"],
        ),
        ({"target_group": "everyone"}, ["unna-meeting", "unna-district-week"], []),
        ({"target_group": "parents", "category": "sport"}, ["unna-sport-parents"], []),
        ({"from": "+10", "to": "+25"}, ["unna-meeting", "kamen-sport"], []),
        ({"to": "+5"}, ["unna-sport-parents"], ["kamen-last-month", "witten-last-year"]),
        ({"from": "-40", "to": "-20"}, [], ["kamen-last-month"]),
        ({"from": "+30", "city": "witten"}, ["witten-meeting"], []),
    ],
)
def test_filters_and_date_ranges(client, filtered, query, upcoming, past):
    params = {}
    for name, value in query.items():
        if value[0] in "+-":
            value = (today() + dt.timedelta(days=int(value))).isoformat()
        params[name] = value
    assert listed_slugs(client.get(LIST, params)) == upcoming
    assert listed_slugs(client.get(PAST, params)) == past


def test_dates_may_be_typed_the_german_way(client, filtered):
    day = today() + dt.timedelta(days=12)
    response = client.get(
        "/de/events/", {"from": day.strftime("%d.%m.%Y"), "to": day.strftime("%d.%m.%Y")}
    )
    assert listed_slugs(response) == ["unna-meeting"]
    assert notes_of(response) == ""


def test_a_day_typed_the_german_way_is_echoed_as_the_date_field_needs_it(client, filtered):
    """<input type="date"> takes only YYYY-MM-DD: 14.01.2030 echoed as typed would show an
    empty field, and the next submit would drop the filter."""
    html = main_of(client.get(LIST, {"from": "14.01.2030", "to": "nonsense"}))
    assert 'name="from" value="2030-01-14"' in html
    to_input = re.search(r'<input[^>]*name="to"[^>]*>', html).group(0)
    assert "value=" not in to_input
    assert "Enter a date as YYYY-MM-DD" in html  # the error says what was wrong


def test_the_filter_form_keeps_the_choices_and_works_without_javascript(client, filtered):
    html = main_of(client.get(LIST, {"city": "kamen", "category": "sport", "from": "2030-01-01"}))
    assert f'<form method="get" action="{LIST}" class="event-filter"' in html  # this page
    assert '<option value="kamen" selected>Kamen</option>' in html
    assert '<option value="sport" selected>Sport</option>' in html
    assert 'name="from" value="2030-01-01"' in html
    assert '<optgroup label="Kreis Unna">' in html
    assert '<button type="submit">' in html
    assert "<script" not in html
    # The other list keeps the filters.
    assert 'href="/en/events/past/?city=kamen&amp;category=sport&amp;from=2030-01-01"' in html


def test_an_empty_upcoming_list_points_to_the_archive(client, filtered):
    html = main_of(client.get(LIST, {"city": "witten", "category": "sport"}))
    assert "No upcoming event matches your filters." in html
    assert 'href="/en/events/past/?city=witten&amp;category=sport"' in html


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"city": "atlantis"}, "“atlantis” is not a known city"),
        ({"category": "quidditch"}, "“quidditch” is not a known topic"),
        ({"target_group": "martians"}, "“martians” is not a known target group"),
        ({"from": "2026-02-31"}, "Enter a date as YYYY-MM-DD"),
        ({"from": "yesterday"}, "Enter a date as YYYY-MM-DD"),
        ({"to": "31.13.2026"}, "Enter a date as YYYY-MM-DD"),
        ({"from": "0001-01-01"}, "between the years 1900 and 2100"),
        ({"to": "9999-12-31"}, "between the years 1900 and 2100"),
        (
            {"from": "2027-05-01", "to": "2027-04-01"},
            "The end of the date range is before its start",
        ),
        ({"page": "abc"}, "There is no page “abc”"),
        ({"page": "9" * 400}, "There is no page"),
        ({"page": "-1"}, "There is no page “-1”"),
        ({"city": "x" * 5000}, "is not a known city"),
        ({"from": "%00"}, "Enter a date"),
    ],
)
def test_bad_parameters_answer_with_a_note_never_an_error(client, filtered, query, note):
    for url in (LIST, PAST):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query)
        assert note in notes_of(response), (url, query)
    assert client.get(FEED, query).status_code in (200, 400)


def test_an_unknown_filter_is_ignored_and_the_others_apply(client, filtered):
    response = client.get(LIST, {"city": "atlantis", "category": "sport"})
    assert listed_slugs(response) == ["unna-sport-parents", "kamen-sport"]
    html = main_of(response)
    assert 'aria-invalid="true"' in html
    assert "events in all cities are shown" in html


def test_notes_come_in_the_users_language(client, filtered):
    response = client.get("/de/events/", {"city": "atlantis", "from": "kaputt"})
    notes = notes_of(response)
    assert "„atlantis“" in notes or "atlantis" in notes
    assert german("Enter a date as YYYY-MM-DD, e.g. 2026-03-14.") in notes
    assert german("Enter a date as YYYY-MM-DD, e.g. 2026-03-14.") != (
        "Enter a date as YYYY-MM-DD, e.g. 2026-03-14."
    )


def test_unknown_events_answer_404(client, place):
    assert client.get("/en/events/no-such-event/").status_code == 404
    assert client.get("/en/events/no-such-event.ics").status_code == 404
    response = client.get("/de/events/no-such-event/")
    assert "Seite nicht gefunden" in response.content.decode()


# --- Publication -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_unpublished_events_are_hidden_but_staff_may_preview_them(
    client, admin_client, place, status
):
    make_event(place, "hidden", [in_days(3)], publication_status=status, organizer=place.provider)
    make_event(place, "hidden-past", [in_days(-3)], publication_status=status)
    assert client.get("/en/events/hidden/").status_code == 404
    assert client.get("/en/events/hidden.ics").status_code == 404
    assert listed_slugs(client.get(LIST)) == []
    assert listed_slugs(client.get(PAST)) == []
    assert vevents(calendar_of(client.get(FEED))) == []
    for url in ("/en/", "/en/cities/unna/", "/en/providers/vhs-unna/"):
        assert "/en/events/hidden/" not in html_of(client.get(url)), url
    preview = main_of(admin_client.get("/en/events/hidden/"))
    assert "Preview: this event is not public." in preview
    assert admin_client.get("/en/events/hidden.ics").status_code == 200
    # Staff see the public lists as the public does.
    assert listed_slugs(admin_client.get(LIST)) == []


# --- Fixed number of queries ------------------------------------------------------------------


def fill(place, count, prefix):
    for number in range(count):
        make_event(
            place,
            f"{prefix}-{number}",
            [
                {"start": in_days(number + 1, 18), "end": in_days(number + 1, 20)},
                {
                    "start": in_days(-number - 1, 10),
                    "repeat": Repeat.WEEKLY,
                    "repeat_until": today() + dt.timedelta(days=60),
                },
            ],
            categories=[place.sport, place.meeting],
            venue=place.venue,
            organizer=place.provider,
        )
        make_event(
            place, f"{prefix}-past-{number}", [in_days(-number - 5)], categories=[place.sport]
        )


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        (LIST, 8),
        (PAST, 8),
        (f"{LIST}?city=unna&category=sport&from=2020-01-01", 8),
        (FEED, 7),
        # One of them asks whether the title in this language came from a machine.
        ("/en/events/few-1/", 8),
        ("/en/events/few-1.ics", 4),
        ("/en/providers/vhs-unna/", 6),
        # Home and city pages: most of their queries are the offer search's facets.
        ("/en/", 19),
        ("/en/cities/unna/", 19),
    ],
)
def test_pages_run_a_fixed_number_of_queries(
    client, place, django_assert_max_num_queries, url, budget, page_cache_off
):
    # A content change starts a new generation, and the first request after it builds the
    # offer search's index (offers/facet_index.py, a fixed number of queries too): the
    # counts compared here are those of the requests after it.
    fill(place, 2, "few")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html_of(client.get(url))
    fill(place, 25, "many")
    client.get(url)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), [query["sql"][:120] for query in many.captured_queries]


# --- Events elsewhere ------------------------------------------------------------------------


def test_home_page_shows_the_next_events_by_date_with_their_status(client, place):
    make_event(place, "zz-first", [in_days(1)], status=EventStatus.CANCELLED)
    make_event(place, "aa-third", [in_days(9)])
    make_event(place, "mm-second", [in_days(4)])
    make_event(place, "over", [in_days(-1)])
    html = main_of(client.get("/en/"))
    section = html[html.index('id="events-heading"') :]
    assert listed_slugs_in(section) == ["zz-first", "mm-second", "aa-third"]
    assert "status-badge--cancelled" in section
    assert 'href="/en/events/"' in section


def listed_slugs_in(html):
    return re.findall(r'<h3><a href="/\w\w/events/([^/]+)/">', html)


def test_city_page_lists_the_citys_and_its_districts_events(client, place):
    make_event(place, "in-unna", [in_days(3)])
    make_event(place, "in-kamen", [in_days(2)], city="kamen")
    make_event(place, "district-wide", [in_days(5)], city=None)
    html = main_of(client.get("/en/cities/unna/"))
    assert listed_slugs_in(html) == ["in-unna", "district-wide"]
    assert 'href="/en/events/?city=unna"' in html


def test_provider_page_lists_the_providers_upcoming_events(client, place):
    make_event(place, "by-vhs", [in_days(3)], organizer=place.provider)
    make_event(place, "by-ki", [in_days(2)])
    html = main_of(client.get("/en/providers/vhs-unna/"))
    assert listed_slugs_in(html) == ["by-vhs"]


def test_the_main_navigation_leads_to_the_events(client, place):
    html = html_of(client.get("/de/"))
    nav = html[html.index('class="site-nav"') :].split("</nav>")[0]
    assert f'<a href="/de/events/">{german("Events")}</a>' in nav


# --- Demo data -------------------------------------------------------------------------------


def test_a_fresh_demo_has_a_full_upcoming_list(client, demo_data):
    upcoming = Event.objects.published().upcoming()
    statuses = set(upcoming.values_list("status", flat=True))
    assert statuses == set(EventStatus.values)
    assert upcoming.values("city").distinct().count() >= 6
    series = upcoming.filter(dates__repeat__gt="").distinct()
    assert series.count() >= 2
    assert Occurrence.objects.filter(event__in=series, cancelled=True).exists()
    assert upcoming.filter(slug="grundlagenschulung-sprachmittlung-kamen").get().dates.count() == 3
    slugs = listed_slugs(client.get("/de/events/"))
    assert len(slugs) >= 10
    assert "sprachcafe-unna" in slugs
    # The seed's Ennepe-Ruhr events are all in the archive, with their real dates.
    past = listed_slugs(client.get("/de/events/past/"))
    assert len(past) == 13
    assert past[-1] == "integrationskonferenz-2019"


def test_demo_events_are_valid_fictional_and_written_only_once(demo_data):
    events = Event.objects.count()
    occurrences = Occurrence.objects.count()
    call_command("load_demo", verbosity=0)
    assert (Event.objects.count(), Occurrence.objects.count()) == (events, occurrences)
    for event in Event.objects.all():
        event.full_clean()
        for date in event.dates.all():
            date.full_clean()
        for address in (event.contact_email, event.registration_email):
            assert not address or address.endswith("@example.org"), address
        for url in (event.registration_url, *event.attachments.values_list("url", flat=True)):
            assert not url or re.match(r"https://(www\.)?example\.org/", url), url


def test_the_demo_is_dated_from_the_day_it_is_loaded(db):
    call_command("load_demo", verbosity=0)
    later = today() + dt.timedelta(days=400)
    create_upcoming_events(today=later)
    cafe = Event.objects.get(slug="sprachcafe-unna")
    first = cafe.dates.get().start.astimezone(BERLIN).date()
    assert later < first <= later + dt.timedelta(days=40)
    assert first.weekday() == 1 and 8 <= first.day <= 14  # a 2nd Tuesday


# --- Admin -------------------------------------------------------------------------------------


def admin_url(view, *args):
    return reverse(f"admin:events_event_{view}", args=args)


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def cafe_form(place, slug="sprachcafe", first="2027-01-12", cancelled="2027-03-09"):
    year = first[:4]
    return {
        "title_de": "Sprachcafé",
        "title_en": "Language café",
        "slug": slug,
        "status": "confirmed",
        "district": place.unna_district.pk,
        "city": place.unna.pk,
        "venue": place.venue.pk,
        "publication_status": "published",
        **inline_management("dates", total=1),
        "dates-0-start_0": first,
        "dates-0-start_1": "18:00",
        "dates-0-end_0": first,
        "dates-0-end_1": "20:00",
        "dates-0-repeat": "monthly_weekday",
        "dates-0-interval": "1",
        "dates-0-repeat_until": f"{year}-06-30",
        **inline_management("cancelled_dates", total=1),
        "cancelled_dates-0-date": cancelled,
        **inline_management("attachments"),
    }


def test_staff_enter_a_series_with_a_cancelled_evening_in_the_admin(admin_client, place):
    response = admin_client.post(admin_url("add"), cafe_form(place))
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="sprachcafe")
    assert len(local_days(event)) == 6
    assert (dt.date(2027, 3, 9), True) in local_days(event)
    (component,) = vevents(calendar_of(admin_client.get("/en/events/sprachcafe.ics")))
    assert component.get("rrule")["BYDAY"] == ["2TU"]


def test_the_admin_rejects_a_series_without_an_end(admin_client, place):
    form = cafe_form(place)
    form["dates-0-repeat_until"] = ""
    response = admin_client.post(admin_url("add"), form)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "repeat_until" in errors[0]
    assert not Event.objects.exists()


def test_the_admin_warns_about_a_cancelled_day_without_a_date(admin_client, place):
    response = admin_client.post(
        admin_url("add"), cafe_form(place, cancelled="2027-03-10"), follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    warning = german("%(day)s is marked as cancelled, but the event has no date on that day.")
    assert warning % {"day": "10. März 2027"} in messages


def test_save_as_new_repeats_an_event_next_year(admin_client, place):
    admin_client.post(admin_url("add"), cafe_form(place))
    event = Event.objects.get(slug="sprachcafe")
    date = event.dates.get()
    form = cafe_form(place, slug="sprachcafe-2028", first="2028-01-11", cancelled="2028-03-14")
    form.update(
        {
            "_saveasnew": "Als neu speichern",
            "dates-INITIAL_FORMS": "1",
            "dates-0-id": str(date.pk),
            "dates-0-event": str(event.pk),
        }
    )
    response = admin_client.post(admin_url("change", event.pk), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    copy = Event.objects.get(slug="sprachcafe-2028")
    assert copy.title_en == "Language café"
    assert local_days(copy)[0] == (dt.date(2028, 1, 11), False)
    assert len(local_days(event)) == 6  # the original keeps its dates


def test_admin_list_filters_by_when_status_and_city_and_searches(admin_client, place):
    make_event(place, "coming", [in_days(3)], status=EventStatus.CANCELLED)
    make_event(place, "over", [in_days(-3)], city="kamen")
    make_event(place, "undated", [])

    def listed(**query):
        response = admin_client.get(admin_url("changelist"), query)
        assert response.status_code == 200
        return sorted(event.slug for event in response.context["cl"].result_list)

    assert listed(when="upcoming") == ["coming"]
    assert listed(when="past") == ["over"]
    assert listed(when="undated") == ["undated"]
    assert listed(status__exact="cancelled") == ["coming"]
    assert listed(city__id__exact=str(place.kamen.pk)) == ["over"]
    assert listed(q="Titel coming") == ["coming"]


@pytest.mark.parametrize("url", [LIST, PAST, "/en/events/talk/"])
def test_event_pages_load_no_asset_from_another_host(client, place, url):
    make_event(place, "talk", [in_days(3)], venue=place.venue)
    assets = assets_of(html_of(client.get(url)))
    assert assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset


def test_planned_and_confirmed_events_are_told_apart_in_words(client, place):
    """ "Geplant" and "Findet statt" read alike to a resident; the labels say whether the
    date is confirmed."""
    make_event(place, "planned", [in_days(5)], status=EventStatus.SCHEDULED)
    make_event(place, "confirmed", [in_days(6)], status=EventStatus.CONFIRMED)
    listed = main_of(client.get("/de/events/"))
    assert "geplant, noch nicht bestätigt" in listed
    assert "bestätigt: findet statt" in listed
