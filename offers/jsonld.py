"""schema.org description of an offer (JSON-LD), for search engines and assistants.

An offer is a Service. What schema.org does not let a Service say directly goes where the
vocabulary puts it: the languages it is held in belong to the way it is delivered
(``availableChannel``, a ServiceChannel, has ``availableLanguage``), and being free of
charge is an Offer with price 0 (``isAccessibleForFree`` is a property of places, events
and creative works, not of services). Empty values are left out by content.embed.script_json.
"""

from places.jsonld import venue_place


def offer_json_ld(offer, request):
    """schema.org description of the offer, for search engines and assistants."""
    url = request.build_absolute_uri(offer.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": offer.name,
        "description": offer.short_description or offer.description[:300],
        "url": url,
        "areaServed": {"@type": "City", "name": offer.city.name},
        "category": [category.label for category in offer.categories.all()],
        "provider": {
            "@type": "Organization",
            "name": offer.provider.name,
            "telephone": offer.provider.phone,
            "email": offer.provider.email,
            "url": offer.provider.website,
        },
    }
    if offer.is_free:
        data["offers"] = {"@type": "Offer", "price": 0, "priceCurrency": "EUR", "url": url}
    else:
        data["offers"] = {"@type": "Offer", "description": offer.costs, "url": url}
    channel = {
        "@type": "ServiceChannel",
        "serviceUrl": url,
        "availableLanguage": [
            {"@type": "Language", "name": language.label} for language in offer.languages.all()
        ],
    }
    if offer.venue:
        channel["serviceLocation"] = venue_place(offer.venue)
    data["availableChannel"] = channel
    if offer.contact_phone or offer.contact_email:
        data["provider"]["contactPoint"] = {
            "@type": "ContactPoint",
            "name": offer.contact_name,
            "telephone": offer.contact_phone,
            "email": offer.contact_email,
        }
    return data
