"""The choice of where an action stands names each indicator's direction or goal (issue 18:
two goals' "Target indicator 1" looked the same) and lists the regulation's tasks apart."""

from jospar.plans.forms import anchor_choices
from tests.factories import (
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    MacroIndicatorFactory,
    RegulationTaskFactory,
    TargetIndicatorFactory,
    operational_plan,
)


def test_indicators_are_grouped_by_their_direction_and_goal_in_the_forms_order(db, body):
    development = DevelopmentPlanFactory(body=body)
    second = DirectionFactory(plan=development, number=2, name="Energy")
    first = DirectionFactory(plan=development, number=1, name="Water")
    goal_2 = GoalFactory(direction=first, number=2, name="Clean rivers")
    goal_1 = GoalFactory(direction=first, number=1, name="Irrigation")
    river = TargetIndicatorFactory(goal=goal_2, number=1, name="Clean river length")
    canal = TargetIndicatorFactory(goal=goal_1, number=1, name="Lined canals")
    macro = MacroIndicatorFactory(direction=first, number=1, name="Water productivity")
    power = MacroIndicatorFactory(direction=second, number=1, name="Power output")
    task = RegulationTaskFactory(body=body, number=1, name="Keep the cadastre")
    plan = operational_plan(body, 2026, development_plan=development)

    choices = anchor_choices(plan)

    assert [label for label, _options in choices] == [
        str(first),
        str(goal_1),
        str(goal_2),
        str(second),
        "II. Actions for solving other tasks defined by the regulation of the state body",
    ]
    assert choices[0][1] == [(f"indicator:{macro.pk}", str(macro))]
    assert choices[1][1] == [(f"indicator:{canal.pk}", "Target indicator 1. Lined canals")]
    assert choices[2][1] == [(f"indicator:{river.pk}", "Target indicator 1. Clean river length")]
    assert choices[3][1] == [(f"indicator:{power.pk}", str(power))]
    assert choices[4][1] == [("section:2", "Section II, no task"), (f"task:{task.pk}", str(task))]


def test_a_plan_whose_body_has_no_tasks_offers_section_two_without_a_task(db, body):
    development = DevelopmentPlanFactory(body=body)
    TargetIndicatorFactory(goal=GoalFactory(direction=DirectionFactory(plan=development)))
    plan = operational_plan(body, 2026, development_plan=development)
    choices = anchor_choices(plan)
    assert len(choices) == 2
    assert choices[1][1] == [("section:2", "Section II, no task")]
    assert len(anchor_choices(plan, section_2=False)) == 1  # a recommendation needs a heading
