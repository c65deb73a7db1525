"""The home page on a non-German page marks German-only texts and says so; the information
pages have an index, linked from the main navigation."""

import re

import pytest
from django.utils import translation

from content.publication import PublicationStatus
from pages.models import Page
from tests.pages import html_of

pytestmark = pytest.mark.django_db

NOTICE = 'class="notice fallback-notice"'


def untranslated_intro(language):
    """The "about us" page whose summary is the home page's lead, without ``language``."""
    page = Page.objects.get(slug="ueber-uns")
    setattr(page, f"summary_{language}", "")
    page.save()
    return page


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_an_untranslated_lead_is_marked_german_and_the_page_says_so(client, demo_data, language):
    page = untranslated_intro(language)
    html = html_of(client.get(f"/{language}/"))
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    direction = ' dir="ltr"' if language == "ar" else ""
    assert f'<span lang="de"{direction}>{page.summary_de}</span>' in lead
    assert NOTICE in html


def test_the_german_home_page_has_no_fallback_notice(client, demo_data):
    html = html_of(client.get("/de/"))
    assert NOTICE not in html
    assert 'lang="de"' not in re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)


def test_the_information_index_lists_every_published_page(client, demo_data):
    hidden = (
        Page.objects.published().exclude(parent=None).first() or Page.objects.published().last()
    )
    hidden.publication_status = PublicationStatus.DRAFT
    hidden.save()
    published = list(Page.objects.published())
    assert len(published) >= 3
    html = html_of(client.get("/en/info/"))
    assert "<h1>Information</h1>" in html
    for page in published:
        with translation.override("en"):
            assert f'<a href="{page.get_absolute_url()}"' in html, page.slug
    with translation.override("en"):
        assert hidden.get_absolute_url() not in html


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_main_navigation_links_to_the_information_index(client, demo_data, language):
    html = html_of(client.get(f"/{language}/offers/"))
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert f'href="/{language}/info/"' in nav
