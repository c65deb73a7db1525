"""Record when each language's version of a translatable text changes (TextChange).

Connected for every model registered with modeltranslation. Saving an entry compares its
texts with the stored ones (one query) and stamps the fields and languages that changed.
Fixture loads (raw saves) are not recorded: loaded texts count as current.
"""

import contextvars
import datetime as dt
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from .models import TextChange
from .status import column, portal_languages, translatable_models, translated_fields


def _columns(model):
    return [
        (name, language, column(name, language))
        for name in translated_fields(model)
        for language in portal_languages()
    ]


def remember_stored_texts(sender, instance, raw=False, **kwargs):
    if raw:
        return
    stored = None
    if instance.pk is not None:
        names = [col for _name, _language, col in _columns(sender)]
        stored = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    instance._stored_texts = stored or {}


def record_text_changes(sender, instance, raw=False, **kwargs):
    if raw or not hasattr(instance, "_stored_texts"):
        return
    stored = instance._stored_texts
    del instance._stored_texts
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(sender)
    changes = [
        TextChange(
            content_type=content_type,
            object_id=instance.pk,
            field=name,
            language=language,
            changed=now,
        )
        for name, language, col in _columns(sender)
        if (getattr(instance, col, None) or "") != (stored.get(col) or "")
    ]
    collected = _collected.get()
    if collected is not None:
        collected.extend(changes)
    elif changes:
        _write_changes(changes)


def _write_changes(changes):
    TextChange.objects.bulk_create(
        changes,
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "field", "language"],
        # An edit by a person is a review: a machine translation stops being one.
        update_fields=["changed", "machine_translated"],
        batch_size=500,
    )


# Inside collected_changes(): the stamps still to write.
_collected = contextvars.ContextVar("text_changes_collected", default=None)


@contextmanager
def collected_changes():
    """Within the block, the stamps of saved entries are collected and written in one bulk
    insert when it ends (a spreadsheet import: one insert instead of one a row). An
    exception in the block writes nothing; its transaction is rolled back anyway."""
    if _collected.get() is not None:
        yield
        return
    changes = []
    token = _collected.set(changes)
    try:
        yield
    finally:
        _collected.reset(token)
    # One stamp per text: an entry saved twice in the block keeps its last one.
    latest = {(c.content_type_id, c.object_id, c.field, c.language): c for c in changes}
    if latest:
        _write_changes(list(latest.values()))


def connect():
    for model in translatable_models():
        uid = f"translations:{model._meta.label}"
        pre_save.connect(remember_stored_texts, sender=model, dispatch_uid=uid + ":pre")
        post_save.connect(record_text_changes, sender=model, dispatch_uid=uid + ":post")


# --- Restores ------------------------------------------------------------------------------
# A restore from the version history (editorial/history.py) writes the entry back
# with raw saves, which the receivers above skip; the history calls these afterwards.


def stored_texts(model, pks):
    """{pk: {column: text}}: the stored texts of these entries."""
    names = [col for _name, _language, col in _columns(model)]
    if not names:
        return {}
    rows = model._base_manager.filter(pk__in=list(pks)).values("pk", *names)
    return {row.pop("pk"): row for row in rows}


def record_restored_texts(model, object_id, before, after, outdated):
    """Stamp the texts of an entry restored to an earlier version.

    ``before`` and ``after`` are its texts (as stored_texts() gives them) before and after
    the restore; ``outdated`` the (field, language) pairs whose translation was outdated
    in the restored version. Every field whose text the restore changed in some language
    is stamped as changed now in every language, so that the exchange sees the restored
    texts as edited now; its translations that were outdated in the restored version are
    stamped a moment earlier than the German text, so that they are outdated again.
    """
    now = timezone.now()
    earlier = now - dt.timedelta(milliseconds=1)
    content_type = ContentType.objects.get_for_model(model)
    changes = []
    for name in translated_fields(model):
        columns = {language: column(name, language) for language in portal_languages()}
        if all((after.get(col) or "") == (before.get(col) or "") for col in columns.values()):
            continue
        changes.extend(
            TextChange(
                content_type=content_type,
                object_id=object_id,
                field=name,
                language=language,
                changed=earlier if (name, language) in outdated else now,
            )
            for language in columns
        )
    if changes:
        TextChange.objects.bulk_create(
            changes,
            update_conflicts=True,
            unique_fields=["content_type", "object_id", "field", "language"],
            update_fields=["changed"],
        )
