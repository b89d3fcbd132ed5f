"""Workbooks of units and people for the tests and the benchmark, laid out as the template."""

from io import BytesIO

from django.utils import translation
from openpyxl import Workbook

from jospar.orgs.orgsheet import PEOPLE_COLUMNS, PEOPLE_SHEET, UNIT_COLUMNS, UNITS_SHEET


def org_workbook(units: list[dict], people: list[dict], language: str = "en") -> BytesIO:
    """A workbook whose headings are the template's in `language`; each row a dict by field."""
    book = Workbook()
    with translation.override(language):
        for sheet, title, columns, rows in (
            (book.active, UNITS_SHEET, UNIT_COLUMNS, units),
            (book.create_sheet(), PEOPLE_SHEET, PEOPLE_COLUMNS, people),
        ):
            sheet.title = str(title)
            sheet.append([str(heading) for _name, heading in columns])
            for row in rows:
                sheet.append([row.get(name, "") for name, _heading in columns])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "org.xlsx"
    return buffer


def big_org(
    units: int = 300, people: int = 1000, domain: str = "ministry.gov.kz"
) -> tuple[list[dict], list[dict]]:
    """A ministry of `units` units (departments under five committees) and `people` people,
    whose e-mail addresses are at `domain`."""
    unit_rows = []
    for n in range(units):
        parent = "" if n < 5 else f"K{n % 5}"
        code = f"K{n}" if n < 5 else f"D{n:03d}"
        unit_rows.append(
            {
                "code": code,
                "name_kk": f"{n}-бөлім",
                "name_ru": f"Департамент № {n}",
                "kind": "structural",
                "parent": parent,
                "head_name": f"Ахметов{n} Нурлан Серикович",
                "head_position_ru": "Директор департамента",
            }
        )
    people_rows = []
    for n in range(people):
        unit = unit_rows[n % units]["code"]
        people_rows.append(
            {
                "email": f"person{n}@{domain}",
                "last_name": f"Сейткали{n}",
                "first_name": "Айгерим",
                "patronymic": "Нурлановна",
                "position": "главный эксперт",
                "role": "executor" if n % 10 else "planner",
                "unit": unit if n % 10 else "",
            }
        )
    return unit_rows, people_rows
