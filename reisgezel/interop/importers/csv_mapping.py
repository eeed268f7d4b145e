"""The mapping file of a CSV import: which column fills which record field.

A mapping is TOML or JSON (see docs/heritage-import.md for a full example):

    source = "centre-ceramique"        # the source name, unless the job names one
    collection = "ceramics"            # collection code for every row (or a column)
    separator = ";"                    # between values in list fields (materials, ...)
    [fields]                           # record field = column name
    source_id = "objectnummer"         # required: identifies a row across imports
    inventory_number = "objectnummer"
    "title.nl" = "titel"
    ...
    [defaults]                         # record field = value when the column is empty
    rights = "cc-by"

`parse_mapping` checks the whole file before any row is read, so a typo in a field
name stops the job with one clear message instead of failing every record. Its
messages are translatable: the admin's upload form shows them in the curator's
language; what a job stores and the command prints stays English, as every other
message of an import does.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reisgezel.heritage.models import DimensionKind, DimensionUnit, InscriptionKind
from reisgezel.heritage.records import SpecimenRecord
from reisgezel.interop.importers.base import ImportFileError

LANGUAGE_FIELDS = ("title", "description", "provenance", "credit_line")
LIST_FIELDS = ("materials", "techniques", "subjects")
MAKER_PARTS = ("name", "role", "kind", "wikidata", "rkd", "uri", "dates", "attribution")
SPECIMEN_FIELDS = tuple(SpecimenRecord.__dataclass_fields__)
SCALAR_FIELDS = (
    "source_id",
    "inventory_number",
    "pid",
    "collection",
    "object_type",
    "object_type.uri",
    "date",
    "date.language",
    "date_earliest",
    "date_latest",
    "production_place",
    "production_place_uri",
    "dimensions_display",
    "rights",
)
_TARGET = re.compile(
    r"^(?:"
    rf"(?:{'|'.join(LANGUAGE_FIELDS)})\.[a-z]{{2,3}}"
    rf"|(?:{'|'.join(LIST_FIELDS)})(?:\.uri)?"
    rf"|maker\.[1-9][0-9]?\.(?:{'|'.join(MAKER_PARTS)})"
    rf"|dimensions\.(?:{'|'.join(DimensionKind.values)})\.(?:{'|'.join(DimensionUnit.values)})"
    rf"|inscriptions\.(?:{'|'.join(InscriptionKind.values)})(?:\.position)?"
    rf"|specimen\.(?:{'|'.join(SPECIMEN_FIELDS)})"
    rf"|{'|'.join(re.escape(f) for f in SCALAR_FIELDS)}"
    r")$"
)


@dataclass(frozen=True)
class Mistake:
    """One thing wrong with a mapping: a translatable message and its values, put
    together in the language active when it is read."""

    message: Promise
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.message) % self.values if self.values else str(self.message)


class MappingError(ImportFileError):
    """A mapping that cannot be used. str() is English (a job stores it, the command
    prints it); `message()` is in the active language (the admin's form shows it)."""

    def __init__(self, *mistakes: Mistake, listed: bool = False) -> None:
        self.mistakes = mistakes
        self.listed = listed  # several mistakes, introduced as such
        with translation.override("en"):
            super().__init__(self.message())

    def message(self) -> str:
        text = "; ".join(str(mistake) for mistake in self.mistakes)
        if not self.listed:
            return text
        return str(_("the mapping is not usable: %(mistakes)s")) % {"mistakes": text}


@dataclass(frozen=True)
class CsvMapping:
    fields: dict[str, str]
    """Record field -> column name."""
    defaults: dict[str, str]
    source: str = ""
    collection: str = ""
    separator: str = ";"
    delimiter: str = ","
    encoding: str = "utf-8-sig"

    def columns(self) -> set[str]:
        return set(self.fields.values())


def load_mapping_file(path: Path) -> dict[str, Any]:
    """Read a .toml or .json mapping file into a plain dict (what a job stores)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(
            Mistake(
                _("the mapping file %(name)s cannot be read: %(error)s"),
                {"name": path.name, "error": exc},
            )
        ) from exc
    return load_mapping_text(text, name=path.name)


def load_mapping_text(text: str, *, name: str) -> dict[str, Any]:
    """A mapping from its text: JSON when `name` ends in .json, else TOML."""
    try:
        data = json.loads(text) if name.lower().endswith(".json") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(
            Mistake(
                _("the mapping file %(name)s is not valid: %(error)s"),
                {"name": name, "error": exc},
            )
        ) from exc
    if not isinstance(data, dict):
        raise MappingError(
            Mistake(_("the mapping file %(name)s must hold a table of settings"), {"name": name})
        )
    return data


def parse_mapping(data: dict[str, Any]) -> CsvMapping:
    """Check a mapping; raises MappingError naming every mistake at once."""
    errors: list[Mistake] = []
    unknown_keys = set(data) - {
        "source",
        "collection",
        "separator",
        "delimiter",
        "encoding",
        "fields",
        "defaults",
    }
    if unknown_keys:
        errors.append(
            Mistake(_("unknown settings: %(names)s"), {"names": ", ".join(sorted(unknown_keys))})
        )
    fields = data.get("fields")
    defaults = data.get("defaults", {})
    if not isinstance(fields, dict) or not fields:
        errors.append(Mistake(_("a [fields] table (record field = column name) is required")))
        fields = {}
    if not isinstance(defaults, dict):
        errors.append(Mistake(_("[defaults] must be a table (record field = value)")))
        defaults = {}
    for table, entries in (("fields", fields), ("defaults", defaults)):
        for target, value in entries.items():
            where = {"table": table, "target": target}
            if not _TARGET.match(target):
                errors.append(Mistake(_("[%(table)s] %(target)r is not a record field"), where))
            if not isinstance(value, str) or (table == "fields" and not value.strip()):
                errors.append(Mistake(_("[%(table)s] %(target)r must be a text"), where))
    if "source_id" not in fields:
        errors.append(
            Mistake(_("[fields] source_id is required: the column that identifies a row"))
        )
    if not any(k.startswith("title.") for k in (*fields, *defaults)):
        errors.append(Mistake(_('[fields] needs a title column, e.g. "title.nl" = "titel"')))
    settings = {k: data.get(k, "") for k in ("source", "collection")}
    for name in ("separator", "delimiter", "encoding"):
        if name in data and (not isinstance(data[name], str) or not data[name]):
            errors.append(Mistake(_("%(name)s must be a text"), {"name": name}))
    delimiter = str(data.get("delimiter", ","))
    if len(delimiter) != 1:
        errors.append(Mistake(_("delimiter must be one character")))
    elif delimiter in '"\r\n' or delimiter == str(data.get("separator", ";")):
        errors.append(
            Mistake(
                _("delimiter cannot be a quote, a line break or the separator of repeated values")
            )
        )
    if errors:
        raise MappingError(*errors, listed=True)
    return CsvMapping(
        fields={k: v.strip() for k, v in fields.items()},
        defaults={k: str(v) for k, v in defaults.items()},
        source=str(settings["source"]),
        collection=str(settings["collection"]),
        separator=str(data.get("separator", ";")),
        delimiter=str(data.get("delimiter", ",")),
        encoding=str(data.get("encoding", "utf-8-sig")),
    )
