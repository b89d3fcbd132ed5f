"""plan_import: the planner's import of a read workbook, through the plan's services, all of
the actions or none."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jospar.documents.importer import parse_plan_xlsx, plan_import
from jospar.documents.tests.import_world import english_rows, workbook
from jospar.orgs.policy import Perm, require
from jospar.plans import services as plans
from jospar.plans.models import Action, PlanStatus, RegulationTask
from jospar.plans.selectors import plan_layout
from tests.factories import operational_plan

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
    """The third action fails inside the service (after the new task was created): neither
    the task nor any action is kept."""
    real = plans._check_content
    calls = []

    def failing(obj, plan, m2m):
        calls.append(obj.name)
        if len(calls) == 3:
            raise ValidationError({"name": "The database said no."})
        return real(obj, plan, m2m)

    monkeypatch.setattr(plans, "_check_content", failing)
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


def many_rows(count: int, new_task: int) -> list[list]:
    """A sheet of `count` actions under a macro indicator, a target indicator, an existing
    task and the new task `new_task`, with budget programs and co-executors on some."""
    rows = english_rows()[:9]  # the title, the header, section I down to the macro indicator
    actions = [
        [
            n,
            f"Action {n}",
            "001, 254" if n % 2 else "",
            "DWR\nco-executors: DDG, DFN" if n % 3 == 0 else "DDG",
            ["2 quarter", "annually", "monthly"][n % 3],
            "Report",
        ]
        for n in range(1, count + 1)
    ]
    quarter = max(count // 4, 1)
    rows += actions[:quarter]
    rows += [["Goal 1.1. Reliable water supply"], ["Target indicator 1. Share of lined canals"]]
    rows += actions[quarter : 2 * quarter]
    rows += [["II. Actions for solving other tasks"], ["Task 1. Keep the water cadastre"]]
    rows += actions[2 * quarter : 3 * quarter]
    rows += [[f"Task {new_task}. Issue water-use permits of kind {new_task}"]]
    rows += actions[3 * quarter :]
    return rows


def statements(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_the_number_of_statements_does_not_grow_with_the_actions(world, planner, body):
    """Reading, importing and importing again with --replace make as many SQL statements for
    60 actions as for 5."""
    require(planner, Perm.EDIT_PLAN, world["plan"])  # the planner's roles, read once
    counts = []
    for year, count, new_task in ((2026, 5, 2), (2027, 60, 3)):
        plan = (
            world["plan"]
            if year == 2026
            else operational_plan(body, year, development_plan=world["development"])
        )
        data = workbook(many_rows(count, new_task)).getvalue()
        results = []
        parsing = statements(lambda: results.append(parse_plan_xlsx(BytesIO(data), plan=plan)))  # noqa: B023
        assert results[0].ok, [str(p) for p in results[0].problems]
        assert len(results[0].actions) == count
        importing = statements(
            lambda: plan_import(actor=planner, plan=plan, result=results[0])  # noqa: B023
        )
        assert plan.actions.count() == count
        assert RegulationTask.objects.filter(number=new_task).exists()
        again = parse_plan_xlsx(BytesIO(data), plan=plan)
        replacing = statements(
            lambda: plan_import(actor=planner, plan=plan, result=again, replace=True)  # noqa: B023
        )
        assert plan.actions.filter(removed=False).count() == count
        counts.append((parsing, importing, replacing))
    assert counts[0] == counts[1]


def test_each_action_has_its_history_row_with_its_links(world, planner):
    plan_import(actor=planner, plan=world["plan"], result=read(world))
    lining = Action.objects.get(name="Line 12 km of canals")
    row = lining.history.get()
    assert (row.history_type, row.history_user) == ("+", planner)
    assert row.history_change_reason == "budget programs: 001, 254; co-executors: DDG, DFN"
    assert row.position == lining.position == 1


def test_replacing_leaves_the_history_of_each_deleted_action(world, planner):
    plan = world["plan"]
    first = plan_import(actor=planner, plan=plan, result=read(world))
    plan_import(actor=planner, plan=plan, result=read(world), replace=True)
    for action in first:
        kinds = list(
            Action.history.filter(id=action.id)
            .order_by("history_date")
            .values_list("history_type", "history_user")
        )
        assert kinds == [("+", planner.pk), ("-", planner.pk)]
    assert plan.actions.count() == 3
