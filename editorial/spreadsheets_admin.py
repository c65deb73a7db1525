"""The admin of providers and offers, with spreadsheet import and export (the columns and
rules are in spreadsheets.py)."""

from django import forms
from django.contrib import messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm

from content.cells import import_limits

from . import history
from .content_admin import TranslatedContentAdmin
from .spreadsheets import SPREADSHEET_FORMATS, SpreadsheetError


class LimitedImportForm(ImportForm):
    """The import form, refusing a file over PORTAL_IMPORT_MAX_BYTES by the size of the
    upload, before anything reads it. (The number of rows is checked while the file is
    read: SpreadsheetCSV, SpreadsheetXLSX.)"""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limits = import_limits()
        if upload.size > limits.max_bytes:
            raise forms.ValidationError(limits.too_large_message())
        return upload


class SpreadsheetContentAdmin(ImportExportMixin, TranslatedContentAdmin):
    """TranslatedContentAdmin with CSV and XLSX import (with a preview) and export of the
    filtered change list. ImportExportMixin comes first: it takes the change list template
    of the classes after it as the base of its own (ie_base_change_list_template).

    Import needs the model's ``import_<model>`` permission, export only ``view_<model>``
    (IMPORT_EXPORT_*_PERMISSION_CODE in settings). The export takes the change list's
    queryset, filters and search, so whatever get_queryset() hides is not exported either.
    """

    # Shows import, export, "recover deleted" (when django-reversion's admin is mixed in)
    # and "add" together; see the template.
    import_export_change_list_template = "admin/portal/change_list.html"
    import_template_name = "admin/portal/import.html"
    # Always the documented columns: an export is meant to be edited and imported again.
    export_form_class = ExportForm
    import_form_class = LimitedImportForm
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS

    def columns_in_words(self, resources):
        """For the pages' column lists: [(resource name, [(words, column name)])]."""
        return [
            (resource.get_display_name(), resource.columns_in_words())
            for resource in resources
            if hasattr(resource, "columns_in_words")
        ]

    def import_action(self, request, *args, **kwargs):
        response = super().import_action(request, *args, **kwargs)
        if getattr(response, "context_data", None) is not None:
            resources = [
                resource_class(**self.get_import_resource_kwargs(request))
                for resource_class in self.get_import_resource_classes(request)
            ]
            response.context_data["columns_in_words"] = self.columns_in_words(resources)
        return response

    def export_action(self, request, *args, **kwargs):
        response = super().export_action(request, *args, **kwargs)
        if getattr(response, "context_data", None) is not None:
            resources = [
                resource_class(**self.get_export_resource_kwargs(request))
                for resource_class in self.get_export_resource_classes(request)
            ]
            response.context_data["columns_in_words"] = self.columns_in_words(resources)
        return response

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        return {**kwargs, "queryset": self.get_queryset(request)}

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, SpreadsheetError):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def process_dataset(self, dataset, form, request, **kwargs):
        # The confirmed import runs again from the file; rows may fail now that passed the
        # preview (someone changed an entry in between). Then nothing is written at all.
        kwargs["rollback_on_validation_errors"] = True
        # One version per imported entry, all in one revision by the importing user.
        with history.record_change(request.user, _("Imported from a spreadsheet")):
            return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _("Nothing was imported: the file has errors. Correct them and upload it again."),
            )
            context = {
                **self.admin_site.each_context(request),
                "title": _("Import"),
                "opts": self.model._meta,
                "result": result,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
                "import_error_display": self.import_error_display,
                "columns_in_words": self.columns_in_words(
                    [
                        resource_class(**self.get_import_resource_kwargs(request))
                        for resource_class in self.get_import_resource_classes(request)
                    ]
                ),
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def get_export_filename(self, request, queryset, file_format):
        date = timezone.localdate().isoformat()
        return f"{self.model._meta.model_name}-{date}.{file_format.get_extension()}"
