"""Load (or refresh) the CBS wijken and buurten from GeoJSON files. Idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reisgezel.places.services import neighbourhoods_load

DISTRICTS_FILE = "maastricht_wijken_2023.geojson"
NEIGHBOURHOODS_FILE = "maastricht_buurten_2023.geojson"


BUNDLED = Path(__file__).resolve().parents[2] / "data"
"""The CBS boundaries of Maastricht shipped with the code (places/data/README.md)."""


def default_paths() -> tuple[Path, Path]:
    return BUNDLED / DISTRICTS_FILE, BUNDLED / NEIGHBOURHOODS_FILE


class Command(BaseCommand):
    help = "Create or update the districts (wijken) and neighbourhoods (buurten) from CBS GeoJSON."

    def add_arguments(self, parser: CommandParser) -> None:
        districts, neighbourhoods = default_paths()
        parser.add_argument(
            "--districts",
            type=Path,
            default=districts,
            help=f"GeoJSON of the wijken (default: {districts})",
        )
        parser.add_argument(
            "--neighbourhoods",
            type=Path,
            default=neighbourhoods,
            help=f"GeoJSON of the buurten (default: {neighbourhoods})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        districts_path: Path = options["districts"]
        neighbourhoods_path: Path = options["neighbourhoods"]
        missing = [str(p) for p in (districts_path, neighbourhoods_path) if not p.is_file()]
        if missing:
            raise CommandError(
                "GeoJSON file(s) not found: "
                + ", ".join(missing)
                + ". Pass the files with --districts and --neighbourhoods."
            )
        try:
            n_districts, n_buurten = neighbourhoods_load(
                districts_path=districts_path, neighbourhoods_path=neighbourhoods_path
            )
        except (ValueError, KeyError) as exc:
            raise CommandError(f"Could not load the areas: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {n_districts} districts and {n_buurten} neighbourhoods.")
        )
