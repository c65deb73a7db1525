"""The security headers of every response, and 405 for the methods the portal does not use.

What the browser makes of the policy (no violation on the public pages and in the admin)
is tested in tests/browser/test_content_security_policy.py.
"""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, reverse

from operations.headers import allow_framing
from tests.gunicorn import PROJECT_DIR, gunicorn_server  # noqa: F401 (a fixture)

PUBLIC_PAGES = ["/de/", "/ar/offers/", "/de/offers/map/", "/de/events/", "/en/cities/"]
ADMIN_PAGES = ["/admin/login/"]
ERROR_PAGES = ["/de/no-such-page/", "/admin/offers/offer/999999/change/"]
STATIC_FILES = ["/static/css/portal.css", "/static/offers/map.js"]


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # No outside host anywhere but the map tiles among the images.
    for name, sources in directives.items():
        outside = [source for source in sources if "://" in source or "." in source]
        if name == "img-src":
            assert outside == ["https://tile.openstreetmap.org"]
        else:
            assert outside == [], (name, sources)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions
    assert "microphone=()" in permissions


@pytest.mark.django_db
@pytest.mark.parametrize("address", PUBLIC_PAGES + ADMIN_PAGES + ERROR_PAGES)
def test_pages_carry_the_security_headers(client, admin_user, address):
    if address.startswith("/admin/") and address not in ADMIN_PAGES:
        client.force_login(admin_user)
    response = client.get(address)
    assert response.status_code in {200, 302, 404}
    assert_security_headers(response)
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_admin_index_carries_the_security_headers(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db  # closing the response sends request_finished
@pytest.mark.parametrize("address", STATIC_FILES)
def test_static_files_carry_the_security_headers(client, address):
    response = client.get(address)
    response.close()  # WhiteNoise streams the file
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_nonce_used_by_a_page_is_in_its_policy(rf):
    """A template that needs an inline script writes nonce="{{ request.csp_nonce }}"; the
    nonce of that request is then allowed in script-src, and only that one."""
    from csp.middleware import CSPMiddleware

    request = rf.get("/")
    middleware = CSPMiddleware(lambda request: HttpResponse(f"<script nonce={request.csp_nonce}>"))
    response = middleware(request)
    nonce = response.content.decode().split("nonce=")[1].rstrip(">")
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]
    assert "'unsafe-inline'" not in policy(response)["script-src"]


@allow_framing(ancestors=["https://www.unna.example.org"])
def framed_view(request):
    return HttpResponse("a widget")


def plain_view(request):
    return HttpResponse("not a widget")


urlpatterns = [path("widget/", framed_view), path("plain/", plain_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_opts_in_to_being_framed(client):
    framed = client.get("/widget/")
    assert "X-Frame-Options" not in framed.headers
    assert policy(framed)["frame-ancestors"] == ["https://www.unna.example.org"]
    # The rest of the policy stays.
    assert policy(framed)["object-src"] == ["'none'"]
    plain = client.get("/plain/")
    assert plain.headers["X-Frame-Options"] == "DENY"
    assert policy(plain)["frame-ancestors"] == ["'none'"]


METHODS = ["TRACE", "PUT", "DELETE", "PATCH", "CONNECT", "PROPFIND"]
METHOD_ADDRESSES = ["/de/", "/de/offers/", "/admin/", "/admin/login/", "/static/css/portal.css"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND"])
@pytest.mark.parametrize("address", METHOD_ADDRESSES)
def test_other_methods_answer_405(client, method, address):
    response = client.generic(method, address)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "POST",
        "OPTIONS",
    }
    assert_security_headers(response)


def test_other_methods_answer_405_under_gunicorn(gunicorn_server):  # noqa: F811
    answers = {}
    for method in METHODS:
        for address in METHOD_ADDRESSES:
            response = gunicorn_server.request(method, address)
            answers[f"{method} {address}"] = response.status
            if response.status == 405:
                assert "Content-Security-Policy" in response.headers
    assert set(answers.values()) == {405}, answers
    # The methods in use still work.
    assert gunicorn_server.request("GET", "/admin/login/").status == 200
    assert gunicorn_server.request("HEAD", "/static/css/portal.css").status == 200


def test_hsts_is_configured_from_the_environment_in_production(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        "PORTAL_ENV": "production",
        "SECRET_KEY": "a-long-random-test-key-that-is-only-used-here-0123456789",
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        "PORTAL_VAR_DIR": str(tmp_path),
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "PORTAL_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        "PORTAL_CSP_IMG_HOSTS": "https://images.example.org",
        "DJANGO_SETTINGS_MODULE": "integration_portal.settings",
    }
    # The middleware that write these headers, around an empty page (a production
    # database is not needed for that).
    script = (
        "import json, django; django.setup(); "
        "from django.http import HttpResponse; from django.test import RequestFactory; "
        "from django.middleware.security import SecurityMiddleware; "
        "from csp.middleware import CSPMiddleware; "
        "request = RequestFactory().get('/', secure=True, HTTP_HOST='portal.example.org'); "
        "response = SecurityMiddleware(CSPMiddleware(lambda r: HttpResponse()))(request); "
        "print(json.dumps(dict(response.headers)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    img_src = next(
        part for part in headers["Content-Security-Policy"].split(";") if "img-src" in part
    )
    assert img_src.split() == [
        "img-src",
        "'self'",
        "data:",
        "https://*.tiles.example.org",
        "https://images.example.org",
    ]
    # Not in development, where the portal is served over plain HTTP.
    assert settings.SECURE_HSTS_SECONDS == 0


class InlineCode(HTMLParser):
    """What the policy would block in a page: inline scripts, event handler attributes,
    javascript: addresses, style attributes and <style> blocks without the nonce."""

    DATA_TYPES = {"application/ld+json", "application/json"}

    def __init__(self, nonce):
        super().__init__()
        self.nonce = nonce
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        inline = tag == "script" and "src" not in attributes
        executable = attributes.get("type") not in self.DATA_TYPES
        if inline and executable and attributes.get("nonce") != self.nonce:
            self.found.append(f"inline <script {attributes}>")
        if tag == "style" and attributes.get("nonce") != self.nonce:
            self.found.append("<style> without the nonce")


def inline_code(response):
    nonce = next(
        (
            source[len("'nonce-") : -1]
            for source in policy(response)["script-src"]
            if source.startswith("'nonce-")
        ),
        None,
    )
    parser = InlineCode(nonce)
    parser.feed(response.content.decode())
    return parser.found


def test_admin_pages_have_no_code_the_policy_blocks(admin_client, demo_data):
    from events.models import Event
    from offers.models import Offer
    from places.models import City

    offer = Offer.objects.first()
    addresses = [
        "/admin/",
        "/admin/offers/offer/",
        reverse("admin:offers_offer_change", args=[offer.pk]),
        reverse("admin:offers_offer_add"),
        reverse("admin:offers_offer_history", args=[offer.pk]),
        "/admin/offers/offer/import/",
        "/admin/offers/offer/export/",
        "/admin/providers/provider/add/?_popup=1",
        reverse("admin:events_event_change", args=[Event.objects.first().pk]),
        reverse("admin:places_city_change", args=[City.objects.first().pk]),
        reverse("admin:places_venue_add"),
        "/admin/translations/textchange/",
    ]
    found = {}
    for address in addresses:
        response = admin_client.get(address)
        assert response.status_code == 200, address
        if problems := inline_code(response):
            found[address] = problems
    assert not found, found


def test_public_pages_have_no_code_the_policy_blocks(client, demo_data):
    from events.models import Event
    from offers.models import Offer

    addresses = [
        "/de/",
        "/de/offers/",
        "/de/offers/map/",
        Offer.objects.published().first().get_absolute_url(),
        "/de/events/",
        Event.objects.published().first().get_absolute_url(),
        "/de/offers/suggest/",
        "/de/no-such-page/",
    ]
    found = {}
    for address in addresses:
        response = client.get(address)
        if problems := inline_code(response):
            found[address] = problems
    assert not found, found
