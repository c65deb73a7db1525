"""The open-data page (/<lang>/open-data/): what the API and the download are, in plain
words, with the download's links and sizes and the data's licence."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from . import downloads, export

# The files the page offers, with what each is, in the reader's words.
FILES = [
    (export.ZIP_FILE, _("All tables as CSV files, with their description, in one ZIP file")),
    (export.JSON_FILE, _("All offers with their providers and places in one JSON file")),
    (export.DATAPACKAGE, _("The description of the tables (Frictionless Data Package)")),
]


class OpenDataView(TemplateView):
    template_name = "opendata/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The sizes of the newest build there is; the page itself builds nothing (a
        # crawler's visit after each change would), the first download does.
        build = downloads.latest(self.request.build_absolute_uri("/"))
        context.update(
            files=[
                {
                    "url": reverse("opendata:download", args=[name]),
                    "name": name,
                    "description": description,
                    "size": build.files[name]["size"] if build else None,
                }
                for name, description in FILES
            ],
            tables=export.CSV_FILES,
            built=build.created if build else None,
            licence_title=settings.OPEN_DATA_LICENCE_TITLE,
            licence_url=settings.OPEN_DATA_LICENCE_URL,
            attribution=export.attribution(build.created if build else timezone.now()),
            api_url=self.request.build_absolute_uri(reverse("opendata:root")),
            openapi_url=self.request.build_absolute_uri(reverse("opendata:openapi")),
            requests_per_minute=settings.OPEN_DATA_REQUESTS_PER_MINUTE,
            standard_url=export.hsds.PROFILE_URL,
        )
        return context
