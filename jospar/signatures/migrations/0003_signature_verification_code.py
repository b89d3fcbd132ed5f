"""Each signature's verification code (`Signature.code`), derived from its CMS: the stored
signatures (and their history rows) get theirs before the column becomes unique."""

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    from jospar.signatures.models import verification_code

    for name in ("Signature", "HistoricalSignature"):
        model = apps.get_model("signatures", name)
        for row in model.objects.filter(code__in=["", None]).only("pk", "cms").iterator():
            model.objects.filter(pk=row.pk).update(code=verification_code(row.cms))


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0002_proposal_and_decision_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="code",
            field=models.CharField(max_length=12, null=True, verbose_name="verification code"),
        ),
        migrations.AddField(
            model_name="historicalsignature",
            name="code",
            field=models.CharField(
                db_index=True, default="", max_length=12, verbose_name="verification code"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="signature",
            name="code",
            field=models.CharField(max_length=12, unique=True, verbose_name="verification code"),
        ),
    ]
