"""The planner writes an action's Kazakh name beside its Russian one on the plan page; the
Kazakh Appendix 1 (PDF and XLSX) prints it, the Russian one prints the Russian name."""

import io

import openpyxl
from playwright.sync_api import expect

from jospar.documents.tests.test_export_golden import DUMPS
from jospar.plans.models import Action
from tests.worlds import LINING, appendix_plan_world

RUSSIAN = "Облицевать 12 км магистральных оросительных каналов"
KAZAKH = "Магистральдық суару арналарының 12 км қаптау"


def pdf_text(content: bytes) -> str:
    return " ".join(DUMPS["pdf"](content).split())


def download(page, plan, language: str, file_format: str) -> bytes:
    page.goto(f"/bodies/{plan.body_id}/operational-plans/{plan.pk}/export/")
    page.locator(f"input[name=lang][value={language}]").check()
    page.locator(f"input[name=format][value={file_format}]").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download", exact=True).click()
    return info.value.path().read_bytes()


def test_the_planner_writes_the_kazakh_name_beside_the_russian_one(
    page, login, transactional_db, body
):
    plan, planner = appendix_plan_world(body)
    lining = Action.objects.get(plan=plan, name_en=LINING)
    Action.objects.filter(pk=lining.pk).update(name_ru=RUSSIAN, name_en=None)
    # the plan's names are written in Kazakh too (a row marks a language the plan uses)
    Action.objects.filter(plan=plan).exclude(pk=lining.pk).update(name_kk="Басқа іс-шара")
    login(planner)
    page.goto(plan.get_absolute_url())
    row = page.locator(f"#action-{lining.pk}")
    expect(row).to_contain_text(RUSSIAN)
    expect(row).to_contain_text("No name in Kazakh yet")
    expect(page.locator("#missing-texts")).to_contain_text("1 action has no name in Kazakh.")

    row.get_by_role("button", name="Edit").click()
    editor = page.locator("#action-editor")
    kazakh = editor.get_by_role("textbox", name="Name (Kazakh)")
    russian = editor.get_by_role("textbox", name="Name (Russian)")
    expect(russian).to_have_value(RUSSIAN)
    expect(kazakh).to_have_value("")
    expect(kazakh).to_have_attribute("placeholder", "Not yet written in this language")
    # side by side: the two fields share a line on a wide screen
    assert abs(kazakh.bounding_box()["y"] - russian.bounding_box()["y"]) < 2
    kazakh.fill(KAZAKH)
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_be_empty()
    expect(row).not_to_contain_text("No name in Kazakh yet")

    sheet = openpyxl.load_workbook(io.BytesIO(download(page, plan, "kk", "xlsx"))).active
    names = [cell.value for cell in sheet["B"]]
    assert KAZAKH in names and RUSSIAN not in names
    sheet = openpyxl.load_workbook(io.BytesIO(download(page, plan, "ru", "xlsx"))).active
    names = [cell.value for cell in sheet["B"]]
    assert RUSSIAN in names and KAZAKH not in names
    assert " ".join(KAZAKH.split()) in pdf_text(download(page, plan, "kk", "pdf"))
    russian_pdf = pdf_text(download(page, plan, "ru", "pdf"))
    assert " ".join(RUSSIAN.split()) in russian_pdf
    assert KAZAKH not in russian_pdf
