"""Browser test of a new body: an installation administrator creates it on the page and is
shown the link to set a password (e-mail is not configured); the new administrator sets a
password at it, logs in, downloads the template of units and people, fills it in, uploads it,
sees the dry run, imports it and finds the units on the body's page."""

import re

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook
from playwright.sync_api import expect

from jospar.orgs.models import Role, StateBody, Unit
from tests.factories import UserFactory


@pytest.fixture
def installer(transactional_db):
    user = UserFactory(username="installer", first_name="Marat")
    user.user_permissions.add(Permission.objects.get(codename="add_statebody"))
    return user


def test_a_new_body_gets_its_administrator_units_and_people(
    page, login, installer, settings, live_server, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = live_server.url
    login(installer)
    page.get_by_role("link", name="New state body").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New state body")
    page.get_by_label(re.compile(r"^Code")).fill("MEN")
    page.get_by_label("Name (Kazakh)", exact=True).fill("Энергетика министрлігі")
    page.get_by_label("Name (Russian)", exact=True).fill("Министерство энергетики")
    page.get_by_label("Budget administrator code").fill("241")
    page.get_by_label("Administrator's full name").fill("Сейткали Айгерим Нурлановна")
    page.get_by_label("Administrator's e-mail").fill("a.seitkali@energo.gov.kz")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The state body is created")
    expect(page.locator("#admin-login")).to_have_text("a.seitkali@energo.gov.kz")
    link = page.locator("#set-password-link").input_value()
    assert "/accounts/set-password/" in link
    body = StateBody.objects.get(code="MEN")

    # The new administrator opens the link (in a browser of their own: no session).
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    page.locator("#id_new_password1").fill("Zhana-Kupiya-2026")
    page.locator("#id_new_password2").fill("Zhana-Kupiya-2026")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_text("Your password is set. Log in with it.")).to_be_visible()
    page.get_by_label("Username").fill("a.seitkali@energo.gov.kz")
    page.get_by_label("Password").fill("Zhana-Kupiya-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()

    # The body's page: units and people from a spreadsheet.
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="Units and people from a spreadsheet").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (.xlsx)").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    assert book.sheetnames == ["Units", "People"]
    units, people = book["Units"], book["People"]
    units.append(
        [
            "D1",
            "Заң департаменті",
            "Юридический департамент",
            "Structural unit",
            "",
            "Ахметов Нурлан Серикович",
            "",
            "Директор",
            "",
        ]
    )
    units.append(["D1.1", "", "Отдел договоров", "", "D1", "Омарова Дина", "", "Начальник", ""])
    units.append(["D1.1", "", "Повтор", "", "D1", "Кто-то", "", "", ""])  # a repeated code
    people.append(
        ["b.nurlanov@energo.gov.kz", "Нурланов", "Бауыржан", "", "эксперт", "Executor", "D1.1"]
    )
    people.append(["k.omar@energo.gov.kz", "Омар", "Куаныш", "", "", "Planner", ""])
    wrong = tmp_path / "org-wrong.xlsx"
    book.save(wrong)
    units.delete_rows(4)
    fixed = tmp_path / "org.xlsx"
    book.save(fixed)

    # A repeated code: the dry run names the sheet, row and column; nothing is written.
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("#org-problems")
    expect(problems).to_contain_text("The code D1.1 is also in row 3.")
    expect(problems.locator("tbody tr").first).to_contain_text("Units")
    assert not Unit.objects.filter(body=body).exists()

    page.get_by_label("Workbook (.xlsx)").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#org-summary")).to_contain_text("Units: 2 new")
    expect(page.locator("#org-changes")).to_contain_text("b.nurlanov@energo.gov.kz")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text(re.compile(r"Units: 2 new, 0 changed"))).to_be_visible()
    expect(page.get_by_role("cell", name="Отдел договоров")).to_be_visible()
    assert set(Unit.objects.filter(body=body).values_list("code", flat=True)) == {"D1", "D1.1"}
    assert body.roles.filter(role=Role.EXECUTOR, unit__code="D1.1").exists()
