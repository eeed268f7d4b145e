"""Imported objects as plain data, and `object_upsert`: the one way an import writes.

Importers (LIDO, Darwin Core, CSV) turn their rows into an `ObjectRecord`; this module
turns the record into a HeritageObject with its makers, dimensions, inscriptions,
concepts and specimen.

Contract of `object_upsert`:
- Key: (source, record.source_id). A record seen before updates its object; its pid
  (and so its persistent URI) never changes.
- Idempotent: a SHA-256 of the record is kept in `source_hash`; an unchanged record
  writes nothing at all (no row, no `updated_at`, no audit entry, no reindex).
- Atomic: the object and all its related rows are written in one transaction (a
  savepoint when the caller already holds one). Each related part is checked as it is
  written, so a bad part (say the specimen) also rolls back the object row before it.
- Raises InvalidRecordError with problems named by record field ("specimen.latitude");
  importers translate those names into their own ("decimalLatitude").
- Concepts and agents are found by URI, identifier, code or name, else created. An
  `UpsertContext` caches those lookups for a whole run and prefetches a batch's
  existing objects and pids, so a run does not query per concept or unchanged record.

`objects_upsert` does the same for a batch, inserting the batch's new records with one
INSERT per table; if the database refuses any of them, it falls back to object_upsert
per record, so the guarantees above hold for every record either way.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import DataError, IntegrityError, models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.core.lookups import TextIn
from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    BasisOfRecord,
    Collection,
    Concept,
    ConceptScheme,
    Dimension,
    DimensionKind,
    DimensionUnit,
    HeritageObject,
    Inscription,
    InscriptionKind,
    MakerRole,
    ObjectAgent,
    Specimen,
    Tombstone,
)
from reisgezel.heritage.rights import BY_URI, DEFAULT_RIGHTS
from reisgezel.heritage.services import (
    collection_left,
    insert_rows,
    object_changed,
    objects_created,
)

# Raise when the meaning of a record changes: every imported object then updates once.
HASH_VERSION = "1"
ERROR, WARNING = "error", "warning"


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of a record. Warnings do not stop the record;
    `code` groups warnings of one kind (so a report can count instead of repeat)."""

    field: str
    message: str
    severity: str = ERROR
    code: str = ""


class InvalidRecordError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ConceptRecord:
    """A vocabulary term: found by (scheme, uri), then (scheme, code), else created.
    Without a code, the code is the slug of the Dutch (else English, else any) label."""

    scheme: str
    label: dict[str, str]
    uri: str = ""
    code: str = ""


@dataclass(frozen=True)
class AgentRecord:
    name: str
    kind: str = AgentKind.PERSON
    sort_name: str = ""
    wikidata_id: str = ""
    rkd_id: str = ""
    uri: str = ""
    dates_display: str = ""
    birth_year: int | None = None
    death_year: int | None = None


@dataclass(frozen=True)
class MakerRecord:
    agent: AgentRecord
    role: str = MakerRole.MAKER
    attribution: str = ""


@dataclass(frozen=True)
class DimensionRecord:
    kind: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class InscriptionRecord:
    kind: str
    transcription: str = ""
    position: str = ""
    description: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SpecimenRecord:
    """Darwin Core terms of a specimen; names follow the Specimen model."""

    basis_of_record: str
    scientific_name: str
    scientific_name_authorship: str = ""
    taxon_rank: str = ""
    kingdom: str = ""
    phylum: str = ""
    class_name: str = ""
    order: str = ""
    family: str = ""
    genus: str = ""
    vernacular_name: str = ""
    type_status: str = ""
    locality: str = ""
    country_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    coordinate_uncertainty_m: int | None = None
    locality_is_sensitive: bool = False
    geological_group: str = ""
    formation: str = ""
    member: str = ""
    bed: str = ""
    stage: str = ""
    recorded_by: str = ""
    event_date: str = ""
    individual_count: int | None = None
    preparations: str = ""
    occurrence_id: str = ""


@dataclass(frozen=True)
class ObjectRecord:
    """One object as an importer read it. Language maps are plain dicts."""

    source_id: str
    collection: str
    inventory_number: str
    title: dict[str, str]
    pid: str = ""
    description: dict[str, str] = field(default_factory=dict)
    object_type: ConceptRecord | None = None
    materials: tuple[ConceptRecord, ...] = ()
    techniques: tuple[ConceptRecord, ...] = ()
    subjects: tuple[ConceptRecord, ...] = ()
    makers: tuple[MakerRecord, ...] = ()
    date_display: str = ""
    date_display_language: str = ""
    """The language `date_display` is written in (see `language_code`); "" if unknown."""
    date_earliest: int | None = None
    date_latest: int | None = None
    production_place: str = ""
    production_place_uri: str = ""
    dimensions: tuple[DimensionRecord, ...] = ()
    dimensions_display: str = ""
    inscriptions: tuple[InscriptionRecord, ...] = ()
    provenance: dict[str, str] = field(default_factory=dict)
    credit_line: dict[str, str] = field(default_factory=dict)
    rights_uri: str = DEFAULT_RIGHTS
    # Where the source shows the record (LIDO recordInfoLink).
    source_url: str = ""
    specimen: SpecimenRecord | None = None
    # Only for objects this import creates (a re-import never republishes an object a
    # curator hid), so it is not part of the hash.
    publish: bool = False


def record_hash(record: ObjectRecord) -> str:
    data = _plain(record)
    data.pop("publish")
    # Added after records were hashed: left out while unknown, so only the records that
    # now state it (LIDO's displayDate) update once; the rest stay unchanged.
    if not data["date_display_language"]:
        del data["date_display_language"]
    text = json.dumps([HASH_VERSION, data], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """What `dataclasses.asdict` makes of a record (nested dicts of its fields), for the
    hash: the same JSON text, in a fraction of asdict's time (which deep-copies every
    value). Our records hold only record dataclasses, tuples, dicts and plain values."""
    kind = type(value)
    if kind in _RECORD_TYPES:  # a dataclass without slots: its __dict__ is its fields
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in vars(value).items()}
    if kind is tuple or kind is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if kind is dict:
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in value.items()}
    return value


_RECORD_TYPES = frozenset(
    (
        ObjectRecord,
        ConceptRecord,
        AgentRecord,
        MakerRecord,
        DimensionRecord,
        InscriptionRecord,
        SpecimenRecord,
    )
)
_SCALARS = frozenset((str, int, bool, float, type(None), Decimal))


_LANGUAGE_SUBTAG = re.compile(r"[a-z]{2,3}")


def language_code(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag ("nl-BE" -> "nl"), as objects store
    a text's language; "" for no tag, "und" (undetermined) or what is not a language."""
    primary = tag.strip().split("-")[0].lower()
    return primary if _LANGUAGE_SUBTAG.fullmatch(primary) and primary != "und" else ""


# -- checks (pure: no queries) -----------------------------------------------------------

# The allowed values as sets (an enum's `.values` builds a new list on every call).
ROLES = frozenset(MakerRole.values)
AGENT_KINDS = frozenset(AgentKind.values)
SCHEMES = frozenset(ConceptScheme.values)
DIMENSION_KINDS = frozenset(DimensionKind.values)
DIMENSION_UNITS = frozenset(DimensionUnit.values)
INSCRIPTION_KINDS = frozenset(InscriptionKind.values)
BASES_OF_RECORD = frozenset(BasisOfRecord.values)


@cache
def _max_length(model: type[models.Model], name: str) -> int | None:
    field = model._meta.get_field(name)
    # TranslatedField keeps its limit per language in text_max_length.
    return getattr(field, "text_max_length", None) or getattr(field, "max_length", None)


def _too_long(model: type[models.Model], name: str, value: str) -> bool:
    limit = _max_length(model, name)
    return limit is not None and len(value) > limit


def _check_lengths(model: type[models.Model], prefix: str, values: dict[str, Any]) -> list[Problem]:
    return [
        Problem(f"{prefix}{name}", _longer_than(limit))
        for name, limit in _limits(model, tuple(values))
        if isinstance(value := values[name], str) and len(value) > limit
    ]


def _longer_than(limit: int | None) -> str:
    return _("longer than %(limit)s characters") % {"limit": limit}


@cache
def _limits(model: type[models.Model], names: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """(name, maximum length) of those of `names` that have one (asked per record)."""
    found = ((name, _max_length(model, name)) for name in names)
    return tuple((name, limit) for name, limit in found if limit is not None)


def unknown_rights(statement: str) -> str:
    return _("unknown rights statement %(statement)r") % {"statement": statement}


def not_wikidata(value: str) -> str:
    return _("not a Wikidata id: %(value)r") % {"value": value}


def check_object(record: ObjectRecord) -> None:
    problems: list[Problem] = []
    for name in ("source_id", "collection", "inventory_number"):
        if not getattr(record, name).strip():
            problems.append(Problem(name, _("missing")))
    if not record.title.get("nl", "").strip():
        problems.append(Problem("title", _("a Dutch title is required")))
    for name in ("title", "credit_line"):
        if any(_too_long(HeritageObject, name, text) for text in getattr(record, name).values()):
            problems.append(Problem(name, _longer_than(_max_length(HeritageObject, name))))
    scalars = ("source_id", "inventory_number", "date_display", "production_place")
    problems += _check_lengths(HeritageObject, "", {n: getattr(record, n) for n in scalars})
    problems += _check_lengths(
        HeritageObject,
        "",
        {n: getattr(record, n) for n in ("production_place_uri", "dimensions_display")},
    )
    language = record.date_display_language
    if language and language_code(language) != language:
        problems.append(
            Problem(
                "date_display_language",
                _("%(code)r is not a language code") % {"code": language},
            )
        )
    if record.production_place_uri and not record.production_place_uri.startswith(
        ("http://", "https://")
    ):
        problems.append(Problem("production_place_uri", _("not an http(s) URI")))
    early, late = record.date_earliest, record.date_latest
    for name, year in (("date_earliest", early), ("date_latest", late)):
        if year is not None and not -32768 <= year <= 32767:
            problems.append(Problem(name, _("year %(year)s is out of range") % {"year": year}))
    if early is not None and late is not None and early > late:
        problems.append(
            Problem(
                "date",
                _("earliest year %(early)s is after latest year %(late)s")
                % {"early": early, "late": late},
            )
        )
    if record.rights_uri not in BY_URI:
        problems.append(Problem("rights_uri", unknown_rights(record.rights_uri)))
    concepts = [record.object_type] if record.object_type else []
    for concept in (*concepts, *record.materials, *record.techniques, *record.subjects):
        if concept.scheme not in SCHEMES:
            problems.append(Problem(concept.scheme, _("unknown vocabulary")))
        elif not any(concept.label.values()) and not concept.uri:
            problems.append(Problem(concept.scheme, _("a term without label or URI")))
        elif len(concept.uri) > 300 or any(len(t) > 200 for t in concept.label.values()):
            problems.append(Problem(concept.scheme, _("term or URI too long")))
    if problems:
        raise InvalidRecordError(problems)


def check_maker(maker: MakerRecord) -> None:
    agent, problems = maker.agent, []
    if not agent.name.strip():
        problems.append(Problem("makers", _("a maker without a name")))
    if maker.role not in ROLES:
        problems.append(
            Problem(
                "makers",
                _("unknown role %(role)r of %(name)s") % {"role": maker.role, "name": agent.name},
            )
        )
    if agent.kind not in AGENT_KINDS:
        problems.append(
            Problem("makers", _("unknown kind of agent %(kind)r") % {"kind": agent.kind})
        )
    if agent.wikidata_id and not re.fullmatch(r"Q[0-9]+", agent.wikidata_id):
        problems.append(Problem("makers", not_wikidata(agent.wikidata_id)))
    if agent.birth_year and agent.death_year and agent.birth_year > agent.death_year:
        problems.append(Problem("makers", _("%(name)s: born after death") % {"name": agent.name}))
    problems += _check_lengths(Agent, "makers.", vars(agent))
    if len(maker.attribution) > 60:
        problems.append(Problem("makers.attribution", _longer_than(60)))
    if problems:
        raise InvalidRecordError(problems)


def check_dimension(dimension: DimensionRecord) -> Decimal:
    """The value as stored (two decimals), or InvalidRecordError."""
    problems = []
    if dimension.kind not in DIMENSION_KINDS:
        problems.append(
            Problem("dimensions", _("unknown dimension %(kind)r") % {"kind": dimension.kind})
        )
    if dimension.unit not in DIMENSION_UNITS:
        problems.append(
            Problem("dimensions", _("unknown unit %(unit)r") % {"unit": dimension.unit})
        )
    try:
        value = Decimal(dimension.value).quantize(Decimal("0.01"))
    except InvalidOperation:
        value = Decimal(0)
    if not Decimal(0) < value < Decimal(10**8):
        problems.append(
            Problem(
                "dimensions",
                _("%(kind)s %(value)s is not a positive size")
                % {"kind": dimension.kind, "value": dimension.value},
            )
        )
    if problems:
        raise InvalidRecordError(problems)
    return value


def check_inscription(inscription: InscriptionRecord) -> None:
    problems = _check_lengths(Inscription, "inscriptions.", vars(inscription))
    if inscription.kind not in INSCRIPTION_KINDS:
        problems.append(
            Problem(
                "inscriptions",
                _("unknown kind of inscription %(kind)r") % {"kind": inscription.kind},
            )
        )
    if problems:
        raise InvalidRecordError(problems)


def check_specimen(specimen: SpecimenRecord) -> None:
    problems = _check_lengths(Specimen, "specimen.", vars(specimen))
    if specimen.basis_of_record not in BASES_OF_RECORD:
        problems.append(
            Problem(
                "specimen.basis_of_record",
                _("unknown basis of record %(basis)r") % {"basis": specimen.basis_of_record},
            )
        )
    if not specimen.scientific_name.strip():
        problems.append(Problem("specimen.scientific_name", _("missing")))
    lat, lon = specimen.latitude, specimen.longitude
    if lat is not None and not -90 <= lat <= 90:
        problems.append(
            Problem(
                "specimen.latitude", _("latitude %(value)s is outside -90..90") % {"value": lat}
            )
        )
    if lon is not None and not -180 <= lon <= 180:
        problems.append(
            Problem(
                "specimen.longitude",
                _("longitude %(value)s is outside -180..180") % {"value": lon},
            )
        )
    if (lat is None) != (lon is None):
        problems.append(Problem("specimen.latitude", _("latitude and longitude go together")))
    if specimen.country_code and not re.fullmatch(r"[A-Z]{2}", specimen.country_code):
        problems.append(
            Problem(
                "specimen.country_code",
                _("not an ISO 3166 code: %(code)r") % {"code": specimen.country_code},
            )
        )
    for name in ("coordinate_uncertainty_m", "individual_count"):
        number = getattr(specimen, name)
        if number is not None and not 0 <= number <= 2_147_483_647:
            problems.append(
                Problem(f"specimen.{name}", _("%(number)s is not a count") % {"number": number})
            )
    if problems:
        raise InvalidRecordError(problems)


def integrity_problem(exc: IntegrityError | DataError) -> Problem:
    """Name the field behind a database refusal (PostgreSQL names the constraint,
    SQLite the columns)."""
    text = str(exc)
    if "inventory_number" in text:
        return Problem("inventory_number", _("already used by another object in this collection"))
    if "pid" in text:
        return Problem("pid", _("already used by another object"))
    if "source_id" in text:
        return Problem("source_id", _("already imported (twice in one run at the same time?)"))
    reason = text.splitlines()[0] if text else repr(exc)
    return Problem("record", _("refused by the database: %(reason)s") % {"reason": reason})


# -- the context: caches for a run --------------------------------------------------------


@dataclass(frozen=True)
class Existing:
    pk: int
    source_hash: str


def objects_of_source(source: str) -> QuerySet[HeritageObject]:
    """Objects of an import source, as the unique index on (source, source_id) sees
    them. Look imported objects up through this: that index leaves out objects without
    a source id, so a query that does not say so too cannot use it (SQLite never, and
    PostgreSQL not for a list of ids) and reads the whole table instead."""
    return HeritageObject.objects.filter(source=source).exclude(source_id="")


class UpsertContext:
    """Per-run caches: collections, concepts, agents, pids in use, existing objects.

    Entries added while a record is written are staged, and dropped again when that
    record rolls back (or in a dry run), so a cache never points at a row that is gone.
    What is known per record (existing objects, pids) is kept for one batch only
    (`prefetch` starts afresh), so a run of a million records keeps a flat memory;
    concepts, agents and collections are few and kept for the whole run.
    """

    def __init__(self, *, source: str) -> None:
        self.source = source
        self._ids: dict[tuple[Any, ...], int] = {}
        self._existing: dict[str, Existing | None] = {}
        self._pids_known: set[str] = set()
        self._pids_taken: set[str] = set()
        self._candidates: dict[str, list[str]] = {}
        self._staged: list[tuple[str, Any]] = []

    def keep_staged(self) -> None:
        self._staged.clear()

    def drop_staged(self) -> None:
        for kind, key in reversed(self._staged):
            if kind == "id":
                self._ids.pop(key, None)
            elif kind == "pid":
                self._pids_taken.discard(key)
            else:
                self._existing.pop(key, None)
        self._staged.clear()

    def prefetch(self, records: list[ObjectRecord]) -> None:
        """Learn in three queries what a batch needs: its existing objects and pids
        (forgetting those of earlier batches: they are committed, and a record seen
        again is looked up again)."""
        if not self._staged:
            self._existing.clear()
            self._pids_known.clear()
            self._pids_taken.clear()
            self._candidates.clear()
        wanted = [r.source_id for r in records if r.source_id not in self._existing]
        if wanted:
            rows = objects_of_source(self.source).filter(TextIn(F("source_id"), wanted)).order_by()
            for pk, source_id, digest in rows.values_list("pk", "source_id", "source_hash"):
                self._existing[source_id] = Existing(pk, digest)
            for source_id in wanted:
                self._existing.setdefault(source_id, None)
        self._learn_pids([c for r in records for c in self._pid_candidates(r)])

    def _pid_candidates(self, record: ObjectRecord) -> list[str]:
        key = record.source_id
        if key not in self._candidates:
            self._candidates[key] = _pid_candidates(record)
        return self._candidates[key]

    def _learn_pids(self, pids: list[str]) -> None:
        unknown = set(pids) - self._pids_known
        if unknown:
            for model in (HeritageObject, Tombstone):
                in_use = model.objects.filter(TextIn(F("pid"), unknown)).order_by()
                self._pids_taken.update(in_use.values_list("pid", flat=True))
            self._pids_known |= unknown

    def existing(self, source_id: str) -> Existing | None:
        if source_id not in self._existing:
            row = (
                objects_of_source(self.source)
                .filter(source_id=source_id)
                .values_list("pk", "source_hash")
                .first()
            )
            self._existing[source_id] = Existing(*row) if row else None
        return self._existing[source_id]

    def remember(self, source_id: str, pk: int, digest: str) -> None:
        self._existing[source_id] = Existing(pk, digest)
        self._staged.append(("existing", source_id))

    def free_pid(self, record: ObjectRecord) -> str:
        """The first free candidate pid; a deleted object's pid (tombstone) is never reused."""
        candidates = self._pid_candidates(record)
        salt = 0
        while True:
            self._learn_pids(candidates)
            free = [c for c in candidates if c not in self._pids_taken]
            if free:
                break
            salt += 1
            candidates = [_hashed_pid(record, salt=str(salt))]
        self._pids_taken.add(free[0])
        self._staged.append(("pid", free[0]))
        return free[0]

    def _cached(self, keys: Sequence[tuple[Any, ...]], pk: int) -> int:
        for key in keys:
            if key not in self._ids:
                self._ids[key] = pk
                self._staged.append(("id", key))
        return pk

    def collection_id(self, code: str) -> int | None:
        key = ("collection", code)
        if key not in self._ids:
            pk = Collection.objects.filter(code=code).values_list("pk", flat=True).first()
            if pk is None:
                return None
            self._ids[key] = pk  # collections are not created here: nothing to stage
        return self._ids[key]

    def concept_id(self, concept: ConceptRecord) -> int:
        # The record as given, first: most terms repeat, and their codes take a slugify.
        given = ("concept", concept.scheme, concept.uri, concept.code, *concept.label.items())
        if given in self._ids:
            return self._ids[given]
        scheme, code = concept.scheme, concept.code or _concept_code(concept)
        keys: list[tuple[Any, ...]] = [given]
        if concept.uri:
            keys.append(("concept-uri", scheme, concept.uri))
        keys.append(("concept-code", scheme, code))
        for key in keys:
            if key in self._ids:
                return self._cached(keys, self._ids[key])
        concepts = Concept.objects.filter(scheme=scheme)
        if concept.uri:
            found = concepts.filter(uri=concept.uri).values_list("pk", flat=True).first()
            if found is not None:
                return self._cached(keys, found)
        row = concepts.filter(code=code).values_list("pk", "uri").first()
        if row is not None and row[1] and concept.uri and row[1] != concept.uri:
            # The code is taken by another concept (same label, other URI): keep apart.
            code = f"{code[:110]}-{_short_hash(concept.uri)}"
            keys.append(("concept-code", scheme, code))
            row = concepts.filter(code=code).values_list("pk", "uri").first()
        if row is not None:
            return self._cached(keys, row[0])
        created = Concept.objects.create(
            scheme=scheme, code=code, label=_with_dutch(concept.label, code), uri=concept.uri
        )
        return self._cached(keys, created.pk)

    def agent_id(self, agent: AgentRecord) -> int:
        ids = {"wikidata_id": agent.wikidata_id, "rkd_id": agent.rkd_id, "uri": agent.uri}
        keys = [("agent", name, value) for name, value in ids.items() if value]
        keys.append(("agent", "name", agent.name))
        for key in keys:
            if key in self._ids:
                return self._cached(keys, self._ids[key])
        for name, value in ids.items():
            if value:
                found = Agent.objects.filter(**{name: value}).values_list("pk", flat=True).first()
                if found is not None:
                    return self._cached(keys, found)
        # By name only when no identifier says it is someone else of the same name.
        for row in Agent.objects.filter(name=agent.name).values("pk", *ids):
            if all(not value or not row[name] or row[name] == value for name, value in ids.items()):
                return self._cached(keys, row["pk"])
        return self._cached(keys, self._agent_create(agent).pk)

    def _agent_create(self, agent: AgentRecord) -> Agent:
        base = (slugify(agent.name) or "agent")[:180]
        taken = set(Agent.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        values = asdict(agent)
        return Agent.objects.create(slug=slug, **values)


# -- the upsert ----------------------------------------------------------------------------

OBJECT_FIELDS = (
    "inventory_number",
    "title",
    "description",
    "date_display",
    "date_display_language",
    "date_earliest",
    "date_latest",
    "production_place",
    "production_place_uri",
    "dimensions_display",
    "provenance",
    "credit_line",
    "rights_uri",
    "source_url",
)
CONCEPT_RELATIONS = ("materials", "techniques", "subjects")


class _DryRunDoneError(Exception):
    """Raised inside a dry run's transaction so that it rolls back."""


def object_upsert(
    record: ObjectRecord,
    *,
    source: str,
    actor: Any,
    dry_run: bool = False,
    context: UpsertContext | None = None,
) -> Outcome:
    """Create or update the object of `record` (see the module docstring). In a dry run
    everything is written and checked, then rolled back."""
    ctx = context or UpsertContext(source=source)
    if ctx.source != source:
        raise ValueError("this context belongs to another source")
    check_object(record)
    digest = record_hash(record)
    existing = ctx.existing(record.source_id)
    if existing is not None and existing.source_hash == digest:
        return Outcome.UNCHANGED
    outcome = Outcome.CREATED if existing is None else Outcome.UPDATED
    try:
        with transaction.atomic():
            _write(record, ctx=ctx, existing=existing, digest=digest, actor=actor)
            if dry_run:
                raise _DryRunDoneError
    except _DryRunDoneError:
        ctx.drop_staged()
    except (IntegrityError, DataError) as exc:
        ctx.drop_staged()
        raise InvalidRecordError([integrity_problem(exc)]) from exc
    except BaseException:
        ctx.drop_staged()
        raise
    else:
        ctx.keep_staged()
    return outcome


def objects_upsert(
    records: Sequence[ObjectRecord],
    *,
    source: str,
    actor: Any,
    dry_run: bool = False,
    context: UpsertContext | None = None,
) -> list[Outcome | InvalidRecordError]:
    """object_upsert for a batch, with the same guarantees for every record, and an
    outcome (or the error) per record, in order.

    Records new to the source are checked in Python and then inserted together: one
    INSERT per table for the whole batch instead of one per record. Should the database
    refuse any of them (an inventory number in use), that insert is rolled back and
    every record goes through object_upsert on its own, so a bad record still fails
    alone. Changed and repeated records always go one by one."""
    ctx = context or UpsertContext(source=source)
    results: list[Outcome | InvalidRecordError | None] = [None] * len(records)
    fresh: list[tuple[int, ObjectRecord, str]] = []
    one_by_one: list[int] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        try:
            check_record(record)
        except InvalidRecordError as invalid:
            results[index] = invalid
            continue
        digest = record_hash(record)
        existing = ctx.existing(record.source_id)
        if record.source_id in seen:
            one_by_one.append(index)
        elif existing is None:
            fresh.append((index, record, digest))
        elif existing.source_hash == digest:
            results[index] = Outcome.UNCHANGED
        else:
            one_by_one.append(index)
        seen.add(record.source_id)
    if fresh:
        try:
            with transaction.atomic():
                _create_many(fresh, ctx=ctx, actor=actor)
                if dry_run:
                    raise _DryRunDoneError
        except _DryRunDoneError:
            ctx.drop_staged()
        except (IntegrityError, DataError, InvalidRecordError):
            ctx.drop_staged()
            one_by_one = sorted(one_by_one + [index for index, _r, _d in fresh])
            fresh = []
        except BaseException:
            ctx.drop_staged()
            raise
        else:
            ctx.keep_staged()
        for index, _record, _digest in fresh:
            results[index] = Outcome.CREATED
    for index in one_by_one:
        try:
            results[index] = object_upsert(
                records[index], source=source, actor=actor, dry_run=dry_run, context=ctx
            )
        except InvalidRecordError as invalid:
            results[index] = invalid
    return [r if r is not None else Outcome.UNCHANGED for r in results]


def check_record(record: ObjectRecord) -> None:
    """Every check of a record and its parts, without writing (batch inserts use it)."""
    check_object(record)
    for maker in record.makers:
        check_maker(maker)
    for dimension in record.dimensions:
        check_dimension(dimension)
    for inscription in record.inscriptions:
        check_inscription(inscription)
    if record.specimen is not None:
        check_specimen(record.specimen)


def _object_values(record: ObjectRecord, ctx: UpsertContext, digest: str) -> dict[str, Any]:
    collection_id = ctx.collection_id(record.collection)
    if collection_id is None:
        raise InvalidRecordError(
            [Problem("collection", _("unknown collection %(code)r") % {"code": record.collection})]
        )
    return {
        "collection_id": collection_id,
        "object_type_id": ctx.concept_id(record.object_type) if record.object_type else None,
        "source_hash": digest,
        **{name: getattr(record, name) for name in OBJECT_FIELDS},
    }


def _new_object(record: ObjectRecord, ctx: UpsertContext, digest: str) -> HeritageObject:
    return HeritageObject(
        pid=ctx.free_pid(record),
        source=ctx.source,
        source_id=record.source_id,
        is_public=record.publish,
        **_object_values(record, ctx, digest),
    )


def _write(
    record: ObjectRecord, *, ctx: UpsertContext, existing: Existing | None, digest: str, actor: Any
) -> None:
    if existing is None:
        obj = _new_object(record, ctx, digest)
        obj.save(force_insert=True)
    else:
        obj = HeritageObject.objects.select_for_update().get(pk=existing.pk)
        old_collection_id = obj.collection_id
        for name, value in _object_values(record, ctx, digest).items():
            setattr(obj, name, value)
        obj.save()
        collection_left(obj, old_collection_id=old_collection_id)
        _clear_related(obj)
    rows = _Rows()
    rows.add(obj.pk, record, ctx, new=existing is None)
    rows.save()
    if existing is not None:
        _update_specimen(obj, record.specimen)
    ctx.remember(record.source_id, obj.pk, digest)
    action = "import_create" if existing is None else "import_update"
    object_changed(obj, actor=actor, action=action, message=f"{ctx.source}: {record.source_id}")


def _create_many(
    fresh: list[tuple[int, ObjectRecord, str]], *, ctx: UpsertContext, actor: Any
) -> None:
    """Insert new, already checked records: one statement per table, no model instances
    (the rows are plain tuples; see `insert_rows`)."""
    now = timezone.now()
    values = []
    for _index, record, digest in fresh:
        row = _object_values(record, ctx, digest)
        row.update(
            pid=ctx.free_pid(record),
            uuid=uuid.uuid4(),
            source=ctx.source,
            source_id=record.source_id,
            is_public=record.publish,
            created_at=now,
            updated_at=now,
        )
        values.append(row)
    insert_rows(HeritageObject, list(values[0]), [tuple(row.values()) for row in values])
    # The new ids, found by the unique key just written (one query: no RETURNING needed,
    # so PostgreSQL can take the rows by COPY).
    source_ids = TextIn(F("source_id"), [record.source_id for _i, record, _d in fresh])
    pks = dict(
        objects_of_source(ctx.source).filter(source_ids).order_by().values_list("source_id", "pk")
    )
    rows = _Rows()
    for _index, record, digest in fresh:
        pk = pks[record.source_id]
        rows.add(pk, record, ctx, new=True, checked=True)
        ctx.remember(record.source_id, pk, digest)
    rows.save()
    objects_created(
        [pks[record.source_id] for _index, record, _digest in fresh],
        actor=actor,
        action="import_create",
        messages=[f"{ctx.source}: {record.source_id}" for _index, record, _digest in fresh],
    )


def _clear_related(obj: HeritageObject) -> None:
    ObjectAgent.objects.filter(object=obj).delete()
    Dimension.objects.filter(object=obj).delete()
    Inscription.objects.filter(object=obj).delete()
    for name in CONCEPT_RELATIONS:
        getattr(obj, name).clear()


def _specimen_values(specimen: SpecimenRecord) -> dict[str, Any]:
    values = dict(vars(specimen))
    for name in ("latitude", "longitude"):
        if values[name] is not None:
            values[name] = Decimal(values[name]).quantize(Decimal("0.000001"))
    return values


def _update_specimen(obj: HeritageObject, specimen: SpecimenRecord | None) -> None:
    if specimen is None:
        Specimen.objects.filter(object=obj).delete()
    else:
        check_specimen(specimen)
        values = _specimen_values(specimen)
        # A curator's "sensitive locality" stays: a source that does not say so (Darwin
        # Core has no such flag) must not make an exact find site public again.
        stored = Specimen.objects.filter(object=obj).values_list("locality_is_sensitive", flat=True)
        values["locality_is_sensitive"] = specimen.locality_is_sensitive or any(stored)
        Specimen.objects.update_or_create(object=obj, defaults=values)


MAKER_COLUMNS = ("object_id", "agent_id", "role", "attribution", "position")
DIMENSION_COLUMNS = ("object_id", "kind", "value", "unit")
INSCRIPTION_COLUMNS = ("object_id", "kind", "transcription", "position", "description")
SPECIMEN_COLUMNS = ("object_id", *(f.name for f in fields(SpecimenRecord)))


class _Rows:
    """The related rows of one or many objects, inserted with one query per table.
    Each part is checked as it is added (after its object row was written), unless
    the caller checked the whole record before."""

    def __init__(self) -> None:
        self.concepts: dict[str, list[tuple[int, int]]] = {n: [] for n in CONCEPT_RELATIONS}
        self.makers: list[tuple[Any, ...]] = []
        self.dimensions: list[tuple[Any, ...]] = []
        self.inscriptions: list[tuple[Any, ...]] = []
        self.specimens: list[tuple[Any, ...]] = []

    def add(
        self, pk: int, record: ObjectRecord, ctx: UpsertContext, *, new: bool, checked: bool = False
    ) -> None:
        for name in CONCEPT_RELATIONS:
            ids = dict.fromkeys(ctx.concept_id(c) for c in getattr(record, name))
            self.concepts[name] += [(pk, concept_id) for concept_id in ids]
        seen: set[tuple[int, str]] = set()
        for position, maker in enumerate(record.makers):
            if not checked:
                check_maker(maker)
            key = (ctx.agent_id(maker.agent), maker.role)
            if key not in seen:  # one row per agent and role (a database rule)
                seen.add(key)
                self.makers.append((pk, key[0], maker.role, maker.attribution, position))
        for dimension in record.dimensions:
            value = check_dimension(dimension)
            self.dimensions.append((pk, dimension.kind, value, dimension.unit))
        for inscription in record.inscriptions:
            if not checked:
                check_inscription(inscription)
            self.inscriptions.append(
                (
                    pk,
                    inscription.kind,
                    inscription.transcription,
                    inscription.position,
                    inscription.description,
                )
            )
        if new and record.specimen is not None:
            if not checked:
                check_specimen(record.specimen)
            self.specimens.append((pk, *_specimen_values(record.specimen).values()))

    def save(self) -> None:
        for name, rows in self.concepts.items():
            insert_rows(
                getattr(HeritageObject, name).through, ("heritageobject_id", "concept_id"), rows
            )
        insert_rows(ObjectAgent, MAKER_COLUMNS, self.makers)
        insert_rows(Dimension, DIMENSION_COLUMNS, self.dimensions)
        insert_rows(Inscription, INSCRIPTION_COLUMNS, self.inscriptions)
        insert_rows(Specimen, SPECIMEN_COLUMNS, self.specimens)


# -- identifiers ---------------------------------------------------------------------------


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _slug(text: str, length: int) -> str:
    # Dots and slashes separate parts of inventory numbers: keep them apart in the slug
    # ("1977.20" -> "1977-20", not "197720").
    return slugify(re.sub(r"[./:]+", "-", text))[:length].strip("-")


def _hashed_pid(record: ObjectRecord, *, salt: str = "") -> str:
    base = _slug(f"{record.collection}-{record.inventory_number}", 60) or "object"
    return f"{base}-{_short_hash(record.source_id + salt)}"


def _pid_candidates(record: ObjectRecord) -> list[str]:
    """Pids to try, best first: the source's published id, then collection + inventory
    number, then that plus a hash of the source id (stable for the same record)."""
    candidates = [_slug(record.pid, 80)] if record.pid else []
    candidates.append(_slug(f"{record.collection}-{record.inventory_number}", 80))
    candidates.append(_hashed_pid(record))
    return [c for c in dict.fromkeys(candidates) if c]


def _concept_code(concept: ConceptRecord) -> str:
    labels = concept.label
    label = labels.get("nl") or labels.get("en") or next(iter(labels.values()), "")
    code = slugify(label)[:120].strip("-")
    if not code and concept.uri:
        code = slugify(concept.uri.split("://", 1)[-1])[-120:].strip("-")
    return code or f"concept-{_short_hash(concept.uri + repr(sorted(labels.items())))}"


def _with_dutch(label: dict[str, str], fallback: str) -> dict[str, str]:
    """Concept labels need Dutch (a database rule): without one, the English (else the
    first) label stands in until a curator translates it."""
    result = {lang: text for lang, text in label.items() if text}
    if not result.get("nl"):
        result["nl"] = result.get("en") or next(iter(result.values()), fallback)
    return result
