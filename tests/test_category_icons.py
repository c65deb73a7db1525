"""Topics at a glance: every category shows a pictogram (vendored Lucide icons) on the home
page's topic tiles, in the search's filter list and on the result cards; staff choose it in
the admin, and a category without a choice gets the default one."""

import re

import pytest
from django.urls import reverse

from offers.models import Offer
from tests.factories import make_vocabulary
from tests.pages import html_of
from vocabularies.models import Category

pytestmark = pytest.mark.django_db

DEMO_ICONS = {
    "arbeitsmarkt-fortbildung": "briefcase",
    "begegnung": "message-circle",
    "beratung": "hand-helping",
    "bildung-schule": "graduation-cap",
    "ehrenamt": "hand-heart",
    "familie-kinder": "baby",
    "freizeit-kultur": "palette",
    "gesundheit": "heart-pulse",
    "integrationskurs": "book-open",
    "sprachkurs-sprachfoerderung": "languages",
    "sport": "volleyball",
    "wohnen": "house",
}


def topic_tile(html, slug):
    """The home page's tile linking to the search for ``slug``."""
    match = re.search(rf'<li class="tile--topic"><a href="[^"]*\?category={slug}">(.*?)</li>', html)
    assert match, f"no topic tile for {slug}"
    return match.group(1)


def icon_in(fragment):
    match = re.search(
        r'<svg class="icon icon--([a-z-]+)" aria-hidden="true" focusable="false"', fragment
    )
    return match and match.group(1)


def test_each_demo_category_has_its_pictogram_on_the_home_page(client, demo_data):
    assert set(Category.objects.values_list("slug", flat=True)) == set(DEMO_ICONS)
    html = html_of(client.get("/de/"))
    for slug, icon in DEMO_ICONS.items():
        assert icon_in(topic_tile(html, slug)) == icon, slug


def test_the_filter_list_and_result_cards_show_the_pictograms(client, demo_data):
    html = html_of(client.get(reverse("offers:search") + "?category=sport"))
    label = re.search(r'<label for="f-category-sport">(.*?)</label>', html, re.S).group(1)
    assert icon_in(label) == "volleyball"
    cards = re.findall(r'<p class="categories">(.*?)</p>', html, re.S)
    assert cards and all("icon--volleyball" in card for card in cards)


def test_a_new_category_gets_the_default_pictogram(client, demo_data):
    category = make_vocabulary(Category, "Digitales", slug="digitales")
    Offer.objects.published().first().categories.add(category)
    html = html_of(client.get("/de/"))
    assert icon_in(topic_tile(html, "digitales")) == "shapes"
    html = html_of(client.get(reverse("offers:search") + "?category=digitales"))
    label = re.search(r'<label for="f-category-digitales">(.*?)</label>', html, re.S).group(1)
    assert icon_in(label) == "shapes"
    assert "icon--shapes" in re.search(r'<p class="categories">(.*?)</p>', html, re.S).group(1)


def test_staff_choose_the_pictogram_in_the_admin(admin_client, demo_data):
    sport = Category.objects.get(slug="sport")
    url = reverse("admin:vocabularies_category_change", args=[sport.pk])
    html = html_of(admin_client.get(url))
    assert re.search(r'<select name="icon"[^>]*>', html)
    assert '<option value="volleyball" selected>' in html
    data = {
        "label_de": sport.label_de,
        "slug": "sport",
        "position": sport.position,
        "icon": "music",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, html_of(response)[:2000]
    sport.refresh_from_db()
    assert sport.icon == "music"
    assert icon_in(topic_tile(html_of(admin_client.get("/de/")), "sport")) == "music"
