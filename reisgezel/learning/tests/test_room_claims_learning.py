"""Course sessions hold their room in the room's one calendar (places.RoomClaim), so a
group booking and a course can never meet in the same room at the same time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from reisgezel.learning.models import Edition
from reisgezel.learning.services.editions import edition_cancel
from reisgezel.learning.services.room_claims import SESSION_HOLDER
from reisgezel.learning.services.sessions import (
    session_add,
    session_cancel,
    session_move,
    session_restore,
    sessions_generate,
)
from reisgezel.places.models import Room, RoomClaim
from reisgezel.places.services_rooms import room_claim
from tests.factories import make_place, member_of
from tests.learning_factories import make_edition, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Edition:
    place = make_place()
    room = make_room(place=place)
    return make_edition(place=place, room=room, skip_school_holidays=False)


def _room(edition: Edition) -> Room:
    assert edition.room is not None
    return edition.room


def _claimed(session_ids: list[int]) -> set[int]:
    return set(
        RoomClaim.objects.filter(holder_type=SESSION_HOLDER, holder_id__in=session_ids).values_list(
            "holder_id", flat=True
        )
    )


def test_generated_sessions_claim_their_room_and_a_booked_evening_is_reported(
    edition: Edition,
) -> None:
    first = sessions_generate(edition=edition).added[0]
    # Regenerate from scratch with a group booking on the third Tuesday.
    edition.sessions.all().delete()
    RoomClaim.objects.all().delete()
    third_start = first.starts_at + timedelta(weeks=2)
    room_claim(
        room=_room(edition),
        starts_at=third_start - timedelta(minutes=30),
        ends_at=third_start + timedelta(minutes=30),
        holder_type="spaces.booking",
        holder_id=1,
    )

    report = sessions_generate(edition=edition)

    ids = [s.pk for s in report.added]
    assert len(report.room_taken) == 1
    blocked, reason = report.room_taken[0]
    assert blocked.starts_at == third_start and blocked.room_id is None
    assert _room(edition).name in reason
    assert _claimed(ids) == set(ids) - {blocked.pk}


def test_moving_a_session_into_a_taken_slot_is_refused_and_keeps_the_old_claim(
    edition: Edition,
) -> None:
    sessions = sessions_generate(edition=edition).added
    provider = member_of(edition.course.provider)
    target = sessions[1]
    with pytest.raises(ValidationError) as refused:
        session_move(
            actor=provider,
            session=sessions[0],
            starts_at=target.starts_at + timedelta(minutes=30),
            ends_at=target.ends_at + timedelta(minutes=30),
        )
    assert _room(edition).name in str(refused.value)
    claim = RoomClaim.objects.get(holder_type=SESSION_HOLDER, holder_id=sessions[0].pk)
    assert claim.starts_at == sessions[0].starts_at

    moved = session_move(
        actor=provider,
        session=sessions[0],
        starts_at=sessions[0].starts_at + timedelta(days=1),
        ends_at=sessions[0].ends_at + timedelta(days=1),
    )
    claim = RoomClaim.objects.get(holder_type=SESSION_HOLDER, holder_id=moved.pk)
    assert claim.starts_at == moved.starts_at


def test_cancelling_gives_the_room_back_and_restoring_takes_it_again(edition: Edition) -> None:
    session = sessions_generate(edition=edition).added[0]
    provider = member_of(edition.course.provider)
    session_cancel(actor=provider, session=session, note={"nl": "De docent is ziek."})
    assert _claimed([session.pk]) == set()
    room_claim(
        room=_room(edition),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        holder_type="spaces.booking",
        holder_id=7,
    )
    with pytest.raises(ValidationError):
        session_restore(actor=provider, session=session)
    RoomClaim.objects.filter(holder_type="spaces.booking").delete()
    session_restore(actor=provider, session=session)
    assert _claimed([session.pk]) == {session.pk}


def test_an_added_session_claims_and_a_cancelled_edition_releases_everything(
    edition: Edition,
) -> None:
    sessions = sessions_generate(edition=edition).added
    provider = member_of(edition.course.provider)
    extra = session_add(
        actor=provider,
        edition=edition,
        starts_at=sessions[0].starts_at + timedelta(days=3),
        ends_at=sessions[0].ends_at + timedelta(days=3),
    )
    assert _claimed([extra.pk]) == {extra.pk}
    with pytest.raises(ValidationError):
        session_add(
            actor=provider,
            edition=edition,
            starts_at=extra.starts_at + timedelta(minutes=15),
            ends_at=extra.ends_at,
        )

    edition_cancel(actor=provider, edition=edition, reason={"nl": "Geen docent."})

    assert not RoomClaim.objects.filter(holder_type=SESSION_HOLDER).exists()


def test_regenerating_a_shorter_pattern_gives_back_the_rooms_of_removed_sessions(
    edition: Edition,
) -> None:
    sessions_generate(edition=edition)
    edition.ends_on = edition.starts_on + timedelta(weeks=2)
    edition.save(update_fields=["ends_on"])
    sessions_generate(edition=edition)
    remaining = list(edition.sessions.values_list("pk", flat=True))
    claims = set(
        RoomClaim.objects.filter(holder_type=SESSION_HOLDER).values_list("holder_id", flat=True)
    )
    assert claims == set(remaining)
