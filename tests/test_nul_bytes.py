"""NUL characters in any input (issue 13, finding 8). PostgreSQL rejects text containing
NUL, so every such value that reached a query was a 500 there; now every path answers 400
with the usual page in the visitor's language (and SQLite behaves the same)."""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.search import PARAMETERS as EVENT_PARAMETERS
from offers.search import FACETS

pytestmark = pytest.mark.django_db

NUL = "\x00"
OFFER_PARAMETERS = [spec.name for spec in FACETS] + ["q", "sort", "page", "near", "radius"]
PUBLIC_PAGES = {
    "/de/": ["q"],
    "/de/offers/": OFFER_PARAMETERS,
    "/de/offers/map/": OFFER_PARAMETERS,
    "/de/offers/search.json": OFFER_PARAMETERS,
    "/de/offers/map.geojson": OFFER_PARAMETERS,
    "/de/offers/badminton-castrop-rauxel/": ["back"],
    "/de/offers/suggest/thanks/": ["offer"],
    "/de/events/": [*EVENT_PARAMETERS, "page"],
    "/de/events/past/": [*EVENT_PARAMETERS, "page"],
    "/de/events/feed.ics": EVENT_PARAMETERS,
    "/de/cities/": ["q"],
    "/de/cities/unna/": [*OFFER_PARAMETERS, "back"],
    "/de/providers/": ["q", "page"],
    "/de/providers/vhs-bergkamen/": ["page"],
}
PUBLIC_CASES = [(url, name) for url, names in PUBLIC_PAGES.items() for name in names]


def assert_refused_in_german(response):
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


@pytest.mark.parametrize(("url", "name"), PUBLIC_CASES)
def test_a_nul_in_any_public_parameter_answers_400(client, demo_data, url, name):
    assert_refused_in_german(client.get(f"{url}?{name}=%00"))
    assert_refused_in_german(client.get(f"{url}?{name}=unna%00x"))
    assert_refused_in_german(client.get(f"{url}?{name}%00=1"))


@pytest.mark.parametrize(
    "url",
    ["/de/offers/%00/", "/de/events/x%00y/", "/de/info/%00/", "/de/%00", "/admin/%00/"],
)
def test_a_nul_in_the_path_answers_400(client, demo_data, url):
    assert_refused_in_german(client.get(url, HTTP_ACCEPT_LANGUAGE="de"))


def test_a_nul_in_a_form_field_or_a_cookie_answers_400_and_stores_nothing(client, demo_data):
    data = {"name": "Kurs\x00", "provider_name": "VHS", "city": "1", "website": ""}
    assert_refused_in_german(client.post("/de/offers/suggest/", data))
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert_refused_in_german(client.get("/de/offers/"))


def test_uploaded_files_may_contain_nul_bytes_but_form_fields_may_not(staff_client, demo_data):
    """A spreadsheet's bytes are no text field: the import reads (and judges) them."""
    url = reverse("admin:offers_offer_import")
    upload = SimpleUploadedFile("offers.xlsx", b"PK\x03\x04\x00\x00binary\x00")
    assert staff_client.post(url, {"import_file": upload, "format": "1"}).status_code == 200
    upload = SimpleUploadedFile("offers.xlsx", b"PK\x03\x04")
    response = staff_client.post(url, {"import_file": upload, "format": "1\x00"})
    assert_refused_in_german(response)


def changelist_parameters(staff_client):
    """Every model admin's change list with the names of its filter parameters, as the
    change list itself reports them (list_filter, date hierarchy), plus search (q),
    ordering (o) and page (p)."""
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = staff_client.get(url)
        if response.status_code != 200 or "cl" not in (response.context or {}):
            continue
        names = {"q", "o", "p"}
        for spec in response.context["cl"].filter_specs:
            names.update(spec.expected_parameters())
        yield url, sorted(names)


def test_a_nul_in_any_admin_filter_search_or_autocomplete_answers_400(staff_client, demo_data):
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    checked = 0
    for url, names in changelist_parameters(staff_client):
        for name in names:
            assert_refused_in_german(staff_client.get(f"{url}?{name}=%00"))
            checked += 1
    assert checked > 50  # the enumeration found the change lists and their filters
    for model_admin in admin.site._registry.values():
        for field_name in model_admin.autocomplete_fields:
            query = {
                "term": NUL,
                "app_label": model_admin.model._meta.app_label,
                "model_name": model_admin.model._meta.model_name,
                "field_name": field_name,
            }
            query_string = "&".join(f"{key}={quote(value)}" for key, value in query.items())
            response = staff_client.get(f"{reverse('admin:autocomplete')}?{query_string}")
            assert_refused_in_german(response)
