"""A body from scratch, through the pages only (issue 17): the installation administrator
creates the body; its administrator sets a password, imports the units and people (a planner and
an official among them) and hands each the link to set a password; the planner imports the
development plan, starts this year's operational plan and imports a plan sheet whose section II
actions stand right under the section's heading, one with the term "по мере поступления"; the
official approves the plan, and the planner prepares next year's plan from it, which carries the
ongoing actions over with their links."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from openpyxl import load_workbook
from playwright.sync_api import expect

from jospar.deadlines.calendar import today
from jospar.documents.tests.ods import ods
from jospar.documents.tests.plan_sheets import SHEETS
from jospar.orgs.models import Role, StateBody
from jospar.plans.models import Action, OperationalPlan
from jospar.strategy.tests.sheets import rows_of
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_development_plan_import import fill
from tests.factories import UserFactory

ADMIN = "a.seitkali@energo.gov.kz"
PLANNER = "k.omar@energo.gov.kz"
OFFICIAL = "s.bekov@energo.gov.kz"
PASSWORDS = {ADMIN: "Zhana-Kupiya-2026", PLANNER: "Zhospar-Kupiya-2026", OFFICIAL: "Bekitu-2026-Kz"}
APPEALS = "Рассмотрение обращений физических и юридических лиц"


@pytest.fixture
def installer(transactional_db):
    """An installation administrator: no role in any body, the permission to add bodies."""
    user = UserFactory(username="installer", first_name="Marat")
    user.user_permissions.add(Permission.objects.get(codename="add_statebody"))
    return user


def set_password_and_log_in(page, link: str, username: str) -> None:
    """The person opens their link in a browser of their own (no session), sets a password at
    it and logs in with it."""
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    page.locator("#id_new_password1").fill(PASSWORDS[username])
    page.locator("#id_new_password2").fill(PASSWORDS[username])
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_text("Your password is set. Log in with it.")).to_be_visible()
    log_in(page, username)


def log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_body_from_scratch_to_next_years_plan(
    page, login, installer, settings, live_server, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = live_server.url
    year = today().year

    # 1. The installation administrator creates the body from the home page's link.
    login(installer)
    page.get_by_role("link", name="New state body").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New state body")
    page.get_by_label(re.compile(r"^Code")).fill("MEN")
    page.get_by_label("Name (Kazakh)", exact=True).fill("Энергетика министрлігі")
    page.get_by_label("Name (Russian)", exact=True).fill("Министерство энергетики")
    page.get_by_label("Budget administrator code").fill("241")
    page.get_by_label("Administrator's full name").fill("Сейткали Айгерим Нурлановна")
    page.get_by_label("Administrator's e-mail").fill(ADMIN)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The state body is created")
    link = page.locator("#set-password-link").input_value()
    body = StateBody.objects.get(code="MEN")

    # 2. Its administrator sets a password, logs in and fills in the template of units and
    # people: the units the plan sheet names, a planner and an official.
    set_password_and_log_in(page, link, ADMIN)
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="Units and people from a spreadsheet").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (.xlsx)").click()
    org = tmp_path / "org.xlsx"
    download.value.save_as(org)
    book = load_workbook(org)
    units, people = book["Units"], book["People"]
    for code, name_kk, name_ru, head in (
        ("DWR", "Су ресурстары департаменті", "Департамент водных ресурсов", "Ахметов Нурлан"),
        ("DDG", "Цифрландыру департаменті", "Департамент цифровизации", "Ким Олег"),
        ("DFN", "Қаржы департаменті", "Департамент финансов", "Жумабаева Асель"),
    ):
        units.append([code, name_kk, name_ru, "Structural unit", "", head, "", "Директор", ""])
    people.append([PLANNER, "Омар", "Куаныш", "", "главный эксперт", "Planner", ""])
    people.append([OFFICIAL, "Беков", "Серик", "", "ответственный секретарь", "Official", ""])
    book.save(org)
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(org))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#org-summary")).to_contain_text("Units: 3 new")
    expect(page.locator("#org-changes")).to_contain_text(PLANNER)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text(re.compile(r"Units: 3 new, 0 changed"))).to_be_visible()
    assert body.roles.filter(role=Role.PLANNER, user__username=PLANNER).exists()

    # The budget programs the plan sheet names.
    for code, name in (("001", "Водоснабжение"), ("254", "Цифровые услуги")):
        page.get_by_role("link", name="Add a budget program").click()
        page.get_by_label("Code").fill(code)
        page.get_by_label("Name (Russian)").fill(name)
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#programs")).to_contain_text(name)

    # The imported people have no password: the administrator hands each their link.
    links, axe, violations = {}, Axe(), []
    page.get_by_role("link", name="Users and roles").click()
    violations += serious_violations(page, axe, "the users and roles")
    for username in (PLANNER, OFFICIAL):
        row = page.locator("#members tbody tr", has_text=username)
        row.get_by_role("button", name=re.compile("Link to set the password")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Link to set the password")
        expect(page.locator("#member-login")).to_have_text(username)
        links[username] = page.locator("#set-password-link").input_value()
        violations += serious_violations(page, axe, "the link to set the password")
        page.get_by_role("link", name="Users and roles").click()
    assert not violations, "\n".join(violations)
    # ... and the administrator's own row offers none: they have a password.
    expect(page.locator("#members tbody tr", has_text=ADMIN).get_by_role("button")).to_have_count(0)

    # 3. The planner imports the development plan: this year and four more.
    set_password_and_log_in(page, links[PLANNER], PLANNER)
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="Import a development plan from XLSX").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    strategy = tmp_path / "development-plan.xlsx"
    download.value.save_as(strategy)
    fill(strategy, rows_of(1, 1, 1), year)
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(strategy))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-summary")).to_have_text("4 created, 0 updated, 0 unchanged")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#development-plan")).to_contain_text("Индикатор 1.1.1")

    # 4. This year's operational plan, then the plan sheet as the ministry typed it.
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="All operational plans and tasks").click()
    page.get_by_role("link", name="Start an operational plan").click()
    page.get_by_label("Year").fill(str(year))
    page.get_by_label("Development plan").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Operational plan for {year}")

    sheets, _expected = SHEETS["water_ru"]
    sheet = tmp_path / "план.ods"
    sheet.write_bytes(ods(sheets).getvalue())
    page.get_by_role("link", name="Import from a workbook").click()
    page.get_by_label("Workbook (.xlsx, .xls or .ods)").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("The import would create 6 actions")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 6 actions from the workbook.")).to_be_visible()

    # Section II's heading, then its actions with no task heading between; the term as typed.
    table = page.locator("#plan-table")
    section = table.locator("tr#section-2")
    expect(section).to_contain_text("II. Actions for solving other tasks")
    after = section.locator("xpath=following-sibling::tr[1]")
    expect(after).to_have_class("action")
    expect(after).to_contain_text(APPEALS)
    expect(after).to_contain_text("по мере поступления")
    expect(section.locator("xpath=following-sibling::tr")).to_have_count(3)
    expect(table.locator("tr.level-task")).to_have_count(0)

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Done: submitted for approval.").first).to_be_visible()

    # 5. The official approves it: the plan is in force.
    set_password_and_log_in(page, links[OFFICIAL], OFFICIAL)
    plan = OperationalPlan.objects.get(body=body, year=year)
    page.goto(plan.get_absolute_url())
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text("Done: approved.").first).to_be_visible()
    expect(page.locator("#revision-line")).to_contain_text("In force: revision 1")

    # The planner prepares next year's plan: the ongoing actions go on.
    log_in(page, PLANNER)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name=f"Prepare the plan for {year + 1}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Prepare the plan for {year + 1}")
    recurring = page.locator("#recurring-actions")
    expect(recurring.locator("tbody tr")).to_have_count(4)
    expect(recurring.locator("tr", has_text=APPEALS)).to_contain_text("по мере поступления")
    page.get_by_role("button", name=f"Prepare the plan for {year + 1}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Operational plan for {year + 1}")
    expect(
        page.get_by_text(f"The plan for {year + 1} is prepared: 4 actions carried over.")
    ).to_be_visible()
    table = page.locator("#plan-table")
    section = table.locator("tr#section-2")
    after = section.locator("xpath=following-sibling::tr[1]")
    expect(after).to_contain_text(APPEALS)
    expect(after).to_contain_text("по мере поступления")
    old = Action.objects.get(plan=plan, name_ru=APPEALS)
    new = Action.objects.get(plan__body=body, plan__year=year + 1, carried_from=old)
    assert (new.term_kind, new.task_id, new.indicator_id) == ("ongoing", None, None)
