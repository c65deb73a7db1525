"""Which language a content text is shown in.

modeltranslation shows the German text when the requested language has none. Readers must
see that (a notice in their language) and screen readers must switch voice (lang="de" on
the element), so templates ask here whether a field fell back.
"""

from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi, get_language_info

from .status import SOURCE_LANGUAGE, text


def shown_language(obj, field_name, language=None):
    """The language ``obj.<field_name>`` is displayed in for ``language``."""
    language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
    if language == SOURCE_LANGUAGE or text(obj, field_name, language):
        return language
    if text(obj, field_name, SOURCE_LANGUAGE):
        return SOURCE_LANGUAGE
    return language


def falls_back(obj, field_name, language=None):
    language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
    return shown_language(obj, field_name, language) != language


def lang_attribute(obj, field_name):
    """` lang="de"` for an element whose text is shown in German because the page's
    language has no translation of it, so that screen readers switch voice (and
    ` dir="ltr"` on right-to-left pages); "" when the text is in the page's language."""
    if obj is None or not falls_back(obj, field_name):
        return ""
    language = shown_language(obj, field_name)
    if get_language_bidi() != get_language_info(language)["bidi"]:
        # German inside an Arabic page: its own direction, or punctuation lands on the
        # wrong side of the sentence.
        direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
        return format_html(' lang="{}" dir="{}"', language, direction)
    return format_html(' lang="{}"', language)
