"""Derived data stays right whatever changes the entries it is built from: saving, renaming,
deleting, restoring, recovering and importing all go through one registry
(content/derived.py). "Right" means: exactly what a fresh rebuild gives."""

import pytest
from django.db.models import signals
from reversion.models import Version

from content import derived
from editorial import history
from events.models import Event, Occurrence
from offers.models import Offer, search_document
from places.models import Venue
from tests.admin_forms import save_in_admin
from tests.test_history import (
    delete_in_admin,
    recover_in_admin,
    restore_in_admin,
    search_finds,
    versions,
)
from tests.test_import_export import csv_text, import_file
from vocabularies.models import Category

pytestmark = pytest.mark.django_db


def assert_search_texts_right():
    """Every offer's stored search text is the one a rebuild would write."""
    wrong = [
        offer.slug
        for offer in Offer.objects.select_related("provider", "venue", "city").prefetch_related(
            "categories"
        )
        if offer.search_text != search_document(offer)
    ]
    assert wrong == []


def occurrences_of(event):
    return sorted(event.occurrences.values_list("start", "ends_at", "cancelled"))


def assert_occurrences_right(event):
    stored = occurrences_of(event)
    Event.objects.filter(pk=event.pk).refresh_occurrences()
    assert stored == occurrences_of(event)


def test_renaming_a_category_in_the_admin_rebuilds_its_offers_search_text(staff_client, demo_data):
    category = Category.objects.get(slug="sport")
    offer = category.offers.published().first()

    save_in_admin(staff_client, category, label_de="Bewegungszeit")

    assert search_finds(staff_client, "Bewegungszeit", offer)
    assert_search_texts_right()


def test_a_restore_leaves_the_search_text_right(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    save_in_admin(staff_client, offer, name_de="Federball am Abend")
    first = versions(offer).last()
    save_in_admin(staff_client, offer, name_de="Federball am Morgen")
    assert search_finds(staff_client, "Morgen", offer)

    restore_in_admin(staff_client, offer, first)

    assert not search_finds(staff_client, "Morgen", offer)
    assert_search_texts_right()


def test_restoring_a_venue_rebuilds_the_search_text_of_its_offers(staff_client, demo_data):
    venue = Venue.objects.filter(offers__isnull=False).distinct().first()
    offer = venue.offers.published().first()
    save_in_admin(staff_client, venue, name="Haus der Begegnung Nord")
    first = versions(venue).last()
    save_in_admin(staff_client, venue, name="Treffpunkt Sonnenblume")
    assert search_finds(staff_client, "Sonnenblume", offer)

    restore_in_admin(staff_client, venue, first)

    assert not search_finds(staff_client, "Sonnenblume", offer)
    assert_search_texts_right()


def test_an_import_leaves_the_search_text_right(staff_client, demo_data):
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    rows = [{"slug": offer.slug, "name_de": "Federballtreff Habinghorst"}]

    import_file(staff_client, "offer", csv_text(rows))

    assert search_finds(staff_client, "Federballtreff", offer)
    assert_search_texts_right()


def test_deleting_a_category_takes_its_label_out_of_the_search_text(staff_client, demo_data):
    category = Category.objects.create(slug="zeitweilig", label_de="Zeitweiligkeitsgruppe")
    offer = Offer.objects.published().first()
    offer.categories.add(category)
    assert search_finds(staff_client, "Zeitweiligkeitsgruppe", offer)

    delete_in_admin(staff_client, category)

    assert not search_finds(staff_client, "Zeitweiligkeitsgruppe", offer)
    assert_search_texts_right()


def test_clearing_a_categorys_offers_rebuilds_their_search_text(client, demo_data):
    category = Category.objects.get(slug="sport")
    offers = list(category.offers.all())
    assert offers

    category.offers.clear()

    assert_search_texts_right()


def test_a_restored_event_date_rebuilds_the_occurrences(staff_client, demo_data):
    event = Event.objects.filter(dates__isnull=False).first()
    date = event.dates.first()
    with history.record_change(comment="before"):
        date.save()
    first = Version.objects.get_for_object(date).first()
    date.start = date.start.replace(year=date.start.year + 1)
    if date.repeat_until:
        date.repeat_until = date.repeat_until.replace(year=date.repeat_until.year + 1)
    date.end = None
    date.save()

    history.restore(first)

    assert_occurrences_right(event)
    assert Occurrence.objects.filter(event=event, start=first.field_dict["start"]).exists()


def test_a_recovered_offer_gets_its_search_text(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    delete_in_admin(staff_client, offer)
    version = Version.objects.get_deleted(Offer).get(object_id=str(offer.pk))

    recover_in_admin(staff_client, Offer, version)

    assert search_finds(staff_client, "Badminton", offer)
    assert_search_texts_right()


def test_a_bulk_load_is_made_right_by_refreshing_the_registry(demo_data):
    # Raw rows, as loaddata writes them: no receiver runs.
    Offer.objects.update(search_text="")
    Occurrence.objects.all().delete()

    derived.refresh_all()

    assert_search_texts_right()
    assert Occurrence.objects.exists()


def test_the_version_history_leaves_every_derived_field_out(demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    with history.record_change(comment="kept"):
        offer.save()
    kept = Version.objects.get_for_object(offer).first().field_dict
    assert derived.fields_of(Offer) == ["search_text"]
    assert "search_text" not in kept
    assert "name_de" in kept


def test_every_dependency_has_its_receivers():
    for derivation in derived.registered():
        for source in derivation.sources():
            assert signals.post_save.has_listeners(source), source
            assert signals.post_delete.has_listeners(source), source
