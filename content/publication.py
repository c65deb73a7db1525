"""The publication life cycle shared by offers, events and pages."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
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

    def needs_review(self, today=None):
        """See needs_review_condition()."""
        return self.filter(needs_review_condition(today))


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


class PublishedObjectMixin:
    """For detail views: the public sees published entries only (others answer 404);
    logged-in staff may preview drafts and archived entries."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.user.is_staff:
            return queryset
        return queryset.published()
