"""What tests of public pages share: reading a page, finding what it loads, and counting
the queries it runs."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Tags that load something; <link rel="alternate"> names the page in other languages (or
# its feeds) and <link rel="canonical"> the page itself: they load nothing.
ASSET_PATTERN = re.compile(
    r'<(?:script|img|link(?![^>]*rel="(?:alternate|canonical)")|iframe)\b[^>]*\b(?:src|href)="([^"]+)"'
)


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def assets_of(html):
    """Addresses of the scripts, images, style sheets and frames a page loads."""
    return ASSET_PATTERN.findall(html)


def count_queries(client, url):
    """How many database queries the page at ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
