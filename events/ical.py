"""Events as iCalendar (RFC 5545), for "add to calendar" and the subscribable feed.

* Times are written in Europe/Berlin with a VTIMEZONE, so calendars anywhere show the
  right hour on both sides of a daylight-saving change.
* Each EventDate becomes one VEVENT with its own UID (``event-<id>-date-<id>@<host>``):
  an event on three separate days is three VEVENTs sharing the UID's event part; a series
  is one VEVENT with an RRULE, its cancelled evenings as EXDATE.
* Postponed and cancelled events stay in the calendar, marked: STATUS:CANCELLED for
  cancelled and rescheduled ones (the new date is an event of its own), TENTATIVE for
  postponed ones, and the title says so, since many calendar apps do not show STATUS.
"""

import datetime as dt

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur
from icalendar import Event as CalendarEvent

from .models import EventStatus
from .recurrence import BERLIN, Repeat, local, week_of_month

PRODID = "-//Integrationsportal//Veranstaltungen//DE"
ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.FULLY_BOOKED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.RESCHEDULED: "CANCELLED",
    EventStatus.CANCELLED: "CANCELLED",
}
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def berlin_timezone():
    """VTIMEZONE for Europe/Berlin in the rule form calendar apps write themselves: the
    EU rules (last Sunday of March and of October), in force since 1996 and open-ended.
    Events before 1996 are not expected in the portal."""
    zone = Timezone()
    zone.add("tzid", "Europe/Berlin")
    zone.add("x-lic-location", "Europe/Berlin")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("dtstart", dt.datetime(1996, 3, 31, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # How often subscribers should reload the feed (RFC 7986, and Outlook's own name).
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    calendar.add_component(berlin_timezone())
    return calendar


def title_with_status(event):
    titles = {
        EventStatus.CANCELLED: gettext("Cancelled: %(title)s"),
        EventStatus.POSTPONED: gettext("Postponed: %(title)s"),
        EventStatus.RESCHEDULED: gettext("Postponed: %(title)s"),
        EventStatus.FULLY_BOOKED: gettext("Fully booked: %(title)s"),
    }
    return titles.get(event.status, "%(title)s") % {"title": event.title}


def location(event):
    parts = []
    if event.venue:
        parts += [event.venue.name, event.venue.address]
    if event.venue_note:
        parts.append(event.venue_note)
    if not parts:
        parts.append(event.city.name if event.city else event.district.name)
    return ", ".join(parts)


def description(event, url):
    lines = [gettext("Status: %(status)s") % {"status": event.get_status_display()}]
    if event.status_note:
        lines[0] += f" ({event.status_note})"
    if event.description:
        lines += ["", event.description]
    lines.append("")
    lines.append(gettext("Organizer: %(name)s") % {"name": event.organizer_name})
    if event.registration_required:
        lines.append(gettext("Registration required."))
        if event.registration_deadline:
            lines.append(
                gettext("Register by %(date)s.")
                % {"date": date_format(event.registration_deadline, "DATE_FORMAT")}
            )
    contact = ", ".join(
        part for part in (event.contact_name, event.contact_phone, event.contact_email) if part
    )
    if contact:
        lines.append(gettext("Contact: %(contact)s") % {"contact": contact})
    lines += ["", url]
    return "\n".join(lines)


def day_after(moment):
    return local(moment).date() + dt.timedelta(days=1)


def recurrence_rule(date):
    start = local(date.start)
    rule = {"freq": "weekly" if date.repeat == Repeat.WEEKLY else "monthly"}
    if date.interval and date.interval > 1:
        rule["interval"] = date.interval
    if date.repeat == Repeat.MONTHLY_WEEKDAY:
        rule["byday"] = f"{week_of_month(start)}{RRULE_DAYS[start.weekday()]}"
    elif date.repeat == Repeat.MONTHLY_DAY:
        rule["bymonthday"] = start.day
    if date.date_only:
        rule["until"] = date.repeat_until
    else:
        # With a start in a time zone, RFC 5545 wants UNTIL in UTC.
        last_moment = dt.datetime.combine(date.repeat_until, dt.time(23, 59, 59), tzinfo=BERLIN)
        rule["until"] = last_moment.astimezone(dt.UTC)
    return vRecur(rule)


def date_component(event, date, cancelled_starts, url, host):
    """The VEVENT of one EventDate. ``cancelled_starts``: starts of cancelled occurrences."""
    component = CalendarEvent()
    component.add("uid", f"event-{event.pk}-date-{date.pk}@{host}")
    component.add("dtstamp", event.updated.astimezone(dt.UTC))
    component.add("created", event.created.astimezone(dt.UTC))
    component.add("last-modified", event.updated.astimezone(dt.UTC))
    component.add("summary", title_with_status(event))
    if date.date_only:
        end = date.end or date.start
        component.add("dtstart", local(date.start).date())
        component.add("dtend", day_after(end))
    else:
        component.add("dtstart", local(date.start))
        if date.end:
            component.add("dtend", local(date.end))
    status = ICAL_STATUS[event.status]
    if date.is_series:
        component.add("rrule", recurrence_rule(date))
        if cancelled_starts:
            component.add(
                "exdate",
                [
                    local(start).date() if date.date_only else local(start)
                    for start in sorted(cancelled_starts)
                ],
            )
    elif cancelled_starts:
        status = "CANCELLED"
    component.add("status", status)
    component.add("location", location(event))
    if event.venue and event.venue.has_coordinates:
        component.add("geo", (float(event.venue.latitude), float(event.venue.longitude)))
    component.add("description", description(event, url))
    component.add("url", url)
    categories = [category.label for category in event.categories.all()]
    if categories:
        component.add("categories", categories)
    return component


def event_components(event, request):
    """The VEVENTs of an event; expects dates, categories and cancelled_occurrences
    (a list of its cancelled Occurrence rows) to be loaded."""
    url = request.build_absolute_uri(event.get_absolute_url())
    host = request.get_host().split(":")[0]
    cancelled = {}
    for occurrence in event.cancelled_occurrences:
        cancelled.setdefault(occurrence.date_id, []).append(occurrence.start)
    return [
        date_component(event, date, cancelled.get(date.pk, []), url, host)
        for date in event.dates.all()
    ]


def calendar_for(events, request, name):
    """The iCalendar file (bytes) of ``events``."""
    calendar = new_calendar(name)
    for event in events:
        for component in event_components(event, request):
            calendar.add_component(component)
    return calendar.to_ical()
