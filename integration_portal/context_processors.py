from django.conf import settings
from django.templatetags.static import static
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def map_settings():
    """What the map script needs, handed over as data attributes."""
    latitude, longitude = settings.PORTAL_MAP_CENTER
    return {
        "tile_url": settings.PORTAL_TILE_URL,
        "attribution": settings.PORTAL_TILE_ATTRIBUTION,
        "center": f"{latitude},{longitude}",
        "icon": static("leaflet/images/marker-icon.png"),
        "shadow": static("leaflet/images/marker-shadow.png"),
    }


def portal(request):
    """Site-wide template values: the portal's name, the page's writing direction and the
    map's settings (built only when a template uses them)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "portal_name": settings.PORTAL_NAME,
        "text_direction": "rtl" if language.split("-")[0] in settings.RTL_LANGUAGES else "ltr",
        "map_settings": SimpleLazyObject(map_settings),
    }
