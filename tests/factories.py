"""factory_boy factories for the plan tree, down to the quarterly information, the report and
the decisions on it; every object hangs off a StateBody. The factories write rows directly (no
services, no history of who did it): for a plan taken through its steps, use tests.worlds."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from jospar.monitoring.models import ProgressEntry, Submission
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.plans.models import Action, CompletionForm, OperationalPlan, Proposal, RegulationTask
from jospar.plans.terms import TermKind
from jospar.reports.models import Decision, DecisionKind, Report
from jospar.signatures.models import Signature
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)

PASSWORD = "correct-horse-battery"


class StateBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateBody

    name = factory.Sequence(lambda n: f"Ministry number {n}")
    code = factory.Sequence(lambda n: f"MIN{n}")
    budget_administrator_code = "217"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    body = factory.SubFactory(StateBodyFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Department {n}")
    head_name = "Ahmetov Nurlan Serikovich"
    head_position = "Director"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Aigerim"
    last_name = factory.Sequence(lambda n: f"Surname{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(StateBodyFactory)
    role = Role.VIEWER


class BudgetProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetProgram

    body = factory.SubFactory(StateBodyFactory)
    code = factory.Sequence(lambda n: f"{100 + n % 900:03d}")
    name = factory.Sequence(lambda n: f"Budget program {n}")


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    body = factory.SubFactory(StateBodyFactory)
    title = "Development plan"
    start_year = 2025
    end_year = 2029
    signed_on = dt.date(2024, 12, 20)


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    plan = factory.SubFactory(DevelopmentPlanFactory)
    signed_on = dt.date(2025, 6, 2)
    description = "Target values for 2026 revised"


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicDirection

    plan = factory.SubFactory(DevelopmentPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Strategic direction text {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    direction = factory.SubFactory(DirectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Goal text {n}")


class MacroIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    direction = factory.SubFactory(DirectionFactory)
    plan = factory.SelfAttribute("direction.plan")
    kind = Indicator.Kind.MACRO
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Macro indicator text {n}")
    unit_of_measure = "%"
    baseline = Decimal("10.5")
    baseline_year = 2024


class TargetIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    plan = factory.SelfAttribute("goal.direction.plan")
    kind = Indicator.Kind.TARGET
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Target indicator text {n}")
    unit_of_measure = "units"
    baseline = Decimal(100)
    baseline_year = 2024


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(TargetIndicatorFactory)
    year = 2025
    planned = Decimal(110)


class RegulationTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegulationTask

    body = factory.SubFactory(StateBodyFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Task of the regulation {n}")


class OperationalPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan for 2026, on a development plan of its body."""

    class Meta:
        model = OperationalPlan

    body = factory.SubFactory(StateBodyFactory)
    year = 2026
    development_plan = factory.SubFactory(
        DevelopmentPlanFactory, body=factory.SelfAttribute("..body")
    )


def _report_form():
    """The shared form of completion "Report" (a data migration makes it)."""
    return CompletionForm.objects.get_or_create(body=None, name="Report")[0]


class ActionFactory(factory.django.DjangoModelFactory):
    """An action of section I: under a target indicator of the plan's development plan, led by
    a unit of the plan's body, due in the 2nd quarter, completed by a report."""

    class Meta:
        model = Action

    plan = factory.SubFactory(OperationalPlanFactory)
    indicator = factory.SubFactory(
        TargetIndicatorFactory,
        goal__direction__plan=factory.SelfAttribute("....plan.development_plan"),
    )
    name = factory.Sequence(lambda n: f"Action text {n}")
    lead_unit = factory.SubFactory(UnitFactory, body=factory.SelfAttribute("..plan.body"))
    term_kind = TermKind.QUARTER
    term_quarter = 2
    completion_form = factory.LazyFunction(_report_form)
    position = factory.Sequence(lambda n: n + 1)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A draft proposal (R5) of a unit for the plan, written by a member of the unit."""

    class Meta:
        model = Proposal

    plan = factory.SubFactory(OperationalPlanFactory)
    unit = factory.SubFactory(UnitFactory, body=factory.SelfAttribute("..plan.body"))
    author = factory.SubFactory(UserFactory)
    indicator = factory.SubFactory(
        TargetIndicatorFactory,
        goal__direction__plan=factory.SelfAttribute("....plan.development_plan"),
    )
    name = factory.Sequence(lambda n: f"Proposed action {n}")
    lead_unit = factory.SelfAttribute("unit")
    term_kind = TermKind.YEAR
    completion_form = factory.LazyFunction(_report_form)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A unit's information for the 2nd quarter, in draft."""

    class Meta:
        model = Submission

    plan = factory.SubFactory(OperationalPlanFactory)
    unit = factory.SubFactory(UnitFactory, body=factory.SelfAttribute("..plan.body"))
    quarter = 2


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    """What the unit reports on an action it leads: executed."""

    class Meta:
        model = ProgressEntry

    submission = factory.SubFactory(SubmissionFactory)
    action = factory.SubFactory(
        ActionFactory,
        plan=factory.SelfAttribute("..submission.plan"),
        lead_unit=factory.SelfAttribute("..submission.unit"),
    )
    status = "executed"
    actual = "Done as planned"
    version = 1


class ReportFactory(factory.django.DjangoModelFactory):
    """The monitor's report on the 2nd quarter, in preparation, on the plan's first revision
    (made for it when the plan has none: a report always reads an approved revision)."""

    class Meta:
        model = Report

    plan = factory.SubFactory(OperationalPlanFactory)
    quarter = 2
    revision = factory.LazyAttribute(lambda report: _revision_of(report.plan))


def _revision_of(plan: OperationalPlan):
    """The plan's first revision; a draft plan is marked approved on 5 January and frozen."""
    from jospar.plans.models import PlanStatus
    from jospar.plans.services import freeze_revision

    revision = plan.revisions.order_by("number").first()
    if revision is None:
        plan.status = PlanStatus.APPROVED
        plan.approved_on = plan.approved_on or dt.date(plan.year, 1, 5)
        plan.approved_by = plan.approved_by or UserFactory()
        plan.save()
        revision = freeze_revision(plan)
    return revision


class DecisionFactory(factory.django.DjangoModelFactory):
    """An official's decision on a report, assigned to one unit of the body."""

    class Meta:
        model = Decision
        skip_postgeneration_save = True

    report = factory.SubFactory(ReportFactory)
    kind = DecisionKind.PROBLEMS
    text = factory.Sequence(lambda n: f"Decision text {n}")
    due_on = dt.date(2026, 9, 1)
    decided_by = factory.SubFactory(UserFactory)
    decided_on = dt.date(2026, 7, 20)

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create:
            obj.units.set(extracted or [UnitFactory(body=obj.report.plan.body)])


class SignatureFactory(factory.django.DjangoModelFactory):
    """A stored digital signature of `signed_object` (a submission, proposal, report, …), as if
    verified: the row only, no CMS that verifies (for that, sign with the test CA)."""

    class Meta:
        model = Signature

    signed_object = factory.SubFactory(SubmissionFactory)
    body = factory.LazyAttribute(lambda o: o.signed_object.plan.body)
    kind = factory.LazyAttribute(lambda o: o.signed_object._meta.model_name)
    document_format = factory.LazyAttribute(lambda o: f"jospar-{o.kind}/1")
    document_sha256 = "0" * 64
    document = b"{}"
    cms = factory.Sequence(lambda n: f"cms {n}".encode())
    signer = factory.SubFactory(UserFactory)
    signer_name = factory.Sequence(lambda n: f"Signer {n}")
    iin = "800101300123"
    certificate_serial = factory.Sequence(lambda n: f"{n:08x}")
    verified_at = factory.LazyFunction(timezone.now)
    backend = "builtin"
    result = "valid"


def member(body: StateBody, role: str, unit: Unit | None = None, **user_fields) -> User:
    """A new user holding `role` in `body` (for a unit role, in `unit`)."""
    user = UserFactory(**user_fields)
    RoleFactory(user=user, body=body, role=role, unit=unit)
    return user


def operational_plan(body: StateBody, year: int = 2026, **fields):
    """A draft operational plan with a development plan around it (imported late: plans app)."""
    from jospar.plans.models import OperationalPlan

    development = fields.pop("development_plan", None) or DevelopmentPlanFactory(body=body)
    return OperationalPlan.objects.create(
        body=body, year=year, development_plan=development, **fields
    )
