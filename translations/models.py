from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TextChange(models.Model):
    """When one language's version of a translatable text was last edited.

    A translation is *outdated* when its German source was edited after it. Entries are
    written whenever a translatable text changes (translations/signals.py); texts loaded
    from fixtures have none, and count as current until somebody edits them.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object ID"))
    field = models.CharField(_("field"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    changed = models.DateTimeField(_("changed"))
    # Made by a machine (or a language model) and not yet checked by a person: the public
    # page then says so. Cleared when somebody edits the text (translations/signals.py).
    machine_translated = models.BooleanField(_("machine translated, not reviewed"), default=False)

    class Meta:
        # The admin lists this model as the entry to the translation overview and exchange.
        verbose_name = _("translation status")
        verbose_name_plural = _("translation status and exchange")
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="text_change_unique_per_text_and_language",
            ),
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id} {self.field} [{self.language}]"
