"""Reading an Appendix 1 workbook: Jospar's own layout and what planners type by hand. The
reader writes nothing; every problem names its row and column."""

import datetime as dt
import zipfile
from io import BytesIO

import pytest
from django.utils import translation

from jospar.documents import importer
from jospar.documents.importer import parse_plan_xlsx
from jospar.documents.tests.import_world import (
    EN_HEADER,
    KK_HEADER,
    RU_HEADER,
    english_rows,
    workbook,
)
from jospar.plans.models import Action, CompletionForm, RegulationTask
from jospar.plans.terms import Term, TermKind
from tests.bombs import archive, forbid_unpacking, overlapping

pytestmark = pytest.mark.django_db


def read(world, rows, merges=()):
    return parse_plan_xlsx(workbook(rows, merges), plan=world["plan"])


def only_problem(result):
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def test_it_reads_the_layout_jospar_writes(world):
    result = read(world, english_rows())
    assert result.ok, [str(p) for p in result.problems]
    assert result.header_row == 4
    assert [row.kind for row in result.rows] == [
        "section", "direction", "macro", "action", "goal", "target", "action",
        "section", "task", "action",
    ]  # fmt: skip
    repair, lining, cadastre = result.actions
    assert repair.indicator == world["macro"]
    assert repair.budget_programs == [world["program"]]
    assert repair.lead_unit == world["water"]
    assert repair.term == Term(TermKind.DATE, date=dt.date(2026, 3, 15))
    assert repair.completion_form.name == "Order of the Minister"
    assert lining.indicator == world["target"]
    assert lining.budget_programs == [world["program"], world["program2"]]
    assert lining.co_executors == [world["digital"], world["finance"]]
    assert lining.term == Term(TermKind.QUARTER, quarter=2)
    assert cadastre.task == world["task"]
    assert cadastre.lead_unit == world["finance"]
    assert cadastre.term == Term(TermKind.YEAR)
    assert cadastre.completion_form.name == "Information to the management"
    assert not result.warnings


def test_reading_writes_nothing(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        parse_plan_xlsx(workbook(english_rows()), plan=world["plan"])
    assert not Action.objects.exists()


def test_it_reads_a_hand_typed_russian_sheet(world):
    """Blank rows, no column-number row, headings with line breaks, a merged heading row, the
    executor merged down two actions, terms and forms written as people write them."""
    rows = [
        ["Операционный план на 2026 год"],
        [],
        RU_HEADER,
        [],
        ["I. Мероприятия по достижению целей и целевых индикаторов"],
        ["Стратегическое направление 1. Водная безопасность"],
        [None, "Макропоказатель 1. Потери воды в сетях"],
        [],
        [
            1,
            "Отремонтировать сети",
            1,
            "Department of Water Resources",
            "II квартал",
            "Приказ Министра",
        ],
        [2, "Провести аудит сетей", None, None, "в течение года", "Отчет"],
        ["Цель 1.1. Надежное водоснабжение"],
        ["Целевой индикатор 1. Доля облицованных каналов"],
        ["Мероприятия"],
        [3, "Облицевать каналы", "254", "DDG; DFN", "до 20.12.2026 г.", "Акт сверки"],
    ]
    result = read(world, rows, merges=("B7:F7", "D9:D10"))
    assert result.ok, [str(p) for p in result.problems]
    repair, audit, lining = result.actions
    assert repair.budget_programs == [world["program"]]  # 1 typed as a number is 001
    assert repair.term == Term(TermKind.QUARTER, quarter=2)
    assert repair.completion_form.name == "Order of the Minister"
    assert audit.lead_unit == world["water"]  # the merged executor cell
    assert audit.term == Term(TermKind.YEAR)
    assert lining.indicator == world["target"]
    assert lining.lead_unit == world["finance"] or lining.lead_unit == world["digital"]
    assert [lining.lead_unit, *lining.co_executors] == [world["digital"], world["finance"]]
    assert lining.term == Term(TermKind.DATE, date=dt.date(2026, 12, 20))
    assert lining.completion_form is None and lining.completion_text == "Акт сверки"
    # The names differ from the development plan's English ones: matched by number, and said.
    assert {w.row for w in result.warnings} == {6, 7, 11, 12}
    assert all("Matched by the number" in w.message for w in result.warnings)


def test_it_reads_a_kazakh_sheet_with_numbered_headings(world):
    rows = [
        KK_HEADER,
        [1, 2, 3, 4, 5, 6],
        ["1-стратегиялық бағыт. Water security"],
        ["1.1-мақсат. Reliable water supply"],
        ["1-нысаналы индикатор. Share of lined canals"],
        ["Іс-шаралар"],
        [1, "Арналарды қаптау", "001", "DWR", "II тоқсан", "Министрдің бұйрығы"],
        [2, "Есеп беру", "", "DWR", "ай сайын", "Есеп"],
        ["II. Мемлекеттік орган туралы ережеде айқындалған өзге де міндеттерді шешу"],
        ["1-міндет. Keep the water cadastre"],
        [3, "Кадастрды жүргізу", "", "DFN", "15 наурыз күніне дейін", ""],
    ]
    result = read(world, rows)
    assert result.ok, [str(p) for p in result.problems]
    assert not result.warnings
    line, report, cadastre = result.actions
    assert line.indicator == world["target"] and line.term == Term(TermKind.QUARTER, quarter=2)
    assert line.completion_form.name == "Order of the Minister"
    assert report.term == Term(TermKind.MONTHLY) and report.completion_form.name == "Report"
    assert cadastre.task == world["task"]
    assert cadastre.term == Term(TermKind.DATE, date=dt.date(2026, 3, 15))
    assert cadastre.completion_display == ""


def test_a_term_typed_as_a_date_cell_is_a_date(world):
    rows = english_rows()
    rows[9][4] = dt.datetime(2026, 6, 30)  # noqa: DTZ001 - a spreadsheet date has no zone
    result = read(world, rows)
    assert result.ok
    assert result.actions[0].term == Term(TermKind.DATE, date=dt.date(2026, 6, 30))


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_it_reads_shared_forms_of_completion_in_every_language(world, language):
    form = CompletionForm.objects.get(body=None, name="Order of the Minister")
    rows = english_rows()
    with translation.override(language):
        rows[9][5] = str(form).upper()
    assert read(world, rows).actions[0].completion_form == form


def test_a_body_form_of_completion_is_matched_by_its_name(world, body):
    own = CompletionForm.objects.create(body=body, name="Letter to the akimat")
    rows = english_rows()
    rows[9][5] = "letter to the  akimat"
    assert read(world, rows).actions[0].completion_form == own


def test_a_unit_is_found_by_name_short_name_or_code_in_any_case(world):
    for written in ("department of water resources", "DWR DEPT", "dwr", "DWR (по согласованию)"):
        rows = english_rows()
        rows[9][3] = written
        assert read(world, rows).actions[0].lead_unit == world["water"], written


def test_an_unknown_executor_is_a_problem_with_its_row_and_column(world):
    rows = english_rows()
    rows[13][3] = "Department of Water Resources\nco-executors: Department of Magic"
    problem = only_problem(read(world, rows))
    assert (problem.row, problem.column) == (14, "D")
    assert "No unit of the body is called “Department of Magic”" in problem.message
    assert str(problem).startswith("Row 14, column D: ")


def test_the_lead_cannot_also_be_a_co_executor(world):
    rows = english_rows()
    rows[9][3] = "DWR\nco-executors: Department of Water Resources"
    problem = only_problem(read(world, rows))
    assert (problem.row, problem.column) == (10, "D")
    assert "cannot also be a co-executor" in problem.message


@pytest.mark.parametrize(
    ("column", "value", "letter", "message"),
    [
        (2, "001, 999", "C", "“999” is not a budget program code of the body."),
        (4, "I–II квартал", "E", "is not a term of execution the import understands"),
        (4, "15.03.2025", "E", "outside the plan year 2026"),
        (1, "", "B", "The action has no name."),
    ],
)
def test_a_bad_cell_is_a_problem_with_its_row_and_column(world, column, value, letter, message):
    rows = english_rows()
    rows[9][column] = value
    problem = only_problem(read(world, rows))
    assert (problem.row, problem.column) == (10, letter)
    assert message in problem.message


def test_an_action_without_executor_or_term_is_a_warning_not_a_problem(world):
    rows = english_rows()
    rows[9][3] = rows[9][4] = None
    result = read(world, rows)
    assert result.ok
    assert {(w.row, w.column) for w in result.warnings} == {(10, "D"), (10, "E")}


def test_a_heading_the_development_plan_lacks_is_a_problem_and_its_actions_wait(world):
    rows = english_rows()
    rows[7] = ["Macro indicator 7. Something else"]
    result = read(world, rows)
    problem = only_problem(result)  # one problem for the heading, none for its actions
    assert (problem.row, problem.column) == (8, "A")
    assert "no macro indicator “7 Something else” under" in problem.message


def test_a_heading_is_matched_by_name_when_it_has_no_number(world):
    rows = english_rows()
    rows[11] = ["Target indicator: share of LINED canals."]
    result = read(world, rows)
    assert result.ok
    assert result.actions[1].indicator == world["target"]


def test_an_action_above_every_indicator_is_a_problem(world):
    rows = english_rows()
    del rows[7]  # the macro indicator row
    problem = only_problem(read(world, rows))
    assert (problem.row, problem.column) == (9, "B")
    assert "must stand under a macro indicator or a target indicator" in problem.message


def test_an_unrecognised_heading_row_is_a_problem(world):
    rows = english_rows()
    rows.insert(8, ["Something nobody expected"])
    problem = only_problem(read(world, rows))
    assert problem.row == 9
    assert "is neither a heading the import knows" in problem.message


def test_a_new_task_written_in_full_is_created_by_the_import(world):
    rows = english_rows()
    rows[15] = ["Task 2. Issue water-use permits"]
    result = read(world, rows)
    assert result.ok
    assert [str(t) for t in result.new_tasks] == ["Task 2. Issue water-use permits"]
    assert result.actions[2].task.number == 2
    assert not RegulationTask.objects.filter(number=2).exists()


def test_a_new_task_whose_number_the_database_cannot_hold_is_a_problem(world):
    """Regression: the dry run passed it and the import failed on task_create's validation,
    with no row."""
    rows = english_rows()
    rows[15] = ["Task 99999999999999999999999. Issue water-use permits"]
    problem = only_problem(read(world, rows))
    assert (problem.row, problem.column) == (16, "A")
    assert "less than or equal to" in problem.message


def test_a_task_named_without_a_number_must_exist(world):
    rows = english_rows()
    rows[15] = ["Task: Issue water-use permits"]
    problem = only_problem(read(world, rows))
    assert problem.row == 16
    assert "write it as “Task N. name” to add it" in problem.message


def test_a_section_two_task_is_found_by_its_bare_name(world):
    rows = english_rows()
    rows[15] = ["Keep the water cadastre"]
    assert read(world, rows).actions[2].task == world["task"]


# --- bad files ---------------------------------------------------------------------------


def test_a_file_that_is_not_xlsx_is_refused(world):
    result = parse_plan_xlsx(BytesIO(b"No,Name\n1,Repair\n"), plan=world["plan"])
    assert "not a workbook the import reads" in only_problem(result).message


def test_a_password_protected_workbook_is_recognised(world):
    ole2 = importer.OLE2_SIGNATURE + b"\x00" * 504
    result = parse_plan_xlsx(BytesIO(ole2), plan=world["plan"])
    assert "password-protected" in only_problem(result).message


def test_a_damaged_zip_is_refused(world):
    good = workbook(english_rows()).getvalue()
    result = parse_plan_xlsx(BytesIO(good[: len(good) // 2]), plan=world["plan"])
    assert "damaged" in only_problem(result).message


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    result = parse_plan_xlsx(buffer, plan=world["plan"])
    assert "not a workbook the import reads" in only_problem(result).message


def test_a_file_over_the_limit_is_refused_before_it_is_read(world, monkeypatch):
    big = BytesIO(b"PK\x03\x04" + b"\x00" * (importer.MAX_MB * 1024 * 1024 + 1))
    monkeypatch.setattr(importer, "load_workbook", lambda *a, **k: pytest.fail("it was read"))
    result = parse_plan_xlsx(big, plan=world["plan"])
    assert only_problem(result).message == (
        f"The file is larger than {importer.MAX_MB} MB, the largest workbook the import accepts."
    )


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(world, monkeypatch):
    """A few hundred kilobytes of zip can unpack to a sheet that takes gigabytes to load."""
    assert importer.MAX_UNPACKED_MB <= 50  # 200 MB took 600 MB of memory to refuse nothing
    rows = [*english_rows(), *[["", "x" * 1000] for _ in range(1500)]]
    monkeypatch.setattr(importer, "MAX_UNPACKED_MB", 1)
    monkeypatch.setattr(importer, "load_workbook", lambda *a, **k: pytest.fail("it was read"))
    result = parse_plan_xlsx(workbook(rows), plan=world["plan"])
    assert only_problem(result).message == ("The file unpacks to more than 1 MB; it is not read.")


@pytest.mark.parametrize(
    "bomb, problem",
    [
        (lambda: archive({"xl/workbook.xml": b"\0" * (60 * 1024 * 1024)}), "unpacks to more than"),
        (lambda: archive({"xl/workbook.xml": b"\0" * (5 * 1024 * 1024)}), "compression bomb"),
        (lambda: overlapping(30, bytes(range(256)) * 64), "parts overlap one another"),
    ],
    ids=["declared-size", "ratio", "overlapping"],
)
def test_a_zip_bomb_is_refused_before_a_part_is_unpacked(world, monkeypatch, bomb, problem):
    data = bomb()
    forbid_unpacking(monkeypatch)
    monkeypatch.setattr(importer, "load_workbook", lambda *a, **k: pytest.fail("it was read"))
    result = parse_plan_xlsx(data, plan=world["plan"])
    assert problem in only_problem(result).message


def test_a_sheet_without_the_headings_is_refused(world):
    result = read(world, [["Plan"], ["What", "Who", "When"], ["Repair", "DWR", "May"]])
    assert "No row of headings was found" in only_problem(result).message


def test_an_unknown_heading_is_named_with_its_column(world):
    rows = english_rows()
    rows[3] = [*EN_HEADER, "Remarks"]
    problem = only_problem(read(world, rows))
    assert (problem.row, problem.column) == (4, "G")
    assert "Unknown heading “Remarks”" in problem.message


def test_a_missing_column_is_named(world):
    rows = [[cell for i, cell in enumerate(row) if i != 4] for row in english_rows()]
    problem = only_problem(read(world, rows))
    assert problem.row == 4 and "There is no “Term of execution” column." in problem.message


def test_a_sheet_without_actions_is_a_problem(world):
    result = read(world, english_rows()[:9])
    assert "no actions" in only_problem(result).message


# --- formulas ----------------------------------------------------------------------------------


def saved(buffer: BytesIO, values: dict[str, tuple[str, str]]) -> BytesIO:
    """The workbook with the value of each formula cell `values` names saved in it, as a
    calculating spreadsheet saves it: cell → (type, value); openpyxl saves none."""
    out = BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, (kind, value) in values.items():
                    start = text.index(f'<c r="{cell}"')
                    end = text.index("</c>", start)
                    formula = text[text.index("<f>", start) : text.index("</f>", start) + 4]
                    cell_xml = f'<c r="{cell}" t="{kind}">{formula}<v>{value}</v>'
                    text = text[:start] + cell_xml + text[end:]
                data = text.encode()
            target.writestr(item, data)
    out.seek(0)
    return out


def test_a_formula_saved_without_its_value_is_named_not_read_as_an_empty_cell(world):
    rows = english_rows()
    rows[9][1] = '=CONCATENATE("Repair ", "40 km of networks")'
    problem = only_problem(read(world, rows))  # not "The action has no name"
    assert (problem.row, problem.column) == (10, "B")
    assert problem.message == (
        "The cell holds a formula with no saved value; open the file in Excel or LibreOffice "
        "and save it again, or type the text."
    )


def test_a_formula_in_a_heading_row_or_a_term_without_its_value_is_named(world):
    rows = english_rows()
    rows[13][4] = '=IF(TRUE, "2 quarter", "")'  # a term: no warning "no term" besides
    rows.insert(16, ['=UPPER("x")'])  # a row of nothing but a formula
    result = read(world, rows)
    assert [(p.row, p.column) for p in result.problems] == [(14, "E"), (17, "A")]
    assert not result.warnings


def test_a_formula_is_read_as_the_value_saved_with_it(world):
    rows = english_rows()
    rows[9][0] = '=IF(FALSE, 1, "")'  # saved as an empty text: an empty cell, no problem
    rows[9][1] = '=CONCATENATE("Repair ", "40 km of networks")'
    rows[9][3] = '=UPPER("dwr")'
    content = saved(
        workbook(rows),
        {"A10": ("str", ""), "B10": ("str", "Repair 40 km of networks"), "D10": ("str", "DWR")},
    )
    result = parse_plan_xlsx(content, plan=world["plan"])
    assert result.ok, [str(p) for p in result.problems]
    repair = result.actions[0]
    assert (repair.number, repair.name) == ("", "Repair 40 km of networks")
    assert repair.lead_unit == world["water"]
