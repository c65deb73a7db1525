"""Roles, editing areas and the publication workflow, through the admin as staff use it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content.publication import PublicationStatus
from editorial.models import EditorScope
from editorial.roles import CITY_EDITORS, KI_EDITORS, PROVIDER_ACCOUNTS
from events.models import Event
from offers.models import Offer
from pages.models import Page
from places.models import City
from providers.models import Provider
from tests.admin_forms import form_data
from tests.pages import html_of
from vocabularies.models import Category

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make_user(username, role=None, cities=(), providers=()):
    user = User.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if cities or providers:
        scope = EditorScope.objects.create(user=user)
        scope.cities.set(cities)
        scope.providers.set(providers)
    return user


@pytest.fixture
def team(demo_data):
    """A KI editor, two city editors (Unna, Lünen), a provider account (VHS Bergkamen) and
    a staff account without any role."""
    call_command("setup_roles", verbosity=0)
    unna, luenen = City.objects.get(slug="unna"), City.objects.get(slug="luenen")
    vhs = Provider.objects.get(slug="vhs-bergkamen")
    return {
        "ki": make_user("ki", KI_EDITORS),
        "unna": make_user("unna", CITY_EDITORS, cities=[unna]),
        "luenen": make_user("luenen", CITY_EDITORS, cities=[luenen]),
        "provider": make_user("vhs", PROVIDER_ACCOUNTS, providers=[vhs]),
        "nobody": make_user("nobody"),
    }


@pytest.fixture
def entries(demo_data):
    """One offer and one event in Unna, one offer in Lünen, one offer of VHS Bergkamen."""
    return {
        "unna_offer": Offer.objects.filter(city__slug="unna").first(),
        "luenen_offer": Offer.objects.filter(city__slug="luenen").first(),
        "vhs_offer": Offer.objects.filter(provider__slug="vhs-bergkamen").first(),
        "unna_event": Event.objects.filter(city__slug="unna").first(),
        "luenen_event": Event.objects.filter(city__slug="luenen").first(),
        "page": Page.objects.first(),
        "category": Category.objects.first(),
    }


def client_for(client, user):
    client.force_login(user)
    return client


# --- The permission matrix -----------------------------------------------------------------
# Each row: what is tried, then the expected answer for KI editor, Unna city editor,
# provider account (VHS Bergkamen) and a staff account without a role. "ok" is 200 for
# pages and a redirect after a successful POST; 403 is refused.
ROLES = ("ki", "unna", "provider", "nobody")

MATRIX = [
    # (name, method, url, {role: expected})
    ("offer list", "get", lambda e: reverse("admin:offers_offer_changelist"), (200, 200, 200, 403)),
    ("offer add form", "get", lambda e: reverse("admin:offers_offer_add"), (200, 200, 200, 403)),
    (
        "own city's offer",
        "get",
        lambda e: reverse("admin:offers_offer_change", args=[e["unna_offer"].pk]),
        (200, 200, 403, 403),
    ),
    (
        "other city's offer",
        "get",
        lambda e: reverse("admin:offers_offer_change", args=[e["luenen_offer"].pk]),
        (200, 403, 403, 403),
    ),
    (
        "provider's own offer",
        "get",
        lambda e: reverse("admin:offers_offer_change", args=[e["vhs_offer"].pk]),
        (200, 403, 200, 403),
    ),
    (
        "delete own city's offer (confirmation page)",
        "get",
        lambda e: reverse("admin:offers_offer_delete", args=[e["unna_offer"].pk]),
        (200, 200, 403, 403),
    ),
    (
        "delete other city's offer (confirmation page)",
        "get",
        lambda e: reverse("admin:offers_offer_delete", args=[e["luenen_offer"].pk]),
        (200, 403, 403, 403),
    ),
    (
        "history of other city's offer",
        "get",
        lambda e: reverse("admin:offers_offer_history", args=[e["luenen_offer"].pk]),
        (200, 403, 403, 403),
    ),
    (
        "still current: own city's offer",
        "post",
        lambda e: reverse("admin:offers_offer_still_current", args=[e["unna_offer"].pk]),
        (302, 302, 403, 403),
    ),
    (
        "still current: other city's offer",
        "post",
        lambda e: reverse("admin:offers_offer_still_current", args=[e["luenen_offer"].pk]),
        (302, 403, 403, 403),
    ),
    ("event list", "get", lambda e: reverse("admin:events_event_changelist"), (200, 200, 200, 403)),
    (
        "own city's event",
        "get",
        lambda e: reverse("admin:events_event_change", args=[e["unna_event"].pk]),
        (200, 200, 403, 403),
    ),
    (
        "other city's event",
        "get",
        lambda e: reverse("admin:events_event_change", args=[e["luenen_event"].pk]),
        (200, 403, 403, 403),
    ),
    ("page list", "get", lambda e: reverse("admin:pages_page_changelist"), (200, 403, 403, 403)),
    (
        "page",
        "get",
        lambda e: reverse("admin:pages_page_change", args=[e["page"].pk]),
        (200, 403, 403, 403),
    ),
    (
        "vocabulary: change (POST)",
        "post",
        lambda e: reverse("admin:vocabularies_category_change", args=[e["category"].pk]),
        ("form", 403, 403, 403),
    ),
    (
        "provider list",
        "get",
        lambda e: reverse("admin:providers_provider_changelist"),
        (200, 200, 200, 403),
    ),
    (
        "translations overview",
        "get",
        lambda e: reverse("admin:translations_textchange_changelist"),
        (200, 403, 403, 403),
    ),
    (
        "offer import (spreadsheet)",
        "get",
        lambda e: reverse("admin:offers_offer_import"),
        (200, 403, 403, 403),
    ),
    (
        "provider import (spreadsheet)",
        "get",
        lambda e: reverse("admin:providers_provider_import"),
        (200, 403, 403, 403),
    ),
    (
        "offer export (own entries)",
        "get",
        lambda e: reverse("admin:offers_offer_export"),
        (200, 200, 200, 403),
    ),
    (
        "recover deleted offers",
        "get",
        lambda e: reverse("admin:offers_offer_recoverlist"),
        (200, 403, 403, 403),
    ),
    (
        "suggestions queue",
        "get",
        lambda e: reverse("admin:offers_suggestion_changelist"),
        (200, 200, 200, 403),
    ),
    ("user accounts", "get", lambda e: reverse("admin:auth_user_changelist"), (403,) * 4),
    ("start page", "get", lambda e: reverse("admin:index"), (200, 200, 200, 200)),
]


@pytest.mark.parametrize(("name", "method", "url", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(client, team, entries, name, method, url, expected):
    for role, wanted in zip(ROLES, expected, strict=True):
        client.force_login(team[role])
        address = url(entries)
        response = getattr(client, method)(address)
        if wanted == "form":
            # Allowed: the (empty) form comes back with errors instead of being refused.
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code == wanted, (role, name, response.status_code)
        client.logout()


def test_city_editors_lists_hold_only_their_own_cities_entries(client, team, entries):
    for role, city in (("unna", "Unna"), ("luenen", "Lünen")):
        client_for(client, team[role])
        response = client.get(reverse("admin:offers_offer_changelist") + "?all=")
        shown = list(response.context["cl"].result_list)
        assert shown
        assert {offer.city.name for offer in shown} == {city}
        client.logout()
    client_for(client, team["ki"])
    response = client.get(reverse("admin:offers_offer_changelist"))
    assert response.context["cl"].result_count == Offer.objects.count()


def test_city_editors_cannot_see_each_others_drafts(client, team, entries):
    draft = entries["luenen_offer"]
    draft.publication_status = PublicationStatus.DRAFT
    draft.save()
    client_for(client, team["unna"])
    response = client.get(
        reverse("admin:offers_offer_changelist")
        + f"?q={draft.name_de}&publication_status__exact=draft"
    )
    assert draft not in response.context["cl"].result_list
    assert client.get(reverse("admin:offers_offer_change", args=[draft.pk])).status_code == 403


def test_actions_never_touch_entries_outside_the_scope(client, team, entries):
    """A crafted POST with another city's id changes nothing."""
    other = entries["luenen_offer"]
    Offer.objects.filter(pk=other.pk).update(last_reviewed=datetime.date(2020, 1, 1))
    client_for(client, team["unna"])
    client.post(
        reverse("admin:offers_offer_changelist"),
        {"action": "mark_reviewed", "_selected_action": [other.pk], "index": 0},
    )
    other.refresh_from_db()
    assert other.last_reviewed == datetime.date(2020, 1, 1)


def test_city_editor_cannot_move_an_offer_into_another_city(client, team, entries):
    offer = entries["unna_offer"]
    client_for(client, team["unna"])
    url = reverse("admin:offers_offer_change", args=[offer.pk])
    data = form_data(client.get(url))
    data["city"] = str(City.objects.get(slug="luenen").pk)
    response = client.post(url, data, **ENGLISH)
    assert response.status_code == 200
    assert "Select a valid choice" in html_of(response)
    offer.refresh_from_db()
    assert offer.city.slug == "unna"


def test_city_editor_chooses_only_among_their_own_cities(client, team):
    client_for(client, team["unna"])
    response = client.get(reverse("admin:offers_offer_add"))
    city_field = response.context["adminform"].form.fields["city"]
    assert [city.slug for city in city_field.queryset] == ["unna"]


def test_provider_account_creates_offers_only_for_its_provider(client, team, entries):
    client_for(client, team["provider"])
    response = client.get(reverse("admin:offers_offer_add"))
    provider_field = response.context["adminform"].form.fields["provider"]
    assert [provider.slug for provider in provider_field.queryset] == ["vhs-bergkamen"]


# --- Workflow --------------------------------------------------------------------------------


def test_editor_without_publish_permission_cannot_publish_by_form(client, team, entries):
    offer = entries["unna_offer"]
    Offer.objects.filter(pk=offer.pk).update(publication_status=PublicationStatus.DRAFT)
    client_for(client, team["unna"])
    url = reverse("admin:offers_offer_change", args=[offer.pk])
    response = client.get(url)
    choices = [
        value
        for value, _label in response.context["adminform"].form.fields["publication_status"].choices
    ]
    assert choices == [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]
    data = form_data(response)
    data["publication_status"] = PublicationStatus.PUBLISHED
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with an error
    offer.refresh_from_db()
    assert offer.publication_status == PublicationStatus.DRAFT
    # Submitting for review is theirs to do.
    data["publication_status"] = PublicationStatus.IN_REVIEW
    assert client.post(url, data).status_code == 302
    offer.refresh_from_db()
    assert offer.publication_status == PublicationStatus.IN_REVIEW


def test_city_editor_edits_a_published_offer_of_their_city(client, team, entries):
    offer = entries["unna_offer"]
    assert offer.is_published
    client_for(client, team["unna"])
    url = reverse("admin:offers_offer_change", args=[offer.pk])
    data = form_data(client.get(url))
    data["schedule_de"] = "Dienstags 18 bis 20 Uhr"
    assert client.post(url, data).status_code == 302
    offer.refresh_from_db()
    assert offer.schedule_de == "Dienstags 18 bis 20 Uhr"
    assert offer.is_published


def test_ki_editor_publishes_in_bulk_and_the_offers_go_public(client, team, entries):
    waiting = list(Offer.objects.filter(city__slug="unna")[:3])
    Offer.objects.filter(pk__in=[o.pk for o in waiting]).update(
        publication_status=PublicationStatus.IN_REVIEW, last_reviewed=None
    )
    for offer in waiting:
        assert client.get(offer.get_absolute_url()).status_code == 404
    client_for(client, team["ki"])
    response = client.post(
        reverse("admin:offers_offer_changelist"),
        {"action": "publish_selected", "_selected_action": [o.pk for o in waiting]},
        follow=True,
        **ENGLISH,
    )
    assert "3 entries published." in html_of(response)
    client.logout()
    for offer in waiting:
        offer.refresh_from_db()
        assert offer.last_reviewed == timezone.localdate()
        assert client.get(offer.get_absolute_url()).status_code == 200


def test_publish_action_is_not_offered_without_the_permission(client, team, entries):
    client_for(client, team["unna"])
    response = client.get(reverse("admin:offers_offer_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "publish_selected" not in actions
    assert "archive_selected" not in actions
    assert {"submit_for_review", "mark_reviewed"} <= set(actions)
    offer = entries["unna_offer"]
    Offer.objects.filter(pk=offer.pk).update(publication_status=PublicationStatus.IN_REVIEW)
    client.post(
        reverse("admin:offers_offer_changelist"),
        {"action": "publish_selected", "_selected_action": [offer.pk]},
    )
    offer.refresh_from_db()
    assert offer.publication_status == PublicationStatus.IN_REVIEW


def test_archive_takes_an_offer_off_the_public_pages(client, team, entries):
    offer = entries["unna_offer"]
    client_for(client, team["ki"])
    client.post(
        reverse("admin:offers_offer_changelist"),
        {"action": "archive_selected", "_selected_action": [offer.pk]},
    )
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_an_offer_past_its_valid_until_drops_out_of_the_public_list(
    client, entries, page_cache_off, monkeypatch
):
    # A day passes, which no signal announces: cached pages show it within
    # PORTAL_PAGE_CACHE_SECONDS (tests/test_page_cache.py), this test is about the list's
    # rule (and the search index, which is kept per day as well as per content change).
    offer = entries["unna_offer"]
    offer.valid_until = timezone.localdate()
    offer.save()
    search = reverse("offers:search") + "?city=unna"
    assert offer in client.get(search).context["page_obj"].object_list
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert offer not in client.get(search).context["page_obj"].object_list
    assert client.get(offer.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "changelist", ["admin:offers_offer_changelist", "admin:events_event_changelist"]
)
def test_a_city_editors_list_filters_offer_only_their_cities_and_districts(
    client, team, entries, changelist
):
    client_for(client, team["unna"])
    # (With a single city to choose from, Django leaves that filter out altogether.)
    page = html_of(client.get(reverse(changelist)))
    for other in ("Lünen", "Castrop-Rauxel", "Kreis Recklinghausen", "Ennepe-Ruhr-Kreis"):
        assert other not in page

    client_for(client, team["ki"])
    page = html_of(client.get(reverse(changelist)))
    for name in ("Unna", "Lünen", "Castrop-Rauxel", "Kreis Recklinghausen"):
        assert name in page


def test_the_admins_access_denied_page_says_why_and_leads_back(client, team, entries):
    client_for(client, team["unna"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_city = reverse("admin:offers_offer_change", args=[entries["luenen_offer"].pk])
    response = client.get(other_city)
    assert response.status_code == 403
    page = response.content.decode()
    assert "belongs to a city or provider outside your editing area" in page
    assert f'href="{reverse("admin:index")}"' in page

    client_for(client, team["nobody"])  # a staff account without a role
    response = client.get(reverse("admin:offers_offer_changelist"))
    assert response.status_code == 403
    assert "ask the editorial team" in response.content.decode()


# --- Needs review and the start page --------------------------------------------------------


def overdue(offer, years=2):
    day = timezone.localdate() - datetime.timedelta(days=365 * years)
    Offer.objects.filter(pk=offer.pk).update(last_reviewed=day)


def test_needs_review_list_shows_stale_entries_of_the_users_cities(client, team, entries):
    Offer.objects.update(last_reviewed=timezone.localdate())
    Event.objects.update(last_reviewed=timezone.localdate())
    overdue(entries["unna_offer"])
    overdue(entries["luenen_offer"])
    client_for(client, team["unna"])
    response = client.get(reverse("admin:index"))
    page = html_of(response)
    assert entries["unna_offer"].name in page
    assert entries["luenen_offer"].name not in page
    offers_section = response.context["editorial"]["sections"][0]
    assert offers_section.counts["needs_review"] == 1
    # The change list's "needs review" filter holds the same entries.
    response = client.get(reverse("admin:offers_offer_changelist") + "?review=due")
    assert list(response.context["cl"].result_list) == [entries["unna_offer"]]


def test_past_events_leave_the_review_queue(client, team, entries):
    """Nobody is asked to confirm that an event of 2019 is still current."""
    Offer.objects.update(last_reviewed=timezone.localdate())
    Event.objects.update(last_reviewed=timezone.localdate())
    past, upcoming = entries["unna_event"], entries["luenen_event"]
    Event.objects.filter(pk__in=[past.pk, upcoming.pk]).update(
        last_reviewed=datetime.date(2019, 3, 1)
    )
    past.dates.all().delete()
    past.dates.create(start=timezone.make_aware(datetime.datetime(2019, 5, 4, 15)))
    assert Event.objects.past().filter(pk=past.pk).exists()

    assert list(Event.objects.needs_review()) == [upcoming]
    client_for(client, team["ki"])
    response = client.get(reverse("admin:index"))
    events_section = response.context["editorial"]["sections"][1]
    assert events_section.counts["needs_review"] == 1
    assert [overdue.entry for overdue in events_section.overdue] == [upcoming]
    response = client.get(reverse("admin:events_event_changelist") + "?review=due")
    assert list(response.context["cl"].result_list) == [upcoming]


def test_review_interval_is_a_setting(client, team, entries, settings):
    Offer.objects.update(last_reviewed=timezone.localdate())
    Offer.objects.filter(pk=entries["unna_offer"].pk).update(
        last_reviewed=timezone.localdate() - datetime.timedelta(days=100)
    )
    assert entries["unna_offer"] not in Offer.objects.needs_review()
    settings.PORTAL_REVIEW_AFTER_MONTHS = 3
    assert list(Offer.objects.needs_review()) == [entries["unna_offer"]]


def test_new_entries_never_reviewed_are_not_due_at_once(entries):
    Offer.objects.update(last_reviewed=None, created=timezone.now())
    assert not Offer.objects.needs_review().exists()
    Offer.objects.update(created=timezone.now() - datetime.timedelta(days=400))
    in_use = Offer.objects.exclude(publication_status=PublicationStatus.ARCHIVED)
    assert Offer.objects.needs_review().count() == in_use.count() > 0


def test_archived_entries_are_not_due_for_review(entries):
    overdue(entries["unna_offer"])
    Offer.objects.filter(pk=entries["unna_offer"].pk).update(
        publication_status=PublicationStatus.ARCHIVED
    )
    assert entries["unna_offer"] not in Offer.objects.needs_review()


def test_still_current_is_one_click_from_the_start_page(client, team, entries):
    offer = entries["unna_offer"]
    overdue(offer)
    client_for(client, team["unna"])
    start = reverse("admin:index")
    still_current = reverse("admin:offers_offer_still_current", args=[offer.pk])
    assert f'action="{still_current}"' in html_of(client.get(start))
    response = client.post(still_current, {"next": start}, follow=True)
    assert response.redirect_chain[-1][0] == start
    offer.refresh_from_db()
    assert offer.last_reviewed == timezone.localdate()
    assert offer not in Offer.objects.needs_review()
    # GET does nothing.
    assert client.get(still_current).status_code == 405


def test_still_current_does_not_redirect_to_other_sites(client, team, entries):
    client_for(client, team["ki"])
    response = client.post(
        reverse("admin:offers_offer_still_current", args=[entries["unna_offer"].pk]),
        {"next": "https://evil.example.org/"},
    )
    assert response["Location"] == reverse(
        "admin:offers_offer_change", args=[entries["unna_offer"].pk]
    )


def test_still_current_for_a_missing_entry_is_404(client, team):
    client_for(client, team["ki"])
    url = reverse("admin:offers_offer_still_current", args=[999999])
    assert client.post(url).status_code == 404


def test_start_page_counts_the_users_entries_by_status(client, team, entries):
    unna = Offer.objects.filter(city__slug="unna")
    unna.update(publication_status=PublicationStatus.PUBLISHED)
    Offer.objects.filter(pk=entries["unna_offer"].pk).update(
        publication_status=PublicationStatus.DRAFT
    )
    client_for(client, team["unna"])
    response = client.get(reverse("admin:index"), **ENGLISH)
    offers, events = response.context["editorial"]["sections"]
    assert offers.counts["published"] == unna.count() - 1
    assert offers.counts["draft"] == 1
    assert offers.counts["review"] == 0
    assert (
        events.counts["published"] + events.counts["draft"]
        == Event.objects.filter(city__slug="unna").count()
        - Event.objects.filter(
            city__slug="unna", publication_status__in=["review", "archived"]
        ).count()
    )
    page = html_of(response)
    assert "Needs review" in page and "In review" in page and "Drafts" in page


def test_start_page_runs_a_fixed_number_of_queries(
    client, team, entries, django_assert_max_num_queries
):
    client_for(client, team["ki"])
    client.get(reverse("admin:index"))  # warm up the session and permission caches
    with django_assert_max_num_queries(14):
        client.get(reverse("admin:index"))


# --- Same name warning ----------------------------------------------------------------------


def test_new_offer_with_a_name_the_provider_already_uses_asks_first(client, team, entries):
    existing = entries["vhs_offer"]
    client_for(client, team["ki"])
    url = reverse("admin:offers_offer_change", args=[existing.pk])
    data = form_data(client.get(url))
    data["slug"] = existing.slug + "-zwei"
    data["name_de"] = existing.name_de.upper()  # case does not make it another offer
    add_url = reverse("admin:offers_offer_add")
    before = Offer.objects.count()
    response = client.post(add_url, data, **ENGLISH)
    assert response.status_code == 200
    page = html_of(response)
    assert "This provider already has an offer with this name" in page
    assert reverse("admin:offers_offer_change", args=[existing.pk]) in page
    assert 'name="save_despite_same_name"' in page
    assert Offer.objects.count() == before
    data["save_despite_same_name"] = "on"
    assert client.post(add_url, data).status_code == 302
    assert Offer.objects.count() == before + 1


def test_the_same_name_confirmation_appears_only_when_the_name_is_taken(client, team, entries):
    """After any other error the form must not ask to confirm a clash that does not exist."""
    existing = entries["vhs_offer"]
    client_for(client, team["ki"])
    data = form_data(client.get(reverse("admin:offers_offer_change", args=[existing.pk])))
    for name in [key for key in data if key.startswith("name_")]:
        data[name] = ""  # a name no other offer has, in no language
    data.update(slug="", name_de="Ein ganz neuer Name")  # the slug is missing: an error
    response = client.post(reverse("admin:offers_offer_add"), data, **ENGLISH)
    assert response.status_code == 200
    page = html_of(response)
    assert "errornote" in page
    assert 'type="checkbox" name="save_despite_same_name"' not in page
    # Its row is hidden (class "hidden"), label and all.
    row = re.search(r'<div class="form-row([^"]*)field-save_despite_same_name', page)
    assert row and "hidden" in row.group(1).split()


def test_same_name_at_another_provider_is_fine(client, team, entries):
    existing = entries["vhs_offer"]
    other_provider = Provider.objects.exclude(pk=existing.provider_id).first()
    client_for(client, team["ki"])
    data = form_data(client.get(reverse("admin:offers_offer_change", args=[existing.pk])))
    data.update(slug=existing.slug + "-anderswo", provider=str(other_provider.pk))
    assert client.post(reverse("admin:offers_offer_add"), data).status_code == 302


# --- Roles ------------------------------------------------------------------------------------


def test_setup_roles_is_repeatable_and_resets_permissions(db):
    call_command("setup_roles", verbosity=0)
    group = Group.objects.get(name=CITY_EDITORS)
    count = group.permissions.count()
    group.permissions.clear()
    call_command("setup_roles", verbosity=0)
    assert group.permissions.count() == count
    assert Group.objects.filter(name__in=[KI_EDITORS, CITY_EDITORS, PROVIDER_ACCOUNTS]).count() == 3
    assert not group.permissions.filter(codename="publish_offer").exists()
    assert Group.objects.get(name=KI_EDITORS).permissions.filter(codename="publish_offer").exists()


def test_adding_a_city_editor_on_the_user_page(admin_client, team):
    """What the README describes: an administrator gives an account the role and cities."""
    user = User.objects.create_user("neu", is_staff=True)
    url = reverse("admin:auth_user_change", args=[user.pk])
    response = admin_client.get(url)
    assert "editor_scope-TOTAL_FORMS" in html_of(response)
    data = form_data(response)
    data["groups"] = [str(Group.objects.get(name=CITY_EDITORS).pk)]
    data["editor_scope-TOTAL_FORMS"] = "1"
    data["editor_scope-0-cities"] = [str(City.objects.get(slug="unna").pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert list(user.editor_scope.cities.values_list("slug", flat=True)) == ["unna"]


def test_the_user_page_explains_the_password_in_the_portals_words(admin_client, team):
    user = User.objects.create_user("neu", password="geheim-123", is_staff=True)
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = html_of(admin_client.get(reverse("admin:auth_user_change", args=[user.pk])))
    assert "nobody can look up an account's password" in html
    assert "Raw passwords are not stored" not in html

    html = html_of(admin_client.get(reverse("admin:auth_user_add")))
    assert "Log in with a password" in html
    assert "After saving the account you can give it its role" in html
    assert "Password-based authentication" not in html
    assert "After you\u2019ve created a user" not in html

    url = reverse("admin:auth_user_password_change", args=[user.pk])
    html = html_of(admin_client.get(url))
    assert "its current password is deleted" in html
    assert "Do not allow logging in with a password" in html
    assert "password-based authentication" not in html
    response = admin_client.post(
        url,
        {"usable_password": "true", "password1": "N3ues-Passwort", "password2": "N3ues-Passwort"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("N3ues-Passwort")


def test_permissions_are_listed_by_what_they_allow(admin_client, team):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    user = User.objects.create_user("neu", is_staff=True)
    html = html_of(admin_client.get(reverse("admin:auth_user_change", args=[user.pk])))
    # Django's four permissions name the model in the admin's language, not as stored.
    assert "Offers | Offer | Can add offers" in html
    assert "Can add offer<" not in html
    group = Group.objects.get(name=KI_EDITORS)
    html = html_of(admin_client.get(reverse("admin:auth_group_change", args=[group.pk])))
    assert "Offers | Offer | Can publish and archive offers" in html


def test_the_portals_own_permissions_are_listed_in_german(admin_client, team):
    """The permission names are stored in English; the German admin shows its catalog's."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    user = User.objects.create_user("neu", is_staff=True)
    html = html_of(admin_client.get(reverse("admin:auth_user_change", args=[user.pk])))
    assert "Kann die Einträge aller Städte und Gemeinden sehen und bearbeiten" in html
    assert "Can see and edit the entries of all cities" not in html
    group = Group.objects.get(name=KI_EDITORS)
    html = html_of(admin_client.get(reverse("admin:auth_group_change", args=[group.pk])))
    assert "Kann Angebote veröffentlichen und archivieren" in html


# --- Suggestions from the public, per city -----------------------------------------------------


def test_city_editors_handle_only_their_cities_suggestions(client, team, entries):
    from offers.models import Suggestion, SuggestionKind, SuggestionStatus

    unna, luenen = City.objects.get(slug="unna"), City.objects.get(slug="luenen")
    Suggestion.objects.all().delete()
    new_in_unna = Suggestion.objects.create(
        kind=SuggestionKind.NEW_OFFER, city=unna, name="Nähcafé", provider_name="Unbekannt"
    )
    new_in_luenen = Suggestion.objects.create(
        kind=SuggestionKind.NEW_OFFER, city=luenen, name="Sprachtreff", provider_name="Unbekannt"
    )
    report_in_luenen = Suggestion.objects.create(
        kind=SuggestionKind.REPORT, offer=entries["luenen_offer"], reason="other", message="x"
    )
    client_for(client, team["unna"])
    response = client.get(reverse("admin:offers_suggestion_changelist"))
    assert list(response.context["cl"].result_list) == [new_in_unna]
    start = client.get(reverse("admin:index"))
    assert start.context["editorial"]["suggestions"]["open"] == 1
    for other in (new_in_luenen, report_in_luenen):
        url = reverse("admin:offers_suggestion_accept", args=[other.pk])
        assert client.post(url).status_code == 403
        other.refresh_from_db()
        assert other.status == SuggestionStatus.OPEN
    # Nor through the add form that accepting a suggestion opens.
    response = client.get(reverse("admin:offers_offer_add") + f"?suggestion={new_in_luenen.pk}")
    assert response.context["adminform"].form.initial.get("name_de") != "Sprachtreff"
