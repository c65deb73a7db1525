"""The shared data sets of tests/conftest.py: each test sees them freshly loaded, and a test
without them sees an empty database."""

import pytest

from events.models import Event
from offers.models import Offer

BADMINTON = "badminton-castrop-rauxel"


@pytest.mark.django_db
def test_without_demo_data_the_database_is_empty():
    assert not Offer.objects.exists()


def test_a_test_changes_the_demo_data(demo_data):
    Offer.objects.filter(slug=BADMINTON).delete()
    assert not Offer.objects.filter(slug=BADMINTON).exists()


def test_the_next_test_gets_it_back(demo_data):
    assert Offer.objects.filter(slug=BADMINTON).exists()


def test_the_fixture_files_alone_have_no_upcoming_events(demo_fixtures):
    # load_demo writes the upcoming events after the fixtures; loaddata alone does not.
    assert not Event.objects.filter(slug="sprachcafe-unna").exists()
    assert Offer.objects.filter(slug=BADMINTON).exists()
