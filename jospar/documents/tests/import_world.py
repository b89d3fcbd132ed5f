"""Sheets to import into the 2026 plan of tests.worlds.import_target_world, built with openpyxl
as a planner would type them."""

from io import BytesIO

from openpyxl import Workbook

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
