"""Closed rows stay closed. The Django admin goes around no guard: a superuser sees the
workflow objects and their history and changes none of them there (each change below went
through before). Behind the services, the models refuse a write to the rows of a closed
quarter, an approved plan or a submitted report, whoever makes it."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.monitoring.models import ProgressEntry, Submission, SubmissionStatus
from jospar.plans.models import Action, OperationalPlan, PlanStatus
from tests.worlds import AFTER_Q2, monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="Root-password-1")
    client.force_login(user)
    return client


@pytest.fixture
def accepted(world, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clock(dt.date(2026, 4, 3))
    submission = world.accepted(1)
    return submission


def change(root, obj, data):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return root.get(url), root.post(url, data)


def test_an_accepted_submission_is_shown_and_not_changed(root, accepted):
    shown, posted = change(root, accepted, {"status": "draft", "days_late": 0, "round": 1})
    assert shown.status_code == 200 and "Save" not in shown.content.decode()
    assert posted.status_code == 403
    accepted.refresh_from_db()
    assert (
        accepted.status == SubmissionStatus.ACCEPTED
        and not accepted.events.filter(kind="draft").exists()
    )


def test_an_entry_of_an_accepted_submission_is_not_changed(root, accepted):
    entry = ProgressEntry.objects.filter(submission=accepted).first()
    _shown, posted = change(root, entry, {"actual": "Rewritten in the admin", "version": 9})
    assert posted.status_code == 403
    entry.refresh_from_db()
    assert entry.actual == "Done as planned"
    delete = reverse("admin:monitoring_progressentry_delete", args=[entry.pk])
    assert root.post(delete, {"post": "yes"}).status_code == 403
    assert ProgressEntry.objects.filter(pk=entry.pk).exists()


def test_nothing_is_added_or_deleted_in_bulk(root, accepted):
    assert root.get(reverse("admin:monitoring_evidence_add")).status_code == 403
    entries = list(ProgressEntry.objects.values_list("pk", flat=True))
    changelist = reverse("admin:monitoring_progressentry_changelist")
    root.post(changelist, {"action": "delete_selected", "_selected_action": entries, "post": "yes"})
    assert ProgressEntry.objects.count() == len(entries)


def test_an_approved_plan_and_its_actions_are_not_changed(root, world):
    plan = OperationalPlan.objects.get(pk=world.plan.pk)
    assert plan.status == PlanStatus.APPROVED
    _shown, posted = change(root, plan, {"status": "draft", "year": plan.year})
    assert posted.status_code == 403
    action = Action.objects.filter(plan=plan).first()
    _shown, renamed = change(root, action, {"name": "Renamed in the admin"})
    assert renamed.status_code == 403
    plan.refresh_from_db()
    action.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and action.name != "Renamed in the admin"


def test_the_history_of_a_workflow_object_stays_readable(root, accepted):
    url = reverse("admin:monitoring_submission_history", args=[accepted.pk])
    assert root.get(url).status_code == 200
    assert Submission.objects.get(pk=accepted.pk).status == SubmissionStatus.ACCEPTED


# The models themselves: the last line behind the services, whoever calls them.


def test_a_closed_quarters_rows_refuse_every_write(world, accepted):
    from jospar.lib.models import LockedError, unguarded
    from jospar.monitoring import services

    entry = ProgressEntry.objects.filter(submission=accepted).first()
    entry.actual = "Rewritten behind the services"
    for write in (
        entry.save,
        entry.delete,
        lambda: ProgressEntry.objects.filter(pk=entry.pk).update(actual="Bulk"),
        lambda: ProgressEntry.objects.filter(submission=accepted).delete(),
        lambda: ProgressEntry.objects.create(submission=accepted, action=entry.action),
    ):
        with pytest.raises(LockedError):
            write()
    assert ProgressEntry.objects.get(pk=entry.pk).actual == "Done as planned"
    services.submission_reopen(actor=world.monitor, submission=accepted, reason="Corrections")
    entry.save()  # open again: the row takes the change
    assert ProgressEntry.objects.get(pk=entry.pk).actual == "Rewritten behind the services"
    with unguarded():
        entry.delete()  # the demo's reset deletes closed rows this way


def test_an_approved_plans_actions_refuse_every_write(world):
    from jospar.lib.models import LockedError

    action = Action.objects.filter(plan=world.plan).first()
    action.name = "Renamed behind the services"
    for write in (
        action.save,
        action.delete,
        lambda: Action.objects.filter(plan=world.plan).update(name="Bulk"),
    ):
        with pytest.raises(LockedError):
            write()
    assert Action.objects.get(pk=action.pk).name != "Renamed behind the services"


def test_a_submitted_reports_rows_refuse_every_write(world, clock):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from jospar.lib.models import LockedError, unguarded
    from jospar.reports import services
    from jospar.reports.models import ReportRow

    report = q2_report(world)
    clock(AFTER_Q2)
    row = report.rows.get(action=world.actions["q2"])
    services.row_recommend(actor=world.monitor, row=row, text="Written in preparation")
    services.report_submit(actor=world.monitor, report=report)
    # The services refuse first, with a message.
    with pytest.raises(ValidationError, match="frozen"):
        services.row_recommend(actor=world.monitor, row=row, text="Rewritten after")
    with pytest.raises(ValidationError, match="frozen"):
        services.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    row = ReportRow.objects.get(pk=row.pk)
    row.recommendation = "Rewritten behind the services"
    for write in (
        row.save,
        row.delete,
        lambda: ReportRow.objects.filter(pk=row.pk).update(recommendation="Bulk"),
        lambda: ReportRow.objects.bulk_update([row], ["recommendation"]),
        lambda: report.rows.update(actual="Bulk"),
        lambda: ReportRow.objects.filter(report=report).delete(),
        lambda: ReportRow.objects.create(report=report, action=row.action, planned=row.planned),
    ):
        with pytest.raises(LockedError), transaction.atomic():  # bulk_update's own atomic
            write()
    assert ReportRow.objects.get(pk=row.pk).recommendation == "Written in preparation"
    assert report.rows.count() == len(world.actions)
    with unguarded():
        row.delete()  # the demo's reset deletes a submitted report's rows this way
