"""The development plan import's pages and API: template, dry run, import, amendment; who may."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jospar.strategy.models import Amendment, DevelopmentPlan, Indicator
from jospar.strategy.tests.sheets import plan_workbook, rows_of

pytestmark = pytest.mark.django_db


def upload(client, body, workbook):
    url = reverse("strategy:plan_import", args=[body.pk])
    return client.post(url, {"file": workbook})


def confirm(client, body, response, **amendment):
    url = reverse("strategy:plan_import_confirm", args=[body.pk])
    return client.post(url, {"token": response.context["token"], **amendment})


def test_the_template_has_a_column_per_year_of_the_period(client, body, planner):
    client.force_login(planner)
    url = reverse("strategy:plan_template", args=[body.pk])
    response = client.get(url, {"start": 2025, "end": 2029})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2025-2029.xlsx"')
    book = load_workbook(BytesIO(response.content))
    headings = [cell.value for cell in book.worksheets[1][1]]
    assert headings[-5:] == ["2025", "2026", "2027", "2028", "2029"]
    assert headings[2:4] == ["Name in Kazakh", "Name in Russian"]


def test_the_planner_sees_the_dry_run_then_imports(client, body, planner):
    client.force_login(planner)
    response = upload(client, body, plan_workbook())
    assert response.status_code == 200
    page = response.content.decode()
    assert "16 created, 0 updated, 0 unchanged" in page and "import-confirm" in page
    assert not DevelopmentPlan.objects.exists()
    response = confirm(client, body, response)
    plan = DevelopmentPlan.objects.get(body=body)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert Indicator.objects.filter(plan=plan).count() == 10


def test_the_same_file_again_says_nothing_changed(client, body, planner):
    client.force_login(planner)
    confirm(client, body, upload(client, body, plan_workbook()))
    response = upload(client, body, plan_workbook())
    page = response.content.decode()
    assert "nothing changed" in page and "import-confirm" not in page


def test_an_amended_file_asks_the_amendment_date(client, body, planner):
    client.force_login(planner)
    confirm(client, body, upload(client, body, plan_workbook()))
    rows = rows_of()
    rows[1][12] = 77
    response = upload(client, body, plan_workbook(rows))
    page = response.content.decode()
    assert "1 updated" in page and 'name="amendment_signed_on"' in page
    refused = confirm(client, body, response)
    assert (
        refused.status_code == 400 and "signing date of the amendment" in refused.content.decode()
    )
    assert not Amendment.objects.exists()
    done = confirm(
        client, body, response, amendment_signed_on="2027-01-12", amendment_document="№ 7"
    )
    assert done.status_code == 302
    assert Amendment.objects.get().signed_on == dt.date(2027, 1, 12)


def test_the_dry_run_lists_every_problem_with_its_sheet_row_and_column(client, body, planner):
    client.force_login(planner)

    def edit(book):
        book.worksheets[1].cell(row=3, column=10).value = "много"
        book.worksheets[1].cell(row=1, column=13).value = 2031

    response = upload(client, body, plan_workbook(edit=edit, language="en"))
    assert response.status_code == 400
    problems = response.context["reading"].problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("Structure", 1, "M"),
        ("Structure", 3, "J"),
    ]
    page = response.content.decode()
    assert (
        "2031 is outside the plan period 2025–2029." in page and "“много” is not a number." in page
    )


def test_a_file_that_is_not_a_workbook_is_a_message(client, body, planner):
    client.force_login(planner)
    fake = BytesIO(b"not a workbook")
    fake.name = "plan.xlsx"
    response = upload(client, body, fake)
    assert response.status_code == 400
    assert "The file is not a workbook the import reads" in response.content.decode()


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_only_the_planner_may_import(client, body, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    expected = 403 if who == "viewer" else 404
    assert client.get(reverse("strategy:plan_import", args=[body.pk])).status_code == expected
    assert upload(client, body, plan_workbook()).status_code == expected
    assert not DevelopmentPlan.objects.exists()


def test_a_token_of_another_user_is_refused(client, body, planner):
    client.force_login(planner)
    response = upload(client, body, plan_workbook())
    from jospar.orgs.models import Role
    from tests.factories import member

    client.force_login(member(body, Role.PLANNER, username="planner2"))
    assert confirm(client, body, response).status_code == 400
    assert not DevelopmentPlan.objects.exists()


# The API

API = "/api/v1/bodies/{}/import-development-plan/"


def test_the_api_dry_runs_imports_and_amends(api, body, planner):
    url = API.format(body.pk)
    client = api(planner)
    response = client.post(url, {"file": plan_workbook(), "dry_run": True}, format="multipart")
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["amends"]) == (16, False)
    assert not DevelopmentPlan.objects.exists()
    response = client.post(url, {"file": plan_workbook()}, format="multipart")
    assert response.status_code == 201
    assert response.json()["plan"] == DevelopmentPlan.objects.get().pk
    rows = rows_of()
    rows[1][12] = 77
    response = client.post(url, {"file": plan_workbook(rows)}, format="multipart")
    assert response.status_code == 400
    assert "amendment_signed_on" in response.json()
    response = client.post(
        url,
        {"file": plan_workbook(rows), "amendment_signed_on": "2027-01-12"},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["updated"] == 1
    assert response.json()["amendment"] == Amendment.objects.get().pk
    response = client.post(url, {"file": plan_workbook(rows)}, format="multipart")
    assert response.status_code == 200 and response.json()["unchanged"] == 16


def test_the_api_reports_problems_with_their_place(api, body, planner):
    workbook = plan_workbook(
        edit=lambda book: setattr(book.worksheets[1].cell(row=3, column=10), "value", "x"),
        language="en",
    )
    response = api(planner).post(API.format(body.pk), {"file": workbook}, format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"] == [
        {"sheet": "Structure", "row": 3, "column": "J", "message": "“x” is not a number."}
    ]


def test_the_api_refuses_others(api, body, viewer, outsider):
    assert api(viewer).post(API.format(body.pk), {"file": plan_workbook()}).status_code == 403
    assert api(outsider).post(API.format(body.pk), {"file": plan_workbook()}).status_code == 404
    assert not DevelopmentPlan.objects.exists()
