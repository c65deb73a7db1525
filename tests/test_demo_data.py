"""The demo data set (fixtures/demo): what someone trying out the portal would notice."""

import datetime
import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from events.models import Event
from offers.models import Offer
from pages.models import Page
from places.models import City, District
from vocabularies.models import Category, OfferLanguage

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
BERLIN = ZoneInfo("Europe/Berlin")
PORTAL_APPS = ["vocabularies", "places", "providers", "offers", "events", "pages"]

# Zensus 2011, from the district's integration concept: (population, with migration background)
KREIS_UNNA_POPULATION = {
    "bergkamen": (49011, 12390),
    "boenen": (18018, 4150),
    "froendenberg": (20928, 3560),
    "holzwickede": (16755, 2820),
    "kamen": (43815, 9080),
    "luenen": (86010, 29190),
    "schwerte": (46743, 9590),
    "selm": (26017, 3540),
    "unna": (59149, 14320),
    "werne": (29614, 4060),
}


def fixture_files():
    return sorted(str(path) for path in DEMO_DIR.glob("*.json"))


@pytest.fixture
def demo(demo_fixtures):
    """The fixture files loaded (shared between the tests, see tests/conftest.py)."""


def portal_models():
    for app in PORTAL_APPS:
        yield from apps.get_app_config(app).get_models()


def is_example_org(host):
    return host == "example.org" or host.endswith(".example.org")


def test_the_seven_fixture_files_are_there():
    assert [Path(name).name for name in fixture_files()] == [
        "01_vocabularies.json",
        "02_places.json",
        "03_providers.json",
        "04_offers.json",
        "05_events.json",
        "06_pages.json",
        "07_suggestions.json",
    ]


@pytest.mark.django_db
def test_every_object_passes_model_validation(demo):
    errors = []
    for model in portal_models():
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except Exception as error:
                errors.append(f"{model.__name__} {obj.pk}: {error}")
    assert errors == []


@pytest.mark.django_db
def test_enough_offers_are_publicly_visible(demo):
    assert Offer.objects.published().count() >= 60


@pytest.mark.django_db
def test_every_kreis_unna_city_has_at_least_four_visible_offers(demo):
    unna = District.objects.get(slug="kreis-unna")
    assert set(unna.cities.values_list("slug", flat=True)) == set(KREIS_UNNA_POPULATION)
    visible = Counter(Offer.objects.published().values_list("city__slug", flat=True))
    assert {slug: visible[slug] for slug in KREIS_UNNA_POPULATION if visible[slug] < 4} == {}


@pytest.mark.django_db
def test_every_category_has_at_least_three_visible_offers(demo):
    assert Category.objects.count() == 12
    visible = Offer.objects.published()
    thin = {
        category.slug: count
        for category in Category.objects.all()
        if (count := visible.filter(categories=category).count()) < 3
    }
    assert thin == {}


@pytest.mark.django_db
def test_drafts_archived_and_expired_offers_are_not_public(demo):
    statuses = Counter(Offer.objects.values_list("publication_status", flat=True))
    assert statuses["draft"] == 2
    assert statuses["archived"] == 1

    expired = Offer.objects.filter(
        publication_status="published", valid_until__lt=datetime.date.today()
    )
    assert expired.count() == 1
    offer = expired.get()
    assert offer.valid_until == datetime.date(2024, 12, 31)
    assert offer not in Offer.objects.published()
    # It was visible while it ran.
    assert offer in Offer.objects.published(today=datetime.date(2024, 8, 1))

    hidden = Offer.objects.exclude(pk__in=Offer.objects.published())
    assert hidden.count() == 4


@pytest.mark.django_db
def test_badminton_offer_is_as_in_the_recklinghausen_database(demo):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    assert offer.is_published
    assert offer in Offer.objects.published()
    assert (offer.name_de, offer.name_en) == ("Badminton", "Badminton")
    assert offer.city.name_de == "Castrop-Rauxel"
    assert offer.city.district.slug == "kreis-recklinghausen"

    venue = offer.venue
    assert venue.name == "Turnhalle Fridtjof-Nansen-Realschule"
    assert venue.address == "Lange Straße 18, 44579 Castrop-Rauxel"
    assert venue.quarter == "Habinghorst"
    assert abs(venue.latitude - Decimal("51.5766")) < Decimal("0.01")
    assert abs(venue.longitude - Decimal("7.3127")) < Decimal("0.01")

    assert offer.provider.name == "Turnerbund Rauxel 1892 e.V."
    assert offer.provider.address == "Leostraße 7, 44579 Castrop-Rauxel"

    assert set(offer.categories.values_list("label_de", flat=True)) == {
        "Freizeit/Kultur",
        "Sport",
    }
    assert list(offer.languages.values_list("slug", flat=True)) == ["german"]
    assert set(offer.genders.values_list("slug", flat=True)) == {"female", "male"}
    assert offer.migration_background.slug == "open-to-all"
    assert list(offer.age_groups.values_list("slug", flat=True)) == ["all-ages"]

    assert offer.contact_name
    assert offer.contact_email.endswith("@example.org")
    assert is_example_org(urlsplit(offer.homepage).hostname)


@pytest.mark.django_db
def test_every_visible_offer_is_complete(demo):
    problems = []
    for offer in Offer.objects.published().select_related("venue", "provider"):
        missing = [
            field
            for field in (
                "name_de",
                "name_en",
                "short_description_de",
                "short_description_en",
                "description_de",
                "description_en",
                "schedule_de",
                "schedule_en",
                "contact_name",
                "contact_email",
                "last_reviewed",
            )
            if not getattr(offer, field)
        ]
        if offer.venue is None or not offer.venue.has_coordinates:
            missing.append("venue with coordinates")
        elif offer.venue.city_id != offer.city_id:
            missing.append("venue in the offer's city")
        if not offer.categories.exists():
            missing.append("categories")
        if not offer.age_groups.exists():
            missing.append("age_groups")
        if not offer.is_free and not (offer.costs_de and offer.costs_en):
            missing.append("costs")
        if missing:
            problems.append(f"{offer.slug}: {', '.join(missing)}")
    assert problems == []


@pytest.mark.django_db
def test_vocabularies_are_all_in_use(demo):
    visible = Offer.objects.published()
    languages = Counter(visible.values_list("languages__slug", flat=True))
    languages.pop(None, None)
    assert languages.most_common(1)[0][0] == "german"
    assert {slug: n for slug, n in languages.items() if n < 2} == {}
    assert set(OfferLanguage.objects.values_list("slug", flat=True)) == set(languages)
    assert OfferLanguage.objects.order_by("position").first().slug == "not-fixed"

    for relation in ("migration_background__slug", "age_groups__slug"):
        field = relation.split("__")[0]
        model = Offer._meta.get_field(field).related_model
        used = set(visible.values_list(relation, flat=True)) - {None}
        assert used == set(model.objects.values_list("slug", flat=True)), relation

    assert {"female", "male"} <= set(visible.values_list("genders__slug", flat=True))
    female_only = [
        offer
        for offer in visible
        if list(offer.genders.values_list("slug", flat=True)) == ["female"]
    ]
    assert len(female_only) >= 3


@pytest.mark.django_db
def test_cities_have_census_figures_and_coordinates(demo):
    for slug, (population, with_background) in KREIS_UNNA_POPULATION.items():
        city = City.objects.get(slug=slug)
        assert (city.population, city.population_with_migration_background) == (
            population,
            with_background,
        ), slug
    for city in City.objects.all():
        assert city.has_coordinates, city.slug
        assert Decimal("50.9") < city.latitude < Decimal("52.0"), city.slug
        assert Decimal("6.8") < city.longitude < Decimal("7.9"), city.slug
    assert City.objects.filter(district__slug="kreis-recklinghausen").count() == 10


@pytest.mark.django_db
def test_every_email_address_and_link_is_at_example_org(demo):
    bad = []
    for model in portal_models():
        fields = [
            field
            for field in model._meta.get_fields()
            if isinstance(field, (models.EmailField, models.URLField))
        ]
        for obj in model.objects.all():
            for field in fields:
                value = getattr(obj, field.attname)
                if not value:
                    continue
                if isinstance(field, models.EmailField):
                    host = value.rsplit("@", 1)[1]
                else:
                    host = urlsplit(value).hostname
                if not is_example_org(host):
                    bad.append(f"{model.__name__} {obj.pk} {field.name}: {value}")

    # Addresses written into texts (page bodies, descriptions) count too.
    address = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
    for name in fixture_files():
        text = Path(name).read_text(encoding="utf-8")
        for value in json.loads(text):
            for field_value in value["fields"].values():
                if isinstance(field_value, str):
                    bad.extend(
                        f"{Path(name).name}: {host}"
                        for host in address.findall(field_value)
                        if not is_example_org(host)
                    )
    assert bad == []


def berlin(event_date):
    start = event_date.start.astimezone(BERLIN)
    end = event_date.end.astimezone(BERLIN) if event_date.end else None
    return start, end


@pytest.mark.django_db
def test_ennepe_ruhr_events_have_their_dates_and_statuses(demo):
    expected = {
        "healing-classrooms-workshop-3-2020": ("postponed", ["2020-04-22"]),
        "healing-classrooms-workshop-4-2020": ("scheduled", ["2020-05-28"]),
        "laien-sprachmittlerpool-grundlagenschulung-witten-2020": (
            "confirmed",
            ["2020-08-24", "2020-08-26", "2020-08-31"],
        ),
        "schulung-trauma-2020": ("postponed", ["2020-09-11"]),
        "woche-der-vielfalt-2020": ("confirmed", ["2020-09-26"]),
        "lass-mal-reden-wessen-erinnerung-zaehlt-2020": ("scheduled", ["2020-09-30"]),
        "workshop-akteure-integrationsarbeit-2020": ("scheduled", ["2020-10-07"]),
        "bewegungsorientierte-sprachbildung-2020": ("postponed", ["2020-10-28"]),
        "landtagsbesuch-gefluechtete-2020": ("scheduled", ["2020-11-04"]),
        "lass-mal-reden-diversitaet-sport-gesellschaft-2020": ("postponed", ["2020-11-26"]),
        "integrationskonferenz-2019": ("confirmed", ["2019-07-04"]),
        "woche-der-vielfalt-2019": ("confirmed", ["2019-09-23"]),
        "laien-sprachmittlerpool-grundlagenschulung-hattingen-2020": (
            "scheduled",
            ["2020-04-21", "2020-04-23", "2020-04-28"],
        ),
    }
    ki = District.objects.get(slug="ennepe-ruhr-kreis")
    actual = {}
    for event in Event.objects.published().prefetch_related("dates"):
        assert event.district == ki, event.slug
        assert event.organizer_name == "Kommunales Integrationszentrum Ennepe-Ruhr-Kreis"
        dates = [berlin(date)[0].date().isoformat() for date in event.dates.all()]
        actual[event.slug] = (event.status, dates)
    assert actual == expected

    for slug in (
        "schulung-trauma-2020",
        "bewegungsorientierte-sprachbildung-2020",
        "lass-mal-reden-diversitaet-sport-gesellschaft-2020",
    ):
        assert Event.objects.get(slug=slug).status_note_de == "verschoben auf 2021"
    assert Event.objects.get(
        slug="lass-mal-reden-diversitaet-sport-gesellschaft-2020"
    ).city.slug == ("gevelsberg")
    workshop = Event.objects.get(slug="healing-classrooms-workshop-4-2020")
    start, end = berlin(workshop.dates.get())
    assert (start.time(), end.time()) == (datetime.time(13), datetime.time(17))
    assert workshop.venue.name == "Kreishaus Schwelm"
    assert workshop.venue.address == "Hauptstraße 92, 58332 Schwelm"


@pytest.mark.django_db
def test_witten_training_has_three_afternoons(demo):
    training = Event.objects.get(slug="laien-sprachmittlerpool-grundlagenschulung-witten-2020")
    assert training.city.slug == "witten"
    assert training.venue.name == "Gesundheitsamt Witten"
    assert training.venue.address == "Schwanenmarkt 5-7, 58452 Witten"
    assert training.venue_note_de == "Belehrungsraum"
    assert training.registration_required
    assert training.registration_email.endswith("@example.org")
    assert list(training.target_groups.values_list("slug", flat=True)) == [
        "people-with-language-skills"
    ]
    dates = [berlin(date) for date in training.dates.all()]
    assert [start for start, _end in dates] == [
        datetime.datetime(2020, 8, day, 15, 0, tzinfo=BERLIN) for day in (24, 26, 31)
    ]
    assert [end for _start, end in dates] == [
        datetime.datetime(2020, 8, day, 19, 0, tzinfo=BERLIN) for day in (24, 26, 31)
    ]


@pytest.mark.django_db
def test_woche_der_vielfalt_2020_spans_nine_days_across_the_district(demo):
    week = Event.objects.get(slug="woche-der-vielfalt-2020")
    assert week.status == "confirmed"
    assert week.city is None
    assert week.venue is None
    assert week.venue_note_de == "kreisweit"
    date = week.dates.get()
    assert date.date_only
    start, end = berlin(date)
    assert (start.date(), end.date()) == (datetime.date(2020, 9, 26), datetime.date(2020, 10, 4))
    programme = week.attachments.get(kind="programme")
    assert programme.file == ""
    assert programme.href.startswith("https://www.example.org/")


@pytest.mark.django_db
def test_past_events_link_programme_and_documentation(demo):
    conference = Event.objects.get(slug="integrationskonferenz-2019")
    assert conference.venue.name == "Henrichshütte Hattingen"
    assert conference.venue.address == "Werksstraße 31-33, 45527 Hattingen"
    assert set(conference.attachments.values_list("kind", flat=True)) == {
        "programme",
        "documentation",
    }
    hattingen = Event.objects.get(slug="laien-sprachmittlerpool-grundlagenschulung-hattingen-2020")
    assert hattingen.venue.address == "Talstraße 8, 45525 Hattingen"


@pytest.mark.django_db
def test_the_information_pages_exist(demo):
    pages = {page.slug: page for page in Page.objects.published()}
    assert set(pages) == {
        "ueber-uns",
        "integrationskonzept",
        "impressum",
        "datenschutz",
        "barrierefreiheit",
    }
    assert pages["integrationskonzept"].parent == pages["ueber-uns"]
    assert {slug for slug, page in pages.items() if page.show_in_footer} == {
        "impressum",
        "datenschutz",
        "barrierefreiheit",
    }
    for page in pages.values():
        for field in ("title_de", "title_en", "summary_de", "summary_en", "body_de", "body_en"):
            assert getattr(page, field), f"{page.slug}.{field}"
    assert len(pages["ueber-uns"].body_de.split("\n\n")) >= 2
    assert "49.011" in pages["integrationskonzept"].body_de
    assert "23,4" in pages["integrationskonzept"].body_de
