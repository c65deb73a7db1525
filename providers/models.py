"""Providers (Anbieter): the organisations that run offers and events."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.models import public_uuid_field
from places.models import City, one_line_address, postcode_validator


class Provider(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=5, blank=True, validators=[postcode_validator]
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="providers",
        verbose_name=_("city"),
        null=True,
        blank=True,
        help_text=_("Leave empty for providers that work across the whole district."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="providers/logos/", blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    uuid = public_uuid_field()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        permissions = [("import_provider", _("Can import providers from spreadsheets"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("providers:detail", kwargs={"slug": self.slug})

    @property
    def address(self):
        return one_line_address(self.street, self.postcode, self.city.name if self.city else "")


class ContactPerson(models.Model):
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="contact_persons",
        verbose_name=_("provider"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name
