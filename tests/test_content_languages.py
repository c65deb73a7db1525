"""Content in the reader's language: the demo data's vocabularies, information pages,
offers and upcoming events in the portal's languages, and the note on texts that a
machine translated and nobody has reviewed yet."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from events.models import Event
from offers.models import Offer
from pages.models import Page
from tests.pages import html_of
from translations.models import TextChange
from vocabularies.models import (
    AgeGroup,
    Category,
    Gender,
    MigrationBackground,
    OfferLanguage,
    TargetGroup,
)

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
VOCABULARIES = [Category, OfferLanguage, Gender, MigrationBackground, AgeGroup, TargetGroup]
INFO_PAGES = ["ueber-uns", "integrationskonzept", "impressum", "datenschutz", "barrierefreiheit"]
CONTENT_LANGUAGES = ["ar", "uk", "fa", "tr"]
OFFER_FIELDS = ["name", "short_description", "description", "schedule", "costs"]
EVENT_FIELDS = [
    "title",
    "description",
    "status_note",
    "venue_note",
    "target_group_note",
    "registration_how",
]
NOTE = "Automatically translated – the German version is authoritative."


def machine_note(language):
    """The note on machine translations, as the catalog writes it in ``language``."""
    with translation.override(language):
        return escape(gettext(NOTE))


def translated_in_all(obj, fields, languages):
    """Each field with a German text has a text in every one of ``languages``."""
    return all(
        (getattr(obj, f"{name}_{language}") or "").strip()
        for name in fields
        if (getattr(obj, f"{name}_de") or "").strip()
        for language in languages
    )


def test_the_persian_home_page_names_the_topics_in_persian(client, demo_data):
    html = html_of(client.get("/fa/"))
    for category in Category.objects.all():
        assert f">{escape(category.label_fa)}</span></a>" in html, category.slug
        assert f">{escape(category.label_de)}</span></a>" not in html, category.slug


@pytest.mark.parametrize("model", VOCABULARIES, ids=lambda model: model.__name__)
def test_every_vocabulary_label_has_a_text_in_every_language(demo_data, model):
    missing = [
        (entry.slug, language)
        for entry in model.objects.all()
        for language in LANGUAGE_CODES
        if not (getattr(entry, f"label_{language}") or "").strip()
    ]
    assert model.objects.exists()
    assert missing == []


@pytest.mark.parametrize("slug", INFO_PAGES)
def test_each_information_page_is_written_in_all_twelve_languages(client, demo_data, slug):
    page = Page.objects.published().get(slug=slug)
    assert translated_in_all(page, ["title", "summary", "body"], LANGUAGE_CODES)
    for language in LANGUAGE_CODES:
        html = html_of(client.get(f"/{language}/info/{slug}/"))
        assert f"<h1>{escape(getattr(page, f'title_{language}'))}</h1>" in html, language
        assert "fallback-notice" not in html, language


def test_the_imprint_names_placeholder_contacts_only(demo_data):
    imprint = Page.objects.get(slug="impressum")
    for language in LANGUAGE_CODES:
        body = getattr(imprint, f"body_{language}")
        assert "Erika Mustermann" in body and "ki-portal@example.org" in body, language
        assert "0123 4567-100" in body or language == "en", language


def test_at_least_twenty_published_offers_speak_arabic_ukrainian_persian_and_turkish(
    demo_data,
):
    translated = [
        offer.slug
        for offer in Offer.objects.published()
        if translated_in_all(offer, OFFER_FIELDS, CONTENT_LANGUAGES)
    ]
    assert len(translated) >= 20, translated


def test_every_upcoming_demo_event_speaks_arabic_ukrainian_persian_and_turkish(demo_data):
    upcoming = Event.objects.filter(dates__end__gte=timezone.now()).distinct()
    assert upcoming.count() >= 10
    for event in upcoming:
        assert translated_in_all(event, EVENT_FIELDS, CONTENT_LANGUAGES), event.slug
        for attachment in event.attachments.all():
            assert translated_in_all(attachment, ["title"], CONTENT_LANGUAGES), event.slug


# --- The note on machine translations ------------------------------------------------------


def test_a_machine_translated_offer_says_so_in_the_readers_language(client, demo_data):
    offer = Offer.objects.published().get(slug="sprachcafe-bergkamen")
    for language in ("fa", "ar", "uk"):
        html = html_of(client.get(f"/{language}/offers/{offer.slug}/"))
        assert f"<h1>{escape(getattr(offer, f'name_{language}'))}</h1>" in html
        assert machine_note(language) in html, language


def test_machine_translated_topics_on_the_home_page_say_so(client, demo_data):
    assert machine_note("fa") in html_of(client.get("/fa/"))


def test_german_english_and_fallback_texts_carry_no_machine_note(client, demo_data):
    offer = Offer.objects.published().get(slug="lauftreff-westhofen")
    # Without Persian texts the page shows German (with the fallback notice), nothing
    # machine-made; its Ukrainian texts still are.
    for field in OFFER_FIELDS:
        setattr(offer, f"{field}_fa", "")
    offer.save()
    persian = html_of(client.get(f"/fa/offers/{offer.slug}/"))
    assert "fallback-notice" in persian
    assert "machine-translation-notice" not in persian
    assert machine_note("uk") in html_of(client.get(f"/uk/offers/{offer.slug}/"))
    for url in (f"/de/offers/{offer.slug}/", f"/en/offers/{offer.slug}/", "/de/", "/en/"):
        assert "machine-translation-notice" not in html_of(client.get(url)), url


def test_editing_a_machine_translation_counts_as_its_review(client, demo_data):
    page = Page.objects.get(slug="datenschutz")
    assert machine_note("uk") in html_of(client.get("/uk/info/datenschutz/"))
    # A person edits every Ukrainian text of the page (as the admin's form saves it).
    page.title_uk = page.title_uk + " (KI)"
    page.summary_uk = page.summary_uk + " (KI)"
    page.body_uk = page.body_uk + "\n\n(KI)"
    page.save()
    assert not TextChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Page),
        object_id=page.pk,
        language="uk",
        machine_translated=True,
    ).exists()
    html = html_of(client.get("/uk/info/datenschutz/"))
    assert f"<h1>{escape(page.title_uk)}</h1>" in html
    assert machine_note("uk") not in html
    # Other languages stay machine-made.
    assert machine_note("fa") in html_of(client.get("/fa/info/datenschutz/"))
