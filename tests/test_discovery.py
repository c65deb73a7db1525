"""Discovery (discovery/), the Atom feeds (offers/feeds.py, events/feeds.py) and what a
shared link or a search engine reads from a page: robots.txt, the sitemap, canonical
addresses, favicon and manifest, Open Graph tags and the schema.org data.

The feeds are read here with xml.etree against the Atom namespace (and with feedparser, as
feed readers read them, in tests/test_feed_readers.py), the sitemap against the sitemap and
XHTML namespaces, robots.txt with urllib.robotparser.
"""

import json
import re
import urllib.robotparser
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.feeds import FEED_SIZE
from content.publication import PublicationStatus
from discovery import sitemaps
from events.models import Event
from offers.models import Offer
from pages.models import Page
from places.models import City
from providers.models import Provider
from tests.pages import count_queries, html_of

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
OFFER = "/de/offers/badminton-castrop-rauxel/"


class HeadReader(HTMLParser):
    """The <link> and <meta> elements of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.metas = [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.metas.setdefault(attrs.get("property") or attrs["name"], attrs["content"])


def head_of(response):
    reader = HeadReader()
    reader.feed(html_of(response))
    return reader


def links(response, rel, type_=None):
    return [
        link["href"]
        for link in head_of(response).links
        if link.get("rel") == rel and (type_ is None or link.get("type") == type_)
    ]


def local(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


# --- robots.txt --------------------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    assert robots.site_maps() == ["http://testserver/sitemap.xml"]
    assert not robots.can_fetch("*", "http://testserver/admin/")
    assert not robots.can_fetch("*", "http://testserver/admin/offers/offer/")
    for language in LANGUAGES:
        assert not robots.can_fetch("*", f"http://testserver/{language}/offers/search.json")
        assert not robots.can_fetch("*", f"http://testserver/{language}/offers/suggest/")
        assert robots.can_fetch("*", f"http://testserver/{language}{OFFER[3:]}")
        assert robots.can_fetch("*", f"http://testserver/{language}/events/")
    assert robots.can_fetch("*", "http://testserver/sitemap.xml")
    # Parameterised addresses, in the wildcard syntax the search engines read (robotparser
    # knows only prefixes).
    assert "Disallow: /*?" in text.splitlines()


# --- The sitemap -------------------------------------------------------------------------


def parse_xml(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sitemap_files(client):
    index = parse_xml(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    return [local(entry.find(f"{SITEMAP}loc").text) for entry in index]


def sitemap_urls(client):
    """{location: (lastmod, {hreflang: href})} over every file of the index."""
    urls = {}
    for address in sitemap_files(client):
        urlset = parse_xml(client.get(address))
        assert urlset.tag == f"{SITEMAP}urlset"
        for url in urlset.iter(f"{SITEMAP}url"):
            location = url.find(f"{SITEMAP}loc").text
            lastmod = url.find(f"{SITEMAP}lastmod")
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
            }
            assert location not in urls, f"{location} listed twice"
            urls[location] = (lastmod.text if lastmod is not None else None, alternates)
    return urls


def test_sitemap_lists_every_public_page_in_every_language_with_its_alternates(client, demo_data):
    urls = sitemap_urls(client)
    paths = {local(location) for location in urls}
    expected_entries = [
        *Offer.objects.published(),
        *Event.objects.published(),
        *Page.objects.published(),
        *Provider.objects.all(),
        *City.objects.all(),
    ]
    for language in LANGUAGES:
        for entry in expected_entries:
            assert f"/{language}{entry.get_absolute_url()[3:]}" in paths
        for path in [
            "/",
            "/offers/",
            "/events/",
            "/events/past/",
            "/cities/",
            "/info/",
            "/open-data/",
        ]:
            assert f"/{language}{path}" in paths
    lists = 9
    assert len(urls) == (len(expected_entries) + lists) * len(LANGUAGES)
    # Nothing that is not public.
    draft = Offer.objects.exclude(publication_status=PublicationStatus.PUBLISHED).first()
    assert not any(draft.slug in path for path in paths)
    for location, (_lastmod, alternates) in urls.items():
        assert set(alternates) == {*LANGUAGES, "x-default"}
        assert location in alternates.values()
        # x-default is the German version, as in every page's head.
        assert alternates["x-default"] == alternates["de"]
        assert urlsplit(alternates["de"]).path.startswith("/de/")


def test_sitemap_lastmod_is_the_contents_last_change(client, demo_data):
    urls = sitemap_urls(client)
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    lastmod, _alternates = urls[f"http://testserver/en{OFFER[3:]}"]
    assert lastmod == timezone.localtime(offer.updated).date().isoformat()
    page = Page.objects.published().first()
    lastmod, _alternates = urls[f"http://testserver/ar{page.get_absolute_url()[3:]}"]
    assert lastmod == timezone.localtime(page.updated).date().isoformat()


def test_every_sitemap_address_answers(client, demo_data):
    """Each entry once, the languages taking turns, so that every entry and every
    language is fetched (all twelve versions of every entry would be 12 times the work
    for the same templates)."""
    urls = sorted(sitemap_urls(client))
    entries = {}
    for location in urls:
        entries.setdefault(location.split("/", 4)[4], []).append(location)
    for number, versions in enumerate(entries.values()):
        location = sorted(versions)[number % len(versions)]
        assert client.get(local(location)).status_code == 200, location


def test_the_sitemap_is_split_into_files_of_a_bounded_size(client, demo_data, monkeypatch):
    monkeypatch.setattr(sitemaps.OfferSitemap, "limit", 25)  # not a multiple of 12
    files = [address for address in sitemap_files(client) if "offers" in address]
    offers = Offer.objects.published().count()
    assert len(files) == -(-offers * len(LANGUAGES) // 25)
    assert files[1] == "/sitemap-offers.xml?p=2"
    seen = []
    for address in files:
        urlset = parse_xml(client.get(address))
        locations = [url.find(f"{SITEMAP}loc").text for url in urlset]
        assert len(locations) <= 25
        seen.extend(locations)
    assert len(seen) == len(set(seen)) == offers * len(LANGUAGES)
    assert client.get(f"/sitemap-offers.xml?p={len(files) + 1}").status_code == 404


def test_sitemap_files_run_a_fixed_number_of_queries(client, demo_data, page_cache_off):
    def queries(address):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    addresses = ["/sitemap.xml", "/sitemap-offers.xml", "/sitemap-cities.xml"]
    before = {address: queries(address) for address in addresses}
    call_command("generate_offers", count=300, seed=3, verbosity=0)
    assert {address: queries(address) for address in addresses} == before
    assert max(before.values()) <= 15


def test_language_pairs_slice_like_the_full_list():
    entries = ["a", "b", "c", "d", "e"]
    pairs = sitemaps.LanguagePairs(entries, ["de", "en", "ar"])
    full = [(entry, language) for entry in entries for language in ["de", "en", "ar"]]
    assert pairs.count() == len(full) == 15
    for start in range(16):
        for stop in range(start, 17):
            assert pairs[start:stop] == full[start:stop]


# --- Canonical addresses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (OFFER + "?back=/de/offers/%3Fq%3Dsport", OFFER),
        ("/de/offers/?q=deutsch&city=unna", "/de/offers/"),
        ("/de/offers/?category=beratung&page=2", "/de/offers/"),
        ("/ar/cities/unna/?category=sport", "/ar/cities/unna/"),
        ("/de/providers/?page=2", "/de/providers/?page=2"),
        ("/de/providers/?page=1", "/de/providers/"),
        ("/de/events/?utm_source=newsletter", "/de/events/"),
        ("/de/info/", "/de/info/"),
    ],
)
def test_every_page_names_its_canonical_address(client, demo_data, url, canonical):
    assert links(client.get(url), "canonical") == [f"http://testserver{canonical}"]


def test_an_error_page_has_no_canonical_address(client, demo_data):
    response = client.get("/de/offers/no-such-offer/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()


# --- Favicon and manifest ----------------------------------------------------------------


def test_pages_link_the_favicon_and_the_manifest_in_their_language(client, demo_data):
    head = head_of(client.get("/ar/"))
    icons = {link["href"]: link.get("type") for link in head.links if link["rel"] == "icon"}
    assert icons == {
        "/static/discovery/favicon-32.png": "image/png",
        "/static/discovery/favicon.svg": "image/svg+xml",
    }
    (manifest_url,) = [link["href"] for link in head.links if link["rel"] == "manifest"]
    assert manifest_url == "/ar/manifest.webmanifest"
    response = client.get(manifest_url)
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")
    assert manifest["start_url"] == "/ar/"
    assert (
        manifest["description"].startswith("عروض")
        or manifest["description"]
        != (json.loads(client.get("/de/manifest.webmanifest").content)["description"])
    )
    german = json.loads(client.get("/de/manifest.webmanifest").content)
    assert (german["lang"], german["dir"]) == ("de", "ltr")
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_the_icons_are_ours_and_well_formed():
    svg = ET.parse(finders.find("discovery/favicon.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for name, size in [
        ("favicon-32.png", 32),
        ("icon-192.png", 192),
        ("icon-512.png", 512),
        ("apple-touch-icon.png", 180),
        ("preview.png", 1200),
    ]:
        data = Path(finders.find(f"discovery/{name}")).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        assert int.from_bytes(data[16:20], "big") == size, name


def test_favicon_ico_leads_to_the_png(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/discovery/favicon-32.png"


# --- Atom feeds --------------------------------------------------------------------------


def parse_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ["id", "title", "updated"]:
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ["id", "title", "updated"]:
            assert (entry.find(f"{ATOM}{required}").text or "").strip()
        # An author for each entry, or one for the feed: Atom requires it.
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
        href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert href.startswith("http://testserver/")
    return feed, entries


def entry_paths(entries):
    return [local(entry.find(f"{ATOM}link").get("href")) for entry in entries]


def test_offer_feed_lists_the_latest_changes_first_in_the_pages_language(client, demo_data):
    feed, entries = parse_feed(client.get("/en/offers/feed.atom"))
    assert feed.get(XML_LANG) == "en"
    assert feed.find(f"{ATOM}title").text == f"{settings.PORTAL_NAME}: New and changed offers"
    published = Offer.objects.published().order_by("-updated", "-pk")[:FEED_SIZE]
    assert len(entries) == FEED_SIZE < Offer.objects.published().count()
    assert entry_paths(entries) == [f"/en{offer.get_absolute_url()[3:]}" for offer in published]
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == "http://testserver/en/offers/feed.atom"


def test_offer_feed_of_a_city_holds_the_citys_offers_only(client, demo_data):
    feed, entries = parse_feed(client.get("/de/offers/feed.atom?city=unna"))
    assert feed.get(XML_LANG) == "de"
    assert feed.find(f"{ATOM}title").text.endswith("Neue und geänderte Angebote in Unna")
    in_unna = Offer.objects.published().filter(city__slug="unna")
    assert sorted(entry_paths(entries)) == sorted(offer.get_absolute_url() for offer in in_unna)
    assert entries
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "http://testserver/de/offers/?city=unna"


def test_offer_feed_follows_the_searchs_words(client, demo_data):
    _feed, entries = parse_feed(client.get("/de/offers/feed.atom?q=badminton"))
    assert entry_paths(entries) == [OFFER]


def test_event_feed_holds_upcoming_events_in_the_city_and_across_the_district(client, demo_data):
    feed, entries = parse_feed(client.get("/ar/events/feed.atom?city=unna"))
    assert feed.get(XML_LANG) == "ar"
    paths = entry_paths(entries)
    assert paths and all(path.startswith("/ar/events/") for path in paths)
    events = {event.slug: event for event in Event.objects.select_related("city", "district")}
    unna = City.objects.get(slug="unna")
    for path in paths:
        event = events[path.split("/")[3]]
        assert event.is_published
        assert event.city == unna or (event.city is None and event.district == unna.district)
    everything = entry_paths(parse_feed(client.get("/ar/events/feed.atom"))[1])
    assert set(paths) < set(everything)
    upcoming = Event.objects.published().upcoming()
    assert {path.split("/")[3] for path in everything} == {event.slug for event in upcoming}


@pytest.mark.parametrize(
    "url",
    [
        "/de/offers/feed.atom?city=nowhere",
        "/de/offers/feed.atom?sort=backwards",
        "/de/events/feed.atom?city=nowhere",
        "/de/events/feed.atom?from=31.02.2026",
    ],
)
def test_feeds_refuse_filters_they_cannot_apply(client, demo_data, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # The engine's note, in the page's language.
    assert any(word in response.content.decode() for word in ["nowhere", "Sortierung", "Datum"])


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        ("/de/", ["/de/offers/feed.atom", "/de/events/feed.atom"]),
        ("/de/offers/?category=beratung", ["/de/offers/feed.atom?category=beratung"]),
        ("/de/offers/map/", ["/de/offers/feed.atom"]),
        ("/fr/cities/unna/", ["/fr/offers/feed.atom?city=unna", "/fr/events/feed.atom?city=unna"]),
        ("/de/events/?city=kamen", ["/de/events/feed.atom?city=kamen"]),
    ],
)
def test_pages_link_the_feeds_that_follow_them(client, demo_data, url, feeds):
    found = links(client.get(url), "alternate", "application/atom+xml")
    assert found == feeds
    for feed in found:
        parse_feed(client.get(feed))


FEED_URLS = [
    "/de/offers/feed.atom",
    "/de/offers/feed.atom?city=unna",
    "/de/offers/feed.atom?q=deutsch&category=sprachkurs-sprachfoerderung",
]


def test_offer_feeds_run_a_fixed_number_of_queries(client, demo_data, page_cache_off):
    before = {url: count_queries(client, url) for url in FEED_URLS}
    call_command("generate_offers", count=300, seed=3, verbosity=0)
    after = {url: count_queries(client, url) for url in FEED_URLS}
    assert after == before
    assert max(before.values()) <= 12


def test_event_feeds_run_a_fixed_number_of_queries(client, demo_data, page_cache_off):
    # Many events or a few: the same queries (none at all saves fetching their details).
    many = count_queries(client, "/de/events/feed.atom")
    assert count_queries(client, "/de/events/feed.atom?city=unna") == many <= 12
    assert count_queries(client, "/de/events/feed.atom?from=2099-01-01") <= many


# --- The page cache ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/de/offers/feed.atom", "/sitemap-offers.xml"])
def test_feeds_and_sitemap_are_cached_and_show_a_change_at_once(client, demo_data, url):
    offer = Offer.objects.filter(publication_status=PublicationStatus.DRAFT).first()
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert offer.slug not in second.content.decode()
    offer.publication_status = PublicationStatus.PUBLISHED
    offer.save()
    assert offer.slug in client.get(url).content.decode()


# --- Link previews -------------------------------------------------------------------------


def preview_pages():
    event = Event.objects.published().upcoming().first()
    page = Page.objects.published().first()
    return [
        (OFFER, "Badminton"),
        (event.get_absolute_url(), event.title),
        ("/de/cities/unna/", "Angebote in Unna"),
        (page.get_absolute_url(), page.title),
    ]


def test_shared_links_show_title_description_and_an_absolute_image(client, demo_data):
    for url, title in preview_pages():
        response = client.get(url)
        metas = head_of(response).metas
        assert metas["og:title"] == metas["twitter:title"] == title, url
        assert metas["og:description"], url
        assert metas["og:url"] == links(response, "canonical")[0] == f"http://testserver{url}"
        assert re.match(r"https?://testserver/", metas["og:image"]), url
        assert metas["twitter:image"] == metas["og:image"]
        assert metas["og:locale"] == "de_DE"
        assert metas["twitter:card"] in {"summary", "summary_large_image"}
        assert finders.find(urlsplit(metas["og:image"]).path.removeprefix("/static/"))


def test_link_previews_speak_the_pages_language_and_scheme(client, demo_data):
    response = client.get("/ar/cities/unna/", secure=True)
    metas = head_of(response).metas
    assert metas["og:locale"] == "ar_AR"
    assert metas["og:url"] == "https://testserver/ar/cities/unna/"
    assert metas["og:image"].startswith("https://testserver/static/")


def test_an_offer_shows_its_providers_logo(client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    Provider.objects.filter(pk=offer.provider_id).update(logo="providers/logos/turnerbund.png")
    metas = head_of(client.get(OFFER)).metas
    assert metas["og:image"] == "http://testserver/media/providers/logos/turnerbund.png"
    assert metas["twitter:card"] == "summary"


# --- schema.org ----------------------------------------------------------------------------


def json_ld_of(response):
    (raw,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html_of(response), re.S
    )
    return json.loads(raw)


def empty_values(data, path="$"):
    if data is None or data == "" or data == [] or data == {}:
        return [path]
    if isinstance(data, dict):
        return [
            found for key, value in data.items() for found in empty_values(value, f"{path}.{key}")
        ]
    if isinstance(data, list):
        return [
            found for i, value in enumerate(data) for found in empty_values(value, f"{path}[{i}]")
        ]
    return []


def test_offer_json_ld_uses_only_properties_of_a_service_and_no_empty_values(client, demo_data):
    for offer in Offer.objects.published().select_related("provider"):
        data = json_ld_of(client.get(offer.get_absolute_url()))
        assert data["@type"] == "Service"
        assert empty_values(data) == [], offer.slug
        assert "availableLanguage" not in data
        assert "isAccessibleForFree" not in data
        if not offer.provider.website:
            assert "url" not in data["provider"]
        if offer.is_free:
            assert data["offers"]["price"] == 0
        channel = data["availableChannel"]
        assert channel["@type"] == "ServiceChannel"
        languages = [language.label for language in offer.languages.all()]
        assert [item["name"] for item in channel.get("availableLanguage", [])] == languages


def test_event_json_ld_has_no_empty_values(client, demo_data):
    for event in Event.objects.published():
        data = json_ld_of(client.get(event.get_absolute_url()))
        assert empty_values(data) == [], event.slug
