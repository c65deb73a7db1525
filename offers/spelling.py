"""Did you mean: for a search word that no offer contains, the closest real word of the
published offers' search texts ("badmintn" -> "badminton").

The search (offers/search.py) asks only when a text search finds nothing, and then searches
with the corrected words using its normal matching, so that counts and facets keep their
exact meaning and the page can say which words it used.

Words are those of Offer.search_text: folded (content.text.fold), every language. Only
words of letters are corrected, and only from 3 letters on: "kt" or a postcode with a typo
could be "corrected" into anything. Similarity is difflib's ratio (twice the matching
characters over both lengths), the same on both databases; among equally close words the
one in more offers wins.

Where the candidate words come from:

* PostgreSQL: the vocabulary of migration 0009 (offers_search_word, every word any
  offer's search text has had, with a trigram index): one query for all words, the
  CANDIDATE_WORDS most similar vocabulary words per word (``word % term``, ordered by
  trigram similarity), then difflib among them. The vocabulary is small next to the texts,
  so this does not grow with the number of offers. It may hold words no published offer
  has any more: the corrected search then finds nothing, and nothing is corrected.
* SQLite: every word of the published search texts, with the number of offers it occurs
  in, kept per content generation and day (like the facet index), read in one query.
"""

import re
from difflib import SequenceMatcher

from django.db import connection
from django.utils import timezone

from content import generation

from .models import Offer

MIN_LENGTH = 3
# Longer "words" are no typing error (a pasted address, a run of letters): never looked up.
MAX_LENGTH = 40
# The least similarity (difflib's ratio) a correction must have: "badmintn"/"badminton"
# 0.94, "schwimkurs"/"schwimmkurs" 0.95, "kurz"/"kurs" 0.75, "abc"/"abd" 0.67 (none).
CUTOFF = 0.75
# Vocabulary words that are candidates for one word, on PostgreSQL.
CANDIDATE_WORDS = 20
# A word of the search texts: letters only (no digits, no underscore).
WORD = re.compile(r"[^\W\d_]+")


def correctable(term):
    """Whether a search word may be corrected at all."""
    return MIN_LENGTH <= len(term) <= MAX_LENGTH and term.isalpha()


def word_counts(texts):
    """{word: number of texts it occurs in} of the correctable words of ``texts``."""
    counts = {}
    for text in texts:
        for word in set(WORD.findall(text)):
            if MIN_LENGTH <= len(word) <= MAX_LENGTH:
                counts[word] = counts.get(word, 0) + 1
    return counts


def closest(term, counts):
    """The word of ``counts`` ({word: count}) most similar to ``term``, at least CUTOFF
    similar, or None. Ties: the more frequent word, then the first in alphabetical order."""
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(term)  # difflib caches what it learns about the second sequence
    best_key, best = None, None
    for word, count in counts.items():
        matcher.set_seq1(word)
        # The cheap upper bounds first, as difflib.get_close_matches does.
        if matcher.real_quick_ratio() < CUTOFF or matcher.quick_ratio() < CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio < CUTOFF:
            continue
        key = (-ratio, -count, word)
        if best_key is None or key < best_key:
            best_key, best = key, word
    return best


def corrections(terms):
    """{term: closest word} for those of ``terms`` (correctable words no offer contains)
    that have a close word; one query on PostgreSQL, none on SQLite once the word list of
    the generation is read."""
    if not terms:
        return {}
    if connection.vendor == "postgresql":
        candidates = _vocabulary_candidates(terms)
    else:
        words = current_words()
        candidates = dict.fromkeys(terms, words)
    found = {}
    for term in terms:
        word = closest(term, candidates.get(term, {}))
        if word is not None:
            found[term] = word
    return found


def _vocabulary_candidates(terms):
    """{term: {word: count}} of the vocabulary words most similar to each term, all terms
    in one query. The vocabulary's entries are whitespace-separated stretches of text
    ("(badminton)," included): their words of letters are the candidates. Published or
    not: the corrected search itself keeps to what is published today."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT searched.number, candidate.word
            FROM unnest(%s::text[]) WITH ORDINALITY AS searched(term, number)
            CROSS JOIN LATERAL (
                SELECT word FROM offers_search_word
                WHERE word %% searched.term
                ORDER BY similarity(word, searched.term) DESC
                LIMIT %s
            ) AS candidate
            """,
            [list(terms), CANDIDATE_WORDS],
        )
        rows = cursor.fetchall()
    entries = {}
    for number, entry in rows:
        entries.setdefault(terms[number - 1], []).append(entry)
    return {term: word_counts(found) for term, found in entries.items()}


def _build_words(key):
    _generation, today = key
    texts = Offer.objects.published(today).values_list("search_text", flat=True).order_by()
    return word_counts(texts.iterator(chunk_size=2000))


# Keyed by the day too: validity dates make offers appear or disappear at midnight.
_kept = generation.KeptPerGeneration(_build_words, also=lambda: timezone.localdate())


def current_words():
    """{word: number of offers} of every published offer's search text (SQLite's
    candidates), read once per generation and day. Shared: read it, never change it."""
    return _kept.get()


def clear():
    """Forget the word list (tests that change data without a new generation)."""
    _kept.clear()
