"""Reading a public list's GET parameters: the idiom the offer search (offers/search.py)
and the event lists (events/search.py) share.

A list never fails on its parameters. Each engine cleans every value it reads
(clean_value), uses what it knows, and leaves out the rest with a note for the visitor in
its ``notes``; the page number is read by read_page, which notes a page that does not
exist and shows the nearest one instead.
"""

from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext

# Longer values are no slug, date or page number of ours.
MAX_VALUE_LENGTH = 100


def clean_value(value, max_length=None):
    """``value`` without NUL characters (PostgreSQL would reject the query; nothing
    legitimate has them) and surrounding white space, cut to ``max_length``."""
    value = value.replace("\x00", "").strip()
    return value[:max_length] if max_length else value


def read_page(paginator, params, notes):
    """The page of ``paginator`` that the ``page`` parameter asks for; one that does not
    exist (a typing error, an old link to a list that has shrunk) shows the nearest one,
    with a note."""
    requested = clean_value(params.get("page", "1")) or "1"
    page = paginator.get_page(requested)
    if str(page.number) != requested.lstrip("0"):
        notes.append(
            gettext("There is no page “%(page)s”; showing page %(number)d instead.")
            % {"page": requested[:20], "number": page.number}
        )
    return page


# Every public page repeats its own address in the language switcher and the hreflang
# alternates (about 25 times): a request with a 30 KB query string became a 750 KB page.
# Addresses of our pages are short; longer queries and paths are not repeated.
MAX_ECHOED_QUERY = 2000
MAX_ECHOED_PATH = 1000


def echoed_path(request):
    """The request's path and query as the page's own links may repeat them: without an
    over-long query string (the links then lead to the page without it), and for an
    over-long path (which no page of ours has: it is a 404 anyway) just the start page of
    the language, so that no page repeats more than a few kilobytes of its address."""
    path = request.path
    if len(path) > MAX_ECHOED_PATH:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return f"{get_script_prefix()}{language}/"
    query = request.META.get("QUERY_STRING", "")
    if query and len(query) <= MAX_ECHOED_QUERY:
        return request.get_full_path()
    return escape_uri_path(path)
