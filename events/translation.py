from modeltranslation.translator import TranslationOptions, register

from .models import Event, EventAttachment


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "description",
        "status_note",
        "venue_note",
        "target_group_note",
        "registration_how",
    )
    required_languages = {"de": ("title",)}


@register(EventAttachment)
class EventAttachmentTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = {"de": ("title",)}
