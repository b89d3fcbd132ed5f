"""A plan in the state language and in Russian: Appendix 1 in Kazakh prints the Kazakh texts
and in Russian the Russian ones (golden files), a text lacking a language prints in the other
one and the export page counts it, an approved revision keeps both languages, and a workbook of
the plan in the other language fills that language in, row by row, or writes nothing."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from jospar.documents.appendices import plan_form_file
from jospar.documents.importer import (
    parse_plan_xlsx,
    plan_import,
    plan_translate,
    translation_pairs,
)
from jospar.documents.tests.test_export_golden import DUMPS, check
from jospar.lib.models import unguarded
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.plans.checks import check_plan
from jospar.plans.models import Action
from jospar.strategy.models import StrategicDirection
from jospar.translation import TRANSLATED
from tests.factories import member
from tests.openapi import served_schema
from tests.worlds import FORMULA, KAZAKH, LINING, appendix_plan_world, at, shared_world, the_body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

# Each text of the Appendix tests' plan (as the world writes it, in the tests' language) in
# Russian and in Kazakh.
BOTH = {
    "Ministry of Water Resources": ("Министерство водных ресурсов", "Су ресурстары министрлігі"),
    "Department of strategic planning": (
        "Департамент стратегического планирования",
        "Стратегиялық жоспарлау департаменті",
    ),
    "Director of the department": ("Директор департамента", "Департамент директоры"),
    "Department of Water Resources": ("Департамент водных ресурсов", "Су ресурстары департаменті"),
    "Committee for Water Resources": ("Комитет по водным ресурсам", "Су ресурстары комитеті"),
    "Water security": ("Водная безопасность", "Су қауіпсіздігі"),
    "Water productivity of GDP": ("Водоёмкость ВВП", "ЖІӨ-нің су сыйымдылығы"),
    "Reliable water supply": ("Надёжное водоснабжение", "Сенімді сумен жабдықтау"),
    "Share of lined canals": ("Доля облицованных каналов", "Қапталған арналардың үлесі"),
    "Losses of water in canals": ("Потери воды в каналах", "Арналардағы су шығыны"),
    "Informing the public": ("Информирование населения", "Халықты хабардар ету"),
    "Development of irrigation": ("Развитие орошения", "Суармалы егіншілікті дамыту"),
    "Water supply": ("Водоснабжение", "Сумен жабдықтау"),
    KAZAKH: ("Подключение зданий акиматов", KAZAKH),
    LINING: (
        "Облицевать 12 км магистральных оросительных каналов",
        "Магистральдық суару арналарының 12 км қаптау",
    ),
    FORMULA: ("=СУММ(A1:A9) облицованных каналов", "=SUM(A1:A9) қапталған арналар"),
    "Publish the plan's progress on the website": (
        "Публиковать ход исполнения плана на сайте",
        "Жоспардың орындалу барысын сайтта жариялау",
    ),
    "Information to the Government": ("Информация в Правительство", "Үкіметке ақпарат"),
    "Publication": ("Публикация", "Жариялау"),
    "units": ("единиц", "бірлік"),
}


def in_both_languages() -> None:
    """Give every text the world wrote (in English, the tests' language) its Russian and
    Kazakh versions and no English one, as a body that works in its two languages has them."""
    for model in TRANSLATED:
        for obj in model.objects.all():
            changed = {}
            for field in model.TEXTS:
                english = getattr(obj, f"{field}_en", None)
                if isinstance(english, str) and english in BOTH:
                    russian, kazakh = BOTH[english]
                    changed |= {f"{field}_ru": russian, f"{field}_kk": kazakh, f"{field}_en": None}
            if changed:
                model.objects.filter(pk=obj.pk).update(**changed)


def bilingual_world():
    """The plan of the Appendix tests with its texts in Russian and Kazakh; built once for the
    module."""
    plan, planner = appendix_plan_world(the_body())
    in_both_languages()
    return plan, planner


world_once, world = shared_world(bilingual_world)


def xlsx_text(plan, language: str, revision="draft") -> str:
    file = plan_form_file(plan, revision=revision, file_format="xlsx", language=language)
    return DUMPS["xlsx"](file.content)


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "pdf"])
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_each_language_prints_its_own_texts(world, language, file_format):
    plan, _planner = world
    file = plan_form_file(plan, revision="draft", file_format=file_format, language=language)
    text = DUMPS[file_format](file.content)
    check(f"appendix1-bilingual-{language}.{file_format}.txt", text)
    other = 0 if language == "kk" else 1  # the index of the other language's text in BOTH
    own = 1 - other
    flat = " ".join(text.split())
    assert " ".join(BOTH[LINING][own].split()) in flat
    assert BOTH["Water security"][own] in flat
    assert BOTH["Water security"][other] not in flat
    assert "Water security" not in flat


def test_a_text_lacking_a_language_prints_the_other_and_the_export_page_counts_it(world, client):
    plan, planner = world
    lining = Action.objects.get(name_ru=BOTH[LINING][0])
    plans.action_update(actor=planner, action=lining, name_kk="   ")  # only spaces: none
    kazakh = xlsx_text(plan, "kk")
    assert BOTH[LINING][0] in kazakh  # never blank: the Russian text
    assert BOTH[KAZAKH][1] in kazakh
    client.force_login(planner)
    page = client.get(reverse("documents:plan_export", args=[plan.body_id, plan.pk]))
    assert page.status_code == 200
    assert "In Kazakh, 1 text has no Kazakh version yet" in page.content.decode()
    assert "In Russian," not in page.content.decode()
    problems = [p.message for p in check_plan(plan) if not p.is_error]
    assert "1 action has no name in Kazakh." in problems


def test_the_approved_revision_keeps_both_languages(world, body):
    plan, planner = world
    official = member(body, Role.OFFICIAL, username="bi.official")
    with at("2026-01-05 10:00"):
        plans.plan_submit(actor=planner, plan=plan)
        plans.plan_approve(actor=official, plan=plan)
    before = {language: xlsx_text(plan, language, revision=1) for language in ("kk", "ru")}
    assert BOTH[LINING][1] in before["kk"] and BOTH[LINING][0] not in before["kk"]
    assert BOTH[LINING][0] in before["ru"] and BOTH[LINING][1] not in before["ru"]
    with unguarded():  # as if the live rows changed after the approval
        Action.objects.filter(plan=plan).update(name_kk="Өзгертілді", name_ru="Изменено")
    StrategicDirection.objects.update(name_kk="Өзгертілді", name_ru="Изменено")
    assert {language: xlsx_text(plan, language, revision=1) for language in ("kk", "ru")} == before


def _kazakh_workbook(plan, language_of_names: str, edit=None) -> io.BytesIO:
    """The plan's Appendix 1 exported in Kazakh, with its action names as a translator wrote
    them (their Kazakh texts), and `edit` applied to the sheet."""
    content = plan_form_file(plan, revision="draft", file_format="xlsx", language="kk").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    if edit:
        edit(sheet)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_kazakh_workbook_fills_in_the_kazakh_texts_of_a_russian_plan(world):
    plan, planner = world
    Action.objects.filter(plan=plan).update(name_kk=None)
    written = {a.pk: a.name_ru for a in plan.actions.all()}
    in_kazakh = {BOTH[k][0]: BOTH[k][1] for k in (KAZAKH, LINING, FORMULA)}
    in_kazakh[BOTH["Publish the plan's progress on the website"][0]] = BOTH[
        "Publish the plan's progress on the website"
    ][1]

    def translate(sheet):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in in_kazakh:
                    cell.value = in_kazakh[cell.value]
                    cell.data_type = "s"  # a text, though one starts with "="
                elif isinstance(cell.value, str) and BOTH["Water security"][0] in cell.value:
                    cell.value = cell.value.replace(
                        BOTH["Water security"][0], "Су қауіпсіздігі (аударма)"
                    )

    in_kazakh[BOTH["Water security"][0]] = "Су қауіпсіздігі (аударма)"
    StrategicDirection.objects.update(name_kk=None)
    result = parse_plan_xlsx(_kazakh_workbook(plan, "kk", translate), plan=plan)
    assert result.ok, result.problems
    translated = plan_translate(actor=planner, plan=plan, result=result, language="kk")
    direction = StrategicDirection.objects.get()
    assert (direction.name_kk, direction.name_ru) == (
        "Су қауіпсіздігі (аударма)",
        "Водная безопасность",
    )
    assert direction.history.first().history_user == planner
    assert len(translated) == 4
    for action in plan.actions.all():
        assert action.name_ru == written[action.pk]  # the Russian text stays
        assert action.name_kk == in_kazakh[action.name_ru]
        assert action.history.first().name_kk == action.name_kk  # the history records it
    assert BOTH[LINING][1] in xlsx_text(plan, "kk")
    assert BOTH[LINING][0] in xlsx_text(plan, "ru")


def test_a_workbook_that_is_not_the_plans_translation_writes_nothing(world):
    plan, planner = world
    Action.objects.filter(plan=plan).update(name_kk=None)

    def renumber(sheet):  # a row that is not the plan's: action 4 said to be action 9
        for row in sheet.iter_rows():
            if row[0].value == 4:
                row[0].value = 9

    result = parse_plan_xlsx(_kazakh_workbook(plan, "kk", renumber), plan=plan)
    pairs = translation_pairs(result, plan, "kk")
    assert len(pairs) == 3
    messages = [str(p) for p in result.problems]
    assert any(m.startswith("Row ") and "no action 9" in m for m in messages), messages
    assert "Action 4 of the plan is not in the sheet." in messages
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError listing the problems
        plan_translate(actor=planner, plan=plan, result=result, language="kk")
    assert not Action.objects.filter(plan=plan, name_kk__isnull=False).exists()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_export_import_export_holds_in_each_language(world, language):
    """The plan's workbook in one language, imported in place of its actions, fills that
    language's texts; the form in that language is then the same."""
    plan, planner = world
    before = xlsx_text(plan, language)
    content = plan_form_file(plan, revision="draft", file_format="xlsx", language=language)
    result = parse_plan_xlsx(io.BytesIO(content.content), plan=plan)
    assert result.ok, result.problems
    assert result.language == language
    plan_import(actor=planner, plan=plan, result=result, replace=True)
    assert xlsx_text(plan, language) == before
    other = "ru" if language == "kk" else "kk"
    for action in plan.actions.filter(removed=False):
        assert getattr(action, f"name_{language}")
        assert not getattr(action, f"name_{other}")  # the workbook held one language


def test_the_api_reads_and_writes_each_language(world, api):
    plan, planner = world
    lining = Action.objects.get(plan=plan, name_ru=BOTH[LINING][0])
    client = api(planner)
    read = client.get(f"/api/v1/actions/{lining.pk}/").json()
    assert (read["name_kk"], read["name_ru"]) == (BOTH[LINING][1], BOTH[LINING][0])
    assert read["name"] == BOTH[LINING][0] or read["name"] == BOTH[LINING][1]
    answer = client.patch(
        f"/api/v1/actions/{lining.pk}/",
        {"name_kk": "Жаңа атау", "version": read["version"]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    lining.refresh_from_db()
    assert (lining.name_kk, lining.name_ru) == ("Жаңа атау", BOTH[LINING][0])
    too_long = client.patch(
        f"/api/v1/actions/{lining.pk}/",
        {"name_ru": "я" * 10_001, "version": lining.version},
        format="json",
    )
    assert too_long.status_code == 400
    assert "name_ru" in too_long.json()
    lining.refresh_from_db()
    assert lining.name_ru == BOTH[LINING][0]  # nothing saved
    schema = json.dumps(served_schema(client))
    assert "name_kk" in schema and "name_ru" in schema


def test_the_page_form_refuses_a_text_over_its_limit_in_either_language(world, client):
    plan, planner = world
    lining = Action.objects.get(plan=plan, name_ru=BOTH[LINING][0])
    client.force_login(planner)
    url = reverse("plans:action_edit", args=[plan.body_id, plan.pk, lining.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {
        "anchor": f"indicator:{lining.indicator_id}",
        "name_kk": "ә" * 10_001,
        "version": lining.version,
    }
    answer = client.post(url, data)
    assert "name_kk" in answer.context["form"].errors
    lining.refresh_from_db()
    assert lining.name_kk == BOTH[LINING][1]
