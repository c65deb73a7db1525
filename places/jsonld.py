"""schema.org descriptions of places, shared by the offers' and events' JSON-LD."""


def venue_place(venue):
    """A venue as a schema.org Place with its postal address and, when known, its
    coordinates."""
    place = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.street,
            "postalCode": venue.postcode,
            "addressLocality": venue.city.name,
            "addressCountry": "DE",
        },
    }
    if venue.has_coordinates:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return place
