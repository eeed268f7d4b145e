"""Importing partner iCalendar feeds: `feed_import` is the one entry point.

Contract:
- Idempotent: the key is (feed, VEVENT UID); a component whose text (DTSTAMP aside)
  is unchanged since the last run is skipped without a write. A changed one goes
  through `event_update`, which raises SEQUENCE and, for untrusted organisers, sends a
  published event back to validation.
- Nothing is ever deleted: an empty or unreachable feed changes nothing, and events
  the feed no longer lists are kept (counted as `not_in_feed`).
- Each series (a VEVENT with its RECURRENCE-ID overrides) is written in its own
  transaction: one bad event never half-imports and never stops the others.
- Imports act as the service account "feed-importer" (see `feed_importer_for`), so the
  ordinary permission and moderation rules apply: trusted organisers' events are
  published at once, others wait for a moderator.

Scheduling: cron or a systemd timer runs `manage.py import_feeds` hourly (and
`agenda_extend_occurrences` nightly, which also rolls imported series kept as dates
forward: `feed_series_roll_forward`); see docs/agenda-feeds.md.
"""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.accounts.models import MemberRole, Membership, Organisation, User
from reisgezel.accounts.services import membership_add
from reisgezel.agenda.ical_import import (
    FeedParseError,
    Mapped,
    Rejected,
    Resolvers,
    SourceComponent,
    content_hash,
    map_group,
    parse_feed,
    series_dates_after,
    series_text,
    stable_uid,
)
from reisgezel.agenda.inputs import EventInput, TariffInput
from reisgezel.agenda.models import (
    CalendarType,
    Event,
    EventStatus,
    FeedItem,
    ImportFeed,
    ImportRun,
    ModerationState,
)
from reisgezel.agenda.services import (
    event_create,
    event_dates_add,
    event_set_status,
    event_submit,
    event_update,
)
from reisgezel.core.models import Term, TermKind
from reisgezel.places.services import place_find_similar

IMPORTER_USERNAME = "feed-importer"
CANCEL_REASON = {
    "nl": "Geannuleerd door de organisator",
    "en": "Cancelled by the organiser",
    "de": "Vom Veranstalter abgesagt",
    "fr": "Annulé par l'organisateur",
}
_POSTCODE = re.compile(r"\b([1-9][0-9]{3}\s?[A-Za-z]{2})\b")

Progress = Callable[[int, int], None]  # (done, total) series

log = logging.getLogger(__name__)


class FeedFetchError(Exception):
    """The feed could not be read; the message is for the partner."""


def feed_importer_for(organisation: Organisation) -> User:
    """The service account that imports act as, made a member of `organisation`.

    It is an ordinary active user (so the usual permission checks apply unchanged)
    that cannot log in: it has no usable password and no e-mail address for a reset.
    """
    user, created = User.objects.get_or_create(
        username=IMPORTER_USERNAME, defaults={"display_name": "Feed importer", "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        membership_add(organisation=organisation, user=user, role=MemberRole.EDITOR)
    return user


def _limit(name: str) -> int:
    value = settings.REISGEZEL[name]
    assert isinstance(value, int)
    return value


def feed_fetch(url: str) -> bytes:
    """Download a feed (http/https only, bounded in time and size). Raises FeedFetchError."""
    if not url.lower().startswith(("http://", "https://")):
        raise FeedFetchError(_("Only http:// and https:// feed addresses can be imported."))
    max_bytes = _limit("FEED_MAX_BYTES")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, headers={"User-Agent": "Reisgezel feed importer", "Accept": "text/calendar, */*"}
    )
    try:
        with urllib.request.urlopen(request, timeout=_limit("FEED_TIMEOUT")) as response:  # noqa: S310
            data: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FeedFetchError(
            _("The feed address answered with an error: %(code)s %(reason)s")
            % {"code": exc.code, "reason": exc.reason}
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FeedFetchError(
            _("The feed address could not be reached: %(reason)s") % {"reason": reason}
        ) from exc
    if len(data) > max_bytes:
        raise FeedFetchError(
            _("The feed is larger than %(max)d bytes and was not imported.") % {"max": max_bytes}
        )
    return data


def _read_source(feed: ImportFeed) -> bytes:
    if feed.url:
        return feed_fetch(feed.url)
    with feed.file.open("rb") as handle:
        data: bytes = handle.read(_limit("FEED_MAX_BYTES") + 1)
    if len(data) > _limit("FEED_MAX_BYTES"):
        raise FeedFetchError(_("The feed file is too large."))
    return data


def _resolvers(feed: ImportFeed) -> Resolvers:
    places: dict[str, int | None] = {}

    def place_for(location: str) -> int | None:
        if location not in places:
            found = None
            if location:
                postcode = _POSTCODE.search(location)
                name = location.split(",")[0].strip()
                matches = place_find_similar(
                    name=name, postcode=postcode.group(1) if postcode else "", limit=1
                )
                found = matches[0].pk if matches else None
            places[location] = found or feed.default_place_id
        return places[location]

    terms = list(Term.objects.filter(kind=TermKind.DISCIPLINE))
    by_name = {term.code: term.code for term in terms}
    for term in terms:
        by_name.update({slugify(label): term.code for label in term.label.values()})

    def disciplines_for(categories: list[str]) -> list[str]:
        codes = [by_name[slugify(c)] for c in categories if slugify(c) in by_name]
        return list(dict.fromkeys(codes)) or [feed.default_discipline.code]

    return Resolvers(place_for=place_for, disciplines_for=disciplines_for)


@dataclass
class _Run:
    feed: ImportFeed
    run: ImportRun
    actor: User
    today: date
    horizon: date
    resolvers: Resolvers
    existing: dict[str, Event]
    report: list[dict[str, object]] = field(default_factory=list)

    def note(self, level: str, source: SourceComponent | None, reason: str) -> None:
        entry: dict[str, object] = {"level": level, "reason": reason}
        if source is not None:
            entry.update(line=source.line, uid=source.raw("UID"), summary=source.raw("SUMMARY"))
            entry["message"] = f"{source.describe()}: {reason}"
        else:
            entry["message"] = reason
        self.report.append(entry)


def _errors_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return "; ".join(exc.messages)


def _with_partner_additions(event: Event, feed: EventInput) -> EventInput:
    """The feed's update over what the event has. A feed carries the Dutch title and
    description, the place, the categories and the dates; what the partner added on the
    site (other languages, the summary, prices, booking, ages, languages, themes) stays."""
    return replace(
        feed,
        title={**event.title, **feed.title},
        summary=dict(event.summary),
        description={**event.description, **feed.description},
        disciplines=list(
            dict.fromkeys([*feed.disciplines, *(t.code for t in event.disciplines.all())])
        ),
        themes=[t.code for t in event.themes.all()],
        facilities=None,  # kept as they are
        online_url=event.online_url,
        audience=event.audience,
        age_min=event.age_min,
        age_max=event.age_max,
        languages=[language.code for language in event.languages.all()],
        is_free=event.is_free,
        base_price=event.base_price,
        tariffs=[TariffInput(name=dict(t.name), price=t.price) for t in event.tariffs.all()],
        booking_url=event.booking_url,
        booking_phone=event.booking_phone,
        booking_email=event.booking_email,
        booking_opens_at=event.booking_opens_at,
        booking_closes_at=event.booking_closes_at,
        closed_on_public_holidays=event.closed_on_public_holidays,
    )


def _save(ctx: _Run, uid: str, mapped: Mapped, event: Event | None) -> str:
    """Create or update one event and its status. Returns 'created' or 'updated'."""
    if event is None:
        event = event_create(
            actor=ctx.actor,
            organisation=ctx.feed.organiser,
            data=mapped.data,
            submit=True,
            source_feed_id=ctx.feed.pk,
            source_uid=uid,
        )
        outcome = "created"
    else:
        data = _with_partner_additions(event, mapped.data)
        event = event_update(actor=ctx.actor, event=event, data=data)
        if event.moderation in (ModerationState.DRAFT, ModerationState.REJECTED):
            event = event_submit(actor=ctx.actor, event=event)
        outcome = "updated"
    if mapped.cancelled and event.status != EventStatus.CANCELLED:
        event = event_set_status(
            actor=ctx.actor, event=event, status=EventStatus.CANCELLED, reason=CANCEL_REASON
        )
        ctx.run.cancelled += 1
    elif not mapped.cancelled and event.status == EventStatus.CANCELLED:
        event = event_set_status(actor=ctx.actor, event=event, status=EventStatus.SCHEDULED)
    ctx.existing[uid] = event
    return outcome


def _import_series(ctx: _Run, uid: str, sources: list[SourceComponent]) -> str:
    """Import one series; returns the counter it adds to."""
    for source in sources:
        if source.error:
            ctx.note("rejected", source, source.error)
    sources = [source for source in sources if not source.error]
    if not sources:
        return "rejected"
    digest = content_hash(
        sources, extra=f"{ctx.feed.default_place_id}/{ctx.feed.default_discipline_id}"
    )
    event = ctx.existing.get(uid)
    item = getattr(event, "feed_item", None) if event is not None else None
    if item is not None and item.content_hash == digest:
        if event is not None and not item.series_source:
            _keep_series_source(ctx, item, event, sources)
        return "unchanged"
    try:
        mapped = map_group(sources, resolve=ctx.resolvers, today=ctx.today, horizon=ctx.horizon)
    except Rejected as exc:
        ctx.note("rejected", sources[0], str(exc))
        return "rejected"
    except Exception as exc:  # a library failing on one odd series
        ctx.note(
            "rejected", sources[0], _("its dates cannot be worked out: %(error)s") % {"error": exc}
        )
        return "rejected"
    for warning in mapped.warnings:
        ctx.note("warning", sources[0], warning)
    if mapped.last_day is not None and mapped.last_day < ctx.today and event is None:
        ctx.note(
            "skipped", sources[0], _("it is over (last date %(day)s)") % {"day": mapped.last_day}
        )
        return "skipped"
    try:
        with transaction.atomic():
            outcome = _save(ctx, uid, mapped, event)
            FeedItem.objects.update_or_create(
                event=ctx.existing[uid],
                defaults={
                    "content_hash": digest,
                    "seen_at": timezone.now(),
                    "series_source": series_text(sources) if mapped.dates_until else "",
                    "dates_until": mapped.dates_until,
                },
            )
    except ValidationError as exc:
        ctx.note("rejected", sources[0], _errors_text(exc))
        return "rejected"
    except PermissionDenied as exc:
        ctx.note("rejected", sources[0], str(exc))
        return "rejected"
    except DatabaseError:
        raise  # the database itself failing ends the run (recorded by feed_import)
    except Exception as exc:  # one odd series never stops the others
        log.exception("feed %s: series %s could not be saved", ctx.feed.pk, uid)
        ctx.note("rejected", sources[0], _("it could not be saved: %(error)s") % {"error": exc})
        return "rejected"
    return outcome


def _keep_series_source(
    ctx: _Run, item: FeedItem, event: Event, sources: list[SourceComponent]
) -> None:
    """A series kept as dates that was imported before its source was kept (migration
    agenda 0004) stopped at the horizon of its import, and an unchanged series is not
    mapped again. Its source is kept now, without touching the event (no new SEQUENCE,
    no new round of validation): from the day of its last stored date when it has more
    dates, so the nightly roll adds the later ones (dates it has are never added twice);
    otherwise with no day, which marks it as checked. Read once per series."""
    if event.calendar_type not in (CalendarType.SINGLE, CalendarType.MULTIPLE):
        return  # a rule: its occurrences roll forward on their own
    if not any(source.raw("RRULE") or source.raw("RDATE") for source in sources):
        return  # one date: nothing to roll
    try:
        mapped = map_group(sources, resolve=ctx.resolvers, today=ctx.today, horizon=ctx.horizon)
    except Exception:  # it was imported before: a library failing on it now leaves it be
        log.warning("feed %s: series of event %s not read again", ctx.feed.pk, event.pk)
        return
    last = event.time_slots.order_by("-start").values_list("start", flat=True).first()
    until = timezone.localtime(last).date() if mapped.dates_until and last else None
    FeedItem.objects.filter(pk=item.pk).update(
        series_source=series_text(sources), dates_until=until
    )


def _series(events: list[SourceComponent], ctx: _Run) -> dict[str, list[SourceComponent]]:
    """Components grouped by UID (a series and its overrides). Components without a UID
    stand alone; identical ones are numbered, so each is reported on its own."""
    series: dict[str, list[SourceComponent]] = {}
    for source in events:
        uid = stable_uid(source)
        if not source.raw("UID"):
            ctx.note(
                "warning",
                source,
                _("it has no UID; it is recognised by its start and title instead"),
            )
            base, n = uid, 1
            while uid in series:
                n += 1
                uid = f"{base}-{n}"
        series.setdefault(uid, []).append(source)
    return series


def _not_in_feed(feed: ImportFeed, uids: set[str]) -> int:
    return (
        Event.objects.filter(source_feed=feed, occurrences__end__gte=timezone.now())
        .exclude(source_uid__in=uids)
        .distinct()
        .count()
    )


def feed_import(
    *,
    feed: ImportFeed,
    content: bytes | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import a feed (its URL or file, or `content` when given). Returns the finished run.

    A feed that cannot be read or is not iCalendar gives run.ok=False with run.error,
    and changes nothing. Per-component problems are in run.report.
    """
    today = today or timezone.localdate()
    run = ImportRun.objects.create(feed=feed)
    try:
        parsed = parse_feed(content if content is not None else _read_source(feed))
    except (FeedFetchError, FeedParseError, OSError) as exc:
        run.error = str(exc)
        run.finished_at = timezone.now()
        run.save()
        return run
    existing = {
        e.source_uid: e for e in Event.objects.filter(source_feed=feed).select_related("feed_item")
    }
    ctx = _Run(
        feed=feed,
        run=run,
        actor=feed_importer_for(feed.organiser),
        today=today,
        horizon=today + timedelta(days=_limit("OCCURRENCE_HORIZON_DAYS")),
        resolvers=_resolvers(feed),
        existing=existing,
    )
    for warning in parsed.warnings:
        ctx.note("warning", None, warning)
    if parsed.other_components:
        ctx.note(
            "skipped",
            None,
            _("%(n)d components that are not events (to-dos, journal entries, ...) were skipped.")
            % {"n": parsed.other_components},
        )
    series = _series(parsed.events, ctx)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 0}
    try:
        for done, (uid, sources) in enumerate(series.items(), start=1):
            counts[_import_series(ctx, uid, sources)] += 1
            if progress is not None:
                progress(done, len(series))
    except BaseException as exc:
        # The run says it stopped (and how far it came) instead of staying unfinished.
        for name, value in counts.items():
            setattr(run, name, value)
        run.report, run.ok, run.finished_at = ctx.report, False, timezone.now()
        run.error = _("The import stopped: %(error)s") % {"error": exc}
        run.save()
        raise
    for name, value in counts.items():
        setattr(run, name, value)
    run.not_in_feed = _not_in_feed(feed, set(series)) if series else 0
    run.report, run.ok, run.finished_at = ctx.report, True, timezone.now()
    run.save()
    return run


def feed_series_roll_forward(*, today: date | None = None) -> int:
    """Add the dates of imported series that were expanded into dates (RDATEs, moved
    dates, a rule in another zone) and now come within the horizon: what
    `occurrences_extend_all` does for rules, run with it nightly. Each series is read
    from the source kept at its import, so its moved and added dates and its exceptions
    hold, whether or not the feed is still imported. Returns the series that got dates.
    One series that fails is logged and left as it was; the others go on."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=_limit("OCCURRENCE_HORIZON_DAYS"))
    items = (
        FeedItem.objects.filter(dates_until__lt=horizon)
        .exclude(series_source="")
        .select_related("event__organiser")
    )
    count = 0
    for item in items.iterator(chunk_size=100):
        try:
            with transaction.atomic():
                count += _roll_series(item, horizon)
        except (Rejected, ValidationError, PermissionDenied) as exc:
            log.warning("event %s: its imported series could not be rolled: %s", item.event_id, exc)
    return count


def _roll_series(item: FeedItem, horizon: date) -> bool:
    event = item.event
    if event.calendar_type not in (CalendarType.SINGLE, CalendarType.MULTIPLE):
        # The partner made it a rule or opening hours on the site: the dates are theirs now.
        FeedItem.objects.filter(pk=item.pk).update(series_source="", dates_until=None)
        return False
    assert item.dates_until is not None
    slots, more = series_dates_after(item.series_source, after=item.dates_until, horizon=horizon)
    if slots:
        event_dates_add(actor=feed_importer_for(event.organiser), event=event, slots=slots)
    if more:
        FeedItem.objects.filter(pk=item.pk).update(dates_until=horizon)
    else:
        FeedItem.objects.filter(pk=item.pk).update(series_source="", dates_until=None)
    return bool(slots)


def run_summary(run: ImportRun) -> str:
    """One line for people and logs."""
    if not run.ok:
        return _("Import failed: %(error)s") % {"error": run.error}
    return _(
        "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
        "%(cancelled)d cancelled, "
        "%(rejected)d rejected, %(skipped)d skipped, %(not_in_feed)d no longer in the feed (kept)."
    ) % {
        name: getattr(run, name)
        for name in (
            "created",
            "updated",
            "unchanged",
            "cancelled",
            "rejected",
            "skipped",
            "not_in_feed",
        )
    }
