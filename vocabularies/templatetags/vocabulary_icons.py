"""{% category_icon category %}: a category's pictogram as decorative inline SVG."""

from django import template

from vocabularies.icons import DEFAULT_ICON, inline_svg

register = template.Library()


@register.simple_tag
def category_icon(category):
    """The category's icon; anything without one (a new category saved before it had a
    choice, a value that is no category) gets the default pictogram."""
    return inline_svg(getattr(category, "icon", "") or DEFAULT_ICON)
