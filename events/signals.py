"""Keep each event's occurrences (the expanded dates) current whatever changes its dates.

Raw saves (loaddata) are skipped: they come in bulk, and load_demo refreshes all events
once at the end. Deletions that cascade from deleting the event itself are skipped too:
its occurrences go with it, and rebuilding them would recreate rows for an event that is
about to disappear.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CancelledDate, Event, EventDate


def deleting_the_event(origin):
    if isinstance(origin, QuerySet):
        return origin.model is Event
    return isinstance(origin, Event)


@receiver(post_save, sender=EventDate)
@receiver(post_save, sender=CancelledDate)
def date_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        Event.objects.filter(pk=instance.event_id).refresh_occurrences()


@receiver(post_delete, sender=EventDate)
@receiver(post_delete, sender=CancelledDate)
def date_deleted(sender, instance, origin=None, **kwargs):
    if not deleting_the_event(origin):
        Event.objects.filter(pk=instance.event_id).refresh_occurrences()
