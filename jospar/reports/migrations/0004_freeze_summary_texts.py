"""The reports submitted before their texts were frozen get them now, as they read today: the
body and the signatory, the target indicators' numbers and names, the units' names. An item
whose indicator or unit is gone is left out, as the report page left it out."""

from django.db import migrations


def freeze(apps, schema_editor):
    report_model = apps.get_model("reports", "Report")
    indicator_model = apps.get_model("strategy", "Indicator")
    unit_model = apps.get_model("orgs", "Unit")
    reports = report_model.objects.filter(frozen_summary__isnull=False).select_related(
        "plan__body", "monitoring_unit"
    )
    for report in reports.order_by("pk"):
        frozen = report.frozen_summary
        if "signature" in frozen:
            continue
        unit = report.monitoring_unit
        frozen["signature"] = {
            "body_name": report.plan.body.name,
            "position": unit.head_position if unit else "",
            "name": unit.head_name if unit else "",
        }
        indicators = indicator_model.objects.in_bulk([i["indicator"] for i in frozen["indicators"]])
        frozen["indicators"] = [
            item
            | {
                "number": indicators[item["indicator"]].number,
                "name": indicators[item["indicator"]].name,
                "unit_of_measure": indicators[item["indicator"]].unit_of_measure,
            }
            for item in frozen["indicators"]
            if item["indicator"] in indicators
        ]
        units = unit_model.objects.in_bulk([t["unit"] for t in frozen["timeliness"]])
        frozen["timeliness"] = [
            item | {"unit_name": units[item["unit"]].short_name or units[item["unit"]].name}
            for item in frozen["timeliness"]
            if item["unit"] in units
        ]
        report_model.objects.filter(pk=report.pk).update(frozen_summary=frozen)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_free_text_limit"),
        ("strategy", "0002_free_text_limit"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
