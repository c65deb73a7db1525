"""Which language a content text is shown in.

modeltranslation shows the German text when the requested language has none. Readers must
see that (a notice in their language) and screen readers must switch voice (lang="de" on
the element), so templates ask here whether a field fell back.
"""

from django.utils.translation import get_language

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
