"""The benchmarks' own databases: where they are, and how one is made afresh.

Every benchmark works in a database of its own (never the developer's or the tests'):
on PostgreSQL one named per benchmark, dropped and created through BENCH_PG_ADMIN_URL
(a connection to any other database of the server, `postgres` by default); on SQLite a
file under var/bench/.
"""

from __future__ import annotations

import os
from pathlib import Path

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def pg_url(name: str) -> str:
    """The URL of the benchmark database `name` on the admin URL's server."""
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def pg_recreate(name: str) -> None:
    """Drop (closing its connections) and create the PostgreSQL database `name`."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def sqlite_remove(path: Path) -> None:
    """Delete the SQLite database at `path` with its WAL and shared-memory files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


SERVER_SETTINGS = ("shared_buffers", "effective_cache_size", "work_mem", "jit")
"""The PostgreSQL settings that move the benchmarks' figures most (docs/operations.md)."""


def pg_settings() -> str:
    """The server's version and SERVER_SETTINGS, for a report ("PostgreSQL 15.19;
    shared_buffers 4GB, ...")."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        shown = [
            f"{name} {conn.execute(f'SHOW {name}').fetchone()[0]}"  # type: ignore[index]
            for name in SERVER_SETTINGS
        ]
    return f"PostgreSQL {version[0] if version else '?'}; {', '.join(shown)}"
