"""Which translations of a content entry are present, missing or outdated.

German is the source language of all content (settings.MODELTRANSLATION_DEFAULT_LANGUAGE).
For every other portal language and every translatable field whose German text is not
empty, the translation is

* missing  when the field is empty in that language,
* outdated when the German text was edited after the translation (see TextChange),
* present  otherwise.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from .models import TextChange

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

PRESENT = "present"
MISSING = "missing"
OUTDATED = "outdated"


def portal_languages():
    return [code for code, _name in settings.LANGUAGES]


def target_languages():
    return [code for code in portal_languages() if code != SOURCE_LANGUAGE]


def translatable_models():
    """The content models with translated fields, in a stable order."""
    models = translator.get_registered_models(abstract=False)
    return sorted(models, key=lambda model: model._meta.label)


def translated_fields(model):
    """The model's translated fields, in the order the model declares them."""
    try:
        names = set(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return []
    return [f.name for f in model._meta.get_fields() if f.name in names]


def column(field_name, language):
    return build_localized_fieldname(field_name, language)


def text(obj, field_name, language):
    return (getattr(obj, column(field_name, language), None) or "").strip()


@dataclass
class LanguageStatus:
    language: str
    missing: list = field(default_factory=list)  # field names
    outdated: list = field(default_factory=list)

    @property
    def state(self):
        if self.missing:
            return MISSING
        if self.outdated:
            return OUTDATED
        return PRESENT


def changes_of(objects):
    """{object pk: {(field, language): changed}} for objects of one model, in one query."""
    objects = list(objects)
    result = defaultdict(dict)
    if not objects:
        return result
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    rows = TextChange.objects.filter(
        content_type=content_type, object_id__in=[obj.pk for obj in objects]
    ).values_list("object_id", "field", "language", "changed")
    for object_id, field_name, language, changed in rows:
        result[object_id][field_name, language] = changed
    return result


def is_outdated(changes, field_name, language):
    """The German text was edited after the translation (or the translation predates all
    records, while the German edit is recorded)."""
    source_changed = changes.get((field_name, SOURCE_LANGUAGE))
    if source_changed is None:
        return False
    translated = changes.get((field_name, language))
    return translated is None or translated < source_changed


def statuses(obj, changes=None):
    """[LanguageStatus] for every target language; ``changes`` from changes_of()."""
    if changes is None:
        changes = changes_of([obj]).get(obj.pk, {})
    fields = [name for name in translated_fields(type(obj)) if text(obj, name, SOURCE_LANGUAGE)]
    result = []
    for language in target_languages():
        status = LanguageStatus(language)
        for name in fields:
            if not text(obj, name, language):
                status.missing.append(name)
            elif is_outdated(changes, name, language):
                status.outdated.append(name)
        result.append(status)
    return result


def attach_statuses(objects):
    """Set ``translation_statuses`` on each object, with one query for all of them."""
    objects = list(objects)
    changes = changes_of(objects)
    for obj in objects:
        obj.translation_statuses = statuses(obj, changes.get(obj.pk, {}))
    return objects


# --- Querysets ---------------------------------------------------------------------------


def _has_source(field_name):
    source = column(field_name, SOURCE_LANGUAGE)
    return Q(**{f"{source}__isnull": False}) & ~Q(**{source: ""})


def _is_empty(field_name, language):
    target = column(field_name, language)
    return Q(**{f"{target}__isnull": True}) | Q(**{target: ""})


def missing_condition(model, language):
    """Q: at least one German text of the entry has no translation into ``language``."""
    condition = Q()
    for name in translated_fields(model):
        condition |= _has_source(name) & _is_empty(name, language)
    return condition


def missing_in(queryset, language):
    condition = missing_condition(queryset.model, language)
    return queryset.filter(condition) if condition else queryset.none()


def outdated_condition(model, language):
    """Q: at least one translation into ``language`` is older than its German text."""
    content_type = ContentType.objects.get_for_model(model)
    condition = Q()
    for name in translated_fields(model):
        newer_translation = TextChange.objects.filter(
            content_type=content_type,
            object_id=OuterRef("object_id"),
            field=name,
            language=language,
            changed__gte=OuterRef("changed"),
        )
        edited_sources = (
            TextChange.objects.filter(
                content_type=content_type, field=name, language=SOURCE_LANGUAGE
            )
            .exclude(Exists(newer_translation))
            .values("object_id")
        )
        condition |= _has_source(name) & ~_is_empty(name, language) & Q(pk__in=edited_sources)
    return condition


def outdated_in(queryset, language):
    condition = outdated_condition(queryset.model, language)
    return queryset.filter(condition) if condition else queryset.none()
