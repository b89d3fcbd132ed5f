"""A body's units and people from a spreadsheet: the template the administrator fills, and the
reading of a filled one into what an import would create, update or leave as it is, with every
problem named by sheet, row and column. jospar.orgs.services.org_import writes it.

Two sheets: "Units" (a row per unit: code, names, kind, parent's code, head) and "People" (a
row per role a person holds: e-mail, names, job title, role, unit). Units are matched to the
body's by code, people to users by e-mail; an empty cell leaves what is stored as it is, and
units and people missing from the file are left alone (nothing is deleted)."""

from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jospar.lib.languages import HELD
from jospar.lib.sheets import (
    OLE2_SIGNATURE,
    ZIP_SIGNATURE,
    SheetProblem,
    attributes,
    open_archive,
    problems_dict,
    starts_with,
    upload_bytes,
)
from jospar.lib.xlsx import HEADER_FONT, set_text
from jospar.orgs.models import UNIT_ROLES, Role, RoleAssignment, StateBody, Unit, User
from jospar.orgs.services import split_full_name

MAX_MB = 5  # a body of 1,000 units and 5,000 people is well under 1 MB
MAX_UNPACKED_MB = 50

UNITS_SHEET = gettext_lazy("Units")
PEOPLE_SHEET = gettext_lazy("People")
# (field, heading) of each sheet, in the template's order.
UNIT_COLUMNS = (
    ("code", gettext_lazy("Unit code")),
    ("name_kk", gettext_lazy("Name (Kazakh)")),
    ("name_ru", gettext_lazy("Name (Russian)")),
    ("kind", gettext_lazy("Kind")),
    ("parent", gettext_lazy("Parent unit code")),
    ("head_name", gettext_lazy("Head's full name")),
    ("head_position_kk", gettext_lazy("Head's position (Kazakh)")),
    ("head_position_ru", gettext_lazy("Head's position (Russian)")),
    ("head_email", gettext_lazy("Head's e-mail")),
)
PEOPLE_COLUMNS = (
    ("email", gettext_lazy("E-mail")),
    ("last_name", gettext_lazy("Surname")),
    ("first_name", gettext_lazy("First name")),
    ("patronymic", gettext_lazy("Patronymic")),
    ("position", gettext_lazy("Job title")),
    ("role", gettext_lazy("Role")),
    ("unit", gettext_lazy("Unit code")),
)
UNIT_TEXTS = ("name_kk", "name_ru", "head_name", "head_position_kk", "head_position_ru")
PERSON_TEXTS = ("last_name", "first_name", "patronymic", "position")
IDENTITY = ("last_name", "first_name", "patronymic")


def _norm(value) -> str:
    return " ".join(str(value).replace("’", "'").split()).casefold()


def _in_every_language(text) -> set[str]:
    found = set()
    for language in HELD:
        with translation.override(language):
            found.add(_norm(text))
    return found


def _choices(choices) -> dict[str, str]:
    """Each way a choice may be written (its code, its label in each language) → its code."""
    written = {}
    for code, label in choices:
        written[_norm(code)] = code
        for text in _in_every_language(label):
            written[text] = code
    return written


# --- the template -----------------------------------------------------------------------------


def org_template(body: StateBody) -> bytes:
    """The workbook to fill, in the page's language, holding the body's units and people as
    they are (a new body's is empty): edited and uploaded again, it updates what changed."""
    book = Workbook()
    units_sheet = book.active
    units_sheet.title = str(UNITS_SHEET)
    people_sheet = book.create_sheet(str(PEOPLE_SHEET))
    units = list(body.units.select_related("parent").order_by("order", "code"))
    unit_rows = [
        [
            u.code,
            u.name_kk or "",
            u.name_ru or "",
            u.get_kind_display(),
            u.parent.code if u.parent else "",
            u.head_name,
            u.head_position_kk or "",
            u.head_position_ru or "",
            "",
        ]
        for u in units
    ]
    roles = body.roles.select_related("user", "unit").order_by("user__last_name", "user_id", "role")
    people_rows = [
        [
            a.user.email,
            a.user.last_name,
            a.user.first_name,
            a.user.patronymic,
            a.user.position,
            a.get_role_display(),
            a.unit.code if a.unit else "",
        ]
        for a in roles
        if a.user.email  # a person is matched by e-mail: one without it is not listed
    ]
    _fill(units_sheet, UNIT_COLUMNS, unit_rows)
    _fill(people_sheet, PEOPLE_COLUMNS, people_rows)
    kinds = DataValidation(
        type="list", formula1='"{}"'.format(",".join(str(k.label) for k in Unit.Kind))
    )
    kinds.add("D2:D5000")
    units_sheet.add_data_validation(kinds)
    role_list = DataValidation(
        type="list", formula1='"{}"'.format(",".join(str(r.label) for r in Role))
    )
    role_list.add("F2:F20000")
    people_sheet.add_data_validation(role_list)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet, columns, rows) -> None:
    for col, (_name, heading) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col)
        set_text(cell, str(heading))
        cell.font = HEADER_FONT
        sheet.column_dimensions[get_column_letter(col)].width = 24
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            set_text(sheet.cell(row=r, column=col), value)
    sheet.freeze_panes = "A2"
    sheet.cell(row=1, column=1).font = Font(bold=True)


# --- what a reading finds ---------------------------------------------------------------------


@dataclass
class Change:
    """One unit, person or role as the import would leave it."""

    kind: str  # unit, person, role
    action: str  # create, update, unchanged
    key: str  # a unit's code, a person's e-mail
    label: str
    fields: list[str] = field(default_factory=list)  # the changed fields' names, for an update
    values: dict = field(default_factory=dict)  # what the import writes

    @property
    def field_labels(self) -> list[str]:
        columns = UNIT_COLUMNS if self.kind == "unit" else PEOPLE_COLUMNS
        headings = {name: str(heading) for name, heading in columns}
        headings["position"] = str(PEOPLE_COLUMNS[4][1])
        return [headings.get(name, name) for name in self.fields]

    def as_dict(self) -> dict:
        return attributes(self, "kind", "action", "key", "label", "fields")


@dataclass
class OrgSheet:
    body_id: int
    problems: list[SheetProblem] = field(default_factory=list)
    warnings: list[SheetProblem] = field(default_factory=list)
    units: list[Change] = field(default_factory=list)
    people: list[Change] = field(default_factory=list)
    roles: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, message: str, sheet: str = "", row=None, column: str = "") -> None:
        self.problems.append(SheetProblem(message, sheet, row, column))

    def warn(self, message: str, sheet: str = "", row=None, column: str = "") -> None:
        self.warnings.append(SheetProblem(message, sheet, row, column))

    def counts(self, kind: str) -> dict[str, int]:
        rows = {"unit": self.units, "person": self.people, "role": self.roles}[kind]
        found = {"create": 0, "update": 0, "unchanged": 0}
        for change in rows:
            found[change.action] += 1
        return found

    @property
    def changes(self) -> int:
        """How many units, people and roles the import would create or update."""
        rows = [*self.units, *self.people, *self.roles]
        return sum(1 for change in rows if change.action != "unchanged")

    def summary(self) -> str:
        if not self.changes:
            return _("Nothing changed: the file says what Jospar already holds.")
        units, people, roles = self.counts("unit"), self.counts("person"), self.counts("role")
        return _(
            "Units: %(uc)s new, %(uu)s changed, %(un)s unchanged. People: %(pc)s new, "
            "%(pu)s changed, %(pn)s unchanged. Roles: %(rc)s new."
        ) % {
            "uc": units["create"],
            "uu": units["update"],
            "un": units["unchanged"],
            "pc": people["create"],
            "pu": people["update"],
            "pn": people["unchanged"],
            "rc": roles["create"],
        }

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "summary": self.summary() if self.ok else "",
            "units": self.counts("unit"),
            "people": self.counts("person"),
            "roles": self.counts("role"),
            "changes": [c.as_dict() for c in [*self.units, *self.people, *self.roles]],
            **problems_dict(self),
        }


# --- reading ----------------------------------------------------------------------------------


def open_workbook(fileobj, result: OrgSheet):
    """The workbook (read only, values), or None with the problem recorded: the size and the
    content are checked before anything is unpacked (jospar.lib.sheets)."""
    data = upload_bytes(
        fileobj,
        result.problem,
        max_mb=MAX_MB,
        too_large=_("The file is larger than %(mb)s MB; it is not read.") % {"mb": MAX_MB},
    )
    if data is None:
        return None
    if starts_with(data, OLE2_SIGNATURE):
        result.problem(
            _(
                "The file is a password-protected workbook or an old .xls file. Remove the "
                "password, or save it as an .xlsx workbook, and upload it again."
            )
        )
        return None
    if not starts_with(data, ZIP_SIGNATURE):
        result.problem(
            _("The file is not an .xlsx workbook. Fill in the template and upload it as .xlsx.")
        )
        return None
    archive = open_archive(data, result.problem, unpacked_mb=MAX_UNPACKED_MB)
    if archive is None:
        return None
    damaged = _("The file is damaged: it cannot be opened as an .xlsx workbook.")
    if not archive.intact or "xl/workbook.xml" not in archive.names:
        result.problem(damaged)
        return None
    try:
        return load_workbook(data, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a broken part
        result.problem(damaged)
        return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _sheet_rows(sheet, columns, result: OrgSheet) -> tuple[dict[str, str], list] | None:
    """(field → column letter, [(row number, {field: text})]) of a sheet whose first row holds
    the headings, or None with the problems recorded."""
    title = sheet.title
    known = {}
    for name, heading in columns:
        for text in _in_every_language(heading) | {_norm(name)}:
            known[text] = name
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions: dict[int, str] = {}
    letters: dict[str, str] = {}
    for index, value in enumerate(header):
        text = _text(value)
        if not text:
            continue
        letter = get_column_letter(index + 1)
        name = known.get(_norm(text))
        if name is None:
            result.problem(
                _("The heading “%(text)s” is not one of the template's.") % {"text": text},
                title,
                1,
                letter,
            )
        elif name in letters:
            result.problem(
                _("The column “%(text)s” is also column %(other)s.")
                % {"text": text, "other": letters[name]},
                title,
                1,
                letter,
            )
        else:
            positions[index], letters[name] = name, letter
    missing = [str(heading) for name, heading in columns if name not in letters]
    if missing:
        result.problem(
            _("The sheet has no column %(names)s.")
            % {"names": ", ".join(f"“{m}”" for m in missing)},
            title,
            1,
        )
        return None
    found = []
    for number, values in enumerate(rows, start=2):
        row = {name: _text(values[i]) if i < len(values) else "" for i, name in positions.items()}
        if any(row.values()):
            found.append((number, row))
    return letters, found


def _find_sheets(book, result: OrgSheet):
    """The units sheet and the people sheet: by their names in any language, else the first
    two sheets."""
    by_name = {}
    for sheet in book.worksheets:
        for kind, title in (("units", UNITS_SHEET), ("people", PEOPLE_SHEET)):
            if _norm(sheet.title) in _in_every_language(title):
                by_name.setdefault(kind, sheet)
    sheets = list(book.worksheets)
    units = by_name.get("units") or (sheets[0] if sheets else None)
    people = by_name.get("people") or (
        next((s for s in sheets if s is not units), None) if len(sheets) > 1 else None
    )
    if units is None or people is None:
        result.problem(
            _("The workbook needs two sheets, “%(units)s” and “%(people)s”: use the template.")
            % {"units": UNITS_SHEET, "people": PEOPLE_SHEET}
        )
        return None, None
    return units, people


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def read_org_sheet(fileobj, *, body: StateBody, actor=None) -> OrgSheet:
    """What importing the workbook into `body` would do, or every problem in it. A fixed
    number of queries however many rows; nothing is written."""
    result = OrgSheet(body.pk)
    book = open_workbook(fileobj, result)
    if book is None:
        return result
    try:
        units_sheet, people_sheet = _find_sheets(book, result)
        if units_sheet is None:
            return result
        units = _sheet_rows(units_sheet, UNIT_COLUMNS, result)
        people = _sheet_rows(people_sheet, PEOPLE_COLUMNS, result)
    finally:
        book.close()
    if units is None or people is None:
        return result
    reader = _Reader(body, result, actor)
    reader.units(units_sheet.title, *units)
    reader.people(people_sheet.title, *people)
    if result.ok:
        reader.plan()
    return result


@dataclass
class _Person:
    email: str
    row: int
    values: dict = field(default_factory=dict)
    roles: list = field(default_factory=list)  # (role, unit code or "", sheet, row, letter)
    implied: bool = False  # only named as a unit's head: a new person's names come from there


class _Reader:
    def __init__(self, body: StateBody, result: OrgSheet, actor):
        self.body, self.result, self.actor = body, result, actor
        self.stored = {u.code: u for u in body.units.all()}
        self.code_by_pk = {u.pk: u.code for u in self.stored.values()}
        self.kinds = _choices(Unit.Kind.choices)
        self.role_names = _choices(Role.choices)
        self.sheet_units: dict[str, dict] = {}  # code → the row's values (and "row")
        self.persons: dict[str, _Person] = {}  # e-mail (lower case) → the person

    def problem(self, message, sheet, row, letters, name) -> None:
        self.result.problem(message, sheet, row, letters.get(name, ""))

    def _length(self, model, values, names, sheet, row, letters, model_names=None) -> bool:
        ok = True
        for name in names:
            limit = _max_length(model, (model_names or {}).get(name, name))
            if len(values[name]) > limit:
                self.problem(
                    _("At most %(limit)s characters (this has %(count)s).")
                    % {"limit": limit, "count": len(values[name])},
                    sheet,
                    row,
                    letters,
                    name,
                )
                ok = False
        return ok

    # Units

    def units(self, sheet: str, letters: dict, rows: list) -> None:
        code_field = Unit._meta.get_field("code")
        for row, values in rows:
            code = values["code"]
            if not code:
                self.problem(_("Give the unit's code."), sheet, row, letters, "code")
                continue
            try:
                code_field.run_validators(code)
            except ValidationError as error:
                self.problem(" ".join(error.messages), sheet, row, letters, "code")
                continue
            if code in self.sheet_units:
                self.problem(
                    _("The code %(code)s is also in row %(other)s.")
                    % {"code": code, "other": self.sheet_units[code]["row"]},
                    sheet,
                    row,
                    letters,
                    "code",
                )
                continue
            values["row"], values["sheet"], values["letters"] = row, sheet, letters
            self.sheet_units[code] = values
            stored = self.stored.get(code)
            if not values["name_kk"] and not values["name_ru"] and stored is None:
                self.problem(
                    _("Write the unit's name in Kazakh or in Russian."),
                    sheet,
                    row,
                    letters,
                    "name_ru",
                )
            if not values["head_name"] and stored is None:
                self.problem(_("Give the head's full name."), sheet, row, letters, "head_name")
            self._length(
                Unit,
                values,
                UNIT_TEXTS,
                sheet,
                row,
                letters,
                {
                    "name_kk": "name_kk",
                    "name_ru": "name_ru",
                    "head_position_kk": "head_position_kk",
                    "head_position_ru": "head_position_ru",
                },
            )
            kind = values["kind"]
            if kind:
                if _norm(kind) not in self.kinds:
                    self.problem(
                        _("“%(value)s” is not a kind of unit; write one of: %(choices)s.")
                        % {
                            "value": kind,
                            "choices": ", ".join(str(k.label) for k in Unit.Kind),
                        },
                        sheet,
                        row,
                        letters,
                        "kind",
                    )
                else:
                    values["kind"] = self.kinds[_norm(kind)]
            if values["head_email"]:
                self._email(values, "head_email", sheet, row, letters)
        for code, values in self.sheet_units.items():
            parent = values["parent"]
            if not parent:
                continue
            if parent == code:
                self.problem(
                    _("A unit cannot be placed under itself."),
                    values["sheet"],
                    values["row"],
                    values["letters"],
                    "parent",
                )
            elif parent not in self.sheet_units and parent not in self.stored:
                self.problem(
                    _("No unit has the code %(code)s, in the file or in the body.")
                    % {"code": parent},
                    values["sheet"],
                    values["row"],
                    values["letters"],
                    "parent",
                )
        self._check_loops()

    def _parent_code(self, code: str) -> str:
        if code in self.sheet_units and self.sheet_units[code]["parent"]:
            return self.sheet_units[code]["parent"]
        stored = self.stored.get(code)
        return self.code_by_pk.get(stored.parent_id, "") if stored is not None else ""

    def _check_loops(self) -> None:
        parents = {code: self._parent_code(code) for code in {*self.stored, *self.sheet_units}}
        for code, values in self.sheet_units.items():
            seen, current = {code}, parents.get(code, "")
            while current:
                if current in seen:
                    self.problem(
                        _("The units' parents go round in a circle through %(code)s.")
                        % {"code": current},
                        values["sheet"],
                        values["row"],
                        values["letters"],
                        "parent",
                    )
                    break
                seen.add(current)
                current = parents.get(current, "")

    def _email(self, values, name, sheet, row, letters) -> bool:
        try:
            validate_email(values[name])
        except ValidationError:
            self.problem(
                _("“%(value)s” is not an e-mail address.") % {"value": values[name]},
                sheet,
                row,
                letters,
                name,
            )
            return False
        values[name] = values[name].lower()
        return True

    # People

    def people(self, sheet: str, letters: dict, rows: list) -> None:
        for row, values in rows:
            if not values["email"]:
                self.problem(_("Give the person's e-mail."), sheet, row, letters, "email")
                continue
            if not self._email(values, "email", sheet, row, letters):
                continue
            self._length(User, values, PERSON_TEXTS, sheet, row, letters)
            person = self.persons.setdefault(values["email"], _Person(values["email"], row))
            for name in PERSON_TEXTS:
                value = values[name]
                if not value:
                    continue
                if person.values.get(name, value) != value:
                    self.problem(
                        _("Row %(other)s gives this person another %(field)s: “%(value)s”.")
                        % {
                            "other": person.row,
                            "field": User._meta.get_field(name).verbose_name,
                            "value": person.values[name],
                        },
                        sheet,
                        row,
                        letters,
                        name,
                    )
                person.values.setdefault(name, value)
            role = self._role(values, sheet, row, letters)
            if role is None:
                continue
            unit = values["unit"]
            if role in UNIT_ROLES:
                if not unit:
                    self.problem(
                        _("An executor or a unit head holds the role for a unit: give its code."),
                        sheet,
                        row,
                        letters,
                        "unit",
                    )
                    continue
                if unit not in self.sheet_units and unit not in self.stored:
                    self.problem(
                        _("No unit has the code %(code)s, in the file or in the body.")
                        % {"code": unit},
                        sheet,
                        row,
                        letters,
                        "unit",
                    )
                    continue
            elif unit:
                self.result.warn(
                    _(
                        "Only executors and unit heads hold their role for a unit; the unit "
                        "is not kept."
                    ),
                    sheet,
                    row,
                    letters["unit"],
                )
                unit = ""
            held = [r for r in person.roles if r[:2] == (role, unit)]
            if held:
                self.problem(
                    _("Row %(other)s gives this person the same role.") % {"other": held[0][3]},
                    sheet,
                    row,
                    letters,
                    "role",
                )
                continue
            person.roles.append((role, unit, sheet, row, letters["role"]))
        for code, values in self.sheet_units.items():  # a unit's head holds the unit's head role
            email = values["head_email"]
            if not email or "@" not in email:
                continue
            person = self.persons.get(email)
            if person is None:
                names = split_full_name(values["head_name"])
                position = values["head_position_ru"] or values["head_position_kk"]
                person = _Person(
                    email, values["row"], {**names, "position": position}, implied=True
                )
                self.persons[email] = person
            if not any(r[:2] == (Role.UNIT_HEAD, code) for r in person.roles):
                person.roles.append(
                    (
                        Role.UNIT_HEAD,
                        code,
                        values["sheet"],
                        values["row"],
                        values["letters"]["head_email"],
                    )
                )

    def _role(self, values, sheet, row, letters) -> str | None:
        text = values["role"]
        if not text:
            self.problem(_("Give the person's role."), sheet, row, letters, "role")
            return None
        role = self.role_names.get(_norm(text))
        if role is None:
            self.problem(
                _("“%(value)s” is not a role; write one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(r.label) for r in Role)},
                sheet,
                row,
                letters,
                "role",
            )
        return role

    # What would change

    def plan(self) -> None:
        result = self.result
        for code, values in self.sheet_units.items():
            stored = self.stored.get(code)
            wanted = {
                name: values[name]
                for name in (
                    "name_kk",
                    "name_ru",
                    "head_name",
                    "head_position_kk",
                    "head_position_ru",
                )
                if values[name]
            }
            wanted["kind"] = values["kind"] or (stored.kind if stored else Unit.Kind.STRUCTURAL)
            wanted["parent"] = values["parent"]
            label = values["name_ru"] or values["name_kk"] or (str(stored) if stored else code)
            if stored is None:
                result.units.append(Change("unit", "create", code, label, values=wanted))
                continue
            now = {name: getattr(stored, name) or "" for name in wanted if name != "parent"}
            now["parent"] = self.code_by_pk.get(stored.parent_id, "")
            if not values["parent"]:
                wanted["parent"] = now["parent"]  # an empty cell leaves the parent as it is
            changed = [name for name in wanted if wanted[name] != now[name]]
            action = "update" if changed else "unchanged"
            result.units.append(Change("unit", action, code, label, changed, wanted))
        self._plan_people()

    def _plan_people(self) -> None:
        result = self.result
        emails = list(self.persons)
        users = (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .order_by("pk")
        )
        by_email: dict[str, list[User]] = {}
        for user in users:
            by_email.setdefault(user.email_lower, []).append(user)
        taken = set(User.objects.filter(username__in=emails).values_list("username", flat=True))
        found_ids = [u.pk for group in by_email.values() for u in group]
        held: dict[int, set] = {}
        elsewhere: set[int] = set()
        for user_id, body_id, role, unit_code in RoleAssignment.objects.filter(
            user_id__in=found_ids
        ).values_list("user_id", "body_id", "role", "unit__code"):
            if body_id == self.body.pk:
                held.setdefault(user_id, set()).add((role, unit_code or ""))
            else:
                elsewhere.add(user_id)
        superuser = bool(self.actor and self.actor.is_superuser)
        for email, person in self.persons.items():
            matches = by_email.get(email, [])
            label = (
                " ".join(
                    person.values.get(n, "") for n in ("last_name", "first_name", "patronymic")
                ).strip()
                or email
            )
            first = person.roles[0] if person.roles else None
            where = (first[2], first[3]) if first else ("", person.row)
            if len(matches) > 1:
                result.problem(
                    _("%(count)s users have the e-mail %(email)s; give one of them another first.")
                    % {"count": len(matches), "email": email},
                    where[0],
                    where[1],
                )
                continue
            if not matches:
                if email in taken:
                    result.problem(
                        _("The login %(email)s is taken by a user with another e-mail.")
                        % {"email": email},
                        where[0],
                        where[1],
                    )
                    continue
                if not person.values.get("last_name") and not person.values.get("first_name"):
                    result.problem(
                        _("A new person needs a surname and a name."), where[0], where[1]
                    )
                    continue
                values = {name: person.values.get(name, "") for name in PERSON_TEXTS}
                result.people.append(Change("person", "create", email, label, values=values))
                mine = set()
            else:
                user = matches[0]
                given = {} if person.implied else person.values  # a head's row adds the role
                values = {n: v for n, v in given.items() if v != getattr(user, n)}
                changed = list(values)
                if (
                    not superuser
                    and user.pk in elsewhere
                    and (self.actor is None or self.actor.pk != user.pk)
                    and set(changed) & set(IDENTITY)
                ):
                    result.problem(
                        _(
                            "%(user)s also works for another state body: only they themselves "
                            "or a superuser can change their name."
                        )
                        % {"user": user},
                        where[0],
                        where[1],
                    )
                    continue
                action = "update" if changed else "unchanged"
                result.people.append(
                    Change("person", action, email, str(user), changed, {"pk": user.pk, **values})
                )
                mine = held.get(user.pk, set())
            for role, unit, _sheet, _row, _letter in person.roles:
                if (role, unit) in mine:
                    continue
                shown = Role(role).label
                label_role = f"{label} — {shown}" + (f" ({unit})" if unit else "")
                result.roles.append(
                    Change("role", "create", email, label_role, values={"role": role, "unit": unit})
                )
