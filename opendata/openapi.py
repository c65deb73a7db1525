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
# The licence of the data (issue of the open-data download: dl-de/by-2-0 by default).
DATA_LICENCE = {
    "name": "Datenlizenz Deutschland - Namensnennung - Version 2.0",
    "identifier": "dl-de-by-2.0",
}


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
            "(per_page at most 100); filters combine with AND; unknown parameters and "
            "unreadable values answer 400."
        ),
        "license": DATA_LICENCE,
    }
    document["servers"] = [{"url": base_url.rstrip("/")}]
    return document
