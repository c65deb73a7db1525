"""Cells of the spreadsheets staff export and import again (offers, providers, translations).

Formulas: a spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and some also after a leading tab or carriage return) as a formula, so a text such as
``=HYPERLINK("http://evil.example", "click")`` typed into a public suggestion would become a
live link or command in a KI editor's Excel. Exports therefore write such a cell with a
single quote in front (OWASP's advice for CSV injection: a quote makes the cell plain text
in every spreadsheet program), and imports take exactly that quote off again, so that a
round trip keeps every value, phone numbers like "+49 2303 123" and a lone "-" included.

To stay lossless the rule looks through quotes already there: a value that *already*
begins with quotes before such a character ("'=x") gets one more on export, and an import
removes one, so it comes back as it was. (import-export's own
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only deletes a leading ``=``: it loses data and
leaves ``+``, ``-`` and ``@`` alive.)

NUL characters: PostgreSQL cannot store them in text, and no legitimate cell holds one;
imports look for them first (reject_nul()) and name the line and the column.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _looks_like_formula(text):
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def protect(value):
    """The cell as exported: a text a spreadsheet would run as a formula gets a quote."""
    if isinstance(value, str) and _looks_like_formula(value):
        return QUOTE + value
    return value


def unprotect(value):
    """The cell as imported: the quote that protect() added is taken off again."""
    if isinstance(value, str) and value.startswith(QUOTE) and _looks_like_formula(value):
        return value[1:]
    return value


def reject_nul(rows, headers):
    """Refuse a file with a NUL character in any cell, naming its line and column: PostgreSQL
    cannot store the character, and no spreadsheet cell needs one. ``rows`` are the data
    rows (lists or dicts) after the header line, which is line 1."""
    for line, row in enumerate(rows, start=2):
        cells = row.items() if isinstance(row, dict) else zip(headers, row, strict=False)
        for column, value in cells:
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(
                    _(
                        'Line %(line)s, column "%(column)s" contains a NUL character (\\0), '
                        "which no text may contain. Remove it and upload the file again."
                    )
                    % {"line": line, "column": column}
                )


# --- Limits of an import ----------------------------------------------------------------------


class ImportLimits:
    """How large a file an import takes (PORTAL_IMPORT_MAX_BYTES, PORTAL_IMPORT_MAX_ROWS),
    checked before any work: the size of the upload before it is read, the rows while they
    are read. Larger files are split, which keeps a preview readable and an import within
    a request's time."""

    def __init__(self, max_bytes, max_rows):
        self.max_bytes = max_bytes
        self.max_rows = max_rows

    def too_large_message(self):
        return _(
            "The file is larger than %(limit)s, the most an import takes. Split it into "
            "several files and import them one after another."
        ) % {"limit": filesizeformat(self.max_bytes)}

    def too_many_rows_message(self):
        return _(
            "The file has more than %(limit)s rows, the most an import takes. Split it into "
            "several files and import them one after another."
        ) % {"limit": self.max_rows}


def import_limits():
    return ImportLimits(settings.PORTAL_IMPORT_MAX_BYTES, settings.PORTAL_IMPORT_MAX_ROWS)
