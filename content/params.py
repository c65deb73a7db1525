"""Reading a public list's GET parameters: the idiom the offer search (offers/search.py)
and the event lists (events/search.py) share.

A list never fails on its parameters. Each engine cleans every value it reads
(clean_value), uses what it knows, and leaves out the rest with a note for the visitor in
its ``notes``; the page number is read by read_page, which notes a page that does not
exist and shows the nearest one instead.
"""

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
