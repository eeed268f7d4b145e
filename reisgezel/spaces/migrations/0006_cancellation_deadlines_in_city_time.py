"""Free-cancellation deadlines on the city's wall clock.

Migration 0005 filled `Booking.free_cancellation_until` of the live bookings made before
it as `starts_at - N days` on the UTC value from the database. Across a change of the
clocks that is an hour off (7 days before Tuesday 30 March 2027 19:30 became Tuesday
23 March 18:30 instead of 19:30). This moves those deadlines to the wall clock, as
spaces.rules.free_cancellation_until counts them now.

Which rows: live (pending or confirmed) bookings whose deadline is a whole number of
24-hour days before the start, and differs from the same number of days counted on the
wall clock. A deadline counted on the wall clock is never such a row: either no change
of the clocks lies in between (then both counts agree and nothing changes) or it is a
whole number of days plus or minus an hour before the start. Cancelled and rejected
bookings keep theirs: a fee was settled against it. Running it twice changes nothing.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

DAY = timedelta(days=1)


def deadlines_in_city_time(apps, schema_editor):
    Booking = apps.get_model("spaces", "Booking")
    city = ZoneInfo(settings.TIME_ZONE)
    live = Booking.objects.filter(
        status__in=["pending", "confirmed"], free_cancellation_until__isnull=False
    ).only("pk", "starts_at", "free_cancellation_until")
    corrected = []
    for booking in live.iterator(chunk_size=2000):
        ahead = booking.starts_at - booking.free_cancellation_until
        if ahead < timedelta(0) or ahead % DAY:
            continue
        on_the_wall_clock = booking.starts_at.astimezone(city) - timedelta(days=ahead // DAY)
        if on_the_wall_clock != booking.free_cancellation_until:
            booking.free_cancellation_until = on_the_wall_clock
            corrected.append(booking)
    Booking.objects.bulk_update(corrected, ["free_cancellation_until"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0005_booking_terms_fixed_at_booking"),
    ]

    operations = [
        migrations.RunPython(deadlines_in_city_time, migrations.RunPython.noop),
    ]
