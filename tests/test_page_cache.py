"""The page cache (operations/page_cache.py) and the content generation behind it
(content/generation.py): anonymous visitors get cached pages, and every way of changing
content shows at once.

Every test here runs twice: with local memory (the embedded default) and with the real Redis
on 127.0.0.1:6379 (CI starts it), under a key prefix of its own.
"""

import datetime as dt
import socket
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from reversion.models import Version

from content import generation
from offers.models import Offer
from tests import test_import_export as spreadsheet
from tests import test_translation_exchange as exchange
from tests.admin_forms import admin_url, save_in_admin
from tests.test_history import delete_in_admin, recover_in_admin, restore_in_admin, versions
from vocabularies.models import Category

pytestmark = pytest.mark.django_db

OFFER_SLUG = "badminton-castrop-rauxel"
OFFER_PAGE = f"/de/offers/{OFFER_SLUG}/"
SEARCH = "/de/offers/"
REDIS = "redis://127.0.0.1:6379/0"


def redis_settings(location, prefix):
    return {
        "default": {
            "BACKEND": "operations.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def cache_backend(request, settings):
    if request.param == "redis":
        settings.CACHES = redis_settings(REDIS, f"test-page-cache-{uuid.uuid4().hex[:12]}")
        settings.PORTAL_GENERATION_FILE = None
        assert cache.add("reachable", 1) and cache.get("reachable") == 1, "Redis must run"
    generation.bump()
    yield request.param
    if request.param == "redis":
        cache.clear()  # only this test's prefix (ResilientRedisCache.clear)


@pytest.fixture
def visitor():
    """An anonymous visitor: no session cookie, so served from the cache."""
    return Client()


def read(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def cached_read(client, url, **params):
    """Read the page twice, the second time from the cache; its text."""
    read(client, url, **params)
    response = read(client, url, **params)
    assert response["X-Cache"] == "hit"
    return response.content.decode()


def badminton():
    return Offer.objects.get(slug=OFFER_SLUG)


# --- What is cached, for whom ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/de/",
        SEARCH,
        "/de/offers/?q=deutsch",
        "/de/offers/search.json?q=badminton",
        "/de/offers/map.geojson",
        "/de/events/feed.ics",
        "/de/offers/feed.atom?city=unna",
        "/de/events/feed.atom",
        OFFER_PAGE,
        "/de/cities/unna/",
    ],
)
def test_public_pages_and_feeds_come_from_the_cache_without_queries(visitor, demo_data, url):
    first = read(visitor, url)
    assert first["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = read(visitor, url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert len(queries) == 0
    assert second["Cache-Control"] == "public, max-age=60"


def test_staff_always_get_fresh_pages(staff_client, visitor, demo_data):
    cached_read(visitor, OFFER_PAGE)
    response = read(staff_client, OFFER_PAGE)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_forms_with_a_csrf_token_are_never_stored(visitor, demo_data):
    url = "/de/offers/suggest/"
    assert read(visitor, url)["X-Cache"] == "miss"
    response = read(visitor, url)
    assert response["X-Cache"] == "miss"
    assert "csrftoken" in response.cookies
    assert "private" in response["Cache-Control"]


def test_the_language_redirect_of_the_home_address_follows_each_browser(visitor, demo_data):
    assert visitor.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/"
    assert visitor.get("/", HTTP_ACCEPT_LANGUAGE="ar")["Location"] == "/ar/"


def test_the_admin_is_never_cached(staff_client, demo_data):
    assert "X-Cache" not in read(staff_client, admin_url(Offer, "changelist"))


def test_a_matching_etag_answers_not_modified(visitor, demo_data):
    etag = read(visitor, OFFER_PAGE)["ETag"]
    assert visitor.get(OFFER_PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 304  # from cache
    offer = badminton()
    offer.name_de = "Federball am Abend"
    offer.save()  # a change: a new page with a new ETag
    response = visitor.get(OFFER_PAGE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_portal_cache_off_renders_every_request(visitor, demo_data, settings):
    settings.PORTAL_CACHE = False
    read(visitor, SEARCH)
    with CaptureQueriesContext(connection) as queries:
        response = read(visitor, SEARCH)
    assert "X-Cache" not in response
    assert len(queries) > 0


def test_pages_are_rendered_anew_after_the_cache_time(
    visitor, demo_data, settings, monkeypatch, cache_backend
):
    """Time-based changes (an offer's "valid until" passing) show within
    PORTAL_PAGE_CACHE_SECONDS: the entry expires."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 1
    cached_read(visitor, OFFER_PAGE)
    if cache_backend == "redis":
        # Let Redis expire the key rather than wait: its remaining time to live is 1 s.
        client = cache._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*page:*"))
        assert keys and all(0 < client.pttl(key) <= 1000 for key in keys)
        client.delete(*keys)
    else:
        from django.core.cache.backends import locmem

        later = locmem.time.time() + 2
        monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert read(visitor, OFFER_PAGE)["X-Cache"] == "miss"


# --- Every way of changing content shows at once --------------------------------------------


def test_an_admin_save_shows_at_once(staff_client, visitor, demo_data):
    assert "Federball am Abend" not in cached_read(visitor, OFFER_PAGE)
    assert "Federball am Abend" not in cached_read(visitor, SEARCH, q="badminton")
    save_in_admin(staff_client, badminton(), name_de="Federball am Abend")
    assert "Federball am Abend" in read(visitor, OFFER_PAGE).content.decode()
    assert "Federball am Abend" in read(visitor, SEARCH, q="badminton").content.decode()


def test_a_deletion_shows_at_once(staff_client, visitor, demo_data):
    assert OFFER_PAGE in cached_read(visitor, SEARCH, q="badminton")
    cached_read(visitor, OFFER_PAGE)
    delete_in_admin(staff_client, badminton())
    assert OFFER_PAGE not in read(visitor, SEARCH, q="badminton").content.decode()
    assert visitor.get(OFFER_PAGE).status_code == 404


def test_a_changed_many_to_many_set_shows_at_once(visitor, demo_data):
    offer = badminton()
    category = offer.categories.first()
    assert OFFER_PAGE in cached_read(visitor, SEARCH, category=category.slug)
    offer.categories.remove(category)
    assert OFFER_PAGE not in read(visitor, SEARCH, category=category.slug).content.decode()
    category.offers.add(offer)  # the reverse side
    assert OFFER_PAGE in read(visitor, SEARCH, category=category.slug).content.decode()


def test_a_renamed_category_shows_at_once(staff_client, visitor, demo_data):
    category = badminton().categories.first()
    assert "Ballspiele" not in cached_read(visitor, OFFER_PAGE)
    save_in_admin(staff_client, Category.objects.get(pk=category.pk), label_de="Ballspiele")
    assert "Ballspiele" in read(visitor, OFFER_PAGE).content.decode()


def workflow_action(client, action, offer):
    response = client.post(
        admin_url(Offer, "changelist"),
        {"action": action, "_selected_action": [offer.pk]},
    )
    assert response.status_code == 302


def test_archiving_and_publishing_from_the_list_show_at_once(staff_client, visitor, demo_data):
    cached_read(visitor, OFFER_PAGE)
    workflow_action(staff_client, "archive_selected", badminton())
    assert visitor.get(OFFER_PAGE).status_code == 404
    assert OFFER_PAGE not in read(visitor, SEARCH, q="badminton").content.decode()
    workflow_action(staff_client, "publish_selected", badminton())
    assert read(visitor, OFFER_PAGE).status_code == 200


def test_marking_as_reviewed_shows_at_once(staff_client, visitor, demo_data):
    Offer.objects.filter(pk=badminton().pk).update(last_reviewed=dt.date(2020, 1, 2))
    generation.bump()  # QuerySet.update() sends no signal: code that uses it bumps
    assert german_date(dt.date(2020, 1, 2)) in cached_read(visitor, OFFER_PAGE)
    workflow_action(staff_client, "mark_reviewed", badminton())
    page = read(visitor, OFFER_PAGE).content.decode()
    assert german_date(dt.date(2020, 1, 2)) not in page
    assert german_date(timezone.localdate()) in page


def german_date(day):
    """A day as the German offer page writes it ("2. Januar 2020")."""
    with translation.override("de"):
        return date_format(day, "DATE_FORMAT")


def test_a_spreadsheet_import_shows_at_once(visitor, demo_data):
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(staff_user())
    spreadsheet.import_file(staff, "provider", spreadsheet.PROVIDERS_CSV)
    rows = spreadsheet.example_rows()[2:3]
    rows[0]["publication_status"] = "published"
    rows[0]["valid_from"] = ""
    address = f"/de/offers/{rows[0]['slug']}/"
    assert address not in cached_read(visitor, SEARCH, q="Fahrradkurs")
    spreadsheet.import_file(staff, "offer", spreadsheet.csv_text(rows))
    assert address in read(visitor, SEARCH, q="Fahrradkurs").content.decode()


def staff_user():
    from django.contrib.auth.models import User

    return User.objects.create_superuser("cache-admin", "cache@example.org", "x")


def test_a_restored_version_shows_at_once(staff_client, visitor, demo_data):
    save_in_admin(staff_client, badminton(), name_de="Federball am Abend")
    assert "Federball am Abend" in cached_read(visitor, OFFER_PAGE)
    old = versions(badminton()).last()
    restore_in_admin(staff_client, badminton(), old)
    assert "Federball am Abend" not in read(visitor, OFFER_PAGE).content.decode()


def test_a_recovered_entry_shows_at_once(staff_client, visitor, demo_data):
    save_in_admin(staff_client, badminton())  # so that it has a version
    offer = badminton()
    delete_in_admin(staff_client, offer)
    assert visitor.get(OFFER_PAGE).status_code == 404
    assert visitor.get(OFFER_PAGE).status_code == 404
    version = Version.objects.get_deleted(Offer).get(object_id=str(offer.pk))
    recover_in_admin(staff_client, Offer, version)
    assert read(visitor, OFFER_PAGE).status_code == 200


def test_a_translation_import_shows_at_once(visitor, demo_data):
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(staff_user())
    offer = badminton()
    offer.short_description_en = ""
    offer.save()
    url = f"/en/offers/{OFFER_SLUG}/"
    assert "any level, any age" not in cached_read(visitor, url)
    rows = exchange.export(staff)
    exchange.row_for(rows, offer, "short_description")["translation"] = "any level, any age"
    exchange.preview(staff, rows)
    response = staff.post(exchange.IMPORT, {"confirm": "1"}, follow=True)
    assert "1 translation imported" in response.content.decode()
    assert "any level, any age" in read(visitor, url).content.decode()


def test_generated_offers_show_at_once(visitor, demo_data):
    assert "Generiert" not in cached_read(visitor, SEARCH, q="generiert")
    before = cached_read(visitor, "/de/offers/search.json")
    call_command("generate_offers", count=30, seed=5, verbosity=0)
    assert read(visitor, "/de/offers/search.json").content.decode() != before


def test_loading_the_demo_data_again_shows_at_once(visitor, demo_data):
    name = badminton().name_de
    Offer.objects.filter(slug=OFFER_SLUG).update(name_de="Umbenannt")
    generation.bump()
    assert "Umbenannt" in cached_read(visitor, OFFER_PAGE)
    call_command("load_demo", verbosity=0)
    page = read(visitor, OFFER_PAGE).content.decode()
    assert "Umbenannt" not in page
    assert name in page


# --- Redis away -----------------------------------------------------------------------------


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_redis_pages_are_served_uncached_and_staff_can_log_in(
    visitor, demo_data, settings, cache_backend, caplog
):
    settings.CACHES = redis_settings(f"redis://127.0.0.1:{closed_port()}/0", "unreachable")
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PORTAL_GENERATION_FILE = None
    for _ in range(2):
        response = read(visitor, OFFER_PAGE)
        assert response["X-Cache"] == "miss"
    badminton().save()  # bumping with Redis away is no error either
    assert "Redis cache unreachable" in caplog.text
    staff = Client()
    staff_user()
    assert staff.login(username="cache-admin", password="x")
    assert read(staff, admin_url(Offer, "changelist"))
