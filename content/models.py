"""Abstract building blocks shared by several apps' models."""

import uuid

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


def public_uuid_field():
    """The stable public identifier of an entry in the open-data API (opendata/): HSDS
    wants a UUID for every entity, and one that never changes, unlike a slug that staff may
    still correct. Not editable, so no form shows it; the migrations that added it gave
    every existing row its own."""
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
