"""Abstract building blocks shared by several apps' models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactFields(models.Model):
    """The person residents may ask about an offer or event."""

    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        abstract = True

    @property
    def has_contact(self):
        return bool(self.contact_name or self.contact_phone or self.contact_email)
