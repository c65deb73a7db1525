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


def assert_bounded_facet(html, name, counts, limit, choice_path):
    """A bounded facet (providers; towns at state scale) on a search page shows ``limit``
    values, each counting at least as many offers as any left out ({slug: count} of the
    search), and "show all" with the number left out, leading to ``choice_path``."""
    shown = re.findall(rf'name="{name}" value="([^"]+)"', html)
    assert len(shown) == limit
    last_shown = sorted(counts.values(), reverse=True)[limit - 1]
    assert all(counts[slug] >= last_shown for slug in shown)
    assert f"Alle anzeigen ({len(counts) - limit} weitere)" in html
    assert f'href="{choice_path}?"' in html or f'href="{choice_path}"' in html
