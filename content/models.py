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


PUBLIC_UUID = "uuid"


def public_uuid_field():
    """The stable public identifier of an entry in the open-data API (opendata/): HSDS
    wants a UUID for every entity, and one that never changes, unlike a slug that staff may
    still correct. Not editable, so no form shows it; the migrations that added it gave
    every existing row its own; keep_public_uuid() keeps it through restores."""
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


def keep_public_uuid(sender, instance, raw=False, **kwargs):
    """pre_save: a raw save (a restore from the version history, loaddata) of an existing
    row keeps the row's identifier. A version recorded before the identifier existed has
    none, and would otherwise give the entry a new one (its field's default)."""
    if not raw or instance.pk is None:
        return
    if not any(field.name == PUBLIC_UUID for field in sender._meta.concrete_fields):
        return
    stored = (
        sender._default_manager.filter(pk=instance.pk).values_list(PUBLIC_UUID, flat=True).first()
    )
    if stored is not None:
        setattr(instance, PUBLIC_UUID, stored)
