"""What the search tests compute for themselves: which offers a facet selection admits and
how many there are, with plain ORM queries (never by the search engine under test)."""

from django.db.models import Q

from offers.models import Offer
from places.models import City
from providers.models import Provider
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage

# facet parameter -> (model of its values, Offer lookup, values of one offer are many?)
FACETS = {
    "city": (City, "city", False),
    "category": (Category, "categories", True),
    "language": (OfferLanguage, "languages", True),
    "gender": (Gender, "genders", True),
    "migration": (MigrationBackground, "migration_background", False),
    "age": (AgeGroup, "age_groups", True),
    "provider": (Provider, "provider", False),
}


def facet_q(name, slugs):
    _model, lookup, _many = FACETS[name]
    condition = Q(**{f"{lookup}__slug__in": slugs})
    if name == "gender":  # an offer naming no gender is open to all
        condition |= Q(genders__isnull=True)
    return condition


def expected_count(selection, ids=None, leave_out=None, extra=None):
    """How many published offers match ``selection`` ({facet: [slugs]}), leaving out the
    facet ``leave_out`` and adding ``extra`` ((facet, [slugs])), as a facet's count does;
    among the offers with the primary keys ``ids`` only, if given (those a text or place
    search found)."""
    offers = Offer.objects.published()
    if ids is not None:
        offers = offers.filter(pk__in=ids)
    for name, slugs in selection.items():
        if name != leave_out:
            offers = offers.filter(facet_q(name, slugs))
    if extra:
        offers = offers.filter(facet_q(*extra))
    return offers.distinct().count()
