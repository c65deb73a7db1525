"""The Atom feeds (offers/feeds.py, events/feeds.py, their base content/feeds.py) as a
feed reader reads them: with feedparser, the parser most readers and aggregators build on.
tests/test_discovery.py checks the XML itself; here each feed, overall and per city, must
parse without a complaint (no "bozo") and hold the entries its search gives."""

from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings
from django.http import QueryDict
from django.utils import translation

from content.feeds import FEED_SIZE
from events.search import UPCOMING, EventSearch
from offers.search import OfferSearch

FEEDS = [
    ("de", "offers", ""),
    ("ar", "offers", "city=unna"),
    ("en", "offers", "city=kamen"),
    ("de", "events", ""),
    ("ar", "events", "city=unna"),
]


def expected_paths(language, kind, query):
    """The addresses of the entries the feed's search engine gives, in the feed's order."""
    with translation.override(language):
        if kind == "offers":
            offers = (
                OfferSearch(QueryDict(query), language)
                .queryset()
                .order_by("-updated", "-pk")[:FEED_SIZE]
            )
            return [offer.get_absolute_url() for offer in offers]
        listing = EventSearch(QueryDict(query), scope=UPCOMING, page_size=FEED_SIZE)
        return [event.get_absolute_url() for event in listing.page().object_list]


@pytest.mark.parametrize(("language", "kind", "query"), FEEDS)
def test_each_feed_parses_cleanly_with_its_entries(client, demo_data, language, kind, query):
    address = f"/{language}/{kind}/feed.atom" + (f"?{query}" if query else "")
    response = client.get(address)
    assert response.status_code == 200
    parsed = feedparser.parse(
        response.content,
        response_headers={
            "content-type": response["Content-Type"],
            "content-location": f"http://testserver{address}",
        },
    )
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.language == language
    assert parsed.feed.title.startswith(f"{settings.PORTAL_NAME}: ")
    assert parsed.feed.updated_parsed is not None
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"http://testserver{address}"]
    expected = expected_paths(language, kind, query)
    assert expected, "the demo data give each of these feeds entries"
    assert [urlsplit(entry.link).path for entry in parsed.entries] == expected
    for entry in parsed.entries:
        assert entry.title.strip()
        assert entry.id
        assert entry.updated_parsed is not None
        assert entry.author
        assert entry.summary.strip()
    ids = [entry.id for entry in parsed.entries]
    assert len(set(ids)) == len(ids)
