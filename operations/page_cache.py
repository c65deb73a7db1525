"""The page cache: anonymous visitors' public pages and feeds, served from the cache.

What is stored: the answer to an anonymous GET (HEAD is answered from it too) of a public
address — HTML pages, search.json, map.geojson, the calendar feeds — when it is a 200
without cookies and without a Cache-Control of its own (the admin, never_cache views), and
varies on nothing but Cookie and Accept-Encoding. The key is the content generation
(content/generation.py), the full address (scheme, host, path, query) and the request's
Accept-Encoding. A change to any content starts a new generation, so the next request
misses and renders afresh; old entries expire by themselves after
PORTAL_PAGE_CACHE_SECONDS, which also bounds how late a time-based change (an offer's
"valid until" day passing, an event becoming past) shows.

Who is served from it: only requests without a session cookie and without a messages
cookie. Staff always carry a session cookie, so they always get fresh pages — and the
check needs neither the session nor the database. A page that put a CSRF token into a form
sets the CSRF cookie, and so is never stored: the token belongs to one visitor.

What else the responses get:

* an ETag (a hash of the body) on every stored page, and 304 Not Modified for a matching
  If-None-Match, from the cache as well as on a miss;
* ``Cache-Control: public, max-age=PROXY_MAX_AGE`` and ``Vary: Cookie`` on stored pages,
  for a reverse proxy or a browser. Short, because no invalidation reaches a proxy: after a
  change, a proxy may show the old page for up to that long. Everything else served to a
  client with a session cookie, or not stored for another reason, says
  ``private, no-cache`` unless the view chose its own Cache-Control;
* ``X-Cache: hit`` or ``X-Cache: miss`` on requests the cache answered or could have
  answered (anonymous GET/HEAD of a public address): for tests, benchmarks and operators
  checking a proxy in front.

PORTAL_CACHE=off (settings.PORTAL_CACHE False) switches the cache off: every request is
rendered (the cold benchmarks), the Cache-Control headers stay.

Why a middleware of our own rather than Django's UpdateCacheMiddleware and
FetchFromCacheMiddleware: those key by a fixed KEY_PREFIX (not a generation that changes
with content), cache for logged-in users too, key "Vary: Cookie" pages by the whole Cookie
header (so every visitor with a CSRF cookie gets their own copy), and set max-age and
Expires to the server-side timeout, which is too long for a proxy that no invalidation
reaches. Django's helpers do the parts that are the same: patch_cache_control,
patch_vary_headers, set_response_etag, get_conditional_response.

Place it in MIDDLEWARE after SecurityMiddleware and WhiteNoise and before the session,
locale and CSRF middleware: a hit then skips all of those, and a miss sees the finished
response, with every header and cookie they added.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

# The very test GZipMiddleware applies (operations/compression.py): one key per answer it gives.
from django.middleware.gzip import re_accepts_gzip
from django.urls import NoReverseMatch, reverse
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from content import generation

# How long a reverse proxy or a browser may reuse a public page without asking again.
PROXY_MAX_AGE = 60
# Vary headers a stored page may have: Cookie (anonymous requests without a session or
# messages cookie all look alike to the pages) and Accept-Encoding (part of the key).
HARMLESS_VARY = {"cookie", "accept-encoding"}
# Addresses that are never served from the cache, besides the admin.
NEVER_CACHED_PATHS = ("/healthz", "/readyz")
# Cookies that mean the visitor may be logged in or has a message waiting.
MESSAGES_COOKIE = "messages"


def enabled():
    return getattr(settings, "PORTAL_CACHE", True)


def timeout():
    return getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 300)


def admin_prefix():
    """The admin's address as the URLconf has it (also for operations/compression.py)."""
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "/admin/"


def _personal(request):
    """Whether the request may be of a logged-in user (or carries a one-time message)."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies


def _eligible(request):
    """Whether the cache may answer this request (and store its response)."""
    if request.method not in {"GET", "HEAD"} or _personal(request):
        return False
    path = request.path_info
    return not (path.startswith(admin_prefix()) or path.startswith(NEVER_CACHED_PATHS))


def _key(request):
    address = request.build_absolute_uri()
    # One copy compressed and one not (operations/compression.py), not one per spelling of
    # the header: browsers send many ("gzip, deflate, br", "gzip, deflate, br, zstd", ...).
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    encoding = "gzip" if re_accepts_gzip.search(accepted) else ""
    digest = hashlib.sha256(f"{address}\n{encoding}".encode()).hexdigest()
    return f"page:{generation.current()}:{digest}"


def _storable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a session, a CSRF token, a message: one visitor's
    if response.has_header("Cache-Control"):
        return False  # the view decided (never_cache, private)
    vary = {
        header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header
    }
    # "/" redirects by Accept-Language; it, and anything varying on other headers, stays out.
    return vary <= HARMLESS_VARY


# What a view tells django-csp, outside this middleware, about its own policy: a framed
# widget's frame-ancestors (operations.headers.allow_framing). Kept with the page, or a hit
# would get the site's "frame-ancestors 'none'".
CSP_ATTRIBUTES = ("_csp_replace",)


def _rebuild(stored):
    status, headers, content, *rest = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    for name, value in (rest[0] if rest else {}).items():
        setattr(response, name, value)
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        use_cache = enabled() and _eligible(request)
        key = _key(request) if use_cache else None
        if use_cache:
            stored = cache.get(key)
            if stored is not None:
                response = _rebuild(stored)
                response["X-Cache"] = "hit"
                return get_conditional_response(
                    request, etag=response.get("ETag"), response=response
                )

        response = self.get_response(request)

        if use_cache and _storable(request, response):
            patch_cache_control(response, public=True, max_age=min(PROXY_MAX_AGE, timeout()))
            patch_vary_headers(response, ("Cookie",))
            set_response_etag(response)
            csp = {
                name: getattr(response, name) for name in CSP_ATTRIBUTES if hasattr(response, name)
            }
            stored = (response.status_code, list(response.items()), response.content, csp)
            cache.set(key, stored, timeout())
            response["X-Cache"] = "miss"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        if use_cache:
            response["X-Cache"] = "miss"
        if not response.has_header("Cache-Control"):
            # Staff pages, forms with a CSRF token, errors: for this client only, and
            # checked again each time.
            patch_cache_control(response, private=True, no_cache=True)
        return response
