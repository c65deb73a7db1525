from django.conf import settings
from django.urls import path

from operations.headers import allow_framing

from . import embed_views


def framable(view):
    """The view, framable by the sites in PORTAL_EMBED_ORIGINS (read on each request)."""

    def framed(request, *args, **kwargs):
        return allow_framing(settings.PORTAL_EMBED_ORIGINS)(view)(request, *args, **kwargs)

    return framed


app_name = "embed"
urlpatterns = [
    path("cities/<slug:slug>/", framable(embed_views.CityEmbedView.as_view()), name="city"),
    path("offers/", framable(embed_views.SearchEmbedView.as_view()), name="search"),
]

# Outside the language prefixes (integration_portal/urls.py): the script beside an embedded
# widget on other sites, at an address that stays the same for the snippets pasted there.
root_urlpatterns = [
    path("embed.js", embed_views.host_script, name="embed-script"),
]
