"""Who is told of each state change that hands work to someone. The services call these inside
their transaction, after the change is saved."""

from django.urls import reverse

from jospar.notifications.models import Kind
from jospar.notifications.services import holders, notify
from jospar.orgs.models import Role

UNIT_PEOPLE = (Role.EXECUTOR, Role.UNIT_HEAD)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def proposal_signed(proposal, actor) -> None:
    plan = proposal.plan
    notify(
        kind=Kind.PROPOSAL_SIGNED,
        recipients=holders(plan.body_id, [Role.PLANNER]),
        about=proposal,
        link=reverse("plans:proposals", args=[plan.body_id, plan.pk]),
        params={"unit": str(proposal.unit), "year": plan.year, "name": _short(proposal.name)},
        actor=actor,
    )


def proposal_returned(proposal, actor) -> None:
    """The unit head returned the draft: its author is told what to change."""
    plan = proposal.plan
    notify(
        kind=Kind.PROPOSAL_RETURNED,
        recipients=[proposal.author] if proposal.author.is_active else [],
        about=proposal,
        link=reverse("plans:proposal_edit", args=[plan.body_id, plan.pk, proposal.pk]),
        params={
            "year": plan.year,
            "name": _short(proposal.name),
            "comment": _short(proposal.return_comment),
        },
        actor=actor,
    )


def plan_stepped(plan, step: str, actor, comment: str = "") -> None:
    """The plan was submitted (→ officials), returned or approved (→ planners)."""
    kind, roles = {
        "submit": (Kind.PLAN_SUBMITTED, [Role.OFFICIAL]),
        "return": (Kind.PLAN_RETURNED, [Role.PLANNER]),
        "approve": (Kind.PLAN_APPROVED, [Role.PLANNER]),
    }[step]
    params = {"year": plan.year, "comment": _short(comment)}
    _tell_holders(kind, plan, plan, actor, params, roles)


def submission_signed(submission, actor) -> None:
    plan = submission.plan
    params = {"unit": str(submission.unit), "quarter": submission.quarter, "year": plan.year}
    _tell_holders(Kind.SUBMISSION_SIGNED, submission, plan, actor, params, [Role.MONITOR])


def submission_returned(submission, actor, comment: str) -> None:
    plan = submission.plan
    params = {
        "unit": str(submission.unit),
        "quarter": submission.quarter,
        "year": plan.year,
        "comment": _short(comment),
    }
    units = [submission.unit_id]
    _tell_holders(Kind.SUBMISSION_RETURNED, submission, plan, actor, params, UNIT_PEOPLE, units)


def report_submitted(report, actor) -> None:
    plan = report.plan
    params = {"quarter": report.quarter, "year": plan.year}
    _tell_holders(Kind.REPORT_SUBMITTED, report, plan, actor, params, [Role.OFFICIAL])


def _tell_holders(kind, about, plan, actor, params: dict, roles, units=None) -> None:
    """Tell those who hold one of `roles` in the plan's body (for one of `units`, when given)
    of `about`, linked to its page."""
    notify(
        kind=kind,
        recipients=holders(plan.body_id, roles, units=units),
        about=about,
        link=about.get_absolute_url(),
        params=params,
        actor=actor,
    )


def decision_recorded(decision, units, actor) -> None:
    report = decision.report
    plan = report.plan
    notify(
        kind=Kind.DECISION_RECORDED,
        recipients=holders(plan.body_id, UNIT_PEOPLE, units=[unit.pk for unit in units]),
        about=decision,
        link=reverse("reports:decisions", args=[plan.body_id]),
        params={
            "quarter": report.quarter,
            "year": plan.year,
            "units": ", ".join(sorted(str(unit) for unit in units)),
            "text": _short(decision.text),
            "due": decision.due_on.strftime("%d.%m.%Y") if decision.due_on else "",
        },
        actor=actor,
    )
