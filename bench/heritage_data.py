"""Bulk generator of a large heritage collection for the benchmarks (not for the demo).

`generate_objects(n, seed=...)` writes to the database Django is configured for:

- 5 collections (ceramics 40 %, natural history 35 %, archaeology 12 %, library 10 %,
  dialect 3 % of the objects), about 90 concepts (object types per collection,
  materials, techniques, subjects; some with their Getty AAT or Wikidata URI) and
  n / 40 agents (at least 200; the real Maastricht potteries among them, a third with a
  Wikidata id, a tenth with an RKD id; the ids of generated agents are made up);
- n public objects, and on top of them 3 % hidden objects and tombstones of 2 %
  deleted objects (fractions are arguments), like a real collection's OAI-PMH list;
- per object: makers (ceramics: manufacturer, sometimes a decorator; books: author,
  illustrator, publisher), 1-2 materials, 0-2 techniques, 0-3 subjects, 1-3 dimensions,
  factory marks on 40 % of the ceramics, a Specimen for every natural-history object
  (fossils of the Maastricht Formation, a tenth at a sensitive locality), and 1-3 images
  (IIIF tiles "ready") on 40 % of the objects. The image files themselves do not exist:
  the rows are what exports and pages read.
- datestamps spread over three years, with 10 % of the objects sharing a handful of
  bulk-edit timestamps (the case keyset paging must get right).

**This bypasses the heritage services on purpose**: objects get explicit ids and all
rows are written with `COPY` (PostgreSQL) or `executemany` (SQLite). Through
`object_publish` and the importers, 100,000 objects would take many minutes, and the
benchmarks measure reads. No search documents and no audit entries are written; a
benchmark that needs the search index builds it with the search services.

Every run with the same `seed` writes the same data. Object pids are `<prefix>-<id>`
(ids above any existing row), so the generator may run on a database with other
objects, but is meant for a fresh benchmark database: see `prepare` and the command
line, `python bench/heritage_data.py --db sqlite|postgres --objects N [--regenerate]`.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time as clock
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench.databases import pg_recreate, pg_url, sqlite_remove  # noqa: E402

# One database per engine for the heritage benchmarks (never the site's database).
PG_NAME = os.environ.get("BENCH_HERITAGE_PG_NAME", "reisgezel_bench_heritage")
SQLITE_PATH = VAR / "heritage.sqlite3"
GENERATOR_VERSION = 1  # raise when the data changes shape: reused data sets are rebuilt
CHUNK = 5000

Log = Callable[[str], None]
Row = tuple[Any, ...]


@dataclass(frozen=True)
class CollectionSpec:
    code: str
    kind: str
    name: tuple[str, str]
    institution: str
    share: float
    pid_prefix: str
    types: tuple[tuple[str, str, str], ...]  # (nl, en, uri)


AAT = "http://vocab.getty.edu/aat/"
WIKIDATA = "http://www.wikidata.org/entity/"


def _terms(text: str) -> tuple[tuple[str, str, str], ...]:
    """Compact vocabulary lists: "nl|en|uri; nl|en" -> ((nl, en, uri), (nl, en, ""));
    a uri may start with aat: or wd: (Getty AAT, Wikidata)."""
    terms = []
    for item in text.split(";"):
        nl, en, *uri = (part.strip() for part in item.split("|"))
        link = uri[0] if uri else ""
        link = link.replace("aat:", AAT).replace("wd:", WIKIDATA)
        terms.append((nl, en, link))
    return tuple(terms)


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


COLLECTIONS = (
    CollectionSpec(
        "ceramics", "ceramics", ("Keramiek", "Ceramics"), "Centre Céramique", 0.40, "cc",
        _terms(
            "bord|plate|aat:300042215; schotel|dish|aat:300198908; kom|bowl; kan|jug;"
            " terrine|tureen; theepot|teapot; kop en schotel|cup and saucer; vaas|vase;"
            " tegel|tile"
        ),
    ),
    CollectionSpec(
        "natural-history", "natural_history",
        ("Natuurhistorische collectie", "Natural history collection"),
        "Natuurhistorisch Museum Maastricht", 0.35, "nh",
        _terms(
            "fossiel|fossil; skeletdeel|skeletal element; tand|tooth; schelp|shell;"
            " zee-egel|sea urchin"
        ),
    ),
    CollectionSpec(
        "archaeology", "archaeology", ("Archeologie", "Archaeology"), "Centre Céramique", 0.12,
        "ar", _terms("scherf|sherd; munt|coin; fibula|fibula; vuurstenen werktuig|flint tool"),
    ),
    CollectionSpec(
        "library", "library", ("Limburgensia en literatuur", "Limburgensia and literature"),
        "Centre Céramique", 0.10, "lb",
        _terms("boek|book; prent|print; foto|photograph; kaart|map; handschrift|manuscript"),
    ),
    CollectionSpec(
        "dialect", "dialect", ("Maastrichts dialect", "Maastricht dialect"), "Centre Céramique",
        0.03, "di", _terms("geluidsopname|sound recording; liedtekst|song text"),
    ),
)  # fmt: skip
MATERIALS = {
    "ceramics": _terms(
        "aardewerk|earthenware|aat:300010662; porselein|porcelain|aat:300010679;"
        " steengoed|stoneware; glazuur|glaze"
    ),
    "natural-history": _terms("fossiel bot|fossil bone; kalksteen|limestone"),
    "archaeology": _terms("brons|bronze; zilver|silver; vuursteen|flint"),
    "library": _terms("papier|paper; perkament|parchment; leer|leather"),
    "dialect": _terms("papier|paper; magneetband|magnetic tape"),
}
TECHNIQUES = _terms(
    "gedraaid|thrown; gegoten|slip cast; transferdruk|transfer printing;"
    " handbeschilderd|hand-painted; boekdruk|letterpress; gegraveerd|engraved;"
    " geprepareerd|prepared"
)
SUBJECTS = _terms(
    "Maastricht|Maastricht|wd:Q1309; Maas|Meuse; Vrijthof|Vrijthof; Sint Servaas|Saint"
    " Servatius; bloemen|flowers; Chinees landschap|Chinese landscape; jacht|hunting;"
    " religie|religion; industrie|industry; handel|trade; carnaval|carnival; Krijt|Cretaceous;"
    " Maastrichtien|Maastrichtian; mosasauriërs|mosasaurs; ENCI-groeve|ENCI quarry;"
    " Romeinse tijd|Roman period; dialect|dialect; poëzie|poetry"
)
DECORS = _terms(
    "met blauw transferdecor|with blue transfer print; met bloemdecor|with floral decoration;"
    " met Chinees landschap|with Chinese landscape; met gouden rand|with gilt rim;"
    " met jachttafereel|with hunting scene; wit|white"
)
# (name, slug, Wikidata id): the real makers of Maastricht ceramics.
POTTERIES = _terms(
    "Petrus Regout & Co|petrus-regout-co; Société Céramique|societe-ceramique;"
    " N.V. Mosa|mosa; De Sphinx|de-sphinx"
)
FIRST_NAMES = ("Jan", "Petrus", "Maria", "Hubert", "Anna", "Louis", "Fien", "Sjeng", "Lambert")
SURNAMES = ("Regout", "Brouwers", "Schoenmaeckers", "Dassen", "Coenen", "Hermans", "Smeets")
TAXA = (
    ("Mosasaurus hoffmanni", "Mantell, 1829", "Mosasauridae", "Mosasaurus", "species"),
    ("Prognathodon saturator", "Dortangs et al., 2002", "Mosasauridae", "Prognathodon", "species"),
    ("Allopleuron hoffmanni", "(Gray, 1831)", "Cheloniidae", "Allopleuron", "species"),
    ("Belemnitella junior", "Nowak, 1913", "Belemnitellidae", "Belemnitella", "species"),
    ("Hemipneustes striatoradiatus", "(Leske, 1778)", "Holasteridae", "Hemipneustes", "species"),
    ("Pachydiscus", "", "Pachydiscidae", "Pachydiscus", "genus"),
)
MEMBERS = ("Valkenburg", "Gronsveld", "Schiepersberg", "Emael", "Nekum", "Meerssen")
RIGHTS = (
    ("http://creativecommons.org/publicdomain/zero/1.0/", 5),
    ("http://creativecommons.org/publicdomain/mark/1.0/", 2),
    ("http://creativecommons.org/licenses/by/4.0/", 2),
    ("http://creativecommons.org/licenses/by-sa/4.0/", 1),
    ("http://rightsstatements.org/vocab/InC/1.0/", 1),
)
OBJECT_COLUMNS = _columns(
    "id created_at updated_at pid uuid inventory_number collection_id object_type_id title"
    " description date_display date_display_language date_earliest date_latest production_place"
    " production_place_uri dimensions_display provenance credit_line rights_uri is_public"
    " source source_id source_url source_hash"
)
SPECIMEN_COLUMNS = _columns(
    "object_id basis_of_record scientific_name scientific_name_authorship taxon_rank kingdom"
    " phylum class_name order family genus vernacular_name type_status locality country_code"
    " latitude longitude coordinate_uncertainty_m locality_is_sensitive geological_group"
    " formation member bed stage recorded_by collector_id event_date individual_count"
    " preparations occurrence_id"
)
MEDIA_COLUMNS = _columns(
    "created_at updated_at key kind object_id file content_type size_bytes sha256 width height"
    " duration_seconds alt_text caption credit rights_uri position tile_state tile_error"
)


def _insert(table: str, columns: Sequence[str], rows: list[Row]) -> None:
    """Raw multi-row insert: COPY on PostgreSQL, executemany on SQLite (as generate.py)."""
    from django.db import connection

    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


class _Values:
    """Python values as the database columns take them (JSON as text, UUIDs as hex on
    SQLite, datetimes through the backend's adapter)."""

    def __init__(self) -> None:
        from django.db import connection

        self.native_uuid = connection.features.has_native_uuid_field
        self.adapt_datetime = connection.ops.adapt_datetimefield_value

    def dt(self, value: datetime) -> Any:
        return self.adapt_datetime(value)

    def uuid(self, value: uuid.UUID) -> Any:
        return value if self.native_uuid else value.hex

    @staticmethod
    def json(value: dict[str, str]) -> str:
        return json.dumps(value, ensure_ascii=False)


def _vocabularies(rng: random.Random, n_agents: int) -> dict[str, Any]:
    """Collections, concepts and agents (through the ORM: a few thousand rows)."""
    from reisgezel.heritage.models import Agent, Collection, Concept

    collections = {}
    for position, spec in enumerate(COLLECTIONS):
        collection, _created = Collection.objects.get_or_create(
            code=spec.code,
            defaults={
                "kind": spec.kind,
                "name": {"nl": spec.name[0], "en": spec.name[1]},
                "institution": spec.institution,
                "position": position,
            },
        )
        collections[spec.code] = collection.pk

    def concept(scheme: str, nl: str, en: str, uri: str) -> int:
        code = nl.lower().replace(" ", "-").replace("ë", "e")
        found, _created = Concept.objects.get_or_create(
            scheme=scheme, code=code, defaults={"label": {"nl": nl, "en": en}, "uri": uri}
        )
        return int(found.pk)

    types = {s.code: [concept("object_type", *t) for t in s.types] for s in COLLECTIONS}
    materials = {code: [concept("material", *m) for m in ms] for code, ms in MATERIALS.items()}
    techniques = [concept("technique", *t) for t in TECHNIQUES]
    subjects = [concept("subject", *s) for s in SUBJECTS]
    agents = [
        Agent(kind="organisation", name=name, sort_name=name, slug=slug, wikidata_id=qid)
        for name, slug, qid in POTTERIES
    ]
    stamp = f"{rng.getrandbits(32):08x}"  # agent slugs are unique per generated set
    for i in range(max(n_agents, 200) - len(agents)):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        born = rng.randint(1780, 1960)
        died = born + rng.randint(30, 90)
        agents.append(
            Agent(
                kind="person",
                name=f"{first} {last}",
                sort_name=f"{last}, {first}",
                slug=f"{first}-{last}-{stamp}-{i}".lower(),
                dates_display=f"{born}-{died}",
                birth_year=born,
                death_year=died,
                wikidata_id=f"Q{rng.randint(1000, 99_999_999)}" if rng.random() < 0.33 else "",
                rkd_id=str(rng.randint(1000, 499_999)) if rng.random() < 0.1 else "",
            )
        )
    Agent.objects.bulk_create(agents, batch_size=2000)
    agent_ids = list(
        Agent.objects.filter(slug__in=[a.slug for a in agents]).values_list("pk", flat=True)
    )
    return {
        "collections": collections,
        "types": types,
        "materials": materials,
        "techniques": techniques,
        "subjects": subjects,
        "potteries": agent_ids[: len(POTTERIES)],
        "people": agent_ids[len(POTTERIES) :],
    }


def _date(spec: CollectionSpec, rng: random.Random) -> tuple[str, int | None, int | None]:
    if spec.kind == "natural_history":
        return "", None, None  # fossils: the geological age is on the specimen
    low, high = {"ceramics": (1836, 1969), "archaeology": (50, 1500)}.get(spec.kind, (1550, 1990))
    start = rng.randint(low, high)
    span = rng.choice((0, 5, 10, 20, 25))
    if span == 0:
        return str(start), start, start
    return f"c. {start}-{start + span}", start - 5, start + span + 5


def _timestamps(rng: random.Random, now: datetime, bulk: list[datetime]) -> tuple[datetime, ...]:
    created = now - timedelta(seconds=rng.randint(86_400, 3 * 365 * 86_400))
    if rng.random() < 0.10:
        return created, max(created, rng.choice(bulk))  # a bulk rights edit
    return created, created + timedelta(seconds=rng.randint(0, 400 * 86_400) * rng.randint(0, 1))


def _object_row(
    object_id: int,
    spec: CollectionSpec,
    vocab: dict[str, Any],
    rng: random.Random,
    values: _Values,
    stamps: tuple[datetime, ...],
    public: bool,
) -> Row:
    type_index = rng.randrange(len(spec.types))
    type_nl, type_en, _uri = spec.types[type_index]
    decor_nl, decor_en, _none = rng.choice(DECORS) if spec.kind == "ceramics" else ("", "", "")
    title = {"nl": f"{type_nl.capitalize()} {decor_nl}".strip()}
    if rng.random() < 0.7:
        title["en"] = f"{type_en.capitalize()} {decor_en}".strip()
    description = {}
    if rng.random() < 0.8:
        description["nl"] = (
            f"{type_nl.capitalize()} uit de collectie {spec.name[0].lower()}, "
            f"{spec.institution}. Inventarisnummer {object_id}."
        )
        if rng.random() < 0.6:
            description["en"] = f"{type_en.capitalize()} from the {spec.name[1].lower()}."
    date_display, earliest, latest = _date(spec, rng)
    made_here = spec.kind == "ceramics" and rng.random() < 0.8
    height = Decimal(rng.randint(20, 600)) / 10
    created, updated = stamps
    return (
        object_id,
        values.dt(created),
        values.dt(updated),
        f"{spec.pid_prefix}-{object_id:07d}",
        values.uuid(uuid.UUID(int=rng.getrandbits(128), version=4)),
        f"{spec.pid_prefix.upper()}.{object_id:07d}",
        vocab["collections"][spec.code],
        vocab["types"][spec.code][type_index] if rng.random() < 0.95 else None,
        values.json(title),
        values.json(description),
        date_display,
        "en" if date_display.startswith("c. ") else "",  # a bare year is in no language
        earliest,
        latest,
        "Maastricht" if made_here else "",
        "http://www.wikidata.org/entity/Q1309" if made_here else "",
        f"h. {height} cm",
        values.json({}),
        values.json({"nl": "Schenking van de Vereniging Limburgs Museum"})
        if rng.random() < 0.1
        else values.json({}),
        rng.choices([uri for uri, _w in RIGHTS], [w for _u, w in RIGHTS])[0],
        public,
        "",
        "",
        "",
        "",
    )


class _Children:
    """The rows that hang off a chunk of objects, written after the objects."""

    def __init__(self) -> None:
        self.makers: list[Row] = []
        self.materials: list[Row] = []
        self.techniques: list[Row] = []
        self.subjects: list[Row] = []
        self.dimensions: list[Row] = []
        self.inscriptions: list[Row] = []
        self.specimens: list[Row] = []
        self.media: list[Row] = []

    def add(
        self,
        object_id: int,
        spec: CollectionSpec,
        vocab: dict[str, Any],
        rng: random.Random,
        values: _Values,
        updated: datetime,
    ) -> None:
        self._makers(object_id, spec, vocab, rng)
        for concept in rng.sample(vocab["materials"][spec.code], rng.choice((1, 1, 2))):
            self.materials.append((object_id, concept))
        n_techniques = rng.choice((1, 2)) if spec.kind == "ceramics" else rng.choice((0, 0, 1))
        for concept in rng.sample(vocab["techniques"], n_techniques):
            self.techniques.append((object_id, concept))
        for concept in rng.sample(vocab["subjects"], rng.choice((0, 1, 1, 2, 3))):
            self.subjects.append((object_id, concept))
        for kind in rng.sample(("height", "width", "depth", "diameter"), rng.randint(1, 3)):
            self.dimensions.append((object_id, kind, Decimal(rng.randint(10, 900)) / 10, "cm"))
        if spec.kind == "ceramics" and rng.random() < 0.4:
            mark = rng.choice(("P. REGOUT MAESTRICHT", "SPHINX", "MOSA", "SOCIÉTÉ CÉRAMIQUE"))
            description = values.json({"nl": "Fabrieksmerk in blauw onder de bodem."})
            self.inscriptions.append((object_id, "mark", mark, "onderzijde", description))
        if spec.kind == "natural_history":
            self.specimens.append(_specimen_row(object_id, rng))
        if rng.random() < 0.4:
            for position in range(rng.randint(1, 3)):
                self.media.append(_media_row(object_id, position, rng, values, updated))

    def _makers(
        self, object_id: int, spec: CollectionSpec, vocab: dict[str, Any], rng: random.Random
    ) -> None:
        roles: list[tuple[int, str, str]] = []
        if spec.kind == "ceramics" and rng.random() < 0.95:
            roles.append((rng.choice(vocab["potteries"]), "manufacturer", ""))
            if rng.random() < 0.3:
                roles.append((rng.choice(vocab["people"]), "decorator", "attributed to"))
        elif spec.kind in ("library", "dialect") and rng.random() < 0.8:
            roles.append((rng.choice(vocab["people"]), "author", ""))
            if rng.random() < 0.15:
                roles.append((rng.choice(vocab["people"]), "illustrator", ""))
        for position, (agent, role, attribution) in enumerate(roles):
            self.makers.append((object_id, agent, role, attribution, position))

    def write(self) -> None:
        from reisgezel.heritage.models import (
            Dimension,
            HeritageObject,
            Inscription,
            MediaFile,
            ObjectAgent,
            Specimen,
        )

        _insert(
            ObjectAgent._meta.db_table,
            ("object_id", "agent_id", "role", "attribution", "position"),
            self.makers,
        )
        for relation, rows in (
            (HeritageObject.materials, self.materials),
            (HeritageObject.techniques, self.techniques),
            (HeritageObject.subjects, self.subjects),
        ):
            table = relation.through._meta.db_table
            _insert(table, ("heritageobject_id", "concept_id"), rows)
        _insert(Dimension._meta.db_table, ("object_id", "kind", "value", "unit"), self.dimensions)
        _insert(
            Inscription._meta.db_table,
            ("object_id", "kind", "transcription", "position", "description"),
            self.inscriptions,
        )
        _insert(Specimen._meta.db_table, SPECIMEN_COLUMNS, self.specimens)
        _insert(MediaFile._meta.db_table, MEDIA_COLUMNS, self.media)


def _specimen_row(object_id: int, rng: random.Random) -> Row:
    name, authorship, family, genus, rank = rng.choice(TAXA)
    sensitive = rng.random() < 0.1
    latitude = Decimal("50.8200") + Decimal(rng.randint(-300, 300)) / 10000
    longitude = Decimal("5.6900") + Decimal(rng.randint(-300, 300)) / 10000
    year = rng.randint(1890, 2024)
    return (
        object_id,
        "FossilSpecimen",
        name,
        authorship,
        rank,
        "Animalia",
        "Chordata" if family in ("Mosasauridae", "Cheloniidae") else "Mollusca",
        "",
        "",
        family,
        genus,
        "",
        "holotype" if rng.random() < 0.002 else "",
        "ENCI-groeve, Sint-Pietersberg" if not sensitive else "Groeve bij Maastricht",
        "NL",
        latitude,
        longitude,
        rng.choice((30, 100, 1000)),
        sensitive,
        "Chalk Group",
        "Maastricht Formation",
        rng.choice(MEMBERS),
        "",
        "Maastrichtian",
        f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        None,
        f"{year}-{rng.randint(1, 12):02d}",
        1,
        "",
        f"urn:catalog:NHMM:{object_id}",
    )


def _media_row(
    object_id: int, position: int, rng: random.Random, values: _Values, updated: datetime
) -> Row:
    key = uuid.UUID(int=rng.getrandbits(128), version=4)
    width, height = rng.choice(((4000, 3000), (3000, 4000), (6000, 4000)))
    return (
        values.dt(updated),
        values.dt(updated),
        values.uuid(key),
        "image",
        object_id,
        f"heritage/{key.hex[:2]}/{key.hex}.jpg",
        "image/jpeg",
        rng.randint(800_000, 9_000_000),
        f"{rng.getrandbits(256):064x}",
        width,
        height,
        None,
        values.json({"nl": "Foto van het object, vooraanzicht.", "en": "Photo, front view."}),
        values.json({"nl": f"Aanzicht {position + 1}"}),
        "Foto: Centre Céramique",
        "http://creativecommons.org/publicdomain/zero/1.0/",
        position,
        "ready" if rng.random() < 0.97 else "pending",
        "",
    )


def generate_objects(
    n: int,
    *,
    seed: int = 1,
    hidden: float = 0.03,
    deleted: float = 0.02,
    log: Log = print,
) -> dict[str, int]:
    """Write `n` public objects (plus `hidden` * n hidden ones and tombstones of
    `deleted` * n deleted ones) with everything around them. Returns row counts."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from reisgezel.heritage.models import HeritageObject

    rng = random.Random(seed)  # reproducible benchmark data
    values = _Values()
    started = clock.monotonic()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # (Not inside a transaction, which SQLite refuses: a test's run of a few rows.)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    vocab = _vocabularies(rng, n // 40)
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)  # fixed: the same seed gives the same rows
    bulk_edits = [now - timedelta(days=rng.randint(10, 700)) for _ in range(5)]
    last_id = HeritageObject.objects.order_by("-pk").values_list("pk", flat=True).first()
    first_id = (last_id or 0) + 1
    n_hidden = round(n * hidden)
    is_hidden = set(rng.sample(range(n + n_hidden), n_hidden))
    specs, weights = list(COLLECTIONS), [spec.share for spec in COLLECTIONS]
    counts = {"objects": 0, "public": 0, "hidden": 0, "specimens": 0, "images": 0}
    total = n + n_hidden
    for chunk_start in range(0, total, CHUNK):
        rows: list[Row] = []
        children = _Children()
        for i in range(chunk_start, min(chunk_start + CHUNK, total)):
            spec = rng.choices(specs, weights)[0]
            stamps = _timestamps(rng, now, bulk_edits)
            object_id = first_id + i
            rows.append(
                _object_row(object_id, spec, vocab, rng, values, stamps, i not in is_hidden)
            )
            children.add(object_id, spec, vocab, rng, values, stamps[1])
        with transaction.atomic():
            _insert(HeritageObject._meta.db_table, OBJECT_COLUMNS, rows)
            children.write()
        counts["objects"] += len(rows)
        counts["specimens"] += len(children.specimens)
        counts["images"] += len(children.media)
        log(f"  {counts['objects']:>8} objects ({clock.monotonic() - started:.0f} s)")
    counts["hidden"] = n_hidden
    counts["public"] = counts["objects"] - n_hidden
    counts["tombstones"] = _tombstones(round(n * deleted), first_id + total, rng, now, values)
    with connection.cursor() as cursor:
        # Explicit ids: move the sequences past them (PostgreSQL; SQLite follows by itself).
        for statement in connection.ops.sequence_reset_sql(no_style(), [HeritageObject]):
            cursor.execute(statement)
        # Fresh statistics, as autovacuum would give a real database after a while.
        cursor.execute("ANALYZE")
    log(f"  done: {counts} in {clock.monotonic() - started:.0f} s")
    return counts


def _tombstones(
    count: int, first_number: int, rng: random.Random, now: datetime, values: _Values
) -> int:
    from reisgezel.heritage.models import Tombstone

    rows = []
    for number in range(first_number, first_number + count):
        spec = rng.choices(list(COLLECTIONS), [spec.share for spec in COLLECTIONS])[0]
        deleted_at = now - timedelta(seconds=rng.randint(0, 700 * 86_400))
        rows.append((f"{spec.pid_prefix}-{number:07d}", spec.code, values.dt(deleted_at)))
    _insert(Tombstone._meta.db_table, ("pid", "collection_code", "deleted_at"), rows)
    return count


# --- A benchmark database of its own ---------------------------------------------------


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return pg_url(PG_NAME)


def meta_path(db: str) -> Path:
    """What the data set in the database holds (one file per database)."""
    return VAR / ("heritage-sqlite-meta.json" if db == "sqlite" else f"{PG_NAME}-meta.json")


def current_meta(db: str, objects: int, seed: int = 1) -> dict[str, Any] | None:
    """The description of the existing data set, if it is the one asked for."""
    path = meta_path(db)
    if not path.exists():
        return None
    meta: dict[str, Any] = json.loads(path.read_text())
    wanted: dict[str, Any] = {
        "objects_asked": objects,
        "seed": seed,
        "version": GENERATOR_VERSION,
        "database": database_url(db),
    }
    if any(meta.get(key) != value for key, value in wanted.items()):
        return None
    return meta


def _fresh_database(db: str) -> None:
    """Drop and create the heritage benchmark database (never any other)."""
    meta_path(db).unlink(missing_ok=True)
    if db == "sqlite":
        sqlite_remove(SQLITE_PATH)
        return
    pg_recreate(PG_NAME)


def configure_django(db: str) -> None:
    """Settings for a benchmark process: the database URL before Django is imported."""
    os.environ["DATABASE_URL"] = database_url(db)
    os.environ.update(
        {
            "REISGEZEL_TESTING": "1",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare(db: str, objects: int, *, seed: int = 1, regenerate: bool = False) -> dict[str, Any]:
    """Build (or reuse) the data set in this process; call before Django is set up."""
    if not regenerate and (meta := current_meta(db, objects, seed)) is not None:
        return {**meta, "reused": True}
    _fresh_database(db)
    configure_django(db)
    from django.core.management import call_command

    started = clock.monotonic()
    call_command("migrate", verbosity=0)
    print(f"[{db}] generating {objects} heritage objects", flush=True)
    counts = generate_objects(
        objects, seed=seed, log=lambda line: print(f"[{db}]{line}", flush=True)
    )
    meta = {
        **counts,
        "objects_asked": objects,
        "seed": seed,
        "version": GENERATOR_VERSION,
        "database": database_url(db),
        "generate_s": round(clock.monotonic() - started, 1),
        "date": clock.strftime("%Y-%m-%d"),
    }
    meta_path(db).parent.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/bench
    meta_path(db).write_text(json.dumps(meta))
    return {**meta, "reused": False}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Build a heritage benchmark database.")
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    meta = prepare(args.db, args.objects, seed=args.seed, regenerate=args.regenerate)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
