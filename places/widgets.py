"""Form widgets of the places app."""

import json

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _


class CoordinatesMapWidget(forms.NumberInput):
    """The latitude input, followed by a Leaflet map that sets latitude *and* longitude.

    Attach it to the latitude field; it finds the longitude input of the same form by id
    (the latitude input's id with ``latitude_field`` replaced by ``longitude_field`` at its
    end, which also holds for prefixed forms and admin inlines). Clicking on the map or
    dragging the pin writes both inputs (rounded to six decimals), typing into them moves
    the pin. The inputs stay the source of truth: without JavaScript, or when the tiles
    cannot load, they can still be edited as plain number inputs.

    All texts are translated on the server and handed to the script as data attributes.
    Assets come from the project's static files only: Leaflet as bundled by django-leaflet
    (whose Python modules need GeoDjango and are therefore never imported) and
    ``places/coordinates-map.{js,css}``.
    """

    template_name = "places/widgets/coordinates_map.html"

    class Media:
        css = {"all": ("leaflet/leaflet.css", "places/coordinates-map.css")}
        js = ("leaflet/leaflet.js", "places/coordinates-map.js")

    def __init__(
        self,
        attrs=None,
        *,
        latitude_field="latitude",
        longitude_field="longitude",
        zoom=10,
        pin_zoom=16,
        city_zoom=13,
    ):
        super().__init__(attrs)
        self.latitude_field = latitude_field
        self.longitude_field = longitude_field
        self.zoom = zoom
        self.pin_zoom = pin_zoom
        self.city_zoom = city_zoom
        # Set by forms whose entry belongs to a city (places.forms.VenueForm): the name of
        # the city field, a function returning {city id: (lat, lon)} (called when the map
        # is rendered), and the address fields with the lookup's address for the
        # "find the address on the map" button (empty: no button).
        self.city_field = None
        self.city_centres = None
        self.address_fields = ()
        self.geocode_url = ""

    def longitude_id(self, latitude_id):
        """The id of the longitude input that belongs to the latitude input ``latitude_id``."""
        if latitude_id and latitude_id.endswith(self.latitude_field):
            return latitude_id[: -len(self.latitude_field)] + self.longitude_field
        return ""

    def map_config(self):
        """Settings for the script; numbers as JSON, so no locale turns 7.5 into "7,5"."""
        center_lat, center_lon = settings.PORTAL_MAP_CENTER
        return {
            "center": [float(center_lat), float(center_lon)],
            "zoom": self.zoom,
            "pinZoom": self.pin_zoom,
            "tileUrl": settings.PORTAL_TILE_URL,
            "attribution": settings.PORTAL_TILE_ATTRIBUTION,
            "latitudeField": self.latitude_field,
            "longitudeField": self.longitude_field,
            "cityField": self.city_field or "",
            "cityZoom": self.city_zoom,
            # JSON object keys are strings: the city select's values.
            "cityCentres": {
                str(pk): [latitude, longitude]
                for pk, (latitude, longitude) in (
                    self.city_centres() if self.city_centres else {}
                ).items()
            },
            "addressFields": list(self.address_fields),
            "geocodeUrl": str(self.geocode_url or ""),
            # Explicit icon addresses: Leaflet's own guess from leaflet.css breaks once
            # ManifestStaticFilesStorage adds hashes to the file names.
            "icon": {
                "iconUrl": static("leaflet/images/marker-icon.png"),
                "iconRetinaUrl": static("leaflet/images/marker-icon-2x.png"),
                "shadowUrl": static("leaflet/images/marker-shadow.png"),
            },
        }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        latitude_id = context["widget"]["attrs"].get("id", "")
        context["widget"]["map"] = {
            "id": f"{latitude_id or name}_map",
            "longitude_id": self.longitude_id(latitude_id),
            "config": json.dumps(self.map_config()),
            "label": _("Map for choosing the location"),
            "help": _(
                "Click on the map to place the pin, or drag the pin to move it. You can also "
                "type latitude and longitude; with the keyboard, move the map with the arrow "
                "keys and press Enter to place the pin in its centre."
            ),
            "marker_label": _("Pin at the chosen location"),
            "remove_label": _("Remove pin"),
            "geocode": bool(self.geocode_url),
            "geocode_label": _("Find the address on the map"),
            "geocode_help": _(
                "Looks up street, postcode and city and places the pin there; please check "
                "it on the map afterwards."
            ),
            "geocode_busy": _("Looking up the address …"),
            "geocode_failed": _(
                "The address could not be looked up. Please place the pin on the map."
            ),
            "tiles_failed": _(
                "The map background could not be loaded. You can still place the pin on "
                "the map or type the coordinates."
            ),
        }
        return context
