"""The demo body's quarterly monitoring of its 2026 plan (R11–R14), as it stands on the demo's
"today", 26 November 2026: the units' information, their heads' sign-off and the monitor's
review.

Quarters 1 and 2: every unit with actions due gave its information, its head signed it off
(most by the 10th, one or two late) and the monitor accepted it. Quarter 3: most are accepted;
the Kazvodresurs enterprise's was returned with a comment, corrected and signed off again and
waits for the monitor; the Legal Service's is still a draft; the Division of Transboundary
Rivers has not started. Quarter 4 (open since 1 October, due 10 January): one draft.

Played after `jospar.demo.plans` has approved the plan, together with the monitor's reports
(`jospar.demo.reports`). Everything goes through `jospar.monitoring.services`, acting as the
executor (or, in a unit without one, its head), the unit head and the monitor, each step on its
own date.
"""

import datetime as dt
import re
from typing import NamedTuple

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from jospar.demo.cast import Cast
from jospar.demo.clock import Step, at
from jospar.documents.render_pdf import compile_pdf, literal
from jospar.lib.records import delete_record
from jospar.monitoring import models, services
from jospar.monitoring.selectors import unit_actions
from jospar.orgs.models import StateBody, User

EXECUTED = models.EntryStatus.EXECUTED
PARTIAL = models.EntryStatus.PARTIAL
NOT_EXECUTED = models.EntryStatus.NOT_EXECUTED
NOT_DUE = models.EntryStatus.NOT_DUE

BOARD_QUARTER = 3  # the last quarter whose information was due (R13) on the demo's today


class Entry(NamedTuple):
    """What a unit writes on one action (by its key in `jospar.demo.plans`): its status, the
    actual execution, the reasons for non-fulfilment and, optionally, the title of a document
    attached as evidence."""

    status: str
    actual: str = ""
    reasons: str = ""
    evidence: str = ""


class Actual(NamedTuple):
    """The actual value of a target indicator (by its key in `jospar.demo.strategy`) that the
    unit answers for, with a comment."""

    value: str
    comment: str


class Return(NamedTuple):
    """The monitor returns a unit's signed-off information with a comment; the unit corrects
    the entries and its head signs it off again."""

    unit: str
    returned: dt.datetime
    comment: str
    corrected: dt.datetime
    entries: dict[str, Entry]
    signed: dt.datetime


class Quarter(NamedTuple):
    """The units' information for a quarter. `timetable`: when each unit typed it in, its head
    signed it off and the monitor accepted it (None: not yet), in the order the units started.
    `information`: what each of them wrote, an Entry per action and an Actual per target
    indicator. `returns`: the information the monitor sent back."""

    number: int
    timetable: tuple[tuple[str, dt.datetime, dt.datetime | None, dt.datetime | None], ...]
    information: dict[str, dict[str, Entry | Actual]]
    returns: tuple[Return, ...] = ()


# --- quarter 1: due 10 April 2026 -------------------------------------------------------------

QUARTER_1 = Quarter(
    1,
    timetable=(
        # unit, typed in, signed off by the head, accepted by the monitor
        ("D05", at(4, 2), at(4, 7, 11, 30), at(4, 13)),
        ("D02", at(4, 3), at(4, 8, 16), at(4, 13, 11)),
        ("C01", at(4, 6), at(4, 9, 17), at(4, 14)),
        ("D03", at(4, 6, 14), at(4, 9, 15), at(4, 14, 11)),
        ("D03.1", at(4, 7), at(4, 10, 12), at(4, 14, 12)),
        ("D01", at(4, 8), at(4, 10, 16, 30), at(4, 15)),
        # Signed off four days after the deadline: the Zhambyl agreement held it up.
        ("D04", at(4, 9), at(4, 14, 10, 30), at(4, 16)),
    ),
    information={
        "D05": {
            "intake": Entry(
                EXECUTED,
                "Данные 1 618 пунктов автоматизированного учета о заборе воды за январь–март "
                "переданы в Комитет для ежеквартального мониторинга 3 апреля 2026 года.",
            ),
            "publication": Entry(
                EXECUTED,
                "15 января 2026 года на интернет-ресурсе министерства создан раздел "
                "«Операционный план» для размещения плана и ежеквартальной информации о его "
                "исполнении.",
            ),
            "metering": Entry(
                NOT_DUE,
                "Договор на поставку и монтаж оборудования на 600 водозаборах заключен "
                "20 марта 2026 года; монтаж начнется в мае.",
            ),
            "T1.1.1": Actual("41.5", "Оснащены 1 618 из 3 900 водозаборов."),
        },
        "D02": {
            "limits": Entry(
                EXECUTED,
                "Предложения по лимитам водопользования по Балкаш-Алакольскому, "
                "Арало-Сырдарьинскому и Шу-Таласскому бассейнам подготовлены и направлены в "
                "Комитет 29 января 2026 года.",
            ),
            "floods": Entry(
                PARTIAL,
                "Противопаводковые мероприятия проведены на 38 из 41 водохранилища: очищены "
                "водосбросы, предпаводковая сработка согласована с акиматами, созданы "
                "аварийные запасы материалов. Информация направлена в Правительство "
                "27 февраля 2026 года.",
                "Не завершен ремонт затворов водосбросов Каргалинского, Актюбинского и "
                "Саздинского водохранилищ Актюбинской области: подрядчик поставил затворы с "
                "опозданием на три недели. Работы будут завершены в апреле, до пика паводка.",
            ),
            "T1.2.1": Actual("64.5", "По итогам предпаводкового обследования в феврале–марте."),
        },
        "C01": {
            "limits": Entry(
                EXECUTED,
                "Лимиты водопользования на 2026 год по восьми водохозяйственным бассейнам и "
                "отраслям экономики утверждены приказом Министра от 12 февраля 2026 года № 41: "
                "всего 22,9 млрд м³, из них 14,8 млрд м³ на орошение.",
                evidence="Выписка из приказа Министра от 12 февраля 2026 года № 41",
            ),
            "intake": Entry(
                EXECUTED,
                "Забор воды в I квартале составил 3,1 млрд м³ (96% лимита за период). "
                "Бассейновые инспекции выявили превышение лимитов у 7 водопользователей в "
                "Туркестанской и Кызылординской областях, выданы 7 предписаний. Информация "
                "направлена руководству 6 апреля 2026 года.",
            ),
            "floods": Entry(
                EXECUTED,
                "Бассейновые инспекции до паводка обследовали 41 водохранилище и "
                "126 гидротехнических сооружений; планы пропуска паводка согласованы с "
                "акиматами 10 областей.",
            ),
            "inventory": Entry(
                NOT_DUE,
                "В марте начато полевое обследование 1 240 км магистральных каналов; потери "
                "будут измерены в апреле–мае, после наполнения каналов.",
            ),
            "T2.1.2": Actual("73.2", "По данным осеннего мелиоративного обследования 2025 года."),
        },
        "D03": {
            "transfers": Entry(
                EXECUTED,
                "Перечни межхозяйственных оросительных сетей, подлежащих реконструкции, и "
                "расчеты трансфертов по трем областям согласованы с Департаментом бюджетного "
                "планирования и финансов 10 февраля 2026 года.",
            ),
            "T2.1.1": Actual("50.4", "Возврат 2025 года подтвержден инвентаризацией земель."),
        },
        "D03.1": {
            "saving-monitoring": Entry(
                EXECUTED,
                "Ежемесячная информация направлена руководству 5 февраля, 5 марта и 3 апреля "
                "2026 года. С начала года капельное орошение и дождевание внедрены на "
                "6,2 тыс. га, в основном в Туркестанской и Жамбылской областях.",
            ),
            "T2.2.1": Actual(
                "326.0", "По данным областных управлений сельского хозяйства на 1 апреля."
            ),
        },
        "D01": {
            "publication": Entry(
                EXECUTED,
                "Отчет о реализации операционного плана за 2025 год и утвержденный "
                "операционный план на 2026 год размещены на интернет-ресурсе министерства "
                "22 января 2026 года.",
            ),
        },
        "D04": {
            "transfers": Entry(
                PARTIAL,
                "Заключены соглашения о целевых трансфертах с акиматами Туркестанской "
                "(№ 12 от 20 февраля 2026 года) и Кызылординской (№ 14 от 25 февраля "
                "2026 года) областей на общую сумму 18,4 млрд тенге.",
                "Акимат Жамбылской области не представил в срок проектно-сметную документацию "
                "с положительным заключением государственной экспертизы. Соглашение будет "
                "заключено после получения заключения, ожидаемого в апреле 2026 года.",
            ),
        },
    },
)


# --- quarter 2: due 10 July 2026 --------------------------------------------------------------

QUARTER_2 = Quarter(
    2,
    timetable=(
        ("D01", at(7, 1), at(7, 7, 15), at(7, 14)),
        ("D02", at(7, 2), at(7, 8, 12), at(7, 14, 11)),
        ("D05", at(7, 2, 11), at(7, 8, 17), at(7, 14, 12)),
        ("C01", at(7, 3), at(7, 9, 16), at(7, 15)),
        ("C01.1", at(7, 3, 15), at(7, 9, 11), at(7, 15, 11)),
        ("D03", at(7, 3, 11), at(7, 9, 15), at(7, 15, 12)),
        ("D06", at(7, 7), at(7, 9, 17, 30), at(7, 15, 15)),
        ("D04", at(7, 7, 14), at(7, 10, 11), at(7, 15, 13)),
        ("D03.1", at(7, 7, 16), at(7, 10, 15), at(7, 15, 13, 30)),
        # Signed off three days late: the director general was on a field trip.
        ("R01", at(7, 8), at(7, 13, 9, 30), at(7, 15, 14)),
    ),
    information={
        "D01": {
            "budget": Entry(
                EXECUTED,
                "Предложения по увязке бюджетных программ с целевыми индикаторами плана "
                "развития направлены в Департамент бюджетного планирования и финансов "
                "24 апреля 2026 года.",
            ),
            "publication": Entry(
                EXECUTED,
                "Информация о реализации операционного плана за I квартал 2026 года размещена "
                "на интернет-ресурсе министерства 22 апреля 2026 года.",
            ),
        },
        "D02": {
            "floods": Entry(
                EXECUTED,
                "Затворы водосбросов Каргалинского, Актюбинского и Саздинского водохранилищ "
                "отремонтированы к 17 апреля 2026 года; весенний паводок прошел без аварийных "
                "ситуаций. Информация направлена в Правительство 24 апреля 2026 года.",
            ),
            "T1.2.1": Actual("65.8", "По итогам послепаводкового обследования в мае 2026 года."),
        },
        "D05": {
            "intake": Entry(
                EXECUTED,
                "Данные 1 716 пунктов автоматизированного учета переданы в Комитет "
                "2 июля 2026 года.",
            ),
            "publication": Entry(
                EXECUTED,
                "Набор данных о заборе воды по бассейнам опубликован на портале открытых "
                "данных 30 июня 2026 года.",
            ),
            "metering": Entry(
                NOT_DUE,
                "Оборудование установлено на 98 из 600 водозаборов; остальные запланированы на "
                "июль–сентябрь.",
            ),
            "T1.1.1": Actual("44.0", "Оснащены 1 716 из 3 900 водозаборов."),
        },
        "C01": {
            "intake": Entry(
                EXECUTED,
                "Забор воды за первое полугодие составил 9,8 млрд м³ (94% лимита за период). "
                "Выявлено 12 превышений лимитов; на 9 водопользователей наложены "
                "административные штрафы.",
            ),
            "inventory": Entry(
                EXECUTED,
                "Проведена инвентаризация технического состояния 1 240 км магистральных "
                "каналов с измерением потерь на 86 участках. Средние потери составляют 29,7%, "
                "на необлицованных участках Кызылкумского канала — до 41%. Отчет направлен "
                "руководству 26 июня 2026 года.",
            ),
            "land-analysis": Entry(
                EXECUTED,
                "Бассейновые инспекции представили данные о водообеспеченности орошаемых "
                "земель за 2024–2025 годы в разрезе областей (письмо от 15 мая 2026 года).",
            ),
            "schedules": Entry(
                EXECUTED,
                "Графики подачи поливной воды на вегетационный период 2026 года утверждены "
                "совместным приказом Председателя Комитета и акиматов областей от 30 марта "
                "2026 года № 57.",
            ),
            "reclamation": Entry(
                EXECUTED,
                "Весенний мелиоративный мониторинг проведен по 2 512 наблюдательным скважинам: "
                "грунтовые воды залегают ближе 2 м на 14% орошаемых земель, средне- и сильно "
                "засоленные почвы занимают 11%. Отчет направлен 3 июля 2026 года.",
            ),
            "inspection": Entry(
                NOT_DUE,
                "Перечень 45 гидротехнических сооружений для обследования утвержден 12 июня "
                "2026 года; заключается договор с экспертной организацией.",
            ),
            "T2.1.2": Actual("73.9", "По данным весеннего мелиоративного обследования 2026 года."),
        },
        "C01.1": {
            "inventory": Entry(
                EXECUTED,
                "Потери воды измерены на 52 участках каналов, эксплуатируемых предприятием; "
                "результаты переданы в Комитет 12 июня 2026 года.",
            ),
            "lining": Entry(
                NOT_DUE,
                "Облицовано 31 из 85 км; работы продолжаются в Кызылординской и Жамбылской "
                "областях.",
            ),
            "T1.1.2": Actual("468", "В текущем году реконструировано 18 км Казалинской системы."),
        },
        "D03": {
            "land-analysis": Entry(
                EXECUTED,
                "Анализ выявил 96,4 тыс. га орошаемых земель, не используемых более двух лет, "
                "41% из них — в Туркестанской и Кызылординской областях. Информация с "
                "предложениями о возврате 18 тыс. га в 2027 году направлена в Правительство "
                "24 июня 2026 года.",
            ),
            "schedules": Entry(
                EXECUTED,
                "Проекты графиков согласованы с областными управлениями сельского хозяйства; "
                "учтены замечания четырех областей.",
            ),
            "T2.1.1": Actual("51.9", "В Алматинской области возвращено 1,5 тыс. га."),
        },
        "D06": {
            "subsidy-rules": Entry(
                EXECUTED,
                "Проведена юридическая экспертиза проекта приказа; заключение направлено в "
                "Управление водосберегающих технологий 28 мая 2026 года.",
            ),
        },
        "D04": {
            "transfers": Entry(
                EXECUTED,
                "Соглашение о целевых трансфертах с акиматом Жамбылской области заключено "
                "17 апреля 2026 года (№ 21) после получения положительного заключения "
                "государственной экспертизы.",
            ),
            "subsidy-rules": Entry(
                EXECUTED,
                "Рассчитаны дополнительные бюджетные расходы на повышение доли субсидирования "
                "(12,7 млрд тенге на 2027 год); расчеты направлены в Министерство финансов "
                "1 июля 2026 года.",
            ),
            "budget": Entry(
                EXECUTED,
                "Бюджетная заявка министерства на 2027–2029 годы представлена в Министерство "
                "национальной экономики 14 мая 2026 года (№ 04-12/1187).",
                evidence="Письмо в Министерство национальной экономики от 14 мая 2026 года "
                "№ 04-12/1187",
            ),
        },
        "D03.1": {
            "subsidy-rules": Entry(
                NOT_EXECUTED,
                "Проект приказа подготовлен и 2 июня 2026 года размещен для публичного "
                "обсуждения на портале проектов нормативных правовых актов.",
                "Министерство финансов не согласовало повышение доли субсидирования до 80% без "
                "расчетов дополнительных бюджетных расходов; расчеты направлены 1 июля "
                "2026 года. Приказ планируется принять в III квартале.",
            ),
            "saving-monitoring": Entry(
                EXECUTED,
                "Ежемесячная информация направлена 6 мая, 4 июня и 3 июля 2026 года. С начала "
                "года капельное орошение и дождевание внедрены на 22,5 тыс. га.",
            ),
            "seminars": Entry(
                EXECUTED,
                "Специалисты управления выступили о субсидировании водосберегающих систем "
                "орошения на пяти проведенных семинарах.",
            ),
            "T2.2.1": Actual(
                "342.3", "По данным областных управлений сельского хозяйства на 1 июля."
            ),
        },
        "R01": {
            "inventory": Entry(
                EXECUTED,
                "Институт обработал результаты измерений и подготовил методику расчета потерь "
                "по участкам каналов (передана в Комитет 19 июня 2026 года).",
            ),
            "reclamation": Entry(
                EXECUTED,
                "Проанализированы 1 850 проб почвы и грунтовых вод из наблюдательных скважин; "
                "результаты переданы в Комитет 29 июня 2026 года.",
            ),
            "seminars": Entry(
                PARTIAL,
                "Семинары проведены в Туркестанской, Жамбылской, Алматинской, Жетысуской "
                "областях и области Абай для 740 фермеров; материалы опубликованы в "
                "региональных СМИ и на сайте института.",
                "Семинар в Кызылординской области перенесен на июль 2026 года по просьбе "
                "акимата в связи с посевной кампанией риса.",
            ),
            "T2.2.2": Actual(
                "8", "Режим капельного орошения хлопчатника проходит полевые испытания."
            ),
        },
    },
)


# --- quarter 3: due 10 October 2026 (a Saturday) ----------------------------------------------

QUARTER_3 = Quarter(
    3,
    timetable=(
        ("D01", at(10, 1), at(10, 7, 15), at(10, 13)),
        # Signed off in time, returned by the monitor, corrected and signed off again after the
        # deadline (see `returns` below): it waits for the monitor.
        ("C01.1", at(10, 2), at(10, 7, 11), None),
        ("D03", at(10, 2, 11), at(10, 8, 10), at(10, 13, 11)),
        ("C01", at(10, 5), at(10, 8, 16), at(10, 14)),
        ("D02", at(10, 5, 14), at(10, 9, 11), at(10, 14, 11)),
        ("D03.1", at(10, 6), at(10, 9, 15), at(10, 14, 15)),
        ("R01", at(10, 6, 11), at(10, 9, 16), at(10, 15)),
        # Never signed off: the reasons are missing, so the head cannot sign it yet.
        ("D06", at(10, 6, 15), None, None),
        # Two days late.
        ("D05", at(10, 7), at(10, 12, 10), at(10, 15, 11)),
        # The Division of Transboundary Rivers (the Joint Commission's meeting) has not started.
    ),
    information={
        "D01": {
            "publication": Entry(
                EXECUTED,
                "Информация о реализации операционного плана за первое полугодие 2026 года "
                "размещена на интернет-ресурсе министерства 21 июля 2026 года.",
            ),
        },
        "C01.1": {
            "metering": Entry(
                EXECUTED,
                "Предприятие подготовило площадки и подключило 600 пунктов учета на своих "
                "каналах к электроснабжению и линиям связи.",
            ),
            "flood-repair": Entry(
                EXECUTED,
                "Отремонтированы все 12 водоподпорных сооружений, поврежденных паводками "
                "2024 года.",
            ),
            "drainage": Entry(EXECUTED, "Коллекторно-дренажные сети очищены."),
            "T1.1.2": Actual("497", "За квартал реконструировано 29 км Казалинской системы."),
        },
        "D03": {
            "draft-law": Entry(
                EXECUTED,
                "Предложения по главе о мелиорации орошаемых земель направлены в Департамент "
                "юридической службы 5 августа 2026 года.",
            ),
            "land-return": Entry(
                NOT_DUE,
                "Реконструкция коллекторно-дренажных сетей завершена на 2,1 тыс. га из 5 тыс. га.",
            ),
            "T2.1.1": Actual("53.2", "В Алматинской области возвращено 1,3 тыс. га."),
        },
        "C01": {
            "intake": Entry(
                EXECUTED,
                "Забор воды за девять месяцев составил 17,6 млрд м³ (95% лимита за период). "
                "Из-за маловодья Сырдарьи в августе подача воды рисоводам Кызылординской "
                "области ограничена 80% заявок. Выявлено 15 превышений лимитов, наложено "
                "11 штрафов.",
            ),
            "drainage": Entry(
                EXECUTED,
                "Бассейновые инспекции участвовали в приемке очищенных участков "
                "коллекторно-дренажных сетей (акты от 14 августа–25 сентября 2026 года).",
            ),
            "T2.1.2": Actual(
                "74.1", "Предварительно: осеннее обследование по 1 300 из 2 512 скважин."
            ),
        },
        "D02": {
            "flood-repair": Entry(
                PARTIAL,
                "Департамент контролировал ремонт 10 из 12 сооружений и участвовал в их приемке.",
                "Не завершены плотины Кызылкога и Сагиз в Атырауской области: поставщик с "
                "опозданием поставил гидромеханическое оборудование. Завершение "
                "запланировано на 15 декабря 2026 года.",
            ),
            "draft-law": Entry(
                EXECUTED,
                "Предложения по главам о распределении воды и о правах водопользователей "
                "направлены в Департамент юридической службы 3 августа 2026 года.",
            ),
            "T1.2.1": Actual("67.1", "После ремонта 10 водоподпорных сооружений."),
        },
        "D03.1": {
            "subsidy-rules": Entry(
                EXECUTED,
                "Изменения приняты приказом Министра от 18 сентября 2026 года № 214 (доля "
                "субсидирования капельного орошения повышена до 80%) и зарегистрированы в "
                "Министерстве юстиции 25 сентября 2026 года.",
            ),
            "saving-monitoring": Entry(
                EXECUTED,
                "Ежемесячная информация направлена 5 августа, 4 сентября и 5 октября "
                "2026 года. С начала года капельное орошение и дождевание внедрены на "
                "43,2 тыс. га.",
            ),
            "T2.2.1": Actual(
                "363.0", "По данным областных управлений сельского хозяйства на 1 октября."
            ),
        },
        "R01": {
            "seminars": Entry(
                EXECUTED,
                "Семинар в Кызылординской области проведен 16 июля 2026 года для 130 "
                "рисоводов; проведены все шесть семинаров, всего для 870 фермеров.",
            ),
            "T2.2.2": Actual(
                "9", "Режим капельного орошения хлопчатника внедрен в Мактааральском районе."
            ),
        },
        "D06": {
            "draft-law": Entry(
                NOT_EXECUTED,
                "Проект закона подготовлен и 25 августа 2026 года направлен на согласование в "
                "девять государственных органов; получены замечания семи из них.",
            ),
        },
        "D05": {
            "intake": Entry(
                EXECUTED,
                "Данные 2 168 пунктов автоматизированного учета переданы в Комитет "
                "2 октября 2026 года.",
            ),
            "metering": Entry(
                EXECUTED,
                "Оборудование автоматизированного учета воды и передачи данных установлено на "
                "600 водозаборах (акты приемки от 21 августа–29 сентября 2026 года); 552 из них "
                "уже передают данные в Национальную информационную систему водных ресурсов.",
                evidence="Сводный акт приемки оборудования автоматизированного учета воды "
                "от 29 сентября 2026 года",
            ),
            "publication": Entry(
                EXECUTED,
                "15 сентября 2026 года на интернет-ресурсе министерства опубликована "
                "общедоступная карта забора воды по бассейнам, формируемая по данным "
                "информационной системы.",
            ),
            "integration": Entry(
                NOT_DUE,
                "Модуль интеграции проходит приемочные испытания; ввод в эксплуатацию "
                "планируется в ноябре 2026 года.",
            ),
            "T1.1.1": Actual("55.6", "Оснащены 2 168 из 3 900 водозаборов."),
        },
    },
    returns=(
        Return(
            "C01.1",
            returned=at(10, 8, 15),
            comment="Ремонт 12 водоподпорных сооружений: по актам приемки отремонтировано 10 "
            "сооружений, а не 12. Исправьте статус, укажите причины по двум плотинам в "
            "Атырауской области и приложите акты. Очистка коллекторно-дренажных сетей: укажите "
            "протяженность очищенных сетей по областям и даты актов.",
            corrected=at(10, 13, 16),
            entries={
                "flood-repair": Entry(
                    PARTIAL,
                    "Отремонтированы и приняты 10 из 12 сооружений (акты от 28 августа–30 "
                    "сентября 2026 года): 4 в Актюбинской, 4 в Западно-Казахстанской и 2 в "
                    "Атырауской области.",
                    "Работы на плотинах Кызылкога и Сагиз в Атырауской области задержаны из-за "
                    "несвоевременной поставки гидромеханического оборудования; к поставщику "
                    "применены штрафные санкции. Завершение запланировано на 15 декабря "
                    "2026 года.",
                    evidence="Акты приемки отремонтированных водоподпорных сооружений, "
                    "август–сентябрь 2026 года",
                ),
                "drainage": Entry(
                    EXECUTED,
                    "Очищено 1 214 км коллекторно-дренажных сетей: 512 км в Туркестанской, "
                    "436 км в Кызылординской и 266 км в Жамбылской области (акты приемки от "
                    "14 августа–25 сентября 2026 года); удалено 3,2 млн м³ наносов.",
                ),
            },
            signed=at(10, 14, 10),
        ),
    ),
)


# --- quarter 4: open since 1 October, due 10 January 2027 ---------------------------------

QUARTER_4 = Quarter(
    4,
    timetable=(("D02", at(11, 24, 15), None, None),),
    information={
        "D02": {
            "flood-repair": Entry(
                PARTIAL,
                "Работы на плотине Кызылкога выполнены на 85%; затворы плотины Сагиз "
                "поставлены 18 ноября 2026 года.",
            ),
        },
    },
)


def steps(cast: Cast, *quarters: Quarter) -> list[Step]:
    """The steps of the units' information and of the monitor's reviews, quarter by quarter."""
    steps: list[Step] = []
    for quarter in quarters:
        if {row[0] for row in quarter.timetable} != set(quarter.information):
            raise RuntimeError(
                f"The demo's timetable of quarter {quarter.number} names other units."
            )
        for unit, opened, signed, accepted in quarter.timetable:
            steps.append((opened, lambda q=quarter, u=unit, s=signed: _enter(cast, q, u, s)))
            if signed:
                steps.append((signed, lambda q=quarter, u=unit: _sign(cast, u, q.number)))
            if accepted:
                steps.append((accepted, lambda q=quarter, u=unit: _accept(cast, u, q.number)))
        for back in quarter.returns:
            steps.append((back.returned, lambda q=quarter, b=back: _send_back(cast, q, b)))
            steps.append((back.corrected, lambda q=quarter, b=back: _correct(cast, q, b)))
            steps.append((back.signed, lambda q=quarter, b=back: _sign(cast, b.unit, q.number)))
    return steps


def reported_quarters(cast: Cast) -> list[Step]:
    """Quarters 1–3: the units' information, sign-offs and reviews."""
    return steps(cast, QUARTER_1, QUARTER_2, QUARTER_3)


def open_quarter(cast: Cast) -> list[Step]:
    """Quarter 4, under way: one unit has started its information."""
    return steps(cast, QUARTER_4)


def _submission(cast: Cast, unit: str, quarter: int) -> models.Submission:
    return models.Submission.objects.get(plan=cast.plan, unit=cast.units[unit], quarter=quarter)


def _enter(cast: Cast, quarter: Quarter, code: str, signed: dt.datetime | None) -> None:
    """The unit's information as its executor (else its head) types it in: an entry on every
    action it reports on, in the order of the plan, then the actual values."""
    written = quarter.information[code]
    actor = cast.reporter(code)
    unit = cast.units[code]
    submission = services.submission_open(
        actor=actor, plan=cast.plan, unit=unit, quarter=quarter.number
    )
    scripted = {
        cast.action_ids[key]: entry for key, entry in written.items() if isinstance(entry, Entry)
    }
    for item in unit_actions(cast.plan, unit, quarter.number):
        entry = scripted.pop(item.planned.action_id, None)
        if entry is None:
            # A script that forgets a due action would fail at the sign-off; say which.
            if item.due and signed:
                raise RuntimeError(
                    f"The demo's information of {code} for quarter {quarter.number} "
                    f"has no entry on the due action “{item.planned.name}”."
                )
            continue
        _save_entry(actor, submission, item.planned.action_id, entry, version=0)
    if scripted:
        raise RuntimeError(
            f"The demo's information of {code} for quarter {quarter.number} has entries "
            "on actions that the unit does not report on then."
        )
    for key, actual in written.items():
        if isinstance(actual, Actual):
            services.actual_save(
                actor=actor,
                submission=submission,
                indicator=cast.indicators[key],
                value=actual.value,
                comment=actual.comment,
                version=0,
            )


def _save_entry(actor, submission, action_id: int, entry: Entry, version: int) -> None:
    saved = services.entry_save(
        actor=actor,
        submission=submission,
        action_id=action_id,
        status=entry.status,
        actual=entry.actual,
        reasons=entry.reasons,
        version=version,
    )
    if entry.evidence:
        name = re.sub(r"[^\w.-]+", "-", entry.evidence).strip("-")[:120] + ".pdf"
        document = pdf(entry.evidence, submission, actor)
        upload = SimpleUploadedFile(name, document, content_type="application/pdf")
        services.evidence_add(actor=actor, entry=saved, upload=upload)


def _sign(cast: Cast, unit: str, quarter: int) -> None:
    services.submission_sign(actor=cast.heads[unit], submission=_submission(cast, unit, quarter))


def _accept(cast: Cast, unit: str, quarter: int) -> None:
    services.submission_accept(actor=cast.monitor, submission=_submission(cast, unit, quarter))


def _send_back(cast: Cast, quarter: Quarter, back: Return) -> None:
    submission = _submission(cast, back.unit, quarter.number)
    services.submission_return(actor=cast.monitor, submission=submission, comment=back.comment)


def _correct(cast: Cast, quarter: Quarter, back: Return) -> None:
    submission = _submission(cast, back.unit, quarter.number)
    actor = cast.reporter(back.unit)
    for key, entry in back.entries.items():
        current = submission.entries.get(action_id=cast.action_ids[key])
        _save_entry(actor, submission, current.action_id, entry, current.version)


def remove_monitoring(body: StateBody, *, actor: User) -> None:
    """Delete the body's monitoring before its plans, after the reports on it: evidence (rows
    and files), entries, actuals, the submissions' steps and the submissions, one record at a
    time so that the history records who deleted them."""
    files = []
    for evidence in models.Evidence.objects.filter(entry__submission__plan__body=body):
        files.append(evidence.file)
        delete_record(evidence, actor=actor)
    for model in (models.ProgressEntry, models.IndicatorActual):
        for record in model.objects.filter(submission__plan__body=body):
            delete_record(record, actor=actor)
    # the submissions' steps have no history of their own
    models.SubmissionEvent.objects.filter(submission__plan__body=body).delete()
    for submission in models.Submission.objects.filter(plan__body=body):
        delete_record(submission, actor=actor)

    def delete_files() -> None:
        for stored in files:
            stored.delete(save=False)

    # The files go only once the rows are gone for good.
    transaction.on_commit(delete_files)


# --- evidence documents ------------------------------------------------------------------------


def pdf(title: str, submission: models.Submission, author: User) -> bytes:
    """A one-page PDF that says what the document is and that it is a demo's stand-in, in
    Russian as the unit wrote it (in DejaVu Sans, as the legal forms are printed)."""
    lines = [
        str(submission.plan.body.name),
        str(submission.unit.name),
        f"{('I', 'II', 'III', 'IV')[submission.quarter - 1]} квартал {submission.plan.year} года",
        f"Приложил(а): {author.full_name}",
        "",
        "Документ-заглушка, созданный демо-версией Jospar; не является настоящим документом.",
    ]
    source = "\n".join(
        [
            '#set page(paper: "a4", margin: 20mm)',
            '#set text(font: "DejaVu Sans", size: 10pt, lang: "ru")',
            f'#text(size: 13pt, weight: "bold", {literal(title)})',
            *(f"#par({literal(line)})" for line in lines),
        ]
    )
    return compile_pdf(source)
