"""Forms of the places app."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import geocoding
from .models import City
from .widgets import CoordinatesMapWidget


class MapCoordinatesForm(forms.ModelForm):
    """Base form for models with ``latitude``/``longitude`` (see ``places.models.Coordinates``).

    Shows a map below the two number inputs to place a pin (see ``CoordinatesMapWidget``)
    and asks for both coordinates or neither, with a readable message instead of the
    database constraint's. Use it as the ``form`` of a ModelAdmin (also together with
    modeltranslation's ``TranslationAdmin``) or as the base of a ModelForm with its own
    ``Meta``. When either field is missing from the form (excluded or read-only), the form
    behaves like a plain ModelForm.
    """

    latitude_field = "latitude"
    longitude_field = "longitude"
    map_widget_class = CoordinatesMapWidget

    both_or_none_message = _("Enter both latitude and longitude, or leave both empty.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latitude = self.fields.get(self.latitude_field)
        longitude = self.fields.get(self.longitude_field)
        if latitude is None or longitude is None or latitude.widget.is_hidden:
            return
        for field, limit in ((latitude, 90), (longitude, 180)):
            attrs = field.widget.attrs
            attrs.setdefault("min", -limit)
            attrs.setdefault("max", limit)
            # Same width for both inputs (browsers size number inputs by their min/max).
            attrs["class"] = " ".join(filter(None, [attrs.get("class"), "coordinates-input"]))
        if not isinstance(latitude.widget, CoordinatesMapWidget):
            widget = self.map_widget_class(
                attrs=latitude.widget.attrs,  # keeps step, min, max and the admin's classes
                latitude_field=self.latitude_field,
                longitude_field=self.longitude_field,
            )
            widget.is_required = latitude.required
            widget.is_localized = latitude.widget.is_localized
            latitude.widget = widget

    def clean(self):
        cleaned_data = super().clean()
        fields = (self.latitude_field, self.longitude_field)
        if not all(name in self.fields for name in fields):
            return cleaned_data
        if any(name in self.errors for name in fields):
            return cleaned_data  # the field's own error says enough
        latitude, longitude = (cleaned_data.get(name) for name in fields)
        if (latitude is None) != (longitude is None):
            missing = self.latitude_field if latitude is None else self.longitude_field
            self.add_error(missing, self.both_or_none_message)
        return cleaned_data


class VenueForm(MapCoordinatesForm):
    """The venue form of the admin: its map starts at the chosen city and moves along when
    the city changes; with a geocoder configured, a button looks up the address."""

    city_field = "city"
    address_fields = ("street", "postcode")

    # The staff-only lookup view of places.admin.VenueAdmin.
    geocode_url_name = "admin:places_venue_geocode"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latitude = self.fields.get(self.latitude_field)
        if latitude is None or not isinstance(latitude.widget, CoordinatesMapWidget):
            return
        widget = latitude.widget
        if self.city_field in self.fields:
            widget.city_field = self.city_field
            # Called when the map is rendered, so a bound form that is saved asks nothing.
            widget.city_centres = City.objects.map_centres
        if geocoding.is_configured():
            widget.address_fields = [name for name in self.address_fields if name in self.fields]
            widget.geocode_url = reverse_lazy(self.geocode_url_name)
