"""Interface texts as the pages show them, looked up in the catalogs, so that browser
tests follow the translations instead of repeating them."""

from django.utils import translation


def translated(language, message):
    with translation.override(language):
        return translation.gettext(message)


def german(message):
    """``message`` as the German pages show it (the English text while untranslated)."""
    return translated("de", message)


def german_count(singular, plural, count):
    """A counted heading ("%(counter)s offers") for ``count``, in German."""
    with translation.override("de"):
        text = translation.ngettext(singular, plural, count)
    return text % {"counter": count}
