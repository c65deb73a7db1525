from django.contrib import admin

from .dashboard import dashboard


class PortalAdminSite(admin.AdminSite):
    """The admin with an editorial start page: what is published, waiting for review or
    overdue for a check, for the logged-in user's cities."""

    index_template = "admin/portal_index.html"

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "editorial": dashboard(request, self)}
        return super().index(request, extra_context)
