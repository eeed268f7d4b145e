"""Import partner iCalendar feeds. Scheduled hourly by cron or a systemd timer:

    0 * * * *  reisgezel  /srv/reisgezel/.venv/bin/python manage.py import_feeds

Without options every active feed is imported; `--feed ID` imports one; `--file PATH
--organiser SLUG` imports a file through that organiser's first feed (its default place
and discipline apply). Each run is stored as an ImportRun with its report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from reisgezel.agenda.feeds import feed_import, run_summary
from reisgezel.agenda.models import ImportFeed, ImportRun


class Command(BaseCommand):
    help = "Import partner iCalendar feeds (all active ones, one, or a file) and print a report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--feed", type=int, help="Import only this feed (id).")
        parser.add_argument("--file", type=Path, help="Import this .ics file ...")
        parser.add_argument(
            "--organiser", help="... for this organiser (slug), through its first feed."
        )

    def _feeds(self, options: dict[str, Any]) -> list[ImportFeed]:
        if options["file"] is not None:
            if not options["organiser"]:
                raise CommandError("--file needs --organiser.")
            feed = ImportFeed.objects.filter(organiser__slug=options["organiser"]).first()
            if feed is None:
                raise CommandError(
                    "That organiser has no feed: create one "
                    "(it gives the default place and discipline)."
                )
            return [feed]
        feeds = ImportFeed.objects.filter(is_active=True).select_related(
            "organiser", "default_discipline"
        )
        if options["feed"] is not None:
            feeds = feeds.filter(pk=options["feed"])
            if not feeds:
                raise CommandError(f"No active feed with id {options['feed']}.")
        return list(feeds)

    def handle(self, *args: Any, **options: Any) -> None:
        content = options["file"].read_bytes() if options["file"] is not None else None
        for feed in self._feeds(options):
            bar: tqdm[Any] | None = None

            def progress(done: int, total: int, feed: ImportFeed = feed) -> None:
                nonlocal bar
                if bar is None:
                    bar = tqdm(total=total, desc=str(feed)[:40], unit="event", file=self.stderr)
                bar.update(1)

            run = feed_import(feed=feed, content=content, progress=progress)
            if bar is not None:
                bar.close()
            self._report(feed, run)

    def _report(self, feed: ImportFeed, run: ImportRun) -> None:
        style = self.style.SUCCESS if run.ok else self.style.ERROR
        self.stdout.write(style(f"{feed}: {run_summary(run)}"))
        for entry in run.report:
            self.stdout.write(f"  [{entry['level']}] {entry['message']}")
