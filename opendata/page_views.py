"""The open-data page (/<lang>/open-data/): what the API and the download are, in plain
words, with the download's links and sizes and the data's licence."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
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
        # The sizes of the newest build there is; the page itself starts no build (a
        # crawler's visit after each change would), the first download does. While the
        # build for the current content runs, the page says the files are older.
        base_url = self.request.build_absolute_uri("/")
        build = downloads.latest(base_url)
        renewing = (
            build is not None
            and build.key != downloads.build_key(base_url)
            and downloads.building(base_url)
        )
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
            renewing=renewing,
            licence_title=settings.OPEN_DATA_LICENCE_TITLE,
            licence_url=settings.OPEN_DATA_LICENCE_URL,
            attribution=export.attribution(build.created if build else timezone.now()),
            api_url=self.request.build_absolute_uri(reverse("opendata:root")),
            openapi_url=self.request.build_absolute_uri(reverse("opendata:openapi")),
            requests_per_minute=settings.OPEN_DATA_REQUESTS_PER_MINUTE,
            standard_url=export.hsds.PROFILE_URL,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["renewing"]:
            # Not kept by the page cache (nor a proxy): the note holds until the build is
            # done, and no new content generation follows that to replace the copy.
            add_never_cache_headers(response)
        return response
