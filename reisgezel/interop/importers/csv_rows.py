"""CSV files read with a mapping (csv_mapping.py): one row -> one ObjectRecord.

The file is read by the csv module one row at a time (flat memory). Problems name the
column the value came from, or the record field when the value was a default.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from reisgezel.heritage.dates import parse_fuzzy_date
from reisgezel.heritage.models import AgentKind, ConceptScheme, MakerRole
from reisgezel.heritage.records import (
    WARNING,
    AgentRecord,
    ConceptRecord,
    DimensionRecord,
    InscriptionRecord,
    MakerRecord,
    ObjectRecord,
    Problem,
    SpecimenRecord,
    language_code,
    not_wikidata,
    unknown_rights,
)
from reisgezel.heritage.rights import DEFAULT_RIGHTS, canonical_rights_uri
from reisgezel.interop.importers.base import (
    ImportFileError,
    ParsedRecord,
    RecordReader,
    clean_text,
    count_lines,
    no_rights_stated,
    not_a_number,
    title_stands_in,
    unreadable_after,
)
from reisgezel.interop.importers.csv_mapping import LIST_FIELDS, CsvMapping, parse_mapping
from reisgezel.interop.importers.dwca_map import BASIS
from reisgezel.interop.importers.lido_terms import role_of

SCHEMES = {
    "materials": ConceptScheme.MATERIAL,
    "techniques": ConceptScheme.TECHNIQUE,
    "subjects": ConceptScheme.SUBJECT,
}
ORGANISATION_WORDS = frozenset(
    {"organisation", "organization", "organisatie", "firm", "firma", "bedrijf"}
)
TRUE_WORDS = frozenset({"1", "true", "yes", "ja", "waar", "y", "j"})
_LIFE = re.compile(r"(\d{3,4})\s*[-\u2013]\s*(\d{3,4})")
_WIKIDATA = re.compile(r"(Q[0-9]+)$")
# Record fields named in object_upsert's problems -> the mapping target they came from.
RECORD_TO_TARGET = {
    "title": "title.nl",
    "credit_line": "credit_line.nl",
    "rights_uri": "rights",
    "date_display": "date",
    "date_display_language": "date.language",
    "date": "date",
    "material": "materials",
    "technique": "techniques",
    "subject": "subjects",
}


class _Row:
    def __init__(self, values: dict[str, str], mapping: CsvMapping) -> None:
        self.values = values
        self.mapping = mapping
        self.problems: list[Problem] = []

    def get(self, target: str) -> str:
        return self.values.get(target, "")

    def column(self, target: str) -> str:
        return self.mapping.fields.get(target, target)

    def error(self, target: str, message: str) -> None:
        self.problems.append(Problem(self.column(target), message))

    def decimal(self, target: str) -> Decimal | None:
        text = self.get(target)
        if not text:
            return None
        try:
            value = Decimal(text.replace(",", ".").replace(" ", ""))
            if value.is_finite():
                return value
        except InvalidOperation:
            pass
        self.error(target, not_a_number(text))
        return None

    def integer(self, target: str) -> int | None:
        value = self.decimal(target)
        if value is not None and value != value.to_integral_value():
            self.error(target, _("%(text)r is not a whole number") % {"text": self.get(target)})
            return None
        return int(value) if value is not None else None

    def language_map(self, field: str) -> dict[str, str]:
        prefix = f"{field}."
        return {
            k.removeprefix(prefix): v for k, v in self.values.items() if k.startswith(prefix) and v
        }


def map_row(row: _Row, *, collection: str, publish: bool) -> ObjectRecord | None:
    source_id = row.get("source_id")
    if not source_id:
        row.error("source_id", _("empty: every row needs an identifier"))
    rights_text = row.get("rights")
    rights = DEFAULT_RIGHTS
    if not rights_text:
        row.problems.append(
            Problem(
                row.column("rights"),
                no_rights_stated(),
                WARNING,
                "rights-missing",
            )
        )
    else:
        try:
            rights = canonical_rights_uri(rights_text)
        except ValueError:
            row.error("rights", unknown_rights(rights_text))
    display = row.get("date")
    display_language = _date_language(row) if display else ""
    earliest, latest = parse_fuzzy_date(display) if display else (None, None)
    earliest = row.integer("date_earliest") if row.get("date_earliest") else earliest
    latest = row.integer("date_latest") if row.get("date_latest") else latest
    object_type = None
    if row.get("object_type") or row.get("object_type.uri"):
        label = {"nl": row.get("object_type")} if row.get("object_type") else {}
        object_type = ConceptRecord(ConceptScheme.OBJECT_TYPE, label, row.get("object_type.uri"))
    lists = {name: _concepts(row, name) for name in LIST_FIELDS}
    title = row.language_map("title")
    if title and not title.get("nl"):
        lang = "en" if "en" in title else next(iter(title))
        title["nl"] = title[lang]
        row.problems.append(
            Problem(
                row.column(f"title.{lang}"),
                title_stands_in(lang),
                WARNING,
                "title-not-dutch",
            )
        )
    record = ObjectRecord(
        source_id=source_id,
        collection=row.get("collection") or collection,
        inventory_number=row.get("inventory_number") or source_id,
        title=title,
        pid=row.get("pid"),
        description=row.language_map("description"),
        object_type=object_type,
        materials=lists["materials"],
        techniques=lists["techniques"],
        subjects=lists["subjects"],
        makers=_makers(row),
        date_display=display,
        date_display_language=display_language,
        date_earliest=earliest,
        date_latest=latest,
        production_place=row.get("production_place"),
        production_place_uri=row.get("production_place_uri"),
        dimensions=_dimensions(row),
        dimensions_display=row.get("dimensions_display"),
        inscriptions=_inscriptions(row),
        provenance=row.language_map("provenance"),
        credit_line=row.language_map("credit_line"),
        rights_uri=rights,
        specimen=_specimen(row),
        publish=publish,
    )
    return None if any(p.severity != WARNING for p in row.problems) else record


def _date_language(row: _Row) -> str:
    """The language of the date text: a column, or the import's in [defaults]; "" when
    the mapping does not say (a CSV file has no language of its own)."""
    tag = row.get("date.language")
    code = language_code(tag)
    if tag and not code:
        row.problems.append(
            Problem(
                row.column("date.language"),
                _("%(tag)r is not a language code: the date's language is left unknown")
                % {"tag": tag},
                WARNING,
                "date-language-unknown",
            )
        )
    return code


def _concepts(row: _Row, name: str) -> tuple[ConceptRecord, ...]:
    sep = row.mapping.separator
    labels = [v.strip() for v in row.get(name).split(sep) if v.strip()]
    uris = [v.strip() for v in row.get(f"{name}.uri").split(sep) if v.strip()]
    if uris and labels and len(uris) != len(labels):
        row.error(
            f"{name}.uri",
            _("%(uris)s URIs for %(terms)s terms") % {"uris": len(uris), "terms": len(labels)},
        )
        return ()
    count = max(len(labels), len(uris))
    return tuple(
        ConceptRecord(
            SCHEMES[name],
            {"nl": labels[i]} if i < len(labels) else {},
            uris[i] if i < len(uris) else "",
        )
        for i in range(count)
    )


def _makers(row: _Row) -> tuple[MakerRecord, ...]:
    numbers = sorted({int(k.split(".")[1]) for k in row.values if k.startswith("maker.")})
    makers = []
    for n in numbers:
        part = {
            p: row.get(f"maker.{n}.{p}")
            for p in ("name", "role", "kind", "wikidata", "rkd", "uri", "dates", "attribution")
        }
        if not part["name"]:
            continue
        role_text = part["role"].lower()
        role = (
            role_text
            if role_text in MakerRole.values
            else role_of([role_text])
            if role_text
            else MakerRole.MAKER
        )
        if role is None:
            row.error(f"maker.{n}.role", _("unknown role %(role)r") % {"role": part["role"]})
            continue
        wikidata = _WIKIDATA.search(part["wikidata"])
        if part["wikidata"] and not wikidata:
            row.error(f"maker.{n}.wikidata", not_wikidata(part["wikidata"]))
        life = _LIFE.search(part["dates"])
        agent = AgentRecord(
            name=part["name"],
            kind=AgentKind.ORGANISATION
            if part["kind"].lower() in ORGANISATION_WORDS
            else AgentKind.PERSON,
            wikidata_id=wikidata.group(1) if wikidata else "",
            rkd_id=part["rkd"].rstrip("/").rsplit("/", 1)[-1],
            uri=part["uri"],
            dates_display=part["dates"],
            birth_year=int(life.group(1)) if life else None,
            death_year=int(life.group(2)) if life else None,
        )
        makers.append(MakerRecord(agent=agent, role=role, attribution=part["attribution"]))
    return tuple(makers)


def _dimensions(row: _Row) -> tuple[DimensionRecord, ...]:
    found = []
    for target in row.values:
        if target.startswith("dimensions.") and target.count(".") == 2:
            _prefix, kind, unit = target.split(".")
            value = row.decimal(target)
            if value is not None:
                found.append(DimensionRecord(kind=kind, value=value, unit=unit))
    return tuple(found)


def _inscriptions(row: _Row) -> tuple[InscriptionRecord, ...]:
    found = []
    for target, text in row.values.items():
        if target.startswith("inscriptions.") and target.count(".") == 1 and text:
            kind = target.split(".")[1]
            found.append(
                InscriptionRecord(
                    kind=kind, transcription=text, position=row.get(f"{target}.position")
                )
            )
    return tuple(found)


def _specimen(row: _Row) -> SpecimenRecord | None:
    values = {
        k.removeprefix("specimen."): v
        for k, v in row.values.items()
        if k.startswith("specimen.") and v
    }
    if not values:
        return None
    numbers: dict[str, Any] = {
        "latitude": row.decimal("specimen.latitude"),
        "longitude": row.decimal("specimen.longitude"),
        "coordinate_uncertainty_m": row.integer("specimen.coordinate_uncertainty_m"),
        "individual_count": row.integer("specimen.individual_count"),
        "locality_is_sensitive": values.get("locality_is_sensitive", "").lower() in TRUE_WORDS,
    }
    basis_text = values.get("basis_of_record", "")
    values["basis_of_record"] = BASIS.get(basis_text.replace("_", "").lower(), basis_text)
    values["country_code"] = values.get("country_code", "").upper()
    return SpecimenRecord(**{**values, **numbers})


class CsvReader(RecordReader):
    """A CSV file and its mapping; records are numbered by data row (blank lines skipped)
    and named with the line of the file where they start."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mapping = parse_mapping(self.options.mapping)
        self.identifier_label = self.mapping.fields["source_id"]
        fields = self.mapping.fields
        aliases = dict(RECORD_TO_TARGET)
        for group, prefix in (
            ("makers", "maker."),
            ("dimensions", "dimensions."),
            ("inscriptions", "inscriptions."),
        ):
            aliases[group] = next((t for t in sorted(fields) if t.startswith(prefix)), group)
        self.field_names = {
            **fields,
            **{r: fields.get(t, t) for r, t in aliases.items()},
        }
        self._handle: IO[str] | None = None
        self._header: list[str] = []
        self._header_lines = 1
        # How the report names a record (asked once, not per record).
        self._label_format = _("%(record)s, line %(line)s")

    def open(self) -> None:
        try:
            self._handle = self.path.open(encoding=self.mapping.encoding, newline="")
            header = csv.reader(self._handle, delimiter=self.mapping.delimiter)
            self._header = [h.strip() for h in next(header, [])]
            self._header_lines = header.line_num
        except (OSError, UnicodeDecodeError, csv.Error, LookupError) as exc:
            raise ImportFileError(
                _("%(file)s cannot be read as CSV: %(error)s")
                % {"file": self.path.name, "error": exc}
            ) from exc
        missing = sorted(self.mapping.columns() - set(self._header))
        if missing:
            raise ImportFileError(
                _("%(file)s lacks the mapped columns: %(columns)s")
                % {"file": self.path.name, "columns": ", ".join(missing)}
            )
        if len(set(self._header)) != len(self._header):
            raise ImportFileError(
                _("%(file)s has two columns with the same name") % {"file": self.path.name}
            )

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def total_estimate(self) -> int | None:
        return max(0, count_lines(self.path) - 1)

    def records(self, *, skip: int = 0) -> Iterator[ParsedRecord]:
        assert self._handle is not None, "open the reader first"
        reader = csv.reader(self._handle, delimiter=self.mapping.delimiter)
        index = {name: i for i, name in enumerate(self._header)}
        columns = {target: index[column] for target, column in self.mapping.fields.items()}
        collection = self.options.collection or self.mapping.collection
        number = 0
        try:
            # A quoted cell may hold line breaks, so a record can span lines: the report
            # names the line it starts on. line_num counts the lines this reader has
            # read, after the header's, which another reader took.
            next_line = self._header_lines + 1
            for cells in reader:
                line, next_line = next_line, self._header_lines + reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                number += 1
                if number <= skip:
                    continue
                yield self._parse(number, line, cells, columns, collection)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ImportFileError(unreadable_after(self.path.name, number, exc)) from exc

    def _parse(
        self, number: int, line: int, cells: list[str], columns: dict[str, int], collection: str
    ) -> ParsedRecord:
        # As in every import: trimmed, runs of blanks and newlines made one, NUL dropped.
        values = {t: clean_text(cells[i]) if i < len(cells) else "" for t, i in columns.items()}
        for target, value in self.mapping.defaults.items():
            if not values.get(target):
                values[target] = value
        row = _Row(values, self.mapping)
        if len(cells) != len(self._header):
            row.error(
                "source_id",
                _("line %(line)s has %(cells)s cells, the header %(header)s")
                % {"line": line, "cells": len(cells), "header": len(self._header)},
            )
            return ParsedRecord(number, self._label(values, line), None, row.problems)
        record = map_row(row, collection=collection, publish=self.options.publish)
        return ParsedRecord(number, self._label(values, line), record, row.problems)

    def _label(self, values: dict[str, str], line: int) -> str:
        return self._label_format % {
            "record": f"{self.identifier_label} {values.get('source_id', '')}",
            "line": line,
        }
