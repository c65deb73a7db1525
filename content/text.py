"""Rules for text that every app shares: folding for search (fold), web addresses as
Germans write them (german_slug), and left-to-right runs inside right-to-left pages
(left_to_right).

Folding gives the same results on SQLite and PostgreSQL. SQLite's LIKE folds case only for
ASCII ("übung" would miss "Übung"), and the two databases treat umlauts and accents
differently. So texts are folded once, in Python, both when an offer's search text is
stored and when a query comes in: lower case (with ß → ss), German umlauts written out
(ü → ue, as Germans type them without an umlaut key), and every other accent or diacritic
(é, ç, Arabic vowel marks) removed.
"""

import unicodedata

from django.utils.text import slugify

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def fold(text):
    text = (text or "").casefold().translate(UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def german_slug(text):
    """A web address part as Germans write one: "Nähtreff Königsborn" becomes
    "naehtreff-koenigsborn", not Django's "nahtreff-konigsborn", which reads as another word.
    The admin's slug fields follow the same rule in the browser (editorial/static/editorial/
    german-slugs.js)."""
    return slugify(fold(text))


def left_to_right(text):
    """``text`` between Unicode's left-to-right isolate marks (invisible): a web address or a
    number inside a translated sentence reads the same on right-to-left pages ("https://",
    not "//:https"), also where no markup (<bdi>) can reach it, as in escaped help texts."""
    return f"\u2066{text}\u2069"
