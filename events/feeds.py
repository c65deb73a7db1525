"""The Atom feed of upcoming events: a face of the event search (events/search.py).

``/<lang>/events/feed.atom`` takes the event list's filters (``?city=unna`` includes the
events across the whole district, as the list and the city pages do) and lists the events
in the list's order, each with the date it is listed with.
"""

from django.urls import reverse
from django.utils.translation import gettext

from content.feeds import FEED_SIZE, EngineFeed

from .search import UPCOMING, EventSearch


class EventFeed(EngineFeed):
    description_template = "events/feed_entry.html"

    def engine(self, request):
        return EventSearch(request.GET, scope=UPCOMING, page_size=FEED_SIZE)

    def title(self, listing):
        if listing.city:
            return self.titled(gettext("Events in %(city)s") % {"city": listing.city.name})
        return self.titled(gettext("Upcoming events"))

    def link(self, listing):
        query = listing.query_string()
        return reverse("events:list") + ("?" + query if query else "")

    def items(self, listing):
        return listing.page().object_list

    def item_pubdate(self, event):
        return event.created

    def item_updateddate(self, event):
        return event.updated

    def item_author_name(self, event):
        return event.organizer_name

    def item_categories(self, event):
        return [category.label for category in event.categories.all()]
