"""Which entries an editor account may see and change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.models import City
from providers.models import Provider


class EditorScope(models.Model):
    """The cities (for city editors) or providers (for provider accounts) an account works
    on. Accounts with the "edit all entries" permission (KI editors) need none; any other
    staff account without a scope sees no offers or events at all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="editor_scope",
        verbose_name=_("user"),
    )
    cities = models.ManyToManyField(
        City,
        blank=True,
        related_name="+",
        verbose_name=_("cities"),
        help_text=_("The account sees and edits the offers and events of these cities."),
    )
    providers = models.ManyToManyField(
        Provider,
        blank=True,
        related_name="+",
        verbose_name=_("providers"),
        help_text=_("The account sees and edits the offers and events of these providers."),
    )

    class Meta:
        verbose_name = _("editing area")
        verbose_name_plural = _("editing areas")
        permissions = [("edit_all_entries", _("Can see and edit the entries of all cities"))]

    def __str__(self):
        return str(self.user)
