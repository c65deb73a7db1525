"""The data model's rules: constraints that protect the data whatever path writes it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation

from content.publication import PublicationStatus
from events.models import Event, EventAttachment, EventDate, EventStatus
from offers.models import Offer
from pages.models import Page
from places.models import Venue
from tests.factories import make_city, make_district, make_provider, make_venue, make_vocabulary
from vocabularies.models import AgeGroup, Category, MigrationBackground

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return make_district("Kreis Unna", ki_name="Kommunales Integrationszentrum Kreis Unna")


@pytest.fixture
def city(district):
    return make_city(
        "Lünen",
        district=district,
        population=86010,
        population_with_migration_background=29190,
    )


@pytest.fixture
def offer(city):
    provider = make_provider("AWO Lünen", city=city)
    offer = Offer.objects.create(
        name_de="Sprachcafé",
        name_en="Language café",
        slug="sprachcafe",
        provider=provider,
        city=city,
        migration_background=make_vocabulary(
            MigrationBackground, "für alle offen", slug="open-to-all"
        ),
        publication_status=PublicationStatus.PUBLISHED,
    )
    offer.categories.add(make_vocabulary(Category, "Begegnung"))
    offer.age_groups.add(make_vocabulary(AgeGroup, "alle", slug="all-ages"))
    return offer


def expect_integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_string_representations(city, offer):
    assert str(city) == "Lünen"
    assert str(city.district) == "Kreis Unna"
    assert str(offer) == "Sprachcafé"
    assert str(offer.provider) == "AWO Lünen"
    venue = make_venue(city, "Stadtbücherei", street="Markt 1", postcode="44532")
    assert str(venue) == "Stadtbücherei, Lünen"
    assert venue.address == "Markt 1, 44532 Lünen"


def test_translated_name_falls_back_to_german(offer):
    offer.name_en = ""
    offer.save()
    with translation.override("en"):
        assert Offer.objects.get(pk=offer.pk).name == "Sprachcafé"
    offer.name_en = "Language café"
    offer.save()
    with translation.override("en"):
        assert Offer.objects.get(pk=offer.pk).name == "Language café"


def test_city_migration_background_share(city):
    # Lünen, Zensus 2011: 29,190 of 86,010 residents.
    assert city.migration_background_share == 33.9


def test_city_cannot_have_more_residents_with_migration_background_than_residents(city):
    city.population_with_migration_background = city.population + 1
    expect_integrity_error(city.save)


def test_half_a_coordinate_is_refused(city):
    expect_integrity_error(lambda: make_venue(city, "Halle", latitude=Decimal("51.6")))


def test_coordinates_out_of_range_are_refused(city):
    expect_integrity_error(
        lambda: make_venue(city, "Halle", latitude=Decimal("95"), longitude=Decimal("7"))
    )


def test_venue_address_is_unique_per_city(city):
    make_venue(city, "Halle", street="Weg 1")
    expect_integrity_error(lambda: make_venue(city, "Halle", street="Weg 1"))


def test_postcode_must_have_five_digits(city):
    venue = Venue(name="Halle", postcode="4457", city=city)
    with pytest.raises(ValidationError) as error:
        venue.full_clean()
    assert "postcode" in error.value.message_dict


def test_offer_slug_is_unique(offer):
    expect_integrity_error(
        lambda: Offer.objects.create(
            name_de="Anderes",
            slug=offer.slug,
            provider=offer.provider,
            city=offer.city,
            migration_background=offer.migration_background,
        )
    )


def test_offer_validity_must_not_end_before_it_starts(offer):
    offer.valid_from = dt.date(2026, 5, 1)
    offer.valid_until = dt.date(2026, 4, 30)
    expect_integrity_error(offer.save)


def test_offer_that_is_not_free_needs_a_cost_note(offer):
    offer.is_free = False
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "is_free" in error.value.message_dict
    offer.costs_de = "5 Euro im Monat"
    offer.full_clean()


def test_published_offers_respect_status_and_validity(offer):
    today = timezone.localdate()
    assert list(Offer.objects.published()) == [offer]
    offer.valid_until = today - dt.timedelta(days=1)
    offer.save()
    assert not Offer.objects.published().exists()
    offer.valid_until = None
    offer.valid_from = today + dt.timedelta(days=1)
    offer.save()
    assert not Offer.objects.published().exists()
    offer.valid_from = today
    offer.save()
    assert Offer.objects.published().exists()
    for status in (PublicationStatus.DRAFT, PublicationStatus.ARCHIVED):
        offer.publication_status = status
        offer.save()
        assert not Offer.objects.published().exists()


def test_a_provider_with_offers_cannot_be_deleted(offer):
    with pytest.raises(ProtectedError):
        offer.provider.delete()


def test_a_city_with_offers_cannot_be_deleted(offer):
    with pytest.raises(ProtectedError):
        offer.city.delete()


@pytest.fixture
def event(district):
    return Event.objects.create(title_de="Woche der Vielfalt", slug="woche", district=district)


def test_event_dates_must_not_end_before_they_start(event):
    start = timezone.now()
    expect_integrity_error(
        lambda: EventDate.objects.create(
            event=event, start=start, end=start - dt.timedelta(hours=1)
        )
    )


def test_event_attachment_is_a_file_or_a_link(event):
    expect_integrity_error(lambda: EventAttachment.objects.create(event=event, title_de="Programm"))
    EventAttachment.objects.create(
        event=event, title_de="Programm", url="https://www.example.org/programm.pdf"
    )


def test_only_a_rescheduled_event_links_to_its_new_date(district, event):
    new_event = Event.objects.create(title_de="Neuer Termin", slug="neu", district=district)
    event.rescheduled_to = new_event
    expect_integrity_error(event.save)
    event.status = EventStatus.RESCHEDULED
    event.save()
    assert new_event.rescheduled_from.get() == event


def test_rescheduled_event_must_name_its_new_date(event):
    event.status = EventStatus.RESCHEDULED
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "rescheduled_to" in error.value.message_dict


def test_event_city_must_belong_to_its_district(event, district):
    other = make_district("Ennepe-Ruhr-Kreis", slug="en", ki_name="KI EN")
    event.city = make_city("Witten", district=other)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "city" in error.value.message_dict


def test_event_organizer_defaults_to_the_districts_integration_centre(event, offer):
    assert event.organizer_name == "Kommunales Integrationszentrum Kreis Unna"
    event.organizer = offer.provider
    assert event.organizer_name == "AWO Lünen"


def test_a_page_cannot_be_placed_below_itself():
    parent = Page.objects.create(title_de="Über uns", slug="ueber-uns")
    child = Page.objects.create(title_de="Konzept", slug="konzept", parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()


def test_upcoming_events_include_running_ones_and_leave_out_past_ones(event, district):
    now = timezone.now()
    EventDate.objects.create(
        event=event, start=now - dt.timedelta(days=2), end=now + dt.timedelta(days=2)
    )
    past = Event.objects.create(title_de="Vorbei", slug="vorbei", district=district)
    EventDate.objects.create(event=past, start=now - dt.timedelta(days=9))
    later = Event.objects.create(title_de="Bald", slug="bald", district=district)
    EventDate.objects.create(event=later, start=now + dt.timedelta(days=9))
    EventDate.objects.create(event=later, start=now + dt.timedelta(days=10))
    assert list(Event.objects.upcoming().order_by("slug")) == [later, event]
