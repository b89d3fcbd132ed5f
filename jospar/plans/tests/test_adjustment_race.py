"""Two planners starting an adjustment at the same moment, on PostgreSQL's row locks: one
adjustment opens, the other planner is told it is already open.

A module of its own: a transactional test must not run while a module's shared world (an
open transaction, see `tests.worlds.shared_world`) is alive, and pytest-xdist runs a module's
tests one after another on one worker."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.models import RevisionBasis
from jospar.plans.tests.test_revisions import approve
from tests.factories import member
from tests.worlds import plan_world


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="row locks need PostgreSQL")
def test_two_planners_starting_at_once_yield_one_adjustment(reference_rows):
    world = plan_world()  # committed, for the two threads to see: not the module's shared one
    plan, planner = world.plan, world.planner
    approve(plan, planner, world.official)
    planners = [planner, member(world.body, Role.PLANNER)]
    barrier = threading.Barrier(2)
    outcomes = []

    def start(user):
        barrier.wait()
        try:
            services.adjustment_start(
                actor=user, plan=plan, basis=RevisionBasis.OTHER, basis_text=user.username
            )
            outcomes.append("started")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(u,)) for u in planners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("started") == 1
    assert any("already open" in o for o in outcomes)
    assert plan.events.filter(kind="adjustment").count() == 1
