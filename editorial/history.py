"""The version history of the portal's content (django-reversion).

Every save of a registered entry inside a revision keeps a version: who, when, a comment,
and all its fields — every language column of its translated texts (name_de … name_sq),
its many-to-many sets, and the inlines it follows (a provider's contact persons, an
event's dates, cancelled days and attachments). The admin records a revision for every
save, restore and deletion (editorial/admin_history.py). Code that changes
entries elsewhere — admin actions, management commands — records its own:

    from editorial.history import record_change

    with record_change(request.user, _("Published")):
        for offer in offers:
            offer.publication_status = PublicationStatus.PUBLISHED
            offer.save()

Inside the block every save() and many-to-many change of a registered entry is kept.
QuerySet.update() and bulk_update() send no signals: pass the changed entries to
add_to_history() inside the block. Before deleting entries outside the admin, call
record_deletion() so that they can be recovered.

What is not kept: derived data (Offer.search_text, event occurrences, the translation
status records), which is recomputed after a restore (keeping_derived_data_current()),
and uploaded files themselves (a version keeps the file's name; files stay on disk when
their entry is deleted).
"""

import contextvars
from collections import defaultdict
from contextlib import contextmanager

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext
from reversion.models import Version

from content import derived
from translations import signals as translation_signals
from translations.status import SOURCE_LANGUAGE, column, target_languages, translated_fields

from .scope import ALL_ENTRIES_PERMISSION


def register(model, follow=(), exclude=()):
    """Keep versions of ``model`` (and, through ``follow``, of its inlines).

    Of a translated field, only the language columns are kept: the original column
    (``name`` next to ``name_de`` … ``name_sq``) is modeltranslation's shadow of the
    current language and is rewritten from the language columns on every save. Derived
    fields (content/derived.py) are left out too: they are rebuilt after a restore.
    """
    exclude = [*translated_fields(model), *derived.fields_of(model), *exclude]
    reversion.register(model, follow=follow, exclude=exclude)


@contextmanager
def record_change(user=None, comment=""):
    """Keep a version of every registered entry saved inside the block, as one revision
    by ``user`` with ``comment``. Within an admin view's revision (admin actions run in
    one) the two are merged, and the comment given here wins."""
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(str(comment))
        yield


def add_to_history(objects):
    """Inside record_change(): keep versions of entries changed without save() (e.g. by
    QuerySet.update()); pass them freshly loaded from the database."""
    for obj in objects:
        reversion.add_to_revision(obj)


def outside_open_revision(function):
    """Run ``function`` as if no revision were open, so that a revision it creates is saved
    at once and on its own.

    It runs in a copy of the current context: the same database connection (which lives in
    a context variable when an event loop runs in the thread, e.g. next to Playwright), but
    with reversion's stack of open revisions emptied. ``_stack`` is reversion's private
    context variable; tests/test_history.py covers the behaviour this relies on.
    """
    context = contextvars.copy_context()

    def run():
        reversion.revisions._stack.set([])
        function()

    context.run(run)


def record_deletion(objects, user=None, comment=None):
    """Keep the last state of entries about to be deleted, so that they can be recovered.

    Call it right before deleting. The revision is saved at once, in a context of its
    own: a revision that is already open (admin actions run in one) is only saved when
    it closes, and reversion leaves out entries that no longer exist by then.
    """
    objects = list(objects)
    if not objects:
        return
    # Translated here: the fresh context below starts in the default language.
    comment = str(comment or gettext("Deleted"))

    def save_snapshot():
        with record_change(user, comment):
            add_to_history(objects)

    outside_open_revision(save_snapshot)


def versioned_pks(model, pks):
    """The set of those ``pks`` of ``model`` entries that have a version already."""
    pks = list(pks)
    if not pks:
        return set()
    object_ids = (
        Version.objects.get_for_model(model)
        .filter(object_id__in=[str(pk) for pk in pks])
        .values_list("object_id", flat=True)
    )
    stored = set(object_ids)
    return {pk for pk in pks if str(pk) in stored}


def keep_original_state(objects, user=None):
    """Before the first recorded change of entries that have no version yet (demo data,
    imported or migrated entries), keep their stored state as a version of its own, so
    that even the first wrong edit can be undone. Call it right before changing them;
    pass the entries as they are in the database."""
    by_model = defaultdict(list)
    for obj in objects:
        if obj.pk is not None and reversion.is_registered(type(obj)):
            by_model[type(obj)].append(obj)
    unversioned = []
    for model, entries in by_model.items():
        versioned = versioned_pks(model, [obj.pk for obj in entries])
        unversioned.extend(obj for obj in entries if obj.pk not in versioned)
    if not unversioned:
        return
    comment = str(gettext("State before the first recorded change"))

    def save_snapshot():
        with record_change(user, comment):
            add_to_history(unversioned)

    # A context of its own, as in record_deletion(): an open revision would merge it with
    # the change itself.
    outside_open_revision(save_snapshot)


def may_recover(user):
    """Only KI editors (and superusers, who have every permission) recover deleted entries.
    City and provider editors only see parts of the data; a deleted entry has no city any
    more to check against, so recovering is not theirs to do."""
    return user.is_active and user.is_staff and user.has_perm(ALL_ENTRIES_PERMISSION)


def restore(version, user=None, comment=None):
    """Bring an entry back to ``version`` (or back at all, if it was deleted), with the
    inlines and many-to-many sets of that version, outside the admin; derived data is
    recomputed and the result kept as a new version. Returns the entry."""
    model = version._model
    revision = version.revision
    if comment is None:
        comment = gettext("Restored the version of %(date)s") % {
            "date": localize(timezone.localtime(revision.date_created))
        }
    with transaction.atomic(using=version.db), keeping_derived_data_current(revision):
        revision.revert(delete=True)
        obj = model._default_manager.using(version.db).get(pk=version.object_id)
        with record_change(user, comment):
            # A normal save after the raw revert, as the admin's restore does: sets
            # "updated" and modeltranslation's shadow columns, and keeps the new version.
            obj.save()
    return obj


# --- Derived data ---------------------------------------------------------------------------


def entries_of(revision):
    """{model: {pk, ...}} of the entries a revision holds versions of."""
    entries = defaultdict(set)
    for content_type_id, object_id in revision.version_set.values_list(
        "content_type_id", "object_id"
    ):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        entries[model].add(model._meta.pk.to_python(object_id))
    return entries


@contextmanager
def keeping_derived_data_current(revision):
    """Around the revert of ``revision``: afterwards, recompute what derives from the
    restored entries.

    A revert writes the versions back as raw saves (like loaddata), which the receivers
    that keep derived data current skip on purpose, and the admin's save after it finds
    the texts already restored. So, afterwards:

    * the translation status becomes that of the restored version: a translation that
      was outdated then is outdated again, one that was current is current. The restored
      texts count as edited now (translations/signals.py, record_restored_texts());
    * the derived data of the restored entries, and of entries built from them, is
      rebuilt through the registry (content/derived.py): the search text of restored
      offers and of offers showing a restored provider, venue, city or category, the
      occurrences of restored events and of events with restored dates.
    """
    entries = entries_of(revision)
    translated = [
        version for version in revision.version_set.all() if translated_fields(version._model)
    ]
    texts_before = {
        model: translation_signals.stored_texts(model, pks)
        for model, pks in entries.items()
        if translated_fields(model)
    }
    yield
    for version in translated:
        model = version._model
        pk = model._meta.pk.to_python(version.object_id)
        after = translation_signals.stored_texts(model, [pk]).get(pk)
        if after is None:  # not restored after all
            continue
        outdated = {
            (name, language)
            for name, language, col in outdated_in_version(version)
            # Changed in the restore form before saving: edited now, not outdated.
            if (after.get(col) or "") == (version.field_dict.get(col) or "")
        }
        translation_signals.record_restored_texts(
            model, pk, texts_before[model].get(pk, {}), after, outdated
        )
    derived.refresh(entries)


def outdated_in_version(version):
    """The (field, language, column) of the translations that were outdated in
    ``version``: their text is older than the German one.

    Judged from the entry's versions up to this one, like the translation status judges
    from its records: a text is as old as the oldest version in the run of versions that
    have it unchanged up to this one; a text that every earlier version has is older
    than the history and counts as oldest, the way texts loaded from fixtures count as
    current.
    """
    model = version._model
    fields = translated_fields(model)
    history = list(
        Version.objects.get_for_object_reference(model, version.object_id, model_db=version.db)
        .filter(pk__lte=version.pk)
        .select_related("revision")
        .order_by("-pk")
    )
    data = [(v.revision.date_created, v.field_dict) for v in history]

    def since(col):
        """When the column got its text in ``version``; None: before the history."""
        text = data[0][1].get(col) or ""
        date = None
        for created, values in data:
            if (values.get(col) or "") != text:
                return date
            date = created
        return None

    result = []
    for name in fields:
        source = since(column(name, SOURCE_LANGUAGE))
        if source is None:
            continue
        for language in target_languages():
            col = column(name, language)
            if not (data[0][1].get(col) or ""):
                continue  # missing, not outdated
            translated = since(col)
            if translated is None or translated < source:
                result.append((name, language, col))
    return result
