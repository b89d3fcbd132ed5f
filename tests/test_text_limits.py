"""Free texts have a limit (10,000 characters) and hold no NUL character: on the pages the
field's message names the field, in the API it is a 400 by field; nothing is saved."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from jospar.lib.fields import TEXT_LIMIT
from jospar.monitoring.models import ProgressEntry, Submission, SubmissionEvent, SubmissionStatus
from jospar.reports.models import AmendmentRecommendation, Decision, DecisionProgress, ReportRow
from tests.worlds import AFTER_Q2, monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

TOO_LONG = "x" * (TEXT_LIMIT + 1)
NUL = "Done\x00 and dusted"
TOO_LONG_MESSAGE = (
    f"Ensure this value has at most {TEXT_LIMIT} characters (it has {TEXT_LIMIT + 1})."
)
NUL_MESSAGE = "Null characters are not allowed."


def test_every_free_text_of_the_models_is_bounded():
    unbounded = []
    for model in apps.get_models():
        if model._meta.app_label in (
            *("admin", "auth", "axes", "sessions", "contenttypes"),
            "django_tasks_database",  # the task queue's own rows: written by the worker only
        ):
            continue
        original = getattr(model, "instance_type", model)  # a history model mirrors its model
        for field in original._meta.get_fields():
            if not isinstance(field, models.TextField):
                continue
            limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
            if limits != [TEXT_LIMIT]:
                unbounded.append(f"{original._meta.label}.{field.name}")
    assert unbounded == []


@pytest.fixture
def q2(world, clock):
    clock("2026-07-02 10:00")
    return world.open(2)


def entry_url(world, action):
    plan = world.plan
    args = [plan.body_id, plan.pk, 2, world.unit.pk, action.pk]
    return reverse("monitoring:entry_save", args=args)


@pytest.mark.parametrize(
    "text, message", [(TOO_LONG, TOO_LONG_MESSAGE), (NUL, NUL_MESSAGE)], ids=["long", "nul"]
)
def test_an_entry_on_the_page(client, world, q2, text, message):
    client.force_login(world.executor)
    action = world.actions["q2"]
    response = client.post(
        entry_url(world, action),
        {"version": 0, "status": "executed", "actual": text},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # HTMX swaps the message into the row
    assert f"Actual execution: {message}" in response.content.decode()
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize(
    "text, message", [(TOO_LONG, TOO_LONG_MESSAGE), (NUL, NUL_MESSAGE)], ids=["long", "nul"]
)
def test_an_entry_in_the_api(api, world, q2, text, message):
    response = api(world.executor).post(
        f"/api/v1/submissions/{q2.pk}/entries/",
        {"action": world.actions["q2"].pk, "status": "executed", "actual": text, "version": 0},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["actual"] == [message]
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize(
    "text, message", [(TOO_LONG, TOO_LONG_MESSAGE), (NUL, NUL_MESSAGE)], ids=["long", "nul"]
)
def test_a_return_comment_on_the_page_and_in_the_api(client, api, world, q2, text, message):
    Submission.objects.filter(pk=q2.pk).update(status=SubmissionStatus.SUBMITTED)
    plan = world.plan
    client.force_login(world.monitor)
    page = client.post(
        reverse("monitoring:step", args=[plan.body_id, plan.pk, 2, world.unit.pk, "return"]),
        {"comment": text},
        follow=True,
    )
    assert f"Comment: {message}" in page.content.decode()
    answer = api(world.monitor).post(
        f"/api/v1/submissions/{q2.pk}/return/", {"comment": text}, format="json"
    )
    assert answer.status_code == 400
    assert message in str(answer.json())
    q2.refresh_from_db()
    assert q2.status == SubmissionStatus.SUBMITTED
    assert not SubmissionEvent.objects.filter(kind="returned").exists()


def test_a_report_rows_recommendation_on_the_page(client, world, clock):
    report = q2_report(world)
    clock(AFTER_Q2)
    row = report.rows.first()
    client.force_login(world.monitor)
    plan = world.plan
    response = client.post(
        reverse("reports:row_recommend", args=[plan.body_id, plan.pk, 2, row.pk]),
        {"recommendation": NUL},
    )
    assert response.status_code == 400
    assert f"Recommendation: {NUL_MESSAGE}" in response.content.decode()
    assert ReportRow.objects.get(pk=row.pk).recommendation == ""


@pytest.mark.parametrize("model", [Decision, DecisionProgress, AmendmentRecommendation])
def test_the_officials_texts_are_checked_when_the_row_is_validated(model):
    field = {"AmendmentRecommendation": "justification"}.get(model.__name__, "text")
    with pytest.raises(ValidationError) as error:
        model(**{field: TOO_LONG}).clean_fields()
    assert error.value.message_dict[field] == [TOO_LONG_MESSAGE]
    with pytest.raises(ValidationError) as error:
        model(**{field: NUL}).clean_fields()
    assert error.value.message_dict[field] == [NUL_MESSAGE]
