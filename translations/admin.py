"""Translation status in the content admins, and the staff page to exchange texts with
translators (export as CSV, import with a preview)."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _

from editorial.history import record_change
from editorial.scope import scope_of

from . import exchange
from .forms import ExportForm, ImportForm
from .models import TextChange
from .status import (
    attach_statuses,
    missing_condition,
    missing_in,
    outdated_condition,
    outdated_in,
    statuses,
    target_languages,
    translatable_models,
)


def language_name(code):
    return get_language_info(code)["name_translated"]


class _LanguageFilter(admin.SimpleListFilter):
    def lookups(self, request, model_admin):
        return [(code, language_name(code)) for code in target_languages()]

    def queryset(self, request, queryset):
        if self.value() in target_languages():
            return self.select(queryset, self.value())
        return queryset


class MissingTranslationFilter(_LanguageFilter):
    title = _("translation missing in")
    parameter_name = "missing_in"
    select = staticmethod(missing_in)


class OutdatedTranslationFilter(_LanguageFilter):
    title = _("translation outdated in")
    parameter_name = "outdated_in"
    select = staticmethod(outdated_in)


class TranslationStatusChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # The status column needs each row's text changes: one query for the whole page.
        # result_list stays a queryset (list_editable builds its formset from it); its
        # cached objects get the statuses.
        attach_statuses(self.result_list)


def describe(language_statuses):
    """Short text of which languages lack a translation or have an outdated one."""
    missing = [s.language for s in language_statuses if s.missing]
    outdated = [s.language for s in language_statuses if s.outdated]
    parts = []
    if missing:
        parts.append((_("missing"), ", ".join(code.upper() for code in missing)))
    if outdated:
        parts.append((_("outdated"), ", ".join(code.upper() for code in outdated)))
    if not parts:
        return _("complete")
    return format_html_join("; ", "{}: {}", parts)


OVERVIEW = "translation_overview"


class TranslationStatusMixin:
    """For the admins of translatable content: a column and filters for missing and
    outdated translations, and an overview per language on the change form."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation_status"]

    def get_list_filter(self, request):
        return [
            *super().get_list_filter(request),
            MissingTranslationFilter,
            OutdatedTranslationFilter,
        ]

    def get_changelist(self, request, **kwargs):
        return TranslationStatusChangeList

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), OVERVIEW]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f != "translation_overview"],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None:
            return fieldsets
        return [
            *fieldsets,
            (_("Translations"), {"fields": [OVERVIEW], "classes": ["collapse"]}),
        ]

    @admin.display(description=_("translations"))
    def translation_status(self, obj):
        language_statuses = getattr(obj, "translation_statuses", None) or statuses(obj)
        return describe(language_statuses)

    @admin.display(description=_("state per language"))
    def translation_overview(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        rows = []
        for status in statuses(obj):
            state = []
            if status.missing:
                state.append(_("missing: %(fields)s") % {"fields": self._labels(status.missing)})
            if status.outdated:
                state.append(_("outdated: %(fields)s") % {"fields": self._labels(status.outdated)})
            state = "; ".join(state) or _("complete")
            rows.append((language_name(status.language), status.language, state))
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><th>{} ({})</th><td>{}</td></tr>", rows),
        )

    def _labels(self, field_names):
        return ", ".join(str(self.model._meta.get_field(name).verbose_name) for name in field_names)


@admin.register(TextChange)
class TranslationExchangeAdmin(admin.ModelAdmin):
    """Shown in the admin as "Translations": the status of all content per language, the
    export for translators and the import of their work. The TextChange records behind
    it are bookkeeping and cannot be edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # District-wide work of the integration centre: the overview and the export show,
        # and the import changes, the entries of every city, so city editors and provider
        # accounts do not get it.
        user = request.user
        return user.is_active and user.is_staff and scope_of(user).everything

    def get_urls(self):
        return [
            # Named like a changelist, so that the admin index links here.
            path(
                "",
                self.admin_site.admin_view(self.overview_view),
                name="translations_textchange_changelist",
            ),
            path(
                "export/", self.admin_site.admin_view(self.export_view), name="translations_export"
            ),
            path(
                "import/", self.admin_site.admin_view(self.import_view), name="translations_import"
            ),
        ]

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Translations"),
            **extra,
        }

    def overview_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        languages = target_languages()
        table = []
        for model in translatable_models():
            if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
                continue
            # One query per kind of entry counts every language's missing and outdated texts.
            counts = model._default_manager.aggregate(
                total=Count("pk"),
                **{
                    f"{state}_{code}": Count("pk", filter=condition(model, code))
                    for code in languages
                    for state, condition in (
                        ("missing", missing_condition),
                        ("outdated", outdated_condition),
                    )
                },
            )
            try:
                changelist = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                )
            except NoReverseMatch:  # a model without an admin of its own (shown inline)
                changelist = None
            table.append(
                {
                    "name": model._meta.verbose_name_plural,
                    "total": counts["total"],
                    "changelist": changelist,
                    "cells": [
                        {
                            "language": code,
                            "missing": counts[f"missing_{code}"],
                            "outdated": counts[f"outdated_{code}"],
                        }
                        for code in languages
                    ],
                }
            )
        context = self._context(
            request,
            languages=[(code, language_name(code)) for code in languages],
            table=table,
            export_form=ExportForm(),
            import_form=ImportForm(),
        )
        return TemplateResponse(request, "admin/translations/overview.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET or None)
        if not form.is_valid():
            context = self._context(request, export_form=form, import_form=ImportForm())
            return TemplateResponse(
                request, "admin/translations/overview.html", context, status=400
            )
        language = form.cleaned_data["language"]
        content = exchange.export_csv(
            language, form.cleaned_data["models"], form.cleaned_data["only_needed"]
        )
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="translations-{language}.csv"'
        return response

    SESSION_KEY = "translations_import"

    def import_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._apply(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return TemplateResponse(
                request,
                "admin/translations/overview.html"
                if request.method != "POST"
                else "admin/translations/import.html",
                self._context(request, import_form=form, export_form=ExportForm()),
            )
        plan = exchange.plan_import(form.cleaned_data["records"], request.user)
        request.session[self.SESSION_KEY] = form.cleaned_data["records"]
        return TemplateResponse(
            request,
            "admin/translations/import.html",
            self._context(request, plan=plan, import_form=form),
        )

    def _apply(self, request):
        records = request.session.get(self.SESSION_KEY)
        if records is None:
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("admin:translations_import")
        # Planned anew: the entries may have changed since the preview.
        plan = exchange.plan_import(records, request.user)
        confirmed = {int(line) for line in request.POST.getlist("confirm_line") if line.isdigit()}
        # Kept in the version history like any other edit, as one revision per import.
        with record_change(request.user, _("Translations imported")):
            written = exchange.apply_import(plan, confirmed)
        skipped = len(plan.changes) - len(written)
        del request.session[self.SESSION_KEY]
        messages.success(
            request,
            ngettext(
                "%(written)d translation imported, %(skipped)d left out.",
                "%(written)d translations imported, %(skipped)d left out.",
                len(written),
            )
            % {"written": len(written), "skipped": skipped},
        )
        return redirect("admin:translations_textchange_changelist")
