"""Send admin change forms the way a browser would."""

import datetime

from django.forms import MultiWidget


def _encoded(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return value


def form_data(response):
    """The POST data of the admin add or change form in ``response``, unchanged: every
    field with its current value, inline forms and their management forms included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, MultiWidget):
                parts = value if isinstance(value, list) else field.widget.decompress(value)
                for index, part in enumerate(parts):
                    if part not in (None, ""):
                        data[f"{bound.html_name}_{index}"] = _encoded(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            elif value is not None:
                data[bound.html_name] = _encoded(value)
    return data
