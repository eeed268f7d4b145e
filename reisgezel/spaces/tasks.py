"""Background tasks of room booking (Django's tasks framework; ids in, never objects).

The group's contact hears of every decision staff take: a group approved or not, a
request confirmed or rejected (with the reason). Sent after the decision commits, in
the contact's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reisgezel.spaces.models import Booking, BookingGroup, BookingStatus, GroupStatus
from reisgezel.spaces.rules import city_tz


def _send(user: object, subject: str, body: str) -> int:
    email = getattr(user, "email", "")
    if not email or not getattr(user, "is_active", False):
        return 0
    # A subject holds names people typed; a line break in it would make send_mail
    # refuse the message (BadHeaderError) and stop the other groups' messages.
    return send_mail(" ".join(subject.split()), body, None, [email])


@task()
def notify_booking_decision(*, booking_id: int) -> int:
    booking = (
        Booking.objects.select_related("group__contact", "bookable__room__place")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.status not in (BookingStatus.CONFIRMED, BookingStatus.REJECTED):
        return 0
    contact = booking.group.contact
    with translation.override(contact.preferred_language):
        start = booking.starts_at.astimezone(city_tz())
        values = {
            "title": booking.title,
            "room": str(booking.bookable.room),
            "when": formats.date_format(start, "l j F Y, H:i"),
        }
        if booking.status == BookingStatus.CONFIRMED:
            subject = _("Your booking is confirmed: %(room)s") % values
            body = _("%(title)s in %(room)s on %(when)s is confirmed.") % values
        else:
            subject = _("Your request was not accepted: %(room)s") % values
            body = _("%(title)s in %(room)s on %(when)s was not accepted.") % values
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": booking.rejection_reason}
        body += "\n\n" + settings.SITE_URL + "/" + contact.preferred_language + "/spaces/my/\n"
    return _send(contact, subject, body)


@task()
def notify_group_decision(*, group_id: int) -> int:
    group = BookingGroup.objects.select_related("contact").filter(pk=group_id).first()
    if group is None or group.status == GroupStatus.PENDING:
        return 0
    contact = group.contact
    with translation.override(contact.preferred_language):
        if group.status == GroupStatus.APPROVED:
            subject = _("%(name)s can book rooms") % {"name": group.name}
            body = _("Staff approved %(name)s. Your waiting requests are confirmed.") % {
                "name": group.name
            }
            if group.bookings.filter(status=BookingStatus.PENDING).exists():
                # Approval confirms the houses' rooms only; a partner answers its own.
                body += " " + _("Requests for a partner's own room still wait for its answer.")
        else:
            subject = _("%(name)s was not approved") % {"name": group.name}
            body = _("Staff did not approve %(name)s.") % {"name": group.name}
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": group.decision_note}
    return _send(contact, subject, body)


@task()
def expire_pending_requests_task() -> int:
    """Daily: unanswered pending requests give their room back (see the service)."""
    from reisgezel.spaces.services import expire_pending_requests

    return expire_pending_requests()


@task()
def notify_room_managers(*, booking_ids: list[int]) -> int:
    """A partner's own room got a request (one booking, or the dates of a weekly series):
    every member of the partner with an e-mail address hears of it, in their language."""
    bookings = list(
        Booking.objects.filter(pk__in=booking_ids, status=BookingStatus.PENDING)
        .select_related("group", "bookable__room__place", "bookable__managed_by")
        .order_by("starts_at")
    )
    partner = bookings[0].bookable.managed_by if bookings else None
    if partner is None or not partner.is_active:
        return 0  # an inactive partner answers no requests (staff do)
    first = bookings[0]
    members = partner.memberships.select_related("user")
    sent = 0
    for user in (membership.user for membership in members):
        with translation.override(user.preferred_language):
            values = {
                "group": first.group.name,
                "title": first.title,
                "room": str(first.bookable.room),
                "when": formats.date_format(first.starts_at.astimezone(city_tz()), "l j F Y, H:i"),
                "count": len(bookings),
            }
            subject = _("A booking request for %(room)s") % values
            body = _("%(group)s asks for %(room)s on %(when)s: %(title)s.") % values
            if len(bookings) > 1:
                body += " " + _("Weekly, %(count)d dates.") % values
            body += "\n\n" + _("Confirm or reject it on your booking desk:") + "\n"
            body += settings.SITE_URL + "/" + user.preferred_language + "/spaces/staff/\n"
        sent += _send(user, subject, body)
    return sent


@task()
def notify_cancelled_by_room(*, booking_ids: list[int]) -> int:
    """The room's side cancelled bookings: each group's contact gets one e-mail listing
    that group's dates, with the reason, in the contact's language."""
    bookings = (
        Booking.objects.filter(pk__in=booking_ids, status=BookingStatus.CANCELLED)
        .exclude(cancellation_reason="")
        .select_related("group__contact", "bookable__room__place")
        .order_by("group_id", "starts_at")
    )
    by_group: dict[int, list[Booking]] = {}
    for booking in bookings:
        by_group.setdefault(booking.group_id, []).append(booking)
    sent = 0
    for group_bookings in by_group.values():
        group = group_bookings[0].group
        contact = group.contact
        with translation.override(contact.preferred_language):
            count = len(group_bookings)
            subject = ngettext(
                "A room booking of %(group)s is cancelled",
                "%(count)d room bookings of %(group)s are cancelled",
                count,
            ) % {"group": group.name, "count": count}
            rooms = ", ".join(sorted({str(booking.bookable.room) for booking in group_bookings}))
            lines = [
                ngettext(
                    "The people who run %(rooms)s had to cancel this booking:",
                    "The people who run %(rooms)s had to cancel these bookings:",
                    count,
                )
                % {"rooms": rooms},
                "",
            ]
            for booking in group_bookings:
                start = booking.starts_at.astimezone(city_tz())
                lines.append(
                    "- "
                    + _("%(title)s in %(room)s on %(when)s")
                    % {
                        "title": booking.title,
                        "room": str(booking.bookable.room),
                        "when": formats.date_format(start, "l j F Y, H:i"),
                    }
                )
            lines += [
                "",
                _("Reason: %(reason)s") % {"reason": group_bookings[0].cancellation_reason},
                _("You pay nothing for it."),
                "",
                settings.SITE_URL + "/" + contact.preferred_language + "/spaces/my/",
            ]
        sent += _send(contact, subject, "\n".join(lines) + "\n")
    return sent
