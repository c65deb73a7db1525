"""How vocabularies are chosen in forms."""

from django import forms

from .models import Vocabulary


def vocabulary_widget(db_field):
    """Checkboxes for a many-to-many field to a vocabulary (None for any other field): the
    lists are short, and a checkbox is quicker and clearer than a multi-select for
    occasional editors."""
    if issubclass(db_field.remote_field.model, Vocabulary):
        return forms.CheckboxSelectMultiple
    return None
