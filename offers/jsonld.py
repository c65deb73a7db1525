"""schema.org description of an offer (JSON-LD), for search engines and assistants."""

from places.jsonld import venue_place


def offer_json_ld(offer, request):
    """schema.org description of the offer, for search engines and assistants."""
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": offer.name,
        "description": offer.short_description or offer.description[:300],
        "url": request.build_absolute_uri(offer.get_absolute_url()),
        "areaServed": offer.city.name,
        "category": [category.label for category in offer.categories.all()],
        "availableLanguage": [language.label for language in offer.languages.all()],
        "provider": {
            "@type": "Organization",
            "name": offer.provider.name,
            "telephone": offer.provider.phone or None,
            "email": offer.provider.email or None,
            "url": offer.provider.website or None,
        },
    }
    if offer.is_free:
        data["isAccessibleForFree"] = True
    if offer.venue:
        place = venue_place(offer.venue)
        data["availableChannel"] = {"@type": "ServiceChannel", "serviceLocation": place}
    if offer.contact_phone or offer.contact_email:
        data["provider"]["contactPoint"] = {
            "@type": "ContactPoint",
            "name": offer.contact_name or None,
            "telephone": offer.contact_phone or None,
            "email": offer.contact_email or None,
        }
    return data
