"""The publication life cycle of offers, events and pages, in one place.

* States: draft → in review → published → archived (PublicationStatus). The public sees
  published entries only (PublishableQuerySet.published(), PublishedObjectMixin).
* Who may do what: everybody who may change an entry moves it between draft and "in
  review"; publishing and archiving need the model's publish permission
  (offers.publish_offer, events.publish_event, pages.publish_page).
* Transitions: set_status() moves entries; publishing stamps last_reviewed, as does
  mark_reviewed() ("still current"). Entries nobody confirmed within
  PORTAL_REVIEW_AFTER_MONTHS need a review (needs_review_condition()).

The admin (editorial/admin.py) is the face of this module: its form, bulk actions and
"still current" button call these functions and record each change in the version history.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    # Ready for someone with the publish permission to check and publish.
    IN_REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Entries the public may see. Models with more rules (validity dates) extend this."""
        return self.filter(publication_status=PublicationStatus.PUBLISHED)


def has_review_date(model):
    """Whether the model keeps a last_reviewed date (offers and events; pages do not)."""
    return any(field.name == "last_reviewed" for field in model._meta.concrete_fields)


def review_cutoff(today=None):
    """Entries last confirmed before this day need a review."""
    today = today or timezone.localdate()
    return today - relativedelta(months=settings.PORTAL_REVIEW_AFTER_MONTHS)


def needs_review_condition(today=None):
    """Entries still in use (not archived) that nobody has confirmed as current within
    PORTAL_REVIEW_AFTER_MONTHS. An entry never reviewed counts from its creation, so a new
    draft does not show up on its first day."""
    cutoff = review_cutoff(today)
    return ~Q(publication_status=PublicationStatus.ARCHIVED) & (
        Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True, created__date__lt=cutoff)
    )


class ReviewedQuerySet(models.QuerySet):
    """For models with a ``last_reviewed`` date (offers and events)."""

    def review_due_condition(self, today=None):
        """needs_review_condition(), for models to narrow down (past events leave the
        queue); the admin's filter and start page use this one."""
        return needs_review_condition(today)

    def needs_review(self, today=None):
        return self.filter(self.review_due_condition(today))


class Publishable(models.Model):
    publication_status = models.CharField(
        _("publication status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text=_("Only published entries are visible to the public."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED


# --- Who may do what -----------------------------------------------------------------------

# Without the publish permission an editor keeps an entry's current status or moves it
# between these two; an editor of the integration centre (KI) checks and publishes it.
STATUSES_WITHOUT_PUBLISH_PERMISSION = frozenset(
    {PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW}
)


def has_publication_status(model):
    """Whether the model goes through the life cycle (offers, events, pages)."""
    return issubclass(model, Publishable)


def publish_permission(model):
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def may_publish(user, model):
    """Whether ``user`` may publish and archive entries of ``model``."""
    return user.has_perm(publish_permission(model))


def statuses_allowed(user, model, current=None):
    """The statuses ``user`` may give an entry of ``model`` whose status is ``current``
    (None: a new entry)."""
    if may_publish(user, model):
        return set(PublicationStatus.values)
    allowed = set(STATUSES_WITHOUT_PUBLISH_PERMISSION)
    if current:
        allowed.add(current)
    return allowed


# --- Transitions ----------------------------------------------------------------------------


def today():
    return timezone.localdate()


def stamp_if_published(entry, changed_fields):
    """Before saving ``entry`` whose ``changed_fields`` changed: an entry that becomes
    published counts as reviewed today."""
    if (
        "publication_status" in changed_fields
        and entry.is_published
        and has_review_date(type(entry))
    ):
        entry.last_reviewed = today()


def set_status(entries, status):
    """Move ``entries`` to ``status``; publishing stamps last_reviewed. Returns how many
    entries changed.

    Each entry is saved on its own (not with QuerySet.update()), so that the receivers
    keeping derived data current run and a surrounding revision of the version history
    records every entry.
    """
    changed = 0
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


def mark_reviewed(entries):
    """Confirm ``entries`` as current today (saved one by one, as in set_status()).
    Returns how many were stamped."""
    stamped = 0
    for entry in entries:
        entry.last_reviewed = today()
        entry.save(update_fields=["last_reviewed", "updated"])
        stamped += 1
    return stamped


# --- Reading -----------------------------------------------------------------------------


# Who may preview an unpublished entry (draft, in review, archived) on its public page.
# The answer is the admin's: exactly the staff who may open the entry in the admin, by
# their permissions and editing area. Those rules live in the staff wing (editorial/),
# which the ground floor must not import, so editorial registers them here when it starts
# (EditorialConfig.ready()). Without a registered rule nobody previews anything: a
# portal without its staff wing shows published entries only.
_preview_rule = None


def register_preview_rule(rule):
    """Install ``rule(user, entry) -> bool``, the one answer to "may this user preview
    this unpublished entry"; editorial registers it (editorial/preview.py)."""
    global _preview_rule
    _preview_rule = rule


def may_preview(user, entry):
    """Whether ``user`` may see the unpublished ``entry`` on its public page."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    return _preview_rule is not None and bool(_preview_rule(user, entry))


class PublishedObjectMixin:
    """For detail views: the public sees published entries only (others answer 404); staff
    may preview drafts and archived entries, but only those they may edit in the admin
    (may_preview()). Everyone else gets the same 404 as for an address that does not
    exist, so a draft's address does not even reveal that it exists."""

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return super().get_object(queryset.published())
        except Http404:
            if not self.request.user.is_staff:
                raise
        entry = super().get_object(queryset)
        if not may_preview(self.request.user, entry):
            raise Http404
        return entry
