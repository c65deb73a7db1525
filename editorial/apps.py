from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """How staff share the work: roles, the cities or providers each account may edit,
    the review workflow and the admin start page."""

    name = "editorial"
    verbose_name = _("Editorial work")

    def ready(self):
        from content.publication import register_preview_rule

        from .preview import may_preview_in_admin

        # The public pages preview drafts to exactly the staff who may edit them here.
        register_preview_rule(may_preview_in_admin)
