"""The OpenAPI schema: 3.1, committed as docs/openapi.json, and fuzzed by schemathesis."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from reisgezel.agenda.management.commands.export_openapi import SNAPSHOT, openapi_json


def test_the_schema_is_openapi_3_1():
    schema = json.loads(openapi_json())
    assert schema["openapi"].startswith("3.1")
    assert "PartnerToken" in schema["components"]["securitySchemes"]


def test_the_committed_snapshot_equals_the_generated_schema():
    assert SNAPSHOT.exists(), "docs/openapi.json is missing: run ./manage.py export_openapi"
    assert SNAPSHOT.read_text(encoding="utf-8") == openapi_json(), (
        "The API changed but docs/openapi.json did not: "
        "run ./manage.py export_openapi and commit the diff."
    )


def test_export_openapi_check_passes(tmp_path):
    from django.core.management import CommandError, call_command

    target = tmp_path / "openapi.json"
    with pytest.raises(CommandError):
        call_command("export_openapi", "--check", output=str(target))
    call_command("export_openapi", output=str(target))
    call_command("export_openapi", "--check", output=str(target))
    assert settings.BASE_DIR
