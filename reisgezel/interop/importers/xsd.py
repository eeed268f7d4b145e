"""Loading XML schemas offline through an OASIS XML catalog.

libxml2 reads XML_CATALOG_FILES only once per process, when it first needs a catalog;
setting it later has no effect. So instead of relying on the environment, the catalog
file is read here and its `system`/`uri`/`rewriteSystem`/`rewriteURI` entries answer
lxml's resolver: the schema's imports (xml.xsd, GML, XLink) come from local copies and
nothing is ever fetched from the network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


class CatalogResolver(etree.Resolver):
    def __init__(self, catalog: Path) -> None:
        super().__init__()
        self.exact: dict[str, Path] = {}
        self.prefixes: list[tuple[str, Path]] = []
        base = catalog.parent
        root = etree.parse(
            str(catalog), etree.XMLParser(no_network=True, resolve_entities=False)
        ).getroot()
        for entry in root:
            tag = entry.tag if isinstance(entry.tag, str) else ""
            if tag in (f"{CATALOG_NS}system", f"{CATALOG_NS}uri"):
                key = entry.get("systemId") or entry.get("name") or ""
                self.exact[key] = (base / entry.get("uri", "")).resolve()
            elif tag in (f"{CATALOG_NS}rewriteSystem", f"{CATALOG_NS}rewriteURI"):
                start = entry.get("systemIdStartString") or entry.get("uriStartString") or ""
                self.prefixes.append((start, base / entry.get("rewritePrefix", "")))

    def local_path(self, url: str) -> Path | None:
        if url in self.exact:
            return self.exact[url]
        for start, prefix in self.prefixes:
            if url.startswith(start):
                return (prefix / url[len(start) :]).resolve()
        return None

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        path = self.local_path(system_url)
        if path is None:
            return None  # a relative include: libxml2 finds it next to the schema
        return self.resolve_filename(str(path), context)


@cache
def load_schema(schema: Path, catalog: Path) -> etree.XMLSchema:
    """An lxml XMLSchema, loaded once per process (loading LIDO + GML takes ~50 ms)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(CatalogResolver(catalog))
    return etree.XMLSchema(etree.parse(str(schema), parser))
