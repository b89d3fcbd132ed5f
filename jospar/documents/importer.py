"""Import of an operational plan from a workbook (.xlsx, .xls or .ods) in the Appendix 1 layout.

`parse_plan_xlsx` reads a workbook — the one Jospar exports or one a planner typed by hand —
and says what it would create and every problem with its row and column; it writes nothing.
`plan_import` creates the actions through the plans services, all of them or none.
`plan_import_check` adds to a dry run what `plan_import` would refuse whatever the file says
(a plan that is not a draft, or one with actions that are not to be replaced).

What the reader accepts:
- the header row anywhere in the first rows of a sheet, recognised by its headings in English,
  Russian or Kazakh (case, spaces, line breaks, "№"/"No" do not matter); an optional row of
  column numbers 1…6 under it; blank rows anywhere; merged cells (a cell merged down several
  rows, such as one executor for three actions, counts for each row);
- section rows ("I. …", "II. …"), hierarchy rows ("Strategic direction 1. …", "Macro indicator
  1. …", "Goal 1.1. …", "Target indicator 1. …", the Kazakh "1-стратегиялық бағыт. …", "Actions"),
  matched to the plan's development plan by number, else by name;
- in section II, "Task N. name" rows: matched to the body's tasks from the regulation by number,
  else by name. A task written with a number the body does not have yet is created by the
  import (the row names it in full); a task written without a number must already exist.
  Task rows are optional: actions standing right under section II's heading (the Rules' form
  has no task rows) go under the section itself;
- action rows: name, budget program codes, responsible executor (the first unit; the others,
  after a line break, a comma or "co-executors:", are co-executors), term of execution as text
  or as a date cell, form of completion (the reference list in any language, else free text).
- ongoing terms ("по мере поступления", "постоянно", "қажеттілігіне қарай") kept as written;
- what stands under the table ends it and is kept, not read as actions: the signatory's
  position and name (they sign the plan's forms) and the notes and footnotes ("Примечание: …",
  "Ескертпе: …", "* …"); an action below them is a problem of its row;
- .xlsx through openpyxl (read-only) and the sheet's XML (merged ranges, formulas); .xls and
  .ods through calamine (merged ranges from calamine for .xls, from content.xml for .ods);
  anything else (a .csv) is refused with the formats the import reads;
- a formula counts by the value the workbook saved with it; a formula saved without its value
  (a file written by a tool that does not calculate) is a problem naming its cell.

Problems block the import; warnings (a name that differs from the development plan's, an
action without an executor or a term) are shown and do not.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.xml.functions import fromstring, iterparse

from jospar.documents.appendices import heading_text, plan_headings
from jospar.lib.languages import HELD, localized, texts_of
from jospar.lib.sheets import (
    OLE2_SIGNATURE,
    ZIP_SIGNATURE,
    attributes,
    open_archive,
    problems_dict,
    starts_with,
    upload_bytes,
)
from jospar.orgs.models import BudgetProgram, Unit
from jospar.orgs.policy import Perm, require
from jospar.plans import services as plans
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    RegulationTask,
    term_values,
)
from jospar.plans.selectors import plan_layout
from jospar.plans.terms import Term, TermParseError, parse_term
from jospar.strategy.models import Goal, Indicator, StrategicDirection
from jospar.strategy.selectors import development_plan_tree

MAX_MB = 10  # the largest workbook accepted; a plan of 2,000 actions is well under 1 MB
# What the workbook may unpack to (a small zip can hold a huge sheet). Jospar's own export of
# a 2,000-action plan unpacks to about 2.5 MB; openpyxl needs some three times the unpacked
# size in memory, so 200 MB cost a web process 600 MB for one upload.
MAX_UNPACKED_MB = 50
HEADER_SEARCH_ROWS = 40
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A formula element (<f>, <f t="shared" …/>, <x:f>) in a worksheet's XML.
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")

FIELDS = ("number", "name", "budget", "executor", "term", "form")
REQUIRED = ("name", "executor", "term", "form")
ACTION_FIELDS = ("budget", "executor", "term", "form")


# --- what the reader returns ------------------------------------------------------------------


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class NewTask:
    """A task from the regulation that the sheet names and the body does not have yet."""

    number: int
    name: str

    def __str__(self) -> str:
        return _("Task %(number)s. %(name)s") % {"number": self.number, "name": self.name}


@dataclass
class Heading:
    """A heading row as the import understood it: what it is and what it was matched to."""

    kind: str  # section, direction, macro, goal, target, task
    row: int
    obj: object = None
    new: bool = False
    text: str = ""  # its name as the sheet writes it

    @property
    def label(self) -> str:
        return heading_text(self)  # as the exported form words it

    def as_dict(self) -> dict:
        return {"row": self.row, "kind": self.kind, "label": self.label, "new": self.new}


@dataclass
class ImportedAction:
    row: int
    name: str
    number: str = ""
    indicator: Indicator | None = None
    task: RegulationTask | NewTask | None = None
    budget_programs: list[BudgetProgram] = field(default_factory=list)
    lead_unit: Unit | None = None
    co_executors: list[Unit] = field(default_factory=list)
    term: Term | None = None
    completion_form: CompletionForm | None = None
    completion_text: str = ""
    section: int = 1  # 2 with no task: under section II's heading itself

    kind = "action"

    @property
    def anchor_display(self) -> str:
        if self.indicator or self.task:
            return str(self.indicator or self.task)
        return heading_text(Heading("section", self.row, 2)) if self.section == 2 else ""

    @property
    def term_display(self) -> str:
        return str(self.term) if self.term else ""

    @property
    def completion_display(self) -> str:
        return self.completion_text or (str(self.completion_form) if self.completion_form else "")

    def as_dict(self) -> dict:
        term = self.term
        return {
            "row": self.row,
            "kind": self.kind,
            "number": self.number,
            "name": self.name,
            "anchor": self.anchor_display,
            "section": self.section,
            "budget_programs": [p.code for p in self.budget_programs],
            "lead_unit": str(self.lead_unit) if self.lead_unit else None,
            "co_executors": [str(u) for u in self.co_executors],
            "term": None
            if term is None
            else {
                "kind": term.kind,
                "date": term.date.isoformat() if term.date else None,
                "month": term.month,
                "quarter": term.quarter,
                "half": term.half,
                "text": str(term),
                "as_written": term.text or "",
            },
            "completion_form": str(self.completion_form) if self.completion_form else None,
            "completion_text": self.completion_text,
        }


@dataclass
class ImportResult:
    plan_id: int
    sheet: str = ""
    header_row: int | None = None
    rows: list[Heading | ImportedAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → the letter of its column
    language: str = ""  # the language of the headings, so of the texts (kk, ru, en; "": unknown)
    # under the table: the signatory (position and name) and the notes and footnotes
    signatory_position: str = ""
    signatory_name: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def actions(self) -> list[ImportedAction]:
        return [row for row in self.rows if isinstance(row, ImportedAction)]

    @property
    def new_tasks(self) -> list[NewTask]:
        tasks = {
            row.obj.number: row.obj for row in self.rows if isinstance(row, Heading) and row.new
        }
        return list(tasks.values())

    def problem(self, message: str, row: int | None = None, column: str = "") -> None:
        self.problems.append(Problem(message, row, column))

    def warn(self, message: str, row: int | None = None, column: str = "") -> None:
        self.warnings.append(Problem(message, row, column))

    def as_dict(self) -> dict:
        return {
            **attributes(self, "ok", "sheet", "header_row", "language"),
            "actions": len(self.actions),
            "new_tasks": [str(task) for task in self.new_tasks],
            "signatory": {"position": self.signatory_position, "name": self.signatory_name},
            "notes": self.notes,
            "rows": [row.as_dict() for row in self.rows],
            **problems_dict(self),
        }


# --- text helpers ------------------------------------------------------------------------


def _norm(text) -> str:
    """For comparing names: case, quotes, spaces, line breaks and a final stop do not matter."""
    if type(text) is str and text.isdigit():
        return text  # an action's number: nothing to change
    return _norm_text(text)


@lru_cache(maxsize=8192, typed=True)  # a sheet repeats its units, forms and headings
def _norm_text(text) -> str:
    text = str(text or "").lower().replace("ё", "е").replace("\u00a0", " ")
    text = re.sub(r"[«»“”„\"'`’]", "", text)
    text = re.sub(r"[–—−]", "-", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def _named(obj, name: str) -> bool:
    """Whether `name` is the object's name in one of the languages it has."""
    wanted = _norm(name)
    return any(text and _norm(text) == wanted for text in texts_of(obj, "name").values())


@dataclass(frozen=True)
class UnsavedFormula:
    """A cell (row and column from 1) holding a formula whose value the workbook did not
    save: it reads as empty, and the import says so instead of guessing."""

    row: int
    column: int

    def __str__(self) -> str:
        return ""


def _cell_text(value) -> str:
    if type(value) is str:  # the usual cell, first
        return value.strip()
    if value is None or isinstance(value, UnsavedFormula):
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- the header row ------------------------------------------------------------------------

_HEADING_WORDS = (
    # The first field whose word a heading contains names the column ("Срок исполнения" is the
    # term, though "исполнения" also reads like the executor's column).
    ("term", ("term", "deadline", "срок", "мерзім")),
    ("form", ("form of completion", "completion", "форма", "нысан")),
    ("budget", ("budget", "бюджет")),
    ("executor", ("executor", "responsible", "исполнител", "орындаушы")),
    ("name", ("name", "наименование", "атау", "мероприят", "іс-шара", "action", "activit")),
)
_NUMBER_HEADING = re.compile(r"(?:№|no\.?|n|#|nr)\s*(?:п/п|р/с|р/н)?|п/п|р/с")


def heading_field(text) -> str | None:
    """Which Appendix 1 column a heading names (None if it names none)."""
    t = _norm(text).replace("\n", " ")
    if not t:
        return None
    if "№" in t or _NUMBER_HEADING.fullmatch(t):
        return "number"
    for name, words in _HEADING_WORDS:
        if any(word in t for word in words):
            return name
    return None


# --- hierarchy rows -------------------------------------------------------------------------

_KINDS = (
    ("direction", r"strategic direction|стратегическое направление|стратегиялық бағыт", r"\d+"),
    ("macro", r"macro[- ]?indicator|макропоказатель|макрокөрсеткіш", r"\d+"),
    ("goal", r"goal|цель|мақсат", r"\d+\.\d+"),
    ("target", r"target indicator|целевой индикатор|нысаналы индикатор", r"\d+"),
    ("task", r"task|задача|міндет", r"\d+"),
)
_HEADING_PATTERNS = [
    (
        kind,
        re.compile(
            rf"^(?:{words})\s*(?:№\s*)?(?P<n>{number})?\s*[.):\-]?\s*(?P<name>.*)$",
            re.IGNORECASE | re.DOTALL,
        ),
        re.compile(
            rf"^(?P<n>{number})\s*-?\s*(?:{words})\s*[.):\-]?\s*(?P<name>.*)$",
            re.IGNORECASE | re.DOTALL,
        ),
    )
    for kind, words, number in _KINDS
]
_ACTIONS_ROW = re.compile(r"actions|activities|мероприятия|іс-шаралар|іс шаралар", re.IGNORECASE)
_SECTION = re.compile(
    r"^(?:(?:section|раздел|бөлім)\s+(?P<a>ii|i|2|1)\b|(?P<r>ii|i)\s*[.)]\s*\S)", re.IGNORECASE
)
# The signature block under the table: "Head of the structural unit …", "(Surname … signature)".
_FOOTER_WORDS = (
    "head of the structural unit",
    "руководитель структурного",
    "бөлімшенің басшысы",
    "surname",
    "фамилия",
    "тегі",
    "signature",
    "подпись",
    "қолы",
)


def _is_footer(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _FOOTER_WORDS)


# What begins the part under the table: a signatory's position (Russian and English put the
# title first, Kazakh last: "Стратегиялық жоспарлау департаментінің директоры"), a note
# ("Примечание:", "Ескертпе:", "* …") or the executor's contact line.
_SIGNATORY = re.compile(
    r"^(?:руководител\w*|басшы\w*|head\b|director\b|директор\w*|заместител\w*|"
    r"вице-министр\w*|министр\w*|председател\w*|начальник\w*|төраға\w*|"
    r"ответственный секретарь|жауапты хатшы)"
    r"|(?:басшысы|директоры|бастығы|меңгерушісі|төрағасы|министрі|орынбасары|хатшысы)$",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"^(?:\*|примечани\w*|прим\.|ескерту\w*|ескертпе\w*|notes?\b|"
    r"исп\.|исполнитель\s*:|орынд\.|орындаушы\s*:|тел\.)",
    re.IGNORECASE,
)
# A name as signed: "А. Иванов", "Иванов А.Б.", "Фамилия И.О." (initials and a surname).
_UPPER = "A-ZА-ЯЁӘІҢҒҮҰҚӨҺ"
_PERSON = re.compile(
    rf"^(?:[{_UPPER}]\.\s*(?:[{_UPPER}]\.\s*)?[{_UPPER}]\w+(?:-\w+)?"
    rf"|[{_UPPER}]\w+(?:-\w+)?\s+[{_UPPER}]\.\s*(?:[{_UPPER}]\.?)?"
    rf"|[{_UPPER}]\w+\s+[{_UPPER}]\w+(?:\s+[{_UPPER}]\w+)?)$"
)


def _signed_name(text: str) -> str:
    """The name in a cell of the signature line, without the line to sign on."""
    return " ".join(re.sub(r"_{2,}|\((?:подпись|signature|қолы)\)", " ", text).split())


def _is_caption(text: str) -> bool:
    """A caption under a line ("(фамилия, имя, отчество) (подпись)"), or only the line."""
    stripped = text.strip()
    return not stripped.strip("_ .") or (stripped.startswith("(") and stripped.endswith(")"))


_CO_MARKER = re.compile(
    r"^\(?\s*(?:co-?executors?|соисполнител\w*|бірлескен орындаушы\w*)\s*[:\-]?\s*",
    re.IGNORECASE,
)
_AS_AGREED = re.compile(
    r"\s*\((?:по согласованию|келісім бойынша|келісу бойынша|as agreed|upon agreement)\)\s*$",
    re.IGNORECASE,
)


def _heading_of(text: str) -> tuple[str, str, str] | None:
    """(kind, number, name) of a hierarchy row's text, or None."""
    text = " ".join(text.split())
    for kind, by_word, by_number in _HEADING_PATTERNS:
        match = by_number.match(text) or by_word.match(text)
        if match:
            return kind, (match["n"] or ""), match["name"].strip()
    return None


# --- reading the workbook --------------------------------------------------------------------


FORMATS = ".xlsx, .xls, .ods"  # what the import reads, as its messages name them
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _not_a_workbook() -> str:
    return _(
        "The file is not a workbook the import reads: save the plan as %(formats)s (a .csv "
        "or a text file is not read) and try again."
    ) % {"formats": FORMATS}


def _damaged() -> str:
    return _("The file is damaged: it cannot be opened as a workbook (%(formats)s).") % {
        "formats": FORMATS
    }


@dataclass
class _Sheet:
    """A sheet as the reader sees it, whatever the file's format: its values row by row (row r
    at index r - 1), its merged ranges as (min_col, min_row, max_col, max_row) from 1, and for
    an .xlsx whether it holds formulas and how to find those saved without a value."""

    title: str
    rows: list
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    has_formulas: bool = False
    unsaved: object = None  # () -> set of (row, column)


class _XlsxBook:
    """An .xlsx read by openpyxl (read-only, the values saved), with what a read-only reading
    does not give — the merged ranges, the formulas — read from the sheet's XML."""

    def __init__(self, data: BytesIO):
        self.data = data
        self.book = load_workbook(data, read_only=True, data_only=True)

    def sheets(self):
        for sheet in self.book.worksheets:
            rows = _rows(sheet)
            xml = _sheet_xml(self.data, sheet.title)
            yield _Sheet(
                sheet.title,
                rows,
                xml.merges,
                xml.has_formulas,
                lambda path=xml.path: _unsaved_formulas(self.data, path),
            )

    def close(self) -> None:
        self.book.close()


class _CalamineBook:
    """An old Excel .xls or an OpenDocument .ods read by calamine: the values it saved (a
    formula counts by its value), the merged ranges calamine gives for an .xls and those of an
    .ods read from its content.xml."""

    def __init__(self, data: BytesIO, kind: str):
        from python_calamine import CalamineWorkbook

        self.data = data
        self.kind = kind
        data.seek(0)
        self.book = CalamineWorkbook.from_filelike(data)

    def sheets(self):
        ods_merges = _ods_merges(self.data) if self.kind == "ods" else {}
        for name in self.book.sheet_names:
            sheet = self.book.get_sheet_by_name(name)
            rows = [
                tuple(None if value == "" else value for value in row)
                for row in sheet.to_python(skip_empty_area=False)
            ]
            if self.kind == "ods":
                merges = ods_merges.get(name, [])
            else:
                merges = [
                    (start[1] + 1, start[0] + 1, end[1] + 1, end[0] + 1)
                    for start, end in (sheet.merged_cell_ranges or [])
                ]
            yield _Sheet(name, rows, merges)

    def close(self) -> None:
        self.book.close()


# The elements of an .ods table that place its cells, as LibreOffice writes them: a table and
# its name, a row (and how many times it repeats), its end, and a cell or a covered cell.
_ODS_ELEMENT = re.compile(
    rb"<table:table\s[^>]*?table:name=\"([^\"]*)\"|<table:table-row\b([^>]*)>"
    rb"|</table:table-row>|<table:(?:covered-)?table-cell\b([^>]*)>"
)
_ODS_NUMBER = {
    name: re.compile(rb"table:number-" + name + rb"=\"(\d+)\"")
    for name in (b"rows-spanned", b"columns-spanned", b"rows-repeated", b"columns-repeated")
}


def _ods_number(attributes: bytes, name: bytes) -> int:
    found = _ODS_NUMBER[name].search(attributes) if b"number-" in attributes else None
    return int(found[1]) if found else 1


def _ods_merges(data: BytesIO) -> dict[str, list[tuple[int, int, int, int]]]:
    """The merged ranges of each table of an .ods (a cell with table:number-rows-spanned or
    -columns-spanned), by the table's name: read from content.xml's text (an XML parse of it
    took ten times calamine's reading of the whole file); repeated rows and cells are
    counted, not built."""
    try:
        with zipfile.ZipFile(data) as archive:
            xml = archive.read("content.xml")
    except (KeyError, ValueError, zipfile.BadZipFile):
        return {}  # calamine read the values; they stand without merges
    if b"-spanned=" not in xml:
        return {}
    merges: dict[str, list] = {}
    table, row, column, repeat = "", 0, 0, 1
    for match in _ODS_ELEMENT.finditer(xml):
        name, row_attributes, cell_attributes = match.groups()
        if name is not None:
            table, row = name.decode("utf-8", "replace"), 0
            merges.setdefault(table, [])
        elif row_attributes is not None:
            column = 0
            repeat = _ods_number(row_attributes, b"rows-repeated")
            if row_attributes.endswith(b"/"):
                row += repeat
        elif cell_attributes is not None:
            rows = _ods_number(cell_attributes, b"rows-spanned")
            columns = _ods_number(cell_attributes, b"columns-spanned")
            if (rows > 1 or columns > 1) and not match[0].startswith(b"<table:covered"):
                merges[table].append((column + 1, row + 1, column + columns, row + rows))
            column += _ods_number(cell_attributes, b"columns-repeated")
        else:  # the row's end
            row += repeat
    return merges


def _open_workbook(fileobj, result: ImportResult):
    """The workbook (an _XlsxBook or a _CalamineBook), or None with the problem recorded:
    checked by size and content first — an .xlsx or an .ods is a zip, an .xls an OLE2 file,
    and anything else (a .csv) is refused."""
    data = upload_bytes(
        fileobj,
        result.problem,
        max_mb=MAX_MB,
        too_large=_("The file is larger than %(mb)s MB, the largest workbook the import accepts.")
        % {"mb": MAX_MB},
    )
    if data is None:
        return None
    if starts_with(data, OLE2_SIGNATURE):
        try:
            return _CalamineBook(data, "xls")
        except Exception:  # noqa: BLE001 - calamine's errors: an encrypted or broken file
            result.problem(
                _(
                    "The file is a password-protected workbook, or a damaged Excel 97–2003 "
                    ".xls file. Remove the password, or save it again as .xlsx, and upload it "
                    "again."
                )
            )
            return None
    if not starts_with(data, ZIP_SIGNATURE):
        result.problem(_not_a_workbook())
        return None
    archive = open_archive(data, result.problem, unpacked_mb=MAX_UNPACKED_MB)
    if archive is None:
        return None
    if not archive.intact:
        result.problem(_damaged())
        return None
    names, mimetype = archive.names, archive.mimetype
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif mimetype.strip() == ODS_MIMETYPE or (not mimetype and "content.xml" in names):
        kind = "ods"
    else:
        result.problem(_not_a_workbook())
        return None
    try:
        return _XlsxBook(data) if kind == "xlsx" else _CalamineBook(data, kind)
    except Exception:  # noqa: BLE001 - openpyxl and calamine raise many kinds on a broken part
        result.problem(_damaged())
        return None


def _sheet_path(archive: zipfile.ZipFile, title: str) -> str | None:
    """The part of the archive that holds the worksheet called `title`."""
    workbook = fromstring(archive.read("xl/workbook.xml"))
    relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in relations.iter(f"{_PKG}Relationship")}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == title:
            target = targets.get(sheet.get(f"{_REL}id"), "")
            if target.startswith("/"):
                return target[1:]
            return posixpath.normpath(posixpath.join("xl", target))
    return None


_MERGE_ELEMENT = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']([A-Za-z0-9:$]+)[\"']")


@dataclass
class _SheetXml:
    """What a read-only reading of a sheet does not give: its merged ranges, as (min_col,
    min_row, max_col, max_row) from 1, and whether its XML holds any formula."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    has_formulas: bool = False
    path: str | None = None


def _sheet_xml(data: BytesIO, title: str) -> _SheetXml:
    """The merged ranges and the presence of formulas of the sheet `title`, from its XML (read
    once; a merged range is a `<mergeCell ref="A1:B2"/>` after the cells)."""
    try:
        with zipfile.ZipFile(data) as archive:
            path = _sheet_path(archive, title)
            if path is None or path not in archive.namelist():
                return _SheetXml()
            xml = archive.read(path)
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
        return _SheetXml()  # openpyxl read the sheet; what it read stands
    merges = []
    first = xml.find(b"mergeCell")  # the ranges follow the cells: skip to them
    for match in _MERGE_ELEMENT.finditer(xml, max(first - 20, 0)) if first >= 0 else ():
        try:
            bounds = range_boundaries(match[1].decode("ascii"))
        except (TypeError, ValueError):
            continue
        if None not in bounds:
            merges.append(bounds)
    # No "<f" nor ":f" anywhere is the usual case, told without the slower pattern.
    formulas = (b"<f" in xml or b":f" in xml) and bool(_FORMULA_ELEMENT.search(xml))
    return _SheetXml(merges, formulas, path)


def _unsaved_formulas(data: BytesIO, path: str) -> set[tuple[int, int]]:
    """(row, column), from 1, of the cells of the sheet at `path` that hold a formula saved
    without its value (a tool that does not calculate wrote the file). Reading values only,
    such a cell looks empty; the sheet's XML tells it from an empty cell, and from a formula
    whose saved value is an empty text (t="str")."""
    try:
        with zipfile.ZipFile(data) as archive:
            found: set[tuple[int, int]] = set()
            row = column = 0
            with archive.open(path) as xml:
                for event, element in iterparse(xml, events=("start", "end")):
                    if event == "start":
                        if element.tag == f"{_MAIN}row":
                            row = int(element.get("r") or row + 1)
                            column = 0
                        continue
                    if element.tag == f"{_MAIN}c":
                        reference = element.get("r")
                        column = coordinate_to_tuple(reference)[1] if reference else column + 1
                        value = element.find(f"{_MAIN}v")
                        if (
                            element.find(f"{_MAIN}f") is not None
                            and element.get("t") != "str"
                            and (value is None or not value.text)
                        ):
                            found.add((row, column))
                        element.clear()
            return found
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
        return set()  # openpyxl read the sheet; what it read stands


def _rows(sheet) -> list[tuple]:
    """The sheet's values row by row (row r at index r - 1), each row as long as its last
    cell: read as the cells come, whatever size the sheet's XML declares."""
    sheet.reset_dimensions()  # a declared size that is too small would cut the sheet
    return list(sheet.iter_rows(values_only=True))


def _grid(
    rows: list[tuple],
    merges: list[tuple[int, int, int, int]],
    formulas: set[tuple[int, int]] = frozenset(),
) -> list[list]:
    """The sheet's values; a merged range's value stands in its first column on every row
    (its other cells are empty). A cell of `formulas` that has no value is an
    UnsavedFormula."""
    grid = [list(row) for row in rows]
    for r, c in formulas:
        if r <= len(grid) and c <= len(grid[r - 1]) and grid[r - 1][c - 1] is None:
            grid[r - 1][c - 1] = UnsavedFormula(r, c)
    for min_col, min_row, max_col, max_row in merges:
        if min_row > len(grid):
            continue
        top = grid[min_row - 1][min_col - 1] if len(grid[min_row - 1]) >= min_col else None
        for r in range(min_row, min(max_row, len(grid)) + 1):
            row = grid[r - 1]
            if len(row) < min_col:
                row.extend([None] * (min_col - len(row)))
            row[min_col - 1] = top
            for c in range(min_col + 1, min(max_col, len(row)) + 1):
                row[c - 1] = None
    return grid


# Words of the Appendix 1 headings that only one language uses: the workbook's language.
_LANGUAGE_WORDS = (
    ("kk", ("атау", "іс-шара", "жауапты", "мерзім", "нысан", "бағдарлама", "орындаушы")),
    ("ru", ("наименование", "мероприят", "ответствен", "срок", "форма", "программ")),
    ("en", ("name", "action", "responsible", "term", "form", "program")),
)


def sheet_language(cells) -> str | None:
    """The language the header row is written in (kk, ru or en), or None if it cannot tell."""
    text = " ".join(_norm(_cell_text(cell)) for cell in cells)
    scores = {language: sum(word in text for word in words) for language, words in _LANGUAGE_WORDS}
    best = max(scores, key=scores.get)
    tied = [language for language, score in scores.items() if score == scores[best]]
    return best if scores[best] and len(tied) == 1 else None


def _find_header(grid: list[list]) -> tuple[int, dict[int, str], int]:
    """(row index, column → field, fields recognised) of the likeliest header row."""
    best = (-1, {}, 0)
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = {c: heading_field(v) for c, v in enumerate(row) if _cell_text(v)}
        known = {f for f in columns.values() if f}
        if len(known) > best[2] and "name" in known:
            best = (index, columns, len(known))
    return best


@dataclass
class _Reading:
    """What one cell of an action says: the action's attributes it sets, and its problems
    (True) and warnings (False), each reported at the cell."""

    fields: list[tuple[str, object]] = field(default_factory=list)
    notes: list[tuple[bool, str]] = field(default_factory=list)

    def problem(self, message: str) -> None:
        self.notes.append((True, message))

    def warn(self, message: str) -> None:
        self.notes.append((False, message))


class _Reader:
    """Reads one sheet's rows after the header into `result`."""

    def __init__(self, plan: OperationalPlan, result: ImportResult):
        self.plan = plan
        self.result = result
        self.tree = development_plan_tree(plan.development_plan)
        self.directions = {d.number: d for d in self.tree}
        self.goals = {g.code: g for d in self.tree for g in d.goals.all()}
        self.tasks = list(RegulationTask.objects.filter(body=plan.body_id))
        self.new_tasks: dict[int, NewTask] = {}
        self.units = self._unit_index()
        self.programs = list(BudgetProgram.objects.filter(body=plan.body_id))
        self.forms = self._form_index()
        # Where the reader is in the plan's tree.
        self.section = 1
        self.direction: StrategicDirection | None = None
        self.goal: Goal | None = None
        self.anchor: Indicator | RegulationTask | NewTask | None = None
        self.anchor_failed = False  # the heading above was a problem: its actions are skipped
        self.unsaved: set[UnsavedFormula] = set()  # formulas without a value, reported
        self.heading_text = ""  # the name the last heading row wrote
        self.readings: dict[tuple, _Reading] = {}  # (field, type, value) → what it says
        self.under_table = False  # the signature block or the notes began

    def _unit_index(self) -> dict[str, list[Unit]]:
        index: dict[str, list[Unit]] = {}
        for unit in Unit.objects.filter(body=self.plan.body_id):
            # a unit by its name or short name in any language it has, or by its code
            names = texts_of(unit, "name", "short_name").values()
            for key in ({_norm(name) for name in names if name} | {_norm(unit.code)}) - {""}:
                index.setdefault(key, []).append(unit)
        return index

    def _form_index(self) -> dict[str, CompletionForm]:
        index: dict[str, CompletionForm] = {}
        forms = list(
            CompletionForm.objects.filter(Q(body=self.plan.body_id) | Q(body__isnull=True))
        )
        for form in forms:
            if form.body_id is None:
                index.setdefault(_norm(form.name), form)
                for language in ("ru", "kk", "en"):
                    with translation.override(language):
                        index.setdefault(_norm(_(form.name)), form)
        for form in forms:  # a body's own form wins over a shared one with the same name
            if form.body_id is not None:
                for name in texts_of(form, "name").values():
                    if name:
                        index[_norm(name)] = form
        return index

    # -- rows --

    def read(self, grid: list[list], header_index: int, columns: dict[int, str]) -> None:
        field_column = {f: c for c, f in columns.items()}
        header = {_norm(v) for v in grid[header_index]} - {""}
        for index in range(header_index + 1, len(grid)):
            raw = grid[index]
            row = index + 1
            cells = [_cell_text(v) for v in raw]
            texts = [(c, t) for c, t in enumerate(cells) if t]
            if not texts:
                _report_unsaved(self.result, raw, self.unsaved)  # a row of formulas only
                continue
            if self._is_number_row(texts):
                continue
            if all(_norm(t) in header for _c, t in texts):
                continue  # the header again (merged down, or repeated on a new page)
            values = {f: raw[c] if c < len(raw) else None for f, c in field_column.items()}
            # A formula without its value stands for a filled cell: the row is an action.
            filled = [
                f
                for f in ACTION_FIELDS
                if f in field_column
                and field_column[f] < len(cells)
                and (cells[field_column[f]] or isinstance(values[f], UnsavedFormula))
            ]
            distinct = list(dict.fromkeys(t for _c, t in texts))
            if self._under_table(row, texts, distinct, values, filled):
                continue
            if len(distinct) == 1 or not filled:
                text = distinct[0] if len(distinct) == 1 else _cell_text(values.get("name"))
                _report_unsaved(self.result, raw, self.unsaved)
                if self._heading(text, row, texts[0][0]):
                    continue
                numbered = re.fullmatch(r"\d+[.)]?", _cell_text(values.get("number")))
                if not filled and not numbered:
                    self.result.problem(
                        _(
                            "“%(text)s” is neither a heading the import knows (strategic "
                            "direction, macro indicator, goal, target indicator, task) nor an "
                            "action (an action has its No, executor and term)."
                        )
                        % {"text": (text or distinct[0])[:200]},
                        row,
                        get_column_letter(texts[0][0] + 1),
                    )
                    continue
            _report_unsaved(self.result, raw, self.unsaved)
            self._action(row, values, field_column)

    def _under_table(self, row: int, texts, distinct: list[str], values, filled) -> bool:
        """Whether the row belongs to what stands under the table — the signature block, the
        notes and footnotes — and if so keep what it says. Everything after its first row
        belongs to it; an action there is a problem (nothing is dropped unsaid)."""
        first = distinct[0]
        numbered = bool(re.fullmatch(r"\d+(?:\.\d+)*[.)]?", _cell_text(values.get("number"))))
        if not self.under_table:
            starts = (
                _SIGNATORY.search(first.strip(" :"))
                or _NOTE.match(first)
                or (_is_footer(first) and not filled)
            )
            if not starts or numbered or len(filled) >= 2 or _heading_of(first):
                return False
            if not any(isinstance(r, ImportedAction) for r in self.result.rows):
                # above the first action: a note there is kept, and the table goes on
                if _NOTE.match(first):
                    self.result.notes.append(" ".join(distinct)[:2000])
                    return True
                return False
            self.under_table = True
        if numbered and len(filled) >= 2:
            self.result.problem(
                _(
                    "An action stands below the signature block or the notes under the table; "
                    "move it into the table."
                ),
                row,
                get_column_letter(texts[0][0] + 1),
            )
            return True
        result = self.result
        signed = [t for t in distinct if not _is_caption(t)]
        if _NOTE.match(first):
            result.notes.append(" ".join(t for t in distinct)[:2000])
        elif len(distinct) == 1 and _is_footer(first):
            pass  # the form's own title of the block ("Head of the structural unit …")
        elif (
            not result.signatory_position
            and signed
            and (_SIGNATORY.search(signed[0].strip(" :")) or len(signed) >= 2)
        ):
            result.signatory_position = " ".join(signed[0].split())[:500]
            names = [name for name in map(_signed_name, signed[1:]) if name]
            if names:
                result.signatory_name = names[-1][:255]
        elif (
            result.signatory_position
            and not result.signatory_name
            and len(distinct) == 1
            and _PERSON.match(_signed_name(first))
        ):
            result.signatory_name = _signed_name(first)[:255]  # the name under the position
        elif not all(_is_caption(t) or _is_footer(t) for t in distinct):
            result.notes.append(" ".join(distinct)[:2000])
        return True

    @staticmethod
    def _is_number_row(texts: list[tuple[int, str]]) -> bool:
        numbers = [t for _c, t in texts]
        return len(numbers) >= 3 and numbers == [str(n) for n in range(1, len(numbers) + 1)]

    def _heading(self, text: str, row: int, column: int) -> bool:
        letter = get_column_letter(column + 1)
        if _ACTIONS_ROW.fullmatch(text.strip(" :.")):
            return True
        section = _SECTION.match(text)
        if section and not _heading_of(text):
            self.section = 2 if (section["a"] or section["r"]).lower() in ("ii", "2") else 1
            self.result.rows.append(Heading("section", row, self.section))
            self.direction = self.goal = self.anchor = None
            self.anchor_failed = False
            return True
        found = _heading_of(text)
        if found is None:
            if self.section == 2:
                task = self._task_by_name(text)
                if task is not None:
                    self.heading_text = text
                    self._set_task(task, row)
                    return True
            return False
        kind, number, name = found
        self.heading_text = name
        self.anchor_failed = False
        if kind == "direction":
            self.direction = self._match(
                self.directions,
                list(self.directions.values()),
                number,
                name,
                row,
                letter,
                _("strategic direction"),
            )
            self.goal = self.anchor = None
            self._heading_row("direction", row, self.direction)
        elif kind == "goal":
            self.goal = self._match(
                self.goals, list(self.goals.values()), number, name, row, letter, _("goal")
            )
            if self.goal is not None:
                self.direction = self.goal.direction
            self.anchor = None
            self._heading_row("goal", row, self.goal)
        elif kind in ("macro", "target"):
            self._indicator(kind, number, name, row, letter)
        else:
            self._task(number, name, row, letter)
        return True

    def _heading_row(self, kind: str, row: int, obj) -> None:
        if obj is None:
            self.anchor_failed = True
        else:
            self.result.rows.append(Heading(kind, row, obj, text=self.heading_text))

    def _indicator(self, kind: str, number: str, name: str, row: int, letter: str) -> None:
        if self.section != 1:
            self.result.problem(_("An indicator cannot stand in section II."), row, letter)
            self.anchor, self.anchor_failed = None, True
            return
        parent = self.direction if kind == "macro" else self.goal
        if parent is None:
            above = _("a strategic direction") if kind == "macro" else _("a goal")
            self.result.problem(
                _("The indicator has no %(above)s above it.") % {"above": above}, row, letter
            )
            self.anchor, self.anchor_failed = None, True
            return
        siblings = list(
            parent.macro_indicators.all() if kind == "macro" else parent.target_indicators.all()
        )
        what = _("macro indicator") if kind == "macro" else _("target indicator")
        self.anchor = self._match(
            {i.number: i for i in siblings}, siblings, number, name, row, letter, what, parent
        )
        self._heading_row(kind, row, self.anchor)

    def _match(
        self,
        by_number: dict,
        candidates: list,
        number: str,
        name: str,
        row,
        letter,
        what: str,
        parent=None,
    ):
        """By number (its name should agree), else by name; else a problem."""
        key = number if "." in number else (int(number) if number else None)
        found = by_number.get(key) if key is not None else None
        if found is not None:
            if name and not _named(found, name):
                self.result.warn(
                    _(
                        "%(what)s %(number)s is “%(expected)s” in the development plan; the sheet "
                        "says “%(given)s”. Matched by the number."
                    )
                    % {
                        "what": what.capitalize(),
                        "number": number,
                        "expected": found.name,
                        "given": name,
                    },
                    row,
                    letter,
                )
            return found
        by_name = [c for c in candidates if name and _named(c, name)]
        if len(by_name) == 1:
            return by_name[0]
        where = _(" under “%(parent)s”") % {"parent": parent} if parent is not None else ""
        self.result.problem(
            _("The development plan has no %(what)s “%(text)s”%(where)s.")
            % {"what": what, "text": f"{number} {name}".strip(), "where": where},
            row,
            letter,
        )
        return None

    # -- section II --

    def _task_by_name(self, name: str) -> RegulationTask | None:
        found = [t for t in self.tasks if _named(t, name)]
        return found[0] if len(found) == 1 else None

    def _set_task(self, task, row: int, new: bool = False) -> None:
        self.anchor, self.anchor_failed = task, False
        self.result.rows.append(Heading("task", row, task, new=new, text=self.heading_text))

    def _task(self, number: str, name: str, row: int, letter: str) -> None:
        if self.section != 2:
            self.result.problem(_("A task from the regulation belongs in section II."), row, letter)
            self.anchor, self.anchor_failed = None, True
            return
        if number:
            task = next((t for t in self.tasks if t.number == int(number)), None)
            if task is not None:
                if name and not _named(task, name):
                    self.result.warn(
                        _(
                            "Task %(number)s is “%(expected)s” in the body's list; the sheet says "
                            "“%(given)s”. Matched by the number."
                        )
                        % {"number": number, "expected": task.name, "given": name},
                        row,
                        letter,
                    )
                self._set_task(task, row)
                return
            same_name = self._task_by_name(name) if name else None
            if same_name is not None:
                self.result.warn(
                    _("The body's task “%(name)s” has the number %(number)s. Matched by the name.")
                    % {"name": same_name.name, "number": same_name.number},
                    row,
                    letter,
                )
                self._set_task(same_name, row)
                return
            if name:
                try:  # the number must fit the task's field, as task_create will check
                    RegulationTask._meta.get_field("number").run_validators(int(number))
                except ValidationError as error:
                    self.result.problem(" ".join(error.messages), row, letter)
                    self.anchor, self.anchor_failed = None, True
                    return
                new = self.new_tasks.setdefault(int(number), NewTask(int(number), name[:1000]))
                self._set_task(new, row, new=True)
                return
        task = self._task_by_name(name) if name else None
        if task is None:
            self.result.problem(
                _(
                    "The body has no task from the regulation “%(text)s”; write it as "
                    "“Task N. name” to add it."
                )
                % {"text": f"{number} {name}".strip()},
                row,
                letter,
            )
            self.anchor, self.anchor_failed = None, True
            return
        self._set_task(task, row)

    # -- actions --

    def _action(self, row: int, values: dict, field_column: dict[str, int]) -> None:
        def letter(name: str) -> str:
            return get_column_letter(field_column[name] + 1) if name in field_column else ""

        action = ImportedAction(
            row=row,
            name=_cell_text(values.get("name")),
            number=_cell_text(values.get("number")),
        )
        if not action.name and not isinstance(values.get("name"), UnsavedFormula):
            self.result.problem(_("The action has no name."), row, letter("name"))
        action.section = self.section
        if self.anchor is None:
            # Section II's actions may stand under the section's heading itself (the Rules'
            # form has no task rows); section I's need their indicator.
            if not self.anchor_failed and self.section == 1:
                self.result.problem(
                    _("The action has no heading above it: it must stand under %(where)s.")
                    % {"where": _("a macro indicator or a target indicator")},
                    row,
                    letter("name"),
                )
        elif isinstance(self.anchor, Indicator):
            action.indicator = self.anchor
        else:
            action.task = self.anchor
        for name in ACTION_FIELDS:
            reading = self._reading(name, values.get(name))
            for attribute, value in reading.fields:
                setattr(action, attribute, list(value) if isinstance(value, list) else value)
            for is_problem, message in reading.notes:
                note = self.result.problem if is_problem else self.result.warn
                note(message, row, letter(name))
        self.result.rows.append(action)

    def _reading(self, name: str, value) -> _Reading:
        """What the cell `value` of the action's field `name` says, read once for each value
        the sheet holds (a plan repeats its executors, terms, forms and codes)."""
        key = (name, type(value), value)
        reading = self.readings.get(key)
        if reading is None:
            reading = self.readings[key] = getattr(self, f"_read_{name}")(value)
        return reading

    def _read_budget(self, value) -> _Reading:
        reading = _Reading()
        found: list[BudgetProgram] = []
        for token in re.split(r"[,;\s]+", _cell_text(value)):
            token = token.strip(" .")
            if not token or token in ("-", "—"):
                continue
            matches = [
                p
                for p in self.programs
                if p.code == token or (token.isdigit() and p.code.lstrip("0") == token.lstrip("0"))
            ]
            if matches:
                if matches[0] not in found:
                    found.append(matches[0])
            else:
                reading.problem(
                    _("“%(code)s” is not a budget program code of the body.") % {"code": token}
                )
        reading.fields.append(("budget_programs", found))
        return reading

    def _units_in(self, line: str) -> list[tuple[str, Unit | None]]:
        """The units a line names: the whole line, else its parts between commas/semicolons."""
        line = _AS_AGREED.sub("", line).strip(" ,;")
        if not line:
            return []
        whole = self.units.get(_norm(line))
        if whole and len(whole) == 1:
            return [(line, whole[0])]
        parts = [p for p in re.split(r"[,;]", line) if p.strip()]
        if len(parts) == 1:
            return [(line, None)]
        return [item for part in parts for item in self._units_in(part)]

    def _read_executor(self, value) -> _Reading:
        reading = _Reading()
        text = _cell_text(value)
        if isinstance(value, UnsavedFormula):
            return reading  # reported as such
        if not text:
            reading.warn(
                _(
                    "The action has no responsible executor; the completeness check will ask "
                    "for one."
                )
            )
            return reading
        named: list[Unit] = []
        for line in text.splitlines():
            line = _CO_MARKER.sub("", line.strip())
            for written, unit in self._units_in(line):
                if unit is None:
                    ambiguous = len(self.units.get(_norm(written), [])) > 1
                    message = (
                        _("“%(text)s” names more than one unit of the body; write its code.")
                        if ambiguous
                        else _(
                            "No unit of the body is called “%(text)s” (by name, short name "
                            "or code)."
                        )
                    )
                    reading.problem(message % {"text": written})
                elif unit in named:
                    if unit == named[0]:
                        reading.problem(
                            _(
                                "%(unit)s is the responsible executor and cannot also be a "
                                "co-executor."
                            )
                            % {"unit": unit}
                        )
                else:
                    named.append(unit)
        if named:
            reading.fields += [("lead_unit", named[0]), ("co_executors", named[1:])]
        return reading

    def _read_term(self, value) -> _Reading:
        reading = _Reading()
        year = self.plan.year
        if isinstance(value, UnsavedFormula):
            return reading  # reported as such
        try:
            if isinstance(value, dt.datetime | dt.date):
                day = value.date() if isinstance(value, dt.datetime) else value
                term = Term("date", date=day)
            else:
                term = parse_term(_cell_text(value), year=year)
        except TermParseError as error:
            reading.problem(str(error))
            return reading
        reading.fields.append(("term", term))
        if term is None:
            reading.warn(
                _("The action has no term of execution; the completeness check will ask for one.")
            )
            return reading
        for message in term.problems(year).values():
            reading.problem(message)
        return reading

    def _read_form(self, value) -> _Reading:
        reading = _Reading()
        text = " ".join(_cell_text(value).split())
        if not text or text in ("-", "—"):
            return reading
        form = self.forms.get(_norm(text))
        if form is not None:
            reading.fields.append(("completion_form", form))
        elif len(text) > 500:
            reading.problem(_("The form of completion is longer than 500 characters."))
        else:
            reading.fields.append(("completion_text", text))
        return reading


def parse_plan_xlsx(fileobj, *, plan: OperationalPlan) -> ImportResult:
    """What importing `fileobj` into `plan` would create, and every problem. Writes nothing."""
    result = ImportResult(plan_id=plan.pk)
    book = _open_workbook(fileobj, result)
    if book is None:
        return result
    candidates = []
    try:
        for sheet in book.sheets():
            grid = _grid(sheet.rows, sheet.merges)
            index, columns, known = _find_header(grid)
            candidates.append((known, sheet, grid, index, columns))
            if known >= len(REQUIRED):
                break
    except Exception:  # noqa: BLE001 - a read-only sheet is parsed as it is iterated
        result.problem(_damaged())
        return result
    finally:
        book.close()
    known, sheet, grid, index, columns = max(candidates, key=lambda c: c[0], default=(0,) * 5)
    result.sheet = sheet.title if sheet else ""
    formulas = sheet.unsaved() if known and sheet.has_formulas else set()
    if formulas:
        grid = _grid(sheet.rows, sheet.merges, formulas)
        _report_unsaved(result, grid[index])
    if not known:
        result.problem(
            _(
                "No row of headings was found: the import looks in the first %(rows)s rows of "
                "each sheet for the Appendix 1 headings — No, Name, Code of budget program, "
                "Responsible executor, Term of execution, Form of completion (in English, "
                "Russian or Kazakh)."
            )
            % {"rows": HEADER_SEARCH_ROWS}
        )
        return result
    result.header_row = index + 1
    result.language = sheet_language(grid[index]) or ""
    fields = [f for f in columns.values() if f]
    for column, name in columns.items():
        letter = get_column_letter(column + 1)
        if name is None:
            result.problem(
                _("Unknown heading “%(text)s”: the import expects the Appendix 1 headings.")
                % {"text": _cell_text(grid[index][column])[:100]},
                index + 1,
                letter,
            )
        elif fields.count(name) > 1:
            result.problem(_("A second column with this heading."), index + 1, letter)
    for name in REQUIRED:
        if name not in fields:
            result.problem(
                _("There is no “%(heading)s” column.")
                % {"heading": dict(zip(FIELDS, plan_headings(), strict=True))[name]},
                index + 1,
            )
    if result.problems:
        return result
    # Each field once: a duplicate was reported above.
    unique = {}
    for column, name in columns.items():
        unique.setdefault(name, column)
    result.columns = {
        name: get_column_letter(column + 1) for name, column in unique.items() if name
    }
    _Reader(plan, result).read(grid, index, {c: f for f, c in unique.items() if f})
    if result.ok and not result.actions:
        result.problem(_("The sheet has no actions to import."))
    return result


def _report_unsaved(result: ImportResult, cells, reported: set | None = None) -> None:
    """A problem for each cell of `cells` that holds a formula without its value (once for a
    cell merged over several rows, at the cell itself)."""
    for value in cells:
        if isinstance(value, UnsavedFormula) and value not in (reported or ()):
            if reported is not None:
                reported.add(value)
            result.problem(
                _(
                    "The cell holds a formula with no saved value; open the file in Excel or "
                    "LibreOffice and save it again, or type the text."
                ),
                value.row,
                get_column_letter(value.column),
            )


# --- the import itself ---------------------------------------------------------------------


def import_refusal(plan: OperationalPlan, *, replace: bool) -> str | None:
    """Why `plan_import` refuses `plan` whatever the file holds, or None: a plan that is not a
    draft (or returned), or one that has actions while they are not to be replaced."""
    if not plan.is_editable:
        return _("The plan is %(status)s and cannot be changed.") % {
            "status": plan.get_status_display()
        }
    if not replace:
        count = plan.actions.filter(removed=False).count()
        if count:
            return _(
                "The plan already has %(count)s actions. Import into a plan without actions, "
                "or choose to replace them."
            ) % {"count": count}
    return None


def plan_import_check(result: ImportResult, *, plan: OperationalPlan, replace: bool) -> str | None:
    """Put first among the problems of `result` what `plan_import` would refuse in `plan`
    (and return it), so that a dry run says what the import would say."""
    refusal = import_refusal(plan, replace=replace)
    if refusal:
        result.problems.insert(0, Problem(refusal))
    return refusal


@transaction.atomic
def plan_import(
    *, actor, plan: OperationalPlan, result: ImportResult, replace: bool = False
) -> list[Action]:
    """Create what `result` read through the plan's services, all or nothing, at once: the
    new tasks with tasks_create, the actions with actions_create (a fixed number of SQL
    statements however many rows the sheet has).

    The plan must be editable and the result free of problems. A plan that already has actions
    takes an import only with `replace`, which first deletes them with actions_delete (an
    action an approved revision holds is marked removed, as a deletion always does).
    """
    require(actor, Perm.EDIT_PLAN, plan)
    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    refusal = import_refusal(plan, replace=replace)
    if refusal:
        raise ValidationError(refusal)
    if result.plan_id != plan.pk:
        raise ValidationError(_("The file was read for another plan; upload it again."))
    if result.problems:
        raise ValidationError([str(problem) for problem in result.problems])
    if replace:
        plans.actions_delete(actor=actor, plan=plan, actions=plan.actions.filter(removed=False))
    new_tasks = result.new_tasks
    try:
        created_tasks = plans.tasks_create(
            actor=actor,
            body=plan.body,
            tasks=[
                (new.number, {localized("name", result.language): new.name})
                if result.language
                else (new.number, new.name)
                for new in new_tasks
            ],
        )
    except ValidationError as error:
        raise ValidationError(_row_errors(error, [None] * len(new_tasks))) from None
    tasks = {task.number: task for task in created_tasks}
    items = result.actions
    under_table = {
        name: value
        for name, value in (
            ("signatory_position", result.signatory_position),
            ("signatory_name", result.signatory_name),
            ("notes", "\n".join(result.notes)),
        )
        if value
    }
    if under_table:  # what the sheet says under the table; a sheet without it keeps the plan's
        plans.plan_update(actor=actor, plan=plan, **under_table)
    term_text = localized("term_text", result.language) if result.language else "term_text"
    # the texts go into the workbook's language (else the page's)
    name = localized("name", result.language) if result.language else "name"
    completion = (
        localized("completion_text", result.language) if result.language else ("completion_text")
    )
    try:
        return plans.actions_create(
            actor=actor,
            plan=plan,
            actions=[
                {
                    "indicator": item.indicator,
                    "task": tasks[item.task.number]
                    if isinstance(item.task, NewTask)
                    else item.task,
                    name: item.name,
                    "budget_programs": item.budget_programs,
                    "lead_unit": item.lead_unit,
                    "co_executors": item.co_executors,
                    **_term_fields(item.term, term_text),
                    "completion_form": item.completion_form,
                    completion: item.completion_text,
                }
                for item in items
            ],
        )
    except ValidationError as error:
        raise ValidationError(_row_errors(error, [item.row for item in items])) from None


def _term_fields(term: Term | None, text_field: str) -> dict:
    """The term's fields, its text as written (an ongoing term's) in the workbook's language."""
    values = term_values(term)
    values[text_field] = values.pop("term_text")
    return values


# --- a translation of the plan ------------------------------------------------------------

# What a translation of the plan gives: the texts of its actions in the workbook's language.
TRANSLATED_FIELDS = ("name", "completion_text")


def translation_pairs(result: ImportResult, plan: OperationalPlan, language: str) -> list[tuple]:
    """Pair each action the sheet lists with the plan's action of the same number (the sheet's
    column 1, else its place in the sheet) standing under the same heading, as (action, what
    the sheet says); each one that does not pair is a problem of its row, as is an action of
    the plan the sheet lacks. What the sheet says of executors, terms and budget programs is
    the plan's already: a translation neither reads nor checks it."""
    letters = result.columns
    ignored = {letters[name] for name in ACTION_FIELDS if name in letters}
    result.problems = [p for p in result.problems if p.column not in ignored]
    ours = [row for row in plan_layout(plan, live=True) if row.kind == "action"]
    by_number = {row.number: row.obj for row in ours}
    pairs, seen = [], set()
    for place, item in enumerate(result.actions, start=1):
        written = item.number.strip().rstrip(".")
        number = int(written) if written.isdigit() else place
        action = by_number.get(number)
        column = letters.get("number", letters.get("name", ""))
        if action is None or number in seen:
            result.problem(
                _("The plan has no action %(number)s to translate.") % {"number": number},
                item.row,
                column,
            )
            continue
        seen.add(number)
        task = item.task if isinstance(item.task, RegulationTask) else None
        if (action.indicator_id, action.task_id) != (
            item.indicator.pk if item.indicator else None,
            task.pk if task else None,
        ):
            result.problem(
                _(
                    "Action %(number)s stands under “%(plan)s” in the plan and under another "
                    "heading in the sheet: the sheet is not a translation of this plan."
                )
                % {"number": number, "plan": action.indicator or action.task},
                item.row,
                column,
            )
            continue
        pairs.append((action, item))
    for row in ours:
        if row.number not in seen:
            result.problem(
                _("Action %(number)s of the plan is not in the sheet.") % {"number": row.number}
            )
    if language not in HELD:
        result.problem(
            _("Choose the language of the workbook: %(choices)s.") % {"choices": ", ".join(HELD)}
        )
    return pairs


@transaction.atomic
def plan_translate(
    *, actor, plan: OperationalPlan, result: ImportResult, language: str
) -> list[Action]:
    """Fill the texts of the plan's actions in `language` from a workbook of the plan in that
    language (the plan's export in the other language, translated), all or nothing."""
    require(actor, Perm.EDIT_PLAN, plan)
    refusal = import_refusal(plan, replace=True)
    if refusal:
        raise ValidationError(refusal)
    if result.plan_id != plan.pk:
        raise ValidationError(_("The file was read for another plan; upload it again."))
    pairs = translation_pairs(result, plan, language)
    if result.problems:
        raise ValidationError([str(problem) for problem in result.problems])
    _translate_headings(actor, result, language)
    texts = {}
    for action, item in pairs:
        if _untranslated(action, item.name, language):
            continue  # the sheet printed the other language's name: not translated yet
        texts[action.pk] = {localized("name", language): item.name}
        if action.completion_text:  # a free text (a listed form is worded by the interface)
            texts[action.pk][localized("completion_text", language)] = item.completion_display
    try:
        return plans.actions_translate(actor=actor, plan=plan, texts=texts)
    except ValidationError as error:
        raise ValidationError(_row_errors(error, [item.row for _a, item in pairs])) from None


def _untranslated(obj, text: str, language: str) -> bool:
    """Whether `text` is the object's name in another language: the sheet printed it where
    the language lacked one (a form falls back), so it is no translation."""
    wanted = _norm(text)
    return any(
        _norm(getattr(obj, localized("name", other), None) or "") == wanted
        for other in HELD
        if other != language
    )


def heading_translations(result: ImportResult, language: str) -> list[tuple[object, str]]:
    """The headings of the development plan and the regulation whose name in `language` the
    sheet gives and they do not have yet (or have otherwise): (the heading, its name there)."""
    found = {}
    for row in result.rows:
        if not isinstance(row, Heading) or row.new or row.kind == "section" or not row.text:
            continue
        current = getattr(row.obj, localized("name", language), None) or ""
        if _norm(current) != _norm(row.text) and not _untranslated(row.obj, row.text, language):
            found[(type(row.obj), row.obj.pk)] = (row.obj, row.text[:1000])
    return list(found.values())


def _translate_headings(actor, result: ImportResult, language: str) -> None:
    """Write the headings' names in `language` through their services (history, versions)."""
    from jospar.strategy import services as strategy

    update = {
        StrategicDirection: lambda obj, **f: strategy.direction_update(
            actor=actor, direction=obj, **f
        ),
        Goal: lambda obj, **f: strategy.goal_update(actor=actor, goal=obj, **f),
        Indicator: lambda obj, **f: strategy.indicator_update(actor=actor, indicator=obj, **f),
        RegulationTask: lambda obj, **f: plans.task_update(actor=actor, task=obj, **f),
    }
    for obj, text in heading_translations(result, language):
        update[type(obj)](obj, **{localized("name", language): text})


def _row_errors(error: ValidationError, rows: list[int | None]) -> list[str]:
    """The messages of a bulk service's refusal, each prefixed with the row of the sheet it
    concerns (a refusal of the whole import as it is)."""
    if not hasattr(error, "error_dict"):
        return error.messages
    messages = []
    for index, texts in error.message_dict.items():
        message = " ".join(texts)
        row = rows[index] if isinstance(index, int) and index < len(rows) else None
        messages.append(
            _("Row %(row)s: %(message)s") % {"row": row, "message": message} if row else message
        )
    return messages
