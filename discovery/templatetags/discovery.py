"""What a page's head tells machines: its canonical address and its link preview."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.encoding import escape_uri_path
from django.utils.text import Truncator
from django.utils.translation import get_language

from vocabularies.icons import DEFAULT_ICON, ICON_NAMES

register = template.Library()

# The default preview (static/discovery/preview.png, drawn by draw_images.py) and the one
# per category pictogram (vocabularies/icons.py).
PREVIEW_IMAGE = "discovery/preview.png"
CATEGORY_PREVIEW_IMAGE = "discovery/preview-{icon}.png"
PREVIEW_SIZE = (1200, 630)
# Open Graph names a language with a territory; ours, as the readers know them.
OG_LOCALES = {
    "de": "de_DE",
    "en": "en_GB",
    "ar": "ar_AR",
    "fa": "fa_IR",
    "tr": "tr_TR",
    "uk": "uk_UA",
    "ru": "ru_RU",
    "pl": "pl_PL",
    "ro": "ro_RO",
    "bg": "bg_BG",
    "fr": "fr_FR",
    "sq": "sq_AL",
}
DESCRIPTION_CHARS = 200


def page_path(request):
    """The request's path, escaped, with one leading slash: ``//evil.example/de/`` must
    not become an address of another host once made absolute."""
    return "/" + escape_uri_path(request.path).lstrip("/")


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical address: its path, absolute.

    Parameters make no page of their own: a search or a filtered list is a view onto the
    entries, and every entry has its own page (in the sitemap; robots.txt keeps crawlers
    out of parameterised addresses). The one exception is a further page of an unfiltered
    list (``?page=3`` alone): it shows other entries than page 1, so it is its own
    canonical (search engines advise against pointing page 3 at page 1). Any other
    parameter, and a page number beside a filter, leads to the path alone.
    """
    request = context["request"]
    path = page_path(request)
    page = context.get("page_obj")
    if page is not None and set(request.GET) == {"page"} and page.number > 1:
        path += f"?page={page.number}"
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def absolute_static(context, name):
    return context["request"].build_absolute_uri(static(name))


def preview_image(categories):
    """The default preview, or the one with the pictogram of the first of ``categories``
    (a list of categories, in their order on the page; drawn by draw_images.py)."""
    for category in categories or ():
        icon = getattr(category, "icon", "") or DEFAULT_ICON
        return CATEGORY_PREVIEW_IMAGE.format(icon=icon if icon in ICON_NAMES else DEFAULT_ICON)
    return PREVIEW_IMAGE


@register.inclusion_tag("discovery/link_preview.html", takes_context=True)
def link_preview(context, title, description="", logo=None, kind="website", categories=None):
    """Open Graph and Twitter card tags: what a messenger or mail program shows for a
    shared link. ``logo``: an image field (a provider's logo) to show instead of the
    portal's picture; ``categories``: the entry's categories, whose first one's pictogram
    the picture shows (else the portal's mark alone)."""
    request = context["request"]
    language = get_language() or settings.LANGUAGE_CODE
    if logo:
        image = {"url": request.build_absolute_uri(logo.url), "alt": title, "card": "summary"}
    else:
        width, height = PREVIEW_SIZE
        image = {
            "url": request.build_absolute_uri(static(preview_image(categories))),
            "width": width,
            "height": height,
            "alt": context.get("portal_name", settings.PORTAL_NAME),
            "card": "summary_large_image",
        }
    return {
        "kind": kind,
        "site_name": context.get("portal_name", settings.PORTAL_NAME),
        "title": title,
        "description": Truncator(" ".join(str(description).split())).chars(DESCRIPTION_CHARS),
        "url": canonical_url(context),
        "image": image,
        "locale": OG_LOCALES.get(language, language),
        "alternate_locales": [
            OG_LOCALES.get(code, code) for code, _name in settings.LANGUAGES if code != language
        ],
    }
