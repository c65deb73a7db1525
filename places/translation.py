from modeltranslation.translator import TranslationOptions, register

from .models import City, District


# Place names are mostly the same in every language, but readers of other scripts
# (Arabic, Cyrillic) are helped by a transliteration; German is the fallback.
@register([District, City])
class PlaceTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("de",)
