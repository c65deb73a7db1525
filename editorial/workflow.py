"""Status changes and review stamps made by bulk actions and one-click buttons.

Each entry is saved on its own (not with QuerySet.update()) so that signals keep derived
data current and the version history records who changed what, with one revision per
action.
"""

from django.utils import timezone
from django.utils.translation import gettext

from content.publication import PublicationStatus, has_review_date
from editorial.history import keep_original_state, record_change


def today():
    return timezone.localdate()


def set_status(entries, status, user):
    """Move the entries to ``status``; publishing stamps last_reviewed. Returns the number
    of entries whose status changed."""
    changed = 0
    comment = gettext("Status changed to “%(status)s”.") % {
        "status": PublicationStatus(status).label
    }
    with record_change(user, comment):
        for entry in entries:
            if entry.publication_status == status:
                continue
            entry.publication_status = status
            update_fields = ["publication_status", "updated"]
            if status == PublicationStatus.PUBLISHED and has_review_date(type(entry)):
                entry.last_reviewed = today()
                update_fields.append("last_reviewed")
            entry.save(update_fields=update_fields)
            changed += 1
    return changed


def mark_reviewed(entries, user):
    """Confirm the entries as current today. Returns how many were stamped."""
    stamped = 0
    entries = list(entries)
    keep_original_state(entries, user)
    with record_change(user, gettext("Marked as reviewed: still current.")):
        for entry in entries:
            entry.last_reviewed = today()
            entry.save(update_fields=["last_reviewed", "updated"])
            stamped += 1
    return stamped
