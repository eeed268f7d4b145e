"""What each scheme covered of an enrolment, so that stacked schemes each count only their
own share towards their yearly maximum (learning-tariffs.md, rule 4)."""

import django.db.models.deletion
from django.db import migrations, models


def record_what_schemes_covered(apps, schema_editor):
    """Existing enrolments named one scheme and its share as the yearly maxima counted it
    until now: a fund what it pays (`fund_amount`), a discount the whole reduction. A
    discount stacked under a fund was never named, so it cannot be recovered; it was not
    counted before either."""
    Enrolment = apps.get_model("learning", "Enrolment")
    SchemeUse = apps.get_model("learning", "SchemeUse")
    uses = []
    for enrolment in Enrolment.objects.filter(scheme__isnull=False).select_related("scheme"):
        if enrolment.scheme.kind == "fund":
            amount = enrolment.fund_amount
        else:
            amount = enrolment.price_full - enrolment.price_due
        if amount > 0:
            uses.append(SchemeUse(enrolment=enrolment, scheme=enrolment.scheme, amount=amount))
    SchemeUse.objects.bulk_create(uses, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0007_booking_budget_year_and_moved_session_week'),
    ]

    operations = [
        migrations.CreateModel(
            name='SchemeUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='amount covered (EUR)')),
                ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scheme_uses', to='learning.enrolment')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='uses', to='learning.discountscheme')),
            ],
            options={
                'ordering': ['enrolment', 'scheme'],
                'constraints': [models.UniqueConstraint(fields=('enrolment', 'scheme'), name='learning_scheme_use_once_per_enrolment'), models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='learning_scheme_use_positive')],
            },
        ),
        migrations.RunPython(record_what_schemes_covered, migrations.RunPython.noop),
    ]
