"""The sitemap's files, kept per content generation (content/generation.py).

The page cache (operations/page_cache.py) stores only answers that vary on nothing but the
cookie; the sitemap lives outside the language prefixes, so LocaleMiddleware marks it as
varying on Accept-Language, and the page cache leaves it out. Its files do not depend on
the visitor's language (each address is written in its own), and at 200,000 offers each
file is worth keeping: so the body is kept here, under the same generation as every cached
page, and a change to any content starts afresh as it does there.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from content import generation

# Headers of the sitemap view worth keeping with the body.
KEPT_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def kept_per_generation(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(settings, "PORTAL_CACHE", True) or request.method != "GET":
            return view(request, *args, **kwargs)
        address = request.build_absolute_uri()
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"sitemap:{generation.current()}:{digest}"
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render"):
                response.render()
            headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
            stored = (response.content, headers)
            cache.set(key, stored, getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 300))
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response

    return wrapper
