"""The publication life cycle shared by offers, events and pages."""

from django.db import models
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
