"""The result cards of the offer search, which offers/templatetags/result_cards.py writes in
Python: what editors typed stays text, each card leads to its offer's page and back, and
every category of every card is shown (and marked where it falls back to German)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from offers.models import Offer
from tests.pages import html_of
from vocabularies.models import Category

pytestmark = pytest.mark.django_db


# A category on a card: its icon, then its label with the label's language attributes.
TAG = r'<span class="tag"><svg [^>]*>.*?</svg><span([^>]*)>([^<]*)</span>'


def result_list(html):
    return html.split('<ol class="cards result-list">', 1)[1].split("</ol>", 1)[0]


def cards(html):
    return re.findall(r'<li class="card">(.*?)</li>', result_list(html), re.S)


def test_texts_typed_by_editors_are_shown_as_text_in_the_results(client, demo_data):
    offer = Offer.objects.published().get(slug="badminton-castrop-rauxel")
    offer.name_de = 'Badminton & "Federball" <b>für alle</b>'
    offer.short_description_de = "<script>alert(1)</script> Schläger gibt es vor Ort."
    offer.save()
    provider = offer.provider
    provider.name = "Turnverein <i>1900</i> & Freunde"
    provider.save()

    html = html_of(client.get("/de/offers/?q=badminton"))

    listed = result_list(html)
    assert "Badminton &amp; &quot;Federball&quot; &lt;b&gt;für alle&lt;/b&gt;</a>" in listed
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; Schläger gibt es vor Ort.</p>" in listed
    assert "<bdi>Turnverein &lt;i&gt;1900&lt;/i&gt; &amp; Freunde</bdi>" in listed
    assert "<script>alert(1)" not in html and "<b>für alle" not in html


def test_every_card_leads_to_its_offer_and_back_to_this_page_of_the_list(client, demo_data):
    listing = "/ar/offers/?sort=newest&page=2"
    html = html_of(client.get(listing))
    found = cards(html)
    assert found
    for card in found:
        link = re.search(r'<h3><a href="([^"]+)"', card)[1].replace("&amp;", "&")
        path, query = link.split("?", 1)
        slug = path.rstrip("/").rsplit("/", 1)[1]
        with translation.override("ar"):
            assert path == Offer.objects.get(slug=slug).get_absolute_url()
        back = urlsplit(parse_qs(query)["back"][0])
        assert back.path == "/ar/offers/"
        assert parse_qs(back.query) == {"sort": ["newest"], "page": ["2"]}
        detail = html_of(client.get(link))
        assert 'href="/ar/offers/?sort=newest&amp;page=2#results-heading"' in detail


def test_every_card_shows_all_its_categories_with_german_ones_marked(client, demo_data):
    sport = Category.objects.get(slug="sport")
    sport.label_fa = ""  # the demo data has every label; this one goes missing
    sport.save()
    html = html_of(client.get("/fa/offers/?category=sport"))

    found = cards(html)
    with translation.override("fa"):
        for card in found:
            slug = re.search(r'href="/fa/offers/([^/]+)/', card)[1]
            offer = Offer.objects.get(slug=slug)
            labels = re.findall(TAG, card)
            expected = [
                (' lang="de" dir="ltr"', category.label_de)
                if category == sport
                else ("", category.label)
                for category in offer.categories.all()
            ]
            assert labels == expected, slug
    # All the results share the category: each of them shows it.
    assert len(found) >= 2
    assert all(f'<span lang="de" dir="ltr">{sport.label_de}</span>' in card for card in found)
