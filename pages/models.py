"""Information pages: about the KI, the integration concept, imprint, privacy, accessibility."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.publication import Publishable


class Page(Publishable):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence, used in lists and as the description for search engines."),
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Paragraphs are separated by an empty line.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent page"),
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)
    show_in_footer = models.BooleanField(
        _("link in the footer"),
        default=False,
        help_text=_("For imprint, privacy and accessibility statements."),
    )

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["position", "title"]
        permissions = [("publish_page", _("Can publish and archive pages"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})

    def clean(self):
        # Walk up the tree so that a page can never become its own ancestor.
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A page cannot be placed below itself.")})
            ancestor = ancestor.parent
