"""A body with a development plan, units, budget programs and tasks, and sheets to import
into its 2026 plan, built with openpyxl as a planner would type them."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from jospar.plans.models import CompletionForm, RegulationTask
from tests.factories import (
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    MacroIndicatorFactory,
    TargetIndicatorFactory,
    UnitFactory,
    operational_plan,
)

EN_HEADER = [
    "No",
    "Name",
    "Code of budget program",
    "Responsible executor",
    "Term of execution",
    "Form of completion",
]
RU_HEADER = [
    "№ п/п",
    "Наименование",
    "Код бюджетной\nпрограммы",
    "Ответственный исполнитель",
    "Срок исполнения",
    "Форма завершения",
]
KK_HEADER = [
    "№",
    "Атауы",
    "Бюджеттік бағдарламаның коды",
    "Жауапты орындаушы",
    "Орындау мерзімі",
    "Аяқталу нысаны",
]


@pytest.fixture
def world(body):
    development = DevelopmentPlanFactory(body=body, start_year=2025, end_year=2029)
    water = DirectionFactory(plan=development, number=1, name="Water security")
    macro = MacroIndicatorFactory(direction=water, number=1, name="Water losses in networks")
    goal = GoalFactory(direction=water, number=1, name="Reliable water supply")
    target = TargetIndicatorFactory(goal=goal, number=1, name="Share of lined canals")
    digital = DirectionFactory(plan=development, number=2, name="Digital services")
    goal2 = GoalFactory(direction=digital, number=1, name="Services online")
    target2 = TargetIndicatorFactory(goal=goal2, number=1, name="Share of services online")
    CompletionForm.objects.get_or_create(body=None, name="Order of the Minister")
    CompletionForm.objects.get_or_create(body=None, name="Report")
    return {
        "plan": operational_plan(body, 2026, development_plan=development),
        "development": development,
        "macro": macro,
        "target": target,
        "target2": target2,
        "task": RegulationTask.objects.create(body=body, number=1, name="Keep the water cadastre"),
        "water": UnitFactory(
            body=body, code="DWR", name="Department of Water Resources", short_name="DWR dept"
        ),
        "digital": UnitFactory(body=body, code="DDG", name="Department of Digitalisation"),
        "finance": UnitFactory(body=body, code="DFN", name="Department of Finance"),
        "program": BudgetProgramFactory(body=body, code="001", name="Irrigation"),
        "program2": BudgetProgramFactory(body=body, code="254", name="Digital services"),
    }


def workbook(rows: list[list], merges: tuple[str, ...] = (), title: str = "Plan") -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def english_rows() -> list[list]:
    """A complete small plan in English, as Jospar lays it out."""
    return [
        ["Operational plan"],
        ["Ministry of Water Resources"],
        [],
        EN_HEADER,
        [1, 2, 3, 4, 5, 6],
        ["I. Actions to achieve the goals and target indicators of the development plan"],
        ["Strategic direction 1. Water security"],
        ["Macro indicator 1. Water losses in networks"],
        ["Actions"],
        [
            1,
            "Repair 40 km of networks",
            "001",
            "Department of Water Resources",
            "by 15 March",
            "Order of the Minister",
        ],
        ["Goal 1.1. Reliable water supply"],
        ["Target indicator 1. Share of lined canals"],
        ["Actions"],
        [
            2,
            "Line 12 km of canals",
            "001, 254",
            "Department of Water Resources\nco-executors: DDG, Department of Finance",
            "2 quarter",
            "Report",
        ],
        ["II. Actions for solving other tasks defined by the regulation of the state body"],
        ["Task 1. Keep the water cadastre"],
        [3, "Update the cadastre", "", "DFN", "annually", "Information to the management"],
        [],
        ["Head of the structural unit responsible for the development of the operational plan"],
        ["(Surname, first name, patronymic (if any) (signature)"],
    ]
