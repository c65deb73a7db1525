"""Who may preview an unpublished entry on its public page: whoever may open it in the
admin.

The public detail views (content.publication.PublishedObjectMixin) ask
content.publication.may_preview(); that ground-floor module cannot import the staff wing,
so EditorialConfig.ready() registers may_preview_in_admin() there. The answer is taken
from the entry's own ModelAdmin, so the preview follows exactly the rules of the admin:
the model's view or change permission and, for offers and events, the editing area
(ScopedAdminMixin.has_view_permission(), which uses editorial.scope). A model without an
admin is previewed by nobody.
"""

from django.contrib import admin
from django.http import HttpRequest


def may_preview_in_admin(user, entry, site=None):
    site = site or admin.site
    model_admin = site._registry.get(type(entry))
    if model_admin is None or not (user.is_active and user.is_staff):
        return False
    # ModelAdmin's permission checks read only request.user.
    request = HttpRequest()
    request.user = user
    return model_admin.has_view_permission(request, entry)
