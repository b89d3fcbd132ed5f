"""Two monitors on one report, two officials on one decision: the second save, started from
the version before the first, is told who saved in between and what, and writes nothing (before,
the last one won and the other's text was lost without a word)."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.lib.records import Conflict
from jospar.orgs.models import Role
from jospar.reports import services as reports
from jospar.reports.models import Decision, Report, ReportRow
from tests.factories import member
from tests.openapi import served_schema
from tests.worlds import AFTER_Q2, monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def report(world, clock):
    report = q2_report(world)
    clock(AFTER_Q2)
    return report


@pytest.fixture
def row(world, report):
    return report.rows.get(action=world.actions["q2"])


@pytest.fixture
def other_monitor(world):
    return member(world.body, Role.MONITOR, first_name="Aida", last_name="Nurlanova")


@pytest.fixture
def decision(world, report):
    submitted = reports.report_submit(actor=world.monitor, report=report)
    return reports.decision_create(
        actor=world.official,
        report=submitted,
        kind="problems",
        text="Hold a meeting with the contractor",
        units=[world.unit],
        due_on=dt.date(2026, 9, 1),
    )


@pytest.fixture
def other_official(world):
    return member(world.body, Role.OFFICIAL, first_name="Erlan", last_name="Sadykov")


def edit_decision(actor, decision, version, text):
    return reports.decision_update(
        actor=actor,
        decision=Decision.objects.get(pk=decision.pk),
        kind=decision.kind,
        text=text,
        units=list(decision.units.all()),
        due_on=decision.due_on,
        status=decision.status,
        version=version,
    )


# Services


def test_a_row_recommendation_from_an_older_version_is_a_conflict(world, row, other_monitor):
    read = row.version
    reports.row_recommend(actor=other_monitor, row=row, text="Theirs", version=read)
    with pytest.raises(Conflict) as conflict:
        reports.row_recommend(
            actor=world.monitor, row=ReportRow.objects.get(pk=row.pk), text="Mine", version=read
        )
    assert "Nurlanova Aida saved this at" in conflict.value.message
    assert conflict.value.current.recommendation == "Theirs"
    assert ReportRow.objects.get(pk=row.pk).recommendation == "Theirs"
    reports.row_recommend(actor=world.monitor, row=row, text="Mine after all", version=read + 1)
    assert ReportRow.objects.get(pk=row.pk).version == read + 2


def test_the_reports_recommendations_from_an_older_version_are_a_conflict(
    world, report, other_monitor
):
    read = report.version
    reports.report_update(
        actor=other_monitor, report=report, general_recommendations="Theirs", version=read
    )
    with pytest.raises(Conflict):
        reports.report_update(
            actor=world.monitor, report=report, general_recommendations="Mine", version=read
        )
    assert Report.objects.get(pk=report.pk).general_recommendations == "Theirs"


def test_a_decision_from_an_older_version_is_a_conflict(world, decision, other_official):
    read = decision.version
    edit_decision(other_official, decision, read, "Theirs")
    with pytest.raises(Conflict) as conflict:
        edit_decision(world.official, decision, read, "Mine")
    assert "Sadykov Erlan saved this at" in conflict.value.message
    assert Decision.objects.get(pk=decision.pk).text == "Theirs"
    edit_decision(world.official, decision, read + 1, "Mine after all")
    assert Decision.objects.get(pk=decision.pk).text == "Mine after all"


# The API


@pytest.mark.parametrize(
    ("target", "payload"),
    [
        ("row", {"recommendation": "{}"}),
        ("report", {"general_recommendations": "{}"}),
        ("decision", {"text": "{}"}),
    ],
)
def test_the_api_answers_409_to_a_stale_version(
    api, world, request, target, payload, other_monitor, other_official
):
    obj = request.getfixturevalue(target)
    url = {
        "row": f"/api/v1/report-rows/{obj.pk}/",
        "report": f"/api/v1/reports/{obj.pk}/",
        "decision": f"/api/v1/decisions/{obj.pk}/",
    }[target]
    first, second = (
        (world.official, other_official) if target == "decision" else (world.monitor, other_monitor)
    )
    [field] = payload

    def change(text):
        return {field: text}

    read = api(first).get(url).json()["version"]
    assert api(second).get(url).json()["version"] == read
    saved = api(second).patch(url, change("Theirs") | {"version": read}, format="json")
    assert saved.status_code == 200, saved.content
    stale = api(first).patch(url, change("Mine") | {"version": read}, format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == read + 1
    assert "saved this at" in stale.json()["detail"]
    obj.refresh_from_db()
    stored = obj.recommendation if target == "row" else getattr(obj, field)
    assert stored == "Theirs"
    again = api(first).patch(url, change("Mine") | {"version": read + 1}, format="json")
    assert again.status_code == 200
    obj.refresh_from_db()
    assert (obj.recommendation if target == "row" else getattr(obj, field)) == "Mine"


def test_the_schema_documents_the_409(api, world):
    schema = served_schema(api(world.monitor))
    for path in ("/api/v1/report-rows/{id}/", "/api/v1/reports/{id}/", "/api/v1/decisions/{id}/"):
        assert "409" in schema["paths"][path]["patch"]["responses"], path


# The pages


def test_the_autosave_of_a_row_shows_their_text_and_keeps_mine(
    client, world, report, row, other_monitor
):
    url = reverse("reports:row_recommend", args=[world.body.pk, world.plan.pk, 2, row.pk])
    client.force_login(world.monitor)
    read = row.version
    reports.row_recommend(actor=other_monitor, row=row, text="Theirs: speed up", version=read)
    response = client.post(url, {"recommendation": "Mine", "version": read}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # HTMX swaps only successful answers
    page = response.content.decode()
    assert "Nurlanova Aida saved this at" in page
    assert "They saved: Theirs: speed up" in page
    assert f'id="row-version-{row.pk}" value="{read + 1}"' in page  # saving again replaces
    assert ReportRow.objects.get(pk=row.pk).recommendation == "Theirs: speed up"
    plain = client.post(url, {"recommendation": "Mine", "version": read})
    assert plain.status_code == 409
    again = client.post(
        url, {"recommendation": "Mine", "version": read + 1}, HTTP_HX_REQUEST="true"
    )
    assert again.status_code == 200 and "saved" in again.content.decode()
    assert ReportRow.objects.get(pk=row.pk).recommendation == "Mine"


def test_the_report_form_keeps_my_text_and_shows_theirs(client, world, report, other_monitor):
    url = reverse("reports:report_update", args=[world.body.pk, world.plan.pk, 2])
    client.force_login(world.monitor)
    read = report.version
    reports.report_update(
        actor=other_monitor, report=report, general_recommendations="Theirs", version=read
    )
    response = client.post(url, {"general_recommendations": "Mine, longer", "version": read})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Nurlanova Aida saved this at" in page
    assert "They saved: Theirs" in page
    assert "Mine, longer" in page
    assert Report.objects.get(pk=report.pk).general_recommendations == "Theirs"


def test_the_decision_form_keeps_my_text_and_shows_theirs(client, world, decision, other_official):
    url = reverse("reports:decision_edit", args=[world.body.pk, decision.pk])
    client.force_login(world.official)
    form = client.get(url).context["form"]
    data = {
        "kind": decision.kind,
        "text": "Mine: meet the contractor weekly",
        "units": [world.unit.pk],
        "due_on": "2026-09-01",
        "version": form.initial["version"],
    }
    edit_decision(other_official, decision, decision.version, "Theirs: fine the contractor")
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sadykov Erlan saved this at" in page
    assert "They saved: Theirs: fine the contractor" in page
    assert "Mine: meet the contractor weekly" in page
    assert Decision.objects.get(pk=decision.pk).text == "Theirs: fine the contractor"
    again = client.post(url, data | {"version": response.context["form"].data["version"]})
    assert again.status_code == 302
    assert Decision.objects.get(pk=decision.pk).text == "Mine: meet the contractor weekly"
