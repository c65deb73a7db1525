"""The figures and the needs-review list on the admin start page, per user: counted through
each ModelAdmin's scoped queryset, so a city editor sees the numbers of their own cities."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse

from content.publication import PublicationStatus

# How many overdue entries the start page lists per kind; the link leads to all of them.
NEEDS_REVIEW_SHOWN = 8


@dataclass
class OverdueEntry:
    entry: object
    change_url: str
    still_current_url: str


@dataclass
class Section:
    """One kind of entry (offers, events) on the start page."""

    title: str
    changelist_url: str
    counts: dict
    overdue: list = field(default_factory=list)

    def link(self, query):
        return f"{self.changelist_url}?{query}"

    @property
    def links(self):
        return {
            "published": self.link(f"publication_status__exact={PublicationStatus.PUBLISHED}"),
            "draft": self.link(f"publication_status__exact={PublicationStatus.DRAFT}"),
            "review": self.link(f"publication_status__exact={PublicationStatus.IN_REVIEW}"),
            "needs_review": self.link("review=due"),
        }


def section_for(model_admin, request):
    opts = model_admin.opts
    entries = model_admin.scoped_queryset(request)
    counts = entries.aggregate(
        published=Count("pk", filter=Q(publication_status=PublicationStatus.PUBLISHED)),
        draft=Count("pk", filter=Q(publication_status=PublicationStatus.DRAFT)),
        review=Count("pk", filter=Q(publication_status=PublicationStatus.IN_REVIEW)),
        needs_review=Count("pk", filter=entries.review_due_condition()),
    )
    overdue_entries = (
        entries.needs_review()
        .annotate(reviewed_or_created=Coalesce("last_reviewed", TruncDate("created")))
        .order_by(F("reviewed_or_created").asc(), "pk")
        .select_related("city")[:NEEDS_REVIEW_SHOWN]
    )
    url_prefix = f"admin:{opts.app_label}_{opts.model_name}"
    overdue = [
        OverdueEntry(
            entry=entry,
            change_url=reverse(f"{url_prefix}_change", args=[entry.pk]),
            still_current_url=reverse(f"{url_prefix}_still_current", args=[entry.pk]),
        )
        for entry in overdue_entries
    ]
    return Section(
        title=opts.verbose_name_plural,
        changelist_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        counts=counts,
        overdue=overdue,
    )


def dashboard(request, site):
    """The start page's sections for the models the user may see."""
    from events.models import Event
    from offers.models import Offer, Suggestion

    sections = []
    for model in (Offer, Event):
        model_admin = site._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            continue
        sections.append(section_for(model_admin, request))
    suggestions = None
    suggestion_admin = site._registry.get(Suggestion)
    if suggestion_admin is not None and suggestion_admin.has_view_or_change_permission(request):
        suggestions = {
            "open": suggestion_admin.get_queryset(request).open().count(),
            "url": reverse("admin:offers_suggestion_changelist") + "?status__exact=open",
        }
    return {
        "sections": sections,
        "suggestions": suggestions,
        "review_after_months": settings.PORTAL_REVIEW_AFTER_MONTHS,
    }
