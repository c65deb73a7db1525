from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    """Which content texts are translated, missing or outdated, per language, and the
    exchange of texts with external translators. A home of its own because every content
    app (offers, providers, events, pages, places, vocabularies) shares it."""

    name = "translations"
    verbose_name = _("Translations")

    def ready(self):
        from . import signals

        signals.connect()
