"""Write the API's OpenAPI schema to docs/openapi.json (the committed snapshot).

The snapshot test compares this file with the generated schema, so a change to the API
shows up in review as a diff of docs/openapi.json. Run it after changing the API.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import resolve, reverse


def mounted_api() -> Any:
    """The NinjaAPI that the URLconf serves at `api:openapi-json`.

    Found through the URLconf rather than imported: apps do not import `config`
    (import-linter layers), and this way the snapshot is of what is actually served.
    """
    view = resolve(reverse("api:openapi-json")).func
    return view.keywords["api"]  # type: ignore[attr-defined]


def openapi_json() -> str:
    """The generated schema, serialised deterministically (sorted keys, trailing newline)."""
    schema = mounted_api().get_openapi_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


class Command(BaseCommand):
    help = "Write the OpenAPI schema to docs/openapi.json (or --check that it is current)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Fail if the snapshot is out of date."
        )
        parser.add_argument(
            "--output", default=str(SNAPSHOT), help="Where to write (default docs/openapi.json)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = openapi_json()
        target = Path(options["output"])
        if options["check"]:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(f"{target} is out of date: run ./manage.py export_openapi")
            self.stdout.write("OpenAPI snapshot is current.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {target}")
