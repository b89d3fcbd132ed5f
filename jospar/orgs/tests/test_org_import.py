"""Units and people from a spreadsheet: the template, the dry run's problems by sheet, row and
column, the import in one transaction, re-importing, the page, the API, `jospar import-org`."""

from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jospar.orgs.models import Role, RoleAssignment, Unit, User
from jospar.orgs.orgsheet import org_template, read_org_sheet
from jospar.orgs.services import org_import
from jospar.orgs.tests.org_sheets import big_org, org_workbook
from tests.bombs import archive, forbid_unpacking
from tests.factories import StateBodyFactory, UnitFactory, member

pytestmark = pytest.mark.django_db

UNITS = [
    {
        "code": "D1",
        "name_kk": "Заң департаменті",
        "name_ru": "Юридический департамент",
        "kind": "structural",
        "head_name": "Ахметов Нурлан Серикович",
        "head_position_ru": "Директор",
    },
    {
        "code": "D1.1",
        "name_ru": "Отдел договоров",
        "kind": "Structural unit",
        "parent": "D1",
        "head_name": "Омарова Дина",
        "head_email": "d.omarova@mwr.gov.kz",
    },
    {
        "code": "SUB",
        "name_kk": "Су ресурстары институты",
        "kind": "subordinate",
        "head_name": "Ким Олег",
    },
]
PEOPLE = [
    {
        "email": "A.Seitkali@mwr.gov.kz",
        "last_name": "Сейткали",
        "first_name": "Айгерим",
        "position": "главный эксперт",
        "role": "Executor",
        "unit": "D1.1",
    },
    {"email": "a.seitkali@mwr.gov.kz", "role": "viewer"},
    {
        "email": "b.nurlanov@mwr.gov.kz",
        "last_name": "Нурланов",
        "first_name": "Бауыржан",
        "role": "planner",
    },
]


def read(body, units=UNITS, people=PEOPLE, actor=None, language="en"):
    return read_org_sheet(org_workbook(units, people, language), body=body, actor=actor)


def test_an_import_creates_the_units_people_and_roles(body, admin_user):
    sheet = read(body)
    assert sheet.ok, [str(p) for p in sheet.problems]
    assert sheet.counts("unit") == {"create": 3, "update": 0, "unchanged": 0}
    org_import(actor=admin_user, body=body, sheet=sheet)
    d1, contracts = Unit.objects.get(body=body, code="D1"), Unit.objects.get(body=body, code="D1.1")
    assert contracts.parent == d1 and contracts.name_ru == "Отдел договоров"
    assert d1.name_kk == "Заң департаменті" and d1.head_position_ru == "Директор"
    assert Unit.objects.get(body=body, code="SUB").kind == Unit.Kind.SUBORDINATE
    person = User.objects.get(email="a.seitkali@mwr.gov.kz")
    assert person.username == "a.seitkali@mwr.gov.kz" and not person.has_usable_password()
    roles = set(person.roles.values_list("role", "unit__code"))
    assert roles == {(Role.EXECUTOR, "D1.1"), (Role.VIEWER, None)}
    # the head named by e-mail is a person too, with the unit head's role
    head = User.objects.get(email="d.omarova@mwr.gov.kz")
    assert (head.last_name, head.first_name) == ("Омарова", "Дина")
    assert set(head.roles.values_list("role", "unit__code")) == {(Role.UNIT_HEAD, "D1.1")}
    # history rows, by the administrator
    assert d1.history.get().history_user == admin_user
    assert person.history.get().history_type == "+"
    assert RoleAssignment.history.filter(user_id=person.pk).count() == 2


def test_reimporting_the_same_file_changes_nothing(body, admin_user):
    org_import(actor=admin_user, body=body, sheet=read(body))
    before = (Unit.history.count(), User.history.count(), RoleAssignment.objects.count())
    again = read(body)
    assert again.changes == 0
    assert again.summary() == "Nothing changed: the file says what Jospar already holds."
    org_import(actor=admin_user, body=body, sheet=again)
    assert (Unit.history.count(), User.history.count(), RoleAssignment.objects.count()) == before


def test_the_template_of_a_body_reimports_unchanged(body, admin_user):
    org_import(actor=admin_user, body=body, sheet=read(body))
    data = BytesIO(org_template(body))
    assert load_workbook(data).sheetnames == ["Units", "People"]
    again = read_org_sheet(data, body=body)
    assert again.ok and again.changes == 0, [str(p) for p in again.problems]
    assert (
        again.counts("person")["unchanged"] == 3
    )  # the administrator, without e-mail, is not listed


def test_a_head_named_by_email_gets_the_role_and_keeps_their_name(body, admin_user):
    head = member(body, Role.VIEWER, email="d.omarova@mwr.gov.kz", last_name="Омарова-Ким")
    sheet = read(body, UNITS, [])
    assert sheet.ok
    assert [c.action for c in sheet.people] == ["unchanged"]
    org_import(actor=admin_user, body=body, sheet=sheet)
    head.refresh_from_db()
    assert head.last_name == "Омарова-Ким"
    assert head.roles.filter(role=Role.UNIT_HEAD, unit__code="D1.1").exists()


def test_an_edited_file_updates_what_changed_and_says_so(body, admin_user):
    org_import(actor=admin_user, body=body, sheet=read(body))
    units = [dict(u) for u in UNITS]
    units[0]["head_name"] = "Жумабаев Ерлан"
    units[2]["parent"] = "D1"
    people = [dict(p) for p in PEOPLE] + [
        {"email": "b.nurlanov@mwr.gov.kz", "role": "monitor"},
    ]
    people[2]["position"] = "начальник отдела"
    sheet = read(body, units, people)
    assert sheet.ok, [str(p) for p in sheet.problems]
    changed = {c.key: c.fields for c in sheet.units if c.action == "update"}
    assert changed == {"D1": ["head_name"], "SUB": ["parent"]}
    assert [(c.key, c.fields) for c in sheet.people if c.action == "update"] == [
        ("b.nurlanov@mwr.gov.kz", ["position"])
    ]
    assert [c.values["role"] for c in sheet.roles] == [Role.MONITOR]
    assert "2 changed" in sheet.summary()
    org_import(actor=admin_user, body=body, sheet=sheet)
    d1 = Unit.objects.get(body=body, code="D1")
    assert d1.head_name == "Жумабаев Ерлан" and d1.version == 1
    assert Unit.objects.get(body=body, code="SUB").parent == d1
    assert d1.history.first().history_type == "~"
    planner = User.objects.get(email="b.nurlanov@mwr.gov.kz")
    assert planner.position == "начальник отдела"
    assert set(planner.roles.values_list("role", flat=True)) == {Role.PLANNER, Role.MONITOR}


def test_a_changed_name_changes_that_language_only(body, admin_user):
    org_import(actor=admin_user, body=body, sheet=read(body))
    units = [dict(UNITS[0], name_kk="Құқық департаменті"), *UNITS[1:]]
    sheet = read(body, units)
    assert [(c.key, c.fields) for c in sheet.units if c.action == "update"] == [("D1", ["name_kk"])]
    org_import(actor=admin_user, body=body, sheet=sheet)
    d1 = Unit.objects.get(body=body, code="D1")
    assert (d1.name_kk, d1.name_ru) == ("Құқық департаменті", "Юридический департамент")
    assert not d1.name_en


def test_headings_in_russian_and_kazakh_are_read(body):
    for language, heading in (("ru", "Код подразделения"), ("kk", "Бөлімше коды")):
        data = org_workbook(UNITS, PEOPLE, language)
        assert load_workbook(data).worksheets[0]["A1"].value == heading
        sheet = read_org_sheet(data, body=body)
        assert sheet.ok and sheet.counts("unit")["create"] == 3


def problems(sheet) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in sheet.problems]


def test_the_dry_run_names_every_problem_by_sheet_row_and_column(body, unit):
    units = [
        *UNITS,
        {"code": "D1", "name_ru": "Повтор", "head_name": "X"},
        {"code": "D9", "name_ru": "Сироты", "parent": "NOPE", "head_name": "Y"},
        {"code": "D8", "name_ru": "Вид", "kind": "ministry", "head_name": "Z"},
        {"code": "D7", "head_name": "W"},
        {"code": "bad code!", "name_ru": "Код", "head_name": "V"},
    ]
    people = [
        *PEOPLE,
        {"email": "not-an-email", "last_name": "A", "role": "viewer"},
        {"email": "c@mwr.gov.kz", "last_name": "B", "first_name": "C", "role": "boss"},
        {"email": "d@mwr.gov.kz", "last_name": "D", "first_name": "E", "role": "unit head"},
        {
            "email": "e@mwr.gov.kz",
            "last_name": "F",
            "first_name": "G",
            "role": "executor",
            "unit": "ZZZ",
        },
    ]
    found = problems(read(body, units, people))
    assert ("Units", 5, "A", "The code D1 is also in row 2.") in found
    assert ("Units", 6, "E", "No unit has the code NOPE, in the file or in the body.") in found
    assert any(p[:3] == ("Units", 7, "D") and "not a kind of unit" in p[3] for p in found)
    assert ("Units", 8, "C", "Write the unit's name in Kazakh or in Russian.") in found
    assert any(p[:3] == ("Units", 9, "A") and "letters, digits" in p[3] for p in found)
    assert ("People", 5, "A", "“not-an-email” is not an e-mail address.") in found
    assert any(p[:3] == ("People", 6, "F") and "“boss” is not a role" in p[3] for p in found)
    assert (
        "People",
        7,
        "G",
        "An executor or a unit head holds the role for a unit: give its code.",
    ) in found
    assert ("People", 8, "G", "No unit has the code ZZZ, in the file or in the body.") in found
    assert not Unit.objects.filter(code="SUB").exists()


def test_a_parent_loop_and_a_repeated_role_are_problems(body):
    units = [
        {"code": "A", "name_ru": "А", "parent": "B", "head_name": "X"},
        {"code": "B", "name_ru": "Б", "parent": "A", "head_name": "Y"},
    ]
    people = [
        {"email": "x@mwr.gov.kz", "last_name": "X", "first_name": "Y", "role": "viewer"},
        {"email": "X@mwr.gov.kz", "role": "Viewer"},
    ]
    found = problems(read(body, units, people))
    assert any(p[:3] == ("Units", 2, "E") and "circle" in p[3] for p in found)
    assert ("People", 3, "F", "Row 2 gives this person the same role.") in found


def test_unknown_and_missing_headings_are_problems(body):
    data = org_workbook(UNITS, PEOPLE)
    book = load_workbook(data)
    book["Units"]["B1"] = "Название"
    book["People"].delete_cols(6)
    changed = BytesIO()
    book.save(changed)
    changed.seek(0)
    found = problems(read_org_sheet(changed, body=body))
    assert ("Units", 1, "B", "The heading “Название” is not one of the template's.") in found
    assert any(p[:2] == ("People", 1) and "“Role”" in p[3] for p in found)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code;name\nD1;Legal\n", "not an .xlsx workbook"),
        (b"PK\x03\x04 broken beyond repair", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_clearly(body, content, message):
    sheet = read_org_sheet(BytesIO(content), body=body)
    assert not sheet.ok and message in sheet.problems[0].message


def test_a_compression_bomb_is_refused_before_it_is_unpacked(body, monkeypatch):
    bomb = archive({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\0" * 20_000_000})
    forbid_unpacking(monkeypatch)
    sheet = read_org_sheet(bomb, body=body)
    assert not sheet.ok and "compression bomb" in sheet.problems[0].message


def test_a_person_of_another_body_keeps_their_name(body, other_body, admin_user):
    shared = member(other_body, Role.VIEWER, email="shared@gov.kz", last_name="Old")
    people = [{"email": "shared@gov.kz", "last_name": "New", "role": "viewer"}]
    sheet = read(body, [], people, actor=admin_user)
    assert any("also works for another state body" in p.message for p in sheet.problems)
    # a role alone is added without touching the name
    sheet = read(body, [], [{"email": "shared@gov.kz", "role": "viewer"}], actor=admin_user)
    assert sheet.ok
    org_import(actor=admin_user, body=body, sheet=sheet)
    assert set(shared.roles.values_list("body", flat=True)) == {body.pk, other_body.pk}


def test_an_administrator_cannot_import_into_another_body(body, other_body, admin_user, outsider):
    sheet = read(body)
    with pytest.raises(PermissionDenied):
        org_import(actor=outsider, body=body, sheet=sheet)
    other_sheet = read(other_body)
    with pytest.raises(PermissionDenied):
        org_import(actor=admin_user, body=other_body, sheet=other_sheet)
    assert not Unit.objects.filter(code="SUB").exists()


def test_the_query_count_does_not_grow_with_rows(body, admin_user, django_assert_max_num_queries):
    """Reading and importing 40 units and 120 people takes no more statements than 10 and 30."""

    def prepare(units, people):
        fresh = StateBodyFactory()
        RoleAssignment.objects.create(user=admin_user, body=fresh, role=Role.ADMINISTRATOR)
        admin_user.__dict__.pop("_jospar_roles", None)
        unit_rows, people_rows = big_org(units, people, domain=f"m{units}.gov.kz")
        return fresh, org_workbook(unit_rows, people_rows)

    def go(fresh, data):
        sheet = read_org_sheet(data, body=fresh, actor=admin_user)
        assert sheet.ok
        org_import(actor=admin_user, body=fresh, sheet=sheet)

    fresh, data = prepare(10, 30)
    with CaptureQueriesContext(connection) as small:
        go(fresh, data)
    fresh, data = prepare(40, 120)
    with django_assert_max_num_queries(len(small)):
        go(fresh, data)
    assert Unit.objects.filter(body=fresh).count() == 40
    assert User.objects.filter(email__endswith="@m40.gov.kz").count() == 120


# The page


def test_the_page_dry_run_then_import(client, body, admin_user):
    client.force_login(admin_user)
    url = reverse("orgs:org_import", args=[body.pk])
    assert client.get(url).status_code == 200
    template = client.get(reverse("orgs:org_template", args=[body.pk]))
    assert template.status_code == 200 and load_workbook(BytesIO(template.content))
    response = client.post(url, {"file": org_workbook(UNITS, PEOPLE)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Units: 3 new" in page and 'id="org-confirm"' in page
    assert not Unit.objects.filter(code="SUB").exists()  # a dry run writes nothing
    token = response.context["token"]
    done = client.post(reverse("orgs:org_import_confirm", args=[body.pk]), {"token": token})
    assert done.status_code == 302
    assert Unit.objects.filter(body=body, code__in=["D1", "D1.1", "SUB"]).count() == 3
    again = client.post(url, {"file": org_workbook(UNITS, PEOPLE)})
    assert "Nothing changed" in again.content.decode()
    assert 'id="org-confirm"' not in again.content.decode()


def test_the_page_shows_the_problems(client, body, admin_user):
    client.force_login(admin_user)
    units = [{"code": "D1", "name_ru": "X", "parent": "NOPE", "head_name": "Y"}]
    response = client.post(
        reverse("orgs:org_import", args=[body.pk]), {"file": org_workbook(units, [])}
    )
    assert response.status_code == 400
    assert "No unit has the code NOPE" in response.content.decode()
    pdf = BytesIO(b"%PDF-1.4 not a workbook")
    pdf.name = "org.xlsx"
    response = client.post(reverse("orgs:org_import", args=[body.pk]), {"file": pdf})
    assert response.status_code == 400
    assert "The file is not an .xlsx workbook." in response.content.decode()


def test_the_page_is_refused_outside_the_body(client, body, outsider, planner):
    for user in (outsider, planner):
        client.force_login(user)
        response = client.post(
            reverse("orgs:org_import", args=[body.pk]), {"file": org_workbook(UNITS, PEOPLE)}
        )
        assert response.status_code in (403, 404)
    assert not Unit.objects.filter(code="SUB").exists()


# The API


def test_the_api_dry_run_and_import(api, body, admin_user):
    client = api(admin_user)
    url = f"/api/v1/bodies/{body.pk}/org-import/"
    dry = client.post(url, {"file": org_workbook(UNITS, PEOPLE), "dry_run": True})
    assert dry.status_code == 200, dry.content
    assert dry.json()["units"] == {"create": 3, "update": 0, "unchanged": 0}
    assert not Unit.objects.filter(code="SUB").exists()
    done = client.post(url, {"file": org_workbook(UNITS, PEOPLE)})
    assert done.status_code == 201 and done.json()["written"]["units_created"] == 3
    bad = client.post(url, {"file": BytesIO(b"not a workbook")})
    assert bad.status_code == 400 and "not an .xlsx" in bad.json()["problems"][0]["message"]


def test_the_api_refuses_another_bodys_administrator(api, body, outsider):
    url = f"/api/v1/bodies/{body.pk}/org-import/"
    response = api(outsider).post(url, {"file": org_workbook(UNITS, PEOPLE)})
    assert response.status_code in (403, 404)
    assert not Unit.objects.filter(code="SUB").exists()


# The command


def test_the_command_dry_run_and_import(body, admin_user, tmp_path):
    path = tmp_path / "org.xlsx"
    path.write_bytes(org_workbook(UNITS, PEOPLE).getvalue())
    out = StringIO()
    call_command("import_org", str(path), "--body", body.code, "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "D1.1" in out.getvalue()
    assert not Unit.objects.filter(code="SUB").exists()
    out = StringIO()
    call_command("import_org", str(path), "--body", body.code, "--user", "bodyadmin", stdout=out)
    assert "Units: 3 new" in out.getvalue()
    out = StringIO()
    call_command("import_org", str(path), "--body", body.code, "--user", "bodyadmin", stdout=out)
    assert "Nothing changed" in out.getvalue()


def test_the_command_refuses_a_bad_file_and_an_outsider(body, admin_user, outsider, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(org_workbook([{"code": "D1", "head_name": "X", "parent": "Q"}], []).getvalue())
    with pytest.raises(CommandError, match="problem"):
        call_command(
            "import_org",
            str(bad),
            "--body",
            body.code,
            "--user",
            "bodyadmin",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    good = tmp_path / "good.xlsx"
    good.write_bytes(org_workbook(UNITS, PEOPLE).getvalue())
    with pytest.raises(CommandError, match="may not manage"):
        call_command(
            "import_org", str(good), "--body", body.code, "--user", "outsider", stdout=StringIO()
        )
    assert not Unit.objects.filter(code="SUB").exists()
    UnitFactory(body=body, code="KEEP")
