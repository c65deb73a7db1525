"""The event search: one engine behind /events/, /events/past/ and feed.ics, as
offers/search.py is for offers (short lists of the next events use models.next_events).

Given a request's GET parameters (``city``, ``category``, ``target_group``: slugs; ``from``,
``to``: days; ``page``) and a scope (upcoming, past, or the calendar feed), it validates
them with a plain form, ignores what is invalid with a note for the user instead of failing
(the idiom of content/params.py), and returns the published events in list order with the
date each is listed with. Every list runs a fixed number of queries, whatever the number of
results.
"""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.params import MAX_VALUE_LENGTH, clean_value, read_page
from places.models import City
from vocabularies.models import Category, TargetGroup

from .models import Event, Occurrence, overlapping, with_shown_occurrences
from .recurrence import end_of_day, start_of_day

PAGE_SIZE = 20
# Dates outside these years are typing errors; far-off years would also overflow the
# date arithmetic (9999-12-31 has no next day).
MIN_YEAR, MAX_YEAR = 1900, 2100
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
# A subscribed calendar replaces its content with the feed on every refresh: past weeks
# stay in it for a while, so that last week's event does not vanish from a calendar.
FEED_HISTORY = dt.timedelta(days=90)
FEED_MAX_EVENTS = 500

UPCOMING, PAST, FEED = "upcoming", "past", "feed"
PARAMETERS = ["city", "category", "target_group", "from", "to"]


def iso_day(text):
    """The day ``text`` names in one of DATE_INPUT_FORMATS, as YYYY-MM-DD; None if none."""
    for format_ in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), format_).date().isoformat()
        except ValueError:
            continue
    return None


class DayInput(forms.DateInput):
    """<input type="date"> holds only ISO days (YYYY-MM-DD). A day typed as 14.01.2027 (a
    link, a form without the date picker) is echoed as 2027-01-14; text that is no day is
    not echoed (the field's error says what was wrong). Echoed as typed, either would be
    invalid HTML, the browser would show an empty field, and the next submit would drop
    the filter without a word."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            return iso_day(value)
        return super().format_value(value)


class DayField(forms.DateField):
    widget = DayInput

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            input_formats=DATE_INPUT_FORMATS,
            error_messages={
                "invalid": _("Enter a date as YYYY-MM-DD, e.g. 2026-03-14."),
            },
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Enter a date between the years %(first)d and %(last)d."),
                params={"first": MIN_YEAR, "last": MAX_YEAR},
                code="out_of_range",
            )


class EventFilterForm(forms.Form):
    """The filter form of the event lists (GET). Choices are passed in, so that the view
    reads each vocabulary once."""

    city = forms.ChoiceField(label=_("City"), required=False)
    category = forms.ChoiceField(label=_("Topic"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)

    def __init__(self, data, cities, categories, target_groups):
        super().__init__(data)
        by_district = {}
        for city in cities:
            by_district.setdefault(city.district.name, []).append((city.slug, city.name))
        self.fields["city"].choices = [("", _("All cities")), *by_district.items()]
        self.fields["category"].choices = [("", _("All topics"))] + [
            (category.slug, category.label) for category in categories
        ]
        self.fields["target_group"].choices = [("", _("All target groups"))] + [
            (group.slug, group.label) for group in target_groups
        ]
        # "from" is a Python keyword, so these two cannot be declared as attributes.
        self.fields["from"] = DayField(label=_("From"))
        self.fields["to"] = DayField(label=_("Until"))
        unknown = {
            "city": _("“%(value)s” is not a known city; events in all cities are shown."),
            "category": _("“%(value)s” is not a known topic; events on all topics are shown."),
            "target_group": _(
                "“%(value)s” is not a known target group; events for everybody are shown."
            ),
        }
        for name, message in unknown.items():
            self.fields[name].error_messages["invalid_choice"] = message

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end of the date range is before its start."))
        return data


class EventSearch:
    """The state of one event list, built from a request's GET parameters."""

    def __init__(self, params, scope=UPCOMING, now=None, page_size=PAGE_SIZE):
        self.params = params
        self.scope = scope
        self.now = now or timezone.now()
        self.page_size = page_size
        self.cities = {c.slug: c for c in City.objects.select_related("district")}
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.target_groups = {g.slug: g for g in TargetGroup.objects.all()}
        data = {
            name: clean_value(params[name], MAX_VALUE_LENGTH)
            for name in PARAMETERS
            if params.get(name)
        }
        cities = sorted(self.cities.values(), key=lambda c: (c.district.name, c.name))
        self.form = EventFilterForm(
            data, cities, self.categories.values(), self.target_groups.values()
        )
        self.form.is_valid()
        # Fields with an error are left out of cleaned_data: those filters are ignored.
        self.values = self.form.cleaned_data
        self.notes = [
            gettext("%(filter)s: %(problem)s")
            % {"filter": self.form.fields[name].label, "problem": " ".join(errors)}
            for name, errors in self.form.errors.items()
        ]

    # --- The chosen filters -----------------------------------------------------------------

    @property
    def city(self):
        return self.cities.get(self.values.get("city"))

    @property
    def category(self):
        return self.categories.get(self.values.get("category"))

    @property
    def target_group(self):
        return self.target_groups.get(self.values.get("target_group"))

    @property
    def date_from(self):
        return self.values.get("from")

    @property
    def date_to(self):
        return self.values.get("to")

    @property
    def has_filters(self):
        return any(self.values.get(name) for name in PARAMETERS)

    # --- The events -----------------------------------------------------------------------------

    def window(self):
        """A Q on Occurrence: the dates that count for this list."""
        lower = start_of_day(self.date_from) if self.date_from else None
        upper = end_of_day(self.date_to) if self.date_to else None
        if self.scope == UPCOMING:
            lower = max(lower, self.now) if lower else self.now
        elif self.scope == FEED:
            history = self.now - FEED_HISTORY
            lower = max(lower, history) if lower else history
        return overlapping(lower, upper)

    def queryset(self):
        """The matching published events in list order (see in_list_order)."""
        events = Event.objects.published()
        if self.scope == PAST:
            events = events.past(self.now)
        if self.city:
            events = events.for_city(self.city)
        if self.category:
            events = events.filter(categories=self.category)
        if self.target_group:
            events = events.filter(target_groups=self.target_group)
        return events.in_list_order(self.window(), newest_first=self.scope == PAST)

    def page(self):
        """The requested page, its events with the date they are listed with."""
        if not hasattr(self, "_page"):
            queryset = self.queryset().select_related(
                "city", "district", "venue", "venue__city", "organizer"
            )
            paginator = Paginator(queryset.prefetch_related("categories"), self.page_size)
            page = read_page(paginator, self.params, self.notes)
            page.object_list = with_shown_occurrences(page.object_list)
            self._page = page
        return self._page

    @property
    def count(self):
        return self.page().paginator.count

    def feed_events(self):
        """Every matching event (up to FEED_MAX_EVENTS) with what a calendar needs."""
        return list(
            self.queryset()
            .select_related("city", "district", "venue", "venue__city", "organizer")
            .prefetch_related(
                "dates",
                "categories",
                Prefetch(
                    "occurrences",
                    queryset=Occurrence.objects.filter(cancelled=True),
                    to_attr="cancelled_occurrences",
                ),
            )[:FEED_MAX_EVENTS]
        )

    # --- Addresses ---------------------------------------------------------------------------

    def query_string(self, page=None):
        """The valid filters as a query string (invalid ones are dropped)."""
        pairs = []
        for name in PARAMETERS:
            value = self.values.get(name)
            if value:
                pairs.append((name, value.isoformat() if isinstance(value, dt.date) else value))
        if page and page != 1:
            pairs.append(("page", page))
        return urlencode(pairs)
