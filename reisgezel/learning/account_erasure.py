"""What erasing an account (accounts.erasure) does to learning.

First the person cancels what involves a course and its other participants: enrolments
and waiting-list places, their own and those of the children only they look after.
Then their own profile and those children's profiles are erased as a guardian erases a
child's (`child_erase`: deleted without history, else anonymised, since enrolments and
payments stay in the providers' and funds' books). A household with another guardian
keeps its children: only this guardian leaves it (and no longer pays for it); a household
only the person looked after loses its name and billing address, or goes when nobody
is left in it. Invitations the person sent lapse, and they are no longer a teacher of
any school.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.accounts.erasure import ErasureStep
from reisgezel.core.audit import audit_record
from reisgezel.learning.models import (
    Enrolment,
    EnrolmentState,
    Guardian,
    GuardianInvitation,
    Household,
    Participant,
    SchoolBooking,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.services.family import child_erase


def _sole_guardian_households(user: Any) -> list[Household]:
    households = []
    for guardianship in Guardian.objects.filter(user=user).select_related("household"):
        household = guardianship.household
        if not Guardian.objects.filter(household=household).exclude(user=user).exists():
            households.append(household)
    return households


def _sole_guardian_children(user: Any) -> list[Participant]:
    children = []
    for household in _sole_guardian_households(user):
        children += list(household.participants.filter(user__isnull=True))
    return children


def _people(user: Any) -> list[Participant]:
    own = list(Participant.objects.filter(user=user))
    return own + _sole_guardian_children(user)


def _blockers(user: Any) -> list[str]:
    problems = []
    for person in _people(user):
        busy = person.enrolments.filter(state=EnrolmentState.ACTIVE).exists() or (
            person.waiting_entries.filter(
                state__in=[WaitingState.WAITING, WaitingState.OFFERED]
            ).exists()
        )
        if busy:
            problems.append(
                _("Cancel the enrolments and waiting-list places of %(name)s first.")
                % {"name": person.given_name}
            )
    return problems


def _erase(user: Any) -> None:
    for child in _sole_guardian_children(user):
        child_erase(actor=user, participant=child)
    for own in Participant.objects.filter(user=user):
        _own_profile_erase(own)
    for guardianship in Guardian.objects.filter(user=user).select_related("household"):
        _household_erase(guardianship.household, user)
    Guardian.objects.filter(user=user).delete()
    GuardianInvitation.objects.filter(
        invited_by=user, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if user.email:
        # Invitations to the person from other families name their address there.
        GuardianInvitation.objects.filter(email__iexact=user.email).delete()
        # A teacher's school bookings: the school is their contact from now on.
        bookings = SchoolBooking.objects.filter(contact_email__iexact=user.email)
        for booking in bookings.select_related("school"):
            booking.contact_email = booking.school.email
            booking.save(update_fields=["contact_email"])
    user.schools.clear()


def _household_erase(household: Household, user: Any) -> None:
    """The family account is named after the person's family and billed to their address
    (household_create_for). Another guardian keeps it, but not billed to this person; one
    only they looked after goes when nobody is left in it, else (its enrolments stay in
    the books) it keeps neither name nor address."""
    if Guardian.objects.filter(household=household).exclude(user=user).exists():
        if user.email and household.billing_email.lower() == user.email.lower():
            household.billing_email = ""
            household.save(update_fields=["billing_email", "updated_at"])
        return
    if not household.participants.exists():
        household.delete()  # its guardianships and invitations with it
        return
    household.name = _("Removed")
    household.billing_email = ""
    household.save(update_fields=["name", "billing_email", "updated_at"])


def _own_profile_erase(participant: Participant) -> None:
    """The adult's own profile, as child_erase treats a child's."""
    audit_record(actor=None, action="learning.participant_erase", target=participant)
    if not participant.enrolments.exists() and not participant.waiting_entries.exists():
        participant.entitlements.all().delete()
        participant.delete()
        return
    participant.given_name = _("Removed")
    participant.family_name = "-"
    participant.notes_for_teacher = ""
    participant.birth_date = date(participant.birth_date.year, 1, 1)
    participant.save(update_fields=["given_name", "family_name", "notes_for_teacher", "birth_date"])
    participant.entitlements.all().delete()


def _records(user: Any) -> list[Any]:
    """The profiles and households erasure deletes or anonymises (a household only the
    person looked after is named after their family), and the profiles' enrolments and
    waiting-list places: a reason given for a cancellation may name the child or the
    parent."""
    people = _people(user)
    records: list[Any] = list(people)
    records += _sole_guardian_households(user)
    records += Enrolment.objects.filter(participant__in=people).only("pk")
    records += WaitingListEntry.objects.filter(participant__in=people).only("pk")
    return records


LEARNING_ERASURE = ErasureStep(name="learning", blockers=_blockers, erase=_erase, records=_records)
