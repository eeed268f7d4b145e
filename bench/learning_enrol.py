"""Learning benchmark: enrolment throughput and latency under contention (issue 4).

    python bench/learning_enrol.py [--clients 200] [--per-client 5] [--places 100]
                                   [--workers 2] [--threads 8]

On PostgreSQL, in a database of its own (`$BENCH_LEARNING_PG_NAME`, default
`reisgezel_bench_learning`, dropped and created through `BENCH_PG_ADMIN_URL`), the real
site runs under granian on a free loopback port (`--workers` processes of `--threads`
blocking threads each, so at most workers x threads requests touch the database at
once). `--clients` client threads, each logged in as the guardian of a household of
`--per-client` participants (an adult and children), are released together and POST
one enrolment per participant, one after another, over a kept-alive HTTP connection:

- guarded: the enrolment page (`/nl/learn/enrol/<id>/`, learning.views.enrol and
  learning.services.enrolment.enrol: checks, the tariff quote, one conditional UPDATE of
  the edition row, the enrolment or waiting-list row, the audit entry, the e-mail task)
  against ONE popular edition of `--places` places: everybody contends for that row;
- guard-only: a bench-only endpoint with just the guarantee (capacity.seems_free, the
  conditional UPDATE and the enrolment row; or the locked edition row and a
  waiting-list row), against another edition of `--places` places;
- plain: the same clients, the same middleware, session and CSRF, POSTing to a bench-only
  endpoint that inserts the Enrolment row into another edition without any capacity
  guarantee (no UPDATE of the edition, no checks): the floor the guarded path is
  compared with.

The three paths run one after another in the same run, after a warm-up of every
server thread on each path. Reported per path: requests/s (all requests over the wall
time of the whole phase) and client-side p50/p95 latency. Both guarded runs are
checked: exactly `--places` enrolled, the rest on the waiting list,
`places_taken == --places`, nothing lost. E-mails go to
Django's dummy backend (rendered, not delivered); tasks run in the request
(immediate backend), as in the tests.

Results: a table on stdout and bench/results/<date>-learning-enrol.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
from bench.databases import pg_recreate, pg_url  # noqa: E402
from bench.machine import cpu_reference  # noqa: E402

PG_NAME = os.environ.get("BENCH_LEARNING_PG_NAME", "reisgezel_bench_learning")
PLAIN_PATH = "/bench/plain-enrol/"
GUARD_PATH = "/bench/guard-only/"
SECRET_KEY = secrets.token_urlsafe(50)


def database_url() -> str:
    return pg_url(PG_NAME)


def base_env() -> dict[str, str]:
    return {
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REISGEZEL_TESTING": "1",  # immediate tasks, plain static storage, locmem cache
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
    }


# --- The server side: a bench URLconf (granian imports this module) ---------------------


def _plain_enrol(request: Any, edition_id: int) -> Any:
    """Insert an enrolment without any capacity guarantee (the baseline)."""
    from django.http import HttpResponse, HttpResponseRedirect

    from reisgezel.learning.models import Enrolment, Participant

    if request.method != "POST" or not request.user.is_authenticated:
        return HttpResponse(status=403)
    participant = Participant.objects.get(
        pk=request.POST["participant"], household__guardians__user=request.user
    )
    Enrolment.objects.create(
        edition_id=edition_id, participant=participant, enrolled_by=request.user
    )
    return HttpResponseRedirect("/")


def _guard_only_enrol(request: Any, edition_id: int) -> Any:
    """Only the capacity guarantee: the conditional UPDATE and the enrolment row, or the
    locked edition row and a waiting-list row; no checks, price, audit or e-mail."""
    from django.db import transaction
    from django.http import HttpResponse, HttpResponseRedirect

    from reisgezel.learning.models import Enrolment, Participant, WaitingListEntry
    from reisgezel.learning.services import capacity

    if request.method != "POST" or not request.user.is_authenticated:
        return HttpResponse(status=403)
    participant = Participant.objects.get(
        pk=request.POST["participant"], household__guardians__user=request.user
    )
    with transaction.atomic():
        if capacity.seems_free(edition_id) and capacity.take_place(edition_id):
            Enrolment.objects.create(
                edition_id=edition_id, participant=participant, enrolled_by=request.user
            )
        else:
            capacity.lock_edition(edition_id)
            WaitingListEntry.objects.create(
                edition_id=edition_id, participant=participant, requested_by=request.user
            )
    return HttpResponseRedirect("/")


def __getattr__(name: str) -> Any:
    """`application` for granian and `urlpatterns` for Django, built on first use so that
    running this file as a script does not set Django up in the parent process."""
    if name == "application":
        import django
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        django.setup()
        settings.ROOT_URLCONF = "bench.learning_enrol"
        return get_wsgi_application()
    if name == "urlpatterns":
        from django.urls import path

        from config import urls

        return [
            path(f"{PLAIN_PATH[1:]}<int:edition_id>/", _plain_enrol),
            path(f"{GUARD_PATH[1:]}<int:edition_id>/", _guard_only_enrol),
            *urls.urlpatterns,
        ]
    raise AttributeError(name)


# --- Setup (in a process of its own) ------------------------------------------------------


def fresh_database() -> None:
    pg_recreate(PG_NAME)


def setup(clients: int, per_client: int, places: int) -> dict[str, Any]:
    """Migrate, create the editions and the households; return what the clients need."""
    os.environ.update(base_env())
    import django

    django.setup()
    from datetime import date, timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from reisgezel.accounts.models import User
    from reisgezel.learning.models import (
        Course,
        CourseKind,
        CourseState,
        Edition,
        EditionState,
        Guardian,
        Household,
        Participant,
        Tariff,
    )
    from tests.factories import make_organisation, make_place

    call_command("migrate", verbosity=0)
    provider = make_organisation(name="Kumulus")
    place = make_place()
    course = Course.objects.create(
        provider=provider,
        slug="popular",
        kind=CourseKind.SHORT_COURSE,
        title={"nl": "Populaire cursus", "en": "Popular course"},
        age_min=4,
        age_max=120,
        state=CourseState.PUBLISHED,
    )
    start = timezone.localdate() + timedelta(days=30)
    editions = {}
    for code in ("guarded", "guard-only", "plain", "warmup"):
        edition = Edition.objects.create(
            course=course,
            code=code,
            starts_on=start,
            ends_on=start + timedelta(weeks=10),
            place=place,
            min_participants=1,
            max_participants=places,
            state=EditionState.OPEN,
        )
        Tariff.objects.create(
            edition=edition, code="standard", label={"nl": "Standaard"}, amount=120, is_default=True
        )
        editions[code] = edition.pk
    backend = settings.AUTHENTICATION_BACKENDS[0]
    now = timezone.now()
    people: list[dict[str, Any]] = []
    for index in range(clients):
        user = User.objects.create(username=f"guardian{index}", email=f"g{index}@example.org")
        household = Household.objects.create(name=f"Family {index}")
        Guardian.objects.create(household=household, user=user)
        members = [
            Participant(
                household=household,
                user=user,
                given_name="Anna",
                family_name=f"F{index}",
                birth_date=date(1985, 1, 1),
            )
        ] + [
            Participant(
                household=household,
                given_name=f"Kid{k}",
                family_name=f"F{index}",
                birth_date=date(2016, 1, 1 + k),
                consent_by=user,
                consent_at=now,
            )
            for k in range(per_client - 1)
        ]
        Participant.objects.bulk_create(members)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append(
            {
                "session": session.session_key,
                "participants": list(
                    Participant.objects.filter(household=household)
                    .order_by("id")
                    .values_list("pk", flat=True)
                ),
            }
        )
    return {
        "editions": editions,
        "people": people,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def check(places: int, requests: int) -> dict[str, int]:
    from django.db import connection

    from reisgezel.learning.models import Edition, Enrolment, WaitingListEntry

    connection.close()  # a fresh look at what the server committed
    guarded = Edition.objects.get(code="guarded")
    plain = Edition.objects.get(code="plain")
    warmup = Edition.objects.get(code="warmup")
    guard_only = Edition.objects.get(code="guard-only")
    return {
        "places_taken": guarded.places_taken,
        "enrolled": Enrolment.objects.filter(edition=guarded, state="active").count(),
        "waiting": WaitingListEntry.objects.filter(edition=guarded, state="waiting").count(),
        "guard_only_places": guard_only.places_taken,
        "guard_only_enrolled": Enrolment.objects.filter(edition=guard_only).count(),
        "guard_only_waiting": WaitingListEntry.objects.filter(edition=guard_only).count(),
        "plain_rows": Enrolment.objects.filter(edition=plain).count(),
        "warmup_rows": Enrolment.objects.filter(edition=warmup).count(),
        "expected_places": places,
        "requests": requests,
    }


# --- The server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_site(workers: int, threads: int) -> Iterator[int]:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="learning-bench-") as tmp:
        env = {
            **base_env(),
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
            "HOME": tmp,
            "LANG": "C.UTF-8",
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
        granian = Path(sys.executable).parent / "granian"
        command = [
            str(granian),
            *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
            *("--workers", str(workers), "--blocking-threads", str(threads)),
            *("--backlog", "2048", "--no-ws", "bench.learning_enrol:application"),
        ]
        log_path = Path(tmp) / "granian.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"granian stopped:\n{log_path.read_text()[-3000:]}")
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"granian did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


# --- The clients -----------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    wall: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def run_phase(name: str, port: int, path: str, data: dict[str, Any]) -> Phase:
    phase = Phase(name)
    lock = threading.Lock()
    people = data["people"]
    barrier = threading.Barrier(len(people) + 1)

    def client(person: dict[str, Any]) -> None:
        token = secrets.token_hex(16)  # a CSRF secret of our own: cookie and header agree
        cookie = f"{data['session_cookie']}={person['session']}; {data['csrf_cookie']}={token}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        barrier.wait()
        for participant in person["participants"]:
            body = f"participant={participant}"
            headers = {
                "Cookie": cookie,
                "X-CSRFToken": token,
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": "127.0.0.1",
            }
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                with lock:
                    phase.errors += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                phase.latencies.append(elapsed)
                phase.statuses[status] = phase.statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    phase.wall = time.perf_counter() - started
    return phase


# --- Report ------------------------------------------------------------------------------------


def table(guarded: Phase, guard: Phase, plain: Phase) -> list[str]:
    """Each guarded path next to the plain insert of the same run (ratio = figure /
    baseline: below 1 is slower for enrolments/s, above 1 is slower for latency)."""
    lines = [
        "| path | measure | figure | baseline (plain insert) | ratio |",
        "|---|---|---:|---:|---:|",
    ]
    for phase in (guarded, guard):
        ratio = phase.rate / plain.rate if plain.rate else 0
        lines.append(
            f"| {phase.name} | enrolments/s | {phase.rate:,.0f} | {plain.rate:,.0f} | {ratio:.2f} |"
        )
        for label, q in (("p50 latency", 0.50), ("p95 latency", 0.95)):
            g, p = phase.percentile(q), plain.percentile(q)
            lines.append(
                f"| {phase.name} | {label} | {g:,.0f} ms | {p:,.0f} ms | {g / p if p else 0:.2f} |"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--per-client", type=int, default=5)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.per_client < 3:
        parser.error("--per-client must be at least 3 (the warm-up uses three members)")

    fresh_database()
    started = time.perf_counter()
    data = setup(args.clients, args.per_client, args.places)
    print(f"setup: {time.perf_counter() - started:.0f} s", flush=True)
    requests = args.clients * args.per_client
    load = os.getloadavg()
    with running_site(args.workers, args.threads) as port:
        # Warm up every worker thread (imports, templates, connections) on both paths,
        # against a third edition, so that neither measured phase pays for it.
        # (different participants on each path: one active enrolment per participant)
        warm_people = data["people"][: 2 * args.workers * args.threads]
        paths = (
            ("/nl/learn/enrol/", slice(0, 1)),
            (GUARD_PATH, slice(1, 2)),
            (PLAIN_PATH, slice(-1, None)),
        )
        for path, members in paths:
            people = [{**p, "participants": p["participants"][members]} for p in warm_people]
            warm = {**data, "people": people}
            run_phase("warmup", port, f"{path}{data['editions']['warmup']}/", warm)
        guarded = run_phase(
            "guarded", port, f"/nl/learn/enrol/{data['editions']['guarded']}/", data
        )
        guard = run_phase(
            "guard-only", port, f"{GUARD_PATH}{data['editions']['guard-only']}/", data
        )
        plain = run_phase("plain", port, f"{PLAIN_PATH}{data['editions']['plain']}/", data)
    result = check(args.places, requests)
    ok = (
        result["places_taken"] == result["enrolled"] == args.places
        and result["enrolled"] + result["waiting"] == requests
        and result["plain_rows"] == requests
        and result["guard_only_places"] == result["guard_only_enrolled"] == args.places
        and result["guard_only_enrolled"] + result["guard_only_waiting"] == requests
        and not guard.errors
        and not guarded.errors
        and not plain.errors
    )
    lines = [
        f"# Learning: enrolment under contention, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"`python bench/learning_enrol.py --clients {args.clients} --per-client "
        f"{args.per_client} --places {args.places} --workers {args.workers} "
        f"--threads {args.threads}` on PostgreSQL, granian over loopback; "
        f"{requests} POSTs per path, all against one edition of {args.places} places.",
        "",
        *table(guarded, guard, plain),
        "",
        f"- guarded: statuses {guarded.statuses}, transport errors {guarded.errors}, "
        f"wall {guarded.wall:.1f} s",
        f"- guard-only: statuses {guard.statuses}, transport errors {guard.errors}, "
        f"wall {guard.wall:.1f} s",
        f"- plain: statuses {plain.statuses}, transport errors {plain.errors}, "
        f"wall {plain.wall:.1f} s",
        f"- check: {result} -> {'correct' if ok else 'WRONG'}",
        f"- load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} cores, shared); {cpu_reference()}",
        "- what the figures mean: docs/learning-enrolment.md, section Performance",
        "",
    ]
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = RESULTS / f"{time.strftime('%Y-%m-%d')}-learning-enrol.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    print(f"written: {report}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
