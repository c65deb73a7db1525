"""Property-based requests against the open-data API: schemathesis reads the API's OpenAPI
description (opendata/openapi.json, as served at /api/hsds/openapi.json), generates
requests for every operation from it, valid and invalid ones, and sends them to the
portal's WSGI application in this process. Every answer must be no server error and
conform to the description: its status codes, content types and response schemas.

Bounded so that it stays part of the normal suite: a few examples per operation,
derandomized (the same requests every run; a failure can be repeated), a deadline each.
"""

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

OPENAPI = Path(__file__).resolve().parent.parent / "opendata" / "openapi.json"
SCHEMAS = Path(__file__).resolve().parent / "data" / "hsds-3.0"
# The description names HSDS's object schemas by their published address; the answers are
# checked against the copies in tests/data/hsds-3.0 instead (no test asks another host).
# HSDS publishes no organization_list.json among its object schemas: a list item is an
# organization without its lists, which organization.json describes.
REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
LOCAL = {"organization_list.json": "organization.json"}


def local_references(node):
    if isinstance(node, dict):
        return {
            key: local_reference(value) if key == "$ref" else local_references(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [local_references(item) for item in node]
    return node


def local_reference(reference):
    if not reference.startswith(REMOTE):
        return reference
    name = reference.removeprefix(REMOTE)
    return (SCHEMAS / LOCAL.get(name, name)).as_uri()


document = local_references(json.loads(OPENAPI.read_text(encoding="utf-8")))
assert REMOTE not in json.dumps(document)
schema = schemathesis.openapi.from_dict(document)
schema.app = get_wsgi_application()
schema.config.update(base_url="http://testserver/api/hsds")


@pytest.fixture
def api_data(demo_data, settings):
    settings.PORTAL_CACHE = False  # every request computed, none answered from the cache
    return demo_data


def lacks_a_parameter_it_depends_on(case):
    """HSDS's ``proximity`` measures from the ``postcode``: without one the request is
    invalid (400), which an OpenAPI description cannot say (it has no dependencies between
    parameters), so schemathesis takes it for valid data."""
    query = case.query or {}
    return (
        case.operation.path == "/service_at_locations"
        and "proximity" in query
        and "postcode" not in query
    )


def call_and_validate(case):
    """Send the case to the WSGI application and check the answer, uncompressed (the WSGI
    transport hands schemathesis the body as GZipMiddleware wrote it). Django closes a
    connection at the end of a request when its autocommit differs from the setting's,
    as inside the test's transaction; on PostgreSQL that would end the transaction the
    demo data live in. So, as Django's test client does, not around these requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        if lacks_a_parameter_it_depends_on(case):
            # Its 400 must still be what the description says a 400 is.
            response = case.call_and_validate(
                headers={"Accept-Encoding": "identity"},
                excluded_checks=[positive_data_acceptance],
            )
            assert response.status_code == 400, response.status_code
            return response
        return case.call_and_validate(headers={"Accept-Encoding": "identity"})
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=3000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_generated_request_as_described(case, api_data):
    call_and_validate(case)


def test_the_details_of_real_entries_conform_in_every_language(client, api_data):
    """Generated ids name no entry (404): the details of entries that exist, from the
    lists, are checked against the description here, in each language."""
    first = {
        name: client.get(f"/api/hsds/{name}").json()["contents"][0]["id"]
        for name in ["services", "organizations", "service_at_locations", "taxonomies"]
    }
    first["taxonomy_terms"] = client.get("/api/hsds/taxonomy_terms").json()["contents"][0]["id"]
    for language in ["de", "ar", "uk"]:
        for name, id in first.items():
            case = schema[f"/{name}/{{id}}"]["GET"].Case(
                path_parameters={"id": id},
                query={"lang": language},
            )
            response = call_and_validate(case)
            assert response.status_code == 200
