"""robots.txt, the web app manifest and /favicon.ico: what crawlers and browsers ask for by
name. The sitemap is Django's view over discovery.sitemaps."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi, gettext
from django.views.decorators.http import require_safe

# Parameterised addresses (searches, filters, further pages of a list) are endless
# combinations of the same entries, and every entry is in the sitemap: crawlers need none of
# them. "/*?" is understood by the big search engines (Google, Bing, Yandex); the addresses
# of each language follow as plain prefixes, which every robots.txt reader understands.
DISALLOWED_EVERYWHERE = ["/admin/", "/jsi18n/", "/*?", "/*/offers/*/report/"]
DISALLOWED_PER_LANGUAGE = ["offers/search.json", "offers/map.geojson", "offers/suggest/"]


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in DISALLOWED_EVERYWHERE]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/{path}" for path in DISALLOWED_PER_LANGUAGE]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def manifest(request):
    """The web app manifest in the page's language (base.html links it): a phone's "add to
    home screen" names the portal and opens its home page in that language."""
    data = {
        "name": settings.PORTAL_NAME,
        "short_name": settings.PORTAL_NAME,
        "description": gettext(
            "Integration offers, events and information of the district in one place: "
            "language courses, counselling, meeting places and more."
        ),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("pages:home"),
        "scope": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#0a5c8a",
        "icons": [
            {"src": static("discovery/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("discovery/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("discovery/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def favicon_ico(request):
    """Browsers and feed readers ask for /favicon.ico without reading the page: the PNG."""
    return redirect(static("discovery/favicon-32.png"), permanent=True)
