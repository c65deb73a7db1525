"""Public event pages. The lists and the calendar feed present one EventSearch; the event
page and its .ics file follow the publication rules of every detail page."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import DetailView, TemplateView

from content.embed import map_json, script_json
from content.publication import PublishedObjectMixin, may_preview
from places.geojson import venue_feature

from .ical import calendar_for
from .jsonld import event_json_ld
from .models import Event, EventStatus, Occurrence, next_occurrence
from .recurrence import local
from .search import FEED, PAST, UPCOMING, EventSearch

# Upcoming dates of a series listed on its event page; the rest are summed up.
SERIES_DATES_SHOWN = 12
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


class EventListView(TemplateView):
    """Upcoming events by date (events running now included), or past ones newest first."""

    template_name = "events/event_list.html"
    scope = UPCOMING

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listing = EventSearch(self.request.GET, scope=self.scope)
        page = listing.page()
        query = listing.query_string()
        suffix = "?" + query if query else ""
        feed_url = self.request.build_absolute_uri(reverse("events:feed") + suffix)
        context.update(
            listing=listing,
            form=listing.form,
            page_obj=page,
            events=page.object_list,
            page_query=query,
            past=self.scope == PAST,
            upcoming_url=reverse("events:list") + suffix,
            past_url=reverse("events:past") + suffix,
            feed_url=feed_url,
            # webcal: opens the calendar app's subscribe dialog (Apple, Outlook, Thunderbird).
            webcal_url="webcal://" + feed_url.split("://", 1)[1],
        )
        return context


class PastEventListView(EventListView):
    scope = PAST


def feed(request):
    """The upcoming (and recent) events matching the list's filters, as a calendar to
    subscribe to. Invalid filters answer 400: a calendar app cannot show a note, and a
    subscription that silently ignored a misspelt city would bring every event."""
    listing = EventSearch(request.GET, scope=FEED)
    if listing.notes:
        return HttpResponseBadRequest(
            "\n".join(listing.notes), content_type="text/plain; charset=utf-8"
        )
    name = gettext("Events")
    if listing.city:
        name = gettext("Events in %(city)s") % {"city": listing.city.name}
    name = f"{settings.PORTAL_NAME}: {name}"
    response = HttpResponse(
        calendar_for(listing.feed_events(), request, name), content_type=CALENDAR_CONTENT_TYPE
    )
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


def cancelled_occurrences():
    return Prefetch(
        "occurrences",
        queryset=Occurrence.objects.filter(cancelled=True),
        to_attr="cancelled_occurrences",
    )


class EventCalendarView(PublishedObjectMixin, DetailView):
    """One event as an .ics file, for "add to calendar"."""

    queryset = Event.objects.select_related(
        "district", "city", "venue", "venue__city", "organizer"
    ).prefetch_related("dates", "categories", cancelled_occurrences())

    def render_to_response(self, context, **response_kwargs):
        event = self.object
        response = HttpResponse(
            calendar_for([event], self.request, event.title), content_type=CALENDAR_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response


def date_groups(event, now):
    """The event's dates for its page: each EventDate with its occurrences; a series with
    its rule in words and only its next dates."""
    occurrences = {}
    for occurrence in event.occurrences.all():
        occurrences.setdefault(occurrence.date_id, []).append(occurrence)
    groups = []
    for date in event.dates.all():
        own = occurrences.get(date.pk, [])
        group = {"date": date, "series": date.is_series, "occurrences": own, "more": 0}
        if date.is_series:
            ahead = [occurrence for occurrence in own if not occurrence.is_over(now)]
            group.update(
                rule=date.describe_repetition(),
                over=not ahead,
                last=own[-1] if own else None,
                occurrences=ahead[:SERIES_DATES_SHOWN],
                more=max(len(ahead) - SERIES_DATES_SHOWN, 0),
            )
        groups.append(group)
    return groups


def event_feature(event):
    return venue_feature(
        event.venue,
        {
            "name": event.title,
            "url": event.get_absolute_url(),
            "venue": event.venue.name,
            "city": event.venue.city.name,
        },
    )


class EventDetailView(PublishedObjectMixin, DetailView):
    queryset = Event.objects.select_related(
        "district", "city", "venue", "venue__city", "organizer", "rescheduled_to"
    ).prefetch_related("dates", "occurrences", "attachments", "categories", "target_groups")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        now = timezone.now()
        occurrences = list(event.occurrences.all())
        new_event, new_date = self.new_date(event, now)
        context.update(
            date_groups=date_groups(event, now),
            is_over=bool(occurrences) and all(o.is_over(now) for o in occurrences),
            new_event=new_event,
            new_date=new_date,
            calendar_url=event.get_calendar_url(),
            registration_closed=bool(
                event.registration_deadline and event.registration_deadline < local(now).date()
            ),
        )
        if event.venue and event.venue.has_coordinates:
            context["venue_geojson"] = map_json([event_feature(event)])
        context["json_ld"] = script_json(
            event_json_ld(event, self.request, occurrences, new_date, now)
        )
        return context

    def new_date(self, event, now):
        """For an event postponed to a new date: that event, if this visitor may see it,
        and its next date."""
        if event.status != EventStatus.RESCHEDULED or not event.rescheduled_to_id:
            return None, None
        new_event = event.rescheduled_to
        if not (new_event.is_published or may_preview(self.request.user, new_event)):
            return None, None
        return new_event, next_occurrence(list(new_event.occurrences.all()), now)
