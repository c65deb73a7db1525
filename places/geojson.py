"""GeoJSON of venues, for the maps of offers and events."""


def venue_feature(venue, properties):
    """A GeoJSON point at ``venue`` (which must have coordinates) with these properties."""
    return {
        "type": "Feature",
        # GeoJSON wants longitude first.
        "geometry": {
            "type": "Point",
            "coordinates": [float(venue.longitude), float(venue.latitude)],
        },
        "properties": properties,
    }
