"""Small builders for the places, providers and vocabularies tests make by hand.

Plain functions: each takes the German name (or label) and makes up the rest the way the
tests did (a slug, an integration centre's name); any other field can be given as a
keyword (``name=`` fills the untranslated column as well).
They save the object and return it. Tests that need the full demo data set use the
``demo_data`` fixture instead.
"""

from django.utils.text import slugify

from places.models import City, District, Venue
from providers.models import Provider

# slugify strips the dots off umlauts ("Lünen" -> "lunen"); the portal's slugs spell them
# out ("luenen").
UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slug_for(name):
    return slugify(name.translate(UMLAUTS))


def make_district(name_de="Kreis Unna", *, slug=None, ki_name=None, **fields):
    """A district; its KI is called "KI <name>" unless ``ki_name`` says otherwise."""
    return District.objects.create(
        name_de=name_de,
        slug=slug or slug_for(name_de),
        ki_name=ki_name or f"KI {name_de}",
        **fields,
    )


def make_city(name_de="Unna", *, district=None, slug=None, **fields):
    """A city, in a new "Kreis Unna" unless a district is given."""
    return City.objects.create(
        name_de=name_de,
        slug=slug or slug_for(name_de),
        district=district or make_district(),
        **fields,
    )


def make_venue(city, name="Bürgerhaus", **fields):
    return Venue.objects.create(name=name, city=city, **fields)


def make_provider(name, *, slug=None, **fields):
    return Provider.objects.create(name=name, slug=slug or slug_for(name), **fields)


def make_vocabulary(model, label_de, *, slug=None, **fields):
    """An entry of a vocabulary (Category, OfferLanguage, Gender, TargetGroup, ...)."""
    return model.objects.create(label_de=label_de, slug=slug or slug_for(label_de), **fields)
