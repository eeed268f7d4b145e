"""Tell a sign-up that waits for its confirmation from an account staff switched off, and
mark erased accounts, so that neither is activated by signing up again.

Until now both were "inactive and never signed in". A sign-up always wrote an
`account.signup` audit entry, and an erasure an `account.erase` one: those say which
accounts are which. An inactive account without a sign-up entry (made by staff, then
switched off) waits for nothing. Reversible: going back drops the two fields.
"""

from django.db import migrations, models
from django.db.models import CharField, Exists, OuterRef, Subquery
from django.db.models.functions import Cast


def _entries(apps, action):
    audit_entry = apps.get_model("core", "AuditEntry")
    return audit_entry.objects.filter(
        action=action,
        target_type="accounts.user",
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
    )


def mark_accounts(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    erased = _entries(apps, "account.erase")
    user_model.objects.filter(Exists(erased), is_active=False, email="").update(
        erased_at=Subquery(erased.order_by("-at").values("at")[:1])
    )
    user_model.objects.filter(
        Exists(_entries(apps, "account.signup")),
        is_active=False,
        last_login__isnull=True,
        erased_at__isnull=True,
    ).exclude(email="").update(awaiting_confirmation=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_email_unique"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="awaiting_confirmation",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Signed up, but the link in the confirmation e-mail has not been followed "
                    "yet. Only such an account is activated by that link."
                ),
                verbose_name="awaiting confirmation",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="erased_at",
            field=models.DateTimeField(
                blank=True,
                help_text="The person deleted the account; it stays empty and inactive.",
                null=True,
                verbose_name="erased",
            ),
        ),
        migrations.RunPython(mark_accounts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("awaiting_confirmation", False), ("is_active", False), _connector="OR"
                ),
                name="accounts_user_awaiting_confirmation_inactive",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("erased_at__isnull", True),
                    models.Q(("awaiting_confirmation", False), ("email", ""), ("is_active", False)),
                    _connector="OR",
                ),
                name="accounts_user_erased_stays_empty",
            ),
        ),
    ]
