"""Write OAI-PMH responses as a stream of UTF-8 chunks.

A response is assembled from strings (see xmltext) and handed to the web server in
chunks of about 64 KB, so a page never sits in memory twice and the harvester starts
parsing early. Payloads built as lxml trees (LIDO, set descriptions) are serialised by
lxml into the stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from reisgezel.interop.oai.identifiers import identifier_prefix
from reisgezel.interop.oai.records import Header
from reisgezel.interop.oai.xmltext import attr, element

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
CHUNK_CHARS = 64 * 1024
_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<OAI-PMH xmlns="{OAI}" xmlns:xsi="{XSI}" xsi:schemaLocation="{SCHEMA_LOCATION}">'
)

type Out = list[str]
type Payload = str | etree._Element


def utc_datestamp(value: datetime) -> str:
    """YYYY-MM-DDThh:mm:ssZ (isoformat is several times cheaper than strftime, and a
    harvest writes one per record)."""
    return value.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def attributes(values: dict[str, str]) -> str:
    return "".join(f' {name}="{attr(value)}"' for name, value in values.items())


def payload(value: Payload) -> str:
    """Markup from a writer (a string) or an lxml tree, serialised with its namespaces."""
    if isinstance(value, str):
        return value
    return etree.tostring(value, encoding="unicode")


@dataclass(frozen=True)
class RecordItem:
    header: Header
    metadata: Payload | None  # None for deleted records


@dataclass(frozen=True)
class Resumption:
    token: str  # empty on the last page of a list
    cursor: int
    complete_list_size: int
    expiration: datetime | None


def write_header(out: Out, header: Header) -> None:
    out.append('<header status="deleted">' if header.deleted else "<header>")
    out.append(element("identifier", identifier_prefix() + header.pid))
    out.append(f"<datestamp>{utc_datestamp(header.datestamp)}</datestamp>")
    if header.set_spec:
        out.append(element("setSpec", header.set_spec))
    out.append("</header>")


def write_record(out: Out, item: RecordItem) -> None:
    out.append("<record>")
    write_header(out, item.header)
    if item.metadata is not None and not item.header.deleted:
        out.append("<metadata>")
        out.append(payload(item.metadata))
        out.append("</metadata>")
    out.append("</record>")


def write_resumption(out: Out, resumption: Resumption) -> None:
    values = {
        "completeListSize": str(resumption.complete_list_size),
        "cursor": str(resumption.cursor),
    }
    if resumption.token and resumption.expiration is not None:
        values["expirationDate"] = utc_datestamp(resumption.expiration)
    out.append(element("resumptionToken", resumption.token, attributes(values)))


def write_list_part(out: Out, part: Header | RecordItem | Resumption) -> None:
    if isinstance(part, Header):
        write_header(out, part)
    elif isinstance(part, RecordItem):
        write_record(out, part)
    else:
        write_resumption(out, part)


def write_error(out: Out, error: tuple[str, str]) -> None:
    code, message = error
    out.append(element("error", message, attributes({"code": code})))


def stream(
    *,
    base_url: str,
    request_attrs: dict[str, str],
    verb: str | None,
    parts: Iterable[Any],
    write_part: Callable[[Out, Any], None],
) -> Iterator[bytes]:
    """The whole response: envelope, then `write_part(out, part)` for each part inside
    the <verb> element (or directly in the envelope when `verb` is None: errors)."""
    out: Out = [
        _OPEN,
        f"<responseDate>{utc_datestamp(datetime.now(UTC))}</responseDate>",
        element("request", base_url, attributes(request_attrs)),
    ]
    if verb is not None:
        out.append(f"<{verb}>")
    size = 0
    for part in parts:
        before = len(out)
        write_part(out, part)
        size += sum(len(s) for s in out[before:])
        if size >= CHUNK_CHARS:
            yield "".join(out).encode()
            out.clear()
            size = 0
    if verb is not None:
        out.append(f"</{verb}>")
    out.append("</OAI-PMH>")
    yield "".join(out).encode()


def write_text(out: Out, text: str) -> None:
    """Markup written before (a page built ahead)."""
    out.append(text)


def parts_text(parts: Iterable[Any], write_part: Callable[[Out, Any], None]) -> str:
    """The parts as one string (a page built ahead, see read_ahead)."""
    out: Out = []
    for part in parts:
        write_part(out, part)
    return "".join(out)
