"""Public forms: residents propose an offer or report a mistake in one (see suggestions.py)."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from content.text import left_to_right
from places.models import City

from .models import ReportReason, Suggestion

# Long enough for a real description, short enough that nobody pastes a book into the queue.
MAX_TEXT = 3000


class GroupedCities(ModelChoiceIterator):
    """The cities as option groups by district, so that two districts' towns do not mix."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for city in self.queryset:
            groups.setdefault(city.district.name, []).append(self.choice(city))
        yield from groups.items()


class CityChoiceField(forms.ModelChoiceField):
    iterator = GroupedCities

    def __init__(self, **kwargs):
        queryset = City.objects.select_related("district").order_by("district__name", "name")
        super().__init__(queryset=queryset, **kwargs)


def limit_length(field, max_length=MAX_TEXT):
    field.validators.append(MaxLengthValidator(max_length))
    field.widget.attrs["maxlength"] = str(max_length)


class PublicFormMixin:
    """What every public form has: a honeypot and an optional e-mail with its privacy note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    @property
    def is_spam(self):
        """A bot filled the field no human sees. Checked before is_valid(), on raw data."""
        return bool(self.data.get("website", "").strip())

    @property
    def visible_fields_with_errors(self):
        return [field for field in self.visible_fields() if field.errors]


def email_field():
    return forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        # The promise is kept by Suggestion.handle() and Suggestion.objects.purge().
        help_text=format_lazy(
            _(
                "Only if we may ask you about this message. We use it for nothing else and "
                "delete it as soon as we have dealt with your message, at the latest after "
                "{days} days."
            ),
            days=settings.PORTAL_SUGGESTION_EMAIL_DAYS,
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def honeypot_field():
    # Hidden from sight (not from screen readers, whose users read the label) and skipped by
    # the Tab key; people leave it empty, form-filling bots do not.
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class NewOfferSuggestionForm(PublicFormMixin, forms.ModelForm):
    city = CityChoiceField(
        label=_("City"),
        empty_label=_("Choose a city"),
        help_text=_("The city or municipality where the offer takes place."),
    )
    email = email_field()
    website = honeypot_field()

    class Meta:
        model = Suggestion
        fields = [
            "name",
            "provider_name",
            "city",
            "description",
            "where_when",
            "languages",
            "contact",
            "homepage",
            "message",
            "email",
        ]
        labels = {
            "name": _("Name of the offer"),
            "provider_name": _("Provider or organisation"),
            "description": _("What is offered?"),
            "where_when": _("Where and when does it take place? (optional)"),
            "languages": _("Languages spoken there (optional)"),
            "contact": _("Contact for the offer (optional)"),
            "homepage": _("Website of the offer (optional)"),
            "message": _("Anything else you would like to tell us? (optional)"),
        }
        help_texts = {
            "provider_name": _("Who runs the offer, e.g. an association, a parish or a school."),
            "description": _("For whom it is and what happens there, in your own words."),
            "where_when": _("E.g. “Community centre, Main Street 5, Tuesdays 5 to 7 pm”."),
            "languages": _("E.g. German, Arabic, Turkish."),
            "contact": _("A phone number, e-mail address or contact person, if public."),
            # Isolated left to right, or right-to-left pages would show "//:https".
            "homepage": format_lazy(
                _("An address beginning with {scheme}"), scheme=left_to_right("https://")
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "where_when": forms.Textarea(attrs={"rows": 3}),
            "message": forms.Textarea(attrs={"rows": 4}),
            "homepage": forms.URLInput(attrs={"inputmode": "url"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["name", "provider_name", "description"]:
            self.fields[name].required = True
        for name in ["description", "where_when", "message"]:
            limit_length(self.fields[name])


class ReportForm(PublicFormMixin, forms.ModelForm):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    email = email_field()
    website = honeypot_field()

    class Meta:
        model = Suggestion
        fields = ["reason", "message", "email"]
        labels = {"message": _("What should it say instead?")}
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "message": _(
                "E.g. the right phone number or day. Required if you chose “Something else”."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["message"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == ReportReason.OTHER and not cleaned.get("message", "").strip():
            self.add_error("message", _("Please tell us what is wrong."))
        return cleaned
