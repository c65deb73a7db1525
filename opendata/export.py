"""The whole published dataset as files: HSDS 3.0 tabular CSVs with a Frictionless Data
Package (datapackage.json), a ZIP of both, and one JSON file (README, "Open-data download").

One mapping, two faces: every row comes from the API's own objects (hsds.py). The services
are built as the API's detail objects, the providers as its organisation details, and the
tabular form is those objects flattened: each nested object becomes a row of its table,
linked to its parent by the id fields HSDS already puts in it (``service_id``,
``location_id``, ...). A field the mapping adds that HSDS's table does not have fails the
build (csv.DictWriter's extrasaction="raise"), so the two faces cannot drift apart.

The files are written in German, the language the content is written in and the API's
default; the translations stay available through the API's ``lang``.
"""

import csv
import io
import json
import re
import zipfile
from collections import defaultdict

from django.conf import settings
from django.utils import timezone, translation

from offers.models import Offer
from providers.models import Provider

from . import hsds

# The HSDS tables we fill, in the order of HSDS's tabular format (the datapackage_metadata
# "order" of its schemas), with every column HSDS defines for them, in HSDS's order
# (tests/test_open_data_download.py compares both with the HSDS schemas).
TABLES = {
    "organizations.csv": (
        "organization",
        "id name alternate_name description email website tax_status tax_id "
        "year_incorporated legal_status logo uri parent_organization_id",
    ),
    "services.csv": (
        "service",
        "id organization_id program_id name alternate_name description url email status "
        "interpretation_services application_process fees_description wait_time fees "
        "accreditations eligibility_description minimum_age maximum_age assured_date "
        "assurer_email licenses alert last_modified",
    ),
    "attributes.csv": (
        "attribute",
        "id link_id taxonomy_term_id link_type link_entity value",
    ),
    "service_at_location.csv": (
        "service_at_location",
        "id service_id location_id description",
    ),
    "locations.csv": (
        "location",
        "id location_type url organization_id name alternate_name description transportation "
        "latitude longitude external_identifier external_identifier_type",
    ),
    "phones.csv": (
        "phone",
        "id location_id service_id organization_id contact_id service_at_location_id number "
        "extension type description",
    ),
    "contacts.csv": (
        "contact",
        "id organization_id service_id service_at_location_id location_id name title "
        "department email",
    ),
    "addresses.csv": (
        "address",
        "id location_id attention address_1 address_2 city region state_province postal_code "
        "country address_type",
    ),
    "schedules.csv": (
        "schedule",
        "id service_id location_id service_at_location_id valid_from valid_to dtstart timezone "
        "until count wkst freq interval byday byweekno bymonthday byyearday description "
        "opens_at closes_at schedule_link attending_type notes",
    ),
    "languages.csv": (
        "language",
        "id service_id location_id phone_id name code note",
    ),
    "accessibility.csv": (
        "accessibility",
        "id location_id description details url",
    ),
    "taxonomy_terms.csv": (
        "taxonomy_term",
        "id code name description parent_id taxonomy language taxonomy_id term_uri",
    ),
    "taxonomies.csv": (
        "taxonomy",
        "id name description uri version",
    ),
}
COLUMNS = {file_name: columns.split() for file_name, (_object, columns) in TABLES.items()}

# Where a nested object of the API's answers goes: its key → its table.
NESTED = {
    "organization": "organizations.csv",
    "attributes": "attributes.csv",
    "service_at_locations": "service_at_location.csv",
    "location": "locations.csv",
    "phones": "phones.csv",
    "contacts": "contacts.csv",
    "addresses": "addresses.csv",
    "schedules": "schedules.csv",
    "languages": "languages.csv",
    "accessibility": "accessibility.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "taxonomy_detail": "taxonomies.csv",
}

# Column types for the Data Package's table schemas, as HSDS's schemas give them
# ("datapackage_type", else "type" and "format"): what a column's field has instead of a
# plain string. Ids ("id" and every "*_id") are uuids; columns not named here are strings.
UUID = {"format": "uuid"}
NUMBER = {"type": "number"}
DATE = {"type": "date"}
TIME = {"type": "time"}
DATETIME = {"type": "datetime"}
EMAIL = {"format": "email"}
URI = {"format": "uri"}
COLUMN_TYPES = {
    "year_incorporated": NUMBER,
    "minimum_age": NUMBER,
    "maximum_age": NUMBER,
    "latitude": NUMBER,
    "longitude": NUMBER,
    "extension": NUMBER,
    "timezone": NUMBER,
    "count": NUMBER,
    "interval": NUMBER,
    "assured_date": DATE,
    "valid_from": DATE,
    "valid_to": DATE,
    "dtstart": DATE,
    "until": DATE,
    "opens_at": TIME,
    "closes_at": TIME,
    "last_modified": DATETIME,
    "email": EMAIL,
    "assurer_email": EMAIL,
    "url": URI,
    "website": URI,
    "uri": URI,
    "term_uri": URI,
    "schedule_link": URI,
}
# Id columns that name a row of another table of the package.
REFERENCES = {
    "organization_id": "organizations",
    "parent_organization_id": "organizations",
    "service_id": "services",
    "location_id": "locations",
    "contact_id": "contacts",
    "service_at_location_id": "service_at_location",
    "phone_id": "phones",
    "taxonomy_term_id": "taxonomy_terms",
    "parent_id": "taxonomy_terms",
    "taxonomy_id": "taxonomies",
}

CSV_FILES = list(TABLES)
DATAPACKAGE = "datapackage.json"
ZIP_FILE = "open-data.zip"
JSON_FILE = "open-data.json"
CONTENT_TYPES = {
    **dict.fromkeys(CSV_FILES, "text/csv; charset=utf-8"),
    DATAPACKAGE: "application/json",
    JSON_FILE: "application/json",
    ZIP_FILE: "application/zip",
}
FILES = [ZIP_FILE, JSON_FILE, DATAPACKAGE, *CSV_FILES]


def resource_name(file_name):
    return file_name.removesuffix(".csv")


# --- The licence -------------------------------------------------------------------------


def licence():
    """The data's licence as the settings name it (OPEN_DATA_LICENCE and friends)."""
    return {
        "name": settings.OPEN_DATA_LICENCE,
        "title": settings.OPEN_DATA_LICENCE_TITLE,
        "path": settings.OPEN_DATA_LICENCE_URL,
    }


def attribution(created):
    """What users of the data must name: OPEN_DATA_ATTRIBUTION, else "<portal>, <year>"."""
    return settings.OPEN_DATA_ATTRIBUTION or f"{settings.PORTAL_NAME}, {created.year}"


# --- Reading the dataset -------------------------------------------------------------------


def offers_with_terms():
    """The offers hsds.services_queryset() gives, with their vocabulary values, in a fixed
    number of queries: the offers, and per vocabulary its values and the links.

    Not by prefetch_related(): that builds a QuerySet per offer and relation to hold what
    it found, and with modeltranslation's patching of each, plus one model instance per
    link, that was two thirds of the build of 10,000 offers (25 s). Here each value is
    read once and shared, and each offer's values are put where a prefetch puts them, in
    the order the prefetch gives (the vocabulary's own), so the mapping reads them with
    ``offer.categories.all()`` as always and the objects come out as the API's."""
    queryset = hsds.services_queryset().prefetch_related(None).order_by("pk")
    offers = list(queryset)
    for offer in offers:
        offer._prefetched_objects_cache = {}
    for tax in hsds.TAXONOMIES:
        if not tax.many:
            continue
        field = Offer._meta.get_field(tax.relation)
        rank = {term.pk: (index, term) for index, term in enumerate(tax.model.objects.all())}
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = field.remote_field.through.objects.filter(
            **{f"{source}__in": queryset.values("pk")}
        ).values_list(f"{source}_id", f"{target}_id")
        found = defaultdict(list)
        for offer_id, term_id in links:
            found[offer_id].append(rank[term_id])
        for offer in offers:
            offer._prefetched_objects_cache[field.name] = [
                term for _index, term in sorted(found[offer.pk], key=lambda pair: pair[0])
            ]
    return offers


def dataset(absolute):
    """The published dataset as the API's objects, in German, in a fixed number of queries
    whatever its size. ``absolute(path)`` turns a path into an address."""
    with translation.override(settings.LANGUAGE_CODE):
        offers = offers_with_terms()
        providers = hsds.organizations_queryset(Provider.objects.order_by("pk"))
        return {
            "services": [hsds.service(offer, absolute, detail=True) for offer in offers],
            "organizations": [
                hsds.organization(provider, absolute, detail=True) for provider in providers
            ],
            "taxonomies": [hsds.taxonomy(tax) for tax in hsds.TAXONOMIES],
            "taxonomy_terms": [hsds.taxonomy_term(term) for term in hsds.all_terms()],
        }


def tables(data):
    """The dataset's objects flattened into HSDS's tables: {file name: [row, ...]}, each row
    once (an organisation or a place appears under many services)."""
    rows = {file_name: {} for file_name in TABLES}

    def add(file_name, obj):
        row = {}
        for key, value in obj.items():
            if key in NESTED:
                for child in value if isinstance(value, list) else [value]:
                    add(NESTED[key], child)
            else:
                row[key] = value
        rows[file_name].setdefault(row["id"], row)

    for key, file_name in (
        ("organizations", "organizations.csv"),
        ("taxonomies", "taxonomies.csv"),
        ("taxonomy_terms", "taxonomy_terms.csv"),
        ("services", "services.csv"),
    ):
        for obj in data[key]:
            add(file_name, obj)
    return {file_name: list(found.values()) for file_name, found in rows.items()}


# --- Writing the files -----------------------------------------------------------------------


def csv_bytes(file_name, rows):
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS[file_name], extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def field(column, required):
    is_id = column == "id" or column.endswith("_id")
    data = {"name": column, "type": "string", **(UUID if is_id else COLUMN_TYPES.get(column, {}))}
    if column in required:
        data["constraints"] = {"required": True}
    return data


# Columns every row of ours has (HSDS requires them in its tables, or in its objects).
REQUIRED = {
    "organizations.csv": {"id", "name"},
    "services.csv": {"id", "organization_id", "name", "status"},
    "attributes.csv": {"id", "link_id", "taxonomy_term_id", "link_entity"},
    "service_at_location.csv": {"id", "service_id", "location_id"},
    "locations.csv": {"id", "location_type"},
    "phones.csv": {"id", "number"},
    "addresses.csv": {
        "id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    },
    "taxonomy_terms.csv": {"id", "name", "description"},
    "taxonomies.csv": {"id", "name", "description"},
}


def table_schema(file_name):
    columns = COLUMNS[file_name]
    return {
        "fields": [field(column, REQUIRED.get(file_name, {"id"})) for column in columns],
        "primaryKey": "id",
        "foreignKeys": [
            {"fields": column, "reference": {"resource": REFERENCES[column], "fields": "id"}}
            for column in columns
            if column in REFERENCES
        ],
    }


def package_name():
    """The Data Package's name: lower-case letters, digits and -._ only."""
    return re.sub(r"[^a-z0-9._-]+", "-", settings.PORTAL_NAME.lower()).strip("-") + "-hsds"


def datapackage(created, sizes, homepage):
    return {
        "profile": "tabular-data-package",
        "name": package_name(),
        "title": f"{settings.PORTAL_NAME}: Open Referral HSDS {hsds.HSDS_VERSION}",
        "description": (
            "Published integration offers as Open Referral HSDS 3.0 services, their "
            "providers as organizations, their places as locations and the offer "
            "vocabularies as taxonomies, in HSDS's tabular format. Texts in German."
        ),
        "homepage": homepage,
        "version": hsds.HSDS_VERSION,
        "created": created.isoformat(),
        "languages": [settings.LANGUAGE_CODE],
        "licenses": [licence()],
        "attribution": attribution(created),
        "contributors": [{"title": attribution(created), "role": "publisher"}],
        "sources": [{"title": "Open Referral HSDS 3.0", "path": hsds.PROFILE_URL}],
        "resources": [
            {
                "name": resource_name(file_name),
                "path": file_name,
                "title": TABLES[file_name][0],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": sizes[file_name],
                "schema": table_schema(file_name),
            }
            for file_name in CSV_FILES
        ],
    }


def json_document(data, created):
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.PROFILE_URL,
        "created": created.isoformat(),
        "language": settings.LANGUAGE_CODE,
        "license": licence(),
        "attribution": attribution(created),
        **data,
    }


def zip_bytes(files, created):
    out = io.BytesIO()
    stamp = timezone.localtime(created).timetuple()[:6]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in [DATAPACKAGE, *CSV_FILES]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return out.getvalue()


def dumps(data):
    # Compact: the JSON file of 10,000 offers is 50 MB indented.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build(absolute, homepage):
    """Every file of the download: {file name: bytes}."""
    created = timezone.now().replace(microsecond=0)
    data = dataset(absolute)
    files = {file_name: csv_bytes(file_name, rows) for file_name, rows in tables(data).items()}
    sizes = {name: len(content) for name, content in files.items()}
    files[DATAPACKAGE] = dumps(datapackage(created, sizes, homepage))
    files[ZIP_FILE] = zip_bytes(files, created)
    files[JSON_FILE] = dumps(json_document(data, created))
    return created, files
