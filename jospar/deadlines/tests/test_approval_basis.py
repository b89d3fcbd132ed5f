"""R6 for every year of a development plan: what the ten days run from, as a table, and where
the deadline is shown with its basis (the plan's page, the API, the inbox and reminders)."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.deadlines.calendar import approval_basis
from jospar.inbox.selectors import plan_deadline
from jospar.plans.models import OperationalPlan
from tests.factories import AmendmentFactory, DevelopmentPlanFactory

D = dt.date
# A development plan of 2025–2029 signed on 06.01.2025.
SIGNED = D(2025, 1, 6)

SIGNING = "10 days from the signing of the development plan on 06.01.2025"
RECORDED = "10 days from the basis date recorded on the plan, 20.12.2027"

# year, amendment the plan rests on, basis date recorded on the plan → deadline, basis
TABLE = [
    # the first year: the development plan's signing
    (2025, None, None, D(2025, 1, 16), SIGNING),
    # the next year: its signing is in the year before, still recent
    (2026, None, None, D(2025, 1, 16), SIGNING),
    # a later year without a basis: unknown, not 699 days late
    (2028, None, None, None, None),
    # a later year with the basis date the planner recorded
    (2028, None, D(2027, 12, 20), D(2027, 12, 30), RECORDED),
    # after a recent amendment (signed in the plan's year or the year before)
    (2028, D(2028, 1, 12), None, D(2028, 1, 22), "10 days from the amendment of 12.01.2028"),
    (
        2028,
        D(2027, 1, 1),
        D(2027, 12, 20),
        D(2027, 1, 11),
        "10 days from the amendment of 01.01.2027",
    ),
    # after an old amendment: as if there were none (the recorded date, else unknown)
    (2028, D(2026, 12, 31), None, None, None),
    (2028, D(2026, 6, 2), D(2027, 12, 20), D(2027, 12, 30), RECORDED),
]


@pytest.mark.parametrize(("year", "amendment", "recorded", "deadline", "basis"), TABLE)
def test_the_rule(year, amendment, recorded, deadline, basis):
    found = approval_basis(
        year=year,
        first_year=2025,
        signed_on=SIGNED,
        amendment_signed_on=amendment,
        recorded_on=recorded,
    )
    assert (found.deadline if found else None, str(found) if found else None) == (deadline, basis)


def test_the_first_year_counts_from_a_signing_however_early():
    found = approval_basis(year=2025, first_year=2025, signed_on=D(2023, 11, 1))
    assert found.deadline == D(2023, 11, 11)


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "amendment", "recorded", "deadline", "basis"), TABLE)
def test_the_plan_the_inbox_and_the_reminders_use_it(
    body, year, amendment, recorded, deadline, basis
):
    development = DevelopmentPlanFactory(body=body, signed_on=SIGNED)
    based_on = AmendmentFactory(plan=development, signed_on=amendment) if amendment else None
    plan = OperationalPlan.objects.create(
        body=body,
        year=year,
        development_plan=development,
        basis_amendment=based_on,
        approval_basis_on=recorded,
    )
    assert plan_deadline(plan) == deadline  # what the inbox and the reminders read
    assert (str(plan.approval_basis) if plan.approval_basis else None) == basis


@pytest.mark.django_db
def test_the_plan_page_shows_the_deadline_with_its_basis_or_that_none_is_recorded(
    client, body, planner
):
    development = DevelopmentPlanFactory(body=body, signed_on=SIGNED)
    plan = OperationalPlan.objects.create(body=body, year=2028, development_plan=development)
    client.force_login(planner)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "basis date not recorded" in page and "days late" not in page
    edit = reverse("plans:plan_edit", args=[body.pk, plan.pk])
    form = client.get(edit).content.decode()
    assert 'name="approval_basis_on"' in form
    response = client.post(
        edit,
        {
            "year": 2028,
            "development_plan": development.pk,
            "approval_basis_on": "2027-12-20",
            "version": plan.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "30.12.2027" in page
    assert RECORDED in page


@pytest.mark.django_db
def test_the_officials_inbox_and_reminder_say_what_the_day_runs_from(body, clock):
    from jospar.inbox.selectors import Kind, my_work
    from jospar.orgs.models import Role
    from jospar.plans.models import PlanStatus
    from jospar.reminders.selectors import due_reminders
    from tests.factories import member

    official = member(body, Role.OFFICIAL, username="official")
    development = DevelopmentPlanFactory(body=body, signed_on=SIGNED)
    amendment = AmendmentFactory(plan=development, signed_on=D(2028, 1, 12))
    plan = OperationalPlan.objects.create(
        body=body,
        year=2028,
        development_plan=development,
        basis_amendment=amendment,
        status=PlanStatus.SUBMITTED,
    )
    clock("2028-01-20")
    [item] = [i for i in my_work(official) if i.kind == Kind.APPROVE_PLAN]
    assert item.deadline == D(2028, 1, 22)
    assert item.title == (
        "The plan for 2028 awaits your approval (10 days from the amendment of 12.01.2028)"
    )
    # 22.01.2028 is a Saturday: reminded of on Friday
    [due] = [d for d in due_reminders(body, D(2028, 1, 21)) if d.kind == "approval"]
    assert due.text() == (
        "The operational plan for 2028 awaits your approval by 22.01.2028 (10 days from the "
        "amendment of 12.01.2028) (R6): 1 day left"
    )
    plan.basis_amendment = None
    plan.save()
    [item] = [i for i in my_work(official) if i.kind == Kind.APPROVE_PLAN]
    assert item.deadline is None
    assert item.title == "The plan for 2028 awaits your approval (basis date not recorded)"
    assert not [d for d in due_reminders(body, D(2028, 1, 21)) if d.kind == "approval"]
