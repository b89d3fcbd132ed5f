"""POST /api/v1/operational-plans/{id}/import/: the import's report as JSON."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jospar.documents.tests.import_world import english_rows, workbook
from jospar.plans.models import Action, PlanStatus
from tests.openapi import served_schema

pytestmark = pytest.mark.django_db


def post(user, plan, rows=None, content=None, **fields):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    data = content if content is not None else workbook(rows or english_rows()).getvalue()
    upload = SimpleUploadedFile("plan.xlsx", data)
    return client.post(
        f"/api/v1/operational-plans/{plan.pk}/import/",
        {"file": upload, **fields},
        format="multipart",
    )


def test_a_dry_run_reports_and_writes_nothing(world, planner):
    response = post(planner, world["plan"], dry_run="true")
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["actions"] == 3
    action = [row for row in response.json()["rows"] if row["kind"] == "action"][1]
    assert action["term"]["kind"] == "quarter" and action["term"]["quarter"] == 2
    assert action["co_executors"] == ["Department of Digitalisation", "Department of Finance"]
    assert not Action.objects.exists()


def test_the_import_creates_the_actions(world, planner):
    response = post(planner, world["plan"])
    assert response.status_code == 201
    assert response.json()["created"] == 3
    assert Action.objects.count() == 3


def test_problems_answer_400_with_row_and_column(world, planner):
    rows = english_rows()
    rows[9][3] = "Department of Magic"
    response = post(planner, world["plan"], rows)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    [problem] = response.json()["problems"]
    assert (problem["row"], problem["column"]) == (10, "D")
    assert not Action.objects.exists()


def test_a_password_protected_file_is_a_400_that_says_so(world, planner):
    response = post(
        planner, world["plan"], content=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
    )
    assert response.status_code == 400
    assert "password-protected" in response.json()["problems"][0]["message"]


def test_a_plan_with_actions_needs_replace(world, planner):
    assert post(planner, world["plan"]).status_code == 201
    refused = post(planner, world["plan"])
    assert refused.status_code == 400
    assert "already has 3 actions" in str(refused.json())
    assert post(planner, world["plan"], replace="true").status_code == 201
    assert Action.objects.count() == 3


def test_a_missing_file_is_a_400_naming_the_field(world, planner):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(planner)
    response = client.post(f"/api/v1/operational-plans/{world['plan'].pk}/import/", {})
    assert response.status_code == 400 and "file" in response.json()


def test_who_may_import(world, viewer, outsider):
    assert post(None, world["plan"]).status_code in (401, 403)
    assert post(viewer, world["plan"]).status_code == 403
    assert post(outsider, world["plan"]).status_code == 404
    assert not Action.objects.exists()


def test_the_import_is_in_the_schema(world, planner):
    client = APIClient()
    client.force_login(planner)
    assert "/api/v1/operational-plans/{id}/import/" in served_schema(client)["paths"]


def test_a_dry_run_refuses_up_front_what_the_import_would(world, planner):
    """A plan with actions (without replace) or an approved one: the dry run says so, as the
    import would, instead of answering that all is well."""
    plan = world["plan"]
    assert post(planner, plan).status_code == 201
    refused = post(planner, plan, dry_run="true")
    assert refused.status_code == 400
    assert refused.json()["ok"] is False
    assert refused.json()["problems"][0] == {
        "row": None,
        "column": "",
        "message": "The plan already has 3 actions. Import into a plan without actions, or "
        "choose to replace them.",
    }
    assert post(planner, plan, dry_run="true", replace="true").status_code == 200
    type(plan).objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    for fields in ({"dry_run": "true", "replace": "true"}, {"replace": "true"}):
        refused = post(planner, plan, **fields)
        assert refused.status_code == 400
        message = refused.json()["problems"][0]["message"]
        assert message == "The plan is approved and cannot be changed."
    assert Action.objects.count() == 3


def test_an_ods_dry_run_reports_section_two_ongoing_terms_and_the_signatory(world, planner):
    from jospar.documents.tests.ods import ods
    from jospar.documents.tests.plan_sheets import SHEETS

    sheets, _expected = SHEETS["rules_ru"]
    response = post(planner, world["plan"], content=ods(sheets).getvalue(), dry_run="true")
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["signatory"] == {"position": "Руководитель управления", "name": "Фамилия И.О."}
    action = [row for row in report["rows"] if row["kind"] == "action"][1]
    assert (action["section"], action["anchor"]) == (
        2,
        "II. Actions for solving other tasks defined by the regulation of the state body",
    )
    assert action["term"]["kind"] == "ongoing"
    assert action["term"]["as_written"] == "по мере поступления запросов"
    assert not Action.objects.exists()


def test_a_csv_is_refused_by_the_api_naming_the_formats(world, planner):
    response = post(planner, world["plan"], content=b"No,Name\n1,Repair\n", dry_run="true")
    assert response.status_code == 400
    assert ".xlsx, .xls, .ods" in str(response.json())
