"""Providers as spreadsheet rows (admin import and export); columns in docs/import-format.md."""

from editorial.spreadsheets import PortalResource, relation, text, translated
from places.models import City

from .models import Provider


class ProviderResource(PortalResource):
    class Meta(PortalResource.Meta):
        model = Provider

    def columns(self):
        return [
            text("slug"),
            text("name"),
            *translated("description"),
            text("street"),
            text("postcode"),
            relation("city", City),
            text("phone"),
            text("email"),
            text("website"),
        ]

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("city")
