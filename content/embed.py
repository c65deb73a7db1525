"""Data that pages carry for machines: JSON-LD in a script element, map data in an
attribute."""

import json


def without_empty(data):
    """``data`` without the keys whose value is None, an empty text, list or object, at
    every depth: schema.org readers take ``"url": null`` for a broken address, so an absent
    value is left out instead."""
    if isinstance(data, dict):
        cleaned = {key: without_empty(value) for key, value in data.items()}
        return {key: value for key, value in cleaned.items() if not _empty(value)}
    if isinstance(data, list):
        cleaned = [without_empty(value) for value in data]
        return [value for value in cleaned if not _empty(value)]
    return data


def _empty(value):
    # Not "value in (None, '', [], {})": that would also drop 0 and False (0 == False).
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def script_json(data):
    """``data`` (JSON-LD) as JSON to stand inside a <script> element: empty values left out
    (without_empty), "<" escaped, so that no text in it can close the element."""
    return json.dumps(without_empty(data), ensure_ascii=False).replace("<", "\\u003c")


def feature_collection(features):
    """GeoJSON features (places.geojson.venue_feature) as one FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(features)}


def map_json(features):
    """The features as the GeoJSON a page's map reads from its data-geojson attribute
    (the template escapes it for the attribute)."""
    return json.dumps(feature_collection(features))
