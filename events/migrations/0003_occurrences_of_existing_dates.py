"""Occurrences for the dates that existed before series: one per date.

Written out here rather than calling the models' code, which may change later; before
0002 no date could repeat, so each date is exactly one occurrence.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

BERLIN = ZoneInfo("Europe/Berlin")


def ends_at(start, end, date_only):
    if end is not None and not date_only:
        return end
    day = (end or start).astimezone(BERLIN).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(0), tzinfo=BERLIN)


def create_occurrences(apps, schema_editor):
    EventDate = apps.get_model("events", "EventDate")
    Occurrence = apps.get_model("events", "Occurrence")
    Occurrence.objects.bulk_create(
        [
            Occurrence(
                event_id=date.event_id,
                date_id=date.pk,
                start=date.start,
                end=date.end,
                date_only=date.date_only,
                ends_at=ends_at(date.start, date.end, date.date_only),
            )
            for date in EventDate.objects.all()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_dates_series_and_occurrences"),
    ]

    operations = [
        migrations.RunPython(create_occurrences, migrations.RunPython.noop),
    ]
