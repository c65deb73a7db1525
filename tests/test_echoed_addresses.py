"""How much of its own address a page repeats (issue 13, finding 9): every page links its
versions in all twelve languages, so an over-long address came back about 25 times."""

import pytest

pytestmark = pytest.mark.django_db

LONG = "x" * 30_000


def test_an_over_long_query_is_left_out_of_the_language_links(client, demo_data):
    response = client.get(f"/de/offers/?q=kurs&junk={LONG}")
    assert response.status_code == 200
    assert len(response.content) < 100_000
    html = response.content.decode()
    assert LONG[:2000] not in html
    assert 'href="/en/offers/"' in html and 'href="/ar/offers/"' in html
    assert 'hreflang="tr" href="http://testserver/tr/offers/"' in html
    # A query of normal length is kept.
    html = client.get("/de/offers/?q=kurs&city=unna").content.decode()
    assert 'href="/en/offers/?q=kurs&amp;city=unna"' in html


def test_an_over_long_path_is_a_small_404(client, demo_data):
    response = client.get(f"/de/offers/{LONG}/")
    assert response.status_code == 404
    assert len(response.content) < 100_000
    html = response.content.decode()
    assert LONG[:1000] not in html
    assert 'href="/en/"' in html
