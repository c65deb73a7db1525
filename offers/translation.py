from modeltranslation.translator import TranslationOptions, register

from .models import Offer


@register(Offer)
class OfferTranslationOptions(TranslationOptions):
    fields = ("name", "short_description", "description", "schedule", "costs")
    required_languages = {"de": ("name",)}
