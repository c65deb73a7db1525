from modeltranslation.translator import TranslationOptions, register

from .models import ContactPerson, Provider


@register(Provider)
class ProviderTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(ContactPerson)
class ContactPersonTranslationOptions(TranslationOptions):
    fields = ("role",)
