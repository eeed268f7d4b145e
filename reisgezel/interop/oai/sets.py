"""Sets: one per collection. setSpec is the collection code; setName gives the Dutch
name (and the English one after a slash when it differs); setDescription carries the
name and description per language in oai_dc."""

from __future__ import annotations

from lxml import etree

from reisgezel.heritage.models import Collection
from reisgezel.heritage.uris import collection_uri
from reisgezel.interop.links import texts
from reisgezel.interop.oai import dc
from reisgezel.interop.oai.render import Out, payload
from reisgezel.interop.oai.xmltext import clean, element


def set_name(collection: Collection) -> str:
    dutch = collection.name.get("nl", "")
    english = collection.name.get("en", "")
    return f"{dutch} / {english}" if english and english != dutch else dutch


def _description(collection: Collection) -> etree._Element:
    root = etree.Element(f"{{{dc.NAMESPACE}}}dc", nsmap=dc.NSMAP)
    root.set(f"{{{dc.XSI}}}schemaLocation", f"{dc.NAMESPACE} {dc.SCHEMA}")
    for lang, text in texts(collection.name):
        node = etree.SubElement(root, f"{{{dc.DC}}}title")
        node.text, node.attrib[dc.XML_LANG] = clean(text), lang
    for lang, text in texts(collection.description):
        node = etree.SubElement(root, f"{{{dc.DC}}}description")
        node.text, node.attrib[dc.XML_LANG] = clean(text), lang
    etree.SubElement(root, f"{{{dc.DC}}}publisher").text = clean(collection.institution)
    etree.SubElement(root, f"{{{dc.DC}}}identifier").text = collection_uri(collection.code)
    return root


def write_set(out: Out, collection: Collection) -> None:
    out.append("<set>")
    out.append(element("setSpec", collection.code))
    out.append(element("setName", set_name(collection)))
    out.append(f"<setDescription>{payload(_description(collection))}</setDescription>")
    out.append("</set>")
