"""The interface catalogs are complete and the committed .mo files match their sources."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# English is the source language of the interface texts: its catalog may stay empty.
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
CATALOGS = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_language_has_catalogs(language):
    for domain in ("django", "djangojs"):
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
        if domain == "djangojs" and not path.exists():
            continue
        assert path.exists(), f"{path} is missing"


@pytest.mark.parametrize("path", [p for p in CATALOGS if p.parts[-3] != "en"], ids=str)
def test_catalog_has_no_missing_empty_or_fuzzy_entry(path):
    catalog = polib.pofile(str(path))
    problems = [entry.msgid for entry in catalog.untranslated_entries()]
    problems += [f"fuzzy: {entry.msgid}" for entry in catalog.fuzzy_entries()]
    assert not problems, f"{path}: {problems[:20]}"


@pytest.mark.parametrize("path", CATALOGS, ids=str)
def test_compiled_catalog_matches_its_source(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run 'make messages'"
    with mo_path.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    for entry in polib.pofile(str(path)).translated_entries():
        if entry.msgid_plural:
            # Check every form with a number that selects it under the language's rule
            # (in Arabic, 1 takes form 1 and 0 takes form 0). Some rules end with a form for
            # fractions (Polish, Ukrainian as Django writes them) that no whole number takes.
            for index, text in entry.msgstr_plural.items():
                number = next((n for n in range(1000) if compiled.plural(n) == int(index)), None)
                if number is None:
                    continue
                assert compiled.ngettext(entry.msgid, entry.msgid_plural, number) == text
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, (
                f"{mo_path} is older than {path}: run 'make messages'"
            )
