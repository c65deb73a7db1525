"""What tests of public pages share: reading a page, and finding what it loads."""

import re

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
