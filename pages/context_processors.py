from django.utils.functional import SimpleLazyObject

from content import generation

from .models import Page

# Every page shows the same footer: its pages are read once per generation, not per request.
_footer = generation.KeptPerGeneration(
    lambda key: list(Page.objects.published().filter(show_in_footer=True))
)


def published_footer_pages():
    """The published pages linked in the footer, read again after any content change.
    The objects are shared by the requests of a generation: read them, never change them."""
    return _footer.get()


def footer_pages(request):
    """The published pages linked in every page's footer, looked up only when a template
    shows them (the admin and the feeds do not)."""
    return {"footer_pages": SimpleLazyObject(published_footer_pages)}
