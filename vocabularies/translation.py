from modeltranslation.translator import TranslationOptions, register

from .models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage, TargetGroup


@register([Category, OfferLanguage, Gender, MigrationBackground, AgeGroup, TargetGroup])
class VocabularyTranslationOptions(TranslationOptions):
    fields = ("label",)
    required_languages = ("de",)
