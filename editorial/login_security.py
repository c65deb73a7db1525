"""The admin login's defences: lockout after repeated wrong passwords (django-axes) and the
second factor (django-two-factor-auth with django-otp: an authenticator app, and backup
codes for when the phone is lost).

* Lockout: the settings (block "Admin login") say when; axes keeps the failed attempts in
  the database, so every app server sees them. LockoutBackend refuses a locked account
  or address before its password is checked; lockout_response() is the page that says so.
* Second factor: every staff account may set one up; whom PORTAL_2FA_REQUIRED names must.
  The admin login (PortalAdminSite.login) is two_factor's two-step login, asking for the
  code whenever the account has a device. PortalAdminSite.admin_view() sends a required
  account without a verified device to the setup before any admin page.
"""

import logging

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .scope import ALL_ENTRIES_PERMISSION

log = logging.getLogger(__name__)


class LockoutBackend(AxesStandaloneBackend):
    """axes' check, for logins over HTTP only.

    Axes needs the request to know the client's address and refuses to work without one.
    Code that logs a user in without a request (the test client's login(), a shell) is
    not reachable by an attacker, so there is nothing to count: it passes on to the
    password check of the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: in the admin's look, saying for how long (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    log.warning(
        "Admin login locked out for %s minutes after %s failed attempts (path %s).",
        minutes,
        settings.AXES_FAILURE_LIMIT,
        request.path,
    )
    # Rendered here: the middleware that asks for this page runs after the view.
    response = TemplateResponse(
        request,
        "admin/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": _("Login temporarily locked"),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": minutes,
        },
        status=429,
    )
    return response.render()


# --- Second factor ---------------------------------------------------------------------


def must_use_second_factor(user):
    """Whether PORTAL_2FA_REQUIRED obliges ``user`` to log in with a second factor."""
    rule = settings.PORTAL_2FA_REQUIRED
    if rule == "off" or not (user.is_active and user.is_staff):
        return False
    if rule == "all-staff" or user.is_superuser:
        return True
    if rule == "ki-redaktion":
        return user.has_perm(ALL_ENTRIES_PERMISSION)
    return False


def owes_second_factor(user):
    """Whether this logged-in ``user`` must give a second factor and has not, this session."""
    return must_use_second_factor(user) and not user.is_verified()


def second_factor_missing(request):
    """For an admin page: None when the user may go on, else where they must go first: the
    setup (no device yet), or the login again (a device, but this session logged in
    without it, e.g. before it was set up on another session)."""
    user = request.user
    if not user.is_authenticated or not owes_second_factor(user):
        return None
    if request.path == reverse("admin:logout"):
        return None
    if not user_has_device(user):
        return redirect("two_factor:setup")
    logout(request)
    return redirect_to_login(request.get_full_path(), reverse("admin:login"), REDIRECT_FIELD_NAME)
