"""Public pages go out compressed to browsers that accept it, also from the page cache;
staff pages never (operations/compression.py)."""

import gzip

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br"
SEARCH = "/de/offers/?category=sport"


def test_a_search_page_comes_compressed_and_unchanged(demo_data):
    plain = Client().get(SEARCH)
    browser = Client(HTTP_ACCEPT_ENCODING=BROWSER)
    for expected_cache in ("miss", "hit"):
        response = browser.get(SEARCH)
        assert response.status_code == 200
        assert response["X-Cache"] == expected_cache
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert len(response.content) < len(plain.content) / 3
        assert gzip.decompress(response.content) == plain.content


def test_clients_without_compression_get_the_plain_page_from_the_cache(demo_data):
    Client(HTTP_ACCEPT_ENCODING=BROWSER).get(SEARCH)
    response = Client().get(SEARCH)
    assert not response.has_header("Content-Encoding")
    assert "<html" in response.content.decode()


def test_spellings_of_the_header_share_one_cached_copy(demo_data):
    Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br").get(SEARCH)
    response = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd").get(SEARCH)
    assert response["X-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"


def test_the_admin_is_never_compressed(admin_client):
    response = admin_client.get("/admin/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
