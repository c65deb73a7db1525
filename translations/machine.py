"""Translations made by a machine and not yet reviewed by a person.

Such a text is flagged on its TextChange record (machine_translated). Public pages show a
note near it in the reader's language (the German text is authoritative); the flag goes
when somebody edits the text in the admin or imports a translation for it.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from .fallback import falls_back
from .models import TextChange
from .status import SOURCE_LANGUAGE, text, translated_fields


def mark_machine_translated(objects, languages):
    """Flag the texts of ``objects`` (one model) in ``languages`` as machine translations.

    Only texts that exist are flagged; their "changed" stamp is kept when they have one, so
    marking does not make any translation look newer than its German source.
    """
    objects = list(objects)
    if not objects:
        return 0
    model = type(objects[0])
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    stamps = {
        (object_id, name, language): changed
        for object_id, name, language, changed in TextChange.objects.filter(
            content_type=content_type, object_id__in=[obj.pk for obj in objects]
        ).values_list("object_id", "field", "language", "changed")
    }
    rows = [
        TextChange(
            content_type=content_type,
            object_id=obj.pk,
            field=name,
            language=language,
            changed=stamps.get((obj.pk, name, language), now),
            machine_translated=True,
        )
        for obj in objects
        for name in translated_fields(model)
        for language in languages
        if language != SOURCE_LANGUAGE and text(obj, name, language)
    ]
    TextChange.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "field", "language"],
        update_fields=["machine_translated"],
    )
    return len(rows)


def shows_machine_translation(objects, field_names, language=None):
    """Whether any of these texts of ``objects`` (an entry, or several), as shown in
    ``language``, is an unreviewed machine translation (one query per model)."""
    language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
    if language == SOURCE_LANGUAGE:
        return False
    if objects is None:
        return False
    if not isinstance(objects, (list, tuple)) and hasattr(objects, "_meta"):
        objects = [objects]
    shown = defaultdict(lambda: defaultdict(list))  # model: {field: [pk]}
    for obj in objects:
        for name in field_names:
            if text(obj, name, language) and not falls_back(obj, name, language):
                shown[type(obj)][name].append(obj.pk)
    for model, fields in shown.items():
        condition = Q()
        for name, pks in fields.items():
            condition |= Q(field=name, object_id__in=pks)
        flagged = TextChange.objects.filter(
            condition,
            content_type=ContentType.objects.get_for_model(model),
            language=language,
            machine_translated=True,
        )
        if flagged.exists():
            return True
    return False
