"""Staff accounts in the admin, each with its editing area (the content admins' base class
is in content_admin.py)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import EditorScope

User = get_user_model()


class EditorScopeInline(admin.StackedInline):
    model = EditorScope
    can_delete = True
    extra = 0
    max_num = 1
    filter_horizontal = ["cities", "providers"]
    verbose_name = _("editing area (city editors and provider accounts)")
    verbose_name_plural = verbose_name


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Accounts with their editing area, so a city editor is set up on one page."""

    inlines = [*UserAdmin.inlines, EditorScopeInline]
    list_display = [*UserAdmin.list_display, "roles"]
    list_filter = [*UserAdmin.list_filter]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())
