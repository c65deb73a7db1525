from django.utils.functional import SimpleLazyObject

from content import generation

from .models import Page

# (content generation, the footer's pages) of this process: every page shows the same
# footer, so it is read once per generation instead of once per request.
_footer = (None, [])


def published_footer_pages():
    """The published pages linked in the footer, read again after any content change.
    The objects are shared by the requests of a generation: read them, never change them."""
    global _footer
    key = generation.current()
    cached_key, pages = _footer
    if cached_key != key:
        pages = list(Page.objects.published().filter(show_in_footer=True))
        _footer = (key, pages)
    return pages


def footer_pages(request):
    """The published pages linked in every page's footer, looked up only when a template
    shows them (the admin and the feeds do not)."""
    return {"footer_pages": SimpleLazyObject(published_footer_pages)}
