"""Dates name the month in words in every language ("2 December 2026", never the
ambiguous "12/02/2026"); Arabic lists use the Arabic comma; Arabic counts use the dual
without repeating the number ("خدمتان", not "2 خدمتان")."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from content.publication import PublicationStatus
from events.models import Event, EventDate
from offers.models import Offer
from tests.factories import make_city
from tests.pages import html_of

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NUMERIC_DATE = re.compile(r"\b\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,4}\b")


def second_of_december():
    """The next 2 December: a day whose number is also a month's (12/02 or 02/12?)."""
    today = timezone.localdate()
    year = today.year if today < dt.date(today.year, 12, 2) else today.year + 1
    return dt.date(year, 12, 2)


@pytest.fixture
def event(db):
    day = second_of_december()
    city = make_city("Unna")
    event = Event.objects.create(
        slug="fest",
        title_de="Fest",
        city=city,
        district=city.district,
        publication_status=PublicationStatus.PUBLISHED,
        registration_required=True,
        registration_deadline=day - dt.timedelta(days=10),
    )
    EventDate.objects.create(
        event=event, start=dt.datetime.combine(day, dt.time(18), tzinfo=BERLIN)
    )
    return event


def when_on_the_page(client, language):
    html = html_of(client.get(f"/{language}/events/fest/"))
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


EXPECTED = {
    "de": "2. Dezember {year}",
    "en": "2 December {year}",
    "ar": "2 ديسمبر، {year}",
    "fr": "2 décembre {year}",
    "tr": "02 Aralık {year}",  # noqa: RUF001 (Turkish dotless i)
    "uk": "02 грудня {year}",
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_event_dates_name_the_month_in_every_language(client, event, language):
    year = second_of_december().year
    text = when_on_the_page(client, language)
    assert str(year) in text
    assert not NUMERIC_DATE.search(text), NUMERIC_DATE.search(text).group(0)
    if language in EXPECTED:
        assert EXPECTED[language].format(year=year) in text
    assert "Dec." not in text


def test_the_last_review_of_an_offer_is_written_in_words_in_english(client, demo_data):
    offer = Offer.objects.published().filter(venue__isnull=False).first()
    Offer.objects.filter(pk=offer.pk).update(last_reviewed=dt.date(2026, 2, 12))
    html = html_of(client.get(f"/en/offers/{offer.slug}/"))
    assert "12 February 2026" in html
    assert "02/12/2026" not in html


def test_arabic_lists_use_the_arabic_comma(client, demo_data):
    offer = next(o for o in Offer.objects.published() if o.categories.count() > 1)
    html = html_of(client.get(f"/ar/offers/{offer.slug}/"))
    categories = re.search(r"<dd>(<span.*?)</dd>", html, re.S).group(1)
    assert "، " in categories and ", " not in categories
    german = html_of(client.get(f"/de/offers/{offer.slug}/"))
    assert ", " in re.search(r"<dd>(<span.*?)</dd>", german, re.S).group(1)


def test_two_arabic_offers_are_counted_in_the_dual_without_the_number(client, demo_data):
    html = html_of(client.get("/ar/offers/?category=begegnung&city=unna"))
    heading = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', html).group(1)
    assert heading == "خدمتان"
    assert "2 خدمتان" not in html
