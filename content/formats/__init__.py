"""How dates and lists are written in each language (settings.FORMAT_MODULE_PATH).

Dates on public pages name the month in words: "2 December 2026", never "12/02/2026",
which readers of another country read as the 12th of February. Django's own formats are
kept where they already do that; the modules here replace those that do not (English
writes month first, some languages fall back to a 12-hour clock). Times use 24 hours, as
the posters and the KI's own tables do.
"""

from django.utils.translation import pgettext


def list_separator():
    """What stands between the items of a list: ", ", in Arabic and Persian "، "."""
    return pgettext("list separator", ", ")


def join_list(items):
    return list_separator().join(str(item) for item in items)
