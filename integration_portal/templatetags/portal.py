import re
from urllib.parse import unquote, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, override

from content.formats import list_separator as language_list_separator
from content.params import echoed_path
from translations.fallback import falls_back, lang_attribute
from translations.machine import shows_machine_translation

register = template.Library()


@register.simple_tag
def list_separator():
    """{% list_separator %} between the items of a list: the Arabic comma on Arabic pages."""
    return language_list_separator()


@register.simple_tag
def lang_attr(obj, field_name):
    """` lang="de"` on an element whose text is shown in German because the page's
    language has no translation of it (translations.fallback.lang_attribute)."""
    return lang_attribute(obj, field_name)


@register.simple_tag
def any_fallback(obj, *field_names):
    """Whether any of these texts of ``obj`` is shown in German for lack of a translation
    (the page then says so)."""
    return obj is not None and any(falls_back(obj, name) for name in field_names)


def local_path(request):
    """The request's path and query as a path on this site.

    A request for ``//evil.com/de/offers/`` (which gunicorn passes on as it is) would
    otherwise read as a scheme-relative address of another host wherever it is echoed into
    a link, and browsers also take ``/\\evil.com`` (or a tab or newline between the
    slashes) for ``//evil.com``. So the leading run of slashes, backslashes and white space
    becomes one ``/``: the links then point to a page of this site (perhaps a 404).
    """
    path = "/" + echoed_path(request).lstrip("/\\ \t\r\n\f\v")
    # echoed_path() (get_full_path(), capped in length) escapes backslashes and control
    # characters elsewhere in the path.
    return path


@register.simple_tag
def machine_translated(objects, *field_names):
    """Whether any of these texts of ``objects`` (an entry or a list of entries), as the
    page shows them, is a machine translation nobody has reviewed yet (the page then
    says so, and that the German version is authoritative)."""
    return shows_machine_translation(objects, field_names)


def translate_urls(url, codes):
    """{code: translate_url(url, code)} for every language code, with the path resolved
    once rather than once per language (every page links to itself in twelve)."""
    parsed = urlsplit(url)
    try:
        match = resolve(unquote(parsed.path))
    except Resolver404:
        return dict.fromkeys(codes, url)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    urls = {}
    for code in codes:
        with override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                urls[code] = url
            else:
                urls[code] = urlunsplit(
                    (parsed.scheme, parsed.netloc, path, parsed.query, parsed.fragment)
                )
    return urls


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every portal language, named in that language itself."""
    request = context["request"]
    current = context.get("LANGUAGE_CODE")
    path = local_path(request)
    urls = translate_urls(path, [code for code, _name in settings.LANGUAGES])
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = urls[code]
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
    return links


@register.filter
def tel_href(number):
    """A phone number as written ("0151 / 522 520 35") turned into a tel: link target."""
    digits = "".join(ch for ch in str(number) if ch.isdigit() or ch == "+")
    return f"tel:{digits}"


@register.filter
def bdi(value):
    """A name inside a translated sentence, isolated in its own direction: a German
    organizer at the end of an Arabic sentence would otherwise pull the sentence's full
    stop or comma to its side. For blocktranslate's ``with``: the result is safe HTML."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


# Runs of a free text that read left to right in every language: web and e-mail addresses,
# and phone numbers (digits in groups: "0123 4567-100", "+49 2303 27-0", "(02303) 123").
# Written inside an Arabic or Persian text, the groups of a phone number would otherwise
# be shown in reverse order ("4567-100 0123"), and a resident would dial a wrong number.
LEFT_TO_RIGHT_RUNS = re.compile(
    r"https?://[^\s<>]+[^\s<>.,;:!?)]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\+?\(?\d[\d ()/.\u2011-]{4,}\d"
)


@register.filter(needs_autoescape=True)
def isolate_left_to_right(text, autoescape=True):
    """A free text (a description, a schedule, an info page) with its addresses and phone
    numbers each isolated left to right. Before ``linebreaks``: the result is safe HTML,
    the rest of the text escaped."""
    if not text:
        return ""
    text = str(text)
    escaped = conditional_escape if autoescape else (lambda value: value)
    pieces, end = [], 0
    for match in LEFT_TO_RIGHT_RUNS.finditer(text):
        run = match.group()
        if run[0] in "+(0123456789" and sum(ch.isdigit() for ch in run) < 6:
            continue  # a short number ("10 - 12 Jahre"): too short to be a phone number
        pieces.append(escaped(text[end : match.start()]))
        pieces.append(format_html('<bdi dir="ltr">{}</bdi>', run))
        end = match.end()
    pieces.append(escaped(text[end:]))
    return mark_safe("".join(str(piece) for piece in pieces))
