"""Version history in the admin: every change is kept; staff compare versions, restore an
earlier one and recover deleted entries, and what derives from an entry follows."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone
from reversion.models import Version

from editorial.models import EditorScope
from events.models import Event
from offers.models import Offer
from pages.models import Page
from places.models import City, Venue
from providers.models import Provider
from tests import test_translation_exchange as exchange_tests
from tests.admin_forms import admin_url, form_data, save_in_admin
from translations.status import column, portal_languages, translated_fields
from vocabularies.models import (
    AgeGroup,
    Category,
    Gender,
    MigrationBackground,
    OfferLanguage,
    TargetGroup,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def versions(obj):
    return Version.objects.get_for_object(obj).select_related("revision__user")


def restore_in_admin(client, obj, version):
    """Open the history's restore form for ``version`` and save it, as staff do."""
    url = admin_url(type(obj), "revision", obj.pk, version.pk)
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, form_data(response))
    assert response.status_code == 302, response.context["adminform"].form.errors


def recover_in_admin(client, model, version):
    url = admin_url(model, "recover", version.pk)
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, form_data(response))
    assert response.status_code == 302, response.context["adminform"].form.errors


def delete_in_admin(client, obj):
    response = client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def search_finds(client, words, offer):
    # The words as typed: "Zweitfassung" is no typo of "Erstfassung" here.
    response = client.get("/de/offers/", {"q": words, "spelling": "exact"})
    assert response.status_code == 200
    offer = Offer.objects.get(pk=offer.pk)  # its address as it is now
    return offer.get_absolute_url() in response.content.decode()


def related_sets(obj):
    return {
        field.name: set(getattr(obj, field.name).values_list("pk", flat=True))
        for field in obj._meta.many_to_many
    }


# --- Keeping versions --------------------------------------------------------------------------


def test_an_admin_edit_keeps_a_version_with_its_author(staff_client, admin_user, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    save_in_admin(staff_client, offer, name_de="Badminton am Abend")

    latest = versions(offer).first()
    assert latest.revision.user == admin_user
    assert latest.field_dict["name_de"] == "Badminton am Abend"
    assert latest.revision.get_comment()  # the admin's change message

    response = staff_client.get(admin_url(Offer, "history", offer.pk), **EN)
    assert response.status_code == 200
    assert admin_user.username in response.content.decode()


def test_a_version_keeps_every_language_and_the_many_to_many_sets(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    save_in_admin(staff_client, offer)
    offer.refresh_from_db()
    kept = versions(offer).first().field_dict
    for name in translated_fields(Offer):
        for code in portal_languages():
            assert kept[column(name, code)] == getattr(offer, column(name, code))
    for name, pks in related_sets(offer).items():
        assert set(kept[name]) == pks


@pytest.mark.parametrize(
    "model", [Category, OfferLanguage, Gender, MigrationBackground, AgeGroup, TargetGroup]
)
def test_vocabulary_edits_are_versioned(staff_client, admin_user, demo_data, model):
    entry = model.objects.first()
    save_in_admin(staff_client, entry, label_de="Neue Bezeichnung", label_ar="تسمية")

    kept = versions(entry).first()
    assert kept.revision.user == admin_user
    assert (kept.field_dict["label_de"], kept.field_dict["label_ar"]) == (
        "Neue Bezeichnung",
        "تسمية",
    )
    assert staff_client.get(admin_url(model, "history", entry.pk)).status_code == 200


def test_restoring_a_category_label_makes_its_offers_findable_by_it_again(staff_client, demo_data):
    category = Category.objects.get(slug="sport")
    offer = category.offers.published().first()
    save_in_admin(staff_client, category, label_de="Ballspielzeit")
    first = versions(category).first()
    save_in_admin(staff_client, category, label_de="Kickerrunde")
    assert search_finds(staff_client, "Kickerrunde", offer)

    restore_in_admin(staff_client, category, first)

    assert search_finds(staff_client, "Ballspielzeit", offer)
    assert not search_finds(staff_client, "Kickerrunde", offer)


def test_imported_translations_are_versioned(staff_client, admin_user, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    rows = exchange_tests.export(staff_client, only_needed="")
    exchange_tests.row_for(rows, offer, "name")["translation"] = "Badminton evenings"
    exchange_tests.preview(staff_client, rows)
    staff_client.post(exchange_tests.IMPORT, {"confirm": "1"})

    kept = versions(offer).get()
    assert kept.field_dict["name_en"] == "Badminton evenings"
    assert kept.revision.user == admin_user


# --- Comparing ---------------------------------------------------------------------------------


def test_compare_shows_the_changed_field_with_its_old_and_new_value(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    older, newer = saved_twice(
        staff_client, offer, {"name_de": "Kurs Alpha"}, {"name_de": "Kurs Omega"}
    )

    response = staff_client.get(
        admin_url(Offer, "compare", offer.pk),
        {"version_id1": older.pk, "version_id2": newer.pk},
        **EN,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h3>Name (German)</h3>" in html
    assert "Kurs <del>Alpha</del><ins>Omega</ins>" in html
    # Only what changed is listed: the English name stayed the same.
    assert "Name (English)" not in html


def test_compare_of_the_first_admin_save_lists_only_what_the_editor_changed(
    staff_client, demo_data
):
    """The version kept before the first change holds the demo's empty translations as
    NULL; the admin form saves them as "". That is no change an editor could see."""
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    Offer.objects.filter(pk=offer.pk).update(description_ar=None, schedule_fa=None)
    save_in_admin(staff_client, offer, name_de="Badminton für alle")
    newer, older = versions(offer)[:2]
    html = compare_page(staff_client, offer, older, newer)
    assert "<h3>Name (German)</h3>" in html
    assert "Description (Arabic)" not in html
    assert "Schedule (Persian)" not in html


def saved_twice(client, obj, first, second):
    """Two saves through the admin with these field values: the (older, newer) versions."""
    save_in_admin(client, obj, **first)
    save_in_admin(client, obj, **second)
    newer, older = versions(obj)[:2]
    return older, newer


def compare_page(client, obj, older, newer):
    response = client.get(
        admin_url(type(obj), "compare", obj.pk),
        {"version_id1": older.pk, "version_id2": newer.pk},
        **EN,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_compare_shows_only_the_changed_words_of_a_text(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    older, newer = saved_twice(
        staff_client,
        offer,
        {"description_de": "Wir spielen dienstags in der Halle."},
        {"description_de": "Wir spielen mittwochs in der Halle."},
    )

    html = compare_page(staff_client, offer, older, newer)

    assert "<h3>Description (German)</h3>" in html
    assert "Wir spielen <del>dienstags</del><ins>mittwochs</ins> in der Halle." in html
    # Links that did not change (provider, city, venue) and the save time are not listed,
    # nor is the note about linked entries that goes with them.
    for label in ("Provider", "City", "Venue", "Updated"):
        assert f"<h3>{label}" not in html
    assert "Marked with" not in html


def test_compare_escapes_the_texts_it_compares(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    older, newer = saved_twice(
        staff_client,
        offer,
        {"description_de": "Text <b>alt</b>"},
        {"description_de": "Text <script>alert(1)</script>"},
    )

    html = compare_page(staff_client, offer, older, newer)

    assert "<script>alert(1)" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<del>&lt;b&gt;alt&lt;/b&gt;</del>" in html


def test_a_changed_link_is_marked_and_the_note_says_what_it_means(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    save_in_admin(staff_client, offer)
    other = Venue.objects.exclude(pk=offer.venue_id).first()
    save_in_admin(staff_client, offer, venue=str(other.pk))
    newer, older = versions(offer)[:2]

    html = compare_page(staff_client, offer, older, newer)

    assert '<h3>Venue<sup class="follow">*</sup></h3>' in html
    assert "names as they are today" in html
    assert "reversion control" not in html


def test_the_compare_page_has_a_clean_breadcrumb_and_its_own_texts(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    older, newer = saved_twice(
        staff_client, offer, {"name_de": "Kurs Alpha"}, {"name_de": "Kurs Omega"}
    )

    html = compare_page(staff_client, offer, older, newer)

    breadcrumbs = html.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    text = re.sub(r"<[^>]+>", "", breadcrumbs)
    # Home, the app, the list, the entry (its English name here), History, Compare versions
    steps = [" ".join(step.split()) for step in text.split("\u203a")]
    assert steps == ["Home", "Offers", "Offers", offer.name_en, "History", "Compare versions"]
    assert f'href="{admin_url(Offer, "change", offer.pk)}"' in breadcrumbs
    assert f'href="{admin_url(Offer, "history", offer.pk)}"' in breadcrumbs
    assert "Back to the history" in html and "Restore the older version" in html
    assert "Go back to history list" not in html and "Revert to this version" not in html


def test_the_history_lists_the_versions_with_its_own_texts(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    save_in_admin(staff_client, offer, name_de="Kurs Alpha")

    html = staff_client.get(admin_url(Offer, "history", offer.pk), **EN).content.decode()

    assert 'value="Compare"' in html
    assert "Choose two versions and compare them" in html


def test_the_history_comment_names_the_field_and_its_language(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    staff_client.defaults.update(EN)
    save_in_admin(staff_client, offer, schedule_de="Mittwochs 18 Uhr", name_en="Badminton evenings")

    comment = versions(offer).first().revision.comment
    assert comment == "Changed Name (English) and Schedule (German)."


# --- Restoring ---------------------------------------------------------------------------------


def every_offer_field(variant):
    """Form values for every field of an offer, different in each variant: each language
    of each translated text, each relation, each many-to-many set, each flag and date."""
    today = timezone.localdate()
    word = {1: "Erstfassung", 2: "Zweitfassung"}[variant]
    pick = variant - 1  # the first or the second of the vocabulary entries
    providers = list(Provider.objects.order_by("pk")[:2])
    cities = list(City.objects.order_by("pk")[:2])
    venues = list(Venue.objects.order_by("pk")[:2])
    backgrounds = list(MigrationBackground.objects.order_by("pk")[:2])

    def vocabulary(model):
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        return [str(pk) for pk in (pks[:2] if variant == 1 else pks[2:3])]

    data = {
        column(name, code): f"{word} {name} {code}"
        for name in translated_fields(Offer)
        for code in portal_languages()
    }
    data.update(
        slug=f"wiederherstellung-{variant}",
        provider=str(providers[pick].pk),
        city=str(cities[pick].pk),
        venue=str(venues[pick].pk),
        migration_background=str(backgrounds[pick].pk),
        categories=vocabulary(Category),
        languages=vocabulary(OfferLanguage),
        genders=vocabulary(Gender),
        age_groups=vocabulary(AgeGroup),
        contact_name=f"{word} Kontakt",
        contact_phone=f"0230{variant} 12345",
        contact_email=f"kontakt{variant}@example.org",
        homepage=f"https://example.org/{variant}/",
        wheelchair_access={1: "yes", 2: "no"}[variant],
        publication_status={1: "published", 2: "draft"}[variant],
        valid_from=(today - dt.timedelta(days=10 * variant)).strftime("%d.%m.%Y"),
        valid_until=(today + dt.timedelta(days=100 * variant)).strftime("%d.%m.%Y"),
        last_reviewed=(today - dt.timedelta(days=variant)).strftime("%d.%m.%Y"),
    )
    flags = {"is_free": variant == 2, "registration_required": variant == 1}
    return data, flags


def post_offer(client, offer, variant):
    url = admin_url(Offer, "change", offer.pk)
    data = form_data(client.get(url))
    values, flags = every_offer_field(variant)
    data.update(values)
    for name, on in flags.items():
        data.pop(name, None)
        if on:
            data[name] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def stored_fields(offer):
    offer = Offer.objects.get(pk=offer.pk)
    return {field.attname: getattr(offer, field.attname) for field in Offer._meta.concrete_fields}


# The same in every version by nature, and derived or stamped on every save.
# The public identifier (the open-data API) never changes, so no version differs in it.
SAME_IN_EVERY_VERSION = {"id", "created", "uuid"}
DERIVED = {"updated", "search_text"}


def test_restoring_an_offer_brings_back_every_field_in_every_language(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    post_offer(staff_client, offer, 1)
    first_fields, first_sets = stored_fields(offer), related_sets(offer)
    first = versions(offer).first()
    post_offer(staff_client, offer, 2)
    second_fields, second_sets = stored_fields(offer), related_sets(offer)
    # The second version differs from the first in every field, so each one is tested.
    for name in first_fields.keys() - SAME_IN_EVERY_VERSION - DERIVED:
        assert first_fields[name] != second_fields[name], name
    for name in first_sets:
        assert first_sets[name] != second_sets[name], name
    assert not search_finds(staff_client, "Erstfassung", offer)

    restore_in_admin(staff_client, offer, first)

    restored_fields, restored_sets = stored_fields(offer), related_sets(offer)
    for name in first_fields.keys() - DERIVED:
        assert restored_fields[name] == first_fields[name], name
    assert restored_sets == first_sets
    # Published again, and found by its restored name (in any language), no longer by
    # the replaced one.
    assert search_finds(staff_client, "Erstfassung", offer)
    assert search_finds(staff_client, "Erstfassung name uk", offer)
    assert not search_finds(staff_client, "Zweitfassung", offer)
    # The restore is itself a version, by the user who restored; the oldest version is the
    # demo entry as it was before the first edit.
    assert versions(offer).count() == 4
    assert versions(offer).last().field_dict["name_de"] == "Badminton"
    assert versions(offer).first().field_dict["name_de"] == "Erstfassung name de"


def occurrences(event):
    return list(event.occurrences.order_by("start").values_list("start", "ends_at", "cancelled"))


def test_restoring_an_event_brings_back_its_dates_and_occurrences(staff_client, demo_data):
    event = Event.objects.get(slug="sprachcafe-unna")
    save_in_admin(staff_client, event)
    first = versions(event).first()
    first_dates = list(event.dates.values_list("start", "end", "repeat", "interval"))
    first_cancelled = list(event.cancelled_dates.values_list("date", flat=True))
    first_occurrences = occurrences(event)
    assert first_cancelled and len(first_occurrences) > 1

    # Another date, another start time, no cancelled day and a link to a programme.
    url = admin_url(Event, "change", event.pk)
    data = form_data(staff_client.get(url))
    data.update(
        {
            "dates-0-start_1": "07:15",
            "dates-1-start_0": "24.12.2030",
            "dates-1-start_1": "10:00",
            "cancelled_dates-0-DELETE": "on",
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-kind": "programme",
            "attachments-0-title_de": "Programm",
            "attachments-0-url": "https://example.org/programm.pdf",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert occurrences(event) != first_occurrences
    assert event.attachments.exists()

    restore_in_admin(staff_client, event, first)

    assert list(event.dates.values_list("start", "end", "repeat", "interval")) == first_dates
    assert list(event.cancelled_dates.values_list("date", flat=True)) == first_cancelled
    assert not event.attachments.exists()
    assert occurrences(event) == first_occurrences
    response = staff_client.get(event.get_absolute_url())
    assert response.status_code == 200


def outdated_in_english(client):
    """The pages the admin lists under "translation outdated in: English"."""
    response = client.get(admin_url(Page, "changelist"), {"outdated_in": "en"})
    assert response.status_code == 200
    return {page.title_de for page in response.context["cl"].result_list}


def test_a_restore_brings_back_which_translations_were_outdated(staff_client, demo_data):
    page = Page.objects.get(slug="impressum")
    save_in_admin(staff_client, page, title_de="Impressum alt", title_en="Imprint old")
    save_in_admin(staff_client, page, title_de="Impressum neu")  # the English is outdated
    german_changed = versions(page).first()
    save_in_admin(staff_client, page, title_en="Imprint new")  # and current again
    current = versions(page).first()
    assert "Impressum neu" not in outdated_in_english(staff_client)

    # Back to the version whose English title was older than its German one.
    restore_in_admin(staff_client, page, german_changed)
    assert Page.objects.get(pk=page.pk).title_en == "Imprint old"
    assert "Impressum neu" in outdated_in_english(staff_client)

    restore_in_admin(staff_client, page, current)
    assert "Impressum neu" not in outdated_in_english(staff_client)


def test_restoring_needs_the_change_permission(client, staff_client, demo_data):
    page = Page.objects.get(slug="impressum")
    save_in_admin(staff_client, page, title_de="Impressum alt")
    version = versions(page).first()
    save_in_admin(staff_client, page, title_de="Impressum neu")
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(viewer)
    url = admin_url(Page, "revision", page.pk, version.pk)

    assert client.get(url).status_code == 200  # a preview
    response = client.post(url, {"title_de": "Impressum alt", "slug": page.slug})

    assert response.status_code == 403
    assert Page.objects.get(pk=page.pk).title_de == "Impressum neu"


def test_a_version_of_another_kind_of_entry_cannot_be_restored_here(staff_client, demo_data):
    page = Page.objects.get(slug="impressum")
    save_in_admin(staff_client, page)
    offer = Offer.objects.get(pk=page.pk)  # an offer with the same id
    url = admin_url(Offer, "revision", offer.pk, versions(page).first().pk)
    assert staff_client.get(url).status_code == 404


# --- Recovering deleted entries ------------------------------------------------------------


def test_a_deleted_offer_is_recovered_with_its_many_to_many_sets(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    sets = related_sets(offer)
    assert all(sets.values())
    delete_in_admin(staff_client, offer)  # never edited in the admin before

    response = staff_client.get(admin_url(Offer, "recoverlist"), **EN)
    assert response.status_code == 200
    assert offer.name_de in response.content.decode()
    recover_in_admin(staff_client, Offer, Version.objects.get_deleted(Offer).get())

    recovered = Offer.objects.get(pk=offer.pk)
    assert recovered.name_de == offer.name_de
    assert recovered.name_en == offer.name_en
    assert related_sets(recovered) == sets
    assert search_finds(staff_client, "Badminton", recovered)


def test_a_deleted_page_is_recovered(staff_client, demo_data):
    page = Page.objects.get(slug="barrierefreiheit")
    title_ar = page.title_ar
    # Deleted with the list's "delete selected" action.
    response = staff_client.post(
        admin_url(Page, "changelist"),
        {"action": "delete_selected", "_selected_action": [page.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert staff_client.get("/de/info/barrierefreiheit/").status_code == 404

    recover_in_admin(staff_client, Page, Version.objects.get_deleted(Page).get())

    assert Page.objects.get(pk=page.pk).title_ar == title_ar
    assert staff_client.get("/de/info/barrierefreiheit/").status_code == 200


def test_a_deleted_event_is_recovered_with_its_dates(staff_client, demo_data):
    event = Event.objects.get(slug="sprachcafe-unna")
    expected = occurrences(event)
    delete_in_admin(staff_client, event)

    recover_in_admin(staff_client, Event, Version.objects.get_deleted(Event).get())

    event = Event.objects.get(pk=event.pk)
    assert event.cancelled_dates.exists()
    assert occurrences(event) == expected


def staff_member(*codenames):
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


OFFER_PERMISSIONS = ["view_offer", "add_offer", "change_offer", "delete_offer"]


def test_staff_without_edit_all_entries_may_not_recover(client, demo_data):
    """A city editor may delete their city's offers, but not recover deleted ones."""
    offer = Offer.objects.first()
    city_editor = staff_member(*OFFER_PERMISSIONS)
    EditorScope.objects.create(user=city_editor).cities.add(offer.city)
    client.force_login(city_editor)
    delete_in_admin(client, offer)
    version = Version.objects.get_deleted(Offer).get()

    assert client.get(admin_url(Offer, "recoverlist")).status_code == 403
    assert client.get(admin_url(Offer, "recover", version.pk)).status_code == 403
    assert client.post(admin_url(Offer, "recover", version.pk), {}).status_code == 403
    assert not Offer.objects.filter(pk=offer.pk).exists()
    response = client.get(admin_url(Offer, "changelist"))
    assert admin_url(Offer, "recoverlist") not in response.content.decode()


def test_ki_editors_with_edit_all_entries_may_recover(client, demo_data):
    client.force_login(staff_member(*OFFER_PERMISSIONS, "edit_all_entries"))
    response = client.get(admin_url(Offer, "changelist"))
    assert admin_url(Offer, "recoverlist") in response.content.decode()
    assert client.get(admin_url(Offer, "recoverlist")).status_code == 200


# --- Deleting providers ------------------------------------------------------------------


def test_a_provider_with_offers_is_not_deleted_and_staff_learn_why(staff_client, demo_data):
    provider = Provider.objects.get(slug="ki-kreis-unna")
    offer = provider.offers.first()
    url = admin_url(Provider, "delete", provider.pk)

    response = staff_client.post(url, {"post": "yes"}, **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be deleted" in html
    assert admin_url(Offer, "change", offer.pk) in html  # a link to each offer
    assert "Assign these offers and events to another provider" in html
    assert Provider.objects.filter(pk=provider.pk).exists()


def test_deleting_providers_with_offers_from_the_list_is_refused_too(staff_client, demo_data):
    provider = Provider.objects.get(slug="ki-kreis-unna")
    response = staff_client.post(
        admin_url(Provider, "changelist"),
        {"action": "delete_selected", "_selected_action": [provider.pk], "post": "yes"},
        **EN,
    )
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert Provider.objects.filter(pk=provider.pk).exists()


def test_a_provider_without_offers_is_deleted_and_recovered_with_its_contacts(
    staff_client, demo_data
):
    provider = Provider.objects.create(name="Nachbarschaftstreff", slug="nachbarschaftstreff")
    provider.contact_persons.create(name="Erika Beispiel", role_de="Leitung", role_en="Head")
    delete_in_admin(staff_client, provider)

    recover_in_admin(staff_client, Provider, Version.objects.get_deleted(Provider).get())

    contact = Provider.objects.get(pk=provider.pk).contact_persons.get()
    assert (contact.name, contact.role_de, contact.role_en) == ("Erika Beispiel", "Leitung", "Head")


def test_even_the_first_edit_of_an_entry_can_be_undone(staff_client, demo_data):
    """Demo, imported and migrated entries have no version before their first change; the
    admin keeps their stored state first."""
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    original = stored_fields(offer)
    assert not versions(offer).exists()
    save_in_admin(staff_client, offer, name_de="Falsch")
    oldest = versions(offer).last()
    assert oldest.field_dict["name_de"] == original["name_de"]
    restore_in_admin(staff_client, offer, oldest)
    assert Offer.objects.get(pk=offer.pk).name_de == original["name_de"]


def test_german_staff_read_the_history_and_compare_pages_in_german(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    older, newer = saved_twice(
        staff_client,
        offer,
        {"schedule_de": "Mittwochs 18 Uhr"},
        {"schedule_de": "Donnerstags 18 Uhr"},
    )

    assert newer.revision.comment == "Zeiten (Deutsch) geändert."
    html = staff_client.get(
        admin_url(Offer, "compare", offer.pk),
        {"version_id1": older.pk, "version_id2": newer.pk},
    ).content.decode()
    assert "Versionen vergleichen" in html
    assert "Zurück zur Änderungsgeschichte" in html
    for english in ("Compare versions", "Go back to history list", "Revert to this version"):
        assert english not in html
