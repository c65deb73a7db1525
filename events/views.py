from django.views.generic import DetailView

from integration_portal.publishing import PublishedObjectMixin

from .models import Event


class EventDetailView(PublishedObjectMixin, DetailView):
    queryset = Event.objects.select_related(
        "district", "city", "venue", "venue__city", "organizer", "rescheduled_to"
    ).prefetch_related("dates", "attachments", "categories", "target_groups")
