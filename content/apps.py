from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    """The ground floor every content model stands on: the publication life cycle, contact
    fields and text folding for search, and the registry of derived data. It imports none
    of the portal's other apps, so that all of them may import it."""

    name = "content"
    verbose_name = _("Content")

    def ready(self):
        # Every app has declared its derived data while its models were imported.
        from . import derived, generation

        derived.connect()
        # Every save, deletion and many-to-many change of a portal model starts a new content
        # generation, which invalidates cached pages (content/generation.py).
        generation.connect()
        # Public identifiers never change, not even by a restore (content/models.py).
        from django.db.models.signals import pre_save

        from .models import keep_public_uuid

        pre_save.connect(keep_public_uuid, dispatch_uid="keep_public_uuid")
