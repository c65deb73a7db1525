"""What a resident sees: the public pages answer, in the right language, and only with
published content."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from content.publication import PublicationStatus
from events.models import Event
from offers.models import Offer
from pages.models import Page
from providers.models import Provider
from tests.pages import assets_of, html_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["de", "en"])
def test_home_page_answers_in_each_language_with_lang_and_dir(client, demo_data, language):
    html = html_of(client.get(f"/{language}/"))
    assert f'<html lang="{language}" dir="ltr">' in html
    assert "Badminton" in html or Offer.objects.published().count() > 6


def test_root_redirects_to_the_browsers_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE").url == "/de/"


def test_root_falls_back_to_german(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ja").url == "/de/"
    assert client.get("/").url == "/de/"


def test_badminton_offer_shows_the_recklinghausen_detail_fields(client, demo_data):
    html = html_of(client.get("/de/offers/badminton-castrop-rauxel/"))
    for text in [
        "Castrop-Rauxel",
        "Badminton",
        "Freizeit",
        "Sport",
        "Deutsch",
        "Turnhalle Fridtjof-Nansen-Realschule",
        "Lange Straße 18, 44579 Castrop-Rauxel",
        "Habinghorst",
        "Turnerbund Rauxel 1892 e.V.",
        "Leostraße 7, 44579 Castrop-Rauxel",
    ]:
        assert text in html, text
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    if offer.contact_email:
        assert f'href="mailto:{offer.contact_email}"' in html
    if offer.contact_phone:
        assert 'href="tel:' in html


def test_offer_page_in_english_uses_english_texts(client, demo_data):
    offer = Offer.objects.published().exclude(name_en="").exclude(name_en=None).first()
    html = html_of(client.get(f"/en/offers/{offer.slug}/"))
    assert offer.name_en in html


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_unpublished_offers_are_hidden_from_the_public_but_staff_may_preview(
    client, admin_client, demo_data, status
):
    offer = Offer.objects.published().first()
    offer.publication_status = status
    offer.save()
    response = client.get(f"/de/offers/{offer.slug}/")
    assert response.status_code == 404
    preview = html_of(admin_client.get(f"/de/offers/{offer.slug}/"))
    assert "Vorschau" in preview or "Preview" in preview


def test_expired_offer_answers_404(client, demo_data):
    expired = (
        Offer.objects.filter(publication_status=PublicationStatus.PUBLISHED)
        .exclude(pk__in=Offer.objects.published())
        .first()
    )
    assert expired is not None, "the demo data has an expired offer"
    assert client.get(f"/de/offers/{expired.slug}/").status_code == 404


def test_unknown_offer_answers_404_in_the_users_language(client, demo_data):
    response = client.get("/en/offers/no-such-offer/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Page not found" in html
    response = client.get("/de/offers/no-such-offer/")
    assert "Seite nicht gefunden" in response.content.decode()


def test_provider_page_lists_only_published_offers(client, demo_data):
    provider = Provider.objects.get(name="Turnerbund Rauxel 1892 e.V.")
    html = html_of(client.get(provider.get_absolute_url()))
    assert "Badminton" in html
    draft = Offer.objects.filter(publication_status=PublicationStatus.DRAFT).first()
    html = html_of(client.get(draft.provider.get_absolute_url()))
    assert f">{draft.name}<" not in html


def test_event_page_shows_status_and_dates(client, demo_data):
    with translation.override("de"):
        event = Event.objects.published().filter(dates__isnull=False).first()
        html = html_of(client.get(event.get_absolute_url()))
    assert event.get_status_display() in html


def test_postponed_event_says_so(client, demo_data):
    event = Event.objects.filter(status="postponed").first()
    html = html_of(client.get(f"/en/events/{event.slug}/"))
    assert "postponed" in html.lower()


def test_information_pages_and_footer_links(client, demo_data):
    html = html_of(client.get("/de/"))
    for slug in ["impressum", "datenschutz", "barrierefreiheit"]:
        page = Page.objects.get(slug=slug)
        assert f'href="{reverse("pages:detail", kwargs={"slug": slug})}"' in html
        assert page.title in html_of(client.get(page.get_absolute_url()))


def test_every_public_page_sets_lang_and_dir(client, demo_data):
    offer = Offer.objects.published().first()
    event = Event.objects.published().first()
    provider = Provider.objects.first()
    page = Page.objects.published().first()
    for language in ["de", "en"]:
        with translation.override(language):
            urls = [
                reverse("pages:home"),
                offer.get_absolute_url(),
                event.get_absolute_url(),
                provider.get_absolute_url(),
                page.get_absolute_url(),
            ]
        for url in urls:
            html = html_of(client.get(url))
            assert re.search(rf'<html lang="{language}" dir="ltr">', html), url


def test_language_switcher_links_to_the_same_page(client, demo_data):
    html = html_of(client.get("/de/offers/badminton-castrop-rauxel/"))
    assert 'href="/en/offers/badminton-castrop-rauxel/"' in html
    assert ">English<" in html and ">Deutsch<" in html


@pytest.mark.parametrize("url", ["/de/", "/de/offers/badminton-castrop-rauxel/"])
def test_public_pages_load_no_asset_from_another_host(client, demo_data, url):
    html = html_of(client.get(url))
    assets = assets_of(html)
    assert assets, "the page has a stylesheet at least"
    for asset in assets:
        # Alternate-language links are addresses, not assets; everything else is local.
        assert asset.startswith("/"), asset
        assert not asset.startswith("//"), asset


FORM_PAGES = [
    "/de/",
    "/ar/offers/",
    "/de/offers/map/",
    "/de/events/",
    "/de/providers/",
    "/de/cities/unna/",
    "/de/offers/suggest/",
    "/de/offers/badminton-castrop-rauxel/report/",
]


@pytest.mark.parametrize("url", FORM_PAGES)
def test_every_form_names_where_it_is_sent(client, demo_data, url):
    """An empty action="" is invalid HTML (the Nu checker rejects it); each form names its
    address, the page itself where it sends to itself."""
    html = html_of(client.get(url))
    forms = re.findall(r"<form\b[^>]*>", html)
    assert forms, url
    for form in forms:
        action = re.search(r'\saction="([^"]*)"', form)
        assert action and action.group(1).startswith("/"), form


def test_the_home_page_names_the_districts_it_covers(client, demo_data):
    html = html_of(client.get("/en/"))
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert "Kreis Unna, Kreis Recklinghausen, Ennepe-Ruhr-Kreis" in heading
    assert "<bdi>" in heading  # a German name inside an Arabic heading keeps its place


def test_the_region_on_the_home_page_is_a_setting_and_escaped(client, demo_data, settings):
    settings.PORTAL_REGION_NAME = "Kreis <Unna> & Umgebung"
    html = html_of(client.get("/en/"))
    assert "<h1>Integration offers in <bdi>Kreis &lt;Unna&gt; &amp; Umgebung</bdi></h1>" in html
    assert "<title>Integration offers in Kreis &lt;Unna&gt; &amp; Umgebung" in html
