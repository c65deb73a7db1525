"""Send admin forms the way a browser would."""

from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms import CheckboxInput, FileInput, MultiWidget
from django.forms.widgets import ChoiceWidget
from django.urls import reverse


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def widget_data(widget, name, value):
    """What a browser sends for one form field as the admin rendered it."""
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    if isinstance(widget, FileInput):
        return {}  # nothing uploaded: the stored file stays
    if isinstance(widget, CheckboxInput):
        return {name: "on"} if widget.check_test(value) else {}
    if isinstance(widget, MultiWidget):
        subwidgets = widget.get_context(name, value, {})["widget"]["subwidgets"]
        return {sub["name"]: sub["value"] or "" for sub in subwidgets}
    if isinstance(widget, ChoiceWidget):
        values = widget.format_value(value)
        return {name: values if widget.allow_multiple_selected else (values or [""])[0]}
    return {name: widget.format_value(value) or ""}


def form_data(response):
    """The data the admin's change form (also its restore and recover forms) sends back
    when saved unchanged: every field of the entry and of its inlines."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {"_save": "save"}
    for form in forms:
        for bound in form:
            data.update(widget_data(bound.field.widget, bound.html_name, bound.value()))
    return data


def save_in_admin(client, obj, **changes):
    """Open the entry's change form, change some fields and save it."""
    url = admin_url(type(obj), "change", obj.pk)
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, {**form_data(response), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response
