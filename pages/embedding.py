"""What a host page pastes to show the widget (pages/embed_views.py)."""

from django.urls import reverse
from django.utils.html import escape


def embed_snippet(request, embed_path, title):
    """The HTML a municipality pastes into its page: the frame and the sizing script."""
    # Plain text (the page shows it to be copied), with its attributes escaped.
    frame = escape(request.build_absolute_uri(embed_path))
    script = escape(request.build_absolute_uri(reverse("embed-script")))
    return (
        f'<iframe src="{frame}" title="{escape(title)}" data-integration-portal width="100%" '
        f'height="640" loading="lazy"></iframe>\n<script src="{script}" async></script>'
    )
