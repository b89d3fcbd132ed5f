"""A report row's action as the plan in force holds it is `planned`, not `entry` (which names a
unit's progress entry everywhere else)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="reportrow", old_name="entry", new_name="planned"),
        migrations.RenameField(
            model_name="historicalreportrow", old_name="entry", new_name="planned"
        ),
        migrations.AlterModelOptions(
            name="reportrow",
            options={
                "ordering": ["report", "planned__number"],
                "verbose_name": "row of a report",
                "verbose_name_plural": "rows of a report",
            },
        ),
    ]
