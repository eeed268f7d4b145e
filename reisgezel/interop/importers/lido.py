"""LIDO 1.1 files: a lido:lidoWrap with many records, or a single lido:lido.

Streaming: lxml's iterparse hands over each lido:lido element when it ends; once it is
mapped, the element is cleared and removed from its parent (with any earlier
siblings), so the tree never holds more than one record and memory stays flat
whatever the file size.

Entities: those a file declares with their text in its own DOCTYPE (`<!ENTITY maker
"Petrus Regout">`) are expanded by the parser, so `&maker;` reads the same in a title,
an actor's name or a date, whichever helper reads the field. External ones (a file, an
address) are never read and the network is never used: a file that uses one, or an
entity it does not declare, is refused with a message naming it. libxml2's limits on
entity expansion stay on (no `huge_tree`): a "billion laughs" file fails at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from reisgezel.heritage.records import Problem
from reisgezel.interop.importers.base import (
    ImportFileError,
    JobOptions,
    ParsedRecord,
    RecordReader,
    count_matches,
)
from reisgezel.interop.importers.lido_map import map_lido
from reisgezel.interop.importers.lido_terms import LIDO_TAG, Element
from reisgezel.interop.importers.xsd import load_schema

# A record's start tag with any prefix (lido:lido, or lido in a default namespace).
_RECORD_START = rb"<(?:[A-Za-z_][\w.-]*:)?lido[\s>]"
MAX_SCHEMA_ERRORS = 3


SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
"""The LIDO XSD and the schemas it imports, shipped with the platform (see its README)."""


def lido_schema_paths() -> tuple[Path, Path]:
    """The LIDO XSD and the XML catalog for its imports (settings may move them)."""
    options = getattr(settings, "HERITAGE_IMPORT", {})
    schema = Path(options.get("LIDO_XSD", SCHEMAS / "lido" / "lido-v1.1.xsd"))
    catalog = Path(options.get("XML_CATALOG", SCHEMAS / "catalog.xml"))
    return schema, catalog


def release(element: Element) -> None:
    """Free a handled record: its content, and its place in the parent's child list."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        # The element itself goes with the next record (the parser may still hold it).
        while element.getprevious() is not None:
            del parent[0]


# libxml2's words for an entity without text in the file: undeclared, or declared as
# external, which the reader does not resolve.
_UNDEFINED_ENTITY = re.compile(r"Entity '([^']+)' not defined")


def _syntax_error(name: str, number: int, exc: etree.XMLSyntaxError) -> str:
    if found := _UNDEFINED_ENTITY.search(str(exc)):
        return _(
            "%(file)s uses the entity %(entity)r after record %(number)s without declaring "
            "its text in the file's DOCTYPE: imports expand only such internal entities, "
            "never external ones (a file or an address)"
        ) % {"file": name, "entity": found.group(1), "number": number}
    return _("%(file)s is not well-formed XML after record %(number)s: %(error)s") % {
        "file": name,
        "number": number,
        "error": exc,
    }


class LidoReader(RecordReader):
    identifier_label = "lido:lidoRecID"
    field_names = {
        "source_id": "lidoRecID",
        "inventory_number": "repositoryWrap workID",
        "title": "titleWrap",
        "description": "objectDescriptionWrap",
        "object_type": "objectWorkType",
        "material": "termMaterialsTech",
        "technique": "termMaterialsTech",
        "subject": "subjectConcept",
        "makers": "eventActor",
        "date": "eventDate",
        "date_earliest": "eventDate earliestDate",
        "date_latest": "eventDate latestDate",
        "date_display": "eventDate displayDate",
        "production_place": "eventPlace",
        "production_place_uri": "eventPlace placeID",
        "dimensions": "objectMeasurements",
        "dimensions_display": "objectMeasurements",
        "inscriptions": "inscriptions",
        "credit_line": "creditLine",
        "rights_uri": "rights",
        "pid": "objectPublishedID",
    }

    def __init__(self, path: Path, options: JobOptions) -> None:
        super().__init__(path, options)
        self._handle: IO[bytes] | None = None
        self._schema: etree.XMLSchema | None = None

    def open(self) -> None:
        if not self.path.is_file():
            raise ImportFileError(_("%(file)s: not a file") % {"file": self.path.name})
        if self.options.validate_schema:
            self._schema = load_schema(*lido_schema_paths())
        self._handle = self.path.open("rb")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def total_estimate(self) -> int | None:
        return count_matches(self.path, _RECORD_START)

    def records(self, *, skip: int = 0) -> Iterator[ParsedRecord]:
        assert self._handle is not None, "open the reader first"
        events = etree.iterparse(
            self._handle,
            events=("end",),
            tag=LIDO_TAG,
            # Not False: unresolved entities stay nodes beside the text, which some
            # readings of a field include (XPath's string value) and others drop
            # (`.text`). "internal" leaves no such node; an external one is an error.
            resolve_entities="internal",
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
        )
        number = 0
        try:
            for _event, element in events:
                number += 1
                if number > skip:
                    yield self._parse(number, element)
                release(element)
        except etree.XMLSyntaxError as exc:
            raise ImportFileError(_syntax_error(self.path.name, number, exc)) from exc
        if number == 0:
            raise ImportFileError(
                _("%(file)s holds no lido:lido records: is it LIDO 1.1?") % {"file": self.path.name}
            )

    def _parse(self, number: int, element: Element) -> ParsedRecord:
        problems: list[Problem] = []
        if self._schema is not None and not self._schema.validate(element):
            for error in list(self._schema.error_log)[:MAX_SCHEMA_ERRORS]:
                where = _("line %(line)s") % {"line": error.line}
                problems.append(Problem("schema", f"{where}: {error.message}"))
        rec_id, record, mapped = map_lido(
            element, collection=self.options.collection, publish=self.options.publish
        )
        return ParsedRecord(number, self.identify(rec_id), record, problems + mapped)
