"""Names inside translated sentences are isolated with <bdi> (issue 15, item 3): on an
Arabic page, a German organizer, district, city or offer name at the end of a sentence
would otherwise take the sentence's punctuation (its full stop, comma or bracket) to the
wrong side."""

import pytest
from django.utils.html import escape
from django.utils.translation import gettext, override

from events.models import Event
from offers.models import Offer
from places.models import City
from tests.pages import html_of

pytestmark = pytest.mark.django_db


def arabic(message, **values):
    """The Arabic sentence with each value isolated, as the page must show it."""
    with override("ar"):
        return gettext(message) % {
            name: f"<bdi>{escape(value)}</bdi>" for name, value in values.items()
        }


def test_the_organizer_in_an_event_card_is_isolated(client, demo_data):
    html = html_of(client.get("/ar/events/"))
    organizers = {event.organizer_name for event in Event.objects.select_related("organizer")}
    with override("ar"):
        bare = [
            gettext("Organized by %(organizer)s") % {"organizer": escape(name)}
            for name in organizers
        ]
    isolated = [arabic("Organized by %(organizer)s", organizer=name) for name in organizers]
    assert any(sentence in html for sentence in isolated)
    assert not any(sentence in html for sentence in bare)


def test_an_event_across_the_district_isolates_the_districts_name(client, demo_data):
    # The demo's festival week takes place across the district.
    event = Event.objects.filter(city__isnull=True, venue__isnull=True, venue_note="").first()
    assert event is not None
    with override("ar"):
        district = event.district.name
    html = html_of(client.get(f"/ar/events/{event.slug}/"))
    assert arabic("%(district)s, across the district", district=district) in html


def test_the_report_page_isolates_the_offer_and_its_city(client, demo_data):
    offer = Offer.objects.published().select_related("city").first()
    with override("ar"):
        name, city = offer.name, offer.city.name
    html = html_of(client.get(f"/ar/offers/{offer.slug}/report/"))
    assert f"><bdi>{escape(name)}</bdi></a> (<bdi>{escape(city)}</bdi>)" in html


def test_the_city_page_isolates_the_city_in_its_heading_and_links(client, demo_data):
    city = City.objects.get(slug="unna")
    with override("ar"):
        name = city.name
    html = html_of(client.get("/ar/cities/unna/"))
    assert arabic("Offers in %(city)s", city=name) in html
    assert arabic("All events in %(city)s", city=name) in html
    # The page title is text, not HTML: no <bdi> there.
    title = html.split("<title>")[1].split("</title>")[0]
    assert "bdi" not in title


def test_a_provider_name_ending_in_a_full_stop_keeps_it_on_an_arabic_offer_page(client, demo_data):
    offer = Offer.objects.published().filter(provider__name__endswith=".").first()
    html = html_of(client.get(f"/ar/offers/{offer.slug}/"))
    assert f"<bdi>{escape(offer.provider.name)}</bdi></a>" in html
    results = html_of(client.get("/ar/offers/", {"q": offer.name}))
    assert f"<bdi>{escape(offer.provider.name)}</bdi> · " in results


def test_phone_numbers_and_addresses_inside_a_free_text_are_isolated(client, demo_data):
    offer = Offer.objects.published().first()
    offer.description_ar = "اتصل على 0123 4567-100 أو info@example.org، من 10 - 12 سنة."
    offer.save()
    html = html_of(client.get(f"/ar/offers/{offer.slug}/"))
    assert '<bdi dir="ltr">0123 4567-100</bdi>' in html
    assert '<bdi dir="ltr">info@example.org</bdi>' in html
    assert "10 - 12" in html  # a short range is no phone number: left as it is


def test_a_free_text_stays_escaped_around_what_it_isolates(client, demo_data):
    offer = Offer.objects.published().first()
    offer.description_de = "<script>x</script> Tel. 0123 4567-100"
    offer.save()
    html = html_of(client.get(f"/de/offers/{offer.slug}/"))
    assert "<script>x</script>" not in html
    assert '&lt;script&gt;x&lt;/script&gt; Tel. <bdi dir="ltr">0123 4567-100</bdi>' in html
