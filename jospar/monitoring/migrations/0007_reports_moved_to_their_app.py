"""The quarterly report's models now belong to `reports` (see its 0001): removed from this app's
state only, the models that point at others first; the tables stay."""

from django.db import migrations

MOVED = [
    "HistoricalAmendmentRecommendation",
    "HistoricalDecision",
    "HistoricalReportRow",
    "HistoricalReport",
    "DecisionProgress",
    "AmendmentRecommendation",
    "ReportRow",
    "Decision",
    "Report",
]


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0006_report_row_executed_earlier"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name) for name in MOVED],
            database_operations=[],
        ),
    ]
