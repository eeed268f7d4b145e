"""meta.xml (the Darwin Core text descriptor) and eml.xml (GBIF EML profile 1.3)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from lxml import etree

from reisgezel.heritage.rights import rights_label
from reisgezel.interop.dwca_export.rows import CORE, MEDIA, MULTIMEDIA, OCCURRENCE
from reisgezel.interop.links import absolute

TEXT = "http://rs.tdwg.org/dwc/text/"
EML = "https://eml.ecoinformatics.org/eml-2.2.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EML_SCHEMA = "https://rs.gbif.org/schema/eml-gbif-profile/1.3/eml.xsd"
DATASET_TYPE = "http://rs.gbif.org/vocabulary/gbif/dataset_type_2015-07-10.xml"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CORE_FILE, MEDIA_FILE = "occurrence.txt", "multimedia.txt"
ARCHIVE_PATH = "/data/specimens.dwca.zip"


def _file_attrs(row_type: str) -> dict[str, str]:
    return {
        "encoding": "UTF-8",
        "fieldsTerminatedBy": "\\t",
        "linesTerminatedBy": "\\n",
        "fieldsEnclosedBy": "",
        "ignoreHeaderLines": "1",
        "rowType": row_type,
    }


def meta_xml() -> bytes:
    root = etree.Element(f"{{{TEXT}}}archive", nsmap={None: TEXT}, metadata="eml.xml")
    core = etree.SubElement(root, f"{{{TEXT}}}core", _file_attrs(OCCURRENCE))
    etree.SubElement(
        etree.SubElement(core, f"{{{TEXT}}}files"), f"{{{TEXT}}}location"
    ).text = CORE_FILE
    etree.SubElement(core, f"{{{TEXT}}}id", index="0")
    for index, column in enumerate(CORE):
        etree.SubElement(core, f"{{{TEXT}}}field", index=str(index), term=column.term)
    extension = etree.SubElement(root, f"{{{TEXT}}}extension", _file_attrs(MULTIMEDIA))
    files = etree.SubElement(extension, f"{{{TEXT}}}files")
    etree.SubElement(files, f"{{{TEXT}}}location").text = MEDIA_FILE
    etree.SubElement(extension, f"{{{TEXT}}}coreid", index="0")
    for index, media_column in enumerate(MEDIA, start=1):
        etree.SubElement(extension, f"{{{TEXT}}}field", index=str(index), term=media_column.term)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def dataset_uuid() -> uuid.UUID:
    """Stable across versions of the archive: GBIF knows the dataset by it."""
    return uuid.uuid5(uuid.NAMESPACE_URL, absolute("/data/specimens"))


def data_license() -> str:
    return str(settings.HERITAGE.get("DATA_LICENSE", CC0))


def publisher() -> str:
    return str(settings.HERITAGE["PUBLISHER"])


def _sub(parent: etree._Element, name: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, name, attrs)
    if text:
        element.text = text
    return element


def _agent(parent: etree._Element, name: str) -> None:
    agent = _sub(parent, name)
    _sub(agent, "organizationName", publisher())
    email = settings.HERITAGE.get("CONTACT_EMAIL")
    if email:
        _sub(agent, "electronicMailAddress", str(email))
    _sub(agent, "onlineUrl", settings.SITE_URL)


def eml_xml(*, version: str, records: int, built_at: datetime | None = None) -> bytes:
    """The dataset's metadata; `version` changes whenever the data do."""
    built = (built_at or datetime.now(UTC)).astimezone(UTC)
    city = settings.REISGEZEL["CITY"]
    root = etree.Element(f"{{{EML}}}eml", nsmap={"eml": EML, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{EML} {EML_SCHEMA}")
    root.set("packageId", f"{dataset_uuid()}/{version}")
    root.set("system", settings.SITE_URL)
    root.set("scope", "system")
    root.set(XML_LANG, "en")
    dataset = _sub(root, "dataset")
    _sub(dataset, "alternateIdentifier", str(dataset_uuid()))
    _sub(dataset, "alternateIdentifier", absolute(ARCHIVE_PATH))
    for lang, title in (
        ("en", f"Natural-history specimens in the collections of {city}"),
        ("nl", f"Natuurhistorische specimens in de collecties van {city}"),
    ):
        _sub(dataset, "title", title).set(XML_LANG, lang)
    _agent(dataset, "creator")
    _agent(dataset, "metadataProvider")
    _sub(dataset, "pubDate", built.date().isoformat())
    _sub(dataset, "language", "nl")
    abstract = _sub(dataset, "abstract")
    _sub(
        abstract,
        "para",
        f"{records} specimens (fossils of the Maastrichtian stage, among them mosasaurs, "
        f"turtles, ammonites and sea urchins, and recent material) in the public "
        f"natural-history collections of {city}. Sensitive fossil sites are published "
        f"with generalised coordinates only.",
    )
    keywords = _sub(dataset, "keywordSet")
    _sub(keywords, "keyword", "Occurrence")
    _sub(keywords, "keywordThesaurus", f"GBIF Dataset Type Vocabulary: {DATASET_TYPE}")
    _license(dataset)
    online = _sub(_sub(dataset, "distribution", scope="document"), "online")
    _sub(online, "url", absolute(ARCHIVE_PATH), function="download")
    maintenance = _sub(dataset, "maintenance")
    _sub(_sub(maintenance, "description"), "para", "Rebuilt whenever the collection data change.")
    _sub(maintenance, "maintenanceUpdateFrequency", "asNeeded")
    _agent(dataset, "contact")
    _agent(dataset, "publisher")
    gbif = _sub(_sub(_sub(root, "additionalMetadata"), "metadata"), "gbif")
    _sub(gbif, "dateStamp", built.isoformat(timespec="seconds"))
    _sub(gbif, "hierarchyLevel", "dataset")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _license(dataset: etree._Element) -> None:
    uri, label = data_license(), rights_label(data_license())
    para = _sub(_sub(dataset, "intellectualRights"), "para", "This work is licensed under ")
    ulink: Any = _sub(para, "ulink", url=uri)
    _sub(ulink, "citetitle", label)
    ulink.tail = "."
    licensed = _sub(dataset, "licensed")
    _sub(licensed, "licenseName", label)
    _sub(licensed, "url", uri)
