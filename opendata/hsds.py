"""The portal's entries in the shapes of Open Referral HSDS 3.0.

offers → services, providers → organizations, venues → locations (an offer at its venue is
a service_at_location), the offer vocabularies → taxonomies and their values → taxonomy
terms. Every function returns plain dicts ready for JSON.

HSDS rejects ``null`` for an optional field, so a field without a value is left out
(``compact``), never written as null. Texts are read as attributes, in the active language:
modeltranslation falls back to German there (it does not in filter() or values()).

Identifiers: offers, providers, venues and vocabulary values carry a ``uuid`` column
(content.models.public_uuid_field). What has no row of its own (a taxonomy, an offer's
phone or contact, an offer at its venue) gets a name-based UUID (uuid5) derived from a
fixed namespace and the row it belongs to, so it is just as stable.
"""

import uuid

from django.utils.translation import gettext

from offers.models import Offer, WheelchairAccess
from vocabularies.models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/"
# Never change it: every derived identifier depends on it.
NAMESPACE = uuid.UUID("8f6f3c1e-4a8e-5d0b-9a51-3c1b2f0d7e44")


def derived_uuid(*parts):
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def compact(data):
    """``data`` without the keys whose value is None, "" or an empty list."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# --- Taxonomies --------------------------------------------------------------------------


class Taxonomy:
    """One of our vocabularies as an HSDS taxonomy: ``key`` is its stable name in the API,
    ``relation`` the Offer field that links offers to its values."""

    def __init__(self, key, model, relation, many=True):
        self.key = key
        self.model = model
        self.relation = relation
        self.many = many
        self.id = derived_uuid("taxonomy", key)

    @property
    def name(self):
        return str(self.model._meta.verbose_name_plural)


TAXONOMIES = [
    Taxonomy("categories", Category, "categories"),
    Taxonomy("offer_languages", OfferLanguage, "languages"),
    Taxonomy("genders", Gender, "genders"),
    Taxonomy("migration_backgrounds", MigrationBackground, "migration_background", many=False),
    Taxonomy("age_groups", AgeGroup, "age_groups"),
]
TAXONOMIES_BY_ID = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}
TAXONOMY_OF_MODEL = {taxonomy.model: taxonomy for taxonomy in TAXONOMIES}


def taxonomy(tax):
    return compact({"id": tax.id, "name": tax.name, "description": tax.name})


def taxonomy_term(term, detail=False):
    tax = TAXONOMY_OF_MODEL[type(term)]
    data = {
        "id": str(term.uuid),
        "code": term.slug,
        "name": term.label,
        # HSDS requires a description; our values have only their label.
        "description": term.label,
        "taxonomy": tax.key,
        "taxonomy_id": tax.id,
    }
    if detail:
        data["taxonomy_detail"] = taxonomy(tax)
    return compact(data)


def all_terms():
    """Every value of every taxonomy, taxonomy by taxonomy: one query each."""
    return [term for tax in TAXONOMIES for term in tax.model.objects.all()]


# --- Services ----------------------------------------------------------------------------

# ISO 639 codes of our offer languages, by slug; values without one (a group of languages,
# "not fixed") are given by name only.
LANGUAGE_CODES = {
    "albanian": "sq",
    "arabic": "ar",
    "bulgarian": "bg",
    "dari": "prs",
    "german": "de",
    "english": "en",
    "persian": "fa",
    "french": "fr",
    "greek": "el",
    "italian": "it",
    "kurdish": "ku",
    "pashto": "ps",
    "polish": "pl",
    "romanian": "ro",
    "russian": "ru",
    "somali": "so",
    "spanish": "es",
    "tigrinya": "ti",
    "turkish": "tr",
    "ukrainian": "uk",
}
NOT_FIXED_LANGUAGE = "not-fixed"
# HSDS requires a state in every address; the district lies in North Rhine-Westphalia.
STATE = "Nordrhein-Westfalen"


def services_queryset(queryset=None):
    """Published, currently valid offers with what a service needs, in a fixed number of
    queries whatever their number."""
    queryset = Offer.objects.published() if queryset is None else queryset
    return queryset.select_related(
        "provider", "venue", "venue__city", "migration_background"
    ).prefetch_related("categories", "languages", "genders", "age_groups")


def age_range(offer):
    """(minimum_age, maximum_age) over the offer's age groups, None where open-ended."""
    groups = list(offer.age_groups.all())
    if not groups:
        return None, None
    minimum = None if any(g.min_age is None for g in groups) else min(g.min_age for g in groups)
    maximum = None if any(g.max_age is None for g in groups) else max(g.max_age for g in groups) - 1
    return (minimum or None), maximum


def service(offer, absolute, detail=False):
    """``absolute(path)`` turns a path into an address (request.build_absolute_uri)."""
    minimum_age, maximum_age = age_range(offer)
    if offer.is_free:
        fees = gettext("free of charge")
        if offer.costs:
            fees = f"{fees}. {offer.costs}"
    else:
        fees = offer.costs
    data = {
        "id": str(offer.uuid),
        "organization_id": str(offer.provider.uuid),
        "name": offer.name,
        "description": offer.description or offer.short_description,
        "url": offer.homepage,
        "email": offer.contact_email,
        "status": "active",
        "application_process": gettext("registration required")
        if offer.registration_required
        else None,
        "fees_description": fees,
        "minimum_age": minimum_age,
        "maximum_age": maximum_age,
        "assured_date": offer.last_reviewed.isoformat() if offer.last_reviewed else None,
        "last_modified": offer.updated.isoformat(),
    }
    if detail:
        service_id = data["id"]
        data.update(
            organization=organization(offer.provider, absolute),
            languages=[
                compact(
                    {
                        "id": derived_uuid("language", service_id, language.slug),
                        "service_id": service_id,
                        "name": language.label,
                        "code": LANGUAGE_CODES.get(language.slug),
                    }
                )
                for language in offer.languages.all()
                if language.slug != NOT_FIXED_LANGUAGE
            ],
            schedules=[
                {
                    "id": derived_uuid("schedule", service_id),
                    "service_id": service_id,
                    "description": offer.schedule,
                }
            ]
            if offer.schedule
            else [],
            phones=[
                {
                    "id": derived_uuid("phone", service_id),
                    "service_id": service_id,
                    "number": offer.contact_phone,
                }
            ]
            if offer.contact_phone
            else [],
            contacts=[
                compact(
                    {
                        "id": derived_uuid("contact", service_id),
                        "service_id": service_id,
                        "name": offer.contact_name,
                        "email": offer.contact_email,
                    }
                )
            ]
            if offer.contact_name or offer.contact_email
            else [],
            service_at_locations=[service_at_location(offer)] if offer.venue_id else [],
            attributes=[attribute(offer, term) for term in offer_terms(offer)],
        )
    return compact(data)


def offer_terms(offer):
    """The vocabulary values the offer names, taxonomy by taxonomy (prefetched)."""
    terms = []
    for tax in TAXONOMIES:
        if tax.many:
            terms.extend(getattr(offer, tax.relation).all())
        else:
            terms.append(getattr(offer, tax.relation))
    return terms


def attribute(offer, term):
    return {
        "id": derived_uuid("attribute", offer.uuid, term.uuid),
        "link_id": str(offer.uuid),
        "link_type": TAXONOMY_OF_MODEL[type(term)].key,
        "link_entity": "service",
        "taxonomy_term_id": str(term.uuid),
        "taxonomy_term": taxonomy_term(term),
    }


# --- Organisations -----------------------------------------------------------------------


def organizations_queryset(queryset):
    return queryset.prefetch_related("contact_persons")


def organization(provider, absolute, detail=False):
    data = {
        "id": str(provider.uuid),
        "name": provider.name,
        "description": provider.description,
        "email": provider.email,
        "website": provider.website,
        "logo": absolute(provider.logo.url) if provider.logo else None,
        "uri": absolute(provider.get_absolute_url()),
    }
    if detail:
        organization_id = data["id"]
        data["phones"] = (
            [
                {
                    "id": derived_uuid("phone", organization_id),
                    "organization_id": organization_id,
                    "number": provider.phone,
                }
            ]
            if provider.phone
            else []
        )
        data["contacts"] = [contact(provider, person) for person in provider.contact_persons.all()]
    return compact(data)


def contact(provider, person):
    contact_id = derived_uuid("contact", provider.uuid, person.pk)
    return compact(
        {
            "id": contact_id,
            "organization_id": str(provider.uuid),
            "name": person.name,
            "title": person.role,
            "email": person.email,
            "phones": [
                {
                    "id": derived_uuid("phone", contact_id),
                    "contact_id": contact_id,
                    "number": person.phone,
                }
            ]
            if person.phone
            else [],
        }
    )


# --- Locations ---------------------------------------------------------------------------

WHEELCHAIR_TEXT = {
    WheelchairAccess.YES: WheelchairAccess.YES.label,
    WheelchairAccess.PARTLY: WheelchairAccess.PARTLY.label,
    WheelchairAccess.NO: WheelchairAccess.NO.label,
}


def location(offer):
    venue = offer.venue
    location_id = str(venue.uuid)
    wheelchair = WHEELCHAIR_TEXT.get(offer.wheelchair_access)
    return compact(
        {
            "id": location_id,
            "location_type": "physical",
            "name": venue.name,
            "latitude": float(venue.latitude) if venue.latitude is not None else None,
            "longitude": float(venue.longitude) if venue.longitude is not None else None,
            "addresses": [
                {
                    "id": derived_uuid("address", location_id),
                    "location_id": location_id,
                    "address_1": venue.street,
                    "city": venue.city.name,
                    "state_province": STATE,
                    "postal_code": venue.postcode,
                    "country": "DE",
                    "address_type": "physical",
                }
            ]
            if venue.street and venue.postcode
            else [],
            # Whether the venue is accessible is recorded per offer (the room it uses).
            "accessibility": [
                {
                    "id": derived_uuid("accessibility", offer.uuid, location_id),
                    "location_id": location_id,
                    "description": str(wheelchair),
                }
            ]
            if wheelchair
            else [],
        }
    )


# An offer takes place at one venue at most, so an offer at its venue is named by the
# offer's UUID with these bits flipped: distinct from every offer's own identifier, stable,
# and turned back into the offer's by the same flip (no column needed to find it). The
# mask leaves the version and variant bits alone, so the result is a UUID of version 4 too.
SERVICE_AT_LOCATION_MASK = 0x5A5A5A5A_5A5A_0A5A_0A5A_5A5A5A5A5A5A


def service_at_location_id(offer_uuid):
    return uuid.UUID(int=offer_uuid.int ^ SERVICE_AT_LOCATION_MASK)


offer_uuid_of_service_at_location = service_at_location_id


def service_at_location(offer):
    return {
        "id": str(service_at_location_id(offer.uuid)),
        "service_id": str(offer.uuid),
        "location_id": str(offer.venue.uuid),
        "location": location(offer),
    }
