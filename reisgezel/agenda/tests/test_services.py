"""Event writes: permissions, validation, moderation, status, occurrences, SEQUENCE."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from reisgezel.agenda.inputs import OpeningInput
from reisgezel.agenda.models import Event, ModerationState, Occurrence
from reisgezel.agenda.services import (
    event_approve,
    event_create,
    event_delete,
    event_reject,
    event_set_highlight,
    event_set_status,
    event_submit,
    event_update,
)
from tests.factories import OrganisationFactory, UserFactory, at, event_input, member_of, moderator

pytestmark = pytest.mark.django_db


def test_member_creates_a_draft_with_its_occurrence():
    org = OrganisationFactory()
    event = event_create(actor=member_of(org), organisation=org, data=event_input())
    assert event.moderation == ModerationState.DRAFT
    occurrence = Occurrence.objects.get(event=event)
    assert not occurrence.is_public and occurrence.is_free
    assert event.ical_uid.startswith(str(event.uuid))


def test_outsider_cannot_create_for_another_organisation():
    org, other = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(PermissionDenied):
        event_create(actor=member_of(other), organisation=org, data=event_input())


def test_validation_errors_name_every_field():
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        event_create(
            actor=member_of(org),
            organisation=org,
            data=event_input(
                title={"en": "Only English"},
                disciplines=["opera-on-ice"],
                age_min=12,
                age_max=6,
                languages=["xx-nonsense"],
                is_free=True,
                base_price=10,
            ),
        )
    errors = caught.value.message_dict
    assert {"title", "disciplines", "age_max", "languages", "base_price"} <= set(errors)


def test_untrusted_submission_waits_for_a_moderator_and_is_then_public():
    org = OrganisationFactory(is_trusted=False)
    author = member_of(org, email="org@example.org")
    event = event_create(actor=author, organisation=org, data=event_input(), submit=True)
    assert event.moderation == ModerationState.READY
    assert not Occurrence.objects.get(event=event).is_public
    with pytest.raises(PermissionDenied):
        event_approve(actor=author, event=event)
    event = event_approve(actor=moderator(), event=event)
    assert event.moderation == ModerationState.APPROVED and event.published_at
    assert Occurrence.objects.get(event=event).is_public


def test_trusted_partner_publishes_directly():
    org = OrganisationFactory(is_trusted=True)
    event = event_create(actor=member_of(org), organisation=org, data=event_input(), submit=True)
    assert event.moderation == ModerationState.APPROVED


def test_rejection_needs_a_message_and_mails_the_organiser(django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    author = member_of(org, email="author@example.org", preferred_language="en")
    event = event_create(actor=author, organisation=org, data=event_input(), submit=True)
    with pytest.raises(ValidationError):
        event_reject(actor=moderator(), event=event, message="  ")
    with django_capture_on_commit_callbacks(execute=True):
        event = event_reject(actor=moderator(), event=event, message="Please add an English title.")
    assert event.moderation == ModerationState.REJECTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["author@example.org"]
    assert "Not published" in mail.outbox[0].subject
    assert "Please add an English title." in mail.outbox[0].body
    # A rejected event can be improved and submitted again.
    assert event_submit(actor=author, event=event).moderation == ModerationState.READY


def test_only_trusted_roles_set_accessibility_facilities():
    org = OrganisationFactory(is_trusted=False)
    with pytest.raises(PermissionDenied, match="accessibility"):
        event_create(
            actor=member_of(org), organisation=org, data=event_input(facilities=["hearing-loop"])
        )
    trusted = OrganisationFactory(is_trusted=True)
    event = event_create(
        actor=member_of(trusted),
        organisation=trusted,
        data=event_input(facilities=["hearing-loop"]),
    )
    assert [t.code for t in event.facilities.all()] == ["hearing-loop"]


def test_update_raises_sequence_and_sends_untrusted_edits_back_to_validation():
    org = OrganisationFactory()
    author = member_of(org)
    event = event_approve(
        actor=moderator(),
        event=event_create(actor=author, organisation=org, data=event_input(), submit=True),
    )
    assert event.sequence == 0
    event = event_update(
        actor=author,
        event=event,
        data=event_input(title={"nl": "Nieuwe titel"}, place_id=event.place_id),
    )
    assert event.sequence == 1
    assert event.moderation == ModerationState.READY
    unchanged = event_update(
        actor=author,
        event=event,
        data=event_input(
            title={"nl": "Nieuwe titel"},
            place_id=event.place_id,
            start=event.time_slots.get().start,
        ),
    )
    assert unchanged.sequence == 1


def test_cancellation_needs_a_reason_and_is_kept_separate_from_moderation():
    org = OrganisationFactory()
    author = member_of(org)
    event = event_approve(
        actor=moderator(),
        event=event_create(actor=author, organisation=org, data=event_input(), submit=True),
    )
    with pytest.raises(ValidationError):
        event_set_status(actor=author, event=event, status="cancelled", reason={})
    event = event_set_status(
        actor=author, event=event, status="cancelled", reason={"nl": "Zanger ziek"}
    )
    assert event.moderation == ModerationState.APPROVED and event.sequence == 1
    assert Occurrence.objects.get(event=event).status == "cancelled"
    with pytest.raises(PermissionDenied):
        event_set_status(actor=UserFactory(), event=event, status="scheduled")


def test_published_events_are_cancelled_not_deleted():
    org = OrganisationFactory(is_trusted=True)
    author = member_of(org)
    event = event_create(actor=author, organisation=org, data=event_input(), submit=True)
    with pytest.raises(ValidationError):
        event_delete(actor=author, event=event)
    draft = event_create(actor=author, organisation=org, data=event_input())
    event_delete(actor=author, event=draft)
    assert not Occurrence.objects.filter(event_id=draft.pk).exists()


def test_a_draft_submitted_in_the_meantime_is_not_deleted():
    org = OrganisationFactory(is_trusted=False)
    author = member_of(org)
    event = event_create(actor=author, organisation=org, data=event_input())
    loaded_by_the_delete_page = Event.objects.get(pk=event.pk)
    event_submit(actor=author, event=event)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        event_delete(actor=author, event=loaded_by_the_delete_page)
    assert Event.objects.get(pk=event.pk).moderation == ModerationState.READY


def test_an_event_deleted_in_the_meantime_is_refused_with_a_message():
    org = OrganisationFactory(is_trusted=False)
    author = member_of(org)
    event = event_create(actor=author, organisation=org, data=event_input(), submit=True)
    event = event_reject(actor=moderator(), event=event, message="Te weinig informatie.")
    loaded_before = Event.objects.get(pk=event.pk)
    event_delete(actor=author, event=event)
    for write in (
        lambda: event_submit(actor=author, event=loaded_before),
        lambda: event_update(actor=author, event=loaded_before, data=event_input()),
        lambda: event_set_status(actor=author, event=loaded_before, status="scheduled"),
        lambda: event_approve(actor=moderator(), event=loaded_before),
        lambda: event_reject(actor=moderator(), event=loaded_before, message="Nee."),
        lambda: event_delete(actor=author, event=loaded_before),
        lambda: event_set_highlight(actor=moderator(), event=loaded_before, highlight=True),
    ):
        with pytest.raises(ValidationError, match="deleted in the meantime"):
            write()


def test_periodic_exhibition_materialises_its_opening_days():
    org = OrganisationFactory()
    # A Wednesday: the fortnight then holds exactly two Mondays (closed) and the
    # exception (first + 1) falls on an open day (from a Sunday, it hit a closed Monday).
    soon = date.today() + timedelta(days=7)
    first = soon + timedelta(days=(2 - soon.weekday()) % 7)
    event = event_create(
        actor=member_of(org),
        organisation=org,
        data=event_input(
            calendar_type="periodic",
            time_slots=[],
            period_start=first,
            period_end=first + timedelta(days=13),
            weekly=[OpeningInput(d, time(10), time(17)) for d in range(1, 7)],
            exception_dates=[first + timedelta(days=1)],
        ),
    )
    days = {o.start.date() for o in Occurrence.objects.filter(event=event)}
    assert len(days) == 14 - 2 - 1  # two Mondays closed, one exception
    assert first + timedelta(days=1) not in days


def test_incomplete_calendar_is_a_validation_error_on_the_calendar():
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        event_create(
            actor=member_of(org),
            organisation=org,
            data=event_input(calendar_type="permanent", time_slots=[]),
        )
    assert "calendar_type" in caught.value.message_dict


def test_times_must_be_ordered():
    org = OrganisationFactory()
    start = at(12)
    from reisgezel.agenda.inputs import SlotInput

    with pytest.raises(ValidationError) as caught:
        event_create(
            actor=member_of(org),
            organisation=org,
            data=event_input(time_slots=[SlotInput(start=start, end=start - timedelta(hours=1))]),
        )
    assert "time_slots" in caught.value.message_dict


def test_untrusted_edit_keeps_the_facilities_a_moderator_set():
    org = OrganisationFactory(is_trusted=False)
    author = member_of(org)
    event = event_create(actor=author, organisation=org, data=event_input(), submit=True)
    event = event_update(
        actor=moderator(),
        event=event,
        data=event_input(place_id=event.place_id, facilities=["wheelchair-accessible"]),
    )
    event = event_update(actor=author, event=event, data=event_input(place_id=event.place_id))
    assert [t.code for t in event.facilities.all()] == ["wheelchair-accessible"]
    # Resending them unchanged is fine; changing them is not.
    event_update(
        actor=author,
        event=event,
        data=event_input(place_id=event.place_id, facilities=["wheelchair-accessible"]),
    )
    with pytest.raises(PermissionDenied):
        event_update(
            actor=author, event=event, data=event_input(place_id=event.place_id, facilities=[])
        )


def test_only_moderators_choose_highlights():
    from reisgezel.agenda.services import event_set_highlight

    org = OrganisationFactory(is_trusted=True)
    author = member_of(org)
    event = event_create(actor=author, organisation=org, data=event_input(), submit=True)
    with pytest.raises(PermissionDenied):
        event_set_highlight(actor=author, event=event, highlight=True)
    event = event_set_highlight(actor=moderator(), event=event, highlight=True)
    event.refresh_from_db()
    assert event.is_highlight
