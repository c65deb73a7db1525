"""Admin building blocks for shared editorial work: editing areas (who may touch which
entries) and the publication workflow (draft → in review → published → archived)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from content.publication import (
    PublicationStatus,
    has_review_date,
    needs_review_condition,
)

from . import workflow
from .models import EditorScope
from .scope import scope_of

User = get_user_model()


class ScopedAdminMixin:
    """Limits an admin to the entries of the user's cities and providers.

    Enforced where it matters, not only hidden: the change list and every object view go
    through get_queryset(); an entry outside the scope reached by its address answers 403;
    actions only ever see the scoped change list; form choices and validation keep a
    scoped editor from moving an entry out of their scope.
    """

    # How the model reaches its city and its provider (None: it does not).
    scope_city_lookup = "city"
    scope_provider_lookup = "provider"
    # True for offers and events: others' entries are invisible. False for providers and
    # venues, which every editor must see to choose them; only changing them is limited.
    scope_hides_others = True

    def scope_q(self, scope):
        return scope.q(self.scope_city_lookup, self.scope_provider_lookup)

    def scoped_queryset(self, request):
        """The model's entries within the user's scope, without the admin's annotations."""
        return self.model._default_manager.filter(self.scope_q(scope_of(request.user)))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.scope_hides_others:
            queryset = queryset.filter(self.scope_q(scope_of(request.user)))
        return queryset

    def in_scope(self, request, obj):
        scope = scope_of(request.user)
        if scope.everything:
            return True
        return self.model._default_manager.filter(pk=obj.pk).filter(self.scope_q(scope)).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self.scope_hides_others:
            # Django would redirect as if the entry had been deleted. It exists, but belongs
            # to someone else's city: say so plainly.
            try:
                exists = self.model._default_manager.filter(pk=object_id).exists()
            except (ValidationError, ValueError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if allowed and obj is not None and self.scope_hides_others:
            return self.in_scope(request, obj)
        return allowed

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def get_autocomplete_fields(self, request):
        # A scoped editor picks from the few cities or providers of their scope: a plain
        # select lists exactly those, where the search box would offer the whole district.
        fields = list(super().get_autocomplete_fields(request))
        if not scope_of(request.user).everything:
            restricted = self._restricted_fields(scope_of(request.user))
            fields = [name for name in fields if name not in restricted]
        return fields

    def _restricted_fields(self, scope):
        """The relation fields whose choices are limited to the scope. With both cities and
        providers in the scope either one suffices, so neither list is cut (the form's
        validation checks the combination)."""
        if scope.everything:
            return {}
        restricted = {}
        if scope.city_ids and not scope.provider_ids and self.scope_city_lookup:
            restricted[self.scope_city_lookup] = scope.city_ids
        if scope.provider_ids and not scope.city_ids and self.scope_provider_lookup:
            restricted[self.scope_provider_lookup] = scope.provider_ids
        return restricted

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        allowed_ids = self._restricted_fields(scope_of(request.user)).get(db_field.name)
        if formfield is not None and allowed_ids is not None:
            formfield.queryset = formfield.queryset.filter(pk__in=allowed_ids)
            formfield.required = True
        return formfield

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        scope = scope_of(request.user)
        if scope.everything:
            return form_class
        city_field, provider_field = self.scope_city_lookup, self.scope_provider_lookup

        class ScopedForm(form_class):
            def _scope_value(self, lookup):
                """The id the saved entry will have for a scope lookup."""
                if not lookup:
                    return None
                if lookup in self.fields:
                    value = self.cleaned_data.get(lookup)
                    return getattr(value, "pk", value)
                if lookup == "pk":
                    return self.instance.pk
                return getattr(self.instance, f"{lookup}_id", None)

            def clean(self):
                cleaned_data = super().clean()
                city_id = self._scope_value(city_field)
                provider_id = self._scope_value(provider_field)
                if not scope.allows(city_id, provider_id):
                    raise ValidationError(
                        _(
                            "You can only save entries of your own cities or providers. "
                            "Choose one of them, or ask the integration centre (KI)."
                        ),
                        code="out_of_scope",
                    )
                return cleaned_data

        return ScopedForm


class ReviewDueFilter(admin.SimpleListFilter):
    """Entries nobody has confirmed as current within PORTAL_REVIEW_AFTER_MONTHS."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("needs review"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(needs_review_condition())
        return queryset


class WorkflowAdminMixin:
    """Publication workflow for offers, events and pages.

    Everybody who may change an entry moves it between draft and "in review"; publishing and
    archiving need the model's publish permission (offers.publish_offer, ...), in the form
    and in the bulk actions alike. Publishing and "still current" stamp last_reviewed.
    """

    actions = ["publish_selected", "archive_selected", "submit_for_review", "mark_reviewed"]

    def has_publish_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    @property
    def reviewed(self):
        """Whether the model keeps a last_reviewed date (offers and events; pages do not)."""
        return has_review_date(self.model)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if self.reviewed:
            filters.insert(1, ReviewDueFilter)
        return filters

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.reviewed:
            actions.pop("mark_reviewed", None)
        return actions

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        if self.has_publish_permission(request):
            return form_class

        class WorkflowForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                field = self.fields.get("publication_status")
                if field is None:
                    return
                # Without the publish permission an editor keeps an entry's current status
                # or moves it between draft and "in review"; anything else is refused by
                # the field's own choice validation.
                allowed = {PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW}
                if self.instance.pk:
                    allowed.add(self.instance.publication_status)
                field.choices = [choice for choice in field.choices if choice[0] in allowed]
                field.help_text = _(
                    "Set it to “in review” when the entry is ready; an editor of the "
                    "integration centre (KI) checks and publishes it."
                )

        return WorkflowForm

    def save_model(self, request, obj, form, change):
        became_published = "publication_status" in form.changed_data and obj.is_published
        if became_published and self.reviewed:
            obj.last_reviewed = workflow.today()
        super().save_model(request, obj, form, change)

    def _done(self, request, message):
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(permissions=["publish"], description=_("Publish selected entries"))
    def publish_selected(self, request, queryset):
        count = workflow.set_status(queryset, PublicationStatus.PUBLISHED, request.user)
        self._done(
            request,
            ngettext("%(count)d entry published.", "%(count)d entries published.", count)
            % {"count": count},
        )

    @admin.action(permissions=["publish"], description=_("Archive selected entries"))
    def archive_selected(self, request, queryset):
        count = workflow.set_status(queryset, PublicationStatus.ARCHIVED, request.user)
        self._done(
            request,
            ngettext("%(count)d entry archived.", "%(count)d entries archived.", count)
            % {"count": count},
        )

    @admin.action(permissions=["change"], description=_("Submit selected drafts for review"))
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(publication_status=PublicationStatus.DRAFT)
        count = workflow.set_status(drafts, PublicationStatus.IN_REVIEW, request.user)
        self._done(
            request,
            ngettext(
                "%(count)d draft submitted for review.",
                "%(count)d drafts submitted for review.",
                count,
            )
            % {"count": count},
        )

    @admin.action(
        permissions=["change"], description=_("Mark selected entries as reviewed (still current)")
    )
    def mark_reviewed(self, request, queryset):
        count = workflow.mark_reviewed(queryset, request.user)
        self._done(
            request,
            ngettext(
                "%(count)d entry marked as reviewed today.",
                "%(count)d entries marked as reviewed today.",
                count,
            )
            % {"count": count},
        )

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/still-current/",
                self.admin_site.admin_view(self.still_current_view),
                name=f"{opts.app_label}_{opts.model_name}_still_current",
            ),
            *super().get_urls(),
        ]

    def still_current_view(self, request, object_id):
        """The one-click "still current" button of the needs-review list (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.reviewed or not self.has_change_permission(request, obj):
            raise PermissionDenied
        workflow.mark_reviewed([obj], request.user)
        self.message_user(
            request,
            format_lazy(_("“{entry}” is marked as reviewed today."), entry=obj),
            messages.SUCCESS,
        )
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            opts = self.opts
            next_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return HttpResponseRedirect(next_url)


class EditorialAdminMixin(ScopedAdminMixin, WorkflowAdminMixin):
    """Both: for offers and events."""


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
