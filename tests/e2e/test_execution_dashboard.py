"""An official reads the execution dashboard of the 2026 plan: opened from the plan's page, it
says the 2nd quarter comes from the report in preparation and the others have none; grouped by
responsible executor, its table says the Department of water supply had one action due and no
information on it; the tables download as a workbook and the chart as an SVG file. The page
passes axe."""

import io

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.test_accessibility import serious_violations
from tests.worlds import AFTER_Q2, monitoring_world, q2_report


@pytest.fixture
def world(transactional_db, clock):
    world = monitoring_world()
    q2_report(world)
    clock(AFTER_Q2, tick=True)
    return world


def test_an_official_reads_the_execution_dashboard_and_downloads_it(world, page, login):
    login(world.official)
    page.goto(world.plan.get_absolute_url())
    page.get_by_role("link", name="Execution dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Execution of the operational plan for 2026"
    )
    expect(page.locator("#source-q2")).to_contain_text("report in preparation")
    expect(page.locator("#source-q1")).to_contain_text("no report yet")
    overall = page.get_by_role(
        "img", name="Execution of the due actions of the 2026 plan, by quarter"
    )
    expect(overall).to_be_visible()

    page.get_by_role("link", name="Responsible executor").click()
    expect(page.locator("#by-unit")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("img", name="by responsible executor")).to_be_visible()
    row = page.locator("#group-table tbody tr").filter(has_text="Department of water supply")
    # due, executed, partially, not executed, no information, executed %
    expect(row.locator("td")).to_have_text(
        ["2", "report in preparation (as last compiled)", "1", "0", "0", "0", "1", "0%"]
    )
    assert not serious_violations(page, Axe(), "the execution dashboard")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the tables (XLSX)").click()
    download = info.value
    assert download.suggested_filename == "execution-2026.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    executors = book["Executors"]
    cells = [row for row in executors.iter_rows(min_row=4, values_only=True) if row[0]]
    assert ("Department of water supply", 2) in [(r[0], r[1]) for r in cells]

    with page.expect_download() as info:
        page.locator("#group-svg").click()
    download = info.value
    assert download.suggested_filename == "execution-2026-unit.svg"
    svg = download.path().read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and 'role="img"' in svg and "Department of water supply" in svg
