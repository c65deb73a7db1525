"""ContentAdmin: the one base class of every content admin (offers, events, pages,
providers, places, vocabularies).

What happens when staff save an entry is in ContentAdmin.save_model() below, and who may
see, change and publish which entries in the mixins it is built from. The order of its
bases is fixed here, once, because each wraps the ones after it:

1. ScopedAdminMixin: the editing area. Its get_queryset() and object permissions come
   first, so that everything after it — lists, history, compare, restore, bulk actions,
   export — only ever sees the entries of the user's cities and providers.
2. WorkflowAdminMixin: the publication workflow's bulk actions, the "needs review" filter
   and the "still current" button (content/publication.py has the rules).
3. HistoryAdmin: django-reversion-compare's admin (history, compare, restore, recover).
   It runs every add, change and delete view inside a revision, so every save below it
   is kept as a version.
Then, for translated models (TranslatedContentAdmin): TranslationStatusMixin (status
column, filters and overview) and modeltranslation's TabbedTranslationAdmin, last because
it builds the language tabs from the finished field list. The spreadsheet import/export
(SpreadsheetContentAdmin, editorial/spreadsheets_admin.py) goes first of all: import-export
takes the change list template of the classes after it as the base of its own.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from content import publication
from content.publication import PublicationStatus
from places.models import City, District
from providers.models import Provider
from translations.admin import TranslationStatusMixin
from vocabularies.widgets import vocabulary_widget

from . import history
from .admin_history import HistoryAdmin
from .scope import scope_of

# What an editing area is made of: list filters over these follow the user's scope.
EDITING_AREA_MODELS = (District, City, Provider)


class ScopedAdminMixin:
    """Limits an admin to the entries of the user's cities and providers.

    Enforced where it matters, not only hidden: the change list and every object view go
    through get_queryset(); an entry outside the scope reached by its address answers 403;
    actions only ever see the scoped change list; form choices (here) and the form's
    validation (EditorialFormMixin) keep a scoped editor from moving an entry out of their
    scope.
    """

    # How the model reaches its city and its provider (None: it does not). With neither,
    # the admin is not limited to editing areas (districts, cities, vocabularies, pages).
    scope_city_lookup = None
    scope_provider_lookup = None
    # True for offers and events: others' entries are invisible. False for providers and
    # venues, which every editor must see to choose them; only changing them is limited.
    scope_hides_others = True

    @property
    def scoped(self):
        return bool(self.scope_city_lookup or self.scope_provider_lookup)

    @property
    def hides_others(self):
        return self.scoped and self.scope_hides_others

    def scope_q(self, scope):
        if not self.scoped:
            return Q()
        return scope.q(self.scope_city_lookup, self.scope_provider_lookup)

    def scoped_queryset(self, request):
        """The model's entries within the user's scope, without the admin's annotations."""
        return self.model._default_manager.filter(self.scope_q(scope_of(request.user)))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.hides_others:
            queryset = queryset.filter(self.scope_q(scope_of(request.user)))
        return queryset

    def get_list_filter(self, request):
        list_filter = super().get_list_filter(request)
        if not self.hides_others or scope_of(request.user).everything:
            return list_filter
        return [self._within_scope(spec) for spec in list_filter]

    def _within_scope(self, spec):
        """A city editor's filters list their own cities and districts, not every city of
        the state: a filter over cities, districts or providers offers only those that the
        editor's entries use (Django's RelatedOnlyFieldListFilter over the scoped list)."""
        if not isinstance(spec, str):
            return spec
        try:
            field = get_fields_from_path(self.model, spec)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return spec
        if field.is_relation and field.related_model in EDITING_AREA_MODELS:
            return (spec, admin.RelatedOnlyFieldListFilter)
        return spec

    def in_scope(self, request, obj):
        scope = scope_of(request.user)
        if scope.everything or not self.scoped:
            return True
        return self.model._default_manager.filter(pk=obj.pk).filter(self.scope_q(scope)).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self.hides_others:
            # Django would redirect as if the entry had been deleted. It exists, but belongs
            # to someone else's city: say so plainly.
            try:
                exists = self.model._default_manager.filter(pk=object_id).exists()
            except (ValidationError, ValueError):
                exists = False
            if exists:
                raise PermissionDenied(
                    _(
                        "This entry belongs to a city or provider outside your editing "
                        "area, so your account may not open it."
                    )
                )
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if allowed and obj is not None and self.hides_others:
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
        if scope.everything or not self.scoped:
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


class ReviewDueFilter(admin.SimpleListFilter):
    """Entries nobody has confirmed as current within PORTAL_REVIEW_AFTER_MONTHS."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("needs review"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.needs_review()
        return queryset


class WorkflowAdminMixin:
    """The publication workflow in the admin of offers, events and pages: bulk actions, the
    "needs review" filter and the "still current" button. The rules (who may set which
    status, what publishing stamps) are content/publication.py's; every change made here is
    kept in the version history as one revision. Off for models without a publication
    status.
    """

    WORKFLOW_ACTIONS = [
        "publish_selected",
        "archive_selected",
        "submit_for_review",
        "mark_reviewed",
    ]
    actions = WORKFLOW_ACTIONS

    @property
    def has_workflow(self):
        return publication.has_publication_status(self.model)

    def has_publish_permission(self, request):
        return publication.may_publish(request.user, self.model)

    @property
    def reviewed(self):
        """Whether the model keeps a last_reviewed date (offers and events; pages do not)."""
        return self.has_workflow and publication.has_review_date(self.model)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if self.reviewed:
            filters.insert(1, ReviewDueFilter)
        return filters

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_workflow:
            for name in self.WORKFLOW_ACTIONS:
                actions.pop(name, None)
        elif not self.reviewed:
            actions.pop("mark_reviewed", None)
        return actions

    def set_status(self, request, entries, status):
        """Move ``entries`` to ``status``, as one revision. Returns how many changed."""
        comment = gettext("Status changed to “%(status)s”.") % {
            "status": PublicationStatus(status).label
        }
        with history.record_change(request.user, comment):
            return publication.set_status(entries, status)

    def mark_entries_reviewed(self, request, entries):
        """Confirm ``entries`` as current today, as one revision. Returns how many."""
        entries = list(entries)
        history.keep_original_state(entries, request.user)
        with history.record_change(request.user, gettext("Marked as reviewed: still current.")):
            return publication.mark_reviewed(entries)

    def _done(self, request, message):
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(permissions=["publish"], description=_("Publish selected entries"))
    def publish_selected(self, request, queryset):
        count = self.set_status(request, queryset, PublicationStatus.PUBLISHED)
        self._done(
            request,
            ngettext("%(count)d entry published.", "%(count)d entries published.", count)
            % {"count": count},
        )

    @admin.action(permissions=["publish"], description=_("Archive selected entries"))
    def archive_selected(self, request, queryset):
        count = self.set_status(request, queryset, PublicationStatus.ARCHIVED)
        self._done(
            request,
            ngettext("%(count)d entry archived.", "%(count)d entries archived.", count)
            % {"count": count},
        )

    @admin.action(permissions=["change"], description=_("Submit selected drafts for review"))
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(publication_status=PublicationStatus.DRAFT)
        count = self.set_status(request, drafts, PublicationStatus.IN_REVIEW)
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
        count = self.mark_entries_reviewed(request, queryset)
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
        if not self.reviewed:
            return super().get_urls()
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
        self.mark_entries_reviewed(request, [obj])
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


class EditorialFormMixin:
    """The rules of the editing area and the workflow in every content admin form.

    ContentAdmin.get_form() mixes this into the form it builds for each request and sets
    ``scope`` (None: the user may save any city's and provider's entries) and
    ``allowed_statuses`` (None: any status).
    """

    scope = None
    scope_city_lookup = None
    scope_provider_lookup = None
    allowed_statuses = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("publication_status")
        if field is None or self.allowed_statuses is None:
            return
        # Anything outside the choices is refused by the field's own validation, so a
        # forged value cannot publish either.
        field.choices = [choice for choice in field.choices if choice[0] in self.allowed_statuses]
        field.help_text = _(
            "Set it to “in review” when the entry is ready; an editor of the "
            "integration centre (KI) checks and publishes it."
        )

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
        if self.scope is None:
            return cleaned_data
        city_id = self._scope_value(self.scope_city_lookup)
        provider_id = self._scope_value(self.scope_provider_lookup)
        if not self.scope.allows(city_id, provider_id):
            raise ValidationError(
                _(
                    "You can only save entries of your own cities or providers. "
                    "Choose one of them, or ask the integration centre (KI)."
                ),
                code="out_of_scope",
            )
        return cleaned_data


class ContentAdmin(ScopedAdminMixin, WorkflowAdminMixin, HistoryAdmin):
    """Base of every content admin; the module docstring explains the order of its bases.

    An admin switches on what its model needs with class attributes:
    ``scope_city_lookup`` and ``scope_provider_lookup`` (how an entry reaches its city and
    provider; both None: not limited to editing areas), ``scope_hides_others``; the
    workflow is on for models with a publication status.
    """

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        scope = scope_of(request.user) if self.scoped else None
        allowed_statuses = None
        if self.has_workflow and not publication.may_publish(request.user, self.model):
            current = obj.publication_status if obj is not None else None
            allowed_statuses = publication.statuses_allowed(request.user, self.model, current)
        # Django's admin builds a new form class per request anyway (modelform_factory);
        # this subclass adds the rules that depend on the request's user.
        return type(
            form_class.__name__,
            (EditorialFormMixin, form_class),
            {
                "scope": None if scope is None or scope.everything else scope,
                "scope_city_lookup": self.scope_city_lookup,
                "scope_provider_lookup": self.scope_provider_lookup,
                "allowed_statuses": allowed_statuses,
            },
        )

    @property
    def media(self):
        media = super().media
        if self.prepopulated_fields:
            # Slugs write umlauts out (ae); the script wraps urlify.js, so it comes after it
            # (naming both fixes their order when Django merges the media lists).
            media += forms.Media(js=["admin/js/urlify.js", "editorial/german-slugs.js"])
        return media

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        widget = vocabulary_widget(db_field)
        if widget is not None:
            kwargs["widget"] = widget
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """What happens when staff save an entry in the admin, in this order:

        1. The form has checked the editing area and the allowed statuses (get_form()).
        2. An entry that had no version yet (demo data, imported or migrated entries) gets
           its stored state kept as a version of its own, so that even the first wrong
           edit can be undone (editorial/history.py).
        3. An entry that becomes published counts as reviewed today.
        4. The entry is saved. Its post_save signal rebuilds the data derived from it (an
           offer's search text, an event's occurrences: content/derived.py) and records
           which texts changed for the translation status (translations/signals.py).
        5. after_save(): what one kind of entry adds (an offer accepts the suggestion it
           was made from).
        Then the admin saves the many-to-many fields and inlines (save_related(), which
        sends m2m_changed and the inlines' signals, rebuilding derived data again where
        needed), and the view's revision closes: the version history keeps the new state
        with the user and the change message.
        """
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk)
            history.keep_original_state(stored, request.user)
        if self.has_workflow:
            publication.stamp_if_published(obj, form.changed_data)
        super().save_model(request, obj, form, change)
        self.after_save(request, obj, change)

    def after_save(self, request, obj, change):
        """Called after an entry was saved in the admin; see save_model()."""


class TranslatedContentAdmin(ContentAdmin, TranslationStatusMixin, TabbedTranslationAdmin):
    """ContentAdmin for translated models: one tab per language, translation status."""

    @property
    def media(self):
        # The language tabs of all fields switch together; checkbox lists in columns.
        return super().media + forms.Media(
            js=["editorial/language-tabs.js"], css={"all": ["editorial/admin-forms.css"]}
        )
