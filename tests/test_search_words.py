"""A search word finds every offer whose text contains it, also inside German compounds,
whatever wrote the text: an admin save, a bulk update, a new offer. On PostgreSQL the
substring match goes through the vocabulary of migration 0009 (a table of words kept by
triggers); these tests hold it to plain ``search_text LIKE '%word%'`` semantics.
"""

import pytest
from django.db import connection

from offers.models import Offer
from tests.test_search import search_json

pytestmark = pytest.mark.django_db


def found(client, words):
    return {result["slug"] for result in search_json(client, f"q={words}")["results"]}


def test_a_renamed_offer_is_found_by_a_part_of_its_new_compound(
    staff_client, demo_data, page_cache_off
):
    offer = Offer.objects.published().order_by("pk").first()
    assert found(staff_client, "zauberwuerfel") == set()
    offer.name_de = "Zauberwürfelkurs für Quokkafreundinnen"
    offer.save()
    assert found(staff_client, "zauberwürfel") == {offer.slug}
    assert found(staff_client, "wuerfelkur") == {offer.slug}  # inside the compound, folded
    assert found(staff_client, "für+quokkafreund") == {offer.slug}


def test_a_bulk_update_of_the_text_is_searched_at_once(client, demo_data, page_cache_off):
    first, second = Offer.objects.published().order_by("pk")[:2]
    Offer.objects.filter(pk__in=[first.pk, second.pk]).update(search_text="quallenkunde")
    assert found(client, "allenkun") == {first.slug, second.slug}
    Offer.objects.filter(pk=first.pk).update(search_text="seesternkunde")
    assert found(client, "allenkun") == {second.slug}  # the old word is gone from first
    assert found(client, "sternku") == {first.slug}


def test_like_wildcards_in_a_word_are_plain_characters(client, demo_data, page_cache_off):
    literal, lookalike = Offer.objects.published().order_by("pk")[:2]
    Offer.objects.filter(pk=literal.pk).update(search_text="rabatt 50%_aktion")
    # As LIKE patterns, "50%_ak" would match this one too.
    Offer.objects.filter(pk=lookalike.pk).update(search_text="rabatt 5000_aktion")
    assert found(client, "50%25_ak") == {literal.slug}  # "50%_ak", URL-encoded


def test_very_long_words_are_saved_and_found(client, demo_data, page_cache_off):
    """A word longer than an index entry may be (a pasted link, a run of letters) neither
    breaks the save nor hides from the search."""
    offer = Offer.objects.published().order_by("pk").first()
    long_word = "x" * 5000 + "seepferdchen" + "y" * 5000
    Offer.objects.filter(pk=offer.pk).update(search_text=f"kurs {long_word}")
    assert found(client, "seepferdchen") == {offer.slug}


def test_short_words_still_match_inside_words(client, demo_data, page_cache_off):
    offer = Offer.objects.published().order_by("pk").first()
    Offer.objects.filter(pk=offer.pk).update(search_text="qz9 kurs")
    assert found(client, "z9") == {offer.slug}


def test_postgresql_keeps_the_vocabulary_of_words_written(demo_data):
    """The triggers of migration 0009 add the words of new and changed texts, once."""
    if connection.vendor != "postgresql":
        pytest.skip("the vocabulary table is PostgreSQL's")

    def vocabulary_has(word):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM offers_search_word WHERE word = %s", [word])
            return cursor.fetchone()[0]

    offer = Offer.objects.order_by("pk").first()
    Offer.objects.filter(pk=offer.pk).update(search_text="walrossbucht walrossbucht")
    assert vocabulary_has("walrossbucht") == 1
    Offer.objects.filter(pk=offer.pk).update(is_free=not offer.is_free)  # text unchanged
    assert vocabulary_has("walrossbucht") == 1
