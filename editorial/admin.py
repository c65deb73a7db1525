"""Staff accounts in the admin, each with its editing area (the content admins' base class
is in content_admin.py).

Django's user and group pages bring texts that its German catalog lacks (the password
fields of Django 5.1 and later) and permission names that are stored in English when the
permissions are created ("Can add offer"). Here both are the portal's own texts, so the
portal's catalogs translate them: the password texts below, and each permission shown by
its model's name and what it allows, in the admin's language (permission_label()).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import EditorScope

User = get_user_model()

# What the permissions Django creates for every model allow, by their codename's prefix.
DEFAULT_PERMISSIONS = {
    "add": _("Can add %(entries)s"),
    "change": _("Can change %(entries)s"),
    "delete": _("Can delete %(entries)s"),
    "view": _("Can view %(entries)s"),
}


def permission_name(permission):
    """What a permission allows, in the active language: the models' own permissions
    (Meta.permissions) by their translated names, Django's four by the model's name."""
    model = permission.content_type.model_class()
    if model is None:  # a model that no longer exists
        return permission.name
    custom = dict(model._meta.permissions).get(permission.codename)
    if custom is not None:
        return str(custom)
    action, _sep, model_name = permission.codename.partition("_")
    if model_name == model._meta.model_name and action in DEFAULT_PERMISSIONS:
        return DEFAULT_PERMISSIONS[action] % {"entries": model._meta.verbose_name_plural}
    return permission.name


def permission_label(permission):
    """A permission as the user and group pages list it: app | model | what it allows."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    return " | ".join(
        [
            str(model._meta.app_config.verbose_name),
            str(capfirst(model._meta.verbose_name)),
            permission_name(permission),
        ]
    )


class TranslatedPermissionsMixin:
    """Lists the permissions of a user or group with permission_label()."""

    permission_fields = ()

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.permission_fields:
            formfield.label_from_instance = permission_label
        return formfield


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        has_password = bool(value) and not value.startswith(UNUSABLE_PASSWORD_PREFIX)
        context["button_label"] = (
            gettext("Reset password") if has_password else gettext("Set password")
        )
        return context


class PortalUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is None:
            return
        password.widget = PasswordSummaryWidget()
        if self.instance and not self.instance.has_usable_password():
            password.help_text = _(
                "This account cannot log in with a password. Set one to allow that."
            )
        else:
            password.help_text = _(
                "Passwords are not stored as such, so nobody can look up an account's "
                "password; it can only be set anew."
            )


def password_login_field(help_text):
    return forms.ChoiceField(
        label=_("Log in with a password"),
        required=False,
        initial="true",
        choices={"true": _("allowed"), "false": _("not allowed")},
        widget=forms.RadioSelect(attrs={"class": "radiolist inline"}),
        help_text=help_text,
    )


PASSWORD_LOGIN_HELP = _(
    "Whether the account can log in with a password. Without one it cannot log in to the "
    "portal's admin at all."
)


class PortalUserCreationForm(AdminUserCreationForm):
    usable_password = password_login_field(PASSWORD_LOGIN_HELP)


class PortalPasswordChangeForm(AdminPasswordChangeForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"] = password_login_field(
                _(
                    "Whether the account can log in with a password. If not allowed, "
                    "its current password is deleted."
                )
            )


class EditorScopeInline(admin.StackedInline):
    model = EditorScope
    can_delete = True
    extra = 0
    max_num = 1
    filter_horizontal = ["cities", "providers"]
    verbose_name = _("editing area (city editors and provider accounts)")
    verbose_name_plural = verbose_name


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PortalUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    """Accounts with their editing area, so a city editor is set up on one page."""

    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    change_password_form = PortalPasswordChangeForm
    change_user_password_template = "admin/auth/user/portal_change_password.html"
    permission_fields = ("user_permissions",)
    inlines = [*UserAdmin.inlines, EditorScopeInline]
    list_display = [*UserAdmin.list_display, "roles"]
    list_filter = [*UserAdmin.list_filter]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())


@admin.register(Group)
class PortalGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    """The roles (groups), with their permissions named in the admin's language."""

    permission_fields = ("permissions",)
