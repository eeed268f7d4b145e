"""A school booking keeps the school year whose budget paid it; a moved session keeps the
week the weekly pattern had it in."""

from django.db import migrations, models
from django.utils import timezone


def fill_budget_years(apps, schema_editor):
    """Existing bookings: the school year of their slot's start (1 August - 31 July), as
    the booking worked it out when it spent the budget."""
    SchoolBooking = apps.get_model("learning", "SchoolBooking")
    for booking in SchoolBooking.objects.select_related("slot").filter(budget_year=""):
        day = timezone.localtime(booking.slot.starts_at).date()
        start = day.year if day.month >= 8 else day.year - 1
        booking.budget_year = f"{start}-{start + 1}"
        booking.save(update_fields=["budget_year"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0006_extra_sessions_keep_the_weekly_slot"),
    ]

    operations = [
        migrations.AddField(
            model_name="schoolbooking",
            name="budget_year",
            field=models.CharField(
                blank=True, editable=False, max_length=9, verbose_name="budget year"
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="pattern_starts_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_budget_years, migrations.RunPython.noop),
    ]
