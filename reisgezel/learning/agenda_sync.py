"""Course editions in the city agenda: one mirrored agenda Event per edition.

The agenda is where people look for what is on; a course is on, too. Rather than
teach the agenda about courses (agenda must never import learning), the learning app
keeps an ordinary agenda Event per edition, written only through the agenda's own
services (`event_create`, `event_update`, `event_set_status`, `event_reject`,
`event_delete`), so occurrences, iCalendar SEQUENCE, the search index and the audit
log behave as for any other event.

What is mirrored: every open, running or completed edition of a published course with
at least one session that is not cancelled. The Event carries the sessions as its
dates (calendar type "multiple"), the course's texts, disciplines, facilities, language
and age range, the default tariff as its price and the others as tariffs, the
edition's place, the provider as organiser, the enrolment window as booking window,
and the course page as booking address (the link back).

Lifecycle:
- a cancelled edition's Event is cancelled too (status "cancelled" with the reason),
  as the agenda does for any published event, so calendar subscribers learn of it;
- when the edition is no longer shown (the course unpublished or archived, the edition
  back to planned, no sessions left) the Event is rejected and deleted.

The link between the two is the Event's `source_uid` ("learning-edition-<id>", with no
source feed). Sync runs after commit, as a task (`sync_editions`), and is idempotent.
It acts as the service account "learning-agenda": a moderator (the provider already
published the course, the platform trusts its own offer) that cannot log in, made a
member of each provider it writes for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.utils import translation

from reisgezel.accounts.models import MemberRole, Membership, Organisation, User
from reisgezel.accounts.services import membership_add
from reisgezel.agenda import services as agenda
from reisgezel.agenda.inputs import EventInput, SlotInput, TariffInput
from reisgezel.agenda.models import Audience, CalendarType, Event, EventStatus, ModerationState
from reisgezel.core.i18n import SOURCE_LANGUAGE, language_map
from reisgezel.learning.models import CourseKind, CourseState, Edition, EditionState
from reisgezel.learning.services.offer import course_url

SYNC_USERNAME = "learning-agenda"
MIRRORED_STATES = (EditionState.OPEN, EditionState.RUNNING, EditionState.COMPLETED)
CANCEL_REASON = {
    "nl": "Deze cursus gaat niet door.",
    "en": "This course has been cancelled.",
    "de": "Dieser Kurs findet nicht statt.",
    "fr": "Ce cours est annulé.",
}
RETIRE_MESSAGE = "The course edition is no longer offered."


def source_uid(edition_id: int) -> str:
    return f"learning-edition-{edition_id}"


def mirrored_event(edition_id: int) -> Event | None:
    return Event.objects.filter(source_feed__isnull=True, source_uid=source_uid(edition_id)).first()


def sync_account(organisation: Organisation) -> User:
    """The service account the sync acts as, made a member of `organisation`."""
    user, created = User.objects.get_or_create(
        username=SYNC_USERNAME,
        defaults={"display_name": "Course agenda", "is_active": True, "is_moderator": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        membership_add(organisation=organisation, user=user, role=MemberRole.EDITOR)
    return user


# --- After commit ------------------------------------------------------------------------
_PENDING_ATTR = "_reisgezel_learning_agenda_pending"


def sync_later(edition_ids: Iterable[int]) -> None:
    """Mirror these editions after the current transaction commits (once per id)."""
    ids = set(edition_ids)
    if not ids:
        return
    connection = transaction.get_connection()
    pending: set[int] = connection.__dict__.setdefault(_PENDING_ATTR, set())
    pending.update(ids)

    def drain() -> None:
        todo = sorted(connection.__dict__.pop(_PENDING_ATTR, set()))
        if todo:
            sync_editions.enqueue(edition_ids=todo)

    transaction.on_commit(drain)


@task()
def sync_editions(*, edition_ids: list[int]) -> int:
    """The task: mirror each edition in its own transaction; returns how many changed."""
    return sum(1 for pk in edition_ids if edition_sync(edition_id=pk) != "unchanged")


# --- One edition -------------------------------------------------------------------------
def _shown(edition: Edition) -> bool:
    return (
        edition.course.state == CourseState.PUBLISHED
        and edition.state in MIRRORED_STATES
        and edition.sessions.filter(is_cancelled=False).exists()
    )


def event_input(edition: Edition) -> EventInput:
    """The agenda's view of an edition."""
    course = edition.course
    tariffs = list(edition.tariffs.all())
    default = next((t for t in tariffs if t.is_default), None)
    with translation.override(SOURCE_LANGUAGE):
        link = settings.SITE_URL + course_url(course)
    price = default.amount if default else None
    return EventInput(
        title=dict(language_map(course.title)),
        calendar_type=CalendarType.MULTIPLE,
        disciplines=[t.code for t in course.disciplines.all()],
        facilities=[t.code for t in course.facilities.all()],
        summary=dict(language_map(course.summary)),
        description=dict(language_map(course.description)),
        place_id=edition.place_id,
        audience=Audience.SCHOOLS
        if course.kind == CourseKind.SCHOOL_PROGRAMME
        else Audience.EVERYONE,
        age_min=course.age_min or None,
        age_max=course.age_max if course.age_max < 120 else None,
        languages=[course.language],
        is_free=price == 0,
        base_price=price if price else None,
        tariffs=[
            TariffInput(name=dict(language_map(t.label)), price=t.amount)
            for t in tariffs
            if t is not default
        ],
        booking_url=link,
        booking_opens_at=edition.enrol_opens_at,
        booking_closes_at=edition.enrol_closes_at,
        time_slots=[
            SlotInput(start=s.starts_at, end=s.ends_at)
            for s in edition.sessions.filter(is_cancelled=False)
        ],
    )


@transaction.atomic
def edition_sync(*, edition_id: int) -> str:
    """Bring the agenda in line with one edition. Returns what was done: "created",
    "updated", "cancelled", "removed" or "unchanged"."""
    edition = (
        Edition.objects.select_for_update()
        .select_related("course__provider")
        .filter(pk=edition_id)
        .first()
    )
    event = mirrored_event(edition_id)
    if edition is None:
        return _retire(event, None)
    actor = sync_account(edition.course.provider)
    if edition.state == EditionState.CANCELLED and edition.course.state == CourseState.PUBLISHED:
        if event is None or event.status == EventStatus.CANCELLED:
            return "unchanged"
        reason = language_map(edition.cancel_reason)
        agenda.event_set_status(
            actor=actor,
            event=event,
            status=EventStatus.CANCELLED,
            reason=dict(reason) if reason.get(SOURCE_LANGUAGE) else CANCEL_REASON,
        )
        return "cancelled"
    if not _shown(edition):
        return _retire(event, actor)
    data = event_input(edition)
    if event is None or event.organiser_id != edition.course.provider_id:
        _retire(event, actor)
        event = agenda.event_create(
            actor=actor,
            organisation=edition.course.provider,
            data=data,
            submit=True,
            source_uid=source_uid(edition_id),
        )
        return "created"
    event = agenda.event_update(actor=actor, event=event, data=data)
    # A moderator may have rejected the mirrored event by hand; the offer decides.
    if event.moderation in (ModerationState.DRAFT, ModerationState.REJECTED):
        event = agenda.event_submit(actor=actor, event=event)
    elif event.moderation == ModerationState.READY:
        event = agenda.event_approve(actor=actor, event=event)
    if event.status != EventStatus.SCHEDULED:
        agenda.event_set_status(actor=actor, event=event, status=EventStatus.SCHEDULED)
    return "updated"


def _retire(event: Event | None, actor: Any) -> str:
    """Take the mirrored event out of the agenda: rejected (hidden at once), then deleted."""
    if event is None:
        return "unchanged"
    actor = actor or sync_account(event.organiser)
    if event.moderation in (ModerationState.READY, ModerationState.APPROVED):
        event = agenda.event_reject(actor=actor, event=event, message=RETIRE_MESSAGE)
    agenda.event_delete(actor=actor, event=event)
    return "removed"


def sync_all() -> dict[str, int]:
    """Reconcile the whole agenda with the offer (for a nightly run or after an import)."""
    counts: dict[str, int] = {}
    mirrored = {
        int(uid.rsplit("-", 1)[1])
        for uid in Event.objects.filter(
            source_feed__isnull=True, source_uid__startswith="learning-edition-"
        ).values_list("source_uid", flat=True)
    }
    candidates = set(
        Edition.objects.filter(
            course__state=CourseState.PUBLISHED, state__in=MIRRORED_STATES
        ).values_list("pk", flat=True)
    )
    for pk in sorted(mirrored | candidates):
        outcome = edition_sync(edition_id=pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
