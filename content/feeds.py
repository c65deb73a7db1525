"""What the portal's Atom feeds share (offers/feeds.py, events/feeds.py): each is a face of
its search engine, reading the same parameters as the list it follows, in the page's
language (the address carries it, as every public address does).

A feed reader cannot show a note, and a subscription that silently ignored a misspelt city
would bring every entry: parameters the engine does not understand answer 400 with the
engine's notes, as the calendar feed does.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.utils.feedgenerator import Atom1Feed

# Entries in a feed: readers poll often and keep what they have seen.
FEED_SIZE = 50


class UnusableParameters(Exception):
    def __init__(self, notes):
        super().__init__("; ".join(notes))
        self.notes = notes


class EngineFeed(Feed):
    """An Atom feed over a search engine's result. Subclasses build the engine in
    ``engine(request)``; ``get_object`` hands it to every other method as ``obj``."""

    feed_type = Atom1Feed

    def engine(self, request):
        raise NotImplementedError

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except UnusableParameters as error:
            return HttpResponseBadRequest(
                "\n".join(error.notes), content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request, *args, **kwargs):
        search = self.engine(request)
        if search.notes:
            raise UnusableParameters(search.notes)
        # The feed's own address, with its parameters (Django's default drops them).
        query = request.GET.urlencode()
        search.feed_address = request.path + ("?" + query if query else "")
        return search

    def feed_url(self, search):
        return search.feed_address

    def author_name(self):
        return settings.PORTAL_NAME

    def titled(self, name):
        return f"{settings.PORTAL_NAME}: {name}"

    def item_title(self, item):
        # Atom titles are text: Django's default escapes them for RSS, which would show
        # "&amp;" in a reader.
        return str(item)
