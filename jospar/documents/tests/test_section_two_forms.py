"""Section II without a task and an ongoing term, through the plan: its page, the editor's
anchor choice, the completeness check, the approval's frozen revision, the API and Appendix 1
in XLSX, DOCX and PDF (each language printing the term as written in it)."""

import io

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from jospar.documents.appendices import plan_form, plan_form_file
from jospar.documents.tests.test_export_pdf_text import pdftotext
from jospar.plans import services
from jospar.plans.checks import check_plan
from jospar.plans.models import Action, RevisionAction
from jospar.plans.selectors import plan_layout
from jospar.plans.terms import TermKind
from tests.worlds import appendix_plan_world

pytestmark = pytest.mark.django_db

NAME = "Рассмотрение обращений граждан"
RU, KK = "по мере поступления", "түсуіне қарай"


@pytest.fixture
def world(body):
    plan, planner = appendix_plan_world(body)
    action = services.action_create(
        actor=planner,
        plan=plan,
        name=NAME,
        lead_unit=plan.planning_unit,
        term_kind=TermKind.ONGOING,
        term_text_ru=RU,
        term_text_kk=KK,
        completion_text="Ответы",
    )
    return plan, planner, action


def _sections(layout):
    return [
        (row.kind, row.obj if row.kind == "section" else getattr(row.obj, "name", None))
        for row in layout
    ]


def test_the_action_stands_under_section_two_before_its_tasks(world):
    plan, _planner, action = world
    assert (action.indicator, action.task, action.section) == (None, None, 2)
    rows = plan_layout(plan)
    kinds = [row.kind for row in rows]
    start = kinds.index("section", 1)  # section II's row
    assert rows[start].obj == 2
    assert (rows[start + 1].kind, rows[start + 1].obj) == ("action", action)
    assert rows[start + 2].kind == "task"
    numbers = [row.number for row in rows if row.kind == "action"]
    assert numbers == [1, 2, 3, 4, 5]
    assert rows[start + 1].number == 4  # numbered in the form's order


def test_the_check_counts_it_as_section_two(world):
    plan, planner, _action = world
    task_action = Action.objects.get(plan=plan, task__isnull=False)
    services.action_delete(actor=planner, action=task_action)
    messages = [p.message for p in check_plan(plan)]
    assert not any("Section II has no actions" in m for m in messages)


@pytest.mark.parametrize(("language", "term"), [("ru", RU), ("kk", KK)])
def test_each_form_prints_it_under_section_two_with_the_term_as_written(world, language, term):
    plan, _planner, _action = world
    document = plan_form(plan, None, language)
    kinds = [(row.kind, row.text if not row.is_action else row.cells[1]) for row in document.rows]
    section_2 = next(i for i, (k, t) in enumerate(kinds) if k == "section" and t.startswith("II"))
    assert kinds[section_2 + 1] == ("action", NAME)
    assert kinds[section_2 + 2][0] == "task"
    cells = next(row.cells for row in document.rows if row.is_action and row.cells[1] == NAME)
    assert cells[4] == term

    options = {"revision": "draft", "language": language}
    sheet = openpyxl.load_workbook(
        io.BytesIO(plan_form_file(plan, file_format="xlsx", **options).content)
    ).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in values if NAME in r)
    assert term in row
    assert (
        values.index(row)
        == next(i for i, r in enumerate(values) if r and str(r[0]).startswith("II.")) + 1
    )

    doc = Document(io.BytesIO(plan_form_file(plan, file_format="docx", **options).content))
    texts = [[cell.text for cell in r.cells] for r in doc.tables[0].rows]
    row = next(r for r in texts if NAME in r)
    assert term in row

    text = pdftotext(plan_form_file(plan, file_format="pdf", **options).content, "-layout")
    assert NAME.split()[0] in text and term.split()[0] in text


def test_the_approval_freezes_it_and_its_terms_in_each_language(world):
    plan, planner, action = world
    plan.approved_on, plan.approved_by = plan.development_plan.signed_on, planner
    revision = services.freeze_revision(plan)
    frozen = RevisionAction.objects.get(revision=revision, action=action)
    assert (frozen.indicator_id, frozen.task_id, frozen.section) == (None, None, 2)
    assert (frozen.term_text_ru, frozen.term_text_kk) == (RU, KK)
    assert frozen.anchor_label == ""
    document = plan_form(plan, revision, "kk")
    cells = next(row.cells for row in document.rows if row.is_action and row.cells[1] == NAME)
    assert cells[4] == KK
    # the form's signature: the planning unit's head, as before (no imported signatory)
    assert document.signature_name == "Ahmetov Nurlan Serikovich"


def test_an_imported_signatory_signs_the_form_and_the_revision(world):
    plan, planner, _action = world
    services.plan_update(
        actor=planner, plan=plan, signatory_position="Директор департамента", signatory_name="А. Б."
    )
    plan.refresh_from_db()
    assert plan_form(plan, None, "ru").signature_name == "А. Б."
    plan.approved_on, plan.approved_by = plan.development_plan.signed_on, planner
    revision = services.freeze_revision(plan)
    assert revision.signature_ru["position"] == "Директор департамента"


def test_the_page_offers_section_two_without_a_task_and_the_editor_saves_it(client, world):
    plan, planner, _action = world
    client.force_login(planner)
    page = client.get(reverse("plans:plan", args=[plan.body_id, plan.pk])).content.decode()
    assert "anchor=section:2" in page  # "+ action" on section II's heading
    assert RU in page
    url = reverse("plans:action_new", args=[plan.body_id, plan.pk])
    form = client.get(url, {"anchor": "section:2"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="section:2" selected>Section II, no task</option>' in form
    assert 'data-term="text"' in form and 'value="ongoing"' in form
    response = client.post(
        url,
        {
            "anchor": "section:2",
            "name_ru": "Участие в комиссиях",
            "lead_unit": plan.planning_unit.pk,
            "term_kind": "ongoing",
            "term_text_ru": "по мере необходимости",
            "term_text_kk": "қажеттілігіне қарай",
            "completion_text_ru": "Информация",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    created = Action.objects.get(name_ru="Участие в комиссиях")
    assert (created.indicator_id, created.task_id, created.term_kind) == (None, None, "ongoing")
    assert (created.term_text_ru, created.term_text_kk) == (
        "по мере необходимости",
        "қажеттілігіне қарай",
    )
    edit = client.get(
        reverse("plans:action_edit", args=[plan.body_id, plan.pk, created.pk]),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert '<option value="section:2" selected>' in edit


def test_another_kind_of_term_clears_the_texts_of_each_language(world):
    plan, planner, action = world
    services.action_update(actor=planner, action=action, term_kind=TermKind.YEAR)
    action.refresh_from_db()
    assert (action.term_kind, action.term_text_ru, action.term_text_kk) == ("year", None, None)


def test_the_api_gives_the_section_and_the_term_in_each_language(client, world):
    plan, planner, action = world
    client.force_login(planner)
    response = client.get(f"/api/v1/actions/{action.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["indicator"], data["task"], data["section"]) == (None, None, 2)
    assert data["term_kind"] == "ongoing"
    assert (data["term_text_ru"], data["term_text_kk"]) == (RU, KK)


def test_monitoring_asks_for_an_ongoing_action_every_quarter(world):
    from jospar.monitoring.selectors import unit_actions

    plan, planner, action = world
    plan.approved_on, plan.approved_by = plan.development_plan.signed_on, planner
    services.freeze_revision(plan)
    due = {
        quarter: [
            item.due
            for item in unit_actions(plan, plan.planning_unit, quarter)
            if item.planned.action_id == action.pk
        ]
        for quarter in (1, 2, 3, 4)
    }
    assert due == {1: [True], 2: [True], 3: [True], 4: [True]}
