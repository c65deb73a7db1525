"""The staff side's "access denied" page: in the admin's own layout, saying why and leading
back to the admin, instead of the public site's page. Wired as handler403 in
integration_portal/urls.py; public addresses keep Django's handler and templates/403.html."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.defaults import permission_denied as public_permission_denied


def is_staff_address(request):
    # The admin's own address, as the URLconf has it, not a copy of it.
    return request.path.startswith(reverse("admin:index"))


def permission_denied(request, exception=None):
    if not is_staff_address(request) or not request.user.is_authenticated:
        return public_permission_denied(request, exception)
    # A reason given where access was refused (PermissionDenied(_("…"))) is shown as it is.
    reason = str(exception) if exception is not None and exception.args else ""
    response = TemplateResponse(
        request,
        "admin/403.html",
        {
            **admin.site.each_context(request),
            "title": _("Access denied"),
            "reason": reason
            or _(
                "Your account does not have the permission for this page or entry. If you "
                "need it for your work, ask the editorial team of the Kommunales "
                "Integrationszentrum."
            ),
        },
        status=403,
    )
    return response.render()
