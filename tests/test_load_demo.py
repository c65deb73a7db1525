"""`make run` loads the demo data on the first start only, so staff changes survive."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

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


@pytest.mark.parametrize(
    ("username", "sees_unna", "sees_luenen"),
    [("ki-redaktion", True, True), ("stadt-unna", True, False), ("anbieter-vhs", False, False)],
)
def test_the_demo_has_one_account_per_role_to_log_in_with(
    client, demo_data, username, sees_unna, sees_luenen
):
    output = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=output)
    assert "password for each: demo" in output.getvalue()
    assert username in output.getvalue()

    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": "demo"},
    )
    assert response.status_code == 302 and response.url == "/admin/"
    offers = client.get(reverse("admin:offers_offer_changelist")).context["cl"].queryset
    assert offers.filter(city__slug="unna").exists() == sees_unna
    assert offers.filter(city__slug="luenen").exists() == sees_luenen
    if username == "anbieter-vhs":
        assert set(offers.values_list("provider__slug", flat=True)) == {"vhs-bergkamen"}
