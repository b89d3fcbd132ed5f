"""The one table of who sees which rows: the body's members, a unit's own work, the body-wide
roles' report, the administrators' people."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from jospar.orgs.models import Role, RoleAssignment, StateBody, Unit, User
from jospar.orgs.visibility import (
    RULES,
    Scope,
    in_bodies,
    rule_of,
    sees,
    sees_all,
    sees_unit,
    visible,
)
from jospar.plans.models import CompletionForm, Proposal, RegulationTask, Revision
from jospar.reports.models import Decision, Report
from tests.factories import UnitFactory, UserFactory, member, operational_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(body, unit, executor):
    """A proposal of `unit` and one of `other`, and a report with a decision for each unit and
    one for both."""
    other = UnitFactory(body=body, code="D2", name="Finance department")
    plan = operational_plan(body, 2026)
    task = RegulationTask.objects.create(body=body, number=1, name="Informing the public")
    proposals = {
        u: Proposal.objects.create(plan=plan, unit=u, author=executor, task=task, name="Idea")
        for u in (unit, other)
    }
    revision = Revision.objects.create(
        plan=plan, number=1, basis="initial", approved_on=dt.date(2026, 1, 5), approved_by=executor
    )
    report = Report.objects.create(plan=plan, quarter=1, revision=revision)
    decisions = {}
    for key, units in (("mine", [unit]), ("theirs", [other]), ("both", [unit, other])):
        decisions[key] = Decision.objects.create(
            report=report,
            kind="problems",
            text=key,
            due_on=dt.date(2026, 9, 1),
            decided_by=executor,
            decided_on=dt.date(2026, 4, 20),
        )
        decisions[key].units.set(units)
    return {"other": other, "proposals": proposals, "report": report, "decisions": decisions}


def test_every_rule_names_a_model_and_paths_that_exist():
    for label, rule in RULES.items():
        model = apps.get_model(label)
        if rule.scope is Scope.UNITS:
            for name in rule.unit.split("__"):
                model = model._meta.get_field(name).related_model
            assert model is Unit, label


def test_a_model_not_in_the_table_is_published_to_the_members():
    assert rule_of(StateBody).scope is Scope.MEMBERS
    assert rule_of("reports.Report").scope is Scope.BODY_WIDE


def test_visible_keeps_only_the_users_bodies(body, other_body, planner):
    UnitFactory(body=body)
    UnitFactory(body=other_body)
    assert set(visible(planner, Unit.objects.all()).values_list("body", flat=True)) == {body.pk}
    assert list(visible(planner, StateBody.objects.all())) == [body]


def test_an_executor_sees_their_units_work_and_a_viewer_all(body, unit, executor, viewer, work):
    mine, theirs = work["proposals"][unit], work["proposals"][work["other"]]
    assert list(visible(executor, Proposal.objects.all())) == [mine]
    assert set(visible(viewer, Proposal.objects.all())) == {mine, theirs}
    decisions = work["decisions"]
    seen = list(visible(executor, Decision.objects.order_by("pk")))
    assert seen == [decisions["mine"], decisions["both"]]  # a decision of two units, once
    assert visible(viewer, Decision.objects.all()).count() == 3


def test_a_unit_head_of_two_units_sees_a_shared_decision_once(body, unit, work):
    head = member(body, Role.UNIT_HEAD, unit=unit)
    RoleAssignment.objects.create(user=head, body=body, role=Role.UNIT_HEAD, unit=work["other"])
    assert visible(head, Decision.objects.all()).count() == 3


def test_the_report_is_the_body_wide_roles(body, executor, viewer, work):
    assert not visible(executor, Report.objects.all()).exists()
    assert list(visible(viewer, Report.objects.all())) == [work["report"]]
    assert not sees_all(executor, Report, body.pk)
    assert sees_all(viewer, "reports.report", body.pk)


def test_an_id_in_a_payload_may_name_any_row_of_the_users_bodies(body, unit, executor, work):
    theirs = work["proposals"][work["other"]]
    assert theirs in in_bodies(executor, Proposal.objects.all())
    assert theirs not in visible(executor, Proposal.objects.all())


def test_roles_and_users_are_the_administrators(body, admin_user, viewer, outsider):
    assert set(visible(admin_user, RoleAssignment.objects.all())) == set(
        RoleAssignment.objects.filter(body=body)
    )
    assert not visible(viewer, RoleAssignment.objects.all()).exists()
    assert set(visible(admin_user, User.objects.all())) == {admin_user, viewer}
    assert not visible(viewer, User.objects.all()).exists()
    # …while an id in a payload may name any member of the user's bodies.
    assert set(in_bodies(viewer, User.objects.all())) == {admin_user, viewer}
    root = UserFactory(is_superuser=True)
    assert set(visible(root, User.objects.all())) == {admin_user, viewer, outsider}


def test_shared_forms_of_completion_are_everyones(body, other_body, planner):
    own = CompletionForm.objects.create(body=body, name="Our form")
    theirs = CompletionForm.objects.create(body=other_body, name="Their form")
    shared = set(CompletionForm.objects.filter(body=None))
    assert shared  # the reference list every body starts from
    assert set(visible(planner, CompletionForm.objects.all())) == shared | {own}
    assert theirs in in_bodies(UserFactory(is_superuser=True), CompletionForm.objects.all())


def test_one_object_and_one_units_work(body, unit, executor, viewer, work):
    decisions = work["decisions"]
    assert sees(executor, decisions["mine"]) and sees(executor, decisions["both"])
    assert not sees(executor, decisions["theirs"])
    assert not sees(executor, work["report"])
    assert sees(viewer, decisions["theirs"]) and sees(viewer, work["report"])
    assert sees_unit(executor, Proposal, unit)
    assert not sees_unit(executor, Proposal, work["other"])
    assert sees_unit(executor, RegulationTask, work["other"])  # published: any member


def test_seeing_asks_no_query_once_the_roles_are_loaded(
    body, executor, work, django_assert_num_queries
):
    assert sees_unit(executor, Proposal, work["other"]) is False  # loads the roles
    with django_assert_num_queries(1):
        list(visible(executor, Decision.objects.all()))
    with django_assert_num_queries(0):
        assert not sees_all(executor, Report, body.pk)


def test_the_history_page_shows_only_what_the_user_sees(client, body, executor, viewer, work):
    def history(user, obj) -> int:
        client.force_login(user)
        label = obj._meta.label_lower
        return client.get(reverse("orgs:history", args=[body.pk, label, obj.pk])).status_code

    decisions = work["decisions"]
    assert history(executor, decisions["mine"]) == 200
    assert history(executor, decisions["theirs"]) == 404
    assert history(executor, work["report"]) == 404
    assert history(executor, executor.roles.get()) == 404  # the administrators'
    assert history(viewer, decisions["theirs"]) == history(viewer, work["report"]) == 200
