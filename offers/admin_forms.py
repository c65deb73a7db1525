from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from content.text import fold

from .models import Offer

SAME_NAME_CONFIRMATION = "save_despite_same_name"


class OfferAdminForm(forms.ModelForm):
    """Warns before a provider gets two offers of the same name: residents could not tell
    them apart in a result list, and it is the usual sign of an entry made twice."""

    save_despite_same_name = forms.BooleanField(
        label=_("Save anyway: it is a different offer with the same name"),
        required=False,
    )

    class Meta:
        model = Offer
        # The admin passes its own field list (its fieldsets) to the form factory.
        fields = "__all__"  # noqa: DJ007

    def clean(self):
        cleaned_data = super().clean()
        provider = cleaned_data.get("provider")
        same = self.offers_of_same_name(provider, cleaned_data) if provider else []
        if not same and SAME_NAME_CONFIRMATION in self.fields:
            # The confirmation is in the form of every POST (OfferAdmin.get_fieldsets), to
            # be read; it is shown only when another offer has the name, not after any
            # error, where it would suggest a clash that does not exist.
            self.fields[SAME_NAME_CONFIRMATION].widget = forms.HiddenInput()
        if not same or cleaned_data.get(SAME_NAME_CONFIRMATION):
            return cleaned_data
        links = format_html(
            ", ".join(['<a href="{}">{}</a>'] * len(same)),
            *[
                part
                for offer in same
                for part in (reverse("admin:offers_offer_change", args=[offer.pk]), offer)
            ],
        )
        self.add_error(
            None,
            format_html(
                "{} {} {}",
                _("This provider already has an offer with this name:"),
                links,
                _(
                    "Open it to update it instead, give the new offer a name that tells "
                    "them apart, or tick “save anyway” below the name."
                ),
            ),
        )
        return cleaned_data

    def offers_of_same_name(self, provider, cleaned_data):
        """The provider's other offers whose name equals the new one in any language
        (compared without case, umlauts and accents)."""
        names = {
            code: fold(cleaned_data.get(f"name_{code}"))
            for code, _language in settings.LANGUAGES
            if cleaned_data.get(f"name_{code}")
        }
        if not names:
            return []
        others = Offer.objects.filter(provider=provider).exclude(pk=self.instance.pk)
        return [
            offer
            for offer in others.only("pk", *[f"name_{code}" for code in names])
            if any(fold(getattr(offer, f"name_{code}")) == name for code, name in names.items())
        ]
