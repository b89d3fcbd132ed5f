"""The development plan from a workbook: reading (every problem by sheet, row and column), the
dry run's comparison, the import through the services (all or nothing, a constant number of
queries), re-imports (nothing / an amendment) and the command."""

import datetime as dt
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from jospar.strategy import services
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)
from jospar.strategy.tests.sheets import plan_workbook, rows_of
from jospar.strategy.workbook import plan_changes, read_workbook, template_workbook

pytestmark = pytest.mark.django_db


def messages(reading) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in reading.problems]


def imported(planner, body, workbook=None, **kwargs):
    reading = read_workbook(workbook or plan_workbook())
    assert reading.ok, messages(reading)
    return services.development_plan_import(actor=planner, body=body, reading=reading, **kwargs)


def test_a_filled_template_creates_the_plan_with_its_tree_and_values(body, planner):
    changes = imported(planner, body)
    plan = DevelopmentPlan.objects.get(body=body)
    assert (plan.start_year, plan.end_year, plan.signed_on) == (2025, 2029, dt.date(2025, 1, 6))
    assert plan.title_kk.startswith("Су ресурстары") and plan.title_ru.startswith("План")
    assert StrategicDirection.objects.filter(plan=plan).count() == 2
    assert Goal.objects.filter(direction__plan=plan).count() == 4
    assert Indicator.objects.filter(plan=plan, kind="macro").count() == 2
    assert Indicator.objects.filter(plan=plan, kind="target").count() == 8
    target = Indicator.objects.get(plan=plan, goal__number=2, goal__direction__number=1, number=2)
    assert target.name_kk == "Индикатор 1.2.2" and target.unit_of_measure_ru == "ед."
    assert (target.baseline_year, target.baseline) == (2024, Decimal(1))
    assert dict(target.values.values_list("year", "planned")) == {
        2025: 20,
        2026: 21,
        2027: 22,
        2028: 23,
        2029: 24,
    }
    assert changes.count("created") == 16 and changes.amendment is None
    assert target.history.get().history_user == planner  # each row has its history
    assert IndicatorValue.history.count() == 50


def test_the_same_file_again_changes_nothing(body, planner):
    imported(planner, body)
    before = (Indicator.history.count(), IndicatorValue.history.count(), Amendment.objects.count())
    changes = imported(planner, body)
    assert not changes.changed and changes.count("unchanged") == 16
    after = (Indicator.history.count(), IndicatorValue.history.count(), Amendment.objects.count())
    assert after == before


def test_an_amended_file_is_recorded_as_an_amendment_with_its_date(body, planner):
    imported(planner, body)
    rows = rows_of()
    rows[1][10] = 99  # macro indicator 1, 2027
    rows[2][3] = "Цель 1.1 (в новой редакции)"
    rows.append(["Целевой индикатор", 3, "", "Новый индикатор", "", "ед.", "", "", 1, 2, 3])
    amended = plan_workbook(rows)
    reading = read_workbook(amended)
    dry = plan_changes(reading, body)
    assert dry.amends
    assert (dry.count("created"), dry.count("updated")) == (1, 2)
    with pytest.raises(ValidationError) as refused:
        services.development_plan_import(actor=planner, body=body, reading=reading)
    assert "amendment" in refused.value.messages[0]
    changes = imported(
        planner,
        body,
        plan_workbook(rows),
        amendment_signed_on=dt.date(2028, 1, 12),
        amendment_document="Приказ № 7",
    )
    amendment = Amendment.objects.get()
    assert (amendment.signed_on, amendment.document) == (dt.date(2028, 1, 12), "Приказ № 7")
    assert "1 created, 2 updated" in amendment.description
    assert changes.amendment == amendment
    macro = Indicator.objects.get(kind="macro", direction__number=1)
    assert macro.values.get(year=2027).planned == 99 and macro.version == 1
    goal = Goal.objects.get(direction__number=1, number=1)
    assert goal.name_ru == "Цель 1.1 (в новой редакции)" and goal.name_kk == "Мақсат 1.1"
    new = Indicator.objects.get(name_ru="Новый индикатор")
    assert new.goal.code == "2.2" and dict(new.values.values_list("year", "planned")) == {
        2025: 1,
        2026: 2,
        2027: 3,
    }


def test_an_amendment_dated_before_the_plan_is_refused_and_nothing_is_written(body, planner):
    imported(planner, body)
    rows = rows_of()
    rows[1][10] = 99
    with pytest.raises(ValidationError):
        imported(planner, body, plan_workbook(rows), amendment_signed_on=dt.date(2024, 1, 1))
    assert not Amendment.objects.exists()
    assert (
        Indicator.objects.get(kind="macro", direction__number=1).values.get(year=2027).planned == 12
    )


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda book: setattr(book.worksheets[1].cell(row=1, column=9), "value", 2031),
            (2, 1, "I", "2031 is outside the plan period 2025–2029."),
        ),
        (
            lambda book: setattr(book.worksheets[1].cell(row=1, column=3), "value", "Заметки"),
            (2, 1, "C", "“Заметки” is not a heading the import knows."),
        ),
        (
            lambda book: setattr(book.worksheets[1].cell(row=3, column=10), "value", "много"),
            (2, 3, "J", "“много” is not a number."),
        ),
        (
            lambda book: setattr(book.worksheets[1].cell(row=7, column=2), "value", "1.1"),
            (2, 7, "B", "The code 1.1 is already used in row 4."),
        ),
        (
            lambda book: setattr(book.worksheets[1].cell(row=2, column=1), "value", "Цель"),
            (2, 2, "A", "The goal stands under no strategic direction."),
        ),
        (
            lambda book: setattr(book.worksheets[1].cell(row=4, column=1), "value", "Строка"),
            (
                2,
                4,
                "A",
                "“Строка” is not a level: write a strategic direction, a macro "
                "indicator, a goal or a target indicator.",
            ),
        ),
        (
            lambda book: setattr(book.worksheets[0].cell(row=5, column=2), "value", "вчера"),
            (1, 5, "B", "“Signing date”: give a date, e.g. 06.01.2025."),
        ),
        (
            lambda book: setattr(book.worksheets[1].cell(row=5, column=2), "value", "2.1.1"),
            (
                2,
                5,
                "B",
                "The code 2.1.1 does not begin with the code of the row it stands under (1.1).",
            ),
        ),
    ],
)
def test_each_problem_names_its_sheet_row_and_column(body, edit, expected):
    reading = read_workbook(plan_workbook(edit=edit, language="en"))
    sheet_index, row, column, message = expected
    sheet = ("Plan", "Structure")[sheet_index - 1]
    assert (sheet, row, column, message) in messages(reading)


def test_an_indicator_under_nothing(body):
    rows = [["Целевой индикатор", 1, "", "Индикатор", "", "%"], *rows_of(1, 1, 1)]
    reading = read_workbook(plan_workbook(rows))
    # (the sheet as the Russian template names it)
    expected = ("Структура", 2, "A", "The target indicator stands under no goal.")
    assert expected in messages(reading)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"level;code\n1;2\n", "The file is not a workbook the import reads"),
        (b"PK\x03\x04" + b"\x00" * 200, "The file is damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
    ],
)
def test_a_file_that_is_not_a_good_workbook_is_a_message_and_nothing_is_written(
    body, planner, content, message
):
    reading = read_workbook(BytesIO(content))
    assert not reading.ok and message in str(reading.problems[0])
    with pytest.raises(ValidationError):
        services.development_plan_import(actor=planner, body=body, reading=reading)
    assert not DevelopmentPlan.objects.exists()


def test_an_oversized_file_is_refused(body, monkeypatch):
    from jospar.documents import importer

    monkeypatch.setattr(importer, "MAX_MB", 0)
    reading = read_workbook(plan_workbook())
    assert "larger than 0 MB" in reading.problems[0].message


def test_a_file_that_changes_the_period_or_signing_of_a_stored_plan_is_refused(body, planner):
    imported(planner, body)
    reading = read_workbook(plan_workbook(details={"signed_on": dt.date(2025, 2, 1)}))
    changes = plan_changes(reading, body)
    assert "was signed on 06.01.2025" in changes.problems[0].message
    with pytest.raises(ValidationError):
        services.development_plan_import(
            actor=planner, body=body, reading=reading, amendment_signed_on=dt.date(2026, 1, 1)
        )


def test_only_a_planner_of_the_body_imports(body, viewer, outsider):
    reading = read_workbook(plan_workbook())
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.development_plan_import(actor=user, body=body, reading=reading)
    assert not DevelopmentPlan.objects.exists()


def test_the_queries_do_not_grow_with_the_rows(
    body, other_body, planner, django_assert_max_num_queries
):
    from jospar.orgs.models import Role
    from tests.factories import member

    small = read_workbook(plan_workbook(rows_of(1, 1, 1)))
    large = read_workbook(plan_workbook(rows_of(6, 5, 8)))
    assert len(large.items) == 6 * (2 + 5 * 9)
    with django_assert_max_num_queries(40) as small_run:
        services.development_plan_import(actor=planner, body=body, reading=small)
    other_planner = member(other_body, Role.PLANNER, username="other-planner")
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        services.development_plan_import(actor=other_planner, body=other_body, reading=large)
    assert IndicatorValue.objects.filter(indicator__plan__body=other_body).count() == 6 * 41 * 5


def test_the_template_downloads_a_stored_plan_and_reads_back_unchanged(body, planner):
    imported(planner, body)
    plan = DevelopmentPlan.objects.get()
    again = read_workbook(BytesIO(template_workbook(years=plan.years, plan=plan)))
    assert again.ok, messages(again)
    assert not plan_changes(again, body).changed


def test_the_template_in_kazakh_reads_the_same(body, planner):
    reading = read_workbook(plan_workbook(language="kk"))
    assert reading.ok, messages(reading)
    assert len(reading.items) == 16


# The command


def test_the_command_dry_runs_then_imports(body, planner, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_workbook().getvalue())
    out = StringIO()
    call_command(
        "import_development_plan",
        str(path),
        body=body.code,
        dry_run=True,
        user="planner",
        stdout=out,
    )
    assert "16 created, 0 updated, 0 unchanged" in out.getvalue()
    assert not DevelopmentPlan.objects.exists()
    call_command("import_development_plan", str(path), body=body.code, user="planner", stdout=out)
    assert DevelopmentPlan.objects.filter(body=body).exists()
    rows = rows_of()
    rows[1][8] = 50
    path.write_bytes(plan_workbook(rows).getvalue())
    with pytest.raises(CommandError, match="amendment"):
        call_command("import_development_plan", str(path), body=body.code, user="planner")
    call_command(
        "import_development_plan",
        str(path),
        body=body.code,
        user="planner",
        amendment_date="12.01.2028",
        stdout=out,
    )
    assert Amendment.objects.get().signed_on == dt.date(2028, 1, 12)


def test_the_command_names_each_problem(body, planner, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        plan_workbook(
            edit=lambda book: setattr(book.worksheets[1].cell(row=3, column=10), "value", "x")
        ).getvalue()
    )
    with pytest.raises(CommandError) as failed:
        call_command("import_development_plan", str(path), body=body.code, user="planner")
    assert "row 3, column J: “x” is not a number." in str(failed.value)
    assert not DevelopmentPlan.objects.exists()
