"""Version history in the content admins: history, compare, restore and recover.

HistoryAdmin is one of ContentAdmin's bases (content_admin.py); the model must be
registered with editorial.history.register(). It is django-reversion-compare's admin with:

* the state before the first recorded change kept (ContentAdmin.save_model());
* every deletion kept first, so that entries deleted in the admin (also with the "delete
  selected" action) can be recovered even if they were never saved with history on;
* recovering deleted entries only for users with the "edit all entries" permission;
* history, compare and restore only for entries the user may see (the admin's queryset
  and object permissions), and only with versions of that entry;
* the derived data (search text, event occurrences, translation status) recomputed
  after a restore or recovery;
* texts in the admin's language: the change comment names each field as the form does,
  a language column as "Schedule (German)" (change_message()); the compare page
  (templates/reversion-compare/) shows only the fields that changed, texts word by word
  (word_diff()), with the same names.
"""

import difflib
import re

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from modeltranslation.fields import TranslationField
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from . import history


def field_label(field):
    """A model field's name as staff read it, in the active language: "Schedule
    (German)" for a language column of a translated text, "Dates" for an inline."""
    if isinstance(field, TranslationField):
        return gettext("%(field)s (%(language)s)") % {
            "field": capfirst(field.translated_field.verbose_name),
            "language": get_language_info(field.language)["name_translated"],
        }
    if field.auto_created and not field.concrete:  # a reverse relation: the inline's model
        return capfirst(field.related_model._meta.verbose_name_plural)
    return capfirst(field.verbose_name)


def form_labels(form, names):
    """The names of a form's changed fields for the change comment."""
    labels = []
    for name in names:
        try:
            field = form._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if isinstance(field, TranslationField):
            labels.append(field_label(field))
        elif name in form.fields and form.fields[name].label:
            labels.append(str(form.fields[name].label))
        else:
            labels.append(name)
    return labels


def change_message(form, formsets, add):
    """Django's change message (admin.utils.construct_change_message()), with the field
    names in the active language.

    Django keeps the untranslated form labels ("Schedule [de]") and translates them when
    the message is shown; they are no msgids ("schedule" is), so they stayed English,
    and reversion keeps the message as the version's comment when it is saved. Here the
    names are those staff see in the form, a language column as "Schedule (German)"; the
    comment is written in the language of the admin that saved the entry, like every
    other comment of the history.
    """
    message = []
    if add:
        message.append({"added": {}})
    elif form.changed_data:
        message.append({"changed": {"fields": form_labels(form, form.changed_data)}})
    for formset in formsets or ():
        for added in formset.new_objects:
            message.append({"added": {"name": str(added._meta.verbose_name), "object": str(added)}})
        for changed, fields in formset.changed_objects:
            message.append(
                {
                    "changed": {
                        "name": str(changed._meta.verbose_name),
                        "object": str(changed),
                        "fields": form_labels(formset.forms[0], fields),
                    }
                }
            )
        for deleted in formset.deleted_objects:
            message.append(
                {"deleted": {"name": str(deleted._meta.verbose_name), "object": str(deleted)}}
            )
    return message


# A text as its words, each with the white space after it.
WORDS = re.compile(r"\S+\s*")


def word_diff(old, new):
    """The change from ``old`` to ``new`` word by word, as HTML: removed words in <del>,
    added ones in <ins>, both texts escaped. Line breaks and spacing are those of the
    new text."""
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    matcher = difflib.SequenceMatcher(
        None,
        [word.rstrip() for word in old_words],
        [word.rstrip() for word in new_words],
        autojunk=False,
    )
    lead = new[: len(new) - len(new.lstrip())]
    html = [escape(lead)]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        if tag == "equal":
            html.append(escape(added))
            continue
        space = (added or removed)[len((added or removed).rstrip()) :]
        if removed:
            html.append(format_html("<del>{}</del>", removed.rstrip()))
        if added:
            html.append(format_html("<ins>{}</ins>", added.rstrip()))
        html.append(escape(space))
    return format_html('<p class="word-diff">{}</p>', mark_safe("".join(html)))


def same_text(field, version1, version2):
    """Whether a text field differs only between empty and NULL: entries stored before
    their first admin save (demo data, imports, migrations) hold NULL where the admin's
    form writes "", which reversion-compare counts as a change nobody could see."""
    if not isinstance(field, (models.CharField, models.TextField)):
        return False
    first = version1.field_dict.get(field.name)
    second = version2.field_dict.get(field.name)
    return (first or "") == (second or "")


class HistoryAdmin(CompareVersionAdmin):
    # reversion's own template ("reversion/change_list.html") shows "Recover deleted …"
    # to everybody who may add entries; ours only to those who may recover. It extends
    # "admin/change_list.html" and fills the object-tools-items block, so an admin that
    # also uses django-import-export wraps it (import-export takes the admin's
    # change_list_template as its base, ie_base_change_list_template).
    change_list_template = "admin/history/change_list.html"
    # The history lists the newest version first.
    history_latest_first = True

    def may_recover(self, request):
        return (
            history.may_recover(request.user)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"may_recover": self.may_recover(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def construct_change_message(self, request, form, formsets, add=False):
        return change_message(form, formsets, add)

    # --- Comparing ------------------------------------------------------------------------------

    def compare(self, obj, version1, version2):
        """The fields that differ between the versions, each with its label. "updated" is
        left out: it changes with every save, and each version shows its date anyway."""
        diff, _unfollowed = super().compare(obj, version1, version2)
        diff = [
            entry
            for entry in diff
            if not getattr(entry["field"], "auto_now", False)
            and not same_text(entry["field"], version1, version2)
        ]
        for entry in diff:
            entry["label"] = field_label(entry["field"])
        # The note on links marked with * only where one is shown.
        return diff, any(entry["is_related"] and not entry["follow"] for entry in diff)

    def _text(self, compare_object):
        if compare_object.value is None:
            return ""
        return str(compare_object.to_string())

    def compare_TextField(self, obj_compare):
        """Texts word by word (also names, e-mail addresses, links and choices)."""
        return word_diff(self._text(obj_compare.compare_obj1), self._text(obj_compare.compare_obj2))

    compare_CharField = compare_SlugField = compare_TextField

    # --- Deleting ---------------------------------------------------------------------------

    def delete_model(self, request, obj):
        history.record_deletion([obj], request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        history.record_deletion(queryset, request.user)
        super().delete_queryset(request, queryset)

    # --- Viewing, comparing and restoring -----------------------------------------------------

    def _visible_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def compare_view(self, request, object_id, extra_context=None):
        obj = self._visible_object(request, object_id)
        extra_context = {
            "title": gettext("Compare versions of “%(entry)s”") % {"entry": obj},
            **(extra_context or {}),
        }
        return super().compare_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self._visible_object(request, object_id)
        # reversion looks the version up by its id and the entry's id only, which would
        # let a version of another kind of entry with the same id be reverted here.
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        if request.method != "POST":  # a preview, rolled back by reversion
            return super().revision_view(request, object_id, version_id, extra_context)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return self._restoring(
            version, super().revision_view, request, object_id, version_id, extra_context
        )

    # --- Recovering deleted entries --------------------------------------------------------

    def recoverlist_view(self, request, extra_context=None):
        if not self.may_recover(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.may_recover(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(self.model).select_related("revision"),
            pk=unquote(str(version_id)),
        )
        if request.method != "POST":
            return super().recover_view(request, version_id, extra_context)
        return self._restoring(version, super().recover_view, request, version_id, extra_context)

    def _restoring(self, version, view, *args):
        # reversion reverts the revision with raw saves and then runs the change form; the
        # derived data is recomputed afterwards, in the same transaction.
        with (
            transaction.atomic(using=version.db),
            history.keeping_derived_data_current(version.revision),
        ):
            return view(*args)
