"""Every public page in every portal language: lang and dir, the language switcher,
alternate links, and German texts shown (and marked) where a translation is missing."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from events.models import Event
from offers.models import Offer
from pages.models import Page
from places.models import City
from tests.pages import html_of
from vocabularies.models import Category

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
RTL = {"ar", "fa"}


def public_urls(language):
    offer = Offer.objects.published().get(slug="badminton-castrop-rauxel")
    event = Event.objects.published().first()
    city = City.objects.get(slug="castrop-rauxel")
    with translation.override(language):
        return [
            reverse("pages:home"),
            reverse("offers:search") + "?q=deutsch&category=sprachkurs-sprachfoerderung",
            offer.get_absolute_url(),
            event.get_absolute_url(),
            city.get_absolute_url(),
            reverse("cities:list"),
            reverse("providers:list"),
            offer.provider.get_absolute_url(),
            Page.objects.published().first().get_absolute_url(),
        ]


def test_the_portal_speaks_twelve_languages_with_german_first():
    assert LANGUAGE_CODES[0] == settings.LANGUAGE_CODE == "de"
    assert set(LANGUAGE_CODES) == {
        "de", "en", "ar", "fa", "tr", "uk", "ru", "pl", "ro", "bg", "fr", "sq",
    }  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_public_page_answers_in_each_language_with_its_lang_and_dir(
    client, demo_data, language
):
    direction = "rtl" if language in RTL else "ltr"
    for url in public_urls(language):
        assert url.startswith(f"/{language}/"), url
        html = html_of(client.get(url))
        assert f'<html lang="{language}" dir="{direction}">' in html, url
        assert re.search(r"<title>[^<]+</title>", html), url
        assert re.search(r'<meta name="description" content="[^"]+">', html), url


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ar,en;q=0.5", "/ar/"),
        ("fa-IR", "/fa/"),
        ("uk-UA,uk;q=0.9,ru;q=0.8", "/uk/"),
        ("tr", "/tr/"),
        ("ja,ko;q=0.8", "/de/"),
    ],
)
def test_the_root_follows_the_browsers_language(client, accept, expected):
    if expected.strip("/") not in LANGUAGE_CODES:
        pytest.fail(f"{expected} is not a portal language")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=accept).url == expected


def test_every_page_names_its_versions_in_all_languages(client, demo_data):
    html = html_of(client.get("/en/offers/?q=deutsch"))
    for code in LANGUAGE_CODES:
        assert (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/offers/?q=deutsch">'
            in html
        )
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/de/offers/' in html


def test_the_switcher_names_each_language_in_itself_and_keeps_page_and_query(client, demo_data):
    html = html_of(client.get("/de/offers/?q=deutsch&city=castrop-rauxel"))
    for code in LANGUAGE_CODES:
        info = translation.get_language_info(code)
        assert (
            f'<a href="/{code}/offers/?q=deutsch&amp;city=castrop-rauxel" hreflang="{code}" '
            f'lang="{code}"'
        ) in html
        assert f">{info['name_local']}<" in html
    for name in ("Deutsch", "English", "العربيّة", "فارسی", "Türkçe", "Українська"):
        assert name in html


def test_page_titles_and_descriptions_are_translated(client, demo_data):
    german = html_of(client.get("/de/offers/"))
    english = html_of(client.get("/en/offers/"))

    def title(html):
        return re.search(r"<title>([^<]+)</title>", html).group(1)

    def description(html):
        return re.search(r'<meta name="description" content="([^"]+)">', html).group(1)

    assert title(german) != title(english)
    assert description(german) != description(english)


# --- Content in German where a translation is missing -----------------------------------------


@pytest.fixture
def german_only_offer(demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    for field in ("name", "short_description", "description", "schedule", "costs"):
        setattr(offer, f"{field}_en", "")
    offer.save()
    return offer


def test_missing_translations_show_german_marked_and_announced(client, german_only_offer):
    html = html_of(client.get("/en/offers/badminton-castrop-rauxel/"))
    assert f'<h1 lang="de">{german_only_offer.name_de}</h1>' in html
    assert "Some texts on this page are not available in English yet" in html
    assert re.search(r'<p class="lead" lang="de">', html)


def test_translated_texts_carry_no_notice(client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    for field in ("name", "short_description", "description", "schedule", "costs"):
        if getattr(offer, f"{field}_de"):
            setattr(offer, f"{field}_en", f"English {field}")
    offer.save()
    html = html_of(client.get("/en/offers/badminton-castrop-rauxel/"))
    assert "<h1>English name</h1>" in html
    assert "not available in English" not in html
    assert 'lang="de"' not in html.split("<main", 1)[1]


def test_german_pages_never_announce_a_fallback(client, german_only_offer):
    html = html_of(client.get("/de/offers/badminton-castrop-rauxel/"))
    assert "fallback-notice" not in html


def test_result_lists_mark_german_names(client, german_only_offer):
    html = html_of(client.get("/en/offers/?q=badminton"))
    assert f'lang="de">{german_only_offer.name_de}</a>' in html


def test_an_english_search_finds_a_german_only_offer_by_its_german_words(client, german_only_offer):
    html = html_of(client.get("/en/offers/?q=Turnerbund"))
    assert german_only_offer.name_de in html
    assert "1 offer" in html


def test_dates_are_written_the_way_each_language_writes_them(client, demo_data):
    event = Event.objects.published().filter(dates__isnull=False).first()
    start = timezone.localtime(event.dates.first().start).date()
    written = {}
    for language in ("de", "en", "ar", "uk", "tr"):
        with translation.override(language):
            written[language] = date_format(start, "DATE_FORMAT")
            url = event.get_absolute_url()
        assert written[language] in html_of(client.get(url)), (language, written[language])
    assert len(set(written.values())) == len(written), written


def test_facet_labels_are_translated_with_german_fallback(client, demo_data):
    category = Category.objects.get(slug="beratung")
    category.label_fa = ""  # the demo data has every label; this one goes missing
    category.save()
    assert category.label_ar
    arabic = html_of(client.get("/ar/offers/"))
    persian = html_of(client.get("/fa/offers/"))
    assert category.label_ar in arabic
    # The German label, marked as German for screen readers and written left to right.
    assert f'<span lang="de" dir="ltr">{category.label_de}</span> <span class="count">' in persian
