"""The development plan as a workbook: the template a planner fills (`template_workbook`) and
the reading of a filled one (`read_workbook`), which writes nothing and says every problem by
sheet, row and column. `plan_changes` compares a reading with what the body has: what the
import (services.development_plan_import) would create, update or leave as it is.

The workbook has two sheets, told apart by their place:
1. the plan: one row per detail (title in Kazakh and Russian, first and last year, signing date,
   approving document), the label in column A and the value in column B;
2. the structure: a header row, then one row per strategic direction, macro indicator, goal
   or target indicator, in the order of the document. A goal stands under the last direction
   above it, a macro indicator under the last direction, a target indicator under the last
   goal. Codes: a direction "1", a goal "1.2" (or "2"), an indicator its number within its
   direction or goal ("3", or "1.2.3" with its parent's code first). After the baseline, one
   column per year of the period, headed by the year.

Headings and levels are recognised in Kazakh, Russian and English whatever the language the
template was downloaded in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jospar.lib.languages import OFFICIAL
from jospar.lib.sheets import SheetProblem as Problem
from jospar.lib.xlsx import HEADER_FONT, WRAP, set_text

MAX_ROWS = 5_000  # far more than any development plan has

# The plan sheet's rows: key, label.
PLAN_ROWS = (
    ("title_kk", gettext_lazy("Title in Kazakh")),
    ("title_ru", gettext_lazy("Title in Russian")),
    ("start_year", gettext_lazy("First year")),
    ("end_year", gettext_lazy("Last year")),
    ("signed_on", gettext_lazy("Signing date")),
    ("document", gettext_lazy("Approving document")),
)
# The structure sheet's columns before the years: key, heading, width.
COLUMNS = (
    ("level", gettext_lazy("Level"), 20),
    ("code", gettext_lazy("Code"), 8),
    ("name_kk", gettext_lazy("Name in Kazakh"), 50),
    ("name_ru", gettext_lazy("Name in Russian"), 50),
    ("unit_kk", gettext_lazy("Unit of measure in Kazakh"), 14),
    ("unit_ru", gettext_lazy("Unit of measure in Russian"), 14),
    ("baseline_year", gettext_lazy("Baseline year"), 10),
    ("baseline", gettext_lazy("Baseline value"), 12),
)
DIRECTION, MACRO, GOAL, TARGET = "direction", "macro", "goal", "target"
LEVELS = (
    (DIRECTION, gettext_lazy("strategic direction")),
    (MACRO, gettext_lazy("macro indicator")),
    (GOAL, gettext_lazy("goal")),
    (TARGET, gettext_lazy("target indicator")),
)
# Shorter words a planner may type for a level, in each language.
LEVEL_WORDS = {
    "direction": DIRECTION,
    "направление": DIRECTION,
    "бағыт": DIRECTION,
    "macro": MACRO,
    "макро": MACRO,
    "макропоказатель": MACRO,
    "goal": GOAL,
    "цель": GOAL,
    "мақсат": GOAL,
    "target": TARGET,
    "целевой": TARGET,
    "целевой индикатор": TARGET,
    "нысаналы индикатор": TARGET,
}
NAME_LIMIT, UNIT_LIMIT, TITLE_LIMIT, DOCUMENT_LIMIT = 1000, 100, 500, 255


def _norm(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().lower().rstrip(":").strip()


def _in_each_language(pairs) -> dict[str, str]:
    """{heading as written in any language, normalised: key}."""
    found = {}
    for language in (*OFFICIAL, "en"):
        with translation.override(language):
            for key, label in pairs:
                found[_norm(label)] = key
    return found


# --- the template ------------------------------------------------------------------------------


def template_workbook(*, years: range, plan=None) -> bytes:
    """The template in the active language: the plan's details and its structure, filled with
    `plan` (a DevelopmentPlan) if given, so a planner edits what Jospar holds."""
    book = Workbook()
    details = book.active
    details.title = _("Plan")[:31]
    values = {"start_year": years.start, "end_year": years.stop - 1}
    if plan is not None:
        values |= {
            "title_kk": plan.title_kk or "",
            "title_ru": plan.title_ru or "",
            "signed_on": plan.signed_on,
            "document": plan.document,
        }
    for row, (key, label) in enumerate(PLAN_ROWS, start=1):
        set_text(details.cell(row=row, column=1), str(label))
        details.cell(row=row, column=1).font = HEADER_FONT
        cell = details.cell(row=row, column=2)
        set_text(cell, values.get(key))
        if key == "signed_on":
            cell.number_format = "DD.MM.YYYY"
    details.column_dimensions["A"].width = 24
    details.column_dimensions["B"].width = 60

    sheet = book.create_sheet(_("Structure")[:31])
    headings = [str(label) for _key, label, _width in COLUMNS] + [str(year) for year in years]
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, heading)
        cell.font = HEADER_FONT
        cell.alignment = WRAP
    widths = [width for _key, _label, width in COLUMNS] + [10] * len(years)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "C2"
    if plan is not None:
        _fill(sheet, plan, years)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet, plan, years: range) -> None:
    from jospar.strategy.selectors import development_plan_tree

    level_label = dict(LEVELS)
    row = 2

    def put(level, code, obj, indicator=None):
        nonlocal row
        cells = [str(level_label[level]), code, obj.name_kk or "", obj.name_ru or ""]
        if indicator is not None:
            by_year = {value.year: value.planned for value in indicator.values.all()}
            cells += [
                indicator.unit_of_measure_kk or "",
                indicator.unit_of_measure_ru or "",
                indicator.baseline_year,
                indicator.baseline,
            ]
            cells += [by_year.get(year) for year in years]
        for column, value in enumerate(cells, start=1):
            set_text(sheet.cell(row=row, column=column), value)
        if level in (DIRECTION, GOAL):
            sheet.cell(row=row, column=3).font = Font(bold=True)
        row += 1

    for direction in development_plan_tree(plan):
        put(DIRECTION, str(direction.number), direction)
        for indicator in direction.macro_indicators.all():
            put(MACRO, str(indicator.number), indicator, indicator)
        for goal in direction.goals.all():
            put(GOAL, f"{direction.number}.{goal.number}", goal)
            for indicator in goal.target_indicators.all():
                put(TARGET, str(indicator.number), indicator, indicator)


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Item:
    """A row of the structure sheet: a direction, a goal or an indicator."""

    level: str
    row: int
    number: int
    names: dict[str, str]  # name_kk, name_ru
    parent: Item | None = None
    units: dict[str, str] = field(default_factory=dict)  # unit_of_measure_kk, …_ru
    baseline_year: int | None = None
    baseline: Decimal | None = None
    values: dict[int, Decimal] = field(default_factory=dict)
    # set by plan_changes: "created", "updated" or "unchanged"; the stored object; the values
    # that differ from the stored ones
    status: str = "created"
    obj: object = None
    changed_values: dict[int, Decimal] = field(default_factory=dict)

    @property
    def code(self) -> str:
        if self.level == GOAL:
            return f"{self.parent.number}.{self.number}"
        if self.level in (MACRO, TARGET):
            return f"{self.parent.code}.{self.number}"
        return str(self.number)

    @property
    def key(self) -> tuple:
        """What matches the row to a stored object: its level and its code."""
        return (self.level, self.code)

    def label(self) -> str:
        name = self.names.get("name_ru") or self.names.get("name_kk") or ""
        return f"{dict(LEVELS)[self.level]} {self.code}. {name}"


@dataclass
class Reading:
    """What a workbook says, and what is wrong with it."""

    details: dict = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""  # the sheet being read, for the problems found in it

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def years(self) -> range:
        return range(self.details["start_year"], self.details["end_year"] + 1)

    def problem(self, message: str, row: int | None = None, column: str = "") -> None:
        self.problems.append(Problem(str(message), self.sheet, row, column))

    def of_level(self, level: str) -> list[Item]:
        return [item for item in self.items if item.level == level]

    def as_dict(self) -> dict:
        return {"problems": [problem.as_dict() for problem in self.problems]}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d.%m.%Y}"
    return re.sub(r"\s+", " ", str(value)).strip()


def _year(value) -> int | None:
    text = _text(value)
    return int(text) if re.fullmatch(r"(19|20|21)\d\d", text) else None


def _number(value) -> Decimal | None:
    """A number a cell holds, as a number or as text ("12,5", "1 200"); None if it is none.
    ValueError if the cell holds something else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = re.sub(r"[\s\u00a0]", "", str(value)).replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
        raise ValueError
    return number.quantize(Decimal("0.0001"))


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    return None


def read_workbook(fileobj) -> Reading:
    """What the workbook says; every problem with its sheet, row and column. Writes nothing."""
    from jospar.documents.importer import _open_workbook, _XlsxBook  # every import's checks

    reading = Reading()
    opened = _open_workbook(fileobj, reading)
    if opened is None:
        return reading
    if not isinstance(opened, _XlsxBook):  # an .xls or .ods: the template is an .xlsx
        opened.close()
        reading.problem(
            _(
                "The development plan is read from the template's .xlsx workbook: save the "
                "file as .xlsx and upload it again."
            )
        )
        return reading
    book = opened.book
    try:
        sheets = book.worksheets
        if len(sheets) < 2:
            reading.problem(
                _(
                    "The workbook needs two sheets: the plan's details, then its directions, "
                    "goals and indicators. Download the template and fill it in."
                )
            )
            return reading
        _read_details(reading, sheets[0])
        if reading.ok:
            _read_structure(reading, sheets[1])
    finally:
        book.close()
    return reading


def _rows(sheet, reading: Reading) -> list[tuple]:
    sheet.reset_dimensions()
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            reading.problem(
                _("The sheet has more than %(count)s rows; no development plan has so many.")
                % {"count": MAX_ROWS}
            )
            return []
    return rows


def _read_details(reading: Reading, sheet) -> None:
    reading.sheet = sheet.title
    labels = _in_each_language(PLAN_ROWS)
    found: dict[str, tuple[int, object]] = {}
    for index, row in enumerate(_rows(sheet, reading), start=1):
        cells = list(row) + [None, None]
        label = _norm(cells[0])
        if not label:
            continue
        key = labels.get(label)
        if key is None:
            reading.problem(
                _("“%(text)s” is not a detail of the plan the import knows.")
                % {"text": _text(cells[0])},
                index,
                "A",
            )
            continue
        if key in found:
            reading.problem(_("The detail is given twice."), index, "A")
        found[key] = (index, cells[1])
    details = reading.details
    for key, label in PLAN_ROWS:
        row, value = found.get(key, (None, None))
        if key in ("start_year", "end_year"):
            details[key] = _year(value)
            if details[key] is None:
                reading.problem(
                    _("“%(label)s”: give a year, e.g. 2025.") % {"label": label}, row, "B"
                )
        elif key == "signed_on":
            details[key] = _date(value)
            if details[key] is None:
                reading.problem(
                    _("“%(label)s”: give a date, e.g. 06.01.2025.") % {"label": label}, row, "B"
                )
        else:
            details[key] = _text(value)
            limit = DOCUMENT_LIMIT if key == "document" else TITLE_LIMIT
            if len(details[key]) > limit:
                reading.problem(_("Longer than %(n)s characters.") % {"n": limit}, row, "B")
    if not details.get("title_kk") and not details.get("title_ru"):
        reading.problem(_("Give the plan's title in Kazakh or in Russian."))
    start, end = details.get("start_year"), details.get("end_year")
    if start and end and end < start:
        reading.problem(
            _("The last year cannot precede the first year."), found["end_year"][0], "B"
        )


def _read_structure(reading: Reading, sheet) -> None:
    reading.sheet = sheet.title
    rows = _rows(sheet, reading)
    if not rows:
        reading.problem(_("The sheet is empty: it has no header row."))
        return
    headings = _in_each_language([(key, label) for key, label, _width in COLUMNS])
    columns: dict[int, str] = {}  # index: key
    year_columns: dict[int, int] = {}  # index: year
    for index, value in enumerate(rows[0]):
        letter = get_column_letter(index + 1)
        if value is None or not _text(value):
            continue
        year = _year(value)
        if year is not None:
            if year not in reading.years:
                reading.problem(
                    _("%(year)s is outside the plan period %(start)s–%(end)s.")
                    % {"year": year, "start": reading.years.start, "end": reading.years.stop - 1},
                    1,
                    letter,
                )
            elif year in year_columns.values():
                reading.problem(_("The year %(year)s has two columns.") % {"year": year}, 1, letter)
            else:
                year_columns[index] = year
            continue
        key = headings.get(_norm(value))
        if key is None:
            reading.problem(
                _("“%(text)s” is not a heading the import knows.") % {"text": _text(value)},
                1,
                letter,
            )
        elif key in columns.values():
            reading.problem(_("The heading is given twice."), 1, letter)
        else:
            columns[index] = key
    missing = [
        key for key in ("level", "code", "name_kk", "name_ru") if key not in columns.values()
    ]
    for key in missing:
        label = dict((k, label) for k, label, _width in COLUMNS)[key]
        reading.problem(_("The column “%(label)s” is missing.") % {"label": label}, 1)
    if missing:
        return
    levels = _in_each_language(LEVELS) | LEVEL_WORDS
    letters = {key: get_column_letter(index + 1) for index, key in columns.items()}
    direction = goal = None
    seen: dict[tuple, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        cells = {key: row[index] if index < len(row) else None for index, key in columns.items()}
        years = {
            year: (row[index] if index < len(row) else None) for index, year in year_columns.items()
        }
        if not any(_text(value) for value in (*cells.values(), *years.values())):
            continue
        level = levels.get(_norm(cells["level"]))
        if level is None:
            reading.problem(
                _(
                    "“%(text)s” is not a level: write a strategic direction, a macro indicator, "
                    "a goal or a target indicator."
                )
                % {"text": _text(cells["level"])},
                row_number,
                letters["level"],
            )
            continue
        parent = {DIRECTION: None, GOAL: direction, MACRO: direction, TARGET: goal}[level]
        if level != DIRECTION and parent is None:
            message = {
                GOAL: _("The goal stands under no strategic direction."),
                MACRO: _("The macro indicator stands under no strategic direction."),
                TARGET: _("The target indicator stands under no goal."),
            }[level]
            reading.problem(message, row_number, letters["level"])
            continue
        number = _code_number(reading, cells["code"], parent, row_number, letters["code"])
        if number is None:
            continue
        names = {key: _text(cells.get(key)) for key in ("name_kk", "name_ru")}
        item = Item(level, row_number, number, names, parent)
        if not any(names.values()):
            reading.problem(
                _("Give the name in Kazakh or in Russian."), row_number, letters["name_ru"]
            )
        for key, text in names.items():
            if len(text) > NAME_LIMIT:
                reading.problem(
                    _("Longer than %(n)s characters.") % {"n": NAME_LIMIT}, row_number, letters[key]
                )
        if item.key in seen:
            reading.problem(
                _("The code %(code)s is already used in row %(row)s.")
                % {"code": item.code, "row": seen[item.key]},
                row_number,
                letters["code"],
            )
        seen.setdefault(item.key, row_number)
        if level in (MACRO, TARGET):
            _read_indicator(reading, item, cells, years, letters, year_columns)
        else:
            extra = [key for key in ("unit_kk", "unit_ru", "baseline", "baseline_year")]
            for key in extra:
                if key in cells and _text(cells[key]):
                    reading.problem(
                        _("Only an indicator has a unit of measure, a baseline or values."),
                        row_number,
                        letters[key],
                    )
            for index, year in year_columns.items():
                if _text(years[year]):
                    reading.problem(
                        _("Only an indicator has a unit of measure, a baseline or values."),
                        row_number,
                        get_column_letter(index + 1),
                    )
        reading.items.append(item)
        if level == DIRECTION:
            direction, goal = item, None
        elif level == GOAL:
            goal = item
    if not reading.items and reading.ok:
        reading.problem(_("The sheet lists no strategic direction."))


def _code_number(reading, value, parent: Item | None, row: int, letter: str) -> int | None:
    """The row's number within its parent: the code's last part; a code with its parent's
    code first must name the parent the row stands under."""
    text = _text(value).rstrip(".")
    if not re.fullmatch(r"\d{1,4}(\.\d{1,4})*", text):
        reading.problem(
            _("“%(text)s” is not a code: write a number such as 2, or 1.2.") % {"text": text},
            row,
            letter,
        )
        return None
    *prefix, last = text.split(".")
    if prefix and (parent is None or ".".join(prefix) != parent.code):
        reading.problem(
            _(
                "The code %(code)s does not begin with the code of the row it stands under "
                "(%(parent)s)."
            )
            % {"code": text, "parent": parent.code if parent else "—"},
            row,
            letter,
        )
        return None
    number = int(last)
    if not 1 <= number <= 32767:
        reading.problem(_("A number is from 1 to 32767."), row, letter)
        return None
    return number


def _read_indicator(reading, item: Item, cells, years, letters, year_columns) -> None:
    row = item.row
    item.units = {
        "unit_of_measure_kk": _text(cells.get("unit_kk")),
        "unit_of_measure_ru": _text(cells.get("unit_ru")),
    }
    if not any(item.units.values()):
        column = letters.get("unit_ru") or letters.get("unit_kk") or ""
        reading.problem(_("Give the unit of measure in Kazakh or in Russian."), row, column)
    for key, text in item.units.items():
        if len(text) > UNIT_LIMIT:
            column = letters["unit_kk" if key.endswith("kk") else "unit_ru"]
            reading.problem(_("Longer than %(n)s characters.") % {"n": UNIT_LIMIT}, row, column)
    if _text(cells.get("baseline_year")):
        item.baseline_year = _year(cells["baseline_year"])
        if item.baseline_year is None:
            reading.problem(_("Give a year, e.g. 2024."), row, letters["baseline_year"])
    try:
        item.baseline = _number(cells.get("baseline"))
    except ValueError:
        reading.problem(
            _("“%(text)s” is not a number.") % {"text": _text(cells["baseline"])},
            row,
            letters["baseline"],
        )
    for index, year in year_columns.items():
        try:
            value = _number(years[year])
        except ValueError:
            reading.problem(
                _("“%(text)s” is not a number.") % {"text": _text(years[year])},
                row,
                get_column_letter(index + 1),
            )
            continue
        if value is not None:
            item.values[year] = value


# --- what an import would change --------------------------------------------------------------

TEXT_FIELDS = {
    DIRECTION: ("name_kk", "name_ru"),
    GOAL: ("name_kk", "name_ru"),
    MACRO: ("name_kk", "name_ru", "unit_of_measure_kk", "unit_of_measure_ru"),
    TARGET: ("name_kk", "name_ru", "unit_of_measure_kk", "unit_of_measure_ru"),
}
DETAIL_TEXTS = ("title_kk", "title_ru", "document")


@dataclass
class Changes:
    """What importing a reading would do to the body's development plan. Each item of the
    reading gets `status` ("created", "updated" or "unchanged") and `obj` (the stored object,
    or None). A blank cell keeps what is stored."""

    plan: object | None  # the stored DevelopmentPlan of the period, if any
    reading: Reading
    details: dict = field(default_factory=dict)  # the plan's changed details
    problems: list[Problem] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # stored objects the file does not list
    amendment: object | None = None  # the amendment the import recorded

    def count(self, status: str) -> int:
        return sum(1 for item in self.reading.items if item.status == status)

    @property
    def changed(self) -> bool:
        return (
            self.plan is None
            or bool(self.details)
            or self.count("unchanged") < len(self.reading.items)
        )

    @property
    def amends(self) -> bool:
        """An import that changes a stored plan: it is recorded as an amendment."""
        return self.plan is not None and self.changed

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.count("created"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
        }


def _stored_texts(obj, names) -> dict[str, str]:
    return {name: getattr(obj, name) or "" for name in names}


def plan_changes(reading: Reading, body, *, lock: bool = False) -> Changes:
    """Compare a reading without problems with what `body` holds (a fixed number of queries)."""
    from jospar.strategy.models import DevelopmentPlan, Goal, Indicator, StrategicDirection

    details = reading.details
    plans = DevelopmentPlan.objects.filter(body=body, start_year=details["start_year"])
    plan = (plans.select_for_update() if lock else plans).first()
    changes = Changes(plan=plan, reading=reading)
    for item in reading.items:
        item.status, item.obj, item.changed_values = "created", None, {}
    if plan is None:
        return changes
    if plan.end_year != details["end_year"]:
        changes.problems.append(
            Problem(
                _(
                    "The body's development plan from %(start)s ends in %(end)s; the file says "
                    "%(file)s. Change the period on the plan's page first."
                )
                % {"start": plan.start_year, "end": plan.end_year, "file": details["end_year"]}
            )
        )
    if plan.signed_on != details["signed_on"]:
        changes.problems.append(
            Problem(
                _(
                    "The development plan was signed on %(date)s; the file says %(file)s. An "
                    "amendment keeps the plan's signing date: give the amendment's own date on "
                    "the import."
                )
                % {
                    "date": f"{plan.signed_on:%d.%m.%Y}",
                    "file": f"{details['signed_on']:%d.%m.%Y}",
                }
            )
        )
    for name in DETAIL_TEXTS:
        if details.get(name) and details[name] != (getattr(plan, name) or ""):
            changes.details[name] = details[name]
    stored = {}
    for direction in StrategicDirection.objects.filter(plan=plan):
        stored[(DIRECTION, str(direction.number))] = direction
    for goal in Goal.objects.filter(direction__plan=plan).select_related("direction"):
        stored[(GOAL, goal.code)] = goal
    indicators = Indicator.objects.filter(plan=plan).select_related("direction", "goal__direction")
    for indicator in indicators.prefetch_related("values"):
        parent = indicator.direction if indicator.kind == MACRO else indicator.goal
        stored[(indicator.kind, f"{parent.code}.{indicator.number}")] = indicator
    listed = set()
    for item in reading.items:
        obj = stored.get(item.key)
        listed.add(item.key)
        if obj is None:
            continue
        item.obj = obj
        texts = item.names | item.units
        new = {name: texts[name] for name in TEXT_FIELDS[item.level] if texts.get(name)}
        differs = any(new[name] != _stored_texts(obj, [name])[name] for name in new)
        if item.level in (MACRO, TARGET):
            if item.baseline_year is not None and item.baseline_year != obj.baseline_year:
                differs = True
            if item.baseline is not None and item.baseline != obj.baseline:
                differs = True
            current = {value.year: value for value in obj.values.all()}
            item.changed_values = {
                year: value
                for year, value in item.values.items()
                if year not in current or current[year].planned != value
            }
            differs = differs or bool(item.changed_values)
        item.status = "updated" if differs else "unchanged"
    for key, obj in stored.items():
        if key not in listed:
            changes.kept.append(str(obj))
    return changes
