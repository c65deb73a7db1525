"""Running as a service: health and readiness, the portal's own error pages, and what
residents and staff see while the database cannot be reached (simulated here by making the
database calls fail; tests/test_database_outage.py cuts a real connection)."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import path

import integration_portal.urls
from offers.models import Offer
from tests.admin_forms import admin_url, form_data


@contextmanager
def database_unreachable(only=None):
    """Inside the block every query (or only those containing `only`) fails as when
    PostgreSQL is unreachable."""
    execute = CursorWrapper.execute

    def unreachable(self, sql, params=None):
        if only is None or only in sql:
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        return execute(self, sql, params)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", unreachable)
        yield


def assert_never_cached(response):
    assert "no-store" in response["Cache-Control"]


# --- health ------------------------------------------------------------------------------


def test_healthz_answers_while_the_process_runs_even_without_the_database(client, db):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert_never_cached(response)


def test_readyz_answers_200_when_database_and_cache_answer(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert_never_cached(response)


def test_readyz_answers_503_and_names_the_database_when_it_is_away(client, db):
    with database_unreachable():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "failed", "cache": "ok"}
    assert_never_cached(response)


def test_readyz_answers_503_and_names_the_cache_when_it_is_away(client, settings, db):
    # A Redis that is not there: nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "failed"}


# --- error pages --------------------------------------------------------------------------


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken_view), *integration_portal.urls.urlpatterns]
handler500 = integration_portal.urls.handler500


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("address", "accept_language", "lang", "heading"),
    [
        ("/broken/", "fr", "fr", "Une erreur s'est produite"),
        ("/broken/", "ar", 'ar" dir="rtl', "حدث خطأ"),
        ("/broken/", "", "de", "Ein Fehler ist aufgetreten"),
    ],
)
def test_a_bug_shows_the_portals_500_page_in_the_visitors_language(
    settings, db, address, accept_language, lang, heading
):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=accept_language)
    response = client.get(address)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert heading in html
    assert "Traceback" not in html and "a bug in a view" not in html
    # One language, not German with English below it.
    assert html.count("<h1>") == 1 and "<h2" not in html


# --- database outage ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "lang", "heading"),
    [
        ("/de/", "de", "Das Portal ist kurz nicht erreichbar"),
        ("/en/offers/badminton-castrop-rauxel/", "en", "The portal is briefly unavailable"),
        ("/fa/offers/", 'fa" dir="rtl', "پورتال"),
    ],
)
def test_while_the_database_is_away_residents_get_the_outage_page_in_their_language(
    client, demo_data, address, lang, heading
):
    with database_unreachable():
        response = client.get(address)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert_never_cached(response)
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert heading in html
    assert "Connection refused" not in html


def reads_the_database(get_response):
    """A middleware that queries before any view runs (as one reading the session may)."""

    def middleware(request):
        Offer.objects.exists()
        return get_response(request)

    return middleware


def test_an_outage_outside_a_view_gets_the_outage_page_too(settings, demo_data):
    settings.MIDDLEWARE = [f"{__name__}.reads_the_database", *settings.MIDDLEWARE]
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="de")
    with database_unreachable():
        response = client.get("/de/offers/")
    assert response.status_code == 503
    assert "Das Portal ist kurz nicht erreichbar" in response.content.decode()


def test_an_admin_save_during_an_outage_says_so_and_writes_nothing(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    url = admin_url(Offer, "change", offer.pk)
    data = {**form_data(staff_client.get(url)), "name_de": "Badminton am Abend"}
    # The offer itself is written, then the history entry fails: the whole save is undone.
    with database_unreachable(only='INSERT INTO "reversion_version"'):
        response = staff_client.post(url, data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 503
    assert "Ihre Änderungen wurden nicht gespeichert" in response.content.decode()
    offer.refresh_from_db()
    assert offer.name_de != "Badminton am Abend"
