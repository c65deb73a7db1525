"""Staff typing a name in the admin get a slug with the umlauts written out (ä → ae), as
the demo data's addresses and the spreadsheet import's suggestions have them."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize(
    ("address", "name_field", "name", "slug"),
    [
        (
            "/admin/providers/provider/add/",
            "#id_name",
            "Nähtreff Königsborn",
            "naehtreff-koenigsborn",
        ),
        (
            "/admin/vocabularies/category/add/",
            "#id_label_de",
            "Übungsräume für Öffentlichkeit",
            "uebungsraeume-fuer-oeffentlichkeit",
        ),
        ("/admin/offers/offer/add/", "#id_name_de", "Straßenfußball", "strassenfussball"),
    ],
)
def test_the_slug_follows_the_name_with_umlauts_written_out(
    transactional_db, admin_page, live_server, browser_log, address, name_field, name, slug
):
    page = admin_page
    # German staff: the admin opens the German tab of translated names, the slug's source.
    page.set_extra_http_headers({"Accept-Language": "de"})
    page.goto(f"{live_server.url}{address}")
    page.locator(name_field).press_sequentially(name)
    expect(page.locator("#id_slug")).to_have_value(slug)
    browser_log.assert_clean()
