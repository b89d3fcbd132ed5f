"""An approved revision and a submitted report print what they printed on the day: renaming a
heading of the development plan or of the regulation, the body, the signing units or the units
of the summary afterwards changes neither Appendix 1 of the revision nor Appendix 2 of the
report (their files read back as the golden tests read them), nor their pages; the draft of an
adjustment, which is the plan being worked on, reads the new names."""

import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet

from jospar.documents.appendices import plan_form, plan_form_file, report_form_file
from jospar.documents.tests.test_export_golden import DUMPS
from jospar.orgs.models import StateBody, Unit
from jospar.plans import services as plans
from jospar.plans.models import PlanStatus, RegulationTask, Revision, RevisionHeading
from jospar.reports.models import Report
from jospar.strategy.models import Goal, Indicator, StrategicDirection
from tests.worlds import appendix_report_world

pytestmark = pytest.mark.django_db

FORMATS = ("xlsx", "docx", "pdf")
# Every text that a heading, the body or a signatory prints, as the world names it …
OLD = [
    "Water security",
    "Water productivity of GDP",
    "Reliable water supply",
    "Share of lined canals",
    "Losses of water in canals",
    "Informing the public",
    "Ministry of Water Resources",
    "Ahmetov Nurlan Serikovich",
    "Director of the department",
    "Sarsenova Aigerim Bolatovna",
    "Head of the monitoring department",
]
RENAMED = "Renamed"


@pytest.fixture
def world(body):
    report, monitor = appendix_report_world(body)
    return report, monitor


def files(report: Report) -> dict[str, str]:
    """Appendix 1 of the report's revision and Appendix 2 of the report in every format and in
    English and Kazakh, read back as text."""
    plan = report.plan
    found = {}
    for language in ("en", "kk"):
        for file_format in FORMATS:
            appendix1 = plan_form_file(
                plan,
                revision=report.revision.number,
                file_format=file_format,
                language=language,
            )
            appendix2 = report_form_file(report, file_format=file_format, language=language)
            found[f"appendix1-{language}.{file_format}"] = DUMPS[file_format](appendix1.content)
            found[f"appendix2-{language}.{file_format}"] = DUMPS[file_format](appendix2.content)
    return found


def rename_everything(body: StateBody) -> None:
    """Rename (and renumber) every kind of heading, the body and the units: as an
    administrator may well do after the approval and the submission."""
    StrategicDirection.objects.filter(plan__body=body).update(name=f"{RENAMED} direction", number=7)
    Indicator.objects.filter(plan__body=body, kind="macro").update(name=f"{RENAMED} macro")
    Goal.objects.filter(direction__plan__body=body).update(name=f"{RENAMED} goal", number=5)
    Indicator.objects.filter(plan__body=body, kind="target").update(name=f"{RENAMED} target")
    Indicator.objects.filter(plan__body=body).update(unit_of_measure="furlongs")
    RegulationTask.objects.filter(body=body).update(name=f"{RENAMED} task", number=9)
    StateBody.objects.filter(pk=body.pk).update(name=f"{RENAMED} ministry")
    Unit.objects.filter(body=body).update(
        name=f"{RENAMED} unit", head_name=f"{RENAMED} head", head_position=f"{RENAMED} position"
    )


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_renaming_the_headings_changes_neither_the_approved_nor_the_submitted_forms(world, body):
    report, _monitor = world
    before = files(report)
    for name, text in before.items():
        if name.startswith("appendix2"):  # the signatory of Appendix 1 is the planning unit's
            assert "Sarsenova Aigerim Bolatovna" in text, name
        assert "Water security" in text and "Informing the public" in text, name

    rename_everything(body)

    after = files(Report.objects.get(pk=report.pk))
    for name in before:
        assert after[name] == before[name], f"{name} changed after the renaming"
        assert RENAMED not in after[name], name


def test_the_pages_of_the_approved_plan_and_the_submitted_report_keep_their_texts(
    world, body, client
):
    report, monitor = world
    plan = report.plan
    assert plan.status == PlanStatus.APPROVED
    rename_everything(body)

    plan_page = page(client, monitor, plan.get_absolute_url())
    assert "Strategic direction 1. Water security" in plan_page
    assert "Goal 1.1. Reliable water supply" in plan_page
    assert "Macro indicator 1. Water productivity of GDP" in plan_page
    assert "Target indicator 2. Losses of water in canals" in plan_page
    assert "Task 1. Informing the public" in plan_page
    assert f"{RENAMED} direction" not in plan_page and f"{RENAMED} task" not in plan_page

    report_page = page(client, monitor, report.get_absolute_url())
    table = report_page[report_page.index('id="report-table"') :]
    summary = report_page[
        report_page.index('id="summary"') : report_page.index('id="report-table"')
    ]
    for text in (
        "Strategic direction 1. Water security",
        "Goal 1.1. Reliable water supply",
        "Target indicator 1. Share of lined canals",
        "Task 1. Informing the public",
    ):
        assert text in table, text
    # The summary: the tallies by direction and goal, the target indicators, the units.
    by_direction = summary[summary.index('id="by-direction"') :]
    assert "Strategic direction 1. Water security" in by_direction
    indicators = summary[summary.index('id="indicators"') : summary.index('id="timeliness"')]
    assert "Target indicator 1. Share of lined canals" in indicators
    assert "furlongs" not in indicators
    timeliness = summary[summary.index('id="timeliness"') :]
    assert "Department of Water Resources" in timeliness
    assert RENAMED not in re.sub(r"\s+", " ", summary)


def test_the_draft_of_an_adjustment_reads_the_new_names_while_the_revision_keeps_the_old(
    world, body, client
):
    report, _monitor = world
    plan = report.plan
    planner = plan.events.get(kind="submitted").actor
    plans.adjustment_start(
        actor=planner, plan=plan, basis="other", basis_text="New names of the directions"
    )
    rename_everything(body)

    draft = plan_form(plan, None, "en")
    headings = [row.text for row in draft.rows if not row.is_action]
    assert f"Strategic direction 7. {RENAMED} direction" in headings
    assert f"Goal 7.5. {RENAMED} goal" in headings
    assert f"Macro indicator 1. {RENAMED} macro" in headings
    assert f"Target indicator 1. {RENAMED} target" in headings
    assert f"Task 9. {RENAMED} task" in headings
    assert draft.body_name == f"{RENAMED} ministry"
    assert draft.signature_name == f"{RENAMED} head"
    draft_page = page(client, planner, plan.get_absolute_url())
    assert f"Strategic direction 7. {RENAMED} direction" in draft_page
    assert "Water security" not in draft_page

    revision = plan_form(plan, plan.revisions.get(number=1), "en")
    headings = [row.text for row in revision.rows if not row.is_action]
    assert "Strategic direction 1. Water security" in headings
    assert "Goal 1.1. Reliable water supply" in headings
    assert (revision.body_name, revision.signature_name) == (
        "Ministry of Water Resources",
        "Ahmetov Nurlan Serikovich",
    )


def test_the_headings_are_frozen_once_and_never_change(world):
    report, _monitor = world
    heading = report.revision.headings.get(kind="direction")
    heading.name = "Rewritten"
    from jospar.plans.models import FrozenError

    with pytest.raises(FrozenError):
        heading.save()
    with pytest.raises(FrozenError):
        RevisionHeading.objects.filter(pk=heading.pk).update(name="Rewritten")
    assert [(h.kind, h.code) for h in report.revision.headings.all()] == [
        ("direction", "1"),
        ("macro", "1"),
        ("goal", "1.1"),
        ("target", "1"),
        ("target", "2"),
        ("task", "1"),
    ]


def test_the_migration_freezes_what_earlier_revisions_and_reports_print(world):
    """The revisions and reports made before the freezing get their texts from the live rows,
    so the demo and existing databases print what they printed."""
    report, _monitor = world
    before = files(report)
    revision = report.revision
    # As a database made before the migration holds them: no headings, no signatory, a
    # summary of ids only.
    RevisionHeading.objects.filter(revision=revision)._raw_delete(connection.alias)
    QuerySet.update(Revision.objects.filter(pk=revision.pk), signature={})
    summary = report.frozen_summary
    del summary["signature"]
    for item in summary["indicators"]:
        del item["number"], item["name"], item["unit_of_measure"]
    for item in summary["timeliness"]:
        del item["unit_name"]
    Report.objects.filter(pk=report.pk).update(frozen_summary=summary)

    state = MigrationExecutor(connection).loader.project_state(
        [("plans", "0008_freeze_existing_headings"), ("reports", "0004_freeze_summary_texts")]
    )
    for module in (
        "jospar.plans.migrations.0008_freeze_existing_headings",
        "jospar.reports.migrations.0004_freeze_summary_texts",
    ):
        importlib.import_module(module).freeze(state.apps, None)
    # then the texts go into the deployment's language, as the later migration moves them
    texts = importlib.import_module("jospar.plans.migrations.0011_texts_in_each_language")
    state = MigrationExecutor(connection).loader.project_state(
        [("plans", "0011_texts_in_each_language")]
    )
    texts.Migration.operations[-1].code(state.apps, None)

    report = Report.objects.get(pk=report.pk)
    assert report.revision.headings.count() == 6
    assert files(report) == before
