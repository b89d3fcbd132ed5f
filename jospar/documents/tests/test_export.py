"""Appendix 1 as XLSX, DOCX and PDF: the files are opened with openpyxl, python-docx and
poppler's tools and read back; the page, the API and the command give the same file."""

import datetime as dt
import io
import subprocess

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from jospar.documents.appendices import ExportError, plan_form, plan_form_file, plan_revision
from jospar.documents.management.commands.export_plan import Command
from jospar.plans import services
from jospar.plans.models import Action
from tests.worlds import (
    FORMULA,
    KAZAKH,
    LINING,
    appendix_plan_world,
    more_actions,
    shared_world,
    the_body,
)

# The plan of Appendix 1 and its planner, made once for the module.
world_once, world = shared_world(lambda: appendix_plan_world(the_body()))
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


def needs_translation(language: str, *msgids: str) -> None:
    """Skip until the catalog of `language` has the form's texts (they are translated at the
    end of the issue, after the code that uses them)."""
    from django.utils import translation

    with translation.override(language):
        missing = [m for m in msgids if translation.gettext(m) == m]
    if missing:
        pytest.skip(f"the {language} catalog does not translate {missing} yet")


def approve(plan, user, on=dt.date(2025, 1, 10)):
    """Freeze the plan as its next revision, as the approval does."""
    plan.approved_on, plan.approved_by = on, user
    return services.freeze_revision(plan)


@pytest.fixture
def plan(world):
    return world[0]


def xlsx(plan, **options):
    file = plan_form_file(plan, **({"revision": "draft", "language": "en"} | options))
    return openpyxl.load_workbook(io.BytesIO(file.content)).active


def values(sheet) -> list[list]:
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def row_of(sheet, text) -> int:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row
    raise AssertionError(f"{text!r} is not in the sheet")


# --- the form document -----------------------------------------------------------------------


def test_the_form_has_the_hierarchy_rows_then_the_actions(plan):
    document = plan_form(plan, None, "en")
    kinds = [(row.kind, row.text or row.cells[1]) for row in document.rows]
    assert kinds == [
        (
            "section",
            "I. Actions to achieve the goals and target indicators of the development plan",
        ),
        ("direction", "Strategic direction 1. Water security"),
        ("macro", "Macro indicator 1. Water productivity of GDP"),
        ("actions", "Actions"),
        ("action", KAZAKH),
        ("goal", "Goal 1.1. Reliable water supply"),
        ("target", "Target indicator 1. Share of lined canals"),
        ("actions", "Actions"),
        ("action", LINING),
        ("action", FORMULA),
        ("target", "Target indicator 2. Losses of water in canals"),
        (
            "section",
            "II. Actions for solving other tasks defined by the regulation of the state body",
        ),
        ("task", "Task 1. Informing the public"),
        ("action", "Publish the plan's progress on the website"),
    ]
    lining = document.rows[8].cells
    assert lining == [
        2,
        LINING,
        "254, 255",
        "Department of Water Resources, Committee for Water Resources, Қазсушар РМК",
        "2 quarter",
        "Report",
    ]
    assert document.signature_position == "Director of the department"
    assert document.signature_name == "Ahmetov Nurlan Serikovich"
    assert document.period == "for 2026 year"


def test_a_revision_is_exported_as_it_was_approved(plan, world):
    planner = world[1]
    approve(plan, planner)
    action = Action.objects.get(name=LINING)
    services.action_update(actor=planner, action=action, name="Line 20 km instead")
    revision = plan.revisions.get()
    frozen = plan_form(plan, revision, "en")
    draft = plan_form(plan, None, "en")
    assert LINING in [r.cells[1] for r in frozen.rows if r.is_action]
    assert "Line 20 km instead" in [r.cells[1] for r in draft.rows if r.is_action]
    assert frozen.note == "Revision 1, approved on 10.01.2025"
    assert draft.note == "Draft, not approved"
    assert [r.kind for r in frozen.rows] == [r.kind for r in draft.rows]
    assert "rev1" in frozen.file_stem


def test_the_revision_in_force_is_the_default(plan, world):
    assert plan_revision(plan, None) is None  # never approved: the draft
    revision = approve(plan, world[1])
    assert plan_revision(plan, None) == revision
    assert plan_revision(plan, "draft") is None  # still a draft in the fixture
    with pytest.raises(ExportError, match="no revision 7"):
        plan_revision(plan, "7")
    with pytest.raises(ExportError, match="revision number or “draft”"):
        plan_revision(plan, "latest")


def test_an_unknown_format_or_language_is_named(plan):
    with pytest.raises(ExportError, match="xlsx, docx, pdf"):
        plan_form_file(plan, revision=None, file_format="odt", language="en")
    with pytest.raises(ExportError, match="kk, ru, en"):
        plan_form_file(plan, revision=None, file_format="xlsx", language="de")


@pytest.mark.parametrize("count", [5, 30])
def test_the_export_costs_the_same_queries_at_any_size(
    plan, world, count, django_assert_max_num_queries
):
    more_actions(plan, count)
    approve(plan, world[1])
    with django_assert_max_num_queries(16):
        draft = plan_form_file(plan, revision="draft", file_format="xlsx", language="ru")
    with django_assert_max_num_queries(12):
        frozen = plan_form_file(plan, revision="1", file_format="xlsx", language="ru")
    for file in (draft, frozen):
        sheet = openpyxl.load_workbook(io.BytesIO(file.content)).active
        numbers = [r[0] for r in sheet.iter_rows(min_row=9, values_only=True)]
        assert max(n for n in numbers if isinstance(n, int)) == count + 4


# --- XLSX ------------------------------------------------------------------------------------


def test_the_xlsx_is_laid_out_as_appendix_1(plan):
    sheet = xlsx(plan, file_format="xlsx")
    rows = values(sheet)
    assert rows[0][0] == "Operational plan"
    assert rows[1][0] == "Ministry of Water Resources"
    assert rows[2][0] == "(name of the state body)"
    assert rows[3][0] == "for 2026 year"
    assert rows[6] == [
        "No",
        "Name",
        "Code of budget program",
        "Responsible executor",
        "Term of execution",
        "Form of completion",
    ]
    assert rows[7] == [1, 2, 3, 4, 5, 6]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    section = row_of(
        sheet, "I. Actions to achieve the goals and target indicators of the development plan"
    )
    direction = row_of(sheet, "Strategic direction 1. Water security")
    assert {"A1:F1", f"A{section}:F{section}", f"B{direction}:F{direction}"} <= merged
    lining = row_of(sheet, LINING)
    assert rows[lining - 1] == [
        2,
        LINING,
        "254, 255",
        "Department of Water Resources, Committee for Water Resources, Қазсушар РМК",
        "2 quarter",
        "Report",
    ]
    assert sheet.cell(row=lining, column=2).alignment.wrap_text
    signature = row_of(sheet, "Director of the department")
    assert sheet.cell(row=signature, column=4).value == "Ahmetov Nurlan Serikovich"


def test_no_cell_of_the_xlsx_runs_as_a_formula(plan):
    sheet = xlsx(plan, file_format="xlsx")
    cell = sheet.cell(row=row_of(sheet, FORMULA), column=2)
    assert cell.data_type == "s"
    assert not any(
        c.data_type == "f" for row in sheet.iter_rows() for c in row if c.value is not None
    )


def test_a_control_character_in_a_name_does_not_break_the_xlsx_or_the_docx(plan):
    """Regression: a vertical tab (a line break pasted from a word processor) in an action's
    name made openpyxl and python-docx refuse the text, a 500 on download."""
    action = plan.actions.get(name=LINING)
    Action.objects.filter(pk=action.pk).update(name="Line 12 km\x0bof canals\x01")
    sheet = xlsx(plan, file_format="xlsx")
    assert row_of(sheet, "Line 12 km of canals ")
    document = docx(plan, file_format="docx")
    names = [cell_texts(row)[1] for row in document.tables[0].rows if len(row._tr.tc_lst) > 2]
    assert "Line 12 km of canals " in names
    assert plan_form_file(plan, revision="draft", file_format="pdf", language="en").content


def test_the_xlsx_prints_on_a4_landscape_with_the_header_on_every_page(plan):
    sheet = xlsx(plan, file_format="xlsx")
    assert sheet.freeze_panes == "A9"
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in sheet.oddFooter.center.text
    widths = [sheet.column_dimensions[c].width for c in "ABCDEF"]
    assert widths[1] > widths[3] > widths[0]  # the name is widest, the number narrowest


def test_the_xlsx_in_russian_has_the_official_title(plan):
    needs_translation("ru", "Operational plan")
    sheet = xlsx(plan, file_format="xlsx", language="ru")
    assert sheet["A1"].value == "Операционный план"
    assert sheet.cell(row=7, column=2).value == "Наименование"


# --- DOCX ------------------------------------------------------------------------------------


def docx(plan, **options):
    file = plan_form_file(plan, **({"revision": "draft", "language": "en"} | options))
    return Document(io.BytesIO(file.content))


def cell_texts(row) -> list[str]:
    """The text of each real cell of a row (a merged cell once)."""
    return ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in row._tr.tc_lst]


def test_the_docx_is_laid_out_as_appendix_1(plan):
    document = docx(plan, file_format="docx")
    section = document.sections[0]
    assert section.orientation == 1  # landscape
    assert section.page_width > section.page_height
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:4] == [
        "Operational plan",
        "Ministry of Water Resources",
        "(name of the state body)",
        "for 2026 year",
    ]
    assert any("Ahmetov Nurlan Serikovich" in p for p in paragraphs)
    table = document.tables[0]
    rows = [cell_texts(row) for row in table.rows]
    assert rows[0][1] == "Name"
    assert rows[1] == ["1", "2", "3", "4", "5", "6"]
    assert rows[2] == [
        "I. Actions to achieve the goals and target indicators of the development plan"
    ]
    assert rows[3] == ["", "Strategic direction 1. Water security"]
    assert [
        "2",
        LINING,
        "254, 255",
        "Department of Water Resources, Committee for Water Resources, Қазсушар РМК",
        "2 quarter",
        "Report",
    ] in rows
    repeated = [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows
    ]
    assert repeated[:3] == [True, True, False]


def test_the_docx_numbers_its_pages_n_of_n_as_the_pdf_does(plan):
    document = docx(plan, file_format="docx")
    footer = document.sections[0].footer.paragraphs[0]._p
    fields = footer.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE", "NUMPAGES"]
    # In the order the reader sees it: the page, " / ", the number of pages.
    parts = [
        f"{{{element.get(qn('w:instr'))}}}" if element.tag == qn("w:fldSimple") else element.text
        for element in footer
        if element.tag in (qn("w:fldSimple"), qn("w:r"))
    ]
    assert parts == ["{PAGE}", " / ", "{NUMPAGES}"]


# --- PDF -------------------------------------------------------------------------------------


def pdf_file(plan, tmp_path, **options):
    file = plan_form_file(plan, **({"revision": "draft", "file_format": "pdf"} | options))
    path = tmp_path / file.filename
    path.write_bytes(file.content)
    return path


def poppler(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603


def test_the_pdf_has_the_form_in_kazakh_letters_with_an_embedded_font(plan, tmp_path):
    path = pdf_file(plan, tmp_path, language="kk")
    text = poppler("pdftotext", "-layout", str(path), "-")
    assert "Атауы" in text and "жыл бойы" in text  # "Name", "annually": in the catalog
    assert KAZAKH in text
    assert "Қазсушар РМК" in text
    fonts = poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all("DejaVu" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column
    info = poppler("pdfinfo", str(path))
    assert "841.89 x 595.276 pts (A4)" in info  # landscape


def test_the_pdf_repeats_the_header_and_numbers_its_pages(plan, world, tmp_path):
    more_actions(plan, 80)
    path = pdf_file(plan, tmp_path, language="en")
    pages = poppler("pdftotext", "-layout", str(path), "-").split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Responsible" in page and "Form of completion" in page
        assert f"{number} / {len(pages)}" in page


# --- the page, the API, the command ----------------------------------------------------------


def test_a_viewer_opens_the_export_page_and_downloads_the_form(client, body, plan, viewer):
    client.force_login(viewer)
    page = client.get(reverse("documents:plan_export", args=[body.pk, plan.pk]))
    assert page.status_code == 200
    assert b"<progress" in page.content and b"export.js" in page.content
    url = reverse("documents:plan_export_file", args=[body.pk, plan.pk])
    response = client.get(url, {"format": "docx", "lang": "kk", "revision": "draft"})
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"] == (
        'attachment; filename="operational-plan-MWR-2026-draft-kk.docx"'
    )
    assert int(response["Content-Length"]) == len(response.content)


def test_the_download_defaults_to_the_revision_in_force(client, body, plan, world, viewer):
    approve(plan, world[1])
    client.force_login(viewer)
    url = reverse("documents:plan_export_file", args=[body.pk, plan.pk])
    response = client.get(url, {"lang": "en"})
    assert response["Content-Disposition"].endswith('-rev1-en.xlsx"')


def test_a_plain_link_gives_xlsx_in_the_readers_language_on_the_page_and_the_api(
    client, body, plan, viewer
):
    client.force_login(viewer)
    for url in (
        reverse("documents:plan_export_file", args=[body.pk, plan.pk]),
        reverse("api-plan-form-detail", args=[plan.pk]),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="kk")
        assert response.status_code == 200, url
        assert response["Content-Disposition"].endswith('-draft-kk.xlsx"'), url


def test_a_wrong_choice_is_a_400_that_names_it(client, body, plan, viewer):
    client.force_login(viewer)
    url = reverse("documents:plan_export_file", args=[body.pk, plan.pk])
    response = client.get(url, {"format": "odt"})
    assert response.status_code == 400
    assert "odt" in response.content.decode()
    assert client.get(url, {"revision": "5"}).status_code == 400


def test_an_outsider_gets_neither_the_page_nor_the_file(client, body, plan, outsider):
    client.force_login(outsider)
    for name in ("documents:plan_export", "documents:plan_export_file"):
        assert client.get(reverse(name, args=[body.pk, plan.pk])).status_code == 404


def test_the_plan_and_revisions_pages_link_to_the_export(client, body, plan, world, viewer):
    approve(plan, world[1])
    client.force_login(viewer)
    export = reverse("documents:plan_export", args=[body.pk, plan.pk])
    assert export in client.get(plan.get_absolute_url()).content.decode()
    revisions = client.get(reverse("plans:revisions", args=[body.pk, plan.pk])).content.decode()
    assert f"{export}?revision=1" in revisions


def test_the_api_gives_the_form_as_a_file(client, plan, viewer):
    client.force_login(viewer)
    url = reverse("api-plan-form-detail", args=[plan.pk])
    response = client.get(
        url,
        {"format": "pdf", "lang": "ru", "revision": "draft"},
        HTTP_ACCEPT="application/pdf",
    )
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    bad = client.get(url, {"format": "odt"})
    assert bad.status_code == 400 and "format" in bad.json()
    missing = client.get(url, {"revision": "4"})
    assert missing.status_code == 400 and "no revision 4" in missing.json()["revision"][0]


def test_the_api_hides_another_bodys_plan(client, plan, outsider):
    client.force_login(outsider)
    assert client.get(reverse("api-plan-form-detail", args=[plan.pk])).status_code == 404


def test_the_command_writes_the_form(plan, tmp_path, capsysbinary):
    target = tmp_path / "plan.xlsx"
    call_command("export_plan", "MWR", "2026", "--lang", "ru", "-o", str(target))
    assert capsysbinary.readouterr().out.decode().startswith(str(target))
    sheet = openpyxl.load_workbook(target).active
    assert sheet.cell(row=7, column=2).value == "Наименование"
    call_command("export_plan", "MWR", "2026", "--format", "pdf", "-o", "-")
    assert capsysbinary.readouterr().out.startswith(b"%PDF")


def test_the_command_says_what_is_wrong(plan):
    with pytest.raises(CommandError, match="No state body has the code “NOPE”"):
        call_command("export_plan", "NOPE", "2026")
    with pytest.raises(CommandError, match="no operational plan for 2031 \\(it has: 2026\\)"):
        call_command("export_plan", "MWR", "2031")
    with pytest.raises(CommandError, match="no revision 3"):
        call_command("export_plan", "MWR", "2026", "--revision", "3")


def test_the_command_speaks_the_language_of_the_session(plan):
    """Regression: the export commands' help and messages were English in a Russian shell."""
    from django.utils import translation

    with translation.override("ru"):
        with pytest.raises(CommandError, match="Государственного органа с кодом «NOPE» нет"):
            call_command("export_plan", "NOPE", "2026")
        text = Command().create_parser("jospar", "export_plan").format_help()
    assert "код государственного органа, например MWR" in " ".join(text.split())


def test_the_command_explains_its_options():
    text = Command().create_parser("jospar", "export_plan").format_help()
    for option in ("body", "year", "--revision", "--format", "--lang", "-o"):
        assert option in text
