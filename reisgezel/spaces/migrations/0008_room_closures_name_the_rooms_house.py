"""Closures of one room name the house the room is in.

Before `Closure.clean()` and `Closure.save()` kept them right, a room's closure could be
stored under another house (typed wrong in the admin, or the room moved since). The
booking rules already count such a closure for its room (spaces.rules.closures_of), but
the admin listed it, and filtered it, under the wrong house. This sets each such row's
house to its room's. Closures of a whole house (no room) are left alone.

Backwards it does nothing: the house it replaced was wrong, and nothing reads it.
"""

from django.db import migrations
from django.db.models import F


def closures_under_their_rooms_house(apps, schema_editor):
    Closure = apps.get_model("spaces", "Closure")
    wrong = Closure.objects.filter(bookable__isnull=False).exclude(
        place_id=F("bookable__room__place_id")
    )
    for closure in wrong.select_related("bookable__room"):
        closure.place_id = closure.bookable.room.place_id
        closure.save(update_fields=["place"])


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0007_bookable_room_keeps_its_room"),
    ]

    operations = [
        migrations.RunPython(closures_under_their_rooms_house, migrations.RunPython.noop),
    ]
