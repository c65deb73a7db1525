"""The API's OpenAPI description: the HSDS 3.0 one (schema/openapi.json of the
specification, CC BY-SA 4.0, © Open Referral), trimmed to the paths and parameters we
serve, with the ``lang`` parameter and our error answer added (openapi.json beside this
file). Filled in per request with the portal's name and address."""

import copy
import functools
import json
from pathlib import Path

from django.conf import settings

from .hsds import HSDS_VERSION

SOURCE = Path(__file__).with_name("openapi.json")


@functools.cache
def _template():
    return json.loads(SOURCE.read_text(encoding="utf-8"))


def openapi_document(base_url):
    """The description for the API at ``base_url`` (ending in /api/hsds/)."""
    document = copy.deepcopy(_template())
    document["info"] = {
        "title": f"{settings.PORTAL_NAME}: Open Referral HSDS API",
        "version": HSDS_VERSION,
        "description": (
            "Published integration offers as HSDS 3.0 services, their providers as "
            "organizations, the offer vocabularies as taxonomies. Lists are paginated "
            "(per_page at most 100); filters combine with AND; unknown parameters, empty and "
            "unreadable values answer 400. Every answer carries an ETag and a Last-Modified "
            "(304 for If-None-Match and If-Modified-Since). Each client (by address) may send "
            f"{settings.OPEN_DATA_REQUESTS_PER_MINUTE} requests per minute; more answer 429 "
            "with Retry-After. The whole dataset as files (HSDS tabular CSVs with a Data "
            "Package, and one JSON file): "
            f"{base_url.rstrip('/')}/download/open-data.zip and .../open-data.json."
        ),
        # The data's licence, as the settings name it (OPEN_DATA_LICENCE).
        "license": {
            "name": settings.OPEN_DATA_LICENCE_TITLE,
            "url": settings.OPEN_DATA_LICENCE_URL,
        },
    }
    document["servers"] = [{"url": base_url.rstrip("/")}]
    return document
