"""plan_import: the planner's import of a read workbook, through the plan's services, all of
the actions or none."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jospar.documents.importer import parse_plan_xlsx, plan_import
from jospar.documents.tests.import_world import english_rows, workbook
from jospar.plans import services as plans
from jospar.plans.models import Action, PlanStatus, RegulationTask
from jospar.plans.selectors import plan_layout

pytestmark = pytest.mark.django_db


def read(world, rows=None):
    return parse_plan_xlsx(workbook(rows or english_rows()), plan=world["plan"])


def test_the_planner_imports_every_action_in_the_sheets_order(world, planner):
    created = plan_import(actor=planner, plan=world["plan"], result=read(world))
    assert len(created) == 3
    layout = [row for row in plan_layout(world["plan"]) if row.kind == "action"]
    assert [(row.number, row.obj.name) for row in layout] == [
        (1, "Repair 40 km of networks"),
        (2, "Line 12 km of canals"),
        (3, "Update the cadastre"),
    ]
    lining = layout[1].obj
    assert set(lining.co_executors.all()) == {world["digital"], world["finance"]}
    assert set(lining.budget_programs.all()) == {world["program"], world["program2"]}
    # action_create left its history row, with the planner
    assert lining.history.get().history_user == planner


def test_a_new_task_is_created_with_its_actions(world, planner):
    rows = english_rows()
    rows[15] = ["Task 2. Issue water-use permits"]
    plan_import(actor=planner, plan=world["plan"], result=read(world, rows))
    task = RegulationTask.objects.get(number=2)
    assert task.name == "Issue water-use permits"
    assert Action.objects.get(task=task).name == "Update the cadastre"


def test_a_result_with_problems_is_refused(world, planner):
    rows = english_rows()
    rows[9][3] = "Department of Magic"
    with pytest.raises(ValidationError, match="Row 10, column D"):
        plan_import(actor=planner, plan=world["plan"], result=read(world, rows))
    assert not Action.objects.exists()


def test_it_is_all_or_nothing(world, planner, monkeypatch):
    """The third action fails inside the service: the first two are not kept."""
    real = plans.action_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 3:
            raise ValidationError({"name": "The database said no."})
        return real(**kwargs)

    monkeypatch.setattr(plans, "action_create", failing)
    rows = english_rows()
    rows[15] = ["Task 2. Issue water-use permits"]
    with pytest.raises(ValidationError, match="Row 17: The database said no."):
        plan_import(actor=planner, plan=world["plan"], result=read(world, rows))
    assert len(calls) == 3
    assert not Action.objects.exists()
    assert not RegulationTask.objects.filter(number=2).exists()


def test_a_plan_with_actions_takes_an_import_only_to_replace_them(world, planner):
    plan = world["plan"]
    plan_import(actor=planner, plan=plan, result=read(world))
    with pytest.raises(ValidationError, match="already has 3 actions"):
        plan_import(actor=planner, plan=plan, result=read(world))
    rows = english_rows()
    rows[9][1] = "Repair 50 km of networks"
    plan_import(actor=planner, plan=plan, result=read(world, rows), replace=True)
    names = sorted(plan.actions.values_list("name", flat=True))
    assert names == ["Line 12 km of canals", "Repair 50 km of networks", "Update the cadastre"]


def test_only_the_planner_of_the_body_imports(world, viewer, outsider):
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            plan_import(actor=user, plan=world["plan"], result=read(world))
    assert not Action.objects.exists()


def test_a_submitted_plan_takes_no_import(world, planner):
    plan = world["plan"]
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    with pytest.raises(ValidationError, match="cannot be changed"):
        plan_import(actor=planner, plan=plan, result=read(world))


def test_a_result_read_for_another_plan_is_refused(world, planner, body):
    from tests.factories import operational_plan

    other = operational_plan(body, 2027, development_plan=world["development"])
    with pytest.raises(ValidationError, match="another plan"):
        plan_import(actor=planner, plan=other, result=read(world))
