"""`make run` loads the demo data on the first start only, so staff changes survive."""

import pytest
from django.core.management import call_command

from offers.models import Offer

pytestmark = pytest.mark.django_db


def test_first_run_loads_the_demo_data():
    call_command("load_demo", "--if-empty", verbosity=0)
    assert Offer.objects.published().count() >= 60


def test_later_runs_keep_what_staff_changed(demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.name_de = "Badminton für alle"
    offer.save()
    call_command("load_demo", "--if-empty", verbosity=0)
    offer.refresh_from_db()
    assert offer.name_de == "Badminton für alle"
