"""Data that pages carry for machines: JSON-LD in a script element, map data in an
attribute."""

import json


def script_json(data):
    """``data`` as JSON to stand inside a <script> element (JSON-LD): "<" escaped, so that
    no text in it can close the element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def feature_collection(features):
    """GeoJSON features (places.geojson.venue_feature) as one FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(features)}


def map_json(features):
    """The features as the GeoJSON a page's map reads from its data-geojson attribute
    (the template escapes it for the attribute)."""
    return json.dumps(feature_collection(features))
