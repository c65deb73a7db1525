"""{% result_cards offers near back %}: the cards of the offer search's result list.

Written in Python rather than as a loop in offers/includes/result_list.html, for the reason
search_facets.py gives: each of the 20 cards took some 40 template nodes, a reverse() for
its address, a tag per category and the same ``back`` URL-encoded again (benchmarks/
results.md, "Search page rendering"). The markup, white space included, is the one the
loop wrote.
"""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from translations.fallback import lang_attribute
from vocabularies.templatetags.vocabulary_icons import category_icon

register = template.Library()

# The indentation of the template around the tag, so that the page reads as before.
CARD = (
    '\n    <li class="card">'
    '\n      <h3><a href="{url}"{name_lang}>{name}</a></h3>'
    '\n      <p class="meta"><bdi>{provider}</bdi> · <bdi>{city}</bdi>{distance}</p>'
    '\n      <p class="categories">{categories}</p>'
    "\n      {description}"
    "\n    </li>\n  "
)
CATEGORY = '<span class="tag">{icon}<span{lang}>{label}</span></span>'
PLACEHOLDER = "slug"


def detail_address():
    """Offer.get_absolute_url() as a function of the slug, from one reverse() for all
    cards: (the address before the slug, the address after it)."""
    url = reverse("offers:detail", kwargs={"slug": PLACEHOLDER})
    before, _placeholder, after = url.rpartition(PLACEHOLDER)
    return before, after


@register.simple_tag
def result_cards(offers, near, back):
    """The offers as cards: the name linking to the offer's page (with ``back``, the
    list's address, for the way back), provider, town, with ``near`` the distance, the
    categories with their icons and the short description; names, labels and descriptions
    marked with their language where they fall back to German. "" without offers."""
    before, after = detail_address()
    query = f"?back={escape(quote(back))}" if back else ""
    if near:
        # What the distance says when the offer has none: a place without coordinates, or
        # no fixed place at all.
        unknown = ' · <span class="distance distance--none">{}</span>'.format(
            conditional_escape(gettext("Distance unknown"))
        )
        no_place = ' · <span class="distance distance--none">{}</span>'.format(
            conditional_escape(gettext("No fixed place"))
        )
    categories_html = {}  # the results share their categories: each one is written once
    cards = []
    for offer in offers:
        distance = ""
        if near:
            label = getattr(offer, "distance_label", None)
            if label:
                distance = f' · <span class="distance">{conditional_escape(label)}</span>'
            else:
                distance = unknown if offer.venue_id else no_place
        categories = []
        for category in offer.categories.all():
            html = categories_html.get(category.pk)
            if html is None:
                html = categories_html[category.pk] = CATEGORY.format(
                    icon=category_icon(category),
                    lang=lang_attribute(category, "label"),
                    label=conditional_escape(category.label),
                )
            categories.append(html)
        description = ""
        if offer.short_description:
            description = "<p{}>{}</p>".format(
                lang_attribute(offer, "short_description"),
                conditional_escape(offer.short_description),
            )
        cards.append(
            CARD.format(
                url=escape(f"{before}{quote(offer.slug)}{after}") + query,
                name_lang=lang_attribute(offer, "name"),
                name=conditional_escape(offer.name),
                provider=conditional_escape(offer.provider.name),
                city=conditional_escape(offer.city.name),
                distance=distance,
                categories="".join(categories),
                description=description,
            )
        )
    return mark_safe("".join(cards))
