"""Parse and check the arguments of an OAI-PMH request (protocol sections 3.1 and 4).

The result is a typed `OaiRequest`; anything wrong raises OaiError with badVerb or
badArgument, which the spec asks for before any other check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from reisgezel.interop.oai.errors import ErrorCode, OaiError


@dataclass(frozen=True)
class VerbArguments:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None


VERBS: dict[str, VerbArguments] = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=("identifier",)),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "GetRecord": VerbArguments(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": VerbArguments(
        required=("metadataPrefix",), optional=("from", "until", "set"), exclusive="resumptionToken"
    ),
    "ListRecords": VerbArguments(
        required=("metadataPrefix",), optional=("from", "until", "set"), exclusive="resumptionToken"
    ),
}

# Patterns of the OAI-PMH schema (metadataPrefixType, setSpecType): a value outside
# them could not even be echoed in a valid response.
_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@dataclass(frozen=True)
class OaiRequest:
    verb: str
    arguments: dict[str, str] = field(default_factory=dict)
    identifier: str = ""
    metadata_prefix: str = ""
    set_spec: str = ""
    # Half-open interval [from_time, until_time) in UTC; None means unbounded.
    from_time: datetime | None = None
    until_time: datetime | None = None
    resumption_token: str = ""


def _bad(message: str) -> OaiError:
    return OaiError(ErrorCode.BAD_ARGUMENT, message)


def parse_datestamp(value: str, name: str) -> tuple[datetime, str]:
    """A from/until value and its granularity ("day" or "second"), as UTC."""
    if _DAY.match(value):
        fmt, granularity = "%Y-%m-%d", "day"
    elif _SECOND.match(value):
        fmt, granularity = "%Y-%m-%dT%H:%M:%SZ", "second"
    else:
        raise _bad(f"'{name}' must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")
    try:
        return datetime.strptime(value, fmt).replace(tzinfo=UTC), granularity
    except ValueError:
        raise _bad(f"'{name}' is not a valid date: {value}.") from None


def _until_exclusive(start: datetime, granularity: str) -> datetime | None:
    """`until` is inclusive at its granularity; stored datestamps have microseconds."""
    try:
        return start + (timedelta(days=1) if granularity == "day" else timedelta(seconds=1))
    except OverflowError:
        return None


def _single_values(pairs: Iterable[tuple[str, list[str]]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, items in pairs:
        if name == "verb":
            continue
        if len(items) != 1:
            raise _bad(f"The argument '{name}' is repeated.")
        values[name] = items[0]
    return values


def parse_request(pairs: Iterable[tuple[str, list[str]]]) -> OaiRequest:
    """Check the request's arguments (name -> all its values, as QueryDict.lists())."""
    pairs = list(pairs)
    verbs = [v for name, items in pairs if name == "verb" for v in items]
    if not verbs:
        raise OaiError(ErrorCode.BAD_VERB, "The verb argument is missing.")
    if len(verbs) > 1:
        raise OaiError(ErrorCode.BAD_VERB, "The verb argument is repeated.")
    verb = verbs[0]
    spec = VERBS.get(verb)
    if spec is None:
        raise OaiError(ErrorCode.BAD_VERB, "The value of the verb argument is not a legal verb.")
    args = _single_values(pairs)
    allowed = {*spec.required, *spec.optional, *([spec.exclusive] if spec.exclusive else [])}
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise _bad(f"Illegal argument(s) for {verb}: {', '.join(unknown)}.")
    empty = sorted(name for name, value in args.items() if not value.strip())
    if empty:
        raise _bad(f"Empty argument(s): {', '.join(empty)}.")
    if spec.exclusive and spec.exclusive in args:
        if len(args) > 1:
            raise _bad(f"'{spec.exclusive}' is an exclusive argument.")
        return OaiRequest(verb=verb, arguments=args, resumption_token=args[spec.exclusive])
    missing = [name for name in spec.required if name not in args]
    if missing:
        raise _bad(f"Missing required argument(s) for {verb}: {', '.join(missing)}.")
    return _typed(verb, args)


def _typed(verb: str, args: dict[str, str]) -> OaiRequest:
    prefix = args.get("metadataPrefix", "")
    if prefix and not _PREFIX.match(prefix):
        raise _bad("'metadataPrefix' has characters a metadata prefix cannot have.")
    set_spec = args.get("set", "")
    if set_spec and not _SET_SPEC.match(set_spec):
        raise _bad("'set' is not a valid setSpec.")
    from_time, until_time = time_window(args.get("from", ""), args.get("until", ""))
    return OaiRequest(
        verb=verb,
        arguments=args,
        identifier=args.get("identifier", ""),
        metadata_prefix=prefix,
        set_spec=set_spec,
        from_time=from_time,
        until_time=until_time,
    )


def time_window(from_value: str, until_value: str) -> tuple[datetime | None, datetime | None]:
    """The half-open UTC interval selected by from/until (both optional)."""
    start = parse_datestamp(from_value, "from") if from_value else None
    end = parse_datestamp(until_value, "until") if until_value else None
    if start and end:
        if start[1] != end[1]:
            raise _bad("'from' and 'until' must have the same granularity.")
        if start[0] > end[0]:
            raise _bad("'from' is later than 'until'.")
    return (start[0] if start else None), (_until_exclusive(*end) if end else None)
