"""Compressed public pages.

WhiteNoise compresses static files ahead of time (gzip and brotli); this compresses the
pages themselves: a search page of 80 to 160 KB of HTML goes out as about a tenth of that,
which on a phone is the difference that matters, and under load the bytes, not the
cached page's lookup, limit throughput (benchmarks/results.md, "Load").

Django's GZipMiddleware, placed inside the page cache (settings.MIDDLEWARE), so that a
cached page is stored compressed and a hit costs no compression. Staff pages are left out:
they carry CSRF tokens and personal data next to text a visitor could choose, the setting
in which compression leaks secrets (BREACH); Django pads gzip output against it, but the
admin gains nothing from the risk. Files that are compressed already (the open-data ZIP)
go out as they are: gzip would only cost time.
"""

from django.middleware.gzip import GZipMiddleware

from .page_cache import admin_prefix

COMPRESSED_TYPES = ("application/zip",)


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(admin_prefix()):
            return response
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
