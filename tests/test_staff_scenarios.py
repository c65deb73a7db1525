"""The staff stories of issue 6 from beginning to end, through the admin and public pages:
the import of the district's spreadsheet up to publication, a wrong edit undone from the
history, and a resident's report leading to a reviewed change."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from content.publication import PublicationStatus
from editorial.models import EditorScope
from editorial.roles import CITY_EDITORS, KI_EDITORS
from offers.models import Offer, Suggestion, SuggestionStatus
from places.models import City
from tests.admin_forms import admin_url, form_data, save_in_admin
from tests.pages import html_of
from tests.test_import_export import OFFERS_CSV, PROVIDERS_CSV, confirm, example_rows, preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def ki_editor(client, demo_data):
    call_command("setup_roles", verbosity=0)
    user = User.objects.create_user("ki-editor", is_staff=True)
    user.groups.add(Group.objects.get(name=KI_EDITORS))
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_ki_editor_imports_the_spreadsheet_reviews_the_preview_and_publishes(ki_editor):
    confirm(ki_editor, "provider", preview(ki_editor, "provider", PROVIDERS_CSV))
    slugs = [row["slug"] for row in example_rows()]
    before = Offer.objects.count()

    shown = preview(ki_editor, "offer", OFFERS_CSV)
    assert Offer.objects.count() == before  # the preview wrote nothing
    assert len(shown.context["result"].rows) == len(slugs)
    confirm(ki_editor, "offer", shown)
    imported = Offer.objects.filter(slug__in=slugs)
    assert imported.count() == len(slugs)
    drafts = imported.exclude(publication_status=PublicationStatus.PUBLISHED)
    assert drafts.exists()

    response = ki_editor.post(
        reverse("admin:offers_offer_changelist"),
        {"action": "publish_selected", "_selected_action": [offer.pk for offer in drafts]},
        follow=True,
    )
    assert "published" in html_of(response)
    ki_editor.logout()
    for offer in imported:
        assert ki_editor.get(offer.get_absolute_url()).status_code == 200


def test_a_wrong_edit_is_undone_from_the_history(ki_editor):
    offer = Offer.objects.published().first()
    good_name = offer.name_de
    german_page = f"/de/offers/{offer.slug}/"
    save_in_admin(ki_editor, offer, name_de="Versehentlich überschrieben")
    assert "Versehentlich überschrieben" in html_of(ki_editor.get(german_page))

    history = html_of(ki_editor.get(admin_url(Offer, "history", offer.pk)))
    first = Version.objects.get_for_object(offer).order_by("pk").first()
    restore_url = admin_url(Offer, "revision", offer.pk, first.pk)
    assert restore_url in history
    response = ki_editor.post(restore_url, form_data(ki_editor.get(restore_url)))
    assert response.status_code == 302

    page = html_of(ki_editor.get(german_page))
    assert good_name in page
    assert "Versehentlich überschrieben" not in page


def test_a_deleted_offer_is_back_in_a_minute(ki_editor):
    offer = Offer.objects.published().first()
    ki_editor.post(admin_url(Offer, "delete", offer.pk), {"post": "yes"})
    assert ki_editor.get(offer.get_absolute_url()).status_code == 404
    recover_list = html_of(ki_editor.get(admin_url(Offer, "recoverlist")))
    deleted = Version.objects.get_deleted(Offer).get()
    recover_url = admin_url(Offer, "recover", deleted.pk)
    assert recover_url in recover_list
    ki_editor.post(recover_url, form_data(ki_editor.get(recover_url)))
    assert ki_editor.get(offer.get_absolute_url()).status_code == 200


def test_a_residents_report_reaches_the_city_editor_and_leads_to_a_reviewed_change(
    client, demo_data
):
    call_command("setup_roles", verbosity=0)
    offer = Offer.objects.published().filter(city__slug="unna").first()
    # A resident reports, in English, that the time is wrong.
    response = client.post(
        f"/en/offers/{offer.slug}/report/",
        {"reason": "time_place", "message": "It is on Wednesdays now.", "email": "", "website": ""},
    )
    assert response.status_code == 302
    report = Suggestion.objects.open().get(offer=offer)
    assert "Wednesdays" not in html_of(client.get(offer.get_absolute_url()))

    # The Unna city editor finds it in the queue, accepts it and corrects the offer.
    editor = User.objects.create_user("unna", is_staff=True)
    editor.groups.add(Group.objects.get(name=CITY_EDITORS))
    EditorScope.objects.create(user=editor).cities.add(City.objects.get(slug="unna"))
    client.force_login(editor)
    queue = client.get(reverse("admin:offers_suggestion_changelist"))
    assert report in queue.context["cl"].result_list
    response = client.post(reverse("admin:offers_suggestion_accept", args=[report.pk]))
    change_url = reverse("admin:offers_offer_change", args=[offer.pk])
    assert response["Location"] == change_url
    save_in_admin(client, offer, schedule_de="Mittwochs 16 bis 18 Uhr")

    report.refresh_from_db()
    assert report.status == SuggestionStatus.ACCEPTED
    assert report.handled_by == editor
    client.logout()
    assert "Mittwochs 16 bis 18 Uhr" in html_of(client.get(f"/de/offers/{offer.slug}/"))
    # The change is in the offer's history, by the city editor.
    latest = Version.objects.get_for_object(offer).first()
    assert latest.revision.user == editor
