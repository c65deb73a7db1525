"""Serving uploaded files (MEDIA_ROOT) so that none of them can act as a page of the portal.

Uploads are checked by content when they come (content/uploads.py), but files stored before
that check, or a type a browser might still sniff, must not run script on the portal's
origin. So every file is served

* with a Content-Type from its extension out of a fixed list (never text/html; unknown
  extensions as application/octet-stream),
* as a download (Content-Disposition: attachment) unless it is a JPEG, PNG or WebP image,
* with ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox``, so that
  even a file opened in a tab runs no script and has no access to the portal's origin,

and any path outside MEDIA_ROOT (``..``, encoded or absolute, symbolic links leading out)
answers 404. With a separate media host (MEDIA_URL on another origin) or nginx serving
MEDIA_ROOT itself (PORTAL_SERVE_MEDIA=false), the same headers belong in nginx's config.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.urls import re_path
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from content.uploads import IMAGE_EXTENSIONS, content_type_for, extension_of

MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
}


def media_file(path):
    """The file under MEDIA_ROOT that ``path`` names, or Http404 for anything else."""
    if "\x00" in path:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        # safe_join refuses ".." and absolute paths; resolve() follows symbolic links,
        # whose target is checked below.
        candidate = Path(safe_join(root, path)).resolve()
    except (SuspiciousFileOperation, ValueError, OSError) as error:
        raise Http404 from error
    if root not in candidate.parents or not candidate.is_file():
        raise Http404
    return candidate


@require_safe
def serve_media(request, path):
    candidate = media_file(path)
    extension = extension_of(candidate.name)
    response = FileResponse(
        candidate.open("rb"),
        as_attachment=extension not in IMAGE_EXTENSIONS,
        filename=candidate.name,
        content_type=content_type_for(candidate.name),
    )
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    return response


def media_urlpatterns():
    """The media view at MEDIA_URL's path (also when MEDIA_URL names another host that
    routes to this application), or nothing when the web server serves the files."""
    if not settings.PORTAL_SERVE_MEDIA:
        return []
    prefix = urlsplit(settings.MEDIA_URL).path.strip("/")
    if not prefix:
        # A media host of its own at its root is served by the web server: the files
        # cannot share the application's address space.
        return []
    return [re_path(rf"^{prefix}/(?P<path>.+)$", serve_media, name="media")]
