"""A room's calendar as iCalendar (RFC 5545): every claim, bookings and courses alike.

The feed says when the room is taken, never by whom (a resident's booking is personal
data), so it can be public: staff and groups subscribe to it to plan. Times are in UTC,
which every client converts; one VEVENT per claim, its UID stable for the claim's life.
"""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.places.models import RoomClaim
from reisgezel.spaces.models import BookableRoom

PRODID = "-//Reisgezel//Spaces//NL"
# Past claims kept in the feed, and how far ahead it reaches.
PAST_DAYS = 30
AHEAD_DAYS = 400


def room_calendar(bookable: BookableRoom) -> bytes:
    now = timezone.now()
    claims = RoomClaim.objects.filter(
        room_id=bookable.room_id,
        ends_at__gte=now - timedelta(days=PAST_DAYS),
        starts_at__lte=now + timedelta(days=AHEAD_DAYS),
    ).order_by("starts_at")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", str(bookable.room))
    host = str(settings.SITE_URL).split("://", 1)[-1].split("/", 1)[0]
    for claim in claims:
        event = icalendar.Event()
        event.add("uid", f"room-claim-{claim.pk}@{host}")
        event.add("dtstamp", claim.created_at)
        event.add("dtstart", claim.starts_at)
        event.add("dtend", claim.ends_at)
        course = claim.holder_type.startswith("learning.")
        event.add("summary", _("Course") if course else _("Booked"))
        event.add("location", str(bookable.room))
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return bytes(cal.to_ical())
