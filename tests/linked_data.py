"""Linked data in tests, offline: JSON-LD read as RDF with the contexts from
../shared/data/jsonld, and SHACL validation (pyshacl) against the shapes in
tests/shapes/.

The shapes are our own reading of the profiles we publish by (the NDE Requirements for
Datasets, SCHEMA-AP-NDE for objects; docs/linked-data.md says which rules they check).
The JSON-LD is turned into RDF by pyld, the processor the other tests use too, and
handed to rdflib as N-Triples, so rdflib never needs a context from the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from pyld import jsonld
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

SHAPES_DIR = Path(__file__).resolve().parent / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")


@cache
def _context_files() -> dict[str, Path]:
    directory = Path(settings.SHARED_DATA_DIR) / "jsonld"
    mapping = json.loads((directory / "contexts.json").read_text())
    return {url: directory / path for url, path in mapping.items() if not url.startswith("_")}


def offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that never touches the network: contexts.json or fail."""
    path = _context_files().get(url)
    if path is None:
        raise jsonld.JsonLdError(
            f"no offline copy of {url}", "jsonld.LoadDocumentError", code="loading document failed"
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(path.read_text()),
    }


def graph(document: dict[str, Any]) -> Graph:
    """The document's default graph as an rdflib Graph."""
    nquads = jsonld.to_rdf(
        document, {"documentLoader": offline_loader, "format": "application/n-quads"}
    )
    # Our documents have only a default graph, whose N-Quads lines are N-Triples (and
    # rdflib's N-Triples parser, unlike its N-Quads one, uses no deprecated API).
    return Graph().parse(data=nquads, format="nt")


@cache
def _shapes(name: str) -> Graph:
    return Graph().parse(SHAPES_DIR / f"{name}.ttl", format="turtle")


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity} at {self.focus} {self.path}: {self.message}"


def shacl_findings(document: dict[str, Any], shapes: str) -> list[Finding]:
    """Every result of validating the document against tests/shapes/<shapes>.ttl."""
    _conforms, report, _text = validate(
        graph(document), shacl_graph=_shapes(shapes), inference="none", allow_warnings=True
    )
    assert isinstance(report, Graph)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        findings.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else "",
                message=str(report.value(result, SH.resultMessage) or ""),
            )
        )
    return sorted(findings, key=str)
