"""Previews of unpublished entries follow the admin's editing areas (issue 13, finding 2):
a draft's public page and its "view on site" link open only for the staff who may edit
the entry in the admin; everyone else gets the 404 of an address that does not exist."""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from content.publication import PublicationStatus
from events.models import Event
from offers.models import Offer
from pages.models import Page

pytestmark = pytest.mark.django_db


def unpublished(queryset, status):
    entry = queryset.first()
    assert entry is not None, "the demo data lacks the entry this test needs"
    type(entry).objects.filter(pk=entry.pk).update(publication_status=status)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def drafts(demo_data):
    """One unpublished entry per editing area of the demo accounts (demo/accounts.py):
    stadt-unna edits Unna, anbieter-vhs the VHS Bergkamen."""
    return {
        "offer in Unna": unpublished(
            Offer.objects.filter(city__slug="unna").exclude(provider__slug="vhs-bergkamen"),
            PublicationStatus.DRAFT,
        ),
        "offer of the VHS": unpublished(
            Offer.objects.filter(provider__slug="vhs-bergkamen").exclude(city__slug="unna"),
            PublicationStatus.IN_REVIEW,
        ),
        "offer elsewhere": unpublished(
            Offer.objects.exclude(city__slug="unna").exclude(provider__slug="vhs-bergkamen"),
            PublicationStatus.ARCHIVED,
        ),
        "event in Unna": unpublished(
            Event.objects.filter(city__slug="unna").exclude(organizer__slug="vhs-bergkamen"),
            PublicationStatus.DRAFT,
        ),
        "event elsewhere": unpublished(
            Event.objects.exclude(city__slug="unna")
            .exclude(city=None)
            .exclude(organizer__slug="vhs-bergkamen"),
            PublicationStatus.ARCHIVED,
        ),
        "page": unpublished(Page.objects.all(), PublicationStatus.DRAFT),
    }


# Who may preview which draft: exactly who may open it in the admin.
MAY_PREVIEW = {
    "ki-redaktion": {
        "offer in Unna",
        "offer of the VHS",
        "offer elsewhere",
        "event in Unna",
        "event elsewhere",
        "page",
    },
    "stadt-unna": {"offer in Unna", "event in Unna"},
    "anbieter-vhs": {"offer of the VHS"},
}


@pytest.mark.parametrize("username", sorted(MAY_PREVIEW))
def test_a_draft_is_shown_only_within_the_editing_area(client, drafts, username):
    client.force_login(User.objects.get(username=username))
    seen = {
        name
        for name, entry in drafts.items()
        if client.get(entry.get_absolute_url()).status_code == 200
    }
    hidden = {
        name
        for name, entry in drafts.items()
        if client.get(entry.get_absolute_url()).status_code == 404
    }
    assert seen == MAY_PREVIEW[username]
    assert hidden == set(drafts) - MAY_PREVIEW[username]


def test_the_public_and_staff_without_a_role_get_the_404(client, drafts):
    for entry in drafts.values():
        assert client.get(entry.get_absolute_url()).status_code == 404
    client.force_login(User.objects.create_user("nobody", is_staff=True))
    for entry in drafts.values():
        assert client.get(entry.get_absolute_url()).status_code == 404


def test_the_event_calendar_file_of_a_draft_follows_the_same_rule(client, drafts):
    draft = drafts["event in Unna"]
    client.force_login(User.objects.get(username="anbieter-vhs"))
    assert client.get(draft.get_calendar_url()).status_code == 404
    client.force_login(User.objects.get(username="stadt-unna"))
    assert client.get(draft.get_calendar_url()).status_code == 200


def view_on_site(entry):
    content_type = ContentType.objects.get_for_model(entry)
    return reverse("admin:view_on_site", args=[content_type.pk, entry.pk])


@pytest.mark.parametrize("username", sorted(MAY_PREVIEW))
def test_view_on_site_gives_a_drafts_address_only_within_the_editing_area(client, drafts, username):
    client.force_login(User.objects.get(username=username))
    for name, entry in drafts.items():
        response = client.get(view_on_site(entry))
        if name in MAY_PREVIEW[username]:
            assert response.status_code == 302, name
            assert response["Location"].endswith(entry.get_absolute_url())
        else:
            assert response.status_code == 404, name
            assert entry.slug not in response.content.decode()


def test_view_on_site_of_a_published_entry_still_opens_its_page(client, demo_data):
    offer = Offer.objects.published().exclude(city__slug="unna").first()
    client.force_login(User.objects.get(username="stadt-unna"))
    response = client.get(view_on_site(offer))
    assert response.status_code == 302
    assert response["Location"].endswith(offer.get_absolute_url())
