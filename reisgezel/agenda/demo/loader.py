"""Loading the demo: neighbourhoods, places, partners, people, events, feeds.

Idempotent by natural keys: places by name, organisations by name, users by username,
events by source_uid "demo:<key>" (without a feed), feeds by organiser and name. What
exists is left alone, so a second run changes nothing. Events go through the agenda
services (validation, occurrences, moderation, search index follow), as partners make them;
places and partners through theirs, which index them for search too.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from reisgezel.accounts.models import MemberRole, Membership, Organisation, User
from reisgezel.accounts.search import DOC_TYPE as ORGANISATION_DOC_TYPE
from reisgezel.accounts.services import membership_add, organisation_create
from reisgezel.agenda.demo import feeds
from reisgezel.agenda.demo.generated import generated_events, special_events
from reisgezel.agenda.demo.houses import HOUSE_BUILDERS
from reisgezel.agenda.demo.organisations import ORGANISATIONS, Org
from reisgezel.agenda.demo.spec import DEMO_UID_PREFIX, Context, DemoEvent
from reisgezel.agenda.demo.venues import VENUES, Venue
from reisgezel.agenda.models import Event, ModerationState
from reisgezel.agenda.services import (
    event_approve,
    event_create,
    event_reject,
    event_set_highlight,
    event_set_status,
)
from reisgezel.core.models import Term
from reisgezel.places.models import Neighbourhood, Place
from reisgezel.places.search import DOC_TYPE as PLACE_DOC_TYPE
from reisgezel.places.services import neighbourhoods_load, place_create
from reisgezel.search.registry import index_later

SEED = 20260601
ADMIN = ("admin", "admin-demo-pass")
MODERATOR = ("moderator", "moderator-demo-pass")
EDITOR_PASSWORD = "partner-demo-pass"  # noqa: S105 - documented demo login, never in production


@dataclass
class DemoReport:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _terms(kind: str, codes: tuple[str, ...] | list[str]) -> list[Term]:
    return list(Term.objects.filter(kind=kind, code__in=codes))


def _places(report: DemoReport) -> dict[str, int]:
    ids = {}
    for venue in VENUES:
        place = Place.objects.filter(name=venue.name).first()
        if place is None:
            place = place_create(**_place_values(venue))
            report.created["places"] += 1
        else:
            report.existing["places"] += 1
        ids[venue.key] = place.pk
    return ids


def _place_values(venue: Venue) -> dict[str, Any]:
    from datetime import time

    return {
        "name": venue.name,
        "street": venue.street,
        "postcode": venue.postcode,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
        "website": venue.website,
        "description": {"nl": venue.description_nl, "en": venue.description_en},
        "facilities": _terms("facility", venue.facilities),
        "opening_hours": [
            (day, time.fromisoformat(a), time.fromisoformat(b)) for day, a, b in venue.opening_hours
        ],
    }


def _organisations(places: dict[str, int], report: DemoReport) -> dict[str, Organisation]:
    orgs = {}
    for spec in ORGANISATIONS:
        org = Organisation.objects.filter(name=spec.name).first()
        if org is None:
            org = organisation_create(
                name=spec.name,
                kind=spec.kind,
                is_trusted=spec.trusted,
                website=spec.website,
                home_place_id=places[spec.home],
                disciplines=_terms("discipline", spec.disciplines),
                description={"nl": spec.description_nl, "en": spec.description_en}
                if spec.description_nl
                else {},
            )
            report.created["organisations"] += 1
        else:
            report.existing["organisations"] += 1
        orgs[spec.key] = org
    return orgs


def _user(username: str, password_hash: str, report: DemoReport, **fields: Any) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, password=password_hash, **fields)
        report.created["users"] += 1
    else:
        report.existing["users"] += 1
    return user


def _people(orgs: dict[str, Organisation], report: DemoReport) -> tuple[User, dict[str, User]]:
    # One hash per password: PBKDF2 per user would make the demo load slow for nothing.
    _user(
        ADMIN[0],
        make_password(ADMIN[1]),
        report,
        is_staff=True,
        is_superuser=True,
        display_name="Demo admin",
    )
    moderator = _user(
        MODERATOR[0],
        make_password(MODERATOR[1]),
        report,
        is_moderator=True,
        display_name="Demo moderator",
    )
    report.logins += [
        (ADMIN[0], ADMIN[1], "staff superuser (admin)"),
        (MODERATOR[0], MODERATOR[1], "moderator"),
    ]
    editor_hash = make_password(EDITOR_PASSWORD)
    editors = {}
    for spec in ORGANISATIONS:
        # No e-mail address: moderation notices of the demo go nowhere.
        editor = _user(
            spec.editor_username, editor_hash, report, display_name=f"Redactie {spec.name}"
        )
        if not Membership.objects.filter(user=editor, organisation=orgs[spec.key]).exists():
            membership_add(organisation=orgs[spec.key], user=editor, role=MemberRole.ADMIN)
        editors[spec.key] = editor
        report.logins.append(
            (spec.editor_username, EDITOR_PASSWORD, f"partner editor, {spec.name}")
        )
    return moderator, editors


def _create_event(spec: DemoEvent, org: Organisation, editor: User, moderator: User) -> Event:
    event = event_create(
        actor=editor,
        organisation=org,
        data=spec.data,
        submit=spec.moderation != "draft",
        source_uid=DEMO_UID_PREFIX + spec.key,
    )
    if event.moderation == ModerationState.READY and spec.moderation == "approved":
        event = event_approve(actor=moderator, event=event, message="Demo: goedgekeurd.")
    elif event.moderation == ModerationState.READY and spec.moderation == "rejected":
        event = event_reject(actor=moderator, event=event, message=spec.reject_message)
    if spec.status != "scheduled":
        event = event_set_status(
            actor=editor, event=event, status=spec.status, reason=spec.status_reason
        )
    if spec.highlight:
        event = event_set_highlight(actor=moderator, event=event, highlight=True)
    return event


def demo_events(ctx: Context) -> list[DemoEvent]:
    specs = [spec for build in HOUSE_BUILDERS for spec in build(ctx)]
    specs += generated_events(ctx)
    specs += special_events(ctx)
    return specs


def load_demo(*, today: date | None = None) -> DemoReport:
    """Load (or complete) the demo data set. Returns what was created and the logins."""
    from reisgezel.places.management.commands.load_neighbourhoods import default_paths

    report = DemoReport()
    districts_path, buurten_path = default_paths()
    if not Neighbourhood.objects.exists():
        neighbourhoods_load(districts_path=districts_path, neighbourhoods_path=buurten_path)
        report.created["neighbourhoods"] = Neighbourhood.objects.count()
    with transaction.atomic():
        places = _places(report)
        orgs = _organisations(places, report)
        moderator, editors = _people(orgs, report)
        rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
        ctx = Context(today=today or timezone.localdate(), rng=rng, places=places)
        done = set(
            Event.objects.filter(
                source_feed__isnull=True, source_uid__startswith=DEMO_UID_PREFIX
            ).values_list("source_uid", flat=True)
        )
        for spec in demo_events(ctx):
            if DEMO_UID_PREFIX + spec.key in done:
                report.existing["events"] += 1
                continue
            _create_event(spec, orgs[spec.org], editors[spec.org], moderator)
            report.created["events"] += 1
        report.created["feeds"] += feeds.feeds_create(orgs=orgs, places=places, today=ctx.today)
        # New places and partners are indexed by their services; these calls also index
        # the ones an older version of the demo left unindexed (idempotent, after commit).
        index_later(PLACE_DOC_TYPE, places.values())
        index_later(ORGANISATION_DOC_TYPE, [org.pk for org in orgs.values()])
    return report


def org_spec(key: str) -> Org:
    return next(org for org in ORGANISATIONS if org.key == key)
