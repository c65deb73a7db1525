from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """How staff share the work: roles, the cities or providers each account may edit,
    the review workflow and the admin start page."""

    name = "editorial"
    verbose_name = _("Editorial work")
