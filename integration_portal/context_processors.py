from django.conf import settings
from django.utils import translation


def portal(request):
    """Site-wide template values: the portal's name and the page's writing direction."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "portal_name": settings.PORTAL_NAME,
        "text_direction": "rtl" if language.split("-")[0] in settings.RTL_LANGUAGES else "ltr",
    }
