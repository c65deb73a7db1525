from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.urls import path

from content.publication import has_publication_status, may_preview

from .dashboard import dashboard


class PortalAdminSite(admin.AdminSite):
    """The admin with an editorial start page: what is published, waiting for review or
    overdue for a check, for the logged-in user's cities."""

    index_template = "admin/portal_index.html"

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "editorial": dashboard(request, self)}
        return super().index(request, extra_context)

    def get_urls(self):
        # Our "view on site" comes first and so replaces Django's under the same name.
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *super().get_urls(),
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's shortcut to an entry's public page, which would redirect any staff
        account to any entry's address: an unpublished entry's address is only given to
        those who may preview it (the same rule as its public page), others get a 404."""
        try:
            content_type = ContentType.objects.get_for_id(int(content_type_id))
            entry = content_type.get_object_for_this_type(pk=object_id)
        except (ObjectDoesNotExist, ValidationError, ValueError, AttributeError):
            raise Http404 from None
        if (
            has_publication_status(type(entry))
            and not entry.is_published
            and not may_preview(request.user, entry)
        ):
            raise Http404
        return shortcut(request, content_type_id, object_id)
