"""Pictograms for the categories: the vendored Lucide icons (static/vendor/lucide/, ISC).

Each category names one of these icons (``Category.icon``, chosen in the admin); a
category without one shows DEFAULT_ICON. Only the icons listed here are vendored: to offer
another, copy its SVG from the lucide-static package into static/vendor/lucide/ and add it.
"""

from functools import cache

from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

DEFAULT_ICON = "shapes"

# (file name without .svg, what it shows: the choice's label in the admin)
ICONS = [
    ("baby", _("baby")),
    ("book-open", _("open book")),
    ("briefcase", _("briefcase")),
    ("bus", _("bus")),
    ("globe", _("globe")),
    ("graduation-cap", _("graduation cap")),
    ("hand-heart", _("hand with heart")),
    ("hand-helping", _("helping hand")),
    ("heart-pulse", _("heart with pulse")),
    ("house", _("house")),
    ("languages", _("languages")),
    ("laptop", _("laptop")),
    ("message-circle", _("speech bubble")),
    ("music", _("music")),
    ("palette", _("palette")),
    ("scale", _("scales")),
    ("shapes", _("shapes (default)")),
    ("sprout", _("sprout")),
    ("utensils", _("cutlery")),
    ("volleyball", _("ball")),
]
ICON_NAMES = {name for name, _label in ICONS}


@cache
def inline_svg(name):
    """The icon as inline SVG markup, decorative (hidden from assistive technology), sized
    by the style sheet (.icon). Read once per process from the static files."""
    if name not in ICON_NAMES:
        name = DEFAULT_ICON
    path = finders.find(f"vendor/lucide/{name}.svg")
    with open(path, encoding="utf-8") as svg_file:
        svg = svg_file.read()
    svg = svg[svg.index("<svg") :]  # without the licence comment (the LICENSE file has it)
    svg = svg.replace(
        f'class="lucide lucide-{name}"',
        f'class="icon icon--{name}" aria-hidden="true" focusable="false"',
        1,
    )
    return mark_safe(" ".join(svg.split()))
