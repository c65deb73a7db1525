"""A shared link to an offer or event shows the pictogram of its first category (unless
its provider has a logo); other pages show the portal's mark. Every pictogram a category
may choose has its preview picture, 1200 x 630 as link previews expect."""

from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from events.models import Event
from offers.models import Offer
from tests.test_discovery import head_of
from vocabularies.icons import DEFAULT_ICON, ICONS
from vocabularies.models import Category

pytestmark = pytest.mark.django_db


def preview_file(response):
    metas = head_of(response).metas
    path = finders.find(urlsplit(metas["og:image"]).path.removeprefix("/static/"))
    assert path, metas["og:image"]
    return metas, path


@pytest.mark.parametrize("name", [name for name, _label in ICONS])
def test_every_pictogram_has_a_preview_picture_of_the_open_graph_size(name):
    path = finders.find(f"discovery/preview-{name}.png")
    assert path, f"run .venv/bin/python -m discovery.draw_images for {name}"
    with Image.open(path) as image:
        assert image.size == (1200, 630)


def test_an_offer_shows_the_pictogram_of_its_first_category(client, demo_data):
    offer = Offer.objects.published().filter(provider__logo="").first()
    first = offer.categories.all()[0]
    metas, _path = preview_file(client.get(offer.get_absolute_url()))
    assert metas["og:image"].endswith(f"/discovery/preview-{first.icon or DEFAULT_ICON}.png")
    assert (metas["og:image:width"], metas["og:image:height"]) == ("1200", "630")
    assert metas["twitter:card"] == "summary_large_image"


def test_a_category_without_a_pictogram_gives_the_default_one(client, demo_data):
    offer = Offer.objects.published().filter(provider__logo="").first()
    Category.objects.filter(pk__in=offer.categories.all()).update(icon="")
    metas, _path = preview_file(client.get(offer.get_absolute_url()))
    assert metas["og:image"].endswith(f"/discovery/preview-{DEFAULT_ICON}.png")


def test_an_event_shows_its_categorys_pictogram_or_else_the_portals_mark(client, demo_data):
    event = Event.objects.published().upcoming().filter(organizer__logo="").first()
    event.categories.clear()
    metas, _path = preview_file(client.get(event.get_absolute_url()))
    assert metas["og:image"].endswith("/discovery/preview.png")

    category = Category.objects.exclude(icon="").exclude(icon=DEFAULT_ICON).first()
    event.categories.add(category)
    metas, _path = preview_file(client.get(event.get_absolute_url()))
    assert metas["og:image"].endswith(f"/discovery/preview-{category.icon}.png")
