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
  after a restore or recovery.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from . import history


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
        self._visible_object(request, object_id)
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
