"""Plan sheets as planners type them (plan_sheets.py): several ministries' layouts in Russian and
Kazakh, read from .xlsx, .ods and .xls — section II without tasks, ongoing terms, the signature
block and notes under the table."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from jospar.documents import importer
from jospar.documents.appendices import plan_form
from jospar.documents.importer import parse_plan_xlsx, plan_import
from jospar.documents.tests import plan_sheets
from jospar.documents.tests.ods import ods
from jospar.orgs.models import Unit
from jospar.plans.models import Action, OperationalPlan
from jospar.plans.selectors import plan_layout
from jospar.plans.terms import TermKind

FIXTURES = Path(__file__).parent / "fixtures"


def xlsx(sheets) -> BytesIO:
    book = Workbook()
    book.remove(book.active)
    for title, rows, merges in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in merges:
            sheet.merge_cells(cells)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


WRITERS = {"xlsx": xlsx, "ods": ods}


@pytest.fixture
def world(world):
    Unit.objects.filter(pk=world["water"].pk).update(
        name_ru="Департамент водных ресурсов", name_kk="Су ресурстары департаменті"
    )
    return world


def _anchor(world, item) -> str | None:
    names = {world[key].pk: key for key in ("macro", "target", "target2")}
    if item.indicator is not None:
        return names[item.indicator.pk]
    return "task" if item.task is not None else None


def _check(world, result, expected) -> None:
    assert result.ok, [str(p) for p in result.problems]
    got = [
        (
            item.section,
            _anchor(world, item),
            (item.term.kind, item.term.text if item.term.kind == TermKind.ONGOING else None),
        )
        for item in result.actions
    ]
    assert got == expected["actions"]
    assert (result.signatory_position, result.signatory_name) == expected["signatory"]
    assert len(result.notes) == expected["notes"]


@pytest.mark.parametrize("name", sorted(plan_sheets.SHEETS))
@pytest.mark.parametrize("file_format", sorted(WRITERS))
def test_each_sheet_reads_with_its_sections_anchors_terms_and_signature(world, name, file_format):
    sheets, expected = plan_sheets.SHEETS[name]
    result = parse_plan_xlsx(WRITERS[file_format](sheets), plan=world["plan"])
    _check(world, result, expected)


def test_the_xls_fixture_reads_as_its_xlsx_does(world):
    """The committed .xls (make_plan_xls.py wrote it from plan_sheets.WATER_RU with xlwt)."""
    sheets, expected = plan_sheets.SHEETS["water_ru"]
    with open(FIXTURES / "water_ru.xls", "rb") as handle:
        result = parse_plan_xlsx(BytesIO(handle.read()), plan=world["plan"])
    _check(world, result, expected)
    from_xlsx = parse_plan_xlsx(xlsx(sheets), plan=world["plan"])
    assert [a.as_dict() for a in result.actions] == [a.as_dict() for a in from_xlsx.actions]


def test_an_ods_merged_cell_counts_for_each_row_it_covers(world):
    sheets, _expected = plan_sheets.SHEETS["rules_ru"]
    result = parse_plan_xlsx(ods(sheets), plan=world["plan"])
    assert [a.lead_unit for a in result.actions] == [
        world["digital"],
        world["finance"],
        world["finance"],
    ]


def test_the_notes_and_the_signature_are_not_actions(world):
    sheets, _expected = plan_sheets.SHEETS["water_ru"]
    result = parse_plan_xlsx(xlsx(sheets), plan=world["plan"])
    assert result.notes[0].startswith("Примечание: расшифровка аббревиатур")
    assert result.notes[1] == "* соисполнители — по согласованию"
    assert len(result.actions) == 6
    assert result.as_dict()["signatory"] == {
        "position": "Руководитель Департамента стратегического планирования",
        "name": "А. Сейтказиев",
    }


def test_an_action_below_the_signature_is_a_problem_with_its_row(world):
    rows = [*plan_sheets.RULES_RU, [4, "Забытое мероприятие", "", "DFN", "IV квартал", "Отчет"]]
    result = parse_plan_xlsx(xlsx([("Лист1", rows, ())]), plan=world["plan"])
    assert [(p.row, p.column) for p in result.problems] == [(len(rows), "A")]
    assert "below the signature block" in result.problems[0].message


def test_a_section_one_action_without_a_heading_is_still_refused(world):
    rows = [
        plan_sheets.RULES_RU[5],
        [plan_sheets.SECTION_I_RU],
        [1, "Без показателя", "", "DFN", "IV квартал", "Отчет"],
    ]
    result = parse_plan_xlsx(xlsx([("Лист1", rows, ())]), plan=world["plan"])
    assert [(p.row, p.column) for p in result.problems] == [(3, "B")]
    assert "no heading above it" in result.problems[0].message


def test_importing_a_russian_sheet_keeps_sections_terms_as_written_and_the_signatory(
    world, planner
):
    plan = world["plan"]
    sheets, _expected = plan_sheets.SHEETS["water_ru"]
    result = parse_plan_xlsx(xlsx(sheets), plan=plan)
    plan_import(actor=planner, plan=plan, result=result)
    actions = list(Action.objects.filter(plan=plan).order_by("pk"))
    no_task = [a for a in actions if a.indicator_id is None and a.task_id is None]
    assert [a.section for a in no_task] == [2, 2, 2]
    assert [(a.term_kind, a.term_text_ru, a.term_text_kk) for a in no_task] == [
        ("ongoing", "по мере поступления", None),
        ("ongoing", "постоянно", None),
        ("ongoing", "в течение года по мере необходимости", None),
    ]
    plan = OperationalPlan.objects.get(pk=plan.pk)
    assert plan.signatory_position == "Руководитель Департамента стратегического планирования"
    assert plan.signatory_name == "А. Сейтказиев"
    assert plan.notes.splitlines()[1] == "* соисполнители — по согласованию"
    # the layout: section II's actions right under its heading, before the task
    kinds = [(row.kind, row.obj if row.kind == "section" else None) for row in plan_layout(plan)]
    section_2 = kinds.index(("section", 2))
    assert [k for k, _o in kinds[section_2 + 1 : section_2 + 4]] == ["action"] * 3
    assert kinds[section_2 + 4][0] == "task"
    # the form: the signatory the sheet named, the terms as written
    form = plan_form(plan, None, "ru")
    assert (form.signature_position, form.signature_name) == (
        "Руководитель Департамента стратегического планирования",
        "А. Сейтказиев",
    )
    terms = [row.cells[4] for row in form.rows if row.is_action]
    assert "по мере поступления" in terms and "постоянно" in terms


def test_a_kazakh_sheet_writes_its_ongoing_terms_in_kazakh(world, planner):
    plan = world["plan"]
    sheets, _expected = plan_sheets.SHEETS["water_kk"]
    plan_import(actor=planner, plan=plan, result=parse_plan_xlsx(ods(sheets), plan=plan))
    ongoing = Action.objects.filter(plan=plan, term_kind="ongoing").order_by("pk")
    assert [(a.term_text_kk, a.term_text_ru) for a in ongoing] == [
        ("түсуіне қарай", None),
        ("қажеттілігіне қарай", None),
        ("тұрақты", None),
        ("үнемі", None),
    ]
    with translation.override("kk"):
        form = plan_form(plan, None, "kk")
    assert (form.signature_position, form.signature_name) == (
        "Стратегиялық жоспарлау департаментінің директоры",
        "Б. Нұрланов",
    )


def test_a_refused_import_writes_nothing_not_even_the_signatory(world, planner):
    plan = world["plan"]
    sheets, _expected = plan_sheets.SHEETS["rules_ru"]
    result = parse_plan_xlsx(xlsx(sheets), plan=plan)
    result.actions[0].name = ""  # refused by actions_create after the plan's fields are set
    with pytest.raises(ValidationError):
        plan_import(actor=planner, plan=plan, result=result)
    plan = OperationalPlan.objects.get(pk=plan.pk)
    assert (plan.signatory_position, plan.signatory_name, plan.notes) == ("", "", "")
    assert not Action.objects.filter(plan=plan).exists()


@pytest.mark.parametrize(
    "content",
    [b"No;Name;Executor\n1;Repair;DWR\n", "№,Наименование\n1,Ремонт\n".encode("cp1251")],
)
def test_a_csv_is_refused_naming_the_formats_read(world, content):
    result = parse_plan_xlsx(BytesIO(content), plan=world["plan"])
    [problem] = result.problems
    assert ".xlsx, .xls, .ods" in problem.message and ".csv" in problem.message


def test_a_zip_that_is_neither_xlsx_nor_ods_is_refused(world):
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    result = parse_plan_xlsx(buffer, plan=world["plan"])
    assert "not a workbook the import reads" in result.problems[0].message


def test_a_damaged_ods_is_refused(world):
    sheets, _expected = plan_sheets.SHEETS["rules_ru"]
    data = ods(sheets).getvalue()
    broken = data.replace(b"content.xml", b"contenX.xml")
    result = parse_plan_xlsx(BytesIO(broken), plan=world["plan"])
    assert not result.ok and not result.actions


def test_a_damaged_xls_is_refused_as_password_protected_or_damaged(world):
    data = (FIXTURES / "water_ru.xls").read_bytes()
    result = parse_plan_xlsx(BytesIO(data[: len(data) // 3]), plan=world["plan"])
    assert "password-protected" in result.problems[0].message
    assert importer.FORMATS == ".xlsx, .xls, .ods"


def test_ods_merges_count_repeated_rows_and_cells():
    """LibreOffice writes runs of empty rows and cells once with a repeat count."""
    import zipfile

    table = (
        '<table:table table:name="Лист1">'
        '<table:table-row table:number-rows-repeated="3"><table:table-cell '
        'table:number-columns-repeated="5"/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell table:number-rows-spanned="2" office:value-type="string">'
        "<text:p>DWR</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell/><table:covered-table-cell "
        'table:number-columns-repeated="2"/><table:table-cell '
        'table:number-columns-spanned="2"/><table:covered-table-cell/></table:table-row>'
        "</table:table>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "content.xml", f"<office:document-content>{table}</office:document-content>"
        )
    assert importer._ods_merges(buffer) == {"Лист1": [(3, 4, 3, 5), (4, 5, 5, 5)]}


def test_a_note_above_the_first_action_is_kept_and_the_table_goes_on(world):
    rows = list(plan_sheets.RULES_RU)
    rows.insert(7, ["* суммы указаны в тысячах тенге"])  # right under the number row
    result = parse_plan_xlsx(xlsx([("Лист1", rows, ())]), plan=world["plan"])
    assert result.ok, [str(p) for p in result.problems]
    assert len(result.actions) == 3
    assert result.notes == ["* суммы указаны в тысячах тенге"]
