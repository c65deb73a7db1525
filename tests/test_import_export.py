"""KI staff import providers and offers from CSV and Excel files in the admin: a preview
first, nothing written while any row has an error, the same file twice changes nothing;
and they export the filtered admin list in the same columns."""

import csv
import datetime as dt
import html
import io
from pathlib import Path

import openpyxl
import pytest
import reversion
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from content.text import fold
from editorial.models import EditorScope
from offers.models import Offer
from places.models import City, Venue
from providers.models import Provider
from translations.models import TextChange
from vocabularies.models import Category, OfferLanguage

pytestmark = pytest.mark.django_db

EXAMPLES = Path(settings.BASE_DIR) / "fixtures" / "import"
OFFERS_CSV = EXAMPLES / "offers-example.csv"
OFFERS_XLSX = EXAMPLES / "offers-example.xlsx"
PROVIDERS_CSV = EXAMPLES / "providers-example.csv"
EXAMPLE_SLUGS = {
    "sprachcafe-sprachbruecke-unna",
    "hausaufgabenhilfe-methler",
    "fahrradkurs-frauen-kamen",
    "lernpatenschaften-holzwickede",
}
# The order of the formats on the import and export forms.
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def url(model, view):
    app_label = {"offer": "offers", "provider": "providers"}[model]
    return reverse(f"admin:{app_label}_{model}_{view}")


@pytest.fixture
def staff_client(staff_client):
    """The admin in English, the language these tests' messages are written in."""
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client


def preview(client, model, content, name="offers.csv", file_format=CSV_FORMAT):
    if isinstance(content, Path):
        name, content = content.name, content.read_bytes()
    if isinstance(content, str):
        content = content.encode("utf-8")
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        url(model, "import"), {"resource": "0", "format": file_format, "import_file": upload}
    )
    assert response.status_code == 200
    return response


def confirm(client, model, preview_response):
    form = preview_response.context["confirm_form"]
    assert form is not None, "the preview offers no confirmation"
    return client.post(url(model, "process_import"), {**form.initial}, follow=True)


def import_file(client, model, content, **kwargs):
    response = confirm(client, model, preview(client, model, content, **kwargs))
    assert response.status_code == 200
    return response


def csv_text(rows, delimiter=","):
    output = io.StringIO()
    writer = csv.DictWriter(
        output, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue()


def example_rows():
    with OFFERS_CSV.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture
def example_providers(staff_client, demo_data):
    import_file(staff_client, "provider", PROVIDERS_CSV)
    assert Provider.objects.filter(slug="sprachbruecke-unna").exists()


def summary(response):
    page = response.content.decode()
    start = page.index('class="import-summary"')
    return " ".join(page[start : page.index("</p>", start)].split()[1:])


def test_the_preview_lists_the_new_rows_and_writes_nothing(staff_client, example_providers):
    before = Offer.objects.count()
    response = preview(staff_client, "offer", OFFERS_CSV)
    assert summary(response) == "4 new, 0 changed, 0 unchanged"
    page = response.content.decode()
    for slug in EXAMPLE_SLUGS:
        assert f"<td>{slug}</td>" in page
    assert "<td>Homework help in Methler</td>" in page  # the name in the admin's language
    assert "Confirm import" in page
    assert Offer.objects.count() == before
    assert not Offer.objects.filter(slug__in=EXAMPLE_SLUGS).exists()


def test_confirming_creates_the_offers_with_their_relations(staff_client, example_providers):
    before = Offer.objects.count()
    response = import_file(staff_client, "offer", OFFERS_CSV)
    assert "Import finished: 4 new, 0 updated" in response.content.decode()
    assert Offer.objects.count() == before + 4

    cafe = Offer.objects.get(slug="sprachcafe-sprachbruecke-unna")
    assert (cafe.name_de, cafe.name_en) == ("Sprachcafé der Sprachbrücke", "Language café")
    assert cafe.provider.slug == "sprachbruecke-unna"
    assert cafe.venue.name == "Zentrum für Information und Bildung (zib)"
    assert {c.slug for c in cafe.categories.all()} == {"begegnung", "sprachkurs-sprachfoerderung"}
    assert {lang.slug for lang in cafe.languages.all()} == {"german", "arabic", "ukrainian"}
    assert cafe.migration_background.slug == "newcomers"
    assert cafe.wheelchair_access == "yes"
    assert cafe.is_free and not cafe.registration_required

    homework = Offer.objects.get(slug="hausaufgabenhilfe-methler")
    assert homework.publication_status == "draft"  # the cell is empty: new rows are drafts
    assert homework.valid_until == dt.date(2030, 12, 31)  # written 31.12.2030
    assert homework.venue.city.slug == "kamen"  # venue_city empty: the offer's city

    bike = Offer.objects.get(slug="fahrradkurs-frauen-kamen")
    assert not bike.is_free and bike.costs_de.startswith("10 €")
    assert [g.slug for g in bike.genders.all()] == ["female"]
    assert Offer.objects.get(slug="lernpatenschaften-holzwickede").venue is None


def test_slugs_in_cells_ignore_case_and_surrounding_spaces(staff_client, example_providers):
    """People type "Unna " or "Sport" into a spreadsheet; slugs are lower case anyway."""
    rows = example_rows()[:1]
    rows[0].update(
        provider=" Sprachbruecke-Unna ",
        city="Unna ",
        venue_city=" UNNA",
        venue="  zentrum FÜR information und Bildung (ZIB) ",
        categories="Begegnung | SPRACHKURS-Sprachfoerderung ",
    )
    response = import_file(staff_client, "offer", csv_text(rows))

    assert "Import finished: 1 new, 0 updated" in response.content.decode()
    cafe = Offer.objects.get(slug="sprachcafe-sprachbruecke-unna")
    assert (cafe.provider.slug, cafe.city.slug) == ("sprachbruecke-unna", "unna")
    assert cafe.venue.name == "Zentrum für Information und Bildung (zib)"
    assert {c.slug for c in cafe.categories.all()} == {"begegnung", "sprachkurs-sprachfoerderung"}


def test_the_same_file_twice_changes_nothing(staff_client, example_providers):
    import_file(staff_client, "offer", OFFERS_CSV)
    count = Offer.objects.count()
    updated = dict(Offer.objects.values_list("slug", "updated"))

    response = preview(staff_client, "offer", OFFERS_CSV)
    assert summary(response) == "0 new, 0 changed, 4 unchanged"
    response = confirm(staff_client, "offer", response)
    assert "Import finished: 0 new, 0 updated, 0 deleted and 4 skipped" in (
        response.content.decode()
    )
    assert Offer.objects.count() == count
    assert dict(Offer.objects.values_list("slug", "updated")) == updated

    # The providers' file, too.
    response = preview(staff_client, "provider", PROVIDERS_CSV)
    assert summary(response) == "0 new, 0 changed, 3 unchanged"


def test_an_excel_file_imports_like_the_csv_file(staff_client, example_providers):
    response = preview(staff_client, "offer", OFFERS_XLSX, file_format=XLSX_FORMAT)
    assert summary(response) == "4 new, 0 changed, 0 unchanged"
    confirm(staff_client, "offer", response)
    assert set(Offer.objects.filter(slug__in=EXAMPLE_SLUGS).values_list("slug", flat=True)) == (
        EXAMPLE_SLUGS
    )
    # Excel's dates and booleans are the CSV's texts: the CSV finds nothing to change.
    response = preview(staff_client, "offer", OFFERS_CSV)
    assert summary(response) == "0 new, 0 changed, 4 unchanged"


def test_the_excel_example_has_the_rows_of_the_csv_example():
    sheet = openpyxl.load_workbook(OFFERS_XLSX).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(example_rows()[0])
    assert [row[0] for row in rows[1:]] == [row["slug"] for row in example_rows()]


def test_a_file_with_errors_names_each_line_and_column_and_writes_nothing(
    staff_client, example_providers
):
    rows = example_rows()
    rows[0]["categories"] = "begegnung|kochen"
    rows[1]["valid_until"] = "31.02.2030"
    rows[2]["name_de"] = ""
    rows[3]["contact_email"] = "info(at)example.org"
    before = Offer.objects.count()

    response = preview(staff_client, "offer", csv_text(rows))
    page = response.content.decode()
    assert "confirm_form" not in response.context
    assert "Confirm import" not in page
    invalid = {row.number + 1: row for row in response.context["result"].invalid_rows}
    assert set(invalid) == {2, 3, 4, 5}  # spreadsheet lines: the header is line 1
    assert invalid[2].field_specific_errors["categories"] == [
        'Column "categories" – Categories, value "begegnung|kochen": '
        "There is no category with the slug "
        '"kochen".'
    ]
    assert invalid[3].field_specific_errors["valid_until"] == [
        'Column "valid_until" – Valid until, value "31.02.2030": '
        "Not a valid day: write it as 2026-03-14 "
        "or 14.03.2026."
    ]
    assert invalid[4].field_specific_errors["name_de"] == [
        'Column "name_de" – Name (German): This field cannot be blank.'
    ]
    assert invalid[5].field_specific_errors["contact_email"] == [
        'Column "contact_email" – Contact e-mail, value "info(at)example.org": '
        "Enter a valid email address."
    ]
    assert '<th scope="row">3</th>' in page
    assert Offer.objects.count() == before


def test_errors_are_in_the_admins_language(client, example_providers):
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE")  # German, the admin's default
    rows = example_rows()[:1]
    rows[0]["homepage"] = "sprachbruecke"
    response = preview(client, "offer", csv_text(rows))
    [row] = response.context["result"].invalid_rows
    assert row.field_specific_errors["homepage"] == [
        "Spalte „homepage“ – Homepage, Wert „sprachbruecke“: Bitte eine gültige Adresse eingeben."
    ]


def test_a_row_without_slug_is_rejected_with_a_suggestion(staff_client, example_providers):
    rows = example_rows()[:2]
    rows[1]["slug"] = ""
    response = preview(staff_client, "offer", csv_text(rows))
    [row] = response.context["result"].invalid_rows
    assert row.number + 1 == 3
    [message] = row.field_specific_errors["slug"]
    assert 'e.g. "hausaufgabenhilfe-methler"' in message
    assert not Offer.objects.filter(slug__in=EXAMPLE_SLUGS).exists()


def test_the_same_slug_twice_in_a_file_is_an_error(staff_client, example_providers):
    rows = example_rows()[:2]
    rows[1]["slug"] = rows[0]["slug"]
    response = preview(staff_client, "offer", csv_text(rows))
    [row] = response.context["result"].invalid_rows
    assert row.field_specific_errors["slug"][0].endswith(
        "The same slug is already used in line 2 of this file."
    )


def test_line_numbers_are_the_files_also_after_an_empty_line(staff_client, example_providers):
    rows = example_rows()[:2]
    rows[1]["categories"] = "kochen"
    lines = csv_text(rows).splitlines()
    text = "\r\n".join([lines[0], lines[1], "", lines[2]]) + "\r\n"
    response = preview(staff_client, "offer", text)
    invalid = {row.number + 1: row for row in response.context["result"].invalid_rows}
    assert set(invalid) == {3, 4}
    assert "slug" in invalid[3].field_specific_errors
    assert "categories" in invalid[4].field_specific_errors


def test_a_line_with_more_cells_than_columns_is_named(staff_client, example_providers):
    lines = csv_text(example_rows()[:2]).splitlines()
    lines[1] += ",surplus"
    response = preview(staff_client, "offer", "\r\n".join(lines))
    assert response.context["form"].errors["import_file"] == [
        "Line 2 has more cells than the header line has columns."
    ]


def test_unknown_columns_stop_the_import(staff_client, example_providers):
    rows = [{**row, "name_ger": "Tippfehler"} for row in example_rows()]
    response = preview(staff_client, "offer", csv_text(rows))
    page = html.unescape(response.content.decode())
    assert 'The file has columns this import does not know: "name_ger".' in page
    assert "confirm_form" not in response.context
    assert "Traceback" not in page


def test_an_unknown_venue_or_provider_is_a_row_error(staff_client, example_providers):
    rows = example_rows()[:2]
    rows[0]["venue"] = "Rathaus Unna"
    rows[1]["provider"] = "unbekannt"
    response = preview(staff_client, "offer", csv_text(rows))
    first, second = response.context["result"].invalid_rows
    assert first.field_specific_errors["venue"] == [
        'Column "venue" – Venue, value "Rathaus Unna": There is no venue called "Rathaus Unna" in '
        "Unna. Check the spelling, or add the venue under Places first."
    ]
    assert second.field_specific_errors["provider"] == [
        'Column "provider" – Provider, value "unbekannt": '
        'There is no provider with the slug "unbekannt".'
    ]


def test_rows_that_fail_at_confirmation_write_nothing(staff_client, example_providers):
    before = Offer.objects.count()
    response = preview(staff_client, "offer", OFFERS_CSV)
    # Between preview and confirmation someone renames the venue of the second row.
    Venue.objects.filter(name="Bürgerhaus Methler").update(name="Bürgerhaus Kamen-Methler")
    response = confirm(staff_client, "offer", response)
    page = html.unescape(response.content.decode())
    assert "Nothing was imported: the file has errors." in page
    assert 'There is no venue called "Bürgerhaus Methler" in Kamen.' in page
    assert Offer.objects.count() == before


def test_missing_columns_leave_stored_texts_alone(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    name_en, description_de = offer.name_en, offer.description_de
    rows = [{"slug": offer.slug, "name_de": "Badminton für alle"}]
    response = preview(staff_client, "offer", csv_text(rows))
    assert summary(response) == "0 new, 1 changed, 0 unchanged"
    [row] = response.context["result"].valid_rows()
    assert row.changed_columns == ["name_de"]
    confirm(staff_client, "offer", response)
    offer.refresh_from_db()
    assert offer.name_de == "Badminton für alle"
    assert (offer.name_en, offer.description_de) == (name_en, description_de)
    assert offer.categories.exists()


def test_a_file_replaces_the_lists_it_names_and_keeps_the_others(
    staff_client, demo_data, versioned_offers
):
    """Lists are written for the whole file at the end of the import: each offer gets
    exactly the categories and languages of its row, an offer whose lists the file leaves
    as they are keeps them, and the search text and the history see the new lists."""
    changed = Offer.objects.get(slug="badminton-castrop-rauxel")
    kept = Offer.objects.exclude(pk=changed.pk).filter(languages__isnull=False).first()
    kept_lists = (set(kept.categories.all()), set(kept.languages.all()))
    other_category = Category.objects.exclude(pk__in=changed.categories.all()).first()
    arabic = OfferLanguage.objects.get(slug="arabic")
    rows = [
        {
            "slug": changed.slug,
            "categories": other_category.slug,
            "languages": "german|arabic",
        },
        {
            "slug": kept.slug,
            "categories": "|".join(sorted(c.slug for c in kept_lists[0])),
            "languages": "|".join(sorted(lang.slug for lang in kept_lists[1])),
        },
    ]
    response = preview(staff_client, "offer", csv_text(rows))
    assert summary(response) == "0 new, 1 changed, 1 unchanged"
    assert set(changed.categories.all()) != {other_category}, "the preview wrote the lists"

    confirm(staff_client, "offer", response)
    assert set(changed.categories.all()) == {other_category}
    assert set(changed.languages.all()) == {OfferLanguage.objects.get(slug="german"), arabic}
    assert (set(kept.categories.all()), set(kept.languages.all())) == kept_lists
    changed.refresh_from_db()
    assert fold(other_category.label_de) in changed.search_text
    [version, *_older] = Version.objects.get_for_object(changed)
    assert version.field_dict["categories"] == [other_category.pk]


def test_an_import_stamps_the_texts_it_changes_for_the_translation_status(staff_client, demo_data):
    """The translation status learns which texts a file changed (written in one go at the
    end of the import): the German name here, not the English one the file leaves alone."""
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    started = timezone.now()
    rows = [{"slug": offer.slug, "name_de": "Badminton für alle", "name_en": offer.name_en}]
    import_file(staff_client, "offer", csv_text(rows))
    stamps = TextChange.objects.filter(object_id=offer.pk, field="name", changed__gte=started)
    assert set(stamps.values_list("language", flat=True)) == {"de"}


def test_an_offer_ending_before_it_starts_is_a_row_error(staff_client, example_providers):
    row = {**example_rows()[0], "valid_from": "2027-03-01", "valid_until": "28.02.2027"}
    response = preview(staff_client, "offer", csv_text([row]))
    [invalid] = response.context["result"].invalid_rows
    [message] = invalid.field_specific_errors["valid_until"]
    assert "The offer cannot end before it starts (valid_from)." in message
    assert 'Column "valid_until"' in message
    assert "confirm_form" not in response.context
    assert not Offer.objects.filter(slug=row["slug"]).exists()


def test_excels_german_csv_with_semicolons_and_windows_encoding(staff_client, example_providers):
    # German Excel's plain "CSV": semicolons, Windows-1252 and CRLF line ends.
    # Its formatted but empty lines at the end are not rows.
    text = csv_text(example_rows(), delimiter=";") + ";;;;;;\r\n;;;;;;\r\n"
    response = preview(staff_client, "offer", text.encode("cp1252"))
    assert summary(response) == "4 new, 0 changed, 0 unchanged"
    confirm(staff_client, "offer", response)
    assert Offer.objects.get(slug="sprachcafe-sprachbruecke-unna").name_de == (
        "Sprachcafé der Sprachbrücke"
    )


def test_a_freshly_imported_offer_is_found_by_the_public_search(staff_client, example_providers):
    rows = example_rows()[2:3]
    rows[0]["publication_status"] = "published"
    rows[0]["valid_from"] = ""
    import_file(staff_client, "offer", csv_text(rows))
    response = staff_client.get("/de/offers/", {"q": "Fahrradkurs"})
    assert "Fahrradkurs für Frauen" in response.content.decode()
    # The search text includes the categories, which are set after the offer is saved.
    response = staff_client.get("/de/offers/", {"q": "Fahrradkurs Sport"})
    assert "Fahrradkurs für Frauen" in response.content.decode()


@pytest.fixture
def editor(client, demo_data):
    """A staff member who may view, add and change offers and providers of every city,
    nothing more."""
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["offers", "providers", "editorial"],
            codename__in=[
                "edit_all_entries",
                "view_offer",
                "add_offer",
                "change_offer",
                "view_provider",
                "add_provider",
                "change_provider",
            ],
        )
    )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.user = user
    return client


def test_without_import_permission_the_import_is_forbidden(editor):
    for model in ("offer", "provider"):
        assert editor.get(url(model, "import")).status_code == 403
        response = editor.post(url(model, "import"), {"format": CSV_FORMAT})
        assert response.status_code == 403
        assert editor.post(url(model, "process_import"), {}).status_code == 403
        page = editor.get(url(model, "changelist")).content.decode()
        assert url(model, "import") not in page
        assert url(model, "export") in page  # viewing is enough to export


def test_importing_needs_publish_permission_to_publish(editor):
    editor.user.user_permissions.add(Permission.objects.get(codename="import_offer"))
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    rows = [{"slug": offer.slug, "name_de": "Badminton am Abend", "publication_status": "archived"}]
    response = preview(editor, "offer", csv_text(rows))
    [row] = response.context["result"].invalid_rows
    assert (
        "You may not publish, unpublish or archive offers"
        in (row.field_specific_errors["publication_status"][0])
    )
    rows[0]["publication_status"] = "published"  # unchanged: fine
    response = preview(editor, "offer", csv_text(rows))
    assert summary(response) == "0 new, 1 changed, 0 unchanged"


def test_import_and_export_are_limited_to_the_city_editors_cities(client, demo_data):
    """A city editor who may import exports only their city's offers and cannot overwrite
    another city's offer through a file."""
    user = User.objects.create_user("kamen", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_offer", "add_offer", "change_offer", "import_offer"]
        )
    )
    EditorScope.objects.create(user=user).cities.add(City.objects.get(slug="kamen"))
    client.force_login(user)
    rows = exported(client, "offer", CSV_FORMAT)
    assert rows
    assert {row["city"] for row in rows} == {"kamen"}

    elsewhere = Offer.objects.exclude(city__slug="kamen").first()
    response = preview(client, "offer", csv_text([{"slug": elsewhere.slug, "name_de": "X"}]))
    [row] = response.context["result"].invalid_rows
    assert "existiert bereits" in row.field_specific_errors["slug"][0]
    elsewhere.refresh_from_db()
    assert elsewhere.name_de != "X"


def test_the_change_list_shows_import_and_export(staff_client, demo_data):
    for model in ("offer", "provider"):
        page = staff_client.get(url(model, "changelist")).content.decode()
        assert url(model, "import") in page
        assert url(model, "export") in page
        assert url(model, "add") in page


def test_the_import_page_lists_the_columns_in_german(client, admin_user, demo_data):
    client.force_login(admin_user)
    response = client.get(url("offer", "import"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de"' in page
    assert "Importieren" in page
    for column in ("slug", "name_de", "name_sq", "venue_city", "categories", "valid_until"):
        assert column in page


def column_table(page):
    """The rows (words, name in the header line) of the page's list of columns."""
    table = page.split('<details class="spreadsheet-columns">')[1].split("</table>")[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
        rows.append(
            (html.unescape(cells[0]), cells[1].removeprefix("<code>").removesuffix("</code>"))
        )
    return rows


@pytest.mark.parametrize("view", ["import", "export"])
def test_import_and_export_pages_name_the_columns_in_words(client, admin_user, demo_data, view):
    """Issue 15, item 10: "Kurzbeschreibung (Albanisch)", with the header line's name
    short_description_sq beside it (the files keep those; the page says so)."""
    client.force_login(admin_user)
    page = client.get(url("offer", view), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    columns = dict(column_table(page))
    assert columns["Kurzbeschreibung (Albanisch)"] == "short_description_sq"
    assert columns["Name (Deutsch)"] == "name_de"
    assert columns["Kategorien"] == "categories"
    assert columns["Ort des Veranstaltungsorts"] == "venue_city"
    assert "Kopfzeile" in page  # the note that the file's header keeps the names
    # Every column of the file is listed once, in the file's order.
    names = [name for _words, name in column_table(page)]
    assert names[:2] == ["slug", "name_de"]
    assert len(names) == len(set(names))
    assert all(words and words != name for words, name in column_table(page) if name != "slug")

    page = client.get(url("provider", view), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert dict(column_table(page))["Beschreibung (Ukrainisch)"] == "description_uk"


def test_the_preview_names_the_changed_columns_in_words(client, admin_user, demo_data):
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    rows = [{"slug": offer.slug, "name_de": "Badminton für alle", "costs_tr": "Ücretsiz"}]
    page = preview(client, "offer", csv_text(rows)).content.decode()
    preview_table = page.split('<table class="import-preview">')[1]
    assert "Name (Deutsch), Kosten (Türkisch)" in html.unescape(preview_table)
    assert "name_de" not in preview_table


@pytest.fixture
def versioned_offers():
    """Offers under django-reversion, as the version-history admin registers them."""
    if reversion.is_registered(Offer):
        yield
        return
    reversion.register(Offer)
    yield
    reversion.unregister(Offer)


def test_an_import_is_recorded_in_the_version_history(
    staff_client, example_providers, versioned_offers
):
    import_file(staff_client, "offer", OFFERS_CSV)
    offer = Offer.objects.get(slug="hausaufgabenhilfe-methler")
    [version] = Version.objects.get_for_object(offer)
    assert version.revision.comment == "Imported from a spreadsheet"
    assert version.revision.user.username == "admin"


def exported(client, model, file_format, **filters):
    response = client.post(
        url(model, "export") + "?" + "&".join(f"{k}={v}" for k, v in filters.items()),
        {"resource": "0", "format": file_format},
    )
    assert response.status_code == 200
    if file_format == CSV_FORMAT:
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_export_contains_the_filtered_list(staff_client, demo_data):
    in_kamen = set(Offer.objects.filter(city__slug="kamen").values_list("slug", flat=True))
    assert 0 < len(in_kamen) < Offer.objects.count()

    filters = {"city__id__exact": Offer.objects.filter(city__slug="kamen").first().city_id}
    for file_format in (CSV_FORMAT, XLSX_FORMAT):
        rows = exported(staff_client, "offer", file_format, **filters)
        assert {row["slug"] for row in rows} == in_kamen
        assert {row["city"] for row in rows} == {"kamen"}
        assert "name_de" in rows[0] and "categories" in rows[0]

    searched = exported(staff_client, "offer", CSV_FORMAT, q="Badminton")
    assert {row["slug"] for row in searched} == set(
        Offer.objects.filter(name_de__icontains="Badminton").values_list("slug", flat=True)
    )


def test_an_exported_list_imports_again_without_changes(staff_client, demo_data):
    city = Offer.objects.filter(city__slug="kamen").first().city_id
    rows = exported(staff_client, "offer", CSV_FORMAT, city__id__exact=city)
    response = preview(staff_client, "offer", csv_text(rows))
    assert summary(response) == f"0 new, 0 changed, {len(rows)} unchanged"

    providers = exported(staff_client, "provider", XLSX_FORMAT)
    output = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(list(providers[0]))
    for row in providers:
        workbook.active.append(list(row.values()))
    workbook.save(output)
    response = preview(
        staff_client, "provider", output.getvalue(), "providers.xlsx", file_format=XLSX_FORMAT
    )
    assert summary(response) == f"0 new, 0 changed, {len(providers)} unchanged"


# --- Size of an import: queries per row, limits ------------------------------------------------


def rows_for(count):
    """``count`` offer rows: the example rows repeated under new slugs."""
    example = example_rows()
    rows = []
    for number in range(count):
        row = dict(example[number % len(example)])
        row["slug"] = f"{row['slug']}-{number}"
        row["name_de"] = f"{row['name_de']} {number}"
        rows.append(row)
    return rows


def queries_of(request):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = request()
    return response, len(queries)


def test_the_queries_of_an_import_grow_by_a_small_constant_per_row(staff_client, example_providers):
    """A file's cities, providers, venues and categories are looked up once, not per cell,
    and search texts are rebuilt once at the end: a larger file costs only the writes of
    its rows."""
    counts = {}
    for size in (5, 20):
        content = csv_text([{**row, "slug": f"{size}-{row['slug']}"} for row in rows_for(size)])
        shown, preview_queries = queries_of(lambda c=content: preview(staff_client, "offer", c))
        assert summary(shown) == f"{size} new, 0 changed, 0 unchanged"
        done, confirm_queries = queries_of(lambda s=shown: confirm(staff_client, "offer", s))
        assert f"Import finished: {size} new" in done.content.decode()
        counts[size] = (preview_queries, confirm_queries)
    # A row's own work: its savepoints, the offer and its text stamps and, once confirmed,
    # its version. Looking up what its cells name, checking that its slug is free and
    # writing its four lists (once for the whole file) cost nothing more.
    assert counts[20][0] <= counts[5][0] + 15 * 8, counts
    assert counts[20][1] <= counts[5][1] + 15 * 12, counts
    # Every imported offer is found by its own words (its search text was built).
    assert Offer.objects.filter(slug__startswith="20-", search_text__contains="methler").exists()


def test_a_file_over_the_row_limit_is_refused_before_any_work(
    staff_client, example_providers, settings
):
    settings.PORTAL_IMPORT_MAX_ROWS = 3
    for content, name, file_format in (
        (OFFERS_CSV, "offers.csv", CSV_FORMAT),
        (OFFERS_XLSX, "offers.xlsx", XLSX_FORMAT),
    ):
        response = preview(staff_client, "offer", content.read_bytes(), name, file_format)
        assert "confirm_form" not in response.context and "result" not in response.context
        assert (
            "The file has more than 3 rows, the most an import takes. Split it into several "
            "files and import them one after another."
        ) in html.unescape(response.content.decode())
    settings.PORTAL_IMPORT_MAX_ROWS = 4
    assert summary(preview(staff_client, "offer", OFFERS_CSV)) == "4 new, 0 changed, 0 unchanged"


def test_a_file_over_the_size_limit_is_refused_in_german(client, example_providers, settings):
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE")  # German, the admin's default
    settings.PORTAL_IMPORT_MAX_BYTES = 1000
    response = preview(client, "offer", OFFERS_CSV)
    assert "result" not in response.context
    assert (
        "Die Datei ist größer als 1000\xa0Bytes, mehr nimmt ein Import nicht an. Teilen Sie sie "
        "in mehrere Dateien auf und importieren Sie diese nacheinander."
    ) in html.unescape(response.content.decode())


# --- Formulas and NUL characters in cells -----------------------------------------------------

FORMULAS = {
    "name_de": '=HYPERLINK("http://x")',
    "name_en": "+SUM(1)",
    "short_description_de": "-1+1",
    "schedule_de": "@SUM(1)",
    "description_de": "=cmd|' /C calc'!A0",
    "description_en": "'=already quoted by hand",
    "contact_phone": "+49 2361 12345",
    "costs_de": "-",
}


def exported_file(client, model, file_format):
    response = client.post(url(model, "export"), {"resource": "0", "format": file_format})
    assert response.status_code == 200
    return response.content


def formula_cells(content, file_format):
    """The exported cells that a spreadsheet program would run as formulas."""
    if file_format == CSV_FORMAT:
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type != "s" and cell.value is not None
    ]


def test_exports_write_formulas_as_text_and_import_them_back_unchanged(staff_client, demo_data):
    offer = Offer.objects.get(slug="badminton-castrop-rauxel")
    for name, value in FORMULAS.items():
        setattr(offer, name, value)
    offer.is_free = False
    offer.save()
    provider = offer.provider
    provider.phone = "+49 2303 123"
    provider.save()

    for file_format in (CSV_FORMAT, XLSX_FORMAT):
        offers = exported_file(staff_client, "offer", file_format)
        providers = exported_file(staff_client, "provider", file_format)
        assert formula_cells(offers, file_format) == []
        assert formula_cells(providers, file_format) == []
        if file_format == CSV_FORMAT:
            text = offers.decode("utf-8-sig")
            assert '\'=HYPERLINK(""http://x"")' in text and ",'+49 2361 12345," in text
            assert "''=already quoted by hand" in text
            assert ",'+49 2303 123," in providers.decode("utf-8-sig")
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(offers)).active
            header = [cell.value for cell in sheet[1]]
            row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == offer.slug)
            cell = row[header.index("name_de")]
            assert cell.data_type == "s" and cell.value == "'" + FORMULAS["name_de"]

        # Imported again, the files change nothing: every value comes back exactly.
        name = f"export.{'csv' if file_format == CSV_FORMAT else 'xlsx'}"
        response = preview(staff_client, "offer", offers, name, file_format)
        assert summary(response).startswith("0 new, 0 changed")
        response = preview(staff_client, "provider", providers, name, file_format)
        assert summary(response).startswith("0 new, 0 changed")

    # A changed export writes the values without the added quotes.
    rows = exported(staff_client, "offer", CSV_FORMAT, q="Badminton")
    row = next(r for r in rows if r["slug"] == offer.slug)
    row["name_en"] = "'-Badminton"
    import_file(staff_client, "offer", csv_text([row]))
    offer.refresh_from_db()
    assert offer.name_en == "-Badminton"
    assert {name: getattr(offer, name) for name in FORMULAS if name != "name_en"} == {
        name: value for name, value in FORMULAS.items() if name != "name_en"
    }
    provider.refresh_from_db()
    assert provider.phone == "+49 2303 123"


def test_a_suggestion_accepted_as_a_draft_is_exported_as_text(staff_client, demo_data, client):
    from offers.models import Suggestion

    hostile = '=HYPERLINK("http://evil.example/","Klick")'
    response = client.post(
        "/de/offers/suggest/",
        {
            "name": hostile,
            "provider_name": "AWO Unterbezirk Unna",
            "city": City.objects.get(slug="kamen").pk,
            "description": "@SUM(1)",
            "where_when": "freitags",
            "languages": "Deutsch",
            "contact": "+49 2307 123456",
            "homepage": "",
            "message": "",
            "email": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get(name=hostile)
    staff_client.post(reverse("admin:offers_suggestion_accept", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert suggestion.offer.name_de == hostile

    for file_format in (CSV_FORMAT, XLSX_FORMAT):
        content = exported_file(staff_client, "offer", file_format)
        assert formula_cells(content, file_format) == []
    assert "'" + hostile.replace('"', '""') in content_csv(staff_client)


def content_csv(client):
    return exported_file(client, "offer", CSV_FORMAT).decode("utf-8-sig")


@pytest.mark.parametrize("model", ["offer", "provider"])
def test_a_nul_character_in_a_cell_is_named_and_nothing_is_written(
    staff_client, example_providers, model
):
    if model == "offer":
        rows = example_rows()
        rows[1]["schedule_de"] = "dienstags\x0018 Uhr"
        column = "schedule_de"
    else:
        with PROVIDERS_CSV.open(encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        rows[1]["phone"] = "02303\x00123"
        column = "phone"
    counts = (Offer.objects.count(), Provider.objects.count())
    response = preview(staff_client, model, csv_text(rows))
    assert "confirm_form" not in response.context
    assert (
        f'Line 3, column "{column}" contains a NUL character (\\0), which no text may '
        "contain. Remove it and upload the file again."
    ) in html.unescape(response.content.decode())
    assert (Offer.objects.count(), Provider.objects.count()) == counts
