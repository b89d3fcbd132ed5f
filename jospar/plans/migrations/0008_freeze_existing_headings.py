"""The revisions approved before their headings and signatory were frozen get them now, as
the development plan, the regulation and the units read today (the closest record there is)."""

from django.db import migrations


def signature(body, unit) -> dict:
    return {
        "body_name": body.name,
        "position": unit.head_position if unit else "",
        "name": unit.head_name if unit else "",
    }


def headings_of(apps, plan) -> list[tuple]:
    """(kind, source id, number, code, name, of the year) in the order of the form."""
    direction_model = apps.get_model("strategy", "StrategicDirection")
    goal_model = apps.get_model("strategy", "Goal")
    indicator_model = apps.get_model("strategy", "Indicator")
    value_model = apps.get_model("strategy", "IndicatorValue")
    task_model = apps.get_model("plans", "RegulationTask")
    of_the_year = set(
        value_model.objects.filter(
            indicator__plan=plan.development_plan_id, year=plan.year
        ).values_list("indicator_id", flat=True)
    )

    def indicators(**anchor) -> list[tuple]:
        return [
            (i.kind, i.pk, i.number, str(i.number), i.name, i.pk in of_the_year)
            for i in indicator_model.objects.filter(**anchor).order_by("number")
        ]

    headings = []
    for direction in direction_model.objects.filter(plan=plan.development_plan_id).order_by(
        "number"
    ):
        number = direction.number
        headings.append(("direction", direction.pk, number, str(number), direction.name, False))
        headings += indicators(direction=direction, kind="macro")
        for goal in goal_model.objects.filter(direction=direction).order_by("number"):
            code = f"{number}.{goal.number}"
            headings.append(("goal", goal.pk, goal.number, code, goal.name, False))
            headings += indicators(goal=goal, kind="target")
    for task in task_model.objects.filter(body=plan.body_id).order_by("number"):
        headings.append(("task", task.pk, task.number, str(task.number), task.name, False))
    return headings


def freeze(apps, schema_editor):
    revision_model = apps.get_model("plans", "Revision")
    heading_model = apps.get_model("plans", "RevisionHeading")
    revisions = revision_model.objects.select_related("plan__body", "plan__planning_unit")
    for revision in revisions.order_by("pk"):
        plan = revision.plan
        revision_model.objects.filter(pk=revision.pk).update(
            signature=signature(plan.body, plan.planning_unit)
        )
        if heading_model.objects.filter(revision=revision).exists():
            continue
        heading_model.objects.bulk_create(
            heading_model(
                revision=revision,
                position=position,
                kind=kind,
                source_id=source_id,
                number=number,
                code=code,
                name=name,
                of_the_year=year,
            )
            for position, (kind, source_id, number, code, name, year) in enumerate(
                headings_of(apps, plan), start=1
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_revision_headings"),
        ("strategy", "0002_free_text_limit"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
