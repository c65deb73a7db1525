"""The limit of public suggestions per client and hour (issue 13, finding 7): counted in the
database atomically, so that concurrent submissions cannot all slip under it, and
independent of what editors do with what was sent."""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse

from offers.models import Suggestion
from operations.models import RateCounter
from tests.factories import make_city

pytestmark = pytest.mark.django_db

ARABIC_NOTE = "لقد أرسلت عدة رسائل خلال الساعة الماضية"


def suggestion_data(city, number):
    return {
        "name": f"Nähcafé {number}",
        "provider_name": "Nachbarschaftsverein",
        "city": city.pk,
        "description": "Gemeinsam nähen und Deutsch sprechen.",
        "where_when": "",
        "languages": "",
        "contact": "",
        "homepage": "",
        "message": "",
        "email": "",
        "website": "",
    }


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_store_exactly_the_limit(settings):
    settings.PORTAL_SUGGESTIONS_PER_HOUR = 5
    city = make_city("Kamen")
    start = threading.Barrier(20)
    # PostgreSQL takes the 20 at once. SQLite's in-memory test database (shared cache)
    # refuses any concurrent write at once instead of waiting, whatever the code does, so
    # there the threads take turns; a file database (make run) waits for its turn itself.
    one_at_a_time = threading.Lock() if connection.vendor == "sqlite" else nullcontext()

    def submit(number):
        client = Client()
        try:
            start.wait()
            with one_at_a_time:
                response = client.post("/ar/offers/suggest/", suggestion_data(city, number))
            return response.status_code, response.content.decode()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(submit, range(20)))

    statuses = sorted(status for status, _html in answers)
    assert statuses == [302] * 5 + [429] * 15
    assert Suggestion.objects.count() == 5
    for status, html in answers:
        if status == 429:
            assert '<html lang="ar" dir="rtl"' in html and ARABIC_NOTE in html


def test_moderating_a_suggestion_frees_no_slot(client, staff_client, settings):
    settings.PORTAL_SUGGESTIONS_PER_HOUR = 2
    city = make_city("Kamen")
    # A form sent back with errors takes no slot: a resident correcting a typo goes on.
    for _attempt in range(3):
        response = client.post("/de/offers/suggest/", {**suggestion_data(city, 0), "name": ""})
        assert response.status_code == 200
    for number in range(2):
        assert client.post("/de/offers/suggest/", suggestion_data(city, number)).status_code == 302
    first, second = Suggestion.objects.order_by("pk")
    staff_client.post(reverse("admin:offers_suggestion_reject", args=[first.pk]))
    staff_client.post(reverse("admin:offers_suggestion_reject", args=[second.pk]))
    assert not Suggestion.objects.filter(status="open").exists()

    response = client.post("/de/offers/suggest/", suggestion_data(city, 3))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Suggestion.objects.count() == 2


def test_counters_of_past_hours_are_cleaned_up(client, settings):
    settings.PORTAL_SUGGESTIONS_PER_HOUR = 1
    city = make_city("Kamen")
    assert client.post("/de/offers/suggest/", suggestion_data(city, 0)).status_code == 302
    assert RateCounter.objects.count() == 1
    # An hour later the client may send again, and the old counter goes.
    RateCounter.objects.update(window_start=F("window_start") - timedelta(hours=1))
    assert client.post("/de/offers/suggest/", suggestion_data(city, 1)).status_code == 302
    assert RateCounter.objects.count() == 1
    RateCounter.objects.update(window_start=F("window_start") - timedelta(hours=1))
    call_command("purge_suggestions", verbosity=0)
    assert not RateCounter.objects.exists()
