"""KI staff work in the admin: every page opens, and the daily tasks work end to end."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from events.models import Event
from offers.models import Offer, Suggestion
from places.models import Venue
from providers.models import Provider
from tests.factories import make_city, make_district, make_vocabulary
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage

pytestmark = pytest.mark.django_db

# The translations entry is an overview page, not a list of editable records; its own tests
# are in test_translation_exchange.py.
REGISTERED_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label != "translations"),
    key=lambda model: model._meta.label,
)


def admin_url(app_label, model_name, view, *args):
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_every_admin_page_opens_for_staff(staff_client, demo_data, model):
    app_label, model_name = model._meta.app_label, model._meta.model_name
    assert staff_client.get(admin_url(app_label, model_name, "changelist")).status_code == 200
    # Suggestions come from the public forms only, login attempts from the login; the admin
    # has no "add" for them.
    expected_add = 403 if model is Suggestion or app_label == "axes" else 200
    assert staff_client.get(admin_url(app_label, model_name, "add")).status_code == expected_add
    obj = model._default_manager.first()
    if obj is not None:
        response = staff_client.get(admin_url(app_label, model_name, "change", obj.pk))
        assert response.status_code == 200


def test_the_demo_data_fills_every_admin_list(demo_data):
    for model in REGISTERED_MODELS:
        # Accounts and their login records (lockout, second factor) are no demo content.
        if model._meta.app_label in {"auth", "axes", "otp_totp", "otp_static"}:
            continue
        assert model._default_manager.exists(), f"no demo data for {model.__name__}"


def test_changelist_search_and_filters_answer(staff_client, demo_data):
    url = admin_url("offers", "offer", "changelist")
    response = staff_client.get(url, {"q": "Badminton"})
    assert response.status_code == 200
    assert "Badminton" in response.content.decode()
    response = staff_client.get(url, {"publication_status__exact": "draft"})
    assert response.status_code == 200
    response = staff_client.get(
        admin_url("events", "event", "changelist"), {"status__exact": "postponed"}
    )
    assert response.status_code == 200


def test_autocomplete_finds_providers_cities_and_venues(staff_client, demo_data):
    for app_label, model_name, field, term in [
        ("offers", "offer", "provider", "Turnerbund"),
        ("offers", "offer", "city", "Castrop"),
        ("offers", "offer", "venue", "Fridtjof"),
    ]:
        response = staff_client.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field, "term": term},
        )
        assert response.status_code == 200
        assert response.json()["results"], f"autocomplete for {field} found nothing"


def test_admin_pages_load_no_asset_from_another_host(staff_client, demo_data):
    offer = Offer.objects.first()
    html = staff_client.get(admin_url("offers", "offer", "change", offer.pk)).content.decode()
    assert "googleapis" not in html
    assert 'src="//' not in html and 'href="//' not in html
    assert "vendor/jquery-ui/jquery-ui.min.js" in html


def test_admin_offer_form_shows_german_and_english_fields(staff_client, demo_data):
    html = staff_client.get(admin_url("offers", "offer", "add")).content.decode()
    for field in ("name_de", "name_en", "description_de", "description_en"):
        assert f'name="{field}"' in html


def test_view_on_site_opens_the_public_page(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    change_page = staff_client.get(admin_url("offers", "offer", "change", offer.pk))
    assert "/admin/r/" in change_page.content.decode()
    content_type = ContentType.objects.get_for_model(Offer)
    response = staff_client.get(
        reverse("admin:view_on_site", args=[content_type.pk, offer.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Badminton" in response.content.decode()


@pytest.fixture
def vocabulary(db):
    district = make_district("Kreis Unna")
    return {
        "district": district,
        "city": make_city("Unna", district=district),
        "category": make_vocabulary(Category, "Sport"),
        "language": make_vocabulary(OfferLanguage, "Deutsch", slug="german"),
        "gender": make_vocabulary(Gender, "weiblich", slug="female"),
        "migration": make_vocabulary(MigrationBackground, "für alle offen", slug="open-to-all"),
        "age_group": make_vocabulary(AgeGroup, "alle", slug="all-ages"),
    }


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_staff_creates_provider_venue_offer_and_event_in_the_admin(staff_client, vocabulary):
    """The foundation's "done when": everything a KI needs, entered through the admin."""
    city = vocabulary["city"]
    response = staff_client.post(
        admin_url("providers", "provider", "add"),
        {
            "name": "Familienzentrum Regenbogen",
            "slug": "familienzentrum-regenbogen",
            "description_de": "Ein Familienzentrum mit offenen Angeboten.",
            "description_en": "A family centre with open activities.",
            "street": "Bahnhofstraße 1",
            "postcode": "59423",
            "city": city.pk,
            "phone": "02303 000000",
            "email": "info@example.org",
            "website": "https://www.example.org/",
            **inline_management("contact_persons", total=1),
            "contact_persons-0-name": "Erika Beispiel",
            "contact_persons-0-role_de": "Leitung",
            "contact_persons-0-role_en": "Head",
            "contact_persons-0-email": "erika@example.org",
            "contact_persons-0-position": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    provider = Provider.objects.get(slug="familienzentrum-regenbogen")
    assert provider.contact_persons.get().name == "Erika Beispiel"

    response = staff_client.post(
        admin_url("places", "venue", "add"),
        {
            "name": "Turnhalle am Park",
            "street": "Parkweg 3",
            "postcode": "59423",
            "city": city.pk,
            "quarter": "Königsborn",
            "latitude": "51.537100",
            "longitude": "7.689600",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    venue = Venue.objects.get(name="Turnhalle am Park")
    assert (venue.latitude, venue.longitude) == (Decimal("51.537100"), Decimal("7.689600"))

    response = staff_client.post(
        admin_url("offers", "offer", "add"),
        {
            "name_de": "Schwimmkurs für Frauen",
            "name_en": "Swimming course for women",
            "slug": "schwimmkurs-fuer-frauen",
            "short_description_de": "Schwimmen lernen in kleiner Gruppe.",
            "short_description_en": "Learn to swim in a small group.",
            "description_de": "Ein Kurs nur für Frauen, mit Trainerin.",
            "description_en": "A course for women only, with a female trainer.",
            "categories": [vocabulary["category"].pk],
            "provider": provider.pk,
            "city": city.pk,
            "venue": venue.pk,
            "languages": [vocabulary["language"].pk],
            "genders": [vocabulary["gender"].pk],
            "migration_background": vocabulary["migration"].pk,
            "age_groups": [vocabulary["age_group"].pk],
            "schedule_de": "montags 10 bis 11 Uhr",
            "schedule_en": "Mondays 10 to 11 am",
            "is_free": "on",
            "wheelchair_access": "yes",
            "contact_name": "Erika Beispiel",
            "contact_email": "erika@example.org",
            "publication_status": "published",
            "last_reviewed": "2026-11-01",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    offer = Offer.objects.get(slug="schwimmkurs-fuer-frauen")
    assert (offer.name_de, offer.name_en) == ("Schwimmkurs für Frauen", "Swimming course for women")
    assert offer.venue.has_coordinates
    assert list(offer.genders.all()) == [vocabulary["gender"]]
    assert staff_client.get("/en/offers/schwimmkurs-fuer-frauen/").status_code == 200

    response = staff_client.post(
        admin_url("events", "event", "add"),
        {
            "title_de": "Infoabend Schwimmkurs",
            "title_en": "Information evening on the swimming course",
            "slug": "infoabend-schwimmkurs",
            "status": "scheduled",
            "district": vocabulary["district"].pk,
            "city": city.pk,
            "venue": venue.pk,
            "organizer": provider.pk,
            "publication_status": "published",
            **inline_management("dates", total=1),
            "dates-0-start_0": "2026-12-03",
            "dates-0-start_1": "18:00",
            "dates-0-end_0": "2026-12-03",
            "dates-0-end_1": "19:30",
            **inline_management("cancelled_dates"),
            **inline_management("attachments"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="infoabend-schwimmkurs")
    date = event.dates.get()
    # Entered in Berlin time, stored in UTC: 18:00 CET is 17:00 UTC.
    assert date.start == dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)


def test_admin_rejects_an_offer_without_german_name(staff_client, vocabulary):
    response = staff_client.post(
        admin_url("offers", "offer", "add"),
        {"name_en": "Only English", "slug": "only-english", "city": vocabulary["city"].pk},
    )
    assert response.status_code == 200
    assert "name_de" in response.context["adminform"].form.errors
    assert not Offer.objects.exists()


def test_admin_rejects_a_rescheduled_event_without_its_new_date(staff_client, vocabulary):
    response = staff_client.post(
        admin_url("events", "event", "add"),
        {
            "title_de": "Workshop",
            "slug": "workshop",
            "status": "rescheduled",
            "district": vocabulary["district"].pk,
            "publication_status": "draft",
            **inline_management("dates", total=1),
            "dates-0-start_0": "2026-12-03",
            "dates-0-start_1": "18:00",
            **inline_management("cancelled_dates"),
            **inline_management("attachments"),
        },
    )
    assert response.status_code == 200
    assert "rescheduled_to" in response.context["adminform"].form.errors
    assert not Event.objects.exists()


def test_venue_with_only_half_a_coordinate_gets_a_clear_message(staff_client, vocabulary):
    response = staff_client.post(
        admin_url("places", "venue", "add"),
        {"name": "Halle", "city": vocabulary["city"].pk, "latitude": "51.5", "longitude": ""},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "longitude" in errors
    assert not Venue.objects.exists()
