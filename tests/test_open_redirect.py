"""Every link and redirect a page generates stays on this site, whatever the request path.

Under gunicorn a request for ``//evil.com/de/offers/`` reaches the portal as it is; its 404
page echoed the path into the language switcher and the hreflang alternates, as
``//evil.com/en/offers/``: a link to another host, in the portal's own page.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.gunicorn import gunicorn_server  # noqa: F401 (a fixture)

HOSTILE_PATHS = [
    "//evil.com/de/offers/",
    "//evil.com/",
    "//evil.com",
    "///evil.com/de/",
    "/\\evil.com/de/offers/",
    "/%5Cevil.com/de/",
    "/%2F%2Fevil.com/de/",
    "/%2Fevil.com/de/offers/",
    "/%09/evil.com/de/",
    "//evil.com/de/offers/?q=kurs",
    "/de//evil.com/",
    "/de/offers//evil.com",
    "//evil.com/admin/",
    "//evil.com/admin/login/?next=//evil.com/",
    "/admin/login/?next=//evil.com/",
    "/admin/login/?next=/\\evil.com/",
]

LINK_ATTRIBUTES = {"href", "src", "action", "formaction"}


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, name, value))


def links_of(body):
    collector = LinkCollector()
    collector.feed(body)
    return collector.links


def is_local_or_allowed(url, host):
    """A path on this site (one slash, not followed by another or a backslash), a fragment,
    an empty address (the page itself: the login form's action="") or an absolute address
    of this site."""
    # Browsers drop tabs and newlines anywhere in an address before parsing it.
    cleaned = url.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if cleaned == "" or cleaned.startswith("#") or cleaned.startswith("?"):
        return True
    if cleaned.startswith("/"):
        return not cleaned.startswith(("//", "/\\"))
    parts = urlsplit(cleaned)
    if parts.scheme in {"http", "https"}:
        return parts.netloc == host
    return parts.scheme in {"mailto", "tel"}


def test_no_page_links_or_redirects_to_another_host_under_gunicorn(gunicorn_server):  # noqa: F811
    host = f"{gunicorn_server.host}:{gunicorn_server.port}"
    bad = []
    for path in HOSTILE_PATHS:
        response = gunicorn_server.request("GET", path, {"Accept-Language": "de"})
        assert response.status < 500, (path, response.status)
        location = response.header("Location")
        if location is not None and not is_local_or_allowed(location, host):
            bad.append(f"{path}: Location {location}")
        for tag, name, url in links_of(response.body):
            if not is_local_or_allowed(url, host):
                bad.append(f"{path}: <{tag} {name}={url!r}>")
    assert not bad, "Links or redirects to another host:\n" + "\n".join(bad)


@pytest.mark.django_db
def test_language_links_of_a_scheme_relative_path_are_paths_of_this_site(client):
    """The same through the test client, which passes such a path on as it is when it is
    given as PATH_INFO."""
    response = client.get("/", PATH_INFO="//evil.com/de/offers/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    links = [url for _tag, _name, url in links_of(response.content.decode()) if "evil" in url]
    # The switcher and the alternates still offer the page in every language ...
    assert len(links) >= 2 * len(settings.LANGUAGES)
    # ... as paths of this site.
    assert all(is_local_or_allowed(url, "testserver") for url in links), links
