"""schema.org description of an event (JSON-LD), for search engines and assistants.

One Event object per date of the event (a list when it has several): a single date or
span with its start and end, a series with its next (or first) date and an eventSchedule
with the rule. eventStatus follows the event's status; a confirmed or fully booked event
is simply scheduled (schema.org has nothing finer; fully booked also says SoldOut).
"""

from django.conf import settings
from django.utils import timezone

from places.jsonld import venue_place

from .models import EventStatus, next_occurrence
from .recurrence import Repeat, local, week_of_month

SCHEMA = "https://schema.org/"
EVENT_STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.CONFIRMED: "EventScheduled",
    EventStatus.FULLY_BOOKED: "EventScheduled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.RESCHEDULED: "EventRescheduled",
    EventStatus.CANCELLED: "EventCancelled",
}
SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def moment(value, date_only):
    """ISO 8601 in Berlin time: a day for whole-day dates, else date, time and offset."""
    value = local(value)
    return value.date().isoformat() if date_only else value.isoformat()


def place(event):
    if event.venue:
        return venue_place(event.venue)
    locality = event.city.name if event.city else event.district.name
    return {
        "@type": "Place",
        "name": event.venue_note or locality,
        "address": {"@type": "PostalAddress", "addressLocality": locality, "addressCountry": "DE"},
    }


def schedule(date, occurrences):
    start = local(date.start)
    interval = date.interval or 1
    unit = "W" if date.repeat == Repeat.WEEKLY else "M"
    data = {
        "@type": "Schedule",
        "startDate": start.date().isoformat(),
        "endDate": date.repeat_until.isoformat(),
        "repeatFrequency": f"P{interval}{unit}",
        "scheduleTimezone": settings.TIME_ZONE,
    }
    if date.repeat in {Repeat.WEEKLY, Repeat.MONTHLY_WEEKDAY}:
        data["byDay"] = SCHEMA + SCHEMA_DAYS[start.weekday()]
    if date.repeat == Repeat.MONTHLY_WEEKDAY:
        data["byMonthWeek"] = week_of_month(start)
    if date.repeat == Repeat.MONTHLY_DAY:
        data["byMonthDay"] = start.day
    if not date.date_only:
        data["startTime"] = start.strftime("%H:%M")
        if date.end:
            data["endTime"] = local(date.end).strftime("%H:%M")
    cancelled = [moment(o.start, date.date_only) for o in occurrences if o.cancelled]
    if cancelled:
        data["exceptDate"] = cancelled
    return data


def event_json_ld(event, request, occurrences, new_date=None, now=None):
    """``occurrences``: the event's Occurrence rows; ``new_date``: for an event postponed to
    a new date, the next Occurrence of the event with that date (or None)."""
    base = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description[:500] or event.title,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "eventStatus": SCHEMA + EVENT_STATUS[event.status],
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": place(event),
        "organizer": {"@type": "Organization", "name": event.organizer_name},
    }
    if event.organizer:
        base["organizer"]["url"] = request.build_absolute_uri(event.organizer.get_absolute_url())
    audience = [group.label for group in event.target_groups.all()]
    if audience:
        base["audience"] = {"@type": "Audience", "audienceType": ", ".join(audience)}
    if event.status == EventStatus.FULLY_BOOKED:
        base["offers"] = {
            "@type": "Offer",
            "availability": SCHEMA + "SoldOut",
            "url": base["url"],
        }
    now = now or timezone.now()
    by_date = {}
    for occurrence in occurrences:
        by_date.setdefault(occurrence.date_id, []).append(occurrence)
    items = []
    for date in event.dates.all():
        own = by_date.get(date.pk, [])
        shown = next_occurrence(own, now) if date.is_series and own else date
        item = dict(base)
        item["startDate"] = moment(shown.start, date.date_only)
        if shown.end:
            item["endDate"] = moment(shown.end, date.date_only)
        if date.is_series:
            item["eventSchedule"] = schedule(date, own)
        if event.status == EventStatus.RESCHEDULED and new_date is not None:
            # schema.org: the old date goes to previousStartDate, the new one to startDate.
            item["previousStartDate"] = item["startDate"]
            item["startDate"] = moment(new_date.start, new_date.date_only)
            item.pop("endDate", None)
            if new_date.end:
                item["endDate"] = moment(new_date.end, new_date.date_only)
        items.append(item)
    if not items:
        return base
    return items[0] if len(items) == 1 else items
