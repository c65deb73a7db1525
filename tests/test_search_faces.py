"""The city and provider pages are faces of the offer search: every number of offers they
show, and the offers a provider page lists, are those of the search with the same filter.

Everything goes through the public URLs, as in test_search.py.
"""

import re
from html import escape
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from content import generation
from offers.models import Offer
from places.models import City
from providers.models import Provider
from tests.pages import count_queries

pytestmark = pytest.mark.django_db

JSON = "/de/offers/search.json"


def search(client, **filters):
    response = client.get(f"{JSON}?{urlencode(filters)}")
    assert response.status_code == 200
    return response.json()


def all_result_slugs(client, **filters):
    slugs, page = [], 1
    while True:
        data = search(client, **filters, page=page)
        slugs += [result["slug"] for result in data["results"]]
        if page >= data["pages"]:
            return slugs
        page += 1


def provider_counts(html):
    """{provider slug: number of offers} of a page of the provider list."""
    cards = re.findall(
        r'<h2 class="card__title"><a href="/de/providers/([^/]+)/">.*?<p>(\d+) Angebot',
        html,
        re.S,
    )
    return {slug: int(count) for slug, count in cards}


def test_every_city_on_the_city_list_counts_like_the_search(client, demo_data):
    html = client.get("/de/cities/").content.decode()
    for city in City.objects.all():
        count = search(client, city=city.slug)["count"]
        pattern = rf'>{re.escape(escape(city.name))}</a> <span class="count">\({count} Angebot'
        assert re.search(pattern, html), (city.slug, count)


def test_every_provider_on_the_provider_list_counts_like_the_search(client, demo_data):
    counts, page = {}, 1
    while True:
        response = client.get("/de/providers/", {"page": page})
        counts.update(provider_counts(response.content.decode()))
        if page >= response.context["page_obj"].paginator.num_pages:
            break
        page += 1
    assert set(counts) == set(Provider.objects.values_list("slug", flat=True))
    for slug, count in counts.items():
        assert count == search(client, provider=slug)["count"], slug


def test_the_provider_search_counts_like_the_search_too(client, demo_data):
    counts = provider_counts(client.get("/de/providers/", {"q": "lünen"}).content.decode())
    assert counts
    for slug, count in counts.items():
        assert count == search(client, provider=slug)["count"], slug


def test_a_provider_page_lists_the_offers_the_search_finds_for_it(client, demo_data):
    provider = max(
        Provider.objects.all(), key=lambda p: Offer.objects.published().filter(provider=p).count()
    )
    html = client.get(provider.get_absolute_url()).content.decode()
    listed = re.findall(r'<li class="card">\s*<h3><a href="/de/offers/([^/]+)/"', html)
    assert len(listed) > 1
    assert listed == all_result_slugs(client, provider=provider.slug)


def test_provider_search_and_pages_run_a_fixed_number_of_queries(client, demo_data):
    urls = ["/de/providers/?q=e", "/de/providers/?q=e&page=2", "/de/providers/?page=2"]
    before = {url: count_queries(client, url) for url in urls}
    call_command("generate_offers", count=300, seed=3, verbosity=0)
    after = {url: count_queries(client, url) for url in urls}
    assert after == before


def test_a_provider_page_runs_as_many_queries_for_many_offers_as_for_one(
    client, demo_data, page_cache_off
):
    provider = Provider.objects.get(name="Turnerbund Rauxel 1892 e.V.")
    few = count_queries(client, provider.get_absolute_url())
    Offer.objects.published().update(provider=provider)
    # update() sends no signals: code changing content that way starts a new generation
    # itself (content/generation.py), and the search index follows it.
    generation.bump()
    assert Offer.objects.published().filter(provider=provider).count() > 20
    assert count_queries(client, provider.get_absolute_url()) == few
