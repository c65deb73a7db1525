"""Event dates as residents read them, always in Berlin time and on a 24-hour clock
(as on the posters and in the KI's own tables), in the page's language."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import pgettext

from events.recurrence import local

register = template.Library()
DASH = "\N{EN DASH}"


def day(value):
    return f"{date_format(value, 'D')}, {date_format(value, 'DATE_FORMAT')}"


def clock(value):
    return pgettext("time of day", "%(time)s") % {"time": value.strftime("%H:%M")}


@register.filter
def when(date):
    """An EventDate or Occurrence in words: "Tue, 8 December 2026, 18:00-20:00"."""
    start = local(date.start)
    end = local(date.end) if date.end else None
    if date.date_only:
        if end is None or end.date() == start.date():
            return day(start.date())
        return f"{day(start.date())} {DASH} {day(end.date())}"
    if end is None:
        return f"{day(start.date())}, {clock(start)}"
    if end.date() == start.date():
        return f"{day(start.date())}, {times(date)}"
    return f"{day(start.date())}, {clock(start)} {DASH} {day(end.date())}, {clock(end)}"


@register.filter
def machine_date(date):
    """The value for <time datetime="…">: the day, or the moment with its offset."""
    start = local(date.start)
    return start.date().isoformat() if date.date_only else start.isoformat()


@register.filter
def times(date):
    """Only the time of day of a date ("18:00-20:00"), empty for whole days."""
    if date.date_only:
        return ""
    start = local(date.start)
    if not date.end:
        return clock(start)
    return pgettext("time span", "%(start)s–%(end)s") % {
        "start": start.strftime("%H:%M"),
        "end": local(date.end).strftime("%H:%M"),
    }
