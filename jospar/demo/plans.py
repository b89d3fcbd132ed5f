"""The demo body's operational plans: tasks from its regulation; the plan for 2026, with an
action for every indicator of the year, submitted by the planner and approved by the official
in January (revision 1, which the quarters of 2026 are monitored against); and the plan for
2027 in draft, with proposals of a unit in each state (R5).

Loaded after the body (`jospar.demo.orgs`) and its development plan (`jospar.demo.strategy`).
Everything goes through the services of `jospar.plans`, acting as the user who would do it in
the app: the planner assembles the plan, the executor proposes, the unit head signs off, the
official approves. Each step happens on its own date (`on`), so that the history, the approval
date and its lateness (R6) read as they would in a body that has used Jospar since late 2025.
"""

import datetime as dt
from typing import NamedTuple

from django.db import router

from jospar.demo.clock import NEXT_YEAR, PLAN_YEAR, on
from jospar.demo.strategy import Development
from jospar.demo.texts import NONE, T, tr
from jospar.lib.records import delete_record
from jospar.orgs.models import BudgetProgram, StateBody, Unit, User
from jospar.plans import services
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    Proposal,
    RegulationTask,
    Revision,
    RevisionAction,
    RevisionHeading,
)
from jospar.plans.terms import TermKind
from jospar.strategy.models import Amendment, Indicator

PLANNING_UNIT = "D01"  # the Department of Strategic Planning and Analysis
PROPOSING_UNIT = "D02"  # the unit of the demo executor and unit head

# The demo's calendar (Asia/Almaty): the plan for 2026 is assembled in November 2025,
# submitted before the New Year and approved after the holidays; planning for 2027 starts
# in October 2026, when the units' proposals come in (R5).
ASSEMBLED = (2025, 11, 10, 10)
SUBMITTED = (2025, 12, 26, 16)
APPROVED = (2026, 1, 8, 11)
NEXT_STARTED = (2026, 10, 19, 10)
PROPOSED = (2026, 10, 21, 15)
PROPOSALS_SIGNED = (2026, 10, 23, 11)
PROPOSAL_ACCEPTED = (2026, 11, 3, 12)
REBASED = (2026, 11, 23, 10)  # the 2027 plan moves onto the development plan's new amendment


TASKS = (
    (
        1,
        T(
            "Совершенствование законодательства Республики Казахстан в области использования и "
            "охраны водного фонда, водоснабжения и водоотведения",
            "Су қорын пайдалану және қорғау, сумен жабдықтау және су бұру саласындағы "
            "Қазақстан Республикасының заңнамасын жетілдіру",
        ),
    ),
    (
        2,
        T(
            "Организация бюджетного планирования и обеспечение эффективного использования "
            "бюджетных средств, выделенных министерству",
            "Бюджеттік жоспарлауды ұйымдастыру және министрлікке бөлінген бюджет қаражатының "
            "тиімді пайдаланылуын қамтамасыз ету",
        ),
    ),
    (
        3,
        T(
            "Информирование населения о деятельности министерства и состоянии водных ресурсов "
            "страны",
            "Халықты министрліктің қызметі және елдің су ресурстарының жай-күйі туралы "
            "хабардар ету",
        ),
    ),
    (
        4,
        T(
            "Цифровая трансформация водного хозяйства и оказание государственных услуг в "
            "электронной форме",
            "Су шаруашылығын цифрлық трансформациялау және мемлекеттік қызметтерді электрондық "
            "нысанда көрсету",
        ),
    ),
)


# Terms of execution, as the plan writes them.
def by(month: int, day: int, year: int = PLAN_YEAR) -> dict:
    return {"term_kind": TermKind.DATE, "term_date": dt.date(year, month, day)}


def in_month(month: int) -> dict:
    return {"term_kind": TermKind.MONTH, "term_month": month}


def in_quarter(quarter: int) -> dict:
    return {"term_kind": TermKind.QUARTER, "term_quarter": quarter}


def in_half(half: int) -> dict:
    return {"term_kind": TermKind.HALF, "term_half": half}


DURING_THE_YEAR = {"term_kind": TermKind.YEAR}
MONTHLY = {"term_kind": TermKind.MONTHLY}
QUARTERLY = {"term_kind": TermKind.QUARTERLY}
SEMIANNUALLY = {"term_kind": TermKind.SEMIANNUAL}
# Written as the planners write it when no period fits: "постоянно" (on an ongoing basis).
ONGOING = {"term_kind": TermKind.ONGOING, **tr("term_text", T("постоянно", "тұрақты түрде"))}


class ActionSpec(NamedTuple):
    """A row of the plan. `key` names it for the demo's monitoring script. `anchor` is an
    indicator key of the demo development plan ("M1.2": direction 1, macro indicator 2;
    "T1.1.2": goal 1.1, target indicator 2) or "II.n" for task n of the regulation. `form`
    names a shared form of completion (by its stored name); `text` is free text."""

    key: str
    anchor: str
    name: T
    programs: tuple[str, ...]
    lead: str
    co_executors: tuple[str, ...]
    term: dict
    form: str = ""
    text: T = NONE


ACTIONS = (
    # I. Strategic direction 1. Ensuring the water security of the country
    ActionSpec(
        "limits",
        "M1.1",
        T(
            "Утверждение лимитов водопользования на 2026 год в разрезе водохозяйственных "
            "бассейнов и отраслей экономики",
            "Су шаруашылығы бассейндері мен экономика салалары бөлінісінде 2026 жылға арналған "
            "су пайдалану лимиттерін бекіту",
        ),
        ("001",),
        "C01",
        ("D02",),
        by(2, 15),
        form="Order of the Minister",
    ),
    ActionSpec(
        "intake",
        "M1.1",
        T(
            "Мониторинг забора воды водопользователями в пределах утвержденных лимитов "
            "водопользования",
            "Су пайдаланушылардың бекітілген су пайдалану лимиттері шегінде су алуына "
            "мониторинг жүргізу",
        ),
        ("001",),
        "C01",
        ("D05",),
        QUARTERLY,
        form="Information to the management",
    ),
    ActionSpec(
        "lining",
        "M1.2",
        T(
            "Облицовка бетоном и геомембраной 85 км магистральных и межхозяйственных каналов в "
            "Кызылординской и Жамбылской областях",
            "Қызылорда және Жамбыл облыстарында магистральдық және шаруашылықаралық "
            "каналдардың 85 км-ін бетонмен және геомембранамен қаптау",
        ),
        ("027",),
        "C01.1",
        ("D03",),
        in_quarter(4),
        form="Act of acceptance",
    ),
    ActionSpec(
        "inventory",
        "M1.2",
        T(
            "Инвентаризация технического состояния магистральных каналов с измерением "
            "фактических потерь воды при транспортировке по участкам каналов",
            "Магистральдық каналдардың техникалық жай-күйін түгендеу және каналдардың "
            "учаскелері бойынша тасымалдау кезіндегі нақты су шығынын өлшеу",
        ),
        ("009",),
        "C01",
        ("C01.1", "R01"),
        in_half(1),
        form="Report",
    ),
    ActionSpec(
        "metering",
        "T1.1.1",
        T(
            "Установка оборудования автоматизированного учета воды и передачи данных на 600 "
            "водозаборах магистральных и межхозяйственных каналов",
            "Магистральдық және шаруашылықаралық каналдардың 600 су алу орнына суды "
            "автоматтандырылған есепке алу және деректерді беру жабдығын орнату",
        ),
        ("105", "009"),
        "D05",
        ("C01.1",),
        in_quarter(3),
        form="Act of acceptance",
    ),
    ActionSpec(
        "integration",
        "T1.1.1",
        T(
            "Интеграция данных автоматизированного учета воды в Национальную информационную "
            "систему водных ресурсов",
            "Суды автоматтандырылған есепке алу деректерін Су ресурстарының ұлттық ақпараттық "
            "жүйесіне интеграциялау",
        ),
        ("105",),
        "D05",
        (),
        by(11, 30),
        text=T(
            "Акт ввода в эксплуатацию модуля интеграции",
            "Интеграциялық модульді пайдалануға енгізу актісі",
        ),
    ),
    ActionSpec(
        "turkestan",
        "T1.1.2",
        T(
            "Реконструкция 150 км оросительных каналов в Туркестанской области",
            "Түркістан облысында 150 км суару каналын реконструкциялау",
        ),
        ("027", "052"),
        "C01.1",
        ("D03",),
        in_month(12),
        form="Act of acceptance",
    ),
    ActionSpec(
        "kyzylorda",
        "T1.1.2",
        T(
            "Реконструкция 60 км межхозяйственных каналов Казалинской и Кармакшинской "
            "оросительных систем Кызылординской области",
            "Қызылорда облысындағы Қазалы және Қармақшы суару жүйелерінің 60 км "
            "шаруашылықаралық каналын реконструкциялау",
        ),
        ("052",),
        "C01.1",
        ("D04",),
        in_quarter(4),
        form="Act of acceptance",
    ),
    ActionSpec(
        "transfers",
        "T1.1.2",
        T(
            "Заключение соглашений о целевых трансфертах с акиматами Туркестанской, "
            "Кызылординской и Жамбылской областей на реконструкцию межхозяйственных "
            "оросительных сетей",
            "Шаруашылықаралық суару желілерін реконструкциялауға Түркістан, Қызылорда және "
            "Жамбыл облыстарының әкімдіктерімен нысаналы трансферттер туралы келісімдер жасасу",
        ),
        ("052",),
        "D04",
        ("D03",),
        by(2, 27),
        form="Agreement (contract)",
    ),
    ActionSpec(
        "inspection",
        "T1.2.1",
        T(
            "Многофакторное обследование безопасности 45 гидротехнических сооружений I–II "
            "классов с составлением деклараций безопасности",
            "I–II сыныпты 45 гидротехникалық құрылыстың қауіпсіздігін көпфакторлы тексеру және "
            "қауіпсіздік декларацияларын жасау",
        ),
        ("009",),
        "C01",
        ("C01.1",),
        in_half(2),
        form="Report",
    ),
    ActionSpec(
        "flood-repair",
        "T1.2.1",
        T(
            "Ремонт и восстановление 12 водоподпорных сооружений, поврежденных паводками "
            "2024 года, в Актюбинской, Западно-Казахстанской и Атырауской областях",
            "Ақтөбе, Батыс Қазақстан және Атырау облыстарында 2024 жылғы су тасқынынан "
            "зақымданған 12 су тірегіш құрылысты жөндеу және қалпына келтіру",
        ),
        ("027",),
        "C01.1",
        ("D02",),
        in_quarter(3),
        form="Act of acceptance",
    ),
    ActionSpec(
        "floods",
        "T1.2.1",
        T(
            "Подготовка водохозяйственных сооружений к пропуску весеннего паводка",
            "Су шаруашылығы құрылыстарын көктемгі су тасқынын өткізуге дайындау",
        ),
        ("009",),
        "D02",
        ("C01",),
        by(3, 1),
        form="Information to the Government",
    ),
    ActionSpec(
        "china",
        "T1.2.2",
        T(
            "Проведение очередного заседания Казахстанско-китайской совместной комиссии по "
            "использованию и охране трансграничных рек",
            "Трансшекаралық өзендерді пайдалану және қорғау жөніндегі Қазақстан-Қытай "
            "бірлескен комиссиясының кезекті отырысын өткізу",
        ),
        ("001",),
        "D02.1",
        (),
        in_quarter(3),
        form="Protocol",
    ),
    ActionSpec(
        "uzbekistan",
        "T1.2.2",
        T(
            "Подготовка проекта соглашения между Республикой Казахстан и Республикой "
            "Узбекистан о совместном управлении водными ресурсами бассейна реки Сырдарьи",
            "Сырдария өзені бассейнінің су ресурстарын бірлесіп басқару туралы Қазақстан "
            "Республикасы мен Өзбекстан Республикасы арасындағы келісімнің жобасын дайындау",
        ),
        (),
        "D02.1",
        ("D06",),
        in_half(2),
        text=T(
            "Проект соглашения внесен на внутригосударственные процедуры",
            "Келісімнің жобасы мемлекетішілік рәсімдерге енгізілді",
        ),
    ),
    # I. Strategic direction 2. Modernisation of irrigation and growth of irrigated agriculture
    ActionSpec(
        "land-analysis",
        "M2.1",
        T(
            "Анализ использования орошаемых земель в разрезе областей с выявлением земель, не "
            "используемых более двух лет",
            "Облыстар бөлінісінде суармалы жерлердің пайдаланылуын талдау және екі жылдан "
            "астам пайдаланылмай жатқан жерлерді анықтау",
        ),
        ("001",),
        "D03",
        ("C01",),
        in_quarter(2),
        form="Information to the Government",
    ),
    ActionSpec(
        "schedules",
        "M2.1",
        T(
            "Утверждение графиков подачи поливной воды водопользователям на вегетационный "
            "период 2026 года",
            "2026 жылғы вегетациялық кезеңге су пайдаланушыларға суармалы су беру кестелерін "
            "бекіту",
        ),
        ("009",),
        "C01",
        ("D03",),
        by(4, 1),
        form="Joint order",
    ),
    ActionSpec(
        "subsidy-rules",
        "M2.2",
        T(
            "Разработка изменений в правила субсидирования стоимости водосберегающих систем "
            "орошения (повышение доли субсидирования до 80%)",
            "Су үнемдейтін суару жүйелерінің құнын субсидиялау қағидаларына өзгерістер әзірлеу "
            "(субсидиялау үлесін 80%-ға дейін арттыру)",
        ),
        ("001",),
        "D03.1",
        ("D06", "D04"),
        in_quarter(2),
        form="Order of the Minister",
    ),
    ActionSpec(
        "saving-monitoring",
        "M2.2",
        T(
            "Мониторинг внедрения водосберегающих технологий в разрезе областей",
            "Облыстар бөлінісінде су үнемдейтін технологиялардың енгізілуіне мониторинг жүргізу",
        ),
        (),
        "D03.1",
        (),
        MONTHLY,
        form="Information to the management",
    ),
    ActionSpec(
        "land-return",
        "T2.1.1",
        T(
            "Возврат в сельскохозяйственный оборот 5 тыс. га орошаемых земель в Алматинской и "
            "Жетысуской областях после реконструкции коллекторно-дренажных сетей",
            "Коллекторлық-дренаждық желілер реконструкцияланғаннан кейін Алматы және Жетісу "
            "облыстарында 5 мың га суармалы жерді ауыл шаруашылығы айналымына қайтару",
        ),
        ("027", "052"),
        "D03",
        ("C01.1",),
        in_quarter(4),
        form="Information to the Government",
    ),
    ActionSpec(
        "drainage",
        "T2.1.2",
        T(
            "Очистка 1 200 км коллекторно-дренажных сетей в Туркестанской, Кызылординской и "
            "Жамбылской областях",
            "Түркістан, Қызылорда және Жамбыл облыстарында 1 200 км коллекторлық-дренаждық "
            "желіні тазарту",
        ),
        ("009",),
        "C01.1",
        ("C01",),
        in_quarter(3),
        form="Act of acceptance",
    ),
    ActionSpec(
        "reclamation",
        "T2.1.2",
        T(
            "Мелиоративный мониторинг орошаемых земель (уровень грунтовых вод и засоление "
            "почв) по 2 500 наблюдательным скважинам",
            "2 500 бақылау ұңғымасы бойынша суармалы жерлердің мелиоративтік мониторингі "
            "(жерасты суларының деңгейі және топырақтың тұздануы)",
        ),
        ("009",),
        "C01",
        ("R01",),
        SEMIANNUALLY,
        form="Report",
    ),
    ActionSpec(
        "drip",
        "T2.2.1",
        T(
            "Внедрение капельного орошения и дождевания на площади 60 тыс. га с "
            "субсидированием инвестиционных затрат",
            "Инвестициялық шығындарды субсидиялау арқылы 60 мың га алаңда тамшылатып және "
            "жаңбырлатып суаруды енгізу",
        ),
        (),
        "D03.1",
        ("C01",),
        DURING_THE_YEAR,
        form="Information to the Government",
    ),
    ActionSpec(
        "seminars",
        "T2.2.1",
        T(
            "Проведение в шести областях региональных семинаров для фермеров по "
            "водосберегающим технологиям орошения",
            "Алты облыста фермерлерге арналған су үнемдейтін суару технологиялары бойынша "
            "өңірлік семинарлар өткізу",
        ),
        ("003",),
        "R01",
        ("D03.1",),
        in_half(1),
        form="Publication in the media",
    ),
    ActionSpec(
        "research",
        "T2.2.2",
        T(
            "Завершение прикладных исследований по капельному орошению хлопчатника и риса на "
            "засоленных почвах и передача результатов хозяйствам",
            "Тұзданған топырақта мақта мен күрішті тамшылатып суару бойынша қолданбалы "
            "зерттеулерді аяқтау және олардың нәтижелерін шаруашылықтарға беру",
        ),
        ("003",),
        "R01",
        (),
        in_quarter(4),
        form="Report",
    ),
    ActionSpec(
        "recommendations",
        "T2.2.2",
        T(
            "Подготовка методических рекомендаций по водосберегающим режимам орошения "
            "сельскохозяйственных культур для южных регионов",
            "Оңтүстік өңірлер үшін ауыл шаруашылығы дақылдарын суарудың су үнемдейтін "
            "режимдері бойынша әдістемелік ұсынымдар дайындау",
        ),
        ("003",),
        "R01",
        ("D03.1",),
        in_month(10),
        form="Methodological recommendations",
    ),
    # II. Other tasks set by the regulation on the ministry
    ActionSpec(
        "draft-law",
        "II.1",
        T(
            "Разработка проекта Закона Республики Казахстан «О внесении изменений и дополнений "
            "в некоторые законодательные акты Республики Казахстан по вопросам водных "
            "отношений»",
            "«Қазақстан Республикасының кейбір заңнамалық актілеріне су қатынастары мәселелері "
            "бойынша өзгерістер мен толықтырулар енгізу туралы» Қазақстан Республикасы Заңының "
            "жобасын әзірлеу",
        ),
        ("001",),
        "D06",
        ("D02", "D03"),
        by(9, 1),
        form="Draft law",
    ),
    ActionSpec(
        "budget",
        "II.2",
        T(
            "Подготовка бюджетной заявки министерства на 2027–2029 годы",
            "Министрліктің 2027–2029 жылдарға арналған бюджеттік өтінімін дайындау",
        ),
        ("001",),
        "D04",
        ("D01",),
        by(5, 15),
        form="Information to the Ministry of National Economy",
    ),
    ActionSpec(
        "publication",
        "II.3",
        T(
            "Размещение на интернет-ресурсе министерства информации о реализации "
            "операционного плана и водохозяйственных проектов",
            "Операциялық жоспардың және су шаруашылығы жобаларының іске асырылуы туралы "
            "ақпаратты министрліктің интернет-ресурсында орналастыру",
        ),
        (),
        "D01",
        ("D05",),
        ONGOING,
        form="Publication in the media",
    ),
    ActionSpec(
        "e-service",
        "II.4",
        T(
            "Запуск государственной услуги «Выдача разрешения на специальное водопользование» "
            "на портале электронного правительства",
            "«Арнайы су пайдалануға рұқсат беру» мемлекеттік көрсетілетін қызметін электрондық "
            "үкімет порталында іске қосу",
        ),
        ("105",),
        "D05",
        ("C01",),
        in_half(2),
        form="Act of acceptance",
    ),
)


def again(of: str, name: T | None = None, **changes) -> ActionSpec:
    """The action `of` of the plan for PLAN_YEAR planned again for NEXT_YEAR: the same indicator
    or task, budget programs, executors, term and form of completion, under `name` (unless it
    keeps its own), with `changes` to any of them (and to its key, "`of`-NEXT_YEAR")."""
    spec = next(spec for spec in ACTIONS if spec.key == of)
    return spec._replace(**{"key": f"{of}-{NEXT_YEAR}", "name": name or spec.name, **changes})


# The plan for 2027, as far as the planner has got by late November 2026: an action for
# every indicator with a value for 2027 (the accepted proposal covers M1.1), so that it passes
# the completeness check and can be submitted, and two actions for the regulation's tasks. Each
# carries on an action of 2026.
NEXT_ACTIONS = (
    again(
        "lining",
        T(
            "Облицовка бетоном и геомембраной 120 км магистральных каналов в Туркестанской и "
            "Кызылординской областях",
            "Түркістан және Қызылорда облыстарында магистральдық каналдардың 120 км-ін "
            "бетонмен және геомембранамен қаптау",
        ),
    ),
    again(
        "metering",
        T(
            "Установка оборудования автоматизированного учета воды и передачи данных еще на "
            "450 водозаборах",
            "Тағы 450 су алу орнына суды автоматтандырылған есепке алу және деректерді беру "
            "жабдығын орнату",
        ),
        programs=("105",),
    ),
    again(
        "kyzylorda",
        T(
            "Реконструкция 80 км межхозяйственных оросительных каналов в Жамбылской области",
            "Жамбыл облысында 80 км шаруашылықаралық суару каналын реконструкциялау",
        ),
        key="zhambyl-2027",
        term=in_month(12),
    ),
    again(
        "inspection",
        T(
            "Многофакторное обследование безопасности 40 гидротехнических сооружений III "
            "класса с составлением деклараций безопасности",
            "III сыныпты 40 гидротехникалық құрылыстың қауіпсіздігін көпфакторлы тексеру және "
            "қауіпсіздік декларацияларын жасау",
        ),
    ),
    again(
        "china",
        T(
            "Проведение заседания казахстанско-узбекской рабочей группы по совместному "
            "управлению водными ресурсами бассейна реки Сырдарьи",
            "Сырдария өзені бассейнінің су ресурстарын бірлесіп басқару жөніндегі "
            "қазақстан-өзбек жұмыс тобының отырысын өткізу",
        ),
        key="uzbekistan-2027",
        term=in_quarter(2),
    ),
    again(
        "schedules",
        T(
            "Утверждение графиков подачи поливной воды водопользователям на вегетационный "
            "период 2027 года",
            "2027 жылғы вегетациялық кезеңге су пайдаланушыларға суармалы су беру кестелерін "
            "бекіту",
        ),
        term=by(4, 1, NEXT_YEAR),
    ),
    again("saving-monitoring"),
    again(
        "land-return",
        T(
            "Возврат в сельскохозяйственный оборот 6 тыс. га неиспользуемых орошаемых земель в "
            "Туркестанской и Кызылординской областях",
            "Түркістан және Қызылорда облыстарында пайдаланылмай жатқан 6 мың га суармалы "
            "жерді ауыл шаруашылығы айналымына қайтару",
        ),
    ),
    again(
        "reclamation",
        T(
            "Мелиоративный мониторинг орошаемых земель (уровень грунтовых вод и засоление "
            "почв) по 2 700 наблюдательным скважинам",
            "2 700 бақылау ұңғымасы бойынша суармалы жерлердің мелиоративтік мониторингі "
            "(жерасты суларының деңгейі және топырақтың тұздануы)",
        ),
    ),
    again(
        "drip",
        T(
            "Внедрение капельного орошения и дождевания на площади 70 тыс. га с "
            "субсидированием инвестиционных затрат по повышенной доле 80%",
            "Инвестициялық шығындарды 80%-ға дейін арттырылған үлеспен субсидиялау арқылы "
            "70 мың га алаңда тамшылатып және жаңбырлатып суаруды енгізу",
        ),
    ),
    again(
        "research",
        T(
            "Прикладные исследования по повторному использованию коллекторно-дренажных вод для "
            "орошения в низовьях Сырдарьи",
            "Сырдарияның төменгі ағысында коллекторлық-дренаждық суларды суаруға қайта "
            "пайдалану бойынша қолданбалы зерттеулер",
        ),
    ),
    again(
        "budget",
        T(
            "Подготовка бюджетной заявки министерства на 2028–2030 годы",
            "Министрліктің 2028–2030 жылдарға арналған бюджеттік өтінімін дайындау",
        ),
        term=by(5, 14, NEXT_YEAR),
    ),
    again(
        "publication",
        T(
            "Размещение на интернет-ресурсе министерства информации о реализации "
            "операционного плана",
            "Операциялық жоспардың іске асырылуы туралы ақпаратты министрліктің "
            "интернет-ресурсында орналастыру",
        ),
    ),
)


class ProposalSpec(NamedTuple):
    """A proposal of the executor's unit (it leads the action unless it says otherwise)."""

    anchor: str
    name: T
    programs: tuple[str, ...]
    co_executors: tuple[str, ...]
    term: dict
    form: str


# For 2027: accepted by the planner (who adds co-executors), signed off and waiting, a draft.
ACCEPTED = ProposalSpec(
    "M1.1",
    T(
        "Разработка водного баланса Республики Казахстан на 2027 год в разрезе восьми "
        "водохозяйственных бассейнов",
        "Сегіз су шаруашылығы бассейні бөлінісінде Қазақстан Республикасының 2027 жылға "
        "арналған су балансын әзірлеу",
    ),
    ("001",),
    ("C01",),
    in_quarter(3),
    "Report",
)
ACCEPTED_EDITS = {"co_executors": ("C01", "R01")}
SIGNED = ProposalSpec(
    "T1.2.1",
    T(
        "Составление графика капитального ремонта республиканских гидротехнических сооружений "
        "на 2028–2029 годы по итогам обследования безопасности 2026 года",
        "2026 жылғы қауіпсіздікті тексеру қорытындысы бойынша республикалық гидротехникалық "
        "құрылыстарды 2028–2029 жылдары күрделі жөндеу кестесін жасау",
    ),
    ("009",),
    ("C01",),
    in_quarter(4),
    "Order of the Minister",
)
DRAFT = ProposalSpec(
    "M1.1",
    T(
        "Предложения по тарифам на услуги подачи поливной воды, дифференцированным в "
        "зависимости от применяемой водосберегающей технологии",
        "Қолданылатын су үнемдейтін технологияға қарай сараланған суармалы су беру "
        "қызметтерінің тарифтері бойынша ұсыныстар",
    ),
    (),
    ("D04",),
    in_half(2),
    "Information to the Government",
)


class _Content:
    """Turns a spec into the fields the services take, with the body's reference data."""

    def __init__(self, body, indicators: dict[str, Indicator], units: dict[str, Unit]):
        self.indicators, self.units = indicators, units
        self.tasks = {f"II.{t.number}": t for t in RegulationTask.objects.filter(body=body)}
        self.programs = {p.code: p for p in BudgetProgram.objects.filter(body=body)}
        self.forms = {f.name: f for f in CompletionForm.objects.filter(body=None)}

    def __call__(self, spec) -> dict:
        key = spec.anchor
        if key.startswith("II."):
            anchor = {"task": self.tasks[key]}
        else:
            anchor = {"indicator": self.indicators[key]}
        return {
            **anchor,
            **tr("name", spec.name),
            "budget_programs": [self.programs[code] for code in spec.programs],
            "co_executors": [self.units[code] for code in spec.co_executors],
            **spec.term,
        }

    def actions(self, plan: OperationalPlan, specs, *, actor: User) -> dict[str, Action]:
        return {
            spec.key: services.action_create(
                actor=actor,
                plan=plan,
                lead_unit=self.units[spec.lead],
                completion_form=self.forms[spec.form] if spec.form else None,
                **tr("completion_text", spec.text),
                **self(spec),
            )
            for spec in specs
        }


def load_plan(
    body: StateBody, development: Development, units: dict[str, Unit], users: dict[str, User]
) -> tuple[OperationalPlan, dict[str, Action]]:
    """The tasks and the plan for PLAN_YEAR, approved as revision 1; `users` by demo login.
    Returns the plan and its actions by key."""
    planner, official = users["planner"], users["official"]
    with on(ASSEMBLED):
        for number, name in TASKS:
            services.task_create(actor=planner, body=body, number=number, **tr("name", name))
        plan, _content, actions = _assemble(body, PLAN_YEAR, ACTIONS, development, units, planner)
    with on(SUBMITTED):
        plan = services.plan_submit(actor=planner, plan=plan)
    # Approved after the New Year holidays, long after R6's ten days from the amendment: the
    # plan records that it was approved late, as a real one would.
    with on(APPROVED):
        plan = services.plan_approve(actor=official, plan=plan)
    return plan, actions


def load_next_plan(
    body: StateBody, development: Development, units: dict[str, Unit], users: dict[str, User]
) -> OperationalPlan:
    """The draft plan for NEXT_YEAR with its actions and the proposals of the executor's unit:
    one accepted (edited), one signed off and waiting for the planner, one still a draft."""
    planner, executor, head = users["planner"], users["executor"], users["head"]
    with on(NEXT_STARTED):
        plan, content, _actions = _assemble(
            body, NEXT_YEAR, NEXT_ACTIONS, development, units, planner
        )
    with on(PROPOSED):
        accepted, signed, _draft = (
            services.proposal_create(
                actor=executor,
                plan=plan,
                unit=units[PROPOSING_UNIT],
                completion_form=content.forms[spec.form],
                **content(spec),
            )
            for spec in (ACCEPTED, SIGNED, DRAFT)
        )
    with on(PROPOSALS_SIGNED):
        for proposal in (accepted, signed):
            services.proposal_sign(actor=head, proposal=proposal)
    with on(PROPOSAL_ACCEPTED):
        services.proposal_accept(
            actor=planner,
            proposal=accepted,
            co_executors=[units[code] for code in ACCEPTED_EDITS["co_executors"]],
        )
    return plan


def _assemble(
    body: StateBody,
    year: int,
    specs: tuple[ActionSpec, ...],
    development: Development,
    units: dict[str, Unit],
    planner: User,
) -> tuple[OperationalPlan, _Content, dict[str, Action]]:
    """A plan for `year` resting on the development plan's amendment, drafted by the planner
    with the actions of `specs`."""
    plan = services.plan_create(
        actor=planner,
        body=body,
        year=year,
        development_plan=development.plan,
        basis_amendment=development.amendment,
        planning_unit=units[PLANNING_UNIT],
    )
    content = _Content(body, development.indicators, units)
    return plan, content, content.actions(plan, specs, actor=planner)


def rebase_next_plan(plan: OperationalPlan, amendment: Amendment, *, actor: User) -> None:
    """The development plan was amended: the draft for NEXT_YEAR now rests on the amendment,
    and R6's ten days run from its signing."""
    with on(REBASED):
        services.plan_update(actor=actor, plan=plan, basis_amendment=amendment)


def remove_plans(body: StateBody, *, actor: User) -> None:
    """Delete the body's operational plans with their revisions, actions and proposals, its
    tasks and its own forms of completion, one record at a time so that the history records
    who deleted them. The monitoring of the plans must be gone already (see
    `jospar.demo.monitoring.remove_monitoring`). Revisions first: they hold on to actions."""
    revisions = list(Revision.objects.filter(plan__body=body).values_list("pk", flat=True))
    if revisions:
        # Approved revisions never change: Revision, RevisionAction and RevisionHeading refuse
        # delete(), one by one or in bulk. Wiping the demo is the one place where frozen rows
        # are deleted, so it goes round that guard on purpose, with a raw DELETE (no signals,
        # no history: the frozen rows have none). Nothing else in Jospar may do this.
        using = router.db_for_write(Revision)
        RevisionAction.objects.filter(revision_id__in=revisions)._raw_delete(using)
        RevisionHeading.objects.filter(revision_id__in=revisions)._raw_delete(using)
        Revision.objects.filter(pk__in=revisions)._raw_delete(using)
    for model in (Action, Proposal):
        for record in model.objects.filter(plan__body=body):
            delete_record(record, actor=actor)
    for plan in OperationalPlan.objects.filter(body=body):
        delete_record(plan, actor=actor)
    for task in RegulationTask.objects.filter(body=body):
        delete_record(task, actor=actor)
    for form in CompletionForm.objects.filter(body=body):
        delete_record(form, actor=actor)
