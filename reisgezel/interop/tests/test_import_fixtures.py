"""Shared fixtures and helpers of the import tests (no tests here).

Collections are made directly (the import needs only their codes); the records come
from the real files in settings.SHARED_DATA_DIR, or are generated from them.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from lxml import etree

from reisgezel.heritage.models import Collection, CollectionKind, HeritageObject
from reisgezel.interop.importers.runner import import_job_run
from reisgezel.interop.models import ImportJob

LIDO_DIR = Path(settings.SHARED_DATA_DIR) / "lido"
DWCA_DIR = Path(settings.SHARED_DATA_DIR) / "dwca"
MKG = LIDO_DIR / "mkg-hamburg-kabinettschrank-1977.20.lido.xml"
CIMEC = LIDO_DIR / "cimec-denar-republican.lidoWrap.xml"
LIDO_NS = "http://www.lido-schema.org"
N = {"lido": LIDO_NS}


@pytest.fixture
def collections(db: Any) -> dict[str, Collection]:
    made = {}
    for code, kind, name in (
        ("ceramics", CollectionKind.CERAMICS, "Keramiek"),
        ("natural-history", CollectionKind.NATURAL_HISTORY, "Natuurhistorie"),
        ("other", CollectionKind.OTHER, "Overig"),
    ):
        made[code] = Collection.objects.create(
            code=code, kind=kind, name={"nl": name}, institution="Maastricht"
        )
    return made


def make_job(fmt: str, path: Path, **fields: Any) -> ImportJob:
    fields.setdefault("source", fmt)
    return ImportJob.objects.create(format=fmt, path=str(path), **fields)


def run(fmt: str, path: Path, *, batch_size: int | None = None, **fields: Any) -> ImportJob:
    return import_job_run(make_job(fmt, path, **fields), batch_size=batch_size)


def report(job: ImportJob) -> list[str]:
    return [str(p) for p in job.problems.all()]


def object_state() -> list[tuple[Any, ...]]:
    """What a re-import must not change: every object's row stamp and hash."""
    return list(
        HeritageObject.objects.order_by("pk").values_list("pk", "pid", "updated_at", "source_hash")
    )


def mkg_record(number: int) -> etree._Element:
    """The MKG record, renumbered (its own lidoRecID and inventory number)."""
    record = etree.parse(str(MKG)).getroot()
    record = copy.deepcopy(record)
    record.find("lido:lidoRecID", N).text = f"TEST/{number}"
    work_id = record.find(".//lido:repositoryWrap/lido:repositorySet/lido:workID", N)
    work_id.text = f"T.{number}"
    return record


def write_lido_wrap(path: Path, records: list[etree._Element]) -> Path:
    wrap = etree.Element(f"{{{LIDO_NS}}}lidoWrap", nsmap={"lido": LIDO_NS})
    wrap.extend(records)
    path.write_bytes(etree.tostring(wrap, xml_declaration=True, encoding="UTF-8"))
    return path


def write_many_lido(path: Path, count: int) -> Path:
    """A large lidoWrap written piece by piece (the generator itself stays small)."""
    template = etree.tostring(mkg_record(0), encoding="unicode")
    head, tail = template.split("TEST/0", 1)
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<lido:lidoWrap xmlns:lido="{LIDO_NS}">')
        for number in range(1, count + 1):
            out.write(f"{head}TEST/{number}{tail.replace('T.0<', f'T.{number}<')}")
        out.write("</lido:lidoWrap>")
    return path
