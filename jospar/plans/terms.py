"""The structured term of execution of an action, and how people write it."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class TermKind(models.TextChoices):
    DATE = "date", gettext_lazy("by a date")
    MONTH = "month", gettext_lazy("in a month")
    QUARTER = "quarter", gettext_lazy("in a quarter")
    HALF = "half", gettext_lazy("in a half-year")
    YEAR = "year", gettext_lazy("during the year")
    MONTHLY = "monthly", gettext_lazy("monthly")
    QUARTERLY = "quarterly", gettext_lazy("quarterly")
    SEMIANNUAL = "semiannual", gettext_lazy("semi-annually")
    # Work that comes as it comes: "по мере поступления", "постоянно", "қажеттілігіне қарай".
    # The text is kept as typed in each language (Action.term_text); reported every quarter.
    ONGOING = "ongoing", gettext_lazy("as needed / ongoing")


RECURRING = frozenset({TermKind.MONTHLY, TermKind.QUARTERLY, TermKind.SEMIANNUAL, TermKind.ONGOING})
KINDS = frozenset(TermKind.values)


def _month_in_text(month: int) -> str:
    """A month inside a phrase: English capitalises it, Russian and Kazakh do not."""
    name = str(MONTHS_ALT[month])
    return name if (get_language() or "en").startswith("en") else name.lower()


@dataclass(frozen=True)
class Term:
    kind: str
    date: dt.date | None = None
    month: int | None = None
    quarter: int | None = None
    half: int | None = None
    text: str | None = None  # an ongoing term as typed (in the active language)

    def problems(self, year: int) -> dict[str, str]:
        """Field → message for what makes this term unusable in a plan for `year`."""
        errors: dict[str, str] = {}
        if self.kind not in KINDS:
            errors["term_kind"] = _("Choose how the term is given.")
        elif self.kind == TermKind.DATE:
            if self.date is None:
                errors["term_date"] = _("Give the date.")
            elif self.date.year != year:
                errors["term_date"] = _("The date is outside the plan year %(year)s.") % {
                    "year": year
                }
        elif self.kind == TermKind.MONTH and self.month not in range(1, 13):
            errors["term_month"] = _("Choose a month.")
        elif self.kind == TermKind.QUARTER and self.quarter not in range(1, 5):
            errors["term_quarter"] = _("Choose a quarter from 1 to 4.")
        elif self.kind == TermKind.HALF and self.half not in (1, 2):
            errors["term_half"] = _("Choose the first or the second half-year.")
        return errors

    def normalized(self) -> "Term":
        """Only the part that the kind uses (a month left over from an edit is dropped)."""
        return Term(
            kind=self.kind,
            date=self.date if self.kind == TermKind.DATE else None,
            month=self.month if self.kind == TermKind.MONTH else None,
            quarter=self.quarter if self.kind == TermKind.QUARTER else None,
            half=self.half if self.kind == TermKind.HALF else None,
            text=(self.text or "").strip() or None if self.kind == TermKind.ONGOING else None,
        )

    def __str__(self) -> str:
        kind = self.kind
        if kind == TermKind.DATE and self.date:
            return _("by %(day)s %(month)s") % {
                "day": self.date.day,
                "month": _month_in_text(self.date.month),
            }
        if kind == TermKind.MONTH and self.month:
            return str(MONTHS[self.month]).capitalize()
        if kind == TermKind.QUARTER and self.quarter:
            return _("%(n)s quarter") % {"n": self.quarter}
        if kind == TermKind.HALF and self.half:
            return _("%(n)s half-year") % {"n": self.half}
        if kind == TermKind.YEAR:
            return str(TermKind.YEAR.label)  # "during the year", as the plans write it
        if kind == TermKind.ONGOING:
            return (self.text or "").strip() or str(TermKind.ONGOING.label)
        if kind in RECURRING:
            return str(TermKind(kind).label)
        return ""


# --- reading a term back from text ------------------------------------------------------------
#
# A term as people type it in a spreadsheet, in English, Russian or Kazakh: whatever
# `Term.__str__` writes in any of the three languages, and the usual hand-written variants
# ("15.03.2026", "II квартал", "Q2", "1st half-year", "в течение года", "ай сайын" …).
# Each pattern must match the whole text (after a leading "by"/"до"/"в течение" and a year),
# so a range such as "I–II квартал" is reported rather than read as one of its ends.


class TermParseError(ValueError):
    """The text is not a term; the message says why, for the person who typed it."""


_MONTH_STEMS = (
    # (month, stems): English names and abbreviations, Russian stems (every case), Kazakh.
    (1, ("january", "jan", "январ", "қаңтар")),
    (2, ("february", "feb", "феврал", "ақпан")),
    (3, ("march", "mar", "март", "наурыз")),
    (4, ("april", "apr", "апрел", "сәуір")),
    (5, ("may", "май", "мая", "мае", "мамыр")),
    (6, ("june", "jun", "июн", "маусым")),
    (7, ("july", "jul", "июл", "шілде")),
    (8, ("august", "aug", "август", "тамыз")),
    (9, ("september", "sep", "sept", "сентябр", "қыркүйек")),
    (10, ("october", "oct", "октябр", "қазан")),
    (11, ("november", "nov", "ноябр", "қараша")),
    (12, ("december", "dec", "декабр", "желтоқсан")),
)
_SHORT_STEMS = {
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "май",
    "мая",
    "мае",
}  # whole words only


def _month_of(word: str) -> int | None:
    for month, stems in _MONTH_STEMS:
        for stem in stems:
            if word == stem or (stem not in _SHORT_STEMS and word.startswith(stem)):
                return month
    return None


_ORDINALS = {
    "1": 1,
    "i": 1,
    "first": 1,
    "1st": 1,
    "первый": 1,
    "первое": 1,
    "первом": 1,
    "бірінші": 1,
    "2": 2,
    "ii": 2,
    "second": 2,
    "2nd": 2,
    "второй": 2,
    "второе": 2,
    "втором": 2,
    "екінші": 2,
    "3": 3,
    "iii": 3,
    "third": 3,
    "3rd": 3,
    "третий": 3,
    "третьем": 3,
    "үшінші": 3,
    "4": 4,
    "iv": 4,
    "fourth": 4,
    "4th": 4,
    "четвертый": 4,
    "четвертом": 4,
    "төртінші": 4,
}
_ORDINAL = r"(?P<n>" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")"
_WORD = r"[^\W\d_]+"

# Words before the term that add nothing: "by", "до", "в течение", "не позднее" …
_LEADING = re.compile(
    r"^(?:(?:by|until|till|not later than|no later than|in the course of|during|within|"
    r"throughout|in|the|end of|до конца|к концу|не позднее|в течение|в течении|до|к|в|во|на)"
    r"\s+)+"
)
# Words after it: "года", "г.", "жылғы", Kazakh "by" (дейін) and "day" (күні/күніне) …
_TRAILING = re.compile(r"(?:\s+(?:of|года|г|жылғы|жылдың|жылы|күніне|күнге|күні|дейін|дейин))+$")
_YEAR = re.compile(r"(?<![\d.])(?P<year>20\d\d)(?:\s*(?:года|г\b|жылғы|жылдың|жылы|year))?")
# Words that may stand around a written date: "до 15.03.2026 г.", "15.03.2026 ж. дейін".
_DATE_WORDS = {
    "by",
    "until",
    "till",
    "not",
    "no",
    "later",
    "than",
    "до",
    "не",
    "позднее",
    "к",
    "г",
    "года",
    "ж",
    "жылғы",
    "күні",
    "күнге",
    "күніне",
    "дейін",
    "дейин",
}
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")

_FIXED = (
    # Recurring terms come first: "ежеквартально" holds "квартал", "тоқсан сайын" "тоқсан".
    (
        TermKind.MONTHLY,
        r"monthly|every month|each month|ежемесячно|ежемесячный|каждый месяц|"
        r"(?:әр )?ай сайын(?:ғы)?|әр ай",
    ),
    (
        TermKind.QUARTERLY,
        r"quarterly|every quarter|each quarter|ежеквартально|ежеквартальный|"
        r"каждый квартал|(?:әр )?тоқсан сайын(?:ғы)?|әр тоқсан",
    ),
    (
        TermKind.SEMIANNUAL,
        r"semi-?annually|semi-?annual|twice a year|every six months|"
        r"every half[- ]year|(?:один )?раз в полугодие|раз в пол ?года|"
        r"каждое полугодие|жарты жылда бір рет|жартыжылдық сайын|"
        r"жарты жыл сайын|әр жартыжылдық",
    ),
    (
        TermKind.YEAR,
        r"annually|yearly|every year|year|ежегодно|года|год|жыл сайын|жыл бойы|"
        r"жыл бойына|жыл ішінде|жыл",
    ),
)
_HALF = re.compile(
    r"(?:h(?P<h>[12])|" + _ORDINAL + r"(?:[- ]|-?ші )?(?:half[- ]year|half of the year|half|"
    r"полугоди\w*|жартыжылды\w*|жарты жылды\w*|жарты жыл))"
)
_QUARTER = re.compile(
    r"(?:q(?P<q>[1-4])|(?:quarter|квартал) (?P<k>[1-4]|iv|iii|ii|i)|"
    + _ORDINAL
    + r"(?:[- ]|-?ші )?(?:quarter|квартал\w*|кв\.?|тоқсан\w*))"
)
_DAY_MONTH = re.compile(
    r"(?P<d>\d{1,2})(?:st|nd|rd|th|-?ші|-?шы)?\s*(?P<m>" + _WORD + r")"
    r"|(?P<m2>" + _WORD + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
)
_MONTH = re.compile(r"(?P<m>" + _WORD + r")(?:\s+(?:айы|айында|month))?")


# Ongoing or on-demand work, wherever the phrase stands in the text ("в течение года по мере
# поступления запросов", "постоянно", "қажеттілігіне қарай", "as needed"): kept as typed.
_ONGOING = re.compile(
    r"по мере|постоянн\w*|на постоянной основе|по необходимости|по запрос\w*|"
    r"по требовани\w*|регулярно|систематически|"
    r"қажеттілігіне қарай|қажетіне қарай|қажет болған|қажеттілік бойынша|тұрақты\w*|"
    r"түсуіне қарай|түскен сайын|үнемі|ұдайы|тұрақты негізде|"
    r"as needed|as required|as received|upon receipt|on demand|on request|ongoing|"
    r"continuous\w*|permanent\w*|"
    r"as needed / ongoing"
)


def _normalise(text: str) -> str:
    text = text.lower().replace("ё", "е").replace("\u00a0", " ")
    text = re.sub(r"[–—−]", "-", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .,;:")


def _date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise TermParseError(_("“%(text)s”: there is no such date.") % {"text": text}) from None


def parse_term(text: str, *, year: int) -> Term | None:
    """The term that `text` writes, for a plan of `year` (None for an empty text).

    A day and month without a year fall in `year`; a year written in the text must be `year`
    (a date of another year is left to `Term.problems` to report). Raises TermParseError.
    """
    original = " ".join(str(text or "").split())
    s = _normalise(original)
    if not s or s in {"-", "—"}:
        return None
    if _ONGOING.search(s):
        return Term(TermKind.ONGOING, text=original[:500])

    found = _NUMERIC_DATE.search(s) or _ISO_DATE.search(s)
    if found:
        rest = re.split(r"[\W_]+", s[: found.start()] + " " + s[found.end() :])
        if any(word and word not in _DATE_WORDS for word in rest):
            raise _unknown(original)
        a, b, c = (int(g) for g in found.groups())
        if found.re is _ISO_DATE:
            return Term(TermKind.DATE, date=_date(a, b, c, original))
        return Term(TermKind.DATE, date=_date(c + 2000 if c < 100 else c, b, a, original))

    written_year = None
    match = _YEAR.search(s)
    if match:
        written_year = int(match["year"])
        s = (s[: match.start()] + s[match.end() :]).strip()
    s = _TRAILING.sub("", _LEADING.sub("", s + " ").strip()).strip(" .,")
    term = _read(s, written_year or year, original)
    if term is None:
        raise _unknown(original)
    if written_year is not None and written_year != year and term.kind != TermKind.DATE:
        raise TermParseError(
            _("“%(text)s” is in %(written)s, but the plan is for %(year)s.")
            % {"text": original, "written": written_year, "year": year}
        )
    return term


def _read(s: str, year: int, original: str) -> Term | None:
    for kind, pattern in _FIXED:
        if re.fullmatch(pattern, s):
            return Term(kind)
    if not s:  # only a year was written: "2026 год"
        return Term(TermKind.YEAR)
    if match := _HALF.fullmatch(s):
        return Term(TermKind.HALF, half=int(match["h"] or _ORDINALS[match["n"]]))
    if match := _QUARTER.fullmatch(s):
        number = match["q"] or match["k"] or match["n"]
        quarter = int(number) if number.isdigit() else _ORDINALS[number]
        return Term(TermKind.QUARTER, quarter=quarter)
    if match := _DAY_MONTH.fullmatch(s):
        month = _month_of(match["m"] or match["m2"])
        if month is not None:
            day = int(match["d"] or match["d2"])
            return Term(TermKind.DATE, date=_date(year, month, day, original))
    if match := _MONTH.fullmatch(s):
        month = _month_of(match["m"])
        if month is not None:
            return Term(TermKind.MONTH, month=month)
    return None


def _unknown(text: str) -> TermParseError:
    return TermParseError(
        _(
            "“%(text)s” is not a term of execution the import understands: write a date "
            "(15.03.2026), a month (December), a quarter (II quarter), a half-year "
            "(1 half-year), “during the year”, “monthly”, “quarterly”, “semi-annually” or "
            "“as needed” (“по мере поступления”, “постоянно”, “қажеттілігіне қарай”)."
        )
        % {"text": text}
    )
