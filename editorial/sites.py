from functools import update_wrapper

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from two_factor.views import LoginView

from content.publication import has_publication_status, may_preview

from .dashboard import dashboard
from .login_security import owes_second_factor, second_factor_missing


class PortalAdminSite(admin.AdminSite):
    """The admin with an editorial start page: what is published, waiting for review or
    overdue for a check, for the logged-in user's cities. Its login asks for the second
    factor of accounts that have one (editorial/login_security.py)."""

    index_template = "admin/portal_index.html"

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "editorial": dashboard(request, self)}
        return super().index(request, extra_context)

    def login(self, request, extra_context=None):
        # two_factor's login: the password (counted by axes, which sees the
        # authenticate() call of its first step), then the code when a device exists.
        if (
            request.method == "GET"
            and self.has_permission(request)
            and not owes_second_factor(request.user)
        ):
            # As Django's own admin login does: staff who are logged in go to the start
            # page instead of seeing the login form again.
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {**self.each_context(request), **(extra_context or {})}
        return LoginView.as_view(extra_context=context)(request)

    def admin_view(self, view, cacheable=False):
        """Every admin page, for an account that must use a second factor, only once it
        has logged in with one."""
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            return second_factor_missing(request) or inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

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
