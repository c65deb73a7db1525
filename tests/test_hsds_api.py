"""The open-data API (/api/hsds/, Open Referral HSDS 3.0) on the demo data.

Every answer is validated against the HSDS 3.0 JSON Schemas (tests/data/hsds-3.0, see its
README) strictly: by the schema, and with no property the schema does not name (the HSDS
schemas allow additional properties, a client would not know what to make of them).
"""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from content import generation
from content.publication import PublicationStatus
from offers.models import Offer
from providers.models import Provider
from vocabularies.models import Category

SCHEMAS = Path(__file__).parent / "data" / "hsds-3.0"
SCHEMA_FILES = {path.name: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
REGISTRY = Registry().with_resources(
    (name, Resource.from_contents(schema, default_specification=DRAFT202012))
    for name, schema in SCHEMA_FILES.items()
)
API = "/api/hsds"
LISTS = {
    "services": "service.json",
    "organizations": "organization.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
    "service_at_locations": "service_at_location.json",
}
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def unknown_properties(data, schema, where="$"):
    """The paths of properties in ``data`` that ``schema`` (followed through its $refs
    and array items) does not name."""
    if "$ref" in schema:
        schema = SCHEMA_FILES[schema["$ref"]]
    found = []
    if isinstance(data, dict):
        properties = schema.get("properties", {})
        for key, value in data.items():
            if key not in properties:
                found.append(f"{where}.{key}")
            else:
                found.extend(unknown_properties(value, properties[key], f"{where}.{key}"))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(unknown_properties(item, schema.get("items", {}), f"{where}[{index}]"))
    return found


def assert_valid(data, schema_file):
    validator = Draft202012Validator(
        {"$ref": schema_file},
        registry=REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(data)
    ]
    assert errors == []
    assert unknown_properties(data, SCHEMA_FILES[schema_file]) == []
    assert "null" not in json.dumps(data)  # optional values are left out, never null


def get(client, path, status=200, **headers):
    response = client.get(f"{API}{path}", **headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def all_pages(client, path):
    separator = "&" if "?" in path else "?"
    contents, number = [], 1
    while True:
        page = get(client, f"{path}{separator}per_page=100&page={number}")
        contents.extend(page["contents"])
        if page["last_page"]:
            return contents
        number += 1


def ids(client, path):
    return {item["id"] for item in all_pages(client, path)}


# --- Shape ------------------------------------------------------------------------------------


def test_the_root_names_version_profile_and_description(client, demo_data):
    data = get(client, "/")
    assert data["version"] == "3.0"
    assert data["profile"].startswith("https://")
    assert data["openapi_url"] == "http://testserver/api/hsds/openapi.json"
    assert set(data) == {"version", "profile", "openapi_url"}


@pytest.mark.parametrize("name", LISTS)
def test_every_list_and_detail_answer_is_valid_hsds(client, demo_data, name):
    schema_file = LISTS[name]
    contents = all_pages(client, f"/{name}")
    assert contents
    for item in contents:
        assert_valid(item, schema_file)
    for item in contents:
        detail = get(client, f"/{name}/{item['id']}")
        assert_valid(detail, schema_file)
        assert detail["id"] == item["id"]


def test_a_service_in_detail_carries_its_organisation_languages_place_and_topics(client, demo_data):
    offer = Offer.objects.published().filter(venue__isnull=False).first()
    data = get(client, f"/services/{offer.uuid}?lang=en")
    assert data["organization"]["id"] == str(offer.provider.uuid)
    assert {language["name"] for language in data["languages"]} >= {
        language.label_en or language.label_de
        for language in offer.languages.exclude(slug="not-fixed")
    }
    assert data["service_at_locations"][0]["location"]["id"] == str(offer.venue.uuid)
    term_ids = {attribute["taxonomy_term_id"] for attribute in data["attributes"]}
    assert {str(category.uuid) for category in offer.categories.all()} <= term_ids


def test_the_language_follows_lang_then_accept_language_with_german_fallback(client, demo_data):
    offer = Offer.objects.published().exclude(name_en="").first()
    assert get(client, f"/services/{offer.uuid}?lang=en")["name"] == offer.name_en
    assert (
        get(client, f"/services/{offer.uuid}", HTTP_ACCEPT_LANGUAGE="en")["name"] == offer.name_en
    )
    assert get(client, f"/services/{offer.uuid}?lang=de")["name"] == offer.name_de
    offer.name_sq = ""
    offer.save()
    assert get(client, f"/services/{offer.uuid}?lang=sq")["name"] == offer.name_de


# --- The Page envelope ---------------------------------------------------------------------


def test_pages_first_middle_last(client, demo_data):
    total = Offer.objects.published().count()
    per_page = 10
    pages = -(-total // per_page)
    assert pages >= 3
    seen = []
    for number in range(1, pages + 1):
        page = get(client, f"/services?per_page={per_page}&page={number}")
        assert set(page) == PAGE_KEYS
        assert page["total_items"] == total
        assert page["total_pages"] == pages
        assert page["page_number"] == number
        assert page["size"] == len(page["contents"]) <= per_page
        assert page["first_page"] is (number == 1)
        assert page["last_page"] is (number == pages)
        assert page["empty"] is False
        seen.extend(item["id"] for item in page["contents"])
    assert len(seen) == len(set(seen)) == total
    assert get(client, f"/services?per_page={per_page}&page={pages + 1}", status=404)


def test_an_empty_result_is_one_empty_page(client, demo_data):
    page = get(client, "/services?search=zzzqqqxyzzy")
    assert page["empty"] is True
    assert page["total_items"] == page["size"] == 0
    assert page["contents"] == []
    assert page["first_page"] is page["last_page"] is True


def test_per_page_is_bounded(client, demo_data):
    assert get(client, "/services?per_page=100")["size"] <= 100
    assert "per_page" in get(client, "/services?per_page=101", status=400)["errors"]


# --- Filters --------------------------------------------------------------------------------


def a_word_of(text):
    return max(re.findall(r"\w{6,}", text), key=len)


def test_a_service_is_found_by_a_word_of_its_description(client, demo_data):
    offer = Offer.objects.published().exclude(description_de="").first()
    word = a_word_of(offer.description_de)
    assert str(offer.uuid) in ids(client, f"/services?search={word}")
    assert len(ids(client, f"/services?search={word}")) < Offer.objects.published().count()


def test_the_search_filter_finds_the_words_as_given_without_did_you_mean(client, demo_data):
    """The search page corrects "badmintn" to "badminton" and says so; an API client
    cannot see such a notice, so its filter finds exactly what it asked for: nothing."""
    page = client.get("/de/offers/search.json?q=badmintn").json()
    assert page["corrected_query"] == "badminton" and page["count"] > 0
    assert ids(client, "/services?search=badmintn") == set()
    assert ids(client, "/services?search=badminton")


def test_a_service_is_found_by_its_taxonomy_term(client, demo_data):
    category = Category.objects.get(slug="sport")
    expected = {str(offer.uuid) for offer in Offer.objects.published().filter(categories=category)}
    assert expected
    assert ids(client, f"/services?taxonomy_term_id={category.uuid}") == expected
    # A value of a vocabulary an offer names once (a foreign key, not a set).
    background = Offer.objects.published().first().migration_background
    expected = {
        str(offer.uuid)
        for offer in Offer.objects.published().filter(migration_background=background)
    }
    assert ids(client, f"/services?taxonomy_term_id={background.uuid}") == expected
    assert ids(client, f"/services?taxonomy_term_id={uuid.uuid4()}") == set()


def test_a_service_is_found_by_its_organisation(client, demo_data):
    provider = Provider.objects.filter(offers__isnull=False).first()
    expected = {str(offer.uuid) for offer in Offer.objects.published().filter(provider=provider)}
    assert expected
    assert ids(client, f"/services?organization_id={provider.uuid}") == expected


def test_filters_combine_with_and(client, demo_data):
    category = Category.objects.get(slug="beratung")
    by_word = ids(client, "/services?search=kinder")
    by_term = ids(client, f"/services?taxonomy_term_id={category.uuid}")
    both = ids(client, f"/services?search=kinder&taxonomy_term_id={category.uuid}")
    assert both == by_word & by_term
    assert both and both != by_word and both != by_term


def test_modified_after(client, demo_data):
    everything = ids(client, "/services")
    past = (timezone.now() - timedelta(days=3650)).isoformat()
    future = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(client, f"/services?modified_after={past.replace('+', '%2B')}") == everything
    assert ids(client, f"/services?modified_after={future}") == set()


@pytest.mark.parametrize(
    "moment",
    [
        "2020-06-01T12:00:00Z",
        "2020-06-01T17:30:00+05:30",
        "2020-05-31T12:01:00-23:59",
        "2020-06-02T11:59:00+23:59",
        "2020-06-01T14:00:00",  # no offset: the portal's time (Berlin, summer time)
    ],
)
def test_modified_after_compares_any_offset_in_utc(client, demo_data, moment):
    offers = Offer.objects.published()
    offers.update(updated=datetime(2020, 1, 1, tzinfo=UTC))
    changed = offers.first()
    Offer.objects.filter(pk=changed.pk).update(updated=datetime(2020, 6, 1, 12, tzinfo=UTC))
    generation.bump()  # update() starts no new generation by itself
    query = f"/services?modified_after={moment.replace('+', '%2B')}"
    assert ids(client, query) == {str(changed.uuid)}
    later = (datetime.fromisoformat(moment) + timedelta(seconds=1)).isoformat()
    assert ids(client, f"/services?modified_after={later.replace('+', '%2B')}") == set()


@pytest.mark.parametrize(
    "moment",
    ["2020-06-01T12:00:00+24:00", "0001-01-01T00:00:00+05:30", "9999-12-31T23:59:59-23:59"],
)
def test_modified_after_outside_any_offset_or_year_answers_400(client, demo_data, moment):
    data = get(client, f"/services?modified_after={moment.replace('+', '%2B')}", status=400)
    assert data["error"] == "invalid_parameter"
    assert list(data["errors"]) == ["modified_after"]


def test_taxonomy_terms_by_taxonomy(client, demo_data):
    taxonomies = get(client, "/taxonomies")["contents"]
    for taxonomy in taxonomies:
        terms = all_pages(client, f"/taxonomy_terms?taxonomy_id={taxonomy['id']}")
        assert terms
        assert {term["taxonomy_id"] for term in terms} == {taxonomy["id"]}
    assert (
        sum(len(all_pages(client, f"/taxonomy_terms?taxonomy_id={t['id']}")) for t in taxonomies)
        == (get(client, "/taxonomy_terms")["total_items"])
    )


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "per_page=0",
        "per_page=1000",
        "taxonomy_term_id=not-a-uuid",
        "organization_id=42",
        "modified_after=yesterday",
        "colour=blue",
        "lang=xx",
        "search=" + "a" * 201,
    ],
)
def test_bad_parameters_answer_400_in_json(client, demo_data, query):
    data = get(client, f"/services?{query}", status=400)
    assert data["status"] == 400
    assert data["error"]


def test_a_400_does_not_repeat_long_parameter_names(client, demo_data):
    query = "&".join(f"{'x' * 3000}{i}=1" for i in range(50))
    response = client.get(f"{API}/services?{query}")
    assert response.status_code == 400
    assert len(response.content) < 2000


def test_a_nul_byte_answers_400_in_json(client, demo_data):
    data = get(client, "/services?search=a%00b", status=400)
    assert data["status"] == 400


@pytest.mark.parametrize("name", LISTS)
def test_unknown_ids_answer_404_in_json(client, demo_data, name):
    assert get(client, f"/{name}/{uuid.uuid4()}", status=404)["error"] == "not_found"
    assert get(client, f"/{name}/not-a-uuid", status=404)["error"] == "not_found"


def test_unknown_addresses_under_the_api_answer_404_in_json(client, demo_data):
    assert get(client, "/locations", status=404)["error"] == "not_found"
    assert get(client, "/services/x/y", status=404)["error"] == "not_found"


def test_services_at_their_places_by_postcode(client, demo_data):
    offer = (
        Offer.objects.published().filter(venue__isnull=False).exclude(venue__postcode="").first()
    )
    postcode = offer.venue.postcode
    expected = {str(o.uuid) for o in Offer.objects.published().filter(venue__postcode=postcode)}
    found = all_pages(client, f"/service_at_locations?postcode={postcode}")
    assert {item["service_id"] for item in found} == expected
    assert {item["location"]["addresses"][0]["postal_code"] for item in found} == {postcode}
    assert len(expected) < Offer.objects.published().filter(venue__isnull=False).count()
    # The same place as in the service's own answer, under the same identifier.
    service = get(client, f"/services/{offer.uuid}")
    mine = next(item for item in found if item["service_id"] == str(offer.uuid))
    assert service["service_at_locations"] == [mine]
    assert get(client, f"/service_at_locations/{mine['id']}") == mine
    # Its identifier is none of a service's.
    get(client, f"/services/{mine['id']}", status=404)
    get(client, f"/service_at_locations/{offer.uuid}", status=404)
    # The search finds them too, and only offers that have a place.
    word = a_word_of(offer.name_de + " " + offer.description_de)
    found = all_pages(client, f"/service_at_locations?search={word}")
    assert str(offer.uuid) in {item["service_id"] for item in found}
    without_place = Offer.objects.published().exclude(pk=offer.pk).last()
    without_place.venue = None
    without_place.save()
    word = a_word_of(without_place.name_de + " " + without_place.description_de)
    assert str(without_place.uuid) in ids(client, f"/services?search={word}")
    found = all_pages(client, f"/service_at_locations?search={word}")
    assert str(without_place.uuid) not in {item["service_id"] for item in found}
    get(client, "/service_at_locations?postcode=4453", status=400)
    get(client, "/service_at_locations?postcode=abcde", status=400)


# --- Only published, current content -------------------------------------------------------


def test_drafts_and_expired_offers_never_appear(client, demo_data):
    draft, expired = Offer.objects.published()[:2]
    draft.publication_status = PublicationStatus.DRAFT
    draft.save()
    expired.valid_until = timezone.localdate() - timedelta(days=1)
    expired.save()
    for offer in (draft, expired):
        assert str(offer.uuid) not in ids(client, "/services")
        assert str(offer.uuid) not in ids(
            client, f"/services?organization_id={offer.provider.uuid}"
        )
        assert str(offer.uuid) not in ids(client, f"/services?search={offer.name_de.split()[0]}")
        get(client, f"/services/{offer.uuid}", status=404)
        assert str(offer.uuid) not in {
            item["service_id"] for item in all_pages(client, "/service_at_locations")
        }


# --- HTTP ------------------------------------------------------------------------------------


def test_cors_etag_and_no_cookies(client, demo_data):
    response = client.get(f"{API}/services?per_page=5")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    etag = response["ETag"]
    again = client.get(f"{API}/services?per_page=5", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    other_language = client.get(f"{API}/services?per_page=5&lang=en")
    assert other_language["ETag"] != etag
    head = client.head(f"{API}/services?per_page=5")
    assert head.status_code == 200
    assert head["ETag"] == etag
    preflight = client.options(f"{API}/services")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_answers_are_kept_until_content_changes(client, demo_data, django_assert_num_queries):
    offer = Offer.objects.published().first()
    address = f"{API}/services/{offer.uuid}"
    first = client.get(address).json()
    with django_assert_num_queries(0):
        assert client.get(address).json() == first
    # Each language is kept on its own.
    assert client.get(address, HTTP_ACCEPT_LANGUAGE="en").json()["name"] == (
        offer.name_en or offer.name_de
    )
    offer.name_de = "Ganz neuer Name"
    offer.save()
    assert client.get(address, HTTP_ACCEPT_LANGUAGE="de").json()["name"] == "Ganz neuer Name"


def test_the_openapi_description_lists_exactly_what_is_served(client, demo_data):
    document = get(client, "/openapi.json")
    assert document["servers"] == [{"url": "http://testserver/api/hsds"}]
    some_id = {
        "services": Offer.objects.published().first().uuid,
        "organizations": Provider.objects.first().uuid,
        "taxonomies": get(client, "/taxonomies")["contents"][0]["id"],
        "taxonomy_terms": Category.objects.first().uuid,
        "service_at_locations": get(client, "/service_at_locations")["contents"][0]["id"],
    }
    for path, item in document["paths"].items():
        name = path.strip("/").split("/")[0]
        address = path.replace("{id}", str(some_id.get(name, "")))
        get(client, address)
        for parameter in item["get"]["parameters"]:
            reference = parameter["$ref"].rsplit("/", 1)[1]
            assert reference in document["components"]["parameters"]
    assert set(document["paths"]) == {
        "/",
        *(f"/{n}" for n in LISTS),
        *(f"/{n}/{{id}}" for n in LISTS),
    }


def test_list_pages_run_a_fixed_number_of_queries(
    client, demo_data, django_assert_max_num_queries, page_cache_off
):
    category = Category.objects.get(slug="sport")
    urls = [
        "/services?per_page=100",
        "/services?search=deutsch",
        f"/services?taxonomy_term_id={category.uuid}&per_page=100",
        "/organizations?per_page=100",
        "/taxonomy_terms?per_page=100",
        "/service_at_locations?per_page=100",
    ]

    def counts():
        result = {}
        for url in urls:
            with django_assert_max_num_queries(15) as queries:
                get(client, url)
            result[url] = len(queries)
        return result

    few = counts()
    call_command("generate_offers", count=300, seed=3, verbosity=0)
    assert Offer.objects.published().count() > 300
    assert counts() == few


# --- The migrations that added the identifiers ----------------------------------------------

BEFORE_UUIDS = [
    ("vocabularies", "0003_category_icon"),
    ("providers", "0003_workflow_permissions"),
    ("places", "0002_twelve_languages"),
    ("offers", "0006_suggestions"),
]
WITH_UUIDS = [
    ("vocabularies", "0004_uuid"),
    ("providers", "0004_uuid"),
    ("places", "0003_uuid"),
    ("offers", "0007_uuid"),
]


def test_the_migrations_give_every_existing_entry_its_own_uuid(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_UUIDS)
    old = executor.loader.project_state(BEFORE_UUIDS).apps
    background = old.get_model("vocabularies", "MigrationBackground")
    backgrounds = [
        background.objects.create(label_de=f"H{i}", label=f"H{i}", slug=f"h{i}") for i in range(3)
    ]
    district = old.get_model("places", "District").objects.create(
        name="Kreis", name_de="Kreis", slug="kreis"
    )
    city = old.get_model("places", "City").objects.create(
        name="Stadt", name_de="Stadt", slug="stadt", district=district
    )
    venues = [
        old.get_model("places", "Venue").objects.create(name=f"Ort {i}", city=city)
        for i in range(2)
    ]
    providers = [
        old.get_model("providers", "Provider").objects.create(name=f"P{i}", slug=f"p{i}")
        for i in range(2)
    ]
    offer = old.get_model("offers", "Offer")
    for i in range(3):
        offer.objects.create(
            name=f"A{i}",
            name_de=f"A{i}",
            slug=f"a{i}",
            provider_id=providers[0].pk,
            city_id=city.pk,
            venue_id=venues[0].pk,
            migration_background_id=backgrounds[0].pk,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(WITH_UUIDS)
    new = executor.loader.project_state(WITH_UUIDS).apps
    for app, model, count in [
        ("vocabularies", "MigrationBackground", 3),
        ("places", "Venue", 2),
        ("providers", "Provider", 2),
        ("offers", "Offer", 3),
    ]:
        uuids = list(new.get_model(app, model).objects.values_list("uuid", flat=True))
        assert len(uuids) == count
        assert None not in uuids
        assert len(set(uuids)) == count


def test_a_restore_from_the_history_keeps_the_public_identifier(demo_data):
    import reversion
    from reversion.models import Version

    offer = Offer.objects.published().first()
    identifier = offer.uuid
    with reversion.create_revision():
        offer.save()
    # A version recorded before the identifiers existed has none.
    version = Version.objects.get_for_object(offer).first()
    data = json.loads(version.serialized_data)
    del data[0]["fields"]["uuid"]
    version.serialized_data = json.dumps(data)
    version.save()
    version.revert()
    offer.refresh_from_db()
    assert offer.uuid == identifier
