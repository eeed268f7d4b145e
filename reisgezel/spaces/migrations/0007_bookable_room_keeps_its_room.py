"""A bookable room with bookings keeps its room, whoever writes (admin, shell, a script).

Its bookings hold the room's calendar (places.RoomClaim) and name it on invoices;
pointing the bookable room at another room would move them there on paper only.
`BookableRoom.clean()` says so in words; these triggers refuse the UPDATE in the
database (an IntegrityError naming `spaces_bookableroom_room_fixed`). A check
constraint cannot look at another table, hence triggers, as for places.RoomClaim on
SQLite.

**Caution (SQLite):** a later migration that makes Django rebuild
`spaces_bookableroom` drops the trigger; it must create it again
(`spaces/tests/test_admin.py` fails when it is missing).
"""

from django.db import migrations

NAME = "spaces_bookableroom_room_fixed"
HAS_BOOKINGS = "EXISTS (SELECT 1 FROM spaces_booking WHERE bookable_id = OLD.id)"

SQLITE_FORWARD = [
    f"CREATE TRIGGER {NAME} BEFORE UPDATE OF room_id ON spaces_bookableroom "
    f"FOR EACH ROW WHEN NEW.room_id <> OLD.room_id AND {HAS_BOOKINGS} "
    f"BEGIN SELECT RAISE(ABORT, '{NAME}'); END",
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {NAME}"]

# SQLSTATE 23000 (integrity_constraint_violation): Django raises IntegrityError.
PG_FORWARD = [
    f"CREATE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF NEW.room_id <> OLD.room_id AND {HAS_BOOKINGS} THEN "
    f"RAISE EXCEPTION '{NAME}' USING ERRCODE = '23000'; END IF; RETURN NEW; END $$",
    f"CREATE TRIGGER {NAME} BEFORE UPDATE OF room_id ON spaces_bookableroom "
    f"FOR EACH ROW EXECUTE FUNCTION {NAME}()",
]
PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {NAME} ON spaces_bookableroom",
    f"DROP FUNCTION IF EXISTS {NAME}()",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def room_fixed_forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD})


def room_fixed_backward(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0006_cancellation_deadlines_in_city_time"),
    ]

    operations = [
        migrations.RunPython(room_fixed_forward, room_fixed_backward),
    ]
