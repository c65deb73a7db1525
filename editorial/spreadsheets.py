"""Spreadsheet import and export of providers and offers (django-import-export).

The column format is described for staff in docs/import-format.md. The rules that matter:

* Every row is keyed by its ``slug``; importing the same file again changes nothing and
  reports every row as unchanged. A row without a slug is rejected (with a suggestion made
  from the German name) rather than given a derived one: two offers often share a German
  name ("Sprachcafé"), and a derived key would silently merge them or change with a
  reworded name.
* Translated texts have one column per language (``name_de``, ``name_en``, ...). A column
  that is missing from the file leaves those texts alone; an empty cell in a present column
  empties the text.
* Relations are written as slugs; lists are separated by ``|`` (``,`` and ``;`` work too).
* Any error in any row, or an unknown column, means nothing at all is written: the preview
  runs in a transaction that is rolled back, and the confirmed import rolls back as well if
  a row fails then (the data may have changed since the preview).
"""

import csv
import datetime as dt
import io
from collections import defaultdict

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.instance_loaders import CachedInstanceLoader

from content import derived
from content.cells import import_limits, protect, reject_nul, unprotect
from content.text import german_slug
from translations import signals as translation_signals

from . import history

LIST_SEPARATOR = "|"
# Slugs never contain these, so any of them may separate a list.
LIST_SEPARATORS = ("|", ",", ";")


def portal_languages():
    return [code for code, _name in settings.LANGUAGES]


# --- File formats ---------------------------------------------------------------------------


class SpreadsheetError(ValueError):
    """A file that cannot be read as a table; the message is for the user."""


class SpreadsheetCSV(base_formats.CSV):
    """CSV as written by Excel and LibreOffice, not only by Python.

    Read as bytes so that the encoding can be chosen: UTF-8 (with or without the byte order
    mark of Excel's "CSV UTF-8") and, failing that, Windows-1252 (Excel's plain "CSV" on a
    German Windows). The separator is what the header line uses: comma, semicolon (German
    Excel) or tab. Empty lines stay rows, so that reported line numbers are the file's.
    Exports are UTF-8 with a byte order mark, so that Excel shows umlauts.
    """

    ENCODINGS = ("utf-8-sig", "cp1252")

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = self.decode(in_stream)
        header = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=header.count)
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        headers = next(rows, None)
        if headers is None:
            return tablib.Dataset()
        dataset = tablib.Dataset(headers=headers)
        width = len(headers)
        counter = RowCounter()
        for line, row in enumerate(rows, start=2):
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                raise SpreadsheetError(
                    _("Line %(line)s has more cells than the header line has columns.")
                    % {"line": line}
                )
            counter.count(row)
            dataset.append((row + [""] * width)[:width])
        return dataset

    @classmethod
    def decode(cls, data):
        if isinstance(data, str):
            return data.removeprefix("\ufeff")
        for encoding in cls.ENCODINGS:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise SpreadsheetError(_("The file is neither UTF-8 nor Windows-1252 text."))

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(protected(dataset), **kwargs)


class SpreadsheetXLSX(base_formats.XLSX):
    """Excel files: the first sheet, read row by row (so that an over-long sheet stops at
    the first row too many); their cells are protected against formulas as CSV cells are."""

    def create_dataset(self, in_stream):
        import openpyxl

        try:
            # data_only: a formula cell gives its last computed value, not the formula.
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception:
            raise SpreadsheetError(_("The file cannot be read as an Excel (.xlsx) file.")) from None
        try:
            rows = book.active.iter_rows(values_only=True)
            dataset = tablib.Dataset(headers=list(next(rows, None) or []))
            counter = RowCounter()
            for row in rows:
                counter.count(row)
                dataset.append(row)
        finally:
            book.close()
        return dataset

    def export_data(self, dataset, **kwargs):
        return super().export_data(protected(dataset), **kwargs)


class RowCounter:
    """Counts the rows of a file while it is read and stops at the first one over
    PORTAL_IMPORT_MAX_ROWS. Empty rows (formatted but empty lines at the end of a sheet)
    do not count; the size limit bounds them."""

    def __init__(self):
        self.limits = import_limits()
        self.rows = 0

    def count(self, row):
        if all(is_empty(cell) for cell in row):
            return
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise SpreadsheetError(self.limits.too_many_rows_message())


def protected(dataset):
    """A copy of an export's rows in which no cell is a live formula (content/cells.py);
    the import takes the added quotes off again (PortalResource.before_import)."""
    copy = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([protect(cell) for cell in row])
    return copy


SPREADSHEET_FORMATS = [SpreadsheetCSV, SpreadsheetXLSX]


# --- Widgets: one cell <-> one value ---------------------------------------------------------
#
# Their messages name what is wrong with the value; PortalResource.validate_instance adds
# the column and the value, the same way for every message (also Django's own ones).


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.CharWidget):
    """Text as typed, without the spaces spreadsheets leave around it (as forms do)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        return str(value).strip()


class YesNoWidget(widgets.BooleanWidget):
    TRUE = {"1", "true", "yes", "ja", "x", "wahr"}
    FALSE = {"0", "false", "no", "nein", "falsch"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        if is_empty(value):
            return None
        text = str(value).strip().lower()
        if isinstance(value, (int, float)):
            text = str(int(value))
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write 1 for yes and 0 for no (also: ja/nein, yes/no, true/false)."))


class DayWidget(widgets.DateWidget):
    """A day as 2026-03-14 or 14.03.2026, or a date cell of a spreadsheet."""

    FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):  # Excel date cells arrive as datetimes
            return value.date()
        if isinstance(value, dt.date):
            return value
        if is_empty(value):
            return None
        text = str(value).strip()
        for format_ in self.FORMATS:
            try:
                return dt.datetime.strptime(text, format_).date()
            except ValueError:
                continue
        raise ValueError(_("Not a valid day: write it as 2026-03-14 or 14.03.2026."))


class ChoiceWidget(widgets.Widget):
    """One of a model field's choices, by its code (e.g. ``published``)."""

    def __init__(self, choices, **kwargs):
        self.codes = [code for code, _label in choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        code = str(value).strip().lower()
        if code not in self.codes:
            raise ValueError(
                _("Not one of the allowed values: %(codes)s.") % {"codes": ", ".join(self.codes)}
            )
        return code


def slug_in_cell(value):
    """A slug as people type one into a cell: slugs are lower case, so "Unna " means unna."""
    return str(value).strip().lower()


class SlugLookup:
    """The entries of one model by slug, looked up once per import: a file of 1,000 offers
    names the same few cities, providers and categories in every row. prime() fetches the
    slugs of a whole column in one query; a slug not fetched yet is looked up (and a
    missing one remembered) when first asked for. Each resource builds its widgets anew,
    so nothing is kept from one import (or preview) to the next."""

    def __init__(self, model):
        self.model = model
        self.reset()

    def reset(self):
        self._found = {}
        self._missing = set()

    def prime(self, slugs):
        wanted = {slug for slug in slugs if slug not in self._found and slug not in self._missing}
        if not wanted:
            return
        for obj in self.model._default_manager.filter(slug__in=wanted):
            self._found[obj.slug] = obj
        self._missing |= wanted - set(self._found)

    def get(self, slug):
        """The entry with this slug, or None."""
        self.prime([slug])
        return self._found.get(slug)


class SlugWidget(widgets.ForeignKeyWidget):
    """A related entry by its slug."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        self.lookup = SlugLookup(model)

    def prepare(self, values):
        """Before an import: forget earlier lookups, fetch the column's slugs at once."""
        self.lookup.reset()
        self.lookup.prime(slug_in_cell(value) for value in values if not is_empty(value))

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        slug = slug_in_cell(value)
        obj = self.lookup.get(slug)
        if obj is None:
            raise ValueError(
                _('There is no %(model)s with the slug "%(slug)s".')
                % {"model": self.model._meta.verbose_name, "slug": slug}
            )
        return obj


class SlugListWidget(widgets.ManyToManyWidget):
    """Several related entries by their slugs, separated by "|" (or "," or ";")."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=LIST_SEPARATOR, field="slug", **kwargs)
        self.lookup = SlugLookup(model)

    @staticmethod
    def split(value):
        if is_empty(value):
            return []
        text = str(value)
        for separator in LIST_SEPARATORS[1:]:
            text = text.replace(separator, LIST_SEPARATOR)
        return list(dict.fromkeys(slug_in_cell(part) for part in text.split("|") if part.strip()))

    def prepare(self, values):
        """Before an import: forget earlier lookups, fetch the column's slugs at once."""
        self.lookup.reset()
        self.lookup.prime(slug for value in values for slug in self.split(value))

    def clean(self, value, row=None, **kwargs):
        slugs = self.split(value)
        self.lookup.prime(slugs)
        found = {slug: self.lookup.get(slug) for slug in slugs}
        unknown = [slug for slug, obj in found.items() if obj is None]
        if unknown:
            raise ValueError(
                _('There is no %(model)s with the slug "%(slug)s".')
                % {"model": self.model._meta.verbose_name, "slug": '", "'.join(unknown)}
            )
        return [found[slug] for slug in slugs]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(sorted(related.slug for related in value.all()))


# --- Columns -----------------------------------------------------------------------------------


def text(name):
    return Field(attribute=name, column_name=name, widget=TextWidget())


def translated(*names):
    """One text column per field and portal language: name_de, name_en, ..."""
    return [text(f"{name}_{code}") for name in names for code in portal_languages()]


def optional(name, widget):
    """A column whose empty cells keep the stored value (or the model's default for a new
    entry) instead of setting None on a field that cannot hold it."""
    return Field(attribute=name, column_name=name, widget=widget, saves_null_values=False)


def relation(name, model):
    return Field(attribute=name, column_name=name, widget=SlugWidget(model))


def relations(name, model):
    return Field(attribute=name, column_name=name, widget=SlugListWidget(model))


def day(name):
    return Field(attribute=name, column_name=name, widget=DayWidget())


# --- Resources ---------------------------------------------------------------------------------


def show_lists_to_be_written(instance, lists):
    """Make ``instance``'s lists ({attribute: [related entries]}) read as these, before
    ListWriter writes them: the version the history takes when the entry is saved reads
    its lists then (Django's serializer takes prefetched lists as they are), and would
    otherwise query the stored, old ones — on PostgreSQL through a server-side cursor, 5 ms
    a list. Filled as prefetch_related() fills them (django.db.models.query's
    prefetch_one_level(): a queryset with its results set)."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for attribute, related in lists.items():
        field = instance._meta.get_field(attribute)
        # A plain queryset of the related model: what it would filter is never asked, its
        # results are set (building filter(pk__in=...) cost a millisecond a list).
        queryset = QuerySet(model=field.related_model)
        queryset._result_cache = list(related)
        queryset._prefetch_done = True
        cache[attribute] = queryset


class ListWriter:
    """The lists (many-to-many sets) of an import's rows, written at its end: per list one
    query for the stored links of the file's entries, one delete and one bulk insert, instead
    of three queries per list and row (RelatedManager.set()).

    By hand because django-import-export's bulk mode leaves lists out altogether (and
    sends no signals for the entries either). This sends no m2m_changed: what listens to
    it has heard of each entry through its save already (a row that changes only a list is
    saved too). The content generation has moved on; the search text is rebuilt after this
    (derived.deferred() ends later); the version history took each entry's version at its
    save, with the lists it will have (show_lists_to_be_written())."""

    # Entries per query, so that an IN (...) stays below the databases' parameter limits.
    CHUNK = 500

    def __init__(self):
        # {(model, attribute): {entry pk: [pks of the related entries]}}
        self._wanted = defaultdict(dict)

    def note(self, instance, attribute, related):
        self._wanted[(type(instance), attribute)][instance.pk] = [obj.pk for obj in related]

    def write(self):
        for (model, attribute), wanted in self._wanted.items():
            field = model._meta.get_field(attribute)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            owners = list(wanted)
            stored = defaultdict(set)
            for start in range(0, len(owners), self.CHUNK):
                links = through._default_manager.filter(
                    **{f"{source}__in": owners[start : start + self.CHUNK]}
                ).values_list(source, target)
                for owner, related in links:
                    stored[owner].add(related)
            # An entry whose list changed gets it anew; the links have no data of their own.
            changed = [owner for owner in owners if stored[owner] != set(wanted[owner])]
            for start in range(0, len(changed), self.CHUNK):
                chunk = [owner for owner in changed[start : start + self.CHUNK] if stored[owner]]
                if chunk:
                    through._default_manager.filter(**{f"{source}__in": chunk}).delete()
            through._default_manager.bulk_create(
                [
                    through(**{source: owner, target: related})
                    for owner in changed
                    for related in wanted[owner]
                ],
                batch_size=self.CHUNK,
            )
        self._wanted.clear()


class SlugInstanceLoader(CachedInstanceLoader):
    """The entries a file updates, fetched in one query by their slugs (with what their
    columns show) instead of one query per row."""

    def get_queryset(self):
        return self.resource.import_queryset()


class PortalResource(resources.ModelResource):
    """Columns are declared by ``columns()`` (they depend on settings.LANGUAGES), keyed by
    their column names, which are also the model attributes they fill."""

    class Meta:
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        # The preview lists the changed columns (import_instance() works them out) instead
        # of a diff of 70 columns; import-export's own diff would copy every entry and
        # render every list of it twice, with a query per list (skip_row() is ours, too).
        skip_diff = True
        skip_html_diff = True
        store_instance = True
        instance_loader_class = SlugInstanceLoader

    def __init__(self, queryset=None, **kwargs):
        super().__init__()
        self.fields = {field.column_name: field for field in self.columns()}
        # The admin passes its own queryset, so an editor restricted to some entries cannot
        # update others through a file (the slug is then taken, and the row rejected).
        self._queryset = queryset

    def columns(self):
        raise NotImplementedError

    # Columns that fill no model field of the same name, in words (see column_words()).
    column_labels = {}

    def column_words(self, column):
        """What a column holds, in words, in the active language: "Kurzbeschreibung
        (Albanisch)" for short_description_sq. Pages list columns this way; the files keep
        the machine names as their header line, which the import reads."""
        if column in self.column_labels:
            return str(self.column_labels[column])
        opts = self._meta.model._meta
        base, _sep, code = column.rpartition("_")
        if base and code in portal_languages():
            try:
                field = opts.get_field(base)
            except FieldDoesNotExist:
                field = None
            if field is not None:
                language = get_language_info(code)["name_translated"]
                return f"{capfirst(field.verbose_name)} ({language})"
        try:
            return str(capfirst(opts.get_field(column).verbose_name))
        except FieldDoesNotExist:
            return column

    def columns_in_words(self):
        """[(words, column name)] of every column, in the file's order."""
        return [(self.column_words(name), name) for name in self.fields]

    def get_queryset(self):
        if self._queryset is not None:
            return self._queryset.all()
        return super().get_queryset()

    def filter_export(self, queryset, **kwargs):
        return queryset.order_by("slug")

    # --- the whole import ---

    def import_data_inner(self, dataset, *args, **kwargs):
        # import_data() runs this inside its transaction. Rows only note which search
        # texts they change; each is rebuilt once, in bulk, before the transaction ends.
        # Lists (categories, languages ...) are written for all rows at once in
        # after_import(), also inside the block, so the rebuild sees them.
        # The translation status stamps of the saved texts are written in one go as well.
        self._lists = ListWriter()
        with derived.deferred(), translation_signals.collected_changes():
            return super().import_data_inner(dataset, *args, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        self._lists.write()

    def import_queryset(self):
        """The entries rows may update, with what the columns show of them, so that a row
        costs no queries for its stored provider, city or categories."""
        fields = [
            self._meta.model._meta.get_field(field.attribute)
            for field in self.fields.values()
            if field.attribute and "__" not in field.attribute
        ]
        return (
            self.get_queryset()
            .select_related(*[f.name for f in fields if f.many_to_one])
            .prefetch_related(*[f.name for f in fields if f.many_to_many])
        )

    # --- before the rows ---

    def before_import(self, dataset, **kwargs):
        dataset.headers = [str(header or "").strip() for header in dataset.headers or []]
        reject_nul(dataset, dataset.headers)
        unknown = [header for header in dataset.headers if header not in self.fields]
        if unknown:
            raise ValueError(
                _(
                    "The file has columns this import does not know: %(columns)s. Check "
                    "their spelling against the list of columns."
                )
                % {"columns": ", ".join(f'"{header}"' for header in unknown)}
            )
        # Spreadsheets often save formatted but empty lines at the end (";;;;"); they are
        # not rows. (Empty lines in between stay, so that line numbers stay right.)
        while len(dataset) and all(is_empty(cell) for cell in dataset[len(dataset) - 1]):
            del dataset[len(dataset) - 1]
        if "slug" not in dataset.headers:
            raise ValueError(
                _('The file has no "slug" column. Every row needs the slug of its entry.')
            )
        # Exports put a quote before cells a spreadsheet would run as formulas; it goes.
        for index in range(len(dataset)):
            row = dataset[index]
            if any(isinstance(cell, str) and cell.startswith("'") for cell in row):
                dataset[index] = [unprotect(cell) for cell in row]
        # Every slug a column names, looked up in one query per column.
        for column, field in self.fields.items():
            if hasattr(field.widget, "prepare"):
                field.widget.prepare(dataset[column] if column in dataset.headers else [])
        # Lines as the spreadsheet numbers them (the header is line 1), per slug, so a
        # second row with the same slug is reported instead of overwriting the first.
        self._lines_by_slug = {}
        for line, slug in enumerate(dataset["slug"], start=2):
            if not is_empty(slug):
                self._lines_by_slug.setdefault(str(slug).strip(), []).append(line)
        # Which of the file's slugs are taken, by any entry (also one the editor may not
        # change): one query instead of a uniqueness query per row (validate_instance()).
        self._slug_owners = dict(
            self._meta.model._default_manager.filter(
                slug__in=list(self._lines_by_slug)
            ).values_list("slug", "pk")
        )
        # Which of the entries the file may update already have a version: the first
        # change of one without gets a snapshot of its stored state (before_save_instance()).
        self._versioned = history.versioned_pks(self._meta.model, self._slug_owners.values())

    def before_import_row(self, row, **kwargs):
        self._row = row

    # --- each row ---

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        show_lists_to_be_written(instance, self._list_values)
        if instance.pk is not None and instance.pk not in self._versioned:
            # An import may be the first change an entry ever gets; keep what it replaces.
            stored = type(instance)._default_manager.filter(pk=instance.pk)
            history.keep_original_state(stored, kwargs.get("user"))
            self._versioned.add(instance.pk)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        before = {
            column: field_value(self, column, instance)
            for column, field in self.fields.items()
            if field.attribute and not self.is_m2m(field)
        }
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.keep_empty_texts(instance, before)
        self._before = before
        self._changed = [
            column
            for column, value in before.items()
            if field_value(self, column, instance) != value
        ]
        self.check_slug(row, errors, kwargs.get("row_number"))
        self.check_many_to_many(instance, row, errors)
        self.check_row(instance, row, errors, **kwargs)
        if errors:
            raise ValidationError(errors)

    def keep_empty_texts(self, instance, before):
        """An empty text stays as it is stored: translations nobody wrote are NULL, the
        admin may have saved them as "", and neither is a change. A text emptied by the
        file becomes NULL where the field allows it, as an untranslated text is."""
        for column, field in self.fields.items():
            if not isinstance(field.widget, TextWidget) or column not in before:
                continue
            if getattr(instance, field.attribute) == "":
                stored = before[column]
                nullable = instance._meta.get_field(field.attribute).null
                empty = stored if stored in (None, "") else (None if nullable else "")
                setattr(instance, field.attribute, empty)

    def check_slug(self, row, errors, row_number):
        slug = row.get("slug")
        if is_empty(slug):
            suggestion = german_slug(self.name_for_suggestion(row)) or "deutschkurs-a1-unna"
            errors.setdefault("slug", []).append(
                ValidationError(
                    _(
                        "Every row needs a slug, the permanent address of its entry "
                        '(lower-case letters, digits and hyphens, e.g. "%(suggestion)s").'
                    )
                    % {"suggestion": suggestion}
                )
            )
            return
        lines = self._lines_by_slug.get(str(slug).strip(), [])
        line = (row_number or 0) + 1
        if lines and lines[0] != line:
            errors.setdefault("slug", []).append(
                ValidationError(
                    _("The same slug is already used in line %(line)s of this file.")
                    % {"line": lines[0]}
                )
            )

    def name_for_suggestion(self, row):
        return str(row.get("name_de") or row.get("name") or "")

    @staticmethod
    def is_m2m(field):
        return isinstance(field.widget, widgets.ManyToManyWidget)

    def check_many_to_many(self, instance, row, errors):
        """import_instance() leaves lists to save_m2m(), after the row is saved; they are
        checked here so that an unknown slug is a row error like any other."""
        self._list_values = {}
        for column, field in self.fields.items():
            if not self.is_m2m(field):
                continue
            model_field = instance._meta.get_field(field.attribute)
            if column not in row:
                if instance.pk is None and not model_field.blank:
                    errors.setdefault(column, []).append(
                        ValidationError(model_field.error_messages["blank"])
                    )
                continue
            try:
                values = field.clean(row)
            except ValueError as error:
                errors.setdefault(column, []).append(ValidationError(str(error)))
                continue
            if not values and not model_field.blank:
                errors.setdefault(column, []).append(
                    ValidationError(model_field.error_messages["blank"])
                )
            stored = set() if instance.pk is None else set(field.get_value(instance).all())
            if instance.pk is not None and set(values) != stored:
                self._changed.append(column)
            self._list_values[field.attribute] = values

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An entry the file leaves as it is (import_instance() found no changed column)
        is not saved again."""
        return instance.pk is not None and not import_validation_errors and not self._changed

    def save_m2m(self, instance, row, **kwargs):
        """Noted for ListWriter, which writes every row's lists at the end of the import."""
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        for attribute, values in self._list_values.items():
            self._lists.note(instance, attribute, values)

    def check_row(self, instance, row, errors, **kwargs):
        """Rules of a kind of entry beyond its model's validation."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Django's full_clean(), without its two queries per row that the import already
        answered for the whole file: whether a related entry exists (the widgets found
        every related entry by its slug, or it is the stored one) and whether the slug is
        taken (before_import() read the owners of the file's slugs). The uuid of a new
        entry is a fresh uuid4, and a file cannot change a stored one. Constraints that
        check_row() checks are left to it (constraints_checked_in_rows)."""
        errors = dict(import_validation_errors or {})
        found = {
            field.name
            for field in instance._meta.concrete_fields
            if field.many_to_one and getattr(instance, field.attname) is not None
        }
        owner = self._slug_owners.get(instance.slug)
        if owner is not None and owner != instance.pk and "slug" not in errors:
            errors["slug"] = [instance.unique_error_message(type(instance), ("slug",))]
        try:
            instance.full_clean(
                exclude=set(errors) | found, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if validate_unique:
            try:
                instance.validate_unique(exclude=set(errors) | {"slug", "uuid"})
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        try:
            self.validate_constraints(instance, exclude=set(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(self.describe(ValidationError(errors).message_dict))

    # Names of the model's constraints that check_row() checks in Python, with a message
    # naming the columns. Django validates a check constraint with a query built from
    # every field of the entry (about 2 ms a row for an offer's 85 columns); the
    # database still enforces it on the write.
    constraints_checked_in_rows = ()

    def validate_constraints(self, instance, exclude):
        """Model.validate_constraints() without those of constraints_checked_in_rows."""
        errors = {}
        for model, constraints in instance.get_constraints():
            for constraint in constraints:
                if constraint.name in self.constraints_checked_in_rows:
                    continue
                try:
                    constraint.validate(model, instance, exclude=exclude)
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def describe(self, message_dict):
        """Every message with the column and the value it is about."""
        described = {}
        for column, messages in message_dict.items():
            value = self._row.get(column) if column != NON_FIELD_ERRORS else None
            if column == NON_FIELD_ERRORS:
                described[column] = messages
            elif is_empty(value):
                # The column by its header name (to find it in the file) and in words.
                described[column] = [
                    _('Column "%(column)s" – %(words)s: %(message)s')
                    % {"column": column, "words": self.column_words(column), "message": message}
                    for message in messages
                ]
            else:
                described[column] = [
                    _('Column "%(column)s" – %(words)s, value "%(value)s": %(message)s')
                    % {
                        "column": column,
                        "words": self.column_words(column),
                        "value": value,
                        "message": message,
                    }
                    for message in messages
                ]
        return described

    def after_import_row(self, row, row_result, **kwargs):
        # For the preview: the line in the spreadsheet and what an update changes.
        row_result.line = kwargs.get("row_number", 0) + 1
        row_result.changed_columns = list(getattr(self, "_changed", []))
        # Only an update lists them (for a new entry every column is "changed").
        row_result.changed_column_words = (
            [self.column_words(column) for column in row_result.changed_columns]
            if row_result.import_type == row_result.IMPORT_TYPE_UPDATE
            else []
        )


def field_value(resource, column, instance):
    value = resource.fields[column].get_value(instance)
    if isinstance(value, models.Model):
        return value.pk
    return value
