"""Loads the demo body, stage by stage, in the order of the dates of the steps: the body and
its people (`orgs`), the development plan (`strategy`), the operational plan for 2026 and its
approval (`plans`), three quarters of its monitoring (`monitoring`) with the monitor's reports
and the officials' decisions (`reports`), the plan for 2027 in draft with the units' proposals,
the development plan's new amendment, and the open quarter. It is written as a Kazakhstan
ministry writes its plan: what the plan holds per language in Russian and Kazakh
(`jospar.demo.texts`), what the units and the monitor write each quarter in Russian.

Everything that a service can create is created through that service, so the demo passes the
same validation and leaves the same audit trail as data typed in by people, each step on the
date it would have happened (`clock`). The exceptions say why where they happen: the bootstrap
(`orgs`), and on --reset the frozen revisions and the rows without a history of their own
(`plans.remove_plans`, `monitoring.remove_monitoring`, `reports.remove_reports`).
"""

from django.db import transaction

from jospar.demo import monitoring, orgs, plans, reports, strategy
from jospar.demo.cast import Cast
from jospar.demo.clock import play
from jospar.lib.models import unguarded
from jospar.orgs.models import StateBody, User


@transaction.atomic
def load_demo(*, reset: bool = False) -> tuple[StateBody, bool]:
    """Load the demo body unless it is there; return it and whether it was loaded just now.

    With `reset`, an existing demo body and its users are deleted and loaded afresh.
    Raises ValidationError when a demo login is taken by somebody else.
    """
    body = orgs.demo_body()
    if body is not None and not reset:
        return body, False
    root = orgs.superuser()
    if reset:
        with unguarded():  # the closed quarters and the approved plan go too, row by row
            remove(body, actor=root)
    orgs.check_logins_free()

    body, units, users = orgs.load_body(root)
    planner = users[orgs.PLANNER.username]
    development = strategy.load_development_plan(body, units, actor=planner)
    plan, actions = plans.load_plan(body, development, units, users)
    cast = Cast(plan, actions, development.indicators, users)
    play(monitoring.reported_quarters(cast), reports.steps(cast))
    next_plan = plans.load_next_plan(body, development, units, users)
    new_amendment = strategy.amend(development.plan, actor=planner)
    plans.rebase_next_plan(next_plan, new_amendment, actor=planner)
    play(monitoring.open_quarter(cast))
    return body, True


def remove(body: StateBody | None, *, actor: User) -> None:
    """Delete the demo body and the demo users that hold no role in another body.

    The reports first (they hold the monitoring's rows), then the monitoring (its submissions
    protect the plans, units and actions), then the operational plans (their revisions and
    actions protect indicators, units, tasks and forms), then the development plan (its
    indicators protect the units they name), then the units and the body, so that the body's
    cascade meets no protection.
    """
    users = orgs.removable_users()
    if body is not None:
        reports.remove_reports(body, actor=actor)
        monitoring.remove_monitoring(body, actor=actor)
        plans.remove_plans(body, actor=actor)
        strategy.remove_strategy(body, actor=actor)
        orgs.remove_body(body, actor=actor)
    orgs.remove_users(users, actor=actor)
