"""The body administrator keeps units, users and budget programs; anyone switches language."""

from playwright.sync_api import expect

from jospar.orgs.models import Role, Unit, User
from tests.factories import UnitFactory, member


def test_administrator_adds_a_unit_a_program_and_a_user(page, login, body):
    admin = member(body, Role.ADMINISTRATOR, username="e2e.admin")
    UnitFactory(body=body, code="D01", name="Department of strategic planning")
    login(admin)
    page.locator("ul.cards").get_by_role(
        "link", name="Ministry of Water Resources"
    ).click()  # from My work

    page.get_by_role("link", name="Add a unit").click()
    page.get_by_label("Parent unit").select_option(label="Department of strategic planning")
    page.get_by_label("Code").fill("D01")
    page.get_by_role("textbox", name="Name (English)", exact=True).fill("Division of monitoring")
    page.get_by_label("Head (full name)").fill("Abenova Gulnara Maratkyzy")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Another unit of this body has this code.")).to_be_visible()
    page.get_by_label("Code").fill("D01.1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#units tr[data-depth='1']")).to_contain_text("Division of monitoring")

    page.get_by_role("link", name="Add a budget program").click()
    page.get_by_label("Code").fill("001")
    page.get_by_label("Name (English)").fill("Services on formation of water policy")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#programs")).to_contain_text("Services on formation of water policy")

    page.get_by_role("link", name="Users and roles").click()
    page.get_by_role("link", name="Add a user").click()
    page.get_by_label("Username").fill("d.omarova")
    page.get_by_label("Last name").fill("Omarova")
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Password").fill("Irrigation-2026!")
    page.get_by_label("Role").select_option(value=Role.EXECUTOR)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Executors and unit heads hold their role for a unit.")).to_be_visible()
    page.get_by_label("Password").fill("Irrigation-2026!")
    page.get_by_label("Unit", exact=True).select_option(label="Division of monitoring")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#members")).to_contain_text("Omarova Dana")

    user = User.objects.get(username="d.omarova")
    assert user.roles.get().unit == Unit.objects.get(code="D01.1")


def test_the_interface_speaks_russian_and_kazakh(page, login, body):
    viewer = member(body, Role.VIEWER, username="e2e.viewer")
    login(viewer)
    page.locator("ul.cards").get_by_role(
        "link", name="Ministry of Water Resources"
    ).click()  # from My work
    expect(page.get_by_role("heading", name="Units")).to_be_visible()
    page.get_by_role("button", name="RU").click()
    expect(page.get_by_role("heading", name="Подразделения")).to_be_visible()
    page.get_by_role("button", name="KK").click()
    expect(page.get_by_role("heading", name="Бөлімшелер")).to_be_visible()
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Units")).to_be_visible()
