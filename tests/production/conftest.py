"""Production-mode harness: the real app (granian + WSGI) with production settings.

The app runs in subprocesses whose environment holds ONLY what a deployment sets
(`production_env`): DEBUG=0, a random SECRET_KEY, a fresh PostgreSQL database created
and dropped here, Redis db 5 for cache, sessions and the RQ queue, TASKS_BACKEND=rq.
Two loopback relaxations (SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0) let plain HTTP work
without a TLS proxy; `test_check_deploy` shows they are the only difference from a
clean `check --deploy`.

Needs PostgreSQL on 127.0.0.1:5432 (trust auth as user postgres) and Redis on
127.0.0.1:6379; `./dev test` starts both. Mark tests here `services`.
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import redis as redis_lib

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_DB = 5
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
# As in production (docs/operations.md), with two workers to share sessions between.
GRANIAN_ARGS = ["--interface", "wsgi", "--host", "127.0.0.1", "--workers", "2", "--no-ws"]
SUPERUSER = ("prod-admin", "Vrijthof-1632-kapel-Sint-Servaas")


@dataclass
class ProductionEnv:
    env: dict[str, str]
    database: str
    static_root: Path
    log_dir: Path
    _logs: list[Path] = field(default_factory=list)

    def with_(self, **changes: str | None) -> dict[str, str]:
        """A copy of the environment with variables changed (None removes one)."""
        env = dict(self.env)
        for key, value in changes.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def manage(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        timeout: float = 180,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            pytest.fail(
                f"manage.py {' '.join(args)} exited {result.returncode}\n"
                f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
            )
        return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _require_services() -> None:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=5):
            pass
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is needed (./dev test starts it): {exc}")
    try:
        redis_lib.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
    except redis_lib.RedisError as exc:
        pytest.fail(f"Redis on 127.0.0.1:6379 is needed (./dev test starts it): {exc}")


@pytest.fixture(scope="session")
def redis_db() -> redis_lib.Redis:
    return redis_lib.Redis.from_url(REDIS_URL)


@pytest.fixture(scope="session")
def production_env(redis_db: redis_lib.Redis) -> Iterator[ProductionEnv]:
    """A fresh database, an empty Redis db 5 and the production environment for them."""
    _require_services()
    database = f"reisgezel_prod_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    redis_db.flushdb()
    tmp = Path(tempfile.mkdtemp(prefix="reisgezel-prod-"))
    static_root = tmp / "static"
    env = {
        # The process basics, then only what a deployment sets.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "/bin")]),
        "HOME": str(tmp),
        "LANG": "C.UTF-8",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": REDIS_URL,
        "TASKS_BACKEND": "rq",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(static_root),
    }
    try:
        yield ProductionEnv(env=env, database=database, static_root=static_root, log_dir=tmp)
    finally:
        redis_db.flushdb()
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def prepared_env(production_env: ProductionEnv) -> ProductionEnv:
    """The deployment steps before a start: migrate, collectstatic, a superuser."""
    production_env.manage("migrate", "--noinput")
    production_env.manage("collectstatic", "--noinput")
    username, password = SUPERUSER
    production_env.manage(
        "createsuperuser",
        "--noinput",
        f"--username={username}",
        "--email=admin@example.org",
        env=production_env.with_(DJANGO_SUPERUSER_PASSWORD=password),
    )
    return production_env


@dataclass
class RunningSite:
    url: str
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="session")
def site(prepared_env: ProductionEnv) -> Iterator[RunningSite]:
    """granian serving config.wsgi:application with two workers, as in production."""
    port = _free_port()
    log = prepared_env.log_dir / "granian.log"
    granian = Path(sys.executable).parent / "granian"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [str(granian), *GRANIAN_ARGS, "--port", str(port), "config.wsgi:application"],
            cwd=ROOT,
            env=prepared_env.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    running = RunningSite(url=f"http://127.0.0.1:{port}", log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"granian exited with {process.returncode}:\n{running.log_tail()}")
            try:
                with urllib.request.urlopen(f"{running.url}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"granian did not answer /healthz in 60 s:\n{running.log_tail()}")
                time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


class Client:
    """A tiny HTTP client with cookies (stdlib only); never follows redirects.

    `request()` returns (status, headers with lower-case names, body)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(
        self,
        path: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, _lower(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers.items()), error.read()

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)


@pytest.fixture
def http_client(site: RunningSite) -> Client:
    return Client(site.url)
