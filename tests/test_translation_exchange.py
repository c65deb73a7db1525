"""Staff see which translations are missing or outdated, hand texts to a translator as CSV
and import the translations back, without losing newer German texts or edited
translations unnoticed."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offers.models import Offer
from pages.models import Page
from translations.models import TextChange

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("admin:translations_textchange_changelist")
EXPORT = reverse("admin:translations_export")
IMPORT = reverse("admin:translations_import")
OFFERS = reverse("admin:offers_offer_changelist")


@pytest.fixture
def staff_client(staff_client):
    """The admin in English, the language these tests' messages are written in."""
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client


@pytest.fixture
def offer(demo_data):
    """A published demo offer with a German and an English name, edited in the portal."""
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    offer.name_de = "Badminton für Frauen"
    offer.name_en = "Badminton for women"
    offer.short_description_en = ""
    offer.save()
    return offer


def edit(obj, **texts):
    for name, value in texts.items():
        setattr(obj, name, value)
    obj.save()


def listed(staff_client, **params):
    """The offers the admin's offer list shows with these filters."""
    response = staff_client.get(OFFERS, params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def export(staff_client, **params):
    response = staff_client.get(EXPORT, {"language": "en", "only_needed": "on", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="translations-en.csv"' in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def as_upload(rows):
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("translations-en.csv", output.getvalue().encode("utf-8"))


def preview(staff_client, rows_or_file):
    upload = (
        rows_or_file if isinstance(rows_or_file, SimpleUploadedFile) else as_upload(rows_or_file)
    )
    response = staff_client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    return response


def summary(response):
    """The preview's summary line, its white space folded."""
    html = response.content.decode()
    return " ".join(html.split('<p id="import-summary">')[1].split("</p>")[0].split())


def row_for(rows, offer, field):
    return next(
        row
        for row in rows
        if row["entry"] == "offers.offer" and row["id"] == str(offer.pk) and row["field"] == field
    )


# --- Status in the content admins ----------------------------------------------------------


def test_missing_translations_are_listed_per_language(staff_client, offer):
    assert offer in listed(staff_client, missing_in="en")
    edit(offer, **{f"{name}_en": "Text" for name in ("short_description", "description")})
    offer.refresh_from_db()
    if offer.schedule_de:
        edit(offer, schedule_en="Tuesdays")
    if offer.costs_de:
        edit(offer, costs_en="free")
    assert offer not in listed(staff_client, missing_in="en")


def test_a_translation_older_than_its_german_text_is_outdated(staff_client, offer):
    assert offer not in listed(staff_client, outdated_in="en")

    edit(offer, name_de="Badminton für Frauen und Mädchen")
    assert offer in listed(staff_client, outdated_in="en")
    response = staff_client.get(OFFERS, {"outdated_in": "en"})
    assert "outdated: EN" in response.content.decode()

    edit(offer, name_en="Badminton for women and girls")
    assert offer not in listed(staff_client, outdated_in="en")


def test_the_change_form_shows_the_state_per_language(staff_client, offer):
    edit(offer, name_de="Badminton für alle")
    response = staff_client.get(reverse("admin:offers_offer_change", args=[offer.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "State per language" in body
    assert "outdated: name" in body


def test_fixture_texts_count_as_current_until_german_is_edited(demo_data):
    TextChange.objects.all().delete()
    page = Page.objects.first()
    edit(page, title_en="A new English title")
    assert TextChange.objects.filter(object_id=page.pk, language="en", field="title").exists()
    assert not TextChange.objects.filter(object_id=page.pk, language="de").exists()


def test_unknown_filter_values_are_ignored(staff_client, offer):
    response = staff_client.get(OFFERS, {"missing_in": "xx"})
    assert response.status_code == 200


def test_the_overview_counts_missing_and_outdated_texts(staff_client, offer):
    edit(offer, name_de="Badminton für Frauen und Mädchen")
    response = staff_client.get(OVERVIEW)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{OFFERS}?outdated_in=en" in body
    assert f"{OFFERS}?missing_in=en" in body
    assert reverse("admin:index") in body
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert OVERVIEW in index


def test_only_staff_reach_the_translation_pages(client, offer):
    for url in (OVERVIEW, EXPORT + "?language=en", IMPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


# --- Export ----------------------------------------------------------------------------------


def test_the_export_holds_missing_texts_with_their_german_source(staff_client, offer):
    rows = export(staff_client)
    row = row_for(rows, offer, "short_description")
    assert row["source"] == offer.short_description_de
    assert row["translation"] == ""
    assert row["language"] == "en"
    assert row["name"] == offer.name_de
    # The complete English name is not needed ...
    assert not any(r["id"] == str(offer.pk) and r["field"] == "name" for r in rows)
    # ... unless the translator asks for all texts.
    rows = export(staff_client, only_needed="")
    assert row_for(rows, offer, "name")["translation"] == "Badminton for women"


def test_the_export_can_be_limited_to_kinds_of_entries(staff_client, offer):
    rows = export(staff_client, models="pages.page", only_needed="")
    assert rows
    assert {row["entry"] for row in rows} == {"pages.page"}


def test_a_bad_export_request_gets_a_form_error(staff_client, offer):
    response = staff_client.get(EXPORT, {"language": "xx"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# --- Import ----------------------------------------------------------------------------------


def test_imported_translations_are_previewed_then_written(staff_client, offer):
    rows = export(staff_client)
    row_for(rows, offer, "short_description")["translation"] = "Badminton for women, any level"

    response = preview(staff_client, rows)
    body = response.content.decode()
    assert "new translation" in body
    assert "Badminton for women, any level" in body
    offer.refresh_from_db()
    assert offer.short_description_en == ""  # nothing written before confirming

    response = staff_client.post(IMPORT, {"confirm": "1"}, follow=True)
    assert "1 translation imported, 0 left out." in response.content.decode()
    offer.refresh_from_db()
    assert offer.short_description_en == "Badminton for women, any level"
    assert TextChange.objects.filter(
        object_id=offer.pk, field="short_description", language="en"
    ).exists()


def test_every_field_of_one_entry_is_kept(staff_client, offer):
    """A file has one row per field: importing several fields of one offer stores them all,
    not only the last row's (each row once saved its own stale copy of the entry)."""
    rows = export(staff_client, only_needed="")
    texts = {
        "name": "Badminton for women and girls",
        "short_description": "Badminton in Habinghorst, any level",
        "schedule": "Tuesdays 6 to 8 pm",
        "costs": "Free of charge",
    }
    for field, text in texts.items():
        row_for(rows, offer, field)["translation"] = text

    assert "4 translations to write. 0 of them need your confirmation." in summary(
        preview(staff_client, rows)
    )
    response = staff_client.post(IMPORT, {"confirm": "1"}, follow=True)

    assert "4 translations imported, 0 left out." in response.content.decode()
    offer.refresh_from_db()
    assert {field: getattr(offer, f"{field}_en") for field in texts} == texts
    assert set(
        TextChange.objects.filter(object_id=offer.pk, language="en").values_list("field", flat=True)
    ) >= set(texts)


def test_empty_cells_never_delete_a_translation(staff_client, offer):
    rows = export(staff_client, only_needed="")
    row_for(rows, offer, "name")["translation"] = ""
    preview(staff_client, rows)
    staff_client.post(IMPORT, {"confirm": "1"})
    offer.refresh_from_db()
    assert offer.name_en == "Badminton for women"


def test_a_newer_german_text_is_not_overwritten_without_confirmation(staff_client, offer):
    rows = export(staff_client)
    row = row_for(rows, offer, "short_description")
    row["translation"] = "Translation of the old German text"
    edit(offer, short_description_de="Ganz neuer deutscher Text")

    response = preview(staff_client, rows)
    body = response.content.decode()
    assert "The German text was changed after the export." in body
    assert f'name="confirm_line" value="{rows.index(row) + 2}"' in body
    # One of each, in the singular.
    assert summary(response).startswith(
        "1 translation to write. 1 of them needs your confirmation."
    )
    assert "only written if you tick “Import anyway” in them" in body

    response = staff_client.post(IMPORT, {"confirm": "1"}, follow=True)
    assert "0 translations imported, 1 left out." in response.content.decode()
    offer.refresh_from_db()
    assert offer.short_description_en == ""

    preview(staff_client, rows)
    staff_client.post(IMPORT, {"confirm": "1", "confirm_line": str(rows.index(row) + 2)})
    offer.refresh_from_db()
    assert offer.short_description_en == "Translation of the old German text"


def test_a_translation_edited_after_the_export_is_not_overwritten_silently(staff_client, offer):
    rows = export(staff_client, only_needed="")
    row_for(rows, offer, "name")["translation"] = "Badminton (from the translator)"
    edit(offer, name_en="Badminton for women (edited by staff)")

    body = preview(staff_client, rows).content.decode()
    assert "The translation was edited in the portal after the export." in body
    staff_client.post(IMPORT, {"confirm": "1"})
    offer.refresh_from_db()
    assert offer.name_en == "Badminton for women (edited by staff)"


def test_rows_that_cannot_be_imported_are_named(staff_client, offer):
    rows = export(staff_client)
    good = row_for(rows, offer, "short_description")
    good["translation"] = "Fine"
    bad = [
        {**good, "entry": "auth.user"},
        {**good, "id": "999999"},
        {**good, "field": "slug"},
        {**good, "language": "de"},
        {**good, "exported": "yesterday"},
    ]
    body = preview(staff_client, [good, *bad]).content.decode()
    for message in (
        "unknown kind of entry “auth.user”",
        "entry 999999 no longer exists",
        "unknown field “slug”",
        "unknown target language “de”",
        "the export time is missing or malformed",
    ):
        assert message in body
    assert "1 translation to write." in body
    staff_client.post(IMPORT, {"confirm": "1"})
    offer.refresh_from_db()
    assert offer.short_description_en == "Fine"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00broken", "not UTF-8 encoded"),
        (b"a,b,c\n1,2,3\n", "lacks the columns"),
        (b"", "The submitted file is empty."),
    ],
)
def test_unreadable_files_get_a_clear_message(staff_client, offer, content, message):
    upload = SimpleUploadedFile("translations.csv", content)
    response = staff_client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_semicolon_separated_files_from_spreadsheets_are_read(staff_client, offer):
    rows = export(staff_client)
    row_for(rows, offer, "short_description")["translation"] = "From a spreadsheet"
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("t.csv", output.getvalue().encode("utf-8-sig"))
    assert "From a spreadsheet" in preview(staff_client, upload).content.decode()


def test_confirming_without_a_preview_asks_for_the_file(staff_client, offer):
    response = staff_client.post(IMPORT, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert "Nothing to import: upload the file again." in response.content.decode()


# --- Formulas, NUL characters and the size of a file ---------------------------------------


def raw_export(staff_client, **params):
    response = staff_client.get(EXPORT, {"language": "en", "only_needed": "on", **params})
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_the_export_writes_formulas_as_text_and_the_import_takes_them_back(staff_client, offer):
    edit(offer, short_description_de='=HYPERLINK("http://x")', description_de="+49 2303 123")
    content = raw_export(staff_client)
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK(""http://x"")' in content and "'+49 2303 123" in content

    # The translator's file as it comes back: the sources still carry the export's quotes,
    # and a translation that begins like a formula was quoted the same way.
    rows = list(csv.DictReader(io.StringIO(content)))
    row_for(rows, offer, "short_description")["translation"] = '\'=HYPERLINK("http://y")'
    row_for(rows, offer, "description")["translation"] = "'-1+1"
    body = preview(staff_client, rows).content.decode()
    assert "The German text was changed after the export." not in body  # same source
    staff_client.post(IMPORT, {"confirm": "1"})
    offer.refresh_from_db()
    assert offer.short_description_en == '=HYPERLINK("http://y")'
    assert offer.description_en == "-1+1"


def test_a_nul_character_in_a_cell_is_named_and_nothing_is_written(staff_client, offer):
    rows = export(staff_client)
    row_for(rows, offer, "short_description")["translation"] = "Bad\x00minton"
    response = preview(staff_client, rows)
    body = response.content.decode()
    line = 2 + rows.index(row_for(rows, offer, "short_description"))
    assert (
        f"Line {line}, column &quot;translation&quot; contains a NUL character (\\0), which "
        "no text may contain. Remove it and upload the file again."
    ) in body
    staff_client.post(IMPORT, {"confirm": "1"})
    offer.refresh_from_db()
    assert offer.short_description_en == ""


def test_a_file_over_the_limits_is_refused_before_it_is_read(staff_client, offer, settings):
    rows = export(staff_client, only_needed="")
    settings.PORTAL_IMPORT_MAX_ROWS = len(rows) - 1
    body = preview(staff_client, rows).content.decode()
    assert f"The file has more than {len(rows) - 1} rows, the most an import takes." in body
    settings.PORTAL_IMPORT_MAX_ROWS = len(rows)
    settings.PORTAL_IMPORT_MAX_BYTES = 100
    body = preview(staff_client, rows).content.decode()
    assert "The file is larger than 100\xa0bytes, the most an import takes." in body


def test_the_preview_names_fields_and_languages_in_words(client, admin_user, offer):
    """Issue 15, item 10: "Kurzbeschreibung" and "Englisch", not short_description and EN;
    and the file's names are read whatever their case and surrounding spaces."""
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    rows = export(client)
    row = row_for(rows, offer, "short_description")
    row.update(
        translation="Badminton for women, any level",
        field=" Short_Description ",
        language="EN ",
        entry=" Offers.Offer",
    )
    response = preview(client, rows)
    cells = [
        " ".join(cell.split())
        for cell in response.content.decode().split('<table id="import-rows">')[1].split("<td>")
    ]
    assert any(cell.startswith("Kurzbeschreibung</td>") for cell in cells)
    assert any(cell.startswith("Englisch</td>") for cell in cells)
    assert not any(cell.startswith("short_description</td>") for cell in cells)
    client.post(IMPORT, {"confirm": "1"})
    offer.refresh_from_db()
    assert offer.short_description_en == "Badminton for women, any level"
