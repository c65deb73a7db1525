"""The open-data download (/api/hsds/download/...), the open-data page, and the API's
Last-Modified and rate limit.

The CSV tables are compared with HSDS 3.0's tabular format as its JSON Schemas define it
(tests/data/hsds-3.0: each schema's ``path`` is its table's file, its plain properties the
columns, in order); the JSON file's objects are validated as the API's answers are.
"""

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from content import generation
from content.publication import PublicationStatus
from offers.models import Offer
from opendata import downloads, export, views
from tests.pages import html_of
from tests.test_hsds_api import SCHEMA_FILES, assert_valid

DOWNLOAD = "/api/hsds/download"
SCHEMA_OF_TABLE = {schema["path"]: schema for schema in SCHEMA_FILES.values() if "path" in schema}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def build_in_the_request(monkeypatch):
    """The background build's work done at once, in the request's thread: another thread's
    database connection could not see the shared demo data, which is never committed
    (tests/conftest.py). The download then serves the build just made, as it would once
    the thread is done; tests/test_open_data_builds.py runs the real thread."""

    def at_once(base_url, key):
        downloads.build_now(base_url, key)

    monkeypatch.setattr(downloads, "start_thread", at_once)


def hsds_columns(schema):
    """The columns of a table in HSDS's tabular format: the schema's own fields, without
    the nested objects and lists."""
    return [
        name
        for name, field in schema["properties"].items()
        if field.get("type") != "array" and "$ref" not in field
    ]


def download(client, name, status=200, **headers):
    """The answer, read to its end (``body``), which closes it (the test client's
    wrapper; closing it once more would send request_finished outside a request)."""
    response = client.get(f"{DOWNLOAD}/{name}", **headers)
    assert response.status_code == status
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def content_of(response):
    return response.body


def csv_tables(client):
    archive = zipfile.ZipFile(io.BytesIO(content_of(download(client, "open-data.zip"))))
    return {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }, json.loads(archive.read("datapackage.json"))


def json_file(client):
    return json.loads(content_of(download(client, "open-data.json")))


def test_the_csv_tables_are_hsds_tabular(client, demo_data):
    archive = zipfile.ZipFile(io.BytesIO(content_of(download(client, "open-data.zip"))))
    names = archive.namelist()
    assert set(names) == {"datapackage.json", *export.CSV_FILES}
    for name in export.CSV_FILES:
        reader = csv.reader(io.StringIO(archive.read(name).decode("utf-8")))
        assert next(reader) == hsds_columns(SCHEMA_OF_TABLE[name]), name
    # The tables come in the order HSDS gives them.
    orders = [SCHEMA_OF_TABLE[name]["datapackage_metadata"]["order"] for name in export.CSV_FILES]
    assert orders == sorted(orders)


def test_the_datapackage_describes_every_table_with_licence_and_attribution(
    client, demo_data, settings
):
    tables, package = csv_tables(client)
    assert package["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert [resource["path"] for resource in package["resources"]] == export.CSV_FILES
    assert package["licenses"] == [
        {
            "name": "dl-de/by-2-0",
            "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "path": "https://www.govdata.de/dl-de/by-2-0",
        }
    ]
    assert package["attribution"] == f"Integrationsportal, {timezone.now().year}"
    names = {resource["name"] for resource in package["resources"]}
    for resource in package["resources"]:
        schema = SCHEMA_OF_TABLE[resource["path"]]
        assert resource["profile"] == schema["datapackage_metadata"]["profile"]
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == hsds_columns(schema)
        for field in fields:
            hsds_field = schema["properties"][field["name"]]
            assert field["type"] == hsds_field.get("datapackage_type", hsds_field["type"])
            if hsds_field.get("format") in ("uuid", "email", "uri"):
                assert field["format"] == hsds_field["format"], field
        for key in resource["schema"]["foreignKeys"]:
            assert key["reference"]["resource"] in names
        # A required column has a value in every row.
        for field in fields:
            if field.get("constraints", {}).get("required"):
                assert all(row[field["name"]] for row in tables[resource["path"]]), field
    page = client.get(package["homepage"].removeprefix("http://testserver"))
    assert page.status_code == 200

    settings.OPEN_DATA_ATTRIBUTION = "Kreis Unna, Kommunales Integrationszentrum"
    generation.bump()
    _tables, package = csv_tables(client)
    assert package["attribution"] == "Kreis Unna, Kommunales Integrationszentrum"


def test_the_tables_link_by_id_and_hold_every_published_offer(client, demo_data):
    tables, _package = csv_tables(client)

    def ids(name):
        return {row["id"] for row in tables[name]}

    published = Offer.objects.published()
    assert ids("services.csv") == {str(offer.uuid) for offer in published}
    for name, rows in tables.items():
        assert len(ids(name)) == len(rows), f"{name} lists a row twice"
    assert {row["organization_id"] for row in tables["services.csv"]} <= ids("organizations.csv")
    for row in tables["service_at_location.csv"]:
        assert row["service_id"] in ids("services.csv")
        assert row["location_id"] in ids("locations.csv")
    assert {row["location_id"] for row in tables["addresses.csv"]} <= ids("locations.csv")
    assert {row["taxonomy_term_id"] for row in tables["attributes.csv"]} <= ids(
        "taxonomy_terms.csv"
    )
    assert {row["link_id"] for row in tables["attributes.csv"]} <= ids("services.csv")
    assert {row["taxonomy_id"] for row in tables["taxonomy_terms.csv"]} == ids("taxonomies.csv")
    for row in tables["phones.csv"]:
        owners = [row["service_id"], row["organization_id"], row["contact_id"]]
        assert sum(bool(owner) for owner in owners) == 1
    badminton = next(row for row in tables["services.csv"] if row["name"].startswith("Badminton"))
    assert badminton["status"] == "active"


def test_the_json_file_holds_the_apis_detail_objects(client, demo_data):
    data = json_file(client)
    assert data["version"] == "3.0"
    assert data["language"] == "de"
    assert data["license"]["path"] == "https://www.govdata.de/dl-de/by-2-0"
    offer = Offer.objects.published().get(slug="badminton-castrop-rauxel")
    assert len(data["services"]) == Offer.objects.published().count()
    for service in data["services"]:
        assert_valid(service, "service.json")
    for organization in data["organizations"]:
        assert_valid(organization, "organization.json")
    for term in data["taxonomy_terms"]:
        assert_valid(term, "taxonomy_term.json")
    # The same object as the API's detail answer (German).
    api = client.get(f"/api/hsds/services/{offer.uuid}?lang=de").json()
    assert next(s for s in data["services"] if s["id"] == str(offer.uuid)) == api


def test_only_published_content_and_a_new_build_after_a_change(client, demo_data):
    draft, expired, renamed = Offer.objects.published()[:3]
    before = json_file(client)
    assert str(draft.uuid) in {service["id"] for service in before["services"]}
    draft.publication_status = PublicationStatus.DRAFT
    draft.save()
    expired.valid_until = timezone.localdate() - timedelta(days=1)
    expired.save()
    renamed.name_de = "Ganz neuer Name"
    renamed.save()
    services = {service["id"]: service for service in json_file(client)["services"]}
    assert str(draft.uuid) not in services
    assert str(expired.uuid) not in services
    assert services[str(renamed.uuid)]["name"] == "Ganz neuer Name"
    tables, _package = csv_tables(client)
    names = {row["id"]: row["name"] for row in tables["services.csv"]}
    assert str(draft.uuid) not in names and str(expired.uuid) not in names
    assert names[str(renamed.uuid)] == "Ganz neuer Name"
    never_published = Offer.objects.exclude(publication_status=PublicationStatus.PUBLISHED)
    assert not {str(offer.uuid) for offer in never_published} & set(names)


def test_http_headers_and_304(client, demo_data):
    kinds = {
        "open-data.zip": "application/zip",
        "open-data.json": "application/json",
        "datapackage.json": "application/json",
        "services.csv": "text/csv; charset=utf-8",
    }
    for name, content_type in kinds.items():
        response = download(client, name)
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert int(response["Content-Length"]) == len(content_of(response))
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]
        assert not response.cookies
        again = download(client, name, status=304, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again["Access-Control-Allow-Origin"] == "*"
        download(client, name, status=304, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    # The same content built again has the same ETag; a change gives another.
    etag = download(client, "services.csv")["ETag"]
    generation.bump()
    assert download(client, "services.csv")["ETag"] == etag
    offer = Offer.objects.published().first()
    offer.name_de = "Anderer Name"
    offer.save()
    assert download(client, "services.csv", HTTP_IF_NONE_MATCH=etag)["ETag"] != etag
    # Compressed already: sent as it is, also to a client that accepts gzip.
    zipped = download(client, "open-data.zip", HTTP_ACCEPT_ENCODING="gzip")
    assert not zipped.has_header("Content-Encoding")
    assert download(client, "open-data.json", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == (
        "gzip"
    )
    head = client.head(f"{DOWNLOAD}/open-data.zip")
    if head.streaming:
        b"".join(head.streaming_content)
    assert head.status_code == 200 and head["Content-Type"] == "application/zip"
    response = download(client, "nothing.csv", status=404)
    assert response.json()["error"] == "not_found"
    assert download(client, "../manifest.json", status=404).json()["error"] == "not_found"


def test_a_build_runs_a_fixed_number_of_queries(client, demo_data):
    def queries_of_a_build():
        generation.bump()
        with CaptureQueriesContext(connection) as queries:
            download(client, "open-data.json")
        return len(queries)

    few = queries_of_a_build()
    call_command("generate_offers", count=200, seed=5, verbosity=0)
    assert Offer.objects.published().count() > 200
    assert queries_of_a_build() == few
    assert few <= 20


def test_the_command_writes_the_files(demo_data, tmp_path):
    output = tmp_path / "out"
    call_command("export_open_data", output=output, base_url="https://portal.example", verbosity=0)
    assert {path.name for path in output.iterdir()} == set(export.FILES)
    data = json.loads((output / "open-data.json").read_text(encoding="utf-8"))
    organization = data["services"][0]["organization"]
    assert organization["uri"].startswith("https://portal.example/de/providers/")
    package = json.loads((output / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"] == "https://portal.example/de/open-data/"


def test_old_builds_are_removed(client, demo_data, media_root):
    for number in range(5):
        offer = Offer.objects.published().first()
        offer.name_de = f"Name {number}"
        offer.save()
        download(client, "services.csv")
    assert len(list((media_root / "open-data").iterdir())) == 3


# --- The page -----------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_the_open_data_page(client, demo_data, language, direction):
    download(client, "open-data.zip")  # a build, whose sizes the page shows
    html = html_of(client.get(f"/{language}/open-data/"))
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f'<link rel="canonical" href="http://testserver/{language}/open-data/">' in html
    assert 'hreflang="en" href="http://testserver/en/open-data/"' in html
    assert "https://www.govdata.de/dl-de/by-2-0" in html
    assert "http://testserver/api/hsds/openapi.json" in html
    links = re.findall(r'href="(/api/hsds/download/[^"]+)"', html)
    assert {link.rsplit("/", 1)[1] for link in links} == set(export.FILES)
    for link in links:
        download(client, link.removeprefix(f"{DOWNLOAD}/"))
    assert re.search(r"open-data\.zip</bdi></a>:[^<]*\(\d", html), "the ZIP's size"
    # Every page links to it.
    assert f'href="/{language}/open-data/"' in html_of(client.get(f"/{language}/"))


def test_the_open_data_page_before_any_build(client, demo_data):
    html = html_of(client.get("/en/open-data/"))
    assert "Open data" in html and 'href="/api/hsds/download/open-data.zip"' in html


# --- The API: Last-Modified and the rate limit --------------------------------------------


def test_api_answers_carry_last_modified_and_answer_304_since(client, demo_data):
    first = client.get("/api/hsds/services?per_page=5")
    modified = first["Last-Modified"]
    assert "Last-Modified" in first["Access-Control-Expose-Headers"]
    again = client.get("/api/hsds/services?per_page=5", HTTP_IF_MODIFIED_SINCE=modified)
    assert again.status_code == 304
    offer = Offer.objects.published().first()
    offer.name_de = "Neu"
    offer.save()
    changed = client.get("/api/hsds/services?per_page=5", HTTP_IF_MODIFIED_SINCE=modified)
    assert changed.status_code == 200
    assert changed["Last-Modified"] != modified
    later = http_date(timezone.now().timestamp() + 3600)
    detail = client.get(f"/api/hsds/services/{offer.uuid}", HTTP_IF_MODIFIED_SINCE=later)
    assert detail.status_code == 304


def test_the_api_limits_requests_per_client(client, demo_data, settings, monkeypatch):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 3
    # A window of an hour: the test's requests do not straddle the start of a new one.
    monkeypatch.setattr(views, "RATE_WINDOW", timedelta(hours=1))
    for _ in range(3):
        assert client.get("/api/hsds/taxonomies").status_code == 200
    refused = client.get("/api/hsds/taxonomies")
    assert refused.status_code == 429
    assert refused.json() == {"error": "too_many_requests", "status": 429, "limit_per_minute": 3}
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"{DOWNLOAD}/services.csv").status_code == 429
    # Another client is counted on its own; the preflight is not counted.
    assert client.get("/api/hsds/taxonomies", REMOTE_ADDR="10.0.0.7").status_code == 200
    assert client.options("/api/hsds/taxonomies").status_code == 204


@pytest.mark.parametrize("query", ["taxonomy_term_id=", "search=", "lang=", "page=&per_page=5"])
def test_an_empty_value_answers_400_in_the_clients_language(client, demo_data, query):
    response = client.get(f"/api/hsds/services?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    data = response.json()
    assert data["error"] == "invalid_parameter"
    name = query.split("=")[0]
    assert data["errors"][name] == ["Give a value, or leave the parameter out."]


def test_other_methods_answer_405_without_a_csrf_check(client, demo_data):
    response = client.post("/api/hsds/services")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_any_time_zone_offset_of_rfc_3339_is_read(client, demo_data):
    # Found by tests/test_api_schema.py on PostgreSQL (offsets up to 15:59 only): was a 500.
    response = client.get("/api/hsds/services?modified_after=2000-01-24T14:08:26-16:30")
    assert response.status_code == 200
    assert response.json()["total_items"] == Offer.objects.published().count()
    assert client.get("/api/hsds/services?modified_after=2000-13-01T00:00:00Z").status_code == 400
