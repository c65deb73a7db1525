"""Admin helpers shared by the offer and event admins."""

from django import forms

from vocabularies.models import Vocabulary


class VocabularyCheckboxesMixin:
    """Show many-to-many vocabulary fields as checkboxes: the lists are short, and a
    checkbox is quicker and clearer than a multi-select for occasional editors."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if issubclass(db_field.remote_field.model, Vocabulary):
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)
