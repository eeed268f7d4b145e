"""The six OAI-PMH verbs: a request's arguments in, a stream of XML chunks out.

All database reads happen before the first chunk is produced, so an error can still
become a proper OAI-PMH error response; the stream itself only writes XML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from lxml import etree

from reisgezel.heritage.collection_cache import data_version
from reisgezel.heritage.models import Collection
from reisgezel.interop.oai import conf, read_ahead, records, render
from reisgezel.interop.oai.arguments import OaiRequest, parse_request, time_window
from reisgezel.interop.oai.errors import ErrorCode, OaiError
from reisgezel.interop.oai.formats import FORMATS, MetadataFormat
from reisgezel.interop.oai.identifiers import pid_from_identifier, sample_identifier
from reisgezel.interop.oai.objects import load
from reisgezel.interop.oai.records import Header, Selection
from reisgezel.interop.oai.render import Out, RecordItem, Resumption
from reisgezel.interop.oai.sets import write_set
from reisgezel.interop.oai.tokens import ListState, decode, encode
from reisgezel.interop.oai.xmltext import element

OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Answer:
    parts: Iterable[Any]
    write_part: Callable[[Any, Any], None]
    next_token: str = ""
    """Lists: the resumption token of the next page, if there is one."""
    read_ahead: bool = False
    """Build that next page while the harvester reads this one (read_ahead)."""


def respond(pairs: Iterable[tuple[str, list[str]]]) -> Iterator[bytes]:
    """The response to a request given as QueryDict.lists() (GET or POST)."""
    base_url = conf.base_url()
    request: OaiRequest | None = None
    try:
        request = parse_request(pairs)
        answer = VERBS[request.verb](request)
    except OaiError as error:
        attrs = {}
        if request is not None and error.echo_arguments:
            attrs = {"verb": request.verb, **request.arguments}
        return render.stream(
            base_url=base_url,
            request_attrs=attrs,
            verb=None,
            parts=error.errors,
            write_part=render.write_error,
        )
    chunks = render.stream(
        base_url=base_url,
        request_attrs={"verb": request.verb, **request.arguments},
        verb=request.verb,
        parts=answer.parts,
        write_part=answer.write_part,
    )
    if answer.next_token and answer.read_ahead:
        return read_ahead.then_read_ahead(chunks, request.verb, answer.next_token, build_page)
    return chunks


def build_page(verb: str, token: str) -> read_ahead.Page | None:
    """The inner part of the list page `token` asks for (read_ahead's builder); None
    when that request would be an error (it is then answered as usual)."""
    version = data_version()  # read first: a change while building makes the page stale
    try:
        request = parse_request([("verb", [verb]), ("resumptionToken", [token])])
        answer = _list(request, with_metadata=verb == "ListRecords", built_ahead=False)
    except OaiError:
        return None
    body = render.parts_text(answer.parts, answer.write_part)
    return read_ahead.Page(version=version, body=body, next_token=answer.next_token)


# --- Identify, ListMetadataFormats, ListSets ------------------------------------------


def identify(request: OaiRequest) -> Answer:
    earliest = records.earliest_datestamp() or EPOCH

    def write(out: Out, _: None) -> None:
        out.append(element("repositoryName", conf.repository_name()))
        out.append(element("baseURL", conf.base_url()))
        out.append(element("protocolVersion", conf.PROTOCOL_VERSION))
        out.extend(element("adminEmail", address) for address in conf.admin_emails())
        out.append(element("earliestDatestamp", render.utc_datestamp(earliest)))
        out.append(element("deletedRecord", conf.DELETED_RECORD))
        out.append(element("granularity", conf.GRANULARITY))
        if conf.has_oai_identifier_scheme():
            description = render.payload(_oai_identifier_description())
            out.append(f"<description>{description}</description>")

    return Answer([None], write)


def _oai_identifier_description() -> etree._Element:
    ns = f"{{{OAI_IDENTIFIER}}}"
    root = etree.Element(ns + "oai-identifier", nsmap={None: OAI_IDENTIFIER, "xsi": render.XSI})
    root.set(f"{{{render.XSI}}}schemaLocation", f"{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}")
    for name, text in (
        ("scheme", "oai"),
        ("repositoryIdentifier", conf.repository_identifier()),
        ("delimiter", ":"),
        ("sampleIdentifier", sample_identifier()),
    ):
        etree.SubElement(root, ns + name).text = text
    return root


def _header_for(identifier: str) -> Header:
    pid = pid_from_identifier(identifier)
    header = records.header_for_pid(pid) if pid else None
    if header is None:
        raise OaiError(ErrorCode.ID_DOES_NOT_EXIST, f"No item has the identifier {identifier}.")
    return header


def list_metadata_formats(request: OaiRequest) -> Answer:
    if request.identifier and _header_for(request.identifier).deleted:
        raise OaiError(
            ErrorCode.NO_METADATA_FORMATS,
            "The item is deleted: no metadata can be disseminated for it.",
        )

    def write(out: Out, fmt: MetadataFormat) -> None:
        out.append("<metadataFormat>")
        out.append(element("metadataPrefix", fmt.prefix))
        out.append(element("schema", fmt.schema))
        out.append(element("metadataNamespace", fmt.namespace))
        out.append("</metadataFormat>")

    return Answer(list(FORMATS.values()), write)


def list_sets(request: OaiRequest) -> Answer:
    if request.resumption_token:
        raise OaiError(
            ErrorCode.BAD_RESUMPTION_TOKEN, "The list of sets is complete in one response."
        )
    collections = list(Collection.objects.order_by("position", "code"))
    if not collections:
        raise OaiError(ErrorCode.NO_SET_HIERARCHY, "This repository has no sets yet.")
    return Answer(collections, write_set)


# --- GetRecord, ListIdentifiers, ListRecords ------------------------------------------


def _format(prefix: str) -> MetadataFormat:
    fmt = FORMATS.get(prefix)
    if fmt is None:
        raise OaiError(
            ErrorCode.CANNOT_DISSEMINATE_FORMAT,
            f"The metadata format '{prefix}' is not supported; see ListMetadataFormats.",
        )
    return fmt


def get_record(request: OaiRequest) -> Answer:
    problems: OaiError | None = None
    fmt: MetadataFormat | None = None
    header: Header | None = None
    for step in ("format", "identifier"):
        try:
            if step == "format":
                fmt = _format(request.metadata_prefix)
            else:
                header = _header_for(request.identifier)
        except OaiError as error:
            if problems is None:
                problems = error
            else:
                problems.errors += error.errors
    if problems is not None:
        raise problems
    assert fmt is not None and header is not None
    return Answer(_record_items([header], fmt), render.write_record)


def _record_items(headers: list[Header], fmt: MetadataFormat) -> Iterator[RecordItem]:
    """Records for the headers; objects are read now, their XML is written lazily."""
    rows = [h.row for h in headers if h.row is not None]
    public_ids = [h.row_id for h in headers if not h.deleted and h.row is None]
    objects = load(public_ids, fmt.parts, rows)

    def items() -> Iterator[RecordItem]:
        for header in headers:
            obj = None if header.deleted else objects.get(header.row_id)
            if obj is None:
                # Hidden or removed since its header was read: report it deleted.
                yield RecordItem(replace(header, deleted=True), None)
            else:
                yield RecordItem(header, fmt.write(obj))

    return items()


def _list_state(request: OaiRequest) -> tuple[ListState, MetadataFormat]:
    """Where the list stands: from the token, or at its start for a first request."""
    if request.resumption_token:
        state = decode(request.resumption_token, verb=request.verb)
        fmt = FORMATS.get(state.metadata_prefix)
        if fmt is None:
            raise OaiError(ErrorCode.BAD_RESUMPTION_TOKEN, "The token's format is gone.")
        return state, fmt
    fmt = _format(request.metadata_prefix)
    if request.set_spec and not Collection.objects.exists():
        raise OaiError(ErrorCode.NO_SET_HIERARCHY, "This repository has no sets yet.")
    state = ListState(
        verb=request.verb,
        metadata_prefix=fmt.prefix,
        set_spec=request.set_spec,
        from_value=request.arguments.get("from", ""),
        until_value=request.arguments.get("until", ""),
        phase=records.PHASES[0],
        after_time=None,
        after_id=None,
        cursor=0,
        total=-1,
    )
    return state, fmt


def _list(request: OaiRequest, *, with_metadata: bool, built_ahead: bool = True) -> Answer:
    """A page of a list; from read_ahead when it was built ahead (`built_ahead`: may be;
    False when read_ahead itself builds it)."""
    state, fmt = _list_state(request)
    ahead = with_metadata and fmt.read_ahead and conf.read_ahead()
    if ahead and built_ahead and request.resumption_token:
        built = read_ahead.take(request.verb, request.resumption_token)
        if built is not None:
            return Answer([built.body], render.write_text, built.next_token, read_ahead=True)
    from_time, until_time = time_window(state.from_value, state.until_value)
    selection = Selection(state.set_spec, from_time, until_time)
    size = conf.page_size()
    headers = records.headers_from(
        selection,
        phase=state.phase,
        after=(state.after_time, state.after_id),
        limit=size + 1,
        with_rows=with_metadata,
    )
    if not headers:
        raise OaiError(ErrorCode.NO_RECORDS_MATCH, "No records match the request.")
    page, more = headers[:size], len(headers) > size
    resumption = _resumption(state, page, more, selection)
    items: Iterable[Header | RecordItem] = _record_items(page, fmt) if with_metadata else page
    tail = [resumption] if resumption is not None else []
    next_token = resumption.token if resumption is not None else ""
    return Answer(chain(items, tail), render.write_list_part, next_token, ahead)


def _resumption(
    state: ListState, page: list[Header], more: bool, selection: Selection
) -> Resumption | None:
    if not more and state.cursor == 0:
        return None  # the whole list in one response: no token at all
    total = state.total if state.total >= 0 else records.count(selection)
    # The list may have grown since the count: never claim fewer than we have seen.
    total = max(total, state.cursor + len(page) + (1 if more else 0))
    if not more:
        return Resumption("", state.cursor, total, None)
    last = page[-1]
    following = replace(
        state,
        phase=last.phase,
        after_time=last.datestamp,
        after_id=last.row_id,
        cursor=state.cursor + len(page),
        total=total,
    )
    expiration = datetime.now(UTC) + conf.TOKEN_MAX_AGE
    return Resumption(encode(following), state.cursor, total, expiration)


def list_identifiers(request: OaiRequest) -> Answer:
    return _list(request, with_metadata=False)


def list_records(request: OaiRequest) -> Answer:
    return _list(request, with_metadata=True)


VERBS: dict[str, Callable[[OaiRequest], Answer]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
