"""Item identifiers: oai:<repository identifier>:object/<pid> (the oai-identifier
scheme; <pid> is the same local id as in the persistent URI /id/object/<pid>)."""

from __future__ import annotations

from reisgezel.interop.oai.conf import repository_identifier

KIND = "object/"


def identifier_prefix() -> str:
    return f"oai:{repository_identifier()}:{KIND}"


def oai_identifier(pid: str) -> str:
    return identifier_prefix() + pid


def pid_from_identifier(identifier: str) -> str | None:
    """The pid in one of our identifiers, None for anything else."""
    prefix = identifier_prefix()
    if not identifier.startswith(prefix):
        return None
    pid = identifier[len(prefix) :]
    return pid if pid and "/" not in pid else None


def sample_identifier() -> str:
    return oai_identifier("cc-000001")
