"""The embeddable widget: a city's offers and next events, or any offer search, for an
<iframe> on a municipality's or counselling service's own website.

Faces of the offer search (offers/search.py) and of the city pages, with minimal chrome:
no header, menu or footer, every link opening the full portal in a new tab (a link inside
a frame would otherwise replace the frame's content, not the page). Other sites may frame
these views only (operations.headers.allow_framing); which ones is PORTAL_EMBED_ORIGINS
(any, by default). A script on the host page (embed.js, at a stable address) sizes the
frame to its content when the frame reports its height (static/pages/embed-frame.js).
"""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from offers.search import OfferSearch
from places.models import City

from .city_views import upcoming_events_in

# Offers a widget lists; the link below them leads to all of them on the portal.
EMBED_OFFERS = 10


def with_query(path, query):
    return path + ("?" + query if query else "")


class SearchEmbedView(TemplateView):
    """Any offer search (``?category=sport``, ``?city=unna&language=arabic``) as a widget."""

    template_name = "pages/embed/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = OfferSearch(self.request.GET, get_language())
        context.update(
            search=search,
            offers=search.page().object_list[:EMBED_OFFERS],
            portal_url=with_query(reverse("offers:search"), search.portable_query_string),
        )
        return context


class CityEmbedView(TemplateView):
    """A city's offers (the search with the city fixed; further filters allowed) and its
    next events."""

    template_name = "pages/embed/city.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city = get_object_or_404(City.objects.select_related("district"), slug=kwargs["slug"])
        search = OfferSearch(self.request.GET, get_language(), fixed={"city": [city]})
        context.update(
            city=city,
            search=search,
            offers=search.page().object_list[:EMBED_OFFERS],
            portal_url=with_query(city.get_absolute_url(), search.query_string()),
            upcoming_events=upcoming_events_in(city),
        )
        return context


@require_safe
def host_script(request):
    """/embed.js: the script a host page includes beside the frame. A stable address for
    the snippets pasted into other sites, leading to the static file of this release."""
    return HttpResponseRedirect(static("pages/embed.js"))
