"""The generate_offers management command: synthetic offers for benchmarks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from offers.models import Offer
from places.models import Venue
from providers.models import Provider
from tests.factories import make_city, make_district, make_provider, make_vocabulary
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage


def vocabulary(model, slug, label, **extra):
    # Fills the untranslated label column as well as label_de.
    return make_vocabulary(model, label, slug=slug, label=label, **extra)


@pytest.fixture
def minimal_data(db):
    district = make_district(
        "Kreis Unna", name="Kreis Unna", ki_name="Kommunales Integrationszentrum Kreis Unna"
    )
    make_city(
        "Lünen",
        name="Lünen",
        district=district,
        population=86000,
        latitude="51.616700",
        longitude="7.528600",
    )
    make_city("Holzwickede", name="Holzwickede", district=district)
    vocabulary(Category, "sprache", "Sprache und Deutschkurse")
    vocabulary(Category, "beratung", "Beratung")
    vocabulary(Category, "wohnen", "Wohnen")
    vocabulary(Category, "sport", "Sport")
    vocabulary(OfferLanguage, "de", "Deutsch")
    vocabulary(OfferLanguage, "en", "Englisch")
    vocabulary(OfferLanguage, "ar", "Arabisch")
    vocabulary(OfferLanguage, "not-fixed", "nicht festgelegt")
    vocabulary(Gender, "female", "weiblich")
    vocabulary(Gender, "male", "männlich")
    vocabulary(MigrationBackground, "all", "Offen für alle")
    vocabulary(MigrationBackground, "newcomers", "Neuzugewanderte")
    vocabulary(AgeGroup, "all-ages", "für alle offen")
    vocabulary(AgeGroup, "children", "Kinder", min_age=6, max_age=12)
    vocabulary(AgeGroup, "youth", "Jugendliche", min_age=12, max_age=18)
    vocabulary(AgeGroup, "adults", "Erwachsene", min_age=18, max_age=65)
    vocabulary(AgeGroup, "seniors", "Seniorinnen und Senioren", min_age=65)


def generate(**options):
    out = StringIO()
    call_command("generate_offers", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_generates_offers_with_all_required_relations(minimal_data):
    output = generate(count=300, seed=1)

    assert "Created 300 offers" in output
    offers = Offer.objects.all()
    assert offers.count() == 300
    counted = offers.annotate(
        n_categories=Count("categories", distinct=True),
        n_age_groups=Count("age_groups", distinct=True),
    )
    assert not counted.filter(n_categories=0).exists()
    assert not counted.filter(n_age_groups=0).exists()
    assert not counted.filter(n_categories__gt=3).exists()
    assert not offers.filter(migration_background__isnull=True).exists()
    assert offers.filter(publication_status="published").count() > 240
    slugs = list(offers.values_list("slug", flat=True))
    assert len(set(slugs)) == 300
    assert all(slug.startswith("gen-") for slug in slugs)
    # The translated columns hold German text, and the plain column the same.
    offer = offers.first()
    assert offer.name_de
    assert Offer.objects.filter(name=offer.name_de).exists()
    # Bigger cities get more offers; providers and venues are generated too.
    assert (
        offers.filter(city__slug="luenen").count() > offers.filter(city__slug="holzwickede").count()
    )
    assert Provider.objects.filter(slug__startswith="gen-provider-").count() >= 5
    assert Venue.objects.filter(name__startswith="[gen-").exists()
    assert offers.filter(venue__isnull=False).exists()


@pytest.mark.django_db
def test_same_seed_gives_same_names_and_delete_generated_removes_them(minimal_data):
    generate(count=300, seed=1)
    first_names = list(Offer.objects.order_by("slug").values_list("name", flat=True))

    generate(count=300, seed=1, delete_generated=True)
    second_names = list(Offer.objects.order_by("slug").values_list("name", flat=True))
    assert second_names == first_names

    generate(count=0, delete_generated=True)
    assert not Offer.objects.exists()
    assert not Provider.objects.exists()
    assert not Venue.objects.exists()


@pytest.mark.django_db
def test_second_run_adds_offers_with_fresh_slugs(minimal_data):
    other_provider = make_provider("Echter Anbieter")
    generate(count=50, seed=1)
    generate(count=50, seed=1)

    assert Offer.objects.count() == 100
    assert Offer.objects.values("slug").distinct().count() == 100

    generate(count=0, delete_generated=True)
    assert not Offer.objects.exists()
    assert list(Provider.objects.all()) == [other_provider]


@pytest.mark.django_db
def test_missing_vocabulary_asks_for_the_minimal_data(minimal_data):
    AgeGroup.objects.all().delete()

    with pytest.raises(CommandError, match="load_demo"):
        generate(count=10, seed=1)
    assert not Offer.objects.exists()


@pytest.mark.django_db
def test_missing_cities_asks_for_the_minimal_data():
    vocabulary(Category, "sprache", "Sprache")

    with pytest.raises(CommandError, match="load_demo"):
        generate(count=10, seed=1)
