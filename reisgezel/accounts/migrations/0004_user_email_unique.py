"""One account per e-mail address (case-insensitive; accounts without one are free).

An installation whose accounts already share an address cannot get the constraint
without someone deciding which account keeps it: the migration stops and names them.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_shared_addresses(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    shared = (
        user_model.objects.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("address", flat=True)
    )
    problems = [
        f"{address}: accounts "
        + ", ".join(
            user_model.objects.filter(email__iexact=address)
            .order_by("pk")
            .values_list("username", flat=True)
        )
        for address in shared[:20]
    ]
    if problems:
        raise RuntimeError(
            "These e-mail addresses belong to more than one account. Give each account its "
            "own address (or clear it on the account that should not receive mail), then "
            "migrate again:\n  " + "\n  ".join(problems)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_shared_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="accounts_user_email_unique",
                violation_error_message="Another account has this e-mail address.",
            ),
        ),
    ]
