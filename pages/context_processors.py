from django.utils.functional import SimpleLazyObject

from .models import Page


def footer_pages(request):
    """The published pages linked in every page's footer, queried only when a template
    shows them (the admin and the feeds do not)."""
    return {
        "footer_pages": SimpleLazyObject(
            lambda: list(Page.objects.published().filter(show_in_footer=True))
        )
    }
