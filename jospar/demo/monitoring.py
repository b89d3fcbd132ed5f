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
                "Data of 1,618 automated metering points on water intake in January–March were "
                "handed to the Committee for the quarterly monitoring on 3 April 2026.",
            ),
            "publication": Entry(
                EXECUTED,
                "A section «Operational plan» was created on the ministry's Internet resource "
                "on 15 January 2026 for the publication of the plan and of its quarterly "
                "information.",
            ),
            "metering": Entry(
                NOT_DUE,
                "The contract for the supply and installation of equipment at 600 water intake "
                "points was signed on 20 March 2026; installation starts in May.",
            ),
            "T1.1.1": Actual("41.5", "1,618 of 3,900 water intake points are equipped."),
        },
        "D02": {
            "limits": Entry(
                EXECUTED,
                "Proposals on the limits of water use for the Ile-Balkhash, Aral-Syr Darya and "
                "Shu-Talas basins were prepared and sent to the Committee on 29 January 2026.",
            ),
            "floods": Entry(
                PARTIAL,
                "Flood-passage measures were carried out at 38 of the 41 reservoirs: spillways "
                "cleared, pre-flood drawdown agreed with the akimats, emergency stocks of "
                "materials laid in. Information was sent to the Government on 27 February 2026.",
                "The repair of the spillway gates of the Kargaly, Aktobe and Sazdy reservoirs "
                "in Aktobe region was not completed: the contractor delivered the gates three "
                "weeks late. The works will be finished in April, before the peak of the flood.",
            ),
            "T1.2.1": Actual("64.5", "By the pre-flood inspection of February–March 2026."),
        },
        "C01": {
            "limits": Entry(
                EXECUTED,
                "The limits of water use for 2026 by the eight water management basins and by "
                "branches of the economy were approved by order of the Minister No. 41 of "
                "12 February 2026: 22.9 billion m³ in total, 14.8 billion m³ of it for "
                "irrigation.",
                evidence="Order of the Minister No. 41 of 12 February 2026 (extract)",
            ),
            "intake": Entry(
                EXECUTED,
                "Water intake in the first quarter was 3.1 billion m³ (96% of the limit for the "
                "period). The basin inspections found exceedances of the limits at 7 water "
                "users in Turkestan and Kyzylorda regions and issued 7 orders. Information was "
                "sent to the management on 6 April 2026.",
            ),
            "floods": Entry(
                EXECUTED,
                "The basin inspections examined 41 reservoirs and 126 hydraulic structures "
                "before the flood; flood-passage plans were agreed with the akimats of "
                "10 regions.",
            ),
            "inventory": Entry(
                NOT_DUE,
                "Field surveys of 1,240 km of main canals began in March; losses will be "
                "measured in April–May, when the canals are filled.",
            ),
            "T2.1.2": Actual("73.2", "By the autumn 2025 reclamation survey."),
        },
        "D03": {
            "transfers": Entry(
                EXECUTED,
                "The lists of inter-farm irrigation networks to be reconstructed and the "
                "calculations of the transfers for the three regions were agreed with the "
                "Department of Budget Planning and Finance on 10 February 2026.",
            ),
            "T2.1.1": Actual("50.4", "Returns of 2025 confirmed by the land inventory."),
        },
        "D03.1": {
            "saving-monitoring": Entry(
                EXECUTED,
                "Monthly information was sent to the management on 5 February, 5 March and "
                "3 April 2026. Drip and sprinkler irrigation was introduced on 6.2 thousand ha "
                "since the beginning of the year, mostly in Turkestan and Zhambyl regions.",
            ),
            "T2.2.1": Actual("326.0", "By the regional departments of agriculture, 1 April."),
        },
        "D01": {
            "publication": Entry(
                EXECUTED,
                "The report on the implementation of the operational plan for 2025 and the "
                "approved operational plan for 2026 were published on the ministry's Internet "
                "resource on 22 January 2026.",
            ),
        },
        "D04": {
            "transfers": Entry(
                PARTIAL,
                "Agreements on target transfers were concluded with the akimats of Turkestan "
                "(No. 12 of 20 February 2026) and Kyzylorda (No. 14 of 25 February 2026) "
                "regions, 18.4 billion tenge in total.",
                "The akimat of Zhambyl region did not submit the design and estimate "
                "documentation with a positive state expert review in time. The agreement will "
                "be concluded after the review, expected in April 2026.",
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
                "Proposals linking the budget programs to the target indicators of the "
                "development plan were sent to the Department of Budget Planning and Finance "
                "on 24 April 2026.",
            ),
            "publication": Entry(
                EXECUTED,
                "Information on the implementation of the operational plan in the first "
                "quarter of 2026 was published on the ministry's Internet resource on "
                "22 April 2026.",
            ),
        },
        "D02": {
            "floods": Entry(
                EXECUTED,
                "The spillway gates of the Kargaly, Aktobe and Sazdy reservoirs were repaired "
                "by 17 April 2026; the spring flood passed without emergencies. Information was "
                "sent to the Government on 24 April 2026.",
            ),
            "T1.2.1": Actual("65.8", "By the post-flood inspection of May 2026."),
        },
        "D05": {
            "intake": Entry(
                EXECUTED,
                "Data of 1,716 automated metering points were handed to the Committee on "
                "2 July 2026.",
            ),
            "publication": Entry(
                EXECUTED,
                "A data set on water intake by basin was published on the open data portal on "
                "30 June 2026.",
            ),
            "metering": Entry(
                NOT_DUE,
                "Equipment has been installed at 98 of the 600 water intake points; the rest "
                "are scheduled for July–September.",
            ),
            "T1.1.1": Actual("44.0", "1,716 of 3,900 water intake points are equipped."),
        },
        "C01": {
            "intake": Entry(
                EXECUTED,
                "Water intake in the first half-year was 9.8 billion m³ (94% of the limit for "
                "the period). 12 exceedances of the limits were found; administrative fines "
                "were imposed on 9 water users.",
            ),
            "inventory": Entry(
                EXECUTED,
                "The technical condition of 1,240 km of main canals was inventoried with the "
                "measurement of losses on 86 sections. Average losses are 29.7%, up to 41% on "
                "the unlined sections of the Kyzylkum canal. The report was sent to the "
                "management on 26 June 2026.",
            ),
            "land-analysis": Entry(
                EXECUTED,
                "The basin inspections provided data on the water supply of irrigated land in "
                "2024–2025 by region (letter of 15 May 2026).",
            ),
            "schedules": Entry(
                EXECUTED,
                "The schedules of irrigation water supply for the 2026 growing season were "
                "approved by joint order of the Chairman of the Committee and the akimats of "
                "the regions No. 57 of 30 March 2026.",
            ),
            "reclamation": Entry(
                EXECUTED,
                "Spring reclamation monitoring was carried out at 2,512 observation wells: "
                "groundwater is closer than 2 m on 14% of irrigated land, soils are medium or "
                "strongly saline on 11%. The report was sent on 3 July 2026.",
            ),
            "inspection": Entry(
                NOT_DUE,
                "The list of 45 hydraulic structures to be inspected was approved on 12 June "
                "2026; the contract with the expert organisation is being concluded.",
            ),
            "T2.1.2": Actual("73.9", "By the spring 2026 reclamation survey."),
        },
        "C01.1": {
            "inventory": Entry(
                EXECUTED,
                "Water losses were measured on 52 sections of the canals operated by the "
                "enterprise; the results were handed to the Committee on 12 June 2026.",
            ),
            "lining": Entry(
                NOT_DUE,
                "31 of the 85 km have been lined; works continue in Kyzylorda and Zhambyl regions.",
            ),
            "T1.1.2": Actual("468", "18 km of the Kazaly system reconstructed this year."),
        },
        "D03": {
            "land-analysis": Entry(
                EXECUTED,
                "The analysis identified 96.4 thousand ha of irrigated land not used for more "
                "than two years, 41% of it in Turkestan and Kyzylorda regions. Information was "
                "sent to the Government on 24 June 2026 with proposals to return 18 thousand ha "
                "in 2027.",
            ),
            "schedules": Entry(
                EXECUTED,
                "The draft schedules were agreed with the regional departments of agriculture; "
                "the comments of four regions were taken into account.",
            ),
            "T2.1.1": Actual("51.9", "1.5 thousand ha returned in Almaty region."),
        },
        "D06": {
            "subsidy-rules": Entry(
                EXECUTED,
                "The legal review of the draft order was carried out; the conclusion was sent "
                "to the Division of Water-Saving Technologies on 28 May 2026.",
            ),
        },
        "D04": {
            "transfers": Entry(
                EXECUTED,
                "The agreement on target transfers with the akimat of Zhambyl region was "
                "concluded on 17 April 2026 (No. 21) after the positive state expert review.",
            ),
            "subsidy-rules": Entry(
                EXECUTED,
                "The additional budget expenditure of raising the subsidy share was calculated "
                "(12.7 billion tenge for 2027) and sent to the Ministry of Finance on "
                "1 July 2026.",
            ),
            "budget": Entry(
                EXECUTED,
                "The budget application of the ministry for 2027–2029 was submitted to the "
                "Ministry of National Economy on 14 May 2026 (No. 04-12/1187).",
                evidence="Letter No. 04-12/1187 of 14 May 2026 to the Ministry of National Economy",
            ),
        },
        "D03.1": {
            "subsidy-rules": Entry(
                NOT_EXECUTED,
                "The draft order was prepared and posted for public discussion on the portal "
                "of draft regulatory legal acts on 2 June 2026.",
                "The Ministry of Finance did not agree to raise the subsidy share to 80% "
                "without calculations of the additional budget expenditure; they were sent on "
                "1 July 2026. The order is expected to be adopted in the third quarter.",
            ),
            "saving-monitoring": Entry(
                EXECUTED,
                "Monthly information was sent on 6 May, 4 June and 3 July 2026. Drip and "
                "sprinkler irrigation was introduced on 22.5 thousand ha since the beginning of "
                "the year.",
            ),
            "seminars": Entry(
                EXECUTED,
                "Specialists of the division presented the subsidising of water-saving "
                "irrigation systems at the five seminars held.",
            ),
            "T2.2.1": Actual("342.3", "By the regional departments of agriculture, 1 July."),
        },
        "R01": {
            "inventory": Entry(
                EXECUTED,
                "The institute processed the measurements and prepared the method of "
                "calculating losses by canal section (handed to the Committee on "
                "19 June 2026).",
            ),
            "reclamation": Entry(
                EXECUTED,
                "1,850 soil and groundwater samples from the observation wells were analysed; "
                "the results were handed to the Committee on 29 June 2026.",
            ),
            "seminars": Entry(
                PARTIAL,
                "Seminars were held in Turkestan, Zhambyl, Almaty, Zhetysu and Abai regions "
                "for 740 farmers; the materials were published in the regional media and on the "
                "institute's website.",
                "The seminar in Kyzylorda region was moved to July 2026 at the request of the "
                "akimat because of the rice sowing campaign.",
            ),
            "T2.2.2": Actual("8", "The cotton drip irrigation regime is in field trials."),
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
                "Information on the implementation of the operational plan in the first "
                "half-year of 2026 was published on the ministry's Internet resource on "
                "21 July 2026.",
            ),
        },
        "C01.1": {
            "metering": Entry(
                EXECUTED,
                "The enterprise prepared the sites and connected 600 metering points on its "
                "canals to power supply and communication lines.",
            ),
            "flood-repair": Entry(
                EXECUTED,
                "All 12 water-retaining structures damaged by the 2024 floods were repaired.",
            ),
            "drainage": Entry(EXECUTED, "The collector-drainage networks were cleaned."),
            "T1.1.2": Actual("497", "29 km of the Kazaly system reconstructed in the quarter."),
        },
        "D03": {
            "draft-law": Entry(
                EXECUTED,
                "Proposals on the chapter on the reclamation of irrigated land were sent to the "
                "Legal Service Department on 5 August 2026.",
            ),
            "land-return": Entry(
                NOT_DUE,
                "The reconstruction of the collector-drainage networks is completed on "
                "2.1 thousand ha of the 5 thousand ha.",
            ),
            "T2.1.1": Actual("53.2", "1.3 thousand ha returned in Almaty region."),
        },
        "C01": {
            "intake": Entry(
                EXECUTED,
                "Water intake in nine months was 17.6 billion m³ (95% of the limit for the "
                "period). Because of low water in the Syr Darya, in August the supply to the "
                "rice growers of Kyzylorda region was limited to 80% of their requests. "
                "15 exceedances of the limits were found, 11 fines imposed.",
            ),
            "drainage": Entry(
                EXECUTED,
                "The basin inspections took part in the acceptance of the cleaned sections of "
                "the collector-drainage networks (acts of 14 August–25 September 2026).",
            ),
            "T2.1.2": Actual("74.1", "Preliminary: autumn survey at 1,300 of 2,512 wells."),
        },
        "D02": {
            "flood-repair": Entry(
                PARTIAL,
                "The department supervised the repair of 10 of the 12 structures and took part "
                "in their acceptance.",
                "The Kyzylkoga and Sagiz dams in Atyrau region are not finished: the supplier "
                "delivered the hydromechanical equipment late. Completion is scheduled for "
                "15 December 2026.",
            ),
            "draft-law": Entry(
                EXECUTED,
                "Proposals on the chapters on water allocation and on the rights of water "
                "users were sent to the Legal Service Department on 3 August 2026.",
            ),
            "T1.2.1": Actual("67.1", "After the repair of 10 water-retaining structures."),
        },
        "D03.1": {
            "subsidy-rules": Entry(
                EXECUTED,
                "The amendments were adopted by order of the Minister No. 214 of 18 September "
                "2026 (the subsidy share for drip irrigation raised to 80%) and registered by "
                "the Ministry of Justice on 25 September 2026.",
            ),
            "saving-monitoring": Entry(
                EXECUTED,
                "Monthly information was sent on 5 August, 4 September and 5 October 2026. "
                "Drip and sprinkler irrigation was introduced on 43.2 thousand ha since the "
                "beginning of the year.",
            ),
            "T2.2.1": Actual("363.0", "By the regional departments of agriculture, 1 October."),
        },
        "R01": {
            "seminars": Entry(
                EXECUTED,
                "The seminar in Kyzylorda region was held on 16 July 2026 for 130 rice "
                "growers; all six seminars have been held, for 870 farmers in total.",
            ),
            "T2.2.2": Actual(
                "9", "Cotton drip irrigation regime introduced in Maktaaral district."
            ),
        },
        "D06": {
            "draft-law": Entry(
                NOT_EXECUTED,
                "The draft law was prepared and sent for agreement to nine state bodies on "
                "25 August 2026; the comments of seven of them have been received.",
            ),
        },
        "D05": {
            "intake": Entry(
                EXECUTED,
                "Data of 2,168 automated metering points were handed to the Committee on "
                "2 October 2026.",
            ),
            "metering": Entry(
                EXECUTED,
                "Automated water metering and data transmission equipment was installed at "
                "600 water intake points (acts of acceptance of 21 August–29 September 2026); "
                "552 of them already transmit data to the National Water Resources Information "
                "System.",
                evidence="Consolidated act of acceptance of automated water metering "
                "equipment, 29 September 2026",
            ),
            "publication": Entry(
                EXECUTED,
                "A public map of water intake by basin, fed by the Information System, was "
                "published on the ministry's Internet resource on 15 September 2026.",
            ),
            "integration": Entry(
                NOT_DUE,
                "The integration module is in acceptance testing; commissioning is planned for "
                "November 2026.",
            ),
            "T1.1.1": Actual("55.6", "2,168 of 3,900 water intake points are equipped."),
        },
    },
    returns=(
        Return(
            "C01.1",
            returned=at(10, 8, 15),
            comment="Repair of the 12 water-retaining structures: the acts of acceptance show 10 "
            "structures, not 12. Correct the status, give the reasons for the two dams in Atyrau "
            "region and attach the acts. Cleaning of the collector-drainage networks: give the "
            "length cleaned by region and the dates of the acts.",
            corrected=at(10, 13, 16),
            entries={
                "flood-repair": Entry(
                    PARTIAL,
                    "10 of the 12 structures were repaired and accepted (acts of 28 August–30 "
                    "September 2026): 4 in Aktobe, 4 in West Kazakhstan and 2 in Atyrau region.",
                    "Works on the Kyzylkoga and Sagiz dams in Atyrau region were delayed by the "
                    "late delivery of hydromechanical equipment; the supplier has been fined. "
                    "Completion is scheduled for 15 December 2026.",
                    evidence="Acts of acceptance of the repaired water-retaining structures, "
                    "August–September 2026",
                ),
                "drainage": Entry(
                    EXECUTED,
                    "1,214 km of collector-drainage networks were cleaned: 512 km in Turkestan, "
                    "436 km in Kyzylorda and 266 km in Zhambyl region (acts of acceptance of "
                    "14 August–25 September 2026); 3.2 million m³ of sediment removed.",
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
                "Works on the Kyzylkoga dam are 85% complete; the gates of the Sagiz dam were "
                "delivered on 18 November 2026.",
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
    """A one-page PDF that says what the document is and that it is a demo's stand-in."""
    lines = [
        title,
        "",
        str(submission.plan.body.name),
        str(submission.unit.name),
        f"Quarter {submission.quarter} of {submission.plan.year}",
        f"Attached by {author.full_name}",
        "",
        "This is a stand-in generated by the Jospar demo, not a real document.",
    ]

    def text(line: str) -> str:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped}) Tj"

    commands = ["BT", "/F1 13 Tf", "56 780 Td", text(lines[0]), "/F1 10 Tf"]
    for line in lines[1:]:
        commands += ["0 -18 Td", text(line)]
    commands.append("ET")
    stream = "\n".join(commands).encode("cp1252", "replace")  # WinAnsiEncoding
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
