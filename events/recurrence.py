"""When an event takes place: its dates expanded into single occurrences, in Berlin time.

An EventDate is one date, a span of days, or the first date of a series that repeats
weekly or monthly until a given day. Series are stored as that rule; this module expands
them with dateutil's rrule. Expansion works on *wall-clock* time in Europe/Berlin, so a
series at 18:00 stays at 18:00 across the change to and from daylight saving time.

The functions take anything with the EventDate fields (start, end, date_only, repeat,
interval, repeat_until), so they need no database.
"""

import datetime as dt
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

BERLIN = ZoneInfo(settings.TIME_ZONE)
# A series longer than this is almost certainly a typo in its end date (year 2206).
MAX_OCCURRENCES = 300


class Repeat(models.TextChoices):
    NONE = "", _("does not repeat")
    WEEKLY = "weekly", _("weekly")
    MONTHLY_WEEKDAY = "monthly_weekday", _("monthly, on the same weekday (e.g. every 2nd Tuesday)")
    MONTHLY_DAY = "monthly_day", _("monthly, on the same day of the month (e.g. every 14th)")


def local(moment):
    return timezone.localtime(moment, BERLIN)


def start_of_day(day):
    return dt.datetime.combine(day, dt.time(0), tzinfo=BERLIN)


def end_of_day(day):
    """The first moment after ``day`` in Berlin (the next midnight)."""
    return start_of_day(day + dt.timedelta(days=1))


def ends_at(start, end, date_only):
    """When a date is over. Whole-day dates last until the end of their (last) day; so does
    a date without an end time, as nobody knows how long it runs."""
    if end is not None and not date_only:
        return end
    return end_of_day(local(end or start).date())


def week_of_month(day):
    """1 to 4 for the first to fourth weekday of its kind in the month; -1 for a fifth,
    which is always the last one (and there is not always a fifth)."""
    number = (day.day - 1) // 7 + 1
    return -1 if number == 5 else number


def rule(date):
    """The dateutil rule of a repeating date (in naive Berlin wall-clock time), or None."""
    if not date.repeat or not date.repeat_until:
        return None
    start = local(date.start).replace(tzinfo=None)
    until = dt.datetime.combine(date.repeat_until, dt.time(23, 59, 59))
    options = {"dtstart": start, "until": until, "interval": date.interval or 1}
    if date.repeat == Repeat.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, **options)
    if date.repeat == Repeat.MONTHLY_WEEKDAY:
        weekday = rrule.weekdays[start.weekday()](week_of_month(start))
        return rrule.rrule(rrule.MONTHLY, byweekday=weekday, **options)
    if date.repeat == Repeat.MONTHLY_DAY:
        return rrule.rrule(rrule.MONTHLY, bymonthday=start.day, **options)
    raise ValueError(f"unknown repetition {date.repeat!r}")


def occurrence_times(date, limit=MAX_OCCURRENCES):
    """(start, end) of every occurrence of the date, aware in Berlin; end may be None.
    A repeating date keeps its wall-clock times and length (in days) on every occurrence."""
    series = rule(date)
    if series is None:
        return [(date.start, date.end)]
    first = local(date.start)
    last = local(date.end) if date.end else None
    times = []
    for naive_start in islice(series, limit):
        start = naive_start.replace(tzinfo=BERLIN)
        end = None
        if last is not None:
            day = start.date() + (last.date() - first.date())
            end = dt.datetime.combine(day, last.time(), tzinfo=BERLIN)
        times.append((start, end))
    return times


def count_occurrences(date, limit=MAX_OCCURRENCES + 1):
    series = rule(date)
    return 1 if series is None else sum(1 for _start in islice(series, limit))


def ordinal(number):
    # Contextual so that German can use the form that fits "jeden zweiten Dienstag" and
    # "am zweiten Dienstag" alike.
    return {
        1: pgettext("weekday of the month", "first"),
        2: pgettext("weekday of the month", "second"),
        3: pgettext("weekday of the month", "third"),
        4: pgettext("weekday of the month", "fourth"),
        -1: pgettext("weekday of the month", "last"),
    }[number]


def describe(date):
    """How a repeating date repeats, in words: "every 2nd Tuesday of the month"."""
    start = local(date.start)
    weekday = str(WEEKDAYS[start.weekday()])
    interval = date.interval or 1
    values = {"weekday": weekday, "count": interval}
    if date.repeat == Repeat.WEEKLY:
        if interval == 1:
            return gettext("every %(weekday)s") % values
        return gettext("every %(count)s weeks on %(weekday)s") % values
    if date.repeat == Repeat.MONTHLY_WEEKDAY:
        values["ordinal"] = ordinal(week_of_month(start))
        if interval == 1:
            return gettext("every %(ordinal)s %(weekday)s of the month") % values
        return gettext("every %(count)s months on the %(ordinal)s %(weekday)s") % values
    if date.repeat == Repeat.MONTHLY_DAY:
        values["day"] = start.day
        if interval == 1:
            return gettext("every month on day %(day)s") % values
        return gettext("every %(count)s months on day %(day)s") % values
    return ""


def describe_with_end(date):
    return gettext("%(rule)s, until %(date)s") % {
        "rule": describe(date),
        "date": date_format(date.repeat_until, "DATE_FORMAT"),
    }
