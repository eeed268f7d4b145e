"""School programmes: a teacher books a slot for a class; the CJP budget pays what it can.

Invariants in the database (learning/models/schools.py): one confirmed booking per slot
(a partial unique constraint) and a budget never overspent (a check constraint). The
service raises a budget's `spent` with a conditional UPDATE, so two bookings at once can
never spend the same euro twice; a second booking of a slot gets a clear message.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning import permissions
from reisgezel.learning.models.offer import Course, CourseKind, CourseState
from reisgezel.learning.models.schools import (
    BookingState,
    ProgrammeSlot,
    School,
    SchoolBooking,
    SchoolBudget,
)
from reisgezel.learning.services.room_claims import SLOT_HOLDER, slot_claim_sync
from reisgezel.learning.services.tariffs import ZERO, money, school_year_label
from reisgezel.places.services_rooms import describe_taken, room_conflicts

CLASS_NAME_MAX = 40
# How often to retry the budget UPDATE when another booking spent from it meanwhile.
BUDGET_ATTEMPTS = 5


def programmes_published() -> QuerySet[Course]:
    return Course.objects.filter(
        kind=CourseKind.SCHOOL_PROGRAMME, state=CourseState.PUBLISHED
    ).select_related("provider")


def free_slots(
    *, course: Course | None = None, now: datetime | None = None
) -> QuerySet[ProgrammeSlot]:
    """Slots in the future without a confirmed booking, of published programmes."""
    now = now or timezone.now()
    booked = SchoolBooking.objects.filter(slot=OuterRef("pk"), state=BookingState.CONFIRMED)
    slots = ProgrammeSlot.objects.filter(
        starts_at__gt=now,
        course__kind=CourseKind.SCHOOL_PROGRAMME,
        course__state=CourseState.PUBLISHED,
    ).filter(~Exists(booked))
    if course is not None:
        slots = slots.filter(course=course)
    return slots.select_related("place", "room", "course").order_by("starts_at", "id")


def schools_of(user: Any) -> QuerySet[School]:
    """The schools a user may book for (those that list them as a contact)."""
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.filter(contacts=user)


def slot_room_taken(slot: ProgrammeSlot) -> str | None:
    """What holds the slot's room at the slot's time, said as for a booking ("Atelier 1
    is already taken on 3 March from 10:00 to 12:00."), or None; the slot's own claim
    does not count. A report for forms: the claim taken on save is the guarantee."""
    room, starts_at, ends_at = slot.room, slot.starts_at, slot.ends_at
    if room is None or slot.in_school or starts_at is None or ends_at is None:
        return None
    if ends_at <= starts_at:
        return None
    for conflict in room_conflicts(room, [(starts_at, ends_at)]):
        claim = conflict.claim
        if not (claim.holder_type == SLOT_HOLDER and claim.holder_id == slot.pk):
            return describe_taken(room, claim.starts_at, claim.ends_at)
    return None


def programme_slot_save(*, actor: Any, slot: ProgrammeSlot) -> ProgrammeSlot:
    """Create or change a slot (staff and the members of the programme's provider).

    Every write of a slot comes here (the admin, the demo, scripts): the fields and
    constraints are validated with `full_clean`, which also runs `ProgrammeSlot.clean`
    (the room is in the slot's place and holds its largest group); then the slot is saved
    and its room claimed at its time in one transaction. A room taken at that time raises
    ValidationError({"room": ...}) and nothing is saved. Audit-logged."""
    if not permissions.can_manage_course(actor, slot.course):
        raise PermissionDenied(
            _("You cannot plan dates for %(org)s.") % {"org": slot.course.provider.name}
        )
    slot.full_clean()
    adding = slot._state.adding
    try:
        with transaction.atomic():
            slot.save()
            slot_claim_sync(slot)
            audit_record(
                actor=actor,
                action="learning.slot_add" if adding else "learning.slot_change",
                target=slot,
            )
    except ValidationError as error:
        if adding:  # rolled back: the instance has no row
            slot.pk, slot._state.adding = None, True
        raise ValidationError({"room": error.messages}) from error
    return slot


def school_year_for(slot: ProgrammeSlot) -> str:
    return school_year_label(timezone.localtime(slot.starts_at).date())


def budget_left(*, school: School, school_year: str) -> Decimal:
    budget = SchoolBudget.objects.filter(school=school, school_year=school_year).first()
    return money(budget.amount - budget.spent) if budget is not None else ZERO


def _spend_budget(*, school: School, school_year: str, wanted: Decimal) -> Decimal:
    """Spend up to `wanted` from the school's budget; return what was spent. Call inside
    a transaction.

    The budget row is locked (PostgreSQL: bookings of one school wait for each other) and
    the conditional UPDATE (spent unchanged since the read, spent + x <= amount) never
    overspends; where the lock is a no-op (SQLite) and another booking spent from the
    budget between our read and our write, read again and retry."""
    for _attempt in range(BUDGET_ATTEMPTS):
        budget = (
            SchoolBudget.objects.select_for_update()
            .filter(school=school, school_year=school_year)
            .first()
        )
        if budget is None:
            return ZERO
        amount = min(wanted, money(budget.amount - budget.spent))
        if amount <= 0:
            return ZERO
        updated = SchoolBudget.objects.filter(
            pk=budget.pk, spent=budget.spent, spent__lte=F("amount") - amount
        ).update(spent=F("spent") + amount)
        if updated:
            return amount
    return ZERO


def _return_budget(*, school: School, school_year: str, amount: Decimal) -> None:
    if amount <= 0:
        return
    SchoolBudget.objects.filter(school=school, school_year=school_year, spent__gte=amount).update(
        spent=F("spent") - amount
    )


def school_booking_create(
    *,
    actor: Any,
    slot: ProgrammeSlot,
    school: School,
    class_name: str,
    grade: int,
    pupils: int,
    contact_email: str = "",
    use_cjp: bool = True,
    now: datetime | None = None,
) -> SchoolBooking:
    """Book `slot` for a class of `school`; the CJP budget of the slot's school year pays
    what is left of it, up to the price. The school gets a confirmation by e-mail."""
    now = now or timezone.now()
    if not schools_of(actor).filter(pk=school.pk).exists():
        raise PermissionDenied(_("Only the school's teachers may book for it."))
    course = slot.course
    errors: dict[str, list[str]] = {}
    if course.kind != CourseKind.SCHOOL_PROGRAMME or course.state != CourseState.PUBLISHED:
        errors.setdefault("slot", []).append(_("This programme cannot be booked."))
    if slot.starts_at <= now:
        errors.setdefault("slot", []).append(_("This date has passed; choose another one."))
    class_name = class_name.strip()
    if not class_name:
        errors.setdefault("class_name", []).append(_("Enter the name of the class."))
    elif len(class_name) > CLASS_NAME_MAX:
        errors.setdefault("class_name", []).append(
            _("The class name is at most %(max)d characters long.") % {"max": CLASS_NAME_MAX}
        )
    low, high = course.grade_min, course.grade_max
    if (low is not None and grade < low) or (high is not None and grade > high):
        errors.setdefault("grade", []).append(
            _("This programme is for grades %(low)s to %(high)s.")
            % {"low": low if low is not None else 1, "high": high if high is not None else 14}
        )
    if pupils < 1:
        errors.setdefault("pupils", []).append(_("A class has at least one pupil."))
    elif pupils > slot.pupils_max:
        errors.setdefault("pupils", []).append(
            _("At most %(max)d pupils can take part in this programme.") % {"max": slot.pupils_max}
        )
    contact_email = contact_email.strip()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors.setdefault("contact_email", []).append(_("Enter a valid e-mail address."))
    if errors:
        raise ValidationError(errors)

    school_year = school_year_for(slot)
    price = money(slot.price)
    try:
        with transaction.atomic():
            cjp_amount = (
                _spend_budget(school=school, school_year=school_year, wanted=price)
                if use_cjp
                else ZERO
            )
            booking = SchoolBooking.objects.create(
                slot=slot,
                school=school,
                booked_by=actor,
                class_name=class_name,
                grade=grade,
                pupils=pupils,
                contact_email=contact_email or school.email,
                price=price,
                cjp_amount=cjp_amount,
                budget_year=school_year,
            )
            audit_record(
                actor=actor,
                action="learning.school_booking_create",
                target=booking,
                data={"cjp_amount": str(cjp_amount), "school_year": school_year},
            )
    except IntegrityError as error:
        # The partial unique constraint: another class booked this slot first. The
        # budget spent above was rolled back with the booking.
        raise ValidationError(
            {"slot": [_("Another class has just booked this date. Please choose another one.")]}
        ) from error
    booking_id = booking.pk
    transaction.on_commit(lambda: send_school_booking_confirmation.enqueue(booking_id=booking_id))
    return booking


def can_cancel_booking(user: Any, booking: SchoolBooking) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or booking.school.contacts.filter(pk=user.pk).exists()


def school_booking_cancel(
    *, actor: Any, booking: SchoolBooking, now: datetime | None = None
) -> SchoolBooking:
    """Cancel before the slot starts: the slot is free again and the CJP amount returns
    to the school's budget."""
    now = now or timezone.now()
    if not can_cancel_booking(actor, booking):
        raise PermissionDenied(_("Only the school's teachers may cancel this booking."))
    if booking.slot.starts_at <= now:
        raise ValidationError(_("This programme has started; it can no longer be cancelled."))
    with transaction.atomic():
        # Only one cancellation returns the budget, however many arrive at once.
        updated = SchoolBooking.objects.filter(pk=booking.pk, state=BookingState.CONFIRMED).update(
            state=BookingState.CANCELLED
        )
        if not updated:
            raise ValidationError(_("This booking is already cancelled."))
        _return_budget(
            school=booking.school,
            school_year=booking.budget_year or school_year_for(booking.slot),
            amount=booking.cjp_amount,
        )
        audit_record(actor=actor, action="learning.school_booking_cancel", target=booking)
    booking.refresh_from_db()
    return booking


def bookings_of(user: Any) -> QuerySet[SchoolBooking]:
    """Bookings of the schools the user is a contact of."""
    return (
        SchoolBooking.objects.filter(school__in=schools_of(user))
        .select_related("slot__course", "slot__place", "school")
        .order_by("slot__starts_at")
    )


@task()
def send_school_booking_confirmation(*, booking_id: int) -> int:
    """E-mail the school the confirmation, in the booking teacher's language."""
    booking = (
        SchoolBooking.objects.select_related("slot__course", "slot__place", "school", "booked_by")
        .filter(pk=booking_id, state=BookingState.CONFIRMED)
        .first()
    )
    if booking is None:
        return 0
    language = getattr(booking.booked_by, "preferred_language", None) or "nl"
    recipients = sorted({booking.school.email, booking.contact_email} - {""})
    with translation.override(language):
        context = {"booking": booking, "slot": booking.slot, "course": booking.slot.course}
        subject = render_to_string(
            "learning/schools/email/booking_confirmed_subject.txt", context
        ).strip()
        body = render_to_string("learning/schools/email/booking_confirmed_body.txt", context)
    return send_mail(subject, body, None, recipients)
