from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from content.cells import import_limits

from . import exchange
from .status import target_languages, translatable_models


def language_choices():
    return [(code, get_language_info(code)["name_translated"]) for code in target_languages()]


def model_choices():
    return [
        (model._meta.label_lower, model._meta.verbose_name_plural)
        for model in translatable_models()
    ]


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=_("Target language"), choices=language_choices)
    models = forms.MultipleChoiceField(
        label=_("Entries"),
        choices=model_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all kinds of entries."),
    )
    only_needed = forms.BooleanField(
        label=_("Only missing and outdated translations"), required=False, initial=True
    )

    def clean_models(self):
        chosen = set(self.cleaned_data["models"])
        return [m for m in translatable_models() if m._meta.label_lower in chosen] or None


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Translated file (CSV)"),
        help_text=_("A file exported here, with the “translation” column filled in."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limits = import_limits()
        # Before reading it: a huge file is refused without being loaded into memory.
        if upload.size > limits.max_bytes:
            raise forms.ValidationError(limits.too_large_message())
        try:
            self.cleaned_data["records"] = exchange.read_csv(upload.read())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
