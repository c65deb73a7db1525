"""Residents suggest offers and report mistakes; nothing they send is public until an editor
has handled it in the admin's moderation queue."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.publication import PublicationStatus
from offers.models import Offer, Suggestion, SuggestionKind, SuggestionStatus
from operations.models import RateCounter
from places.models import City
from tests.pages import html_of

pytestmark = pytest.mark.django_db

BADMINTON = "badminton-castrop-rauxel"
REPORT_URL = f"/de/offers/{BADMINTON}/report/"


def new_offer_data(**changes):
    data = {
        "name": "Zauberwürfelclub für Jugendliche",
        "provider_name": "AWO Unterbezirk Unna",
        "city": City.objects.get(slug="kamen").pk,
        "description": "Jugendliche lösen gemeinsam Zauberwürfel und lernen Deutsch dabei.",
        "where_when": "Jugendzentrum Kamen, freitags 16 bis 18 Uhr",
        "languages": "Deutsch, Ukrainisch",
        "contact": "02307 123456",
        "homepage": "https://www.example.org/wuerfel",
        "message": "Gibt es seit Herbst.",
        "email": "absender@example.org",
        "website": "",
    }
    data.update(changes)
    return data


def report_data(**changes):
    data = {
        "reason": "time_place",
        "message": "Das Training ist jetzt mittwochs.",
        "email": "",
        "website": "",
    }
    data.update(changes)
    return data


# The demo data's two open suggestions (fixtures/demo/07_suggestions.json).
DEMO_SUGGESTIONS = [1, 2]


def sent():
    """What the tests themselves sent."""
    return Suggestion.objects.exclude(pk__in=DEMO_SUGGESTIONS)


def search_count(client, words):
    return client.get("/de/offers/search.json", {"q": words}).json()["count"]


@pytest.fixture
def suggestion(demo_data, client):
    client.post("/de/offers/suggest/", new_offer_data())
    return Suggestion.objects.get(name="Zauberwürfelclub für Jugendliche")


@pytest.fixture
def report(demo_data, client):
    client.post(REPORT_URL, report_data(email="melder@example.org"))
    return Suggestion.objects.get(kind=SuggestionKind.REPORT, message__contains="mittwochs")


@pytest.fixture
def en_staff_client(staff_client):
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client


# --- The public forms ------------------------------------------------------------------


@pytest.mark.parametrize(("language", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_suggestion_form_renders_in_the_pages_language_and_direction(
    client, demo_data, language, direction
):
    html = html_of(client.get(f"/{language}/offers/suggest/"))
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    for name in ["name", "provider_name", "city", "description", "email"]:
        assert f'name="{name}"' in html, name
    # The cities to choose from, grouped by district.
    assert '<optgroup label="Kreis Unna">' in html and ">Kamen</option>" in html
    # The privacy note sits at the e-mail field and is linked to it.
    assert 'aria-describedby="id_email_helptext"' in html
    assert re.search(r'id="id_email_helptext">[^<]*30', html)


def test_the_honeypot_is_labelled_and_out_of_the_way(client, demo_data):
    html = html_of(client.get("/en/offers/suggest/"))
    trap = re.search(r'<div class="form-trap">(.*?)</div>', html, re.S).group(1)
    assert "Leave this field empty" in trap
    assert 'autocomplete="off"' in trap and 'tabindex="-1"' in trap


def test_a_new_offer_suggestion_lands_in_the_queue_and_nothing_is_public(client, demo_data):
    published = set(Offer.objects.published().values_list("pk", flat=True))
    response = client.post("/de/offers/suggest/", new_offer_data())
    assert response.status_code == 302
    thanks = html_of(client.get(response.url))
    assert "Bis dahin wird im Portal nichts veröffentlicht oder geändert." in thanks

    suggestion = sent().open().get()
    assert suggestion.kind == SuggestionKind.NEW_OFFER
    assert suggestion.language == "de"
    assert suggestion.city.slug == "kamen"
    assert suggestion.email == "absender@example.org"
    # Only a keyed hash of the address is kept, never the address.
    assert re.fullmatch(r"[0-9a-f]{64}", suggestion.client_hash)
    assert "127.0.0.1" not in str(sent().values().get())

    assert set(Offer.objects.published().values_list("pk", flat=True)) == published
    assert search_count(client, "Zauberwürfelclub") == 0
    assert "Zauberwürfelclub" not in html_of(client.get("/de/cities/kamen/"))


def test_a_report_lands_in_the_queue_and_the_offer_page_is_unchanged(client, demo_data):
    before = html_of(client.get(f"/de/offers/{BADMINTON}/"))
    response = client.post(REPORT_URL, report_data())
    assert response.status_code == 302
    thanks = html_of(client.get(response.url))
    assert f'href="/de/offers/{BADMINTON}/"' in thanks  # back to the offer

    report = sent().open().get(kind=SuggestionKind.REPORT)
    assert report.offer.slug == BADMINTON
    assert report.city.slug == "castrop-rauxel"
    assert report.reason == "time_place"
    after = html_of(client.get(f"/de/offers/{BADMINTON}/"))
    assert "mittwochs" not in after
    strip_tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip_tokens.sub("", after) == strip_tokens.sub("", before)
    assert Offer.objects.get(slug=BADMINTON).is_published


def test_every_published_offer_page_links_to_its_report_form(client, demo_data):
    offers = Offer.objects.published()
    assert offers.count() >= 60
    for offer in offers:
        html = html_of(client.get(f"/de/offers/{offer.slug}/"))
        assert "Is something wrong or outdated?" in html or "veraltet" in html, offer.slug
        assert f'href="/de/offers/{offer.slug}/report/"' in html, offer.slug


def test_the_search_page_invites_suggestions(client, demo_data):
    assert 'href="/en/offers/suggest/"' in html_of(client.get("/en/offers/"))


def test_report_form_shows_the_offer_and_the_reasons(client, demo_data):
    html = html_of(client.get(f"/ar/offers/{BADMINTON}/report/"))
    assert '<html lang="ar" dir="rtl">' in html
    assert f'href="/ar/offers/{BADMINTON}/"' in html
    assert html.count('type="radio" name="reason"') == 4


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_unpublished_offers_cannot_be_reported(client, admin_client, demo_data, status):
    offer = Offer.objects.get(slug=BADMINTON)
    offer.publication_status = status
    offer.save()
    assert client.get(REPORT_URL).status_code == 404
    assert client.post(REPORT_URL, report_data()).status_code == 404
    assert admin_client.get(REPORT_URL).status_code == 404  # staff preview has no report link
    assert "/report/" not in html_of(admin_client.get(f"/de/offers/{BADMINTON}/"))
    assert not sent().filter(kind=SuggestionKind.REPORT, offer=offer).exists()


def test_expired_and_unknown_offers_cannot_be_reported(client, demo_data):
    expired = (
        Offer.objects.filter(publication_status=PublicationStatus.PUBLISHED)
        .exclude(pk__in=Offer.objects.published())
        .first()
    )
    assert client.get(f"/de/offers/{expired.slug}/report/").status_code == 404
    assert client.get("/en/offers/no-such-offer/report/").status_code == 404


# --- Validation, in the visitor's language ------------------------------------------------


def test_missing_fields_are_named_in_english_on_english_pages(client, demo_data):
    response = client.post("/en/offers/suggest/", new_offer_data(name="", description=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Suggest an offer" in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert 'role="alert"' in summary
    assert '<a href="#id_name">Name of the offer \u2013 This field is required.</a>' in summary
    assert '<a href="#id_description">' in summary
    field = re.search(r"<input [^>]*name=\"name\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_name_error"' in field
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.' in html
    # What the visitor typed is kept.
    assert "Jugendzentrum Kamen, freitags 16 bis 18 Uhr" in html
    assert not sent().exists()


def test_errors_are_in_german_on_german_pages(client, demo_data):
    response = client.post(
        "/de/offers/suggest/",
        new_offer_data(name="", homepage="kein link", email="nicht@", city="999999"),
    )
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Bitte eine gültige Adresse eingeben." in html  # URL
    assert "Bitte gültige E-Mail-Adresse eingeben." in html
    assert "Bitte eine gültige Auswahl treffen." in html  # unknown city
    assert not sent().exists()


def test_a_report_of_something_else_needs_an_explanation(client, demo_data):
    response = client.post(
        f"/en/offers/{BADMINTON}/report/", report_data(reason="other", message=" ")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please tell us what is wrong." in html
    response = client.post(f"/en/offers/{BADMINTON}/report/", report_data(reason="nonsense"))
    assert "Select a valid choice." in response.content.decode()
    # Any of the other reasons may come without words.
    response = client.post(f"/en/offers/{BADMINTON}/report/", report_data(message=""))
    assert response.status_code == 302
    assert sent().filter(kind=SuggestionKind.REPORT).count() == 1


def test_over_long_texts_are_refused_with_a_message(client, demo_data):
    response = client.post("/en/offers/suggest/", new_offer_data(description="x" * 3001))
    assert "Ensure this value has at most 3000 characters" in response.content.decode()
    assert not sent().exists()


# --- Protections --------------------------------------------------------------------------


def test_a_post_without_csrf_token_is_refused(demo_data):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/de/offers/suggest/", new_offer_data()).status_code == 403
    assert client.post(REPORT_URL, report_data()).status_code == 403
    assert not sent().exists()
    # With the token the form hands out, the same submission goes through.
    html = html_of(client.get("/de/offers/suggest/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = new_offer_data(csrfmiddlewaretoken=token)
    assert client.post("/de/offers/suggest/", data).status_code == 302
    assert sent().count() == 1


@pytest.mark.parametrize(
    ("url", "data"),
    [("/en/offers/suggest/", new_offer_data), (f"/en/offers/{BADMINTON}/report/", report_data)],
)
def test_a_filled_honeypot_stores_nothing_but_says_thank_you(client, demo_data, url, data):
    response = client.post(url, data(website="https://spam.example.com"), follow=True)
    assert response.status_code == 200
    assert "Thank you for your message" in response.content.decode()
    assert not sent().exists()


def test_too_many_suggestions_from_one_client_answer_429(client, demo_data, settings):
    settings.PORTAL_SUGGESTIONS_PER_HOUR = 2
    for number in range(2):
        data = new_offer_data(name=f"Angebot {number}")
        assert client.post("/en/offers/suggest/", data).status_code == 302
    assert client.post(REPORT_URL, report_data()).status_code == 429  # reports count too

    response = client.post("/en/offers/suggest/", new_offer_data(name="Angebot 3"))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Please try again in an hour. Your entries are still in the form below." in html
    assert 'value="Angebot 3"' in html
    assert sent().count() == 2

    # Another client is not affected.
    other = client.post("/en/offers/suggest/", new_offer_data(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302
    # An hour later the first client may send again.
    RateCounter.objects.update(window_start=F("window_start") - timedelta(hours=1))
    assert client.post("/en/offers/suggest/", new_offer_data()).status_code == 302


def test_behind_a_proxy_the_client_address_comes_from_the_named_header(client, demo_data, settings):
    settings.PORTAL_SUGGESTIONS_PER_HOUR = 1
    settings.PORTAL_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    # A client cannot escape the limit by forging an earlier entry of the header.
    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.1"}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert client.post("/de/offers/suggest/", new_offer_data(), **first).status_code == 302
    assert client.post("/de/offers/suggest/", new_offer_data(), **forged).status_code == 429
    assert client.post("/de/offers/suggest/", new_offer_data(), **second).status_code == 302


# --- The moderation queue -------------------------------------------------------------------


def test_open_suggestions_come_first_in_the_queue(en_staff_client, suggestion, report):
    handled = Suggestion.objects.get(pk=1)  # from the demo data
    handled.handle(SuggestionStatus.REJECTED, None)
    assert Suggestion.objects.open().count() == 3
    html = html_of(en_staff_client.get(reverse("admin:offers_suggestion_changelist")))
    rows = re.findall(r'href="/admin/offers/suggestion/(\d+)/change/', html)
    assert rows[-1] == str(handled.pk)
    assert set(rows[:-1]) == {str(suggestion.pk), str(report.pk), "2"}


def test_the_submitted_fields_are_read_only(en_staff_client, suggestion):
    url = reverse("admin:offers_suggestion_change", args=[suggestion.pk])
    html = html_of(en_staff_client.get(url))
    assert "Zauberwürfelclub für Jugendliche" in html
    assert 'name="name"' not in html and 'name="email"' not in html
    assert "Accept: make a draft offer" in html and 'value="Reject"' in html
    en_staff_client.post(url, {"name": "Geändert", "status": "accepted"})
    suggestion.refresh_from_db()
    assert (suggestion.name, suggestion.status) == ("Zauberwürfelclub für Jugendliche", "open")


def test_accepting_a_new_offer_makes_a_draft_that_stays_hidden(
    en_staff_client, admin_user, suggestion
):
    accept = reverse("admin:offers_suggestion_accept", args=[suggestion.pk])
    assert en_staff_client.get(accept).status_code == 405  # changes need a POST
    response = en_staff_client.post(accept, follow=True)
    suggestion.refresh_from_db()
    offer = suggestion.offer
    assert response.redirect_chain[-1][0] == reverse("admin:offers_offer_change", args=[offer.pk])
    assert "A draft offer was made from the suggestion." in response.content.decode()

    assert offer.publication_status == PublicationStatus.DRAFT
    assert offer.name_de == "Zauberwürfelclub für Jugendliche"
    assert offer.description_de.startswith("Jugendliche lösen gemeinsam")
    assert offer.schedule_de == "Jugendzentrum Kamen, freitags 16 bis 18 Uhr"
    assert offer.provider.name == "AWO Unterbezirk Unna"
    assert offer.city.slug == "kamen"
    assert offer.contact_phone == "02307 123456"
    assert offer.homepage == "https://www.example.org/wuerfel"

    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.handled_by == admin_user
    assert suggestion.handled_at is not None
    assert suggestion.email == ""  # only kept while the suggestion is open

    public = Client()
    assert public.get(offer.get_absolute_url()).status_code == 404
    assert search_count(public, "Zauberwürfelclub") == 0


def test_a_suggestion_in_arabic_fills_the_arabic_texts(en_staff_client, demo_data):
    Client().post("/ar/offers/suggest/", new_offer_data(name="نادي الشطرنج", provider_name="X"))
    suggestion = Suggestion.objects.get(language="ar")
    # No provider is called "X": the editor chooses one in the prefilled "add offer" form.
    response = en_staff_client.post(reverse("admin:offers_suggestion_accept", args=[suggestion.pk]))
    add_url = reverse("admin:offers_offer_add") + f"?suggestion={suggestion.pk}"
    assert response.url == add_url
    html = html_of(en_staff_client.get(add_url))
    assert re.search(r'name="name_de"[^>]*value="نادي الشطرنج"', html)
    assert re.search(r'name="name_ar"[^>]*value="نادي الشطرنج"', html)
    assert re.search(r'name="description_ar"[^>]*>\s*Jugendliche lösen', html)
    assert re.search(r'<option value="draft" selected>', html)
    suggestion.refresh_from_db()
    assert suggestion.is_open  # accepted only once the offer is saved


def test_the_draft_from_a_suggestion_writes_umlauts_out_in_its_address(en_staff_client, suggestion):
    en_staff_client.post(reverse("admin:offers_suggestion_accept", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    # "Zauberwürfelclub für Jugendliche": ü as ue, as the demo data's addresses have it.
    assert suggestion.offer.slug == "zauberwuerfelclub-fuer-jugendliche"


def test_saving_the_prefilled_offer_form_accepts_the_suggestion(
    en_staff_client, admin_user, suggestion
):
    suggestion.provider_name = "Unbekannter Verein"
    suggestion.save()
    accept = reverse("admin:offers_suggestion_accept", args=[suggestion.pk])
    add_url = en_staff_client.post(accept).url
    offer_like = Offer.objects.get(slug=BADMINTON)
    response = en_staff_client.post(
        add_url,
        {
            "name_de": "Zauberwürfelclub",
            "slug": "zauberwuerfelclub",
            "categories": [offer_like.categories.first().pk],
            "provider": offer_like.provider.pk,
            "city": suggestion.city.pk,
            "migration_background": offer_like.migration_background.pk,
            "age_groups": [offer_like.age_groups.first().pk],
            "is_free": "on",
            "wheelchair_access": "unknown",
            "publication_status": "draft",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.offer == Offer.objects.get(slug="zauberwuerfelclub")
    assert suggestion.handled_by == admin_user
    assert suggestion.email == ""


def test_accepting_a_report_leads_to_the_offers_change_form(en_staff_client, report):
    accept = reverse("admin:offers_suggestion_accept", args=[report.pk])
    response = en_staff_client.post(accept, follow=True)
    offer = Offer.objects.get(slug=BADMINTON)
    assert response.redirect_chain[-1][0] == reverse("admin:offers_offer_change", args=[offer.pk])
    html = response.content.decode()
    assert "Das Training ist jetzt mittwochs." in html  # the report, quoted
    assert "The time or place is wrong" in html
    report.refresh_from_db()
    assert report.status == SuggestionStatus.ACCEPTED and report.offer == offer
    assert report.email == ""
    # The editor corrects the offer; the report itself changes nothing.
    offer.refresh_from_db()
    assert offer.is_published
    assert Client().get(f"/de/offers/{BADMINTON}/").status_code == 200


def test_rejecting_records_who_and_forgets_the_email(en_staff_client, admin_user, report):
    response = en_staff_client.post(
        reverse("admin:offers_suggestion_reject", args=[report.pk]), follow=True
    )
    assert "The suggestion was rejected." in response.content.decode()
    report.refresh_from_db()
    assert report.status == SuggestionStatus.REJECTED
    assert report.handled_by == admin_user and report.handled_at is not None
    assert report.email == ""
    # A handled suggestion cannot be accepted afterwards.
    en_staff_client.post(reverse("admin:offers_suggestion_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == SuggestionStatus.REJECTED


def test_reject_several_from_the_list(en_staff_client, suggestion, report):
    response = en_staff_client.post(
        reverse("admin:offers_suggestion_changelist"),
        {
            "action": "reject_selected",
            "_selected_action": [suggestion.pk, report.pk],
        },
    )
    assert response.status_code == 302
    assert set(Suggestion.objects.open().values_list("pk", flat=True)) == {1, 2}


def test_staff_without_permission_cannot_handle_suggestions(client, django_user_model, report):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    response = client.post(reverse("admin:offers_suggestion_accept", args=[report.pk]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.is_open


def test_purge_forgets_what_the_privacy_note_promises(demo_data, settings, suggestion, report):
    now = timezone.now()
    report.handle(SuggestionStatus.REJECTED, None)
    Suggestion.objects.filter(pk=report.pk).update(handled_at=now - timedelta(days=366))
    Suggestion.objects.filter(pk=suggestion.pk).update(created=now - timedelta(days=31))
    call_command("purge_suggestions", verbosity=0)
    assert not Suggestion.objects.filter(pk=report.pk).exists()
    suggestion.refresh_from_db()
    assert suggestion.is_open
    assert suggestion.email == "" and suggestion.client_hash == ""
