import pytest
from django.core.exceptions import ValidationError

from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.diff import actions_of_draft, actions_of_revision, compare, diff_xlsx
from jospar.plans.models import (
    Action,
    FrozenError,
    OperationalPlan,
    PlanStatus,
    Revision,
    RevisionAction,
    RevisionBasis,
)
from jospar.plans.terms import TermKind
from tests.factories import (
    AmendmentFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)
from tests.worlds import plan_world, shared_world

pytestmark = pytest.mark.django_db


world_once, world = shared_world(plan_world)


def approve(plan, planner, official) -> OperationalPlan:
    services.plan_submit(actor=planner, plan=plan)
    return services.plan_approve(actor=official, plan=plan)


def test_every_approval_freezes_a_numbered_revision(world, planner):
    plan, actions, official = world.plan, world.actions, world.official
    approve(plan, planner, official)
    revision = plan.revisions.get()
    assert revision.number == 1
    assert revision.basis == RevisionBasis.INITIAL
    assert revision.approved_by == official
    entries = list(revision.actions.order_by("number"))
    assert [e.number for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].action == actions["q1"]


def test_an_approved_revision_never_changes(world, planner):
    plan, official = world.plan, world.official
    approve(plan, planner, official)
    revision = plan.revisions.get()
    entry = revision.actions.first()
    entry.name = "Rewritten"
    with pytest.raises(FrozenError):
        entry.save()
    with pytest.raises(FrozenError):
        revision.actions.update(name="Rewritten")
    with pytest.raises(FrozenError):
        revision.delete()
    with pytest.raises(FrozenError):
        RevisionAction.objects.filter(revision=revision).delete()
    assert not revision.actions.filter(name="Rewritten").exists()


def test_an_adjustment_is_edited_approved_and_becomes_revision_2(body, world, planner):
    plan, actions, official = world.plan, world.actions, world.official
    indicators = world.indicators
    approve(plan, planner, official)
    amendment = AmendmentFactory(plan=plan.development_plan, description="Targets raised")
    services.adjustment_start(
        actor=planner, plan=plan, basis=RevisionBasis.AMENDMENT, basis_amendment=amendment
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    services.action_update(actor=planner, action=actions["q1"], term_quarter=4)
    services.action_delete(actor=planner, action=actions["q2"])
    services.action_create(
        actor=planner,
        plan=plan,
        indicator=indicators[0],
        name="New action",
        lead_unit=actions["q1"].lead_unit,
        term_kind=TermKind.MONTH,
        term_month=11,
        completion_form=actions["q1"].completion_form,
    )
    approve(plan, planner, official)
    second = plan.revisions.get(number=2)
    assert second.basis_amendment == amendment
    assert Action.objects.filter(pk=actions["q2"].pk, removed=True).exists()
    first = plan.revisions.get(number=1)
    assert first.actions.filter(action=actions["q2"]).exists()  # still in the earlier revision
    diff = compare(actions_of_revision(first), actions_of_revision(second))
    assert [e.name for e in diff.added] == ["New action"]
    assert [e.name for e in diff.removed] == ["Repair the canals"]
    term_change = next(c for c in diff.changed if c.new.action_id == actions["q1"].pk)
    assert [(c.field, c.old, c.new) for c in term_change.changes] == [
        ("term", "1 quarter", "4 quarter")
    ]


def test_the_diff_of_identical_revisions_is_empty(world, planner):
    plan, official = world.plan, world.official
    approve(plan, planner, official)
    revision = plan.revisions.get()
    assert compare(actions_of_revision(revision), actions_of_revision(revision)).is_empty
    assert compare(actions_of_revision(revision), actions_of_draft(plan)).is_empty


def test_a_moved_action_shows_as_moved_not_removed_and_added(world, planner):
    plan, actions, official = world.plan, world.actions, world.official
    indicators = world.indicators
    approve(plan, planner, official)
    services.adjustment_start(
        actor=planner, plan=plan, basis=RevisionBasis.OTHER, basis_text="Reorder"
    )
    services.action_move(actor=planner, action=actions["q2"], offset=-1)
    services.action_update(actor=planner, action=actions["other_q2"], indicator=indicators[0])
    diff = compare(actions_of_revision(plan.revisions.get()), actions_of_draft(plan))
    assert not diff.added and not diff.removed
    moved = {c.new.action_id for c in diff.changed if c.moved}
    assert actions["other_q2"].pk in moved
    assert actions["q2"].pk in moved or actions["q1"].pk in moved


def test_an_insertion_above_does_not_move_the_rest(world, planner, unit):
    plan, official, indicators = world.plan, world.official, world.indicators
    approve(plan, planner, official)
    services.adjustment_start(actor=planner, plan=plan, basis=RevisionBasis.OTHER, basis_text="X")
    new = services.action_create(actor=planner, plan=plan, indicator=indicators[0], name="Extra")
    services.action_move(actor=planner, action=new, offset=-10)
    diff = compare(actions_of_revision(plan.revisions.get()), actions_of_draft(plan))
    assert [e.name for e in diff.added] == ["Extra"]
    assert diff.changed == []


def test_only_one_adjustment_is_open_and_the_second_is_told_who(world, planner, body):
    plan, official = world.plan, world.official
    approve(plan, planner, official)
    other_planner = member(body, Role.PLANNER, first_name="Marat", last_name="Seitov")
    services.adjustment_start(actor=planner, plan=plan, basis=RevisionBasis.OTHER, basis_text="A")
    with pytest.raises(ValidationError) as error:
        services.adjustment_start(
            actor=other_planner, plan=plan, basis=RevisionBasis.OTHER, basis_text="B"
        )
    assert str(planner) in error.value.messages[0]
    assert plan.events.filter(kind="adjustment").count() == 1


@pytest.mark.parametrize(
    ("basis", "extra", "field"),
    [
        (RevisionBasis.AMENDMENT, {}, "basis_amendment"),
        (RevisionBasis.MONITORING, {}, "basis_reference"),
        (RevisionBasis.OTHER, {"basis_text": " "}, "basis_text"),
    ],
)
def test_an_adjustment_needs_its_basis(world, planner, basis, extra, field):
    plan, official = world.plan, world.official
    approve(plan, planner, official)
    with pytest.raises(ValidationError) as error:
        services.adjustment_start(actor=planner, plan=plan, basis=basis, **extra)
    assert field in error.value.message_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_a_draft_plan_cannot_be_adjusted(world, planner):
    plan = world.plan
    with pytest.raises(ValidationError):
        services.adjustment_start(actor=planner, plan=plan, basis="other", basis_text="x")


def test_an_adjustment_on_monitoring_has_no_r6_deadline(world, planner):
    plan, official = world.plan, world.official
    approve(plan, planner, official)
    services.adjustment_start(
        actor=planner,
        plan=plan,
        basis=RevisionBasis.MONITORING,
        basis_reference="Report for Q2 2026, recommendation 3",
    )
    approved = approve(plan, planner, official)
    assert not approved.approved_late
    assert plan.revisions.get(number=2).basis_reference.startswith("Report for Q2")


def test_the_diff_spreadsheet_keeps_formula_like_text_as_text(world, planner, unit):
    from io import BytesIO

    from openpyxl import load_workbook

    plan, actions, official = world.plan, world.actions, world.official
    approve(plan, planner, official)
    services.adjustment_start(actor=planner, plan=plan, basis="other", basis_text="x")
    services.action_update(actor=planner, action=actions["q1"], name="=HYPERLINK(1)")
    diff = compare(actions_of_revision(plan.revisions.get()), actions_of_draft(plan))
    sheet = load_workbook(BytesIO(diff_xlsx(diff, "Revision 1 → draft"))).active
    values = [cell.value for row in sheet.iter_rows(min_row=4) for cell in row]
    assert "=HYPERLINK(1)" in values
    cell = next(c for row in sheet.iter_rows(min_row=4) for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


@pytest.mark.parametrize("count", [5, 40])
def test_the_diff_costs_the_same_queries_at_any_size(
    world, body, planner, unit, count, django_assert_max_num_queries
):
    development = DevelopmentPlanFactory(body=body, start_year=2027, end_year=2031)
    plan = operational_plan(body, 2027, development_plan=development)  # beside the world's
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    indicator = TargetIndicatorFactory(goal=goal)
    co = UnitFactory(body=body)
    for n in range(count):
        action = Action.objects.create(
            plan=plan,
            indicator=indicator,
            name=f"A{n}",
            position=n,
            lead_unit=unit,
            term_kind="year",
        )
        action.co_executors.set([co])
    plan.status = PlanStatus.APPROVED
    plan.approved_on = plan.development_plan.signed_on
    plan.approved_by = planner
    plan.save()
    services.freeze_revision(plan)
    revision = Revision.objects.get(plan=plan)
    with django_assert_max_num_queries(20):
        compare(actions_of_revision(revision), actions_of_draft(plan))


# --- pages -------------------------------------------------------------------------------------


def test_planner_starts_an_adjustment_through_the_page(client, body, world, planner):
    from django.urls import reverse

    plan, official = world.plan, world.official
    approve(plan, planner, official)
    amendment = AmendmentFactory(plan=plan.development_plan)
    client.force_login(planner)
    url = reverse("plans:adjustment_new", args=[body.pk, plan.pk])
    response = client.post(url, {"basis": "amendment"})
    assert response.status_code == 400
    assert "basis_amendment" in response.context["form"].errors
    response = client.post(url, {"basis": "amendment", "basis_amendment": amendment.pk})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.basis_amendment == amendment
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "An adjustment is open" in page


def test_the_comparison_page_and_its_download(client, body, world, planner, viewer):
    from django.urls import reverse

    plan, actions, official = world.plan, world.actions, world.official
    approve(plan, planner, official)
    services.adjustment_start(actor=planner, plan=plan, basis="other", basis_text="x")
    services.action_update(actor=planner, action=actions["q1"], term_quarter=3)
    approve(plan, planner, official)
    client.force_login(viewer)
    url = reverse("plans:compare", args=[body.pk, plan.pk])
    page = client.get(url, {"a": 1, "b": 2}).content.decode()
    assert "1 quarter" in page and "3 quarter" in page
    assert 'class="change-term"' in page
    same = client.get(url, {"a": 2, "b": 2}).content.decode()
    assert 'id="no-differences"' in same
    download = client.get(url, {"a": 1, "b": 2, "download": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url, {"a": 9, "b": 2}).status_code == 404
    listing = client.get(reverse("plans:revisions", args=[body.pk, plan.pk])).content.decode()
    assert str(official) in listing


def test_the_admin_cannot_change_a_revision(client, world, planner):
    from django.urls import reverse

    from tests.factories import UserFactory

    plan, official = world.plan, world.official
    approve(plan, planner, official)
    revision = plan.revisions.get()
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    change = reverse("admin:plans_revision_change", args=[revision.pk])
    assert client.post(change, {"basis_text": "Rewritten"}).status_code == 403
    delete = reverse("admin:plans_revision_delete", args=[revision.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Revision.objects.filter(pk=revision.pk, basis_text="").exists()


def test_a_malformed_revision_number_is_404_not_a_broken_download(client, body, world, planner):
    from django.urls import reverse

    plan, official = world.plan, world.official
    approve(plan, planner, official)
    client.force_login(planner)
    url = reverse("plans:compare", args=[body.pk, plan.pk])
    assert client.get(url, {"a": "1\n", "b": "1", "download": "xlsx"}).status_code == 404
    download = client.get(url, {"a": "1", "b": "1", "download": "xlsx"})
    assert 'filename="plan-2026-1-1.xlsx"' in download["Content-Disposition"]


def test_a_removed_action_cannot_be_moved_edited_or_removed_again(client, body, world, planner):
    from django.urls import reverse

    plan, actions, official = world.plan, world.actions, world.official
    approve(plan, planner, official)
    services.adjustment_start(actor=planner, plan=plan, basis="other", basis_text="x")
    services.action_delete(actor=planner, action=actions["q2"])
    actions["q2"].refresh_from_db()
    for attempt in (
        lambda: services.action_move(actor=planner, action=actions["q2"], offset=-1),
        lambda: services.action_update(actor=planner, action=actions["q2"], name="Back"),
        lambda: services.action_delete(actor=planner, action=actions["q2"]),
    ):
        with pytest.raises(ValidationError):
            attempt()
    client.force_login(planner)
    move = reverse("plans:action_move", args=[body.pk, plan.pk, actions["q2"].pk])
    assert client.post(move, {"direction": "up"}).status_code == 404


def test_a_revision_on_other_grounds_records_no_amendment(body, world, planner):
    plan, official = world.plan, world.official
    plan.basis_amendment = AmendmentFactory(plan=plan.development_plan)
    plan.save()
    approve(plan, planner, official)
    services.adjustment_start(actor=planner, plan=plan, basis="other", basis_text="Reorder")
    approve(plan, planner, official)
    assert plan.revisions.get(number=2).basis_amendment is None


def test_a_co_executor_unit_cannot_be_deleted(body, world, planner, admin_user):
    from jospar.orgs import services as org_services

    actions = world.actions
    co = UnitFactory(body=body)
    services.action_update(actor=planner, action=actions["q1"], co_executors=[co])
    with pytest.raises(ValidationError):
        org_services.unit_delete(actor=admin_user, unit=co)


def test_a_revision_keeps_the_names_it_was_approved_with(world, planner, unit):
    plan, official = world.plan, world.official
    approve(plan, planner, official)
    old_name = str(unit)
    unit.name, unit.short_name = "Renamed department", ""
    unit.save()
    leads = {e.action_id: e.lead for e in actions_of_revision(plan.revisions.get())}
    assert {leads[world.actions[key].pk] for key in ("q1", "q2", "annual")} == {old_name}


def test_a_shared_form_of_completion_reads_in_the_readers_language(world, planner):
    from django.utils import translation

    plan, official = world.plan, world.official
    with translation.override("ru"):
        approve(plan, planner, official)  # approved by someone working in Russian
    entry = plan.revisions.get().actions.order_by("number").first()
    assert entry.completion == "Report"  # frozen by its message id
    with translation.override("en"):
        assert entry.completion_display == "Report"
    with translation.override("ru"):
        assert entry.completion_display == translation.gettext("Report") != "Report"


def test_a_frozen_rows_executors_and_term_read_the_same_everywhere():
    from jospar.plans.models import RevisionAction

    entry = RevisionAction(lead_name="", co_executor_names=["Legal department", ""])
    assert entry.executors_display == "Legal department"  # no stray comma for a missing lead
    assert entry.term_display == ""
    entry = RevisionAction(
        lead_name="DWRM", co_executor_names=["DFN"], term_kind=TermKind.QUARTER, term_quarter=2
    )
    assert (entry.executors_display, entry.term_display) == ("DWRM, DFN", "2 quarter")


def test_actions_delete_removes_what_a_revision_holds_and_deletes_the_rest(world, planner):
    """As action_delete does for each: the approved action is marked removed, the new one
    deleted, each with its history row, and the actions left are numbered 1..n again."""
    plan, actions, official = world.plan, world.actions, world.official
    approve(plan, planner, official)
    services.adjustment_start(actor=planner, plan=plan, basis=RevisionBasis.OTHER, basis_text="X")
    held = actions["q1"]
    new = services.action_create(
        actor=planner,
        plan=plan,
        indicator=held.indicator,
        task=held.task,
        name="New action",
        lead_unit=held.lead_unit,
        term_kind=TermKind.MONTH,
        term_month=11,
    )
    services.actions_delete(actor=planner, plan=plan, actions=[held, new])
    held.refresh_from_db()
    assert (held.removed, held.position) == (True, 0)
    assert held.history.first().history_type == "~"
    assert not Action.objects.filter(pk=new.pk).exists()
    gone = Action.history.filter(id=new.pk).order_by("-history_date").first()
    assert (gone.history_type, gone.history_user) == ("-", planner)
    left = plan.actions.filter(
        removed=False, indicator=held.indicator_id, task=held.task_id
    ).order_by("position")
    assert [a.position for a in left] == list(range(1, len(left) + 1))
