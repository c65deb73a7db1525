"""{% facet_values facet %}: the checkboxes of one facet of the offer search page.

Written in Python rather than as a loop in offers/search.html: the page shows 100 to 200
facet values, each of which took a dozen template nodes (variables, conditions and two
tags), the largest part of the page's rendering after the results (benchmarks/results.md,
"Search page rendering"). The markup, white space included, is the one the loop wrote.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from translations.fallback import lang_attribute
from vocabularies.templatetags.vocabulary_icons import category_icon

register = template.Library()

# The indentation of the template around the tag, so that the page reads as before.
ITEM = (
    '\n                    <li class="{zero}">'
    '\n                      <input type="checkbox" id="f-{name}-{slug}" name="{name}"'
    ' value="{slug}"{checked}>'
    '\n                      <label for="f-{name}-{slug}">{icon}{label}'
    ' <span class="count">({count})</span></label>'
    "\n                    </li>\n                  "
)


@register.simple_tag
def facet_values(facet):
    """The facet's values as list items: a checkbox named after the facet, its label
    (marked with its language where it falls back to German; categories with their icon)
    and the number of offers it finds."""
    name = conditional_escape(facet.name)
    with_icons = facet.name == "category"
    items = []
    for value in facet.values:
        label = conditional_escape(value.label)
        if value.label_field:
            label = f"<span{lang_attribute(value.obj, value.label_field)}>{label}</span>"
        items.append(
            ITEM.format(
                zero="" if value.count else "facet-zero",
                name=name,
                slug=conditional_escape(value.value),
                checked=" checked" if value.selected else "",
                icon=category_icon(value.obj) if with_icons else "",
                label=label,
                count=localize(value.count),
            )
        )
    return mark_safe("".join(items))
