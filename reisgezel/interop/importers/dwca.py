"""Darwin Core Archives (zip, tgz or an unpacked folder) with an Occurrence core.

Reading goes through python-dwca-reader. Its core iteration is a single forward pass
(csv.reader over the data file, one row object at a time), so the core is streamed;
an archive is unpacked to a temporary folder on disk, never into memory. What would
not be flat is `CoreRow.extensions`: it builds an index of every extension row in
memory. So extensions are not read per core row: the multimedia extension is read
in its own forward pass after the core (`closing_items`): links are reported, images
inside the archive are attached to their objects.
"""

from __future__ import annotations

import csv
import re
import tarfile
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from dwca.exceptions import InvalidArchive, InvalidSimpleArchive
from dwca.read import DwCAReader

from reisgezel.heritage.models import Collection, CollectionKind
from reisgezel.heritage.records import WARNING, Problem, unknown_rights
from reisgezel.heritage.rights import DEFAULT_RIGHTS
from reisgezel.interop.importers.base import (
    FileProblem,
    ImportFileError,
    LocalMedia,
    ParsedRecord,
    RecordReader,
    count_lines,
    unreadable_after,
)
from reisgezel.interop.importers.dwca_map import FIELD_NAMES, RowMapping, licence, map_occurrence

OCCURRENCE = "http://rs.tdwg.org/dwc/terms/Occurrence"
MULTIMEDIA = (
    "http://rs.gbif.org/terms/1.0/Multimedia",
    "http://rs.gbif.org/terms/1.0/Image",
    "http://rs.tdwg.org/ac/terms/Multimedia",
)
MEDIA_TERMS = ("identifier", "accessuri")
_LICENCE_URL = re.compile(r"https?://(?:creativecommons|rightsstatements)\.org/[\w./-]+")


def short_term(term: str) -> str:
    """'http://rs.tdwg.org/dwc/terms/decimalLatitude' and 'decimallatitude' -> the same key."""
    # A byte order mark before the first column's name (files saved by spreadsheets)
    # would otherwise hide it: its occurrenceID lost, the record named by its row.
    return re.split(r"[/:#]", term.lstrip("\ufeff"))[-1].lower()


class _ShortTerms(dict[str, str]):
    """short_term() remembered per term (it is asked for every value of every row)."""

    def __missing__(self, term: str) -> str:
        self[term] = short = short_term(term)
        return short


def eml_licence(eml: ET.Element | None) -> str:
    """The licence URL stated in an EML document (intellectualRights / licensed), or ""."""
    if eml is None:
        return ""
    for element in eml.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in ("intellectualRights", "licensed"):
            text = " ".join(
                [*(e.get("url", "") for e in element.iter()), *(t for t in element.itertext())]
            )
            if found := _LICENCE_URL.search(text):
                return found.group(0)
    return ""


# What an archive may unpack to (HERITAGE_IMPORT["UNPACKED_MAX_BYTES"]): a million
# occurrences with their extensions are a few GB.
UNPACKED_MAX_BYTES = 20 * 2**30


def _check_unpacked(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise ImportFileError(
            _(
                "%(file)s would unpack to %(size).1f GB, more than the %(limit).1f GB allowed "
                "(HERITAGE_IMPORT_UNPACKED_MAX_BYTES)"
            )
            % {"file": name, "size": size / 2**30, "limit": limit / 2**30}
        )


class DwcaReader(RecordReader):
    identifier_label = "occurrenceID"
    field_names = FIELD_NAMES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._archive: DwCAReader | None = None
        self._unpacked: tempfile.TemporaryDirectory[str] | None = None
        self._collection = self.options.collection
        self._licences: dict[str, str] = {}
        self._done = 0

    def open(self) -> None:
        name = self.path.name
        try:
            self._archive = DwCAReader(self._checked_source())
        except (InvalidArchive, InvalidSimpleArchive) as exc:
            raise ImportFileError(
                _("%(file)s is not a valid Darwin Core Archive: %(error)s")
                % {"file": name, "error": exc}
            ) from exc
        except (zipfile.BadZipFile, ET.ParseError, UnicodeDecodeError, IndexError, KeyError) as exc:
            raise ImportFileError(
                _("%(file)s cannot be read as a Darwin Core Archive: %(error)s")
                % {"file": name, "error": exc}
            ) from exc
        except OSError as exc:
            raise ImportFileError(
                _("%(file)s cannot be opened: %(error)s")
                % {"file": name, "error": exc.strerror or exc}
            ) from exc
        core = self._archive.core_file.file_descriptor
        if core.type not in (None, OCCURRENCE):
            self.close()
            raise ImportFileError(
                _("%(file)s has a %(core)s core: only Occurrence archives hold specimens to import")
                % {"file": name, "core": short_term(core.type)}
            )
        if core.type is None and "scientificname" not in {short_term(t) for t in core.terms}:
            self.close()
            raise ImportFileError(
                _("%(file)s: its data file has no scientificName column") % {"file": name}
            )
        self._collection = self._collection or self._default_collection()

    def _default_collection(self) -> str:
        code = (
            Collection.objects.filter(kind=CollectionKind.NATURAL_HISTORY)
            .values_list("code", flat=True)
            .first()
        )
        if code is None:
            raise ImportFileError(
                _(
                    "There is no natural-history collection to import specimens into: create "
                    "one or choose a collection."
                )
            )
        return code

    def _checked_source(self) -> str:
        """The archive for python-dwca-reader, after the checks it does not make: what it
        unpacks must fit UNPACKED_MAX_BYTES (a zip bomb fills the disk), and a tar's
        members must stay inside their folder. The library unpacks a tar without a
        filter, so a member named ../x would be written anywhere: we unpack tars
        ourselves, with tarfile's "data" filter, and give it the folder."""
        limit = int(settings.HERITAGE_IMPORT.get("UNPACKED_MAX_BYTES", UNPACKED_MAX_BYTES))
        name = self.path.name
        if self.path.is_file() and zipfile.is_zipfile(self.path):
            with zipfile.ZipFile(self.path) as archive:
                _check_unpacked(name, sum(item.file_size for item in archive.infolist()), limit)
            return str(self.path)
        if not (self.path.is_file() and tarfile.is_tarfile(self.path)):
            return str(self.path)
        folder = tempfile.TemporaryDirectory(prefix="reisgezel-dwca-")
        self._unpacked = folder
        try:
            with tarfile.open(self.path) as archive:
                members = archive.getmembers()
                _check_unpacked(name, sum(member.size for member in members), limit)
                archive.extractall(folder.name, filter="data")
        except BaseException as exc:
            folder.cleanup()
            self._unpacked = None
            if isinstance(exc, tarfile.FilterError):
                raise ImportFileError(
                    _("%(file)s holds a file outside the archive: %(error)s")
                    % {"file": name, "error": exc}
                ) from exc
            if isinstance(exc, tarfile.TarError | EOFError | OSError):
                raise ImportFileError(
                    _("%(file)s cannot be unpacked: %(error)s") % {"file": name, "error": exc}
                ) from exc
            raise
        return folder.name

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
        if self._unpacked is not None:
            self._unpacked.cleanup()
            self._unpacked = None

    def total_estimate(self) -> int | None:
        assert self._archive is not None
        core = self._archive.core_file.file_descriptor
        path = Path(self._archive.absolute_temporary_path(core.file_location))
        return max(0, count_lines(path) - core.lines_to_ignore)

    def records(self, *, skip: int = 0) -> Iterator[ParsedRecord]:
        assert self._archive is not None, "open the reader first"
        keys = _ShortTerms()
        rows = enumerate(self._archive, start=1)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                return
            except (InvalidArchive, csv.Error, UnicodeDecodeError, IndexError) as exc:
                raise ImportFileError(unreadable_after(self.path.name, self._done, exc)) from exc
            self._done = number
            if number <= skip:
                continue
            values = {keys[term]: value for term, value in row.data.items()}
            yield self._parse(number, row.id or "", values, row.source_metadata)

    def _parse(
        self, number: int, row_id: str, values: dict[str, str], dataset: ET.Element | None
    ) -> ParsedRecord:
        m = RowMapping(values)
        label, value = self._identify(m, row_id, number)
        rights_uri = self._rights(m, values.get("datasetid", ""), dataset)
        record = map_occurrence(
            m,
            source_id=value,
            collection=self._collection,
            rights_uri=rights_uri,
            publish=self.options.publish,
        )
        return ParsedRecord(number, f"{label} {value}", record, m.problems)

    def _identify(self, m: RowMapping, row_id: str, number: int) -> tuple[str, str]:
        if occurrence := m.get("occurrenceID"):
            return "occurrenceID", occurrence
        if catalogue := m.get("catalogNumber"):
            parts = [m.get("institutionCode"), m.get("collectionCode"), catalogue]
            return "catalogNumber", ":".join(p for p in parts if p)
        if row_id.strip():
            m.warn(
                "occurrenceID",
                _(
                    "no occurrenceID or catalogNumber: the archive's own row id identifies the "
                    "record, which is unique only within this archive (give each archive its "
                    "own source name)"
                ),
                "id-only",
            )
            return "id", row_id.strip()
        m.warn(
            "occurrenceID",
            _(
                "no occurrenceID, catalogNumber or id: the row number identifies the record, "
                "so the same file re-imports cleanly but a re-ordered one would not"
            ),
            "no-identifier",
        )
        return "row", str(number)

    def _rights(self, m: RowMapping, dataset_id: str, dataset: ET.Element | None) -> str:
        stated = m.get("license") or m.get("rights")
        field = "license" if m.get("license") else "rights"
        if not stated:
            field = "eml intellectualRights"
            stated = self._dataset_licence(dataset_id, dataset)
        if not stated:
            m.warn(
                "license", _("no licence: recorded as copyright not evaluated"), "rights-missing"
            )
            return DEFAULT_RIGHTS
        try:
            return licence(stated)
        except ValueError:
            m.error(field, unknown_rights(stated))
            return DEFAULT_RIGHTS

    def _dataset_licence(self, dataset_id: str, dataset: ET.Element | None) -> str:
        if dataset_id not in self._licences:
            assert self._archive is not None
            self._licences[dataset_id] = eml_licence(dataset) or eml_licence(self._archive.metadata)
        return self._licences[dataset_id]

    def closing_items(self) -> Iterator[FileProblem | LocalMedia]:
        """Multimedia extension rows: an image inside the archive is handed over to be
        attached to the object whose identifier is the row's core id; a link is
        reported (imports never download)."""
        assert self._archive is not None
        root = Path(self._archive.absolute_temporary_path(".")).resolve()
        for extension in self._archive.extension_files:
            if extension.file_descriptor.type not in MULTIMEDIA:
                continue
            for row in extension.iter_rows():
                values = {short_term(k): v.strip() for k, v in row.data.items()}
                link = next((values[k] for k in MEDIA_TERMS if values.get(k)), "")
                if not link:
                    continue
                where = f"core id {row.core_id}"
                local = (root / link).resolve()
                if link.startswith(("http://", "https://")):
                    message = _(
                        "image not downloaded (imports do not fetch from the network): %(link)s"
                    ) % {"link": link}
                    code = "image-not-downloaded"
                elif local.is_relative_to(root) and local.is_file():
                    text = values.get("description") or values.get("title", "")
                    licence = values.get("license") or values.get("rights", "")
                    yield LocalMedia(where, row.core_id, local, text, licence)
                    continue
                else:
                    message = _("image %(link)s is not in the archive") % {"link": link}
                    code = "image-missing"
                yield FileProblem(where, Problem("multimedia", message, WARNING, code))
