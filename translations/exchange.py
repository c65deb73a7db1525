"""Hand texts to an external translator as CSV and take the translations back.

An export holds, for one target language, a row per translatable text: which entry and
field it is, the German source, the current translation and when it was exported. The
translator fills in the "translation" column (any spreadsheet program will do) and staff
import the file again.

An import first makes a plan and changes nothing. The plan tells for every row whether it
adds or changes a translation, and warns where applying it could lose work:

* the German source was edited since the export (the translation may not fit it any more);
* the translation was edited in the portal after the export (it would be overwritten).

Rows with a warning are applied only when staff confirm them one by one; empty cells never
delete a translation.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from content.cells import import_limits, protect, reject_nul, unprotect

from .models import TextChange
from .status import (
    SOURCE_LANGUAGE,
    changes_of,
    column,
    is_outdated,
    target_languages,
    text,
    translatable_models,
    translated_fields,
)

COLUMNS = ["entry", "id", "name", "field", "language", "source", "translation", "exported"]


def normalize(value):
    """Texts as compared: spreadsheets turn line ends into \\r\\n and add stray blanks."""
    return "\n".join(
        line.rstrip() for line in (value or "").replace("\r\n", "\n").split("\n")
    ).strip()


# --- Export --------------------------------------------------------------------------------


def export_rows(language, models=None, only_needed=True):
    """The rows of an export into ``language``; with only_needed, just the missing and
    outdated texts."""
    exported = timezone.now().isoformat()
    for model in models or translatable_models():
        fields = translated_fields(model)
        for chunk in _chunks(model._default_manager.order_by("pk"), 500):
            changes = changes_of(chunk)
            for obj in chunk:
                for name in fields:
                    source = text(obj, name, SOURCE_LANGUAGE)
                    translation = text(obj, name, language)
                    if not source:
                        continue
                    needed = not translation or is_outdated(changes.get(obj.pk, {}), name, language)
                    if only_needed and not needed:
                        continue
                    yield {
                        "entry": model._meta.label_lower,
                        "id": obj.pk,
                        "name": name_in_german(obj),
                        "field": name,
                        "language": language,
                        "source": source,
                        "translation": translation,
                        "exported": exported,
                    }


def name_in_german(obj):
    """The entry's name as the translator's reference: in the source language."""
    with translation.override(SOURCE_LANGUAGE):
        return str(obj)


def _chunks(queryset, size):
    chunk = []
    for obj in queryset.iterator(chunk_size=size):
        chunk.append(obj)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_csv(language, models=None, only_needed=True):
    output = io.StringIO()
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    output.write("\ufeff")
    writer = csv.DictWriter(output, fieldnames=COLUMNS)
    writer.writeheader()
    # No text is written as a formula a spreadsheet would run (content/cells.py).
    for row in export_rows(language, models, only_needed):
        writer.writerow({name: protect(value) for name, value in row.items()})
    return output.getvalue()


# --- Import --------------------------------------------------------------------------------

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
ERROR = "error"


@dataclass
class ImportRow:
    line: int
    entry: str = ""
    object_id: str = ""
    name: str = ""
    field_name: str = ""
    language: str = ""
    translation: str = ""
    current: str = ""
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    obj: object = None
    model: object = None

    @property
    def field_label(self):
        """The field in words ("Kurzbeschreibung"), as the preview names it."""
        if self.model is not None and self.field_name in translated_fields(self.model):
            return capfirst(self.model._meta.get_field(self.field_name).verbose_name)
        return self.field_name

    @property
    def language_label(self):
        """The language in words ("Albanisch"), in the editor's language."""
        if self.language in target_languages():
            return get_language_info(self.language)["name_translated"]
        return self.language

    @property
    def action(self):
        if self.errors:
            return ERROR
        if not self.translation or self.translation == self.current:
            return UNCHANGED
        return CHANGED if self.current else NEW

    @property
    def applicable(self):
        return self.action in (NEW, CHANGED)


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # problems with the file as a whole

    @property
    def unchanged(self):
        return [row for row in self.rows if row.action == UNCHANGED]

    @property
    def failed(self):
        return [row for row in self.rows if row.action == ERROR]

    @property
    def changes(self):
        return [row for row in self.rows if row.applicable]

    @property
    def conflicts(self):
        return [row for row in self.changes if row.warnings]


def read_csv(data):
    """The rows of an uploaded file as dicts, or raise ValueError with a message.

    The size was checked before the upload was read (forms.ImportForm); the rows are
    counted while they are read, so an over-long file stops at the first row too many."""
    limits = import_limits()
    if len(data) > limits.max_bytes:
        raise ValueError(limits.too_large_message())
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("The file is not UTF-8 encoded text. Save it as “CSV UTF-8”.")) from None
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    missing = [
        name
        for name in ("entry", "id", "field", "language", "translation", "exported")
        if name not in (reader.fieldnames or [])
    ]
    if missing:
        raise ValueError(
            _("The file lacks the columns %(columns)s. Import a file exported here.")
            % {"columns": ", ".join(missing)}
        )
    records = []
    try:
        for record in reader:
            if len(records) == limits.max_rows:
                raise ValueError(limits.too_many_rows_message())
            # The quote an export put before a formula-like cell goes again.
            records.append({name: unprotect(value) for name, value in record.items()})
    except csv.Error as error:
        raise ValueError(
            _("The file could not be read as CSV: %(error)s") % {"error": error}
        ) from None
    reject_nul(records, reader.fieldnames)
    return records


def plan_import(records, user=None):
    """An ImportPlan for the rows of a file (dicts as read_csv returns them)."""
    plan = ImportPlan()
    models = {model._meta.label_lower: model for model in translatable_models()}
    # One instance per entry, shared by all of its rows: a file holds one row per field, and
    # each row saving its own copy of the entry would write back the others' old texts, so
    # only the last field of an entry would be kept.
    entries = {}
    for line, record in enumerate(records, start=2):  # line 1 is the header
        row = ImportRow(
            line=line,
            # Kinds, fields and languages are lower-case names: "AR " means ar.
            entry=(record.get("entry") or "").strip().lower(),
            object_id=(record.get("id") or "").strip(),
            name=(record.get("name") or "").strip(),
            field_name=(record.get("field") or "").strip().lower(),
            language=(record.get("language") or "").strip().lower(),
            translation=normalize(record.get("translation")),
        )
        plan.rows.append(row)
        model = row.model = models.get(row.entry)
        if model is None:
            row.errors.append(_("unknown kind of entry “%(entry)s”") % {"entry": row.entry[:50]})
            continue
        if user is not None and not user.has_perm(
            f"{model._meta.app_label}.change_{model._meta.model_name}"
        ):
            row.errors.append(_("you may not change these entries"))
            continue
        if row.field_name not in translated_fields(model):
            row.errors.append(_("unknown field “%(field)s”") % {"field": row.field_name[:50]})
        if row.language not in target_languages():
            row.errors.append(
                _("unknown target language “%(language)s”") % {"language": row.language[:10]}
            )
        exported = parse_datetime((record.get("exported") or "").strip())
        if exported is None:
            row.errors.append(_("the export time is missing or malformed"))
        if row.errors:
            continue
        key = (model, row.object_id)
        if key not in entries:
            entries[key] = (
                model._default_manager.filter(pk=row.object_id).first()
                if row.object_id.isdigit()
                else None
            )
        row.obj = entries[key]
        if row.obj is None:
            row.errors.append(_("entry %(id)s no longer exists") % {"id": row.object_id[:20]})
            continue
        row.name = str(row.obj)
        row.current = text(row.obj, row.field_name, row.language)
        if not row.applicable:
            continue
        if timezone.is_naive(exported):
            exported = timezone.make_aware(exported)
        source = text(row.obj, row.field_name, SOURCE_LANGUAGE)
        if normalize(record.get("source")) != normalize(source):
            row.warnings.append(_("The German text was changed after the export."))
        edited = _translation_changed(row.obj, row.field_name, row.language)
        if edited and edited > exported:
            row.warnings.append(_("The translation was edited in the portal after the export."))
    seen = {}
    for row in plan.rows:
        key = (row.entry, row.object_id, row.field_name, row.language)
        if key in seen and not row.errors:
            row.errors.append(_("the same text as in line %(line)d") % {"line": seen[key]})
        seen.setdefault(key, row.line)
    return plan


def _translation_changed(obj, field_name, language):
    change = TextChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        field=field_name,
        language=language,
    ).first()
    return change.changed if change else None


def apply_import(plan, confirmed_lines=()):
    """Write the plan's new and changed translations; rows with a warning only when their
    line is confirmed. Each entry is saved once, with all of its rows' texts, and the whole
    import is written or nothing. Returns the rows written."""
    written = []
    confirmed = set(confirmed_lines)
    for row in plan.changes:
        if row.warnings and row.line not in confirmed:
            continue
        setattr(row.obj, column(row.field_name, row.language), row.translation)
        written.append(row)
    with transaction.atomic():
        for obj in {id(row.obj): row.obj for row in written}.values():
            obj.save()
    return written
