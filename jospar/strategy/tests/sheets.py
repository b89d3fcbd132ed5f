"""Development plan workbooks for the tests: the template Jospar gives, filled in as a planner
fills it (`plan_workbook`), and changed cell by cell."""

import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

from jospar.strategy.workbook import template_workbook

DETAILS = {
    "title_kk": "Су ресурстары министрлігінің даму жоспары",
    "title_ru": "План развития Министерства водных ресурсов",
    "start_year": 2025,
    "end_year": 2029,
    "signed_on": dt.date(2025, 1, 6),
    "document": "Приказ № 1",
}
LEVEL_RU = {
    "direction": "Стратегическое направление",
    "macro": "Макропоказатель",
    "goal": "Цель",
    "target": "Целевой индикатор",
}


def rows_of(directions: int = 2, goals: int = 2, indicators: int = 2) -> list[list]:
    """Rows of the structure sheet: each direction with a macro indicator, its goals and each
    goal's target indicators, values for every year of 2025–2029."""
    rows = []
    for d in range(1, directions + 1):
        rows.append(["Стратегическое направление", d, f"Бағыт {d}", f"Направление {d}"])
        rows.append(
            ["Макропоказатель", 1, f"Макро {d}", f"Макро {d}", "%", "%", 2024, 10]
            + [10 + year for year in range(5)]
        )
        for g in range(1, goals + 1):
            rows.append(["Цель", f"{d}.{g}", f"Мақсат {d}.{g}", f"Цель {d}.{g}"])
            for i in range(1, indicators + 1):
                rows.append(
                    ["Целевой индикатор", i, f"Индикатор {d}.{g}.{i}", f"Индикатор {d}.{g}.{i}"]
                    + ["ед.", "ед.", 2024, 1]
                    + [i * 10 + year for year in range(5)]
                )
    return rows


def plan_workbook(rows=None, details=None, language="ru", edit=None) -> BytesIO:
    """The template of 2025–2029 with the plan's details and `rows` filled in; `edit` (a
    function of the workbook) changes it before it is saved."""
    from django.utils import translation

    with translation.override(language):
        blank = template_workbook(years=range(2025, 2030))
    book = load_workbook(BytesIO(blank))
    values = DETAILS | (details or {})
    keys = ("title_kk", "title_ru", "start_year", "end_year", "signed_on", "document")
    for row, key in enumerate(keys, start=1):
        book.worksheets[0].cell(row=row, column=2).value = values[key]
    sheet = book.worksheets[1]
    for r, row in enumerate(rows_of() if rows is None else rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c).value = value
    if edit:
        edit(book)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "plan.xlsx"
    return buffer
