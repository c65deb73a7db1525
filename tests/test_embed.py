"""The embeddable widget (pages/embed_views.py): a city's offers and events, or any offer
search, for other sites' frames; the snippet and the QR code on the city page."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from offers.models import Offer
from pages.embed_views import EMBED_OFFERS
from tests.pages import html_of

pytestmark = pytest.mark.django_db

CITY_WIDGET = "/de/embed/cities/unna/"


class Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs))


def anchors_of(html):
    parser = Anchors()
    parser.feed(html)
    return parser.anchors


def frame_ancestors(response):
    directives = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if " " in directive.strip()
    )
    return directives["frame-ancestors"]


def test_city_widget_shows_the_citys_offers_and_events_without_the_sites_chrome(client, demo_data):
    html = html_of(client.get(CITY_WIDGET))
    assert '<html lang="de" dir="ltr">' in html
    for chrome in ["site-header", "site-nav", "language-switcher", "site-footer"]:
        assert chrome not in html
    anchors = anchors_of(html)
    offer_links = [a["href"] for a in anchors if a["href"].startswith("/de/offers/")]
    in_unna = {o.get_absolute_url() for o in Offer.objects.published().filter(city__slug="unna")}
    assert offer_links and set(offer_links) <= in_unna
    assert len(offer_links) == min(EMBED_OFFERS, len(in_unna))
    assert any(a["href"].startswith("/de/events/") for a in anchors)
    assert "/de/cities/unna/" in [a["href"] for a in anchors]
    # Every link leaves the frame for a new tab.
    for anchor in anchors:
        assert anchor.get("target") == "_blank", anchor
        assert anchor.get("rel") == "noopener", anchor


def test_search_widget_follows_any_search_in_the_pages_language(client, demo_data):
    html = html_of(client.get("/ar/embed/offers/?category=beratung"))
    assert '<html lang="ar" dir="rtl">' in html
    links = [a["href"] for a in anchors_of(html) if a["href"].startswith("/ar/offers/")]
    counselling = Offer.objects.published().filter(categories__slug="beratung").distinct()
    slugs = {offer.slug for offer in counselling}
    details = [link for link in links if link != "/ar/offers/?category=beratung"]
    assert details and {link.split("/")[3] for link in details} <= slugs
    assert "/ar/offers/?category=beratung" in links


def test_an_unknown_city_has_no_widget(client, demo_data):
    assert client.get("/de/embed/cities/atlantis/").status_code == 404


def test_only_the_widget_may_be_framed_by_other_sites(client, demo_data):
    for _attempt in ["miss", "hit"]:
        response = client.get(CITY_WIDGET)
        assert response["X-Cache"] == _attempt
        assert frame_ancestors(response) == "*"
        assert "X-Frame-Options" not in response
    page = client.get("/de/cities/unna/")
    assert frame_ancestors(page) == "'none'"
    assert page["X-Frame-Options"] == "DENY"


def test_the_sites_allowed_to_frame_the_widget_come_from_a_setting(client, demo_data, settings):
    settings.PORTAL_EMBED_ORIGINS = ["https://www.unna.de", "https://www.kamen.de"]
    response = client.get("/de/embed/offers/")
    assert frame_ancestors(response) == "https://www.unna.de https://www.kamen.de"


def test_city_page_offers_the_snippet_and_a_qr_code(client, demo_data):
    html = html_of(client.get("/fr/cities/unna/"))
    assert (
        "&lt;iframe src=&quot;http://testserver/fr/embed/cities/unna/&quot; "
        "title=&quot;Offres à Unna&quot; data-integration-portal"
    ) in html
    assert "&lt;script src=&quot;http://testserver/embed.js&quot; async&gt;" in html
    assert '<img src="/fr/cities/unna/qr.svg" alt="Code QR de cette page"' in html
    # The snippet is shown, never run on the portal's own page.
    assert "<iframe" not in html

    response = client.get("/embed.js")
    assert response.status_code == 302
    assert finders.find(response["Location"].removeprefix("/static/"))
    assert finders.find("pages/embed-frame.js")
    assert "pages/embed-frame.js" in html_of(client.get(CITY_WIDGET))


def test_the_qr_code_is_an_svg_drawn_by_the_portal(client, demo_data):
    response = client.get("/de/cities/unna/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = ET.fromstring(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.find("{http://www.w3.org/2000/svg}path") is not None
    # Another address, another code.
    assert client.get("/ar/cities/unna/qr.svg").content != response.content
    assert client.get("/de/cities/atlantis/qr.svg").status_code == 404


def test_widgets_run_a_fixed_number_of_queries(client, demo_data, page_cache_off):
    urls = [CITY_WIDGET, "/de/embed/offers/?category=beratung"]

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = {url: queries(url) for url in urls}
    call_command("generate_offers", count=300, seed=3, verbosity=0)
    assert {url: queries(url) for url in urls} == before
    assert max(before.values()) <= 20
