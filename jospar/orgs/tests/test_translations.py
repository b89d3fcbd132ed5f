"""The Russian and Kazakh catalogs: the key terms come out as the Rules write them, and every
message of the interface is translated (no empty and no fuzzy entry, the .mo compiled from
the current .po, the placeholders kept).

After `jospar makemessages -l ru -l kk --no-location --ignore="tests/*"` a new or changed
source string shows up here by its msgid until someone translates it and runs
`jospar compilemessages`.
"""

import datetime as dt
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from jospar.plans.terms import Term, TermKind

LANGUAGES = ["ru", "kk"]
LOCALE = Path(settings.LOCALE_PATHS[0])


# -- a tiny .po reader (polib is not a dependency) ---------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"{context}{self.msgid!r}"

    @property
    def mo_key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") included as the first."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = Entry(msgid="")
        has_msgid = False
        target: tuple[str, int] = ("", 0)
        for raw in block.splitlines():
            line = raw
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].lstrip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                keyword, index, rest = *target, line
            else:
                keyword, _sep, rest = line.partition(" ")
                plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                keyword, index = ("msgstr", int(plural.group(1))) if plural else (keyword, 0)
                target = (keyword, index)
            value = _unquote(rest)
            if keyword == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif keyword == "msgid":
                entry.msgid += value
                has_msgid = True
            elif keyword == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            elif keyword == "msgstr":
                entry.msgstr[index] = entry.msgstr.get(index, "") + value
            else:
                raise AssertionError(f"{path}: cannot read the line {raw!r}")
        if has_msgid:
            entries.append(entry)
    return entries


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def header(entries: list[Entry]) -> dict[str, str]:
    first = entries[0]
    assert first.msgid == "" and first.msgctxt is None, "the .po file has no header entry"
    pairs = (line.partition(": ") for line in first.msgstr[0].splitlines() if line)
    return {name: value for name, _sep, value in pairs}


def nplurals(entries: list[Entry]) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header(entries)["Plural-Forms"])
    assert match, "the header has no nplurals"
    return int(match.group(1))


def placeholders(text: str) -> list[str]:
    """Python-format placeholders: named ones as a set, anonymous ones by count and type."""
    named = sorted(set(re.findall(r"%\((\w+)\)[sdif]", text)))
    anonymous = sorted(re.findall(r"%(?!\()[-+ #0]*\d*(?:\.\d+)?[sdif]", text))
    return named + anonymous


# -- the key terms -----------------------------------------------------------------------------

TERMS = {
    # msgid: (Russian, Kazakh) — DESIGN.md "Terms:" and the Appendix 1 columns.
    "operational plan": ("операционный план", "операциялық жоспар"),
    "development plan": ("план развития", "даму жоспары"),
    "strategic direction": ("стратегическое направление", "стратегиялық бағыт"),
    "macro indicator": ("макропоказатель", "макрокөрсеткіш"),
    "goal": ("цель", "мақсат"),
    "target indicator": ("целевой индикатор", "нысаналы индикатор"),
    "action": ("мероприятие", "іс-шара"),
    "responsible executor": ("ответственный исполнитель", "жауапты орындаушы"),
    "term of execution": ("срок исполнения", "орындау мерзімі"),
    "form of completion": ("форма завершения", "аяқтау нысаны"),
    "structural unit": ("структурное подразделение", "құрылымдық бөлімше"),
    "subordinate organisation": ("подведомственная организация", "ведомстволық бағынысты ұйым"),
    "Units": ("Подразделения", "Бөлімшелер"),
    "Term of execution": ("Срок исполнения", "Орындау мерзімі"),
    "Form of completion": ("Форма завершения", "Аяқтау нысаны"),
    "Code of budget program": ("Код бюджетной программы", "Бюджеттік бағдарлама коды"),
    "Responsible executor": ("Ответственный исполнитель", "Жауапты орындаушы"),
    "during the year": ("в течение года", "жыл бойы"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("msgid", list(TERMS))
def test_the_key_terms_follow_the_official_terminology(language, msgid):
    expected = TERMS[msgid][LANGUAGES.index(language)]
    with translation.override(language):
        assert _(msgid) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_number_column_is_the_number_sign(language):
    with translation.override(language):
        assert pgettext("number column", "No") == "№"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            {
                "quarter": "1 квартал",
                "half": "2 полугодие",
                "year": "в течение года",
                "monthly": "ежемесячно",
                "quarterly": "ежеквартально",
                "semiannual": "раз в полугодие",
                "date": "до 20 декабря",
            },
        ),
        (
            "kk",
            {
                "quarter": "1 тоқсан",
                "half": "2 жартыжылдық",
                "year": "жыл бойы",
                "monthly": "ай сайын",
                "quarterly": "тоқсан сайын",
                "semiannual": "жарты жылда бір рет",
            },
        ),
    ],
)
def test_terms_of_execution_read_as_people_write_them(language, expected):
    terms = {
        "quarter": Term(kind=TermKind.QUARTER, quarter=1),
        "half": Term(kind=TermKind.HALF, half=2),
        "year": Term(kind=TermKind.YEAR),
        "monthly": Term(kind=TermKind.MONTHLY),
        "quarterly": Term(kind=TermKind.QUARTERLY),
        "semiannual": Term(kind=TermKind.SEMIANNUAL),
        "date": Term(kind=TermKind.DATE, date=dt.date(2026, 12, 20)),
    }
    with translation.override(language):
        assert {kind: str(terms[kind]) for kind in expected} == expected


def test_a_term_by_a_date_reads_as_people_write_it_in_kazakh():
    with translation.override("kk"):
        assert str(Term(kind=TermKind.DATE, date=dt.date(2026, 12, 20))) == (
            "20 желтоқсан күніне дейін"
        )


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("ru", 1, "просрочено на 1 день"),
        ("ru", 3, "просрочено на 3 дня"),
        ("ru", 5, "просрочено на 5 дней"),
        ("ru", 11, "просрочено на 11 дней"),
        ("ru", 21, "просрочено на 21 день"),
        ("ru", 22, "просрочено на 22 дня"),
        ("kk", 1, "1 күнге кешікті"),
        ("kk", 5, "5 күнге кешікті"),
    ],
)
def test_plural_forms(language, n, expected):
    with translation.override(language):
        assert ngettext("%(n)s day late", "%(n)s days late", n) % {"n": n} == expected


# -- completeness ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    path = po_path(language)
    assert path.exists(), f"{path} is missing; run makemessages -l {language}"
    entries = read_po(path)
    n = nplurals(entries)
    untranslated, fuzzy, wrong_plurals = [], [], []
    for entry in entries[1:]:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            fuzzy.append(entry.label)
        expected = list(range(n)) if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != expected:
            wrong_plurals.append(f"{entry.label} has forms {sorted(entry.msgstr)}, not {expected}")
        if not all(entry.msgstr.get(i) for i in expected):
            untranslated.append(entry.label)
    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated:\n  " + "\n  ".join(untranslated))
    if fuzzy:
        problems.append(
            f"{len(fuzzy)} fuzzy (check, then remove the flag):\n  " + "\n  ".join(fuzzy)
        )
    if wrong_plurals:
        problems.append("wrong number of plural forms:\n  " + "\n  ".join(wrong_plurals))
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    entries = read_po(po_path(language))
    wrong = []
    for entry in entries[1:]:
        if entry.obsolete:
            continue
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            if text and placeholders(text) != placeholders(source):
                wrong.append(f"{entry.label} [{index}]: {text!r}")
    assert not wrong, f"{po_path(language)}: placeholders differ:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_up_to_date(language):
    po = po_path(language)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing; run compilemessages"
    with mo.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    stale = []
    for entry in read_po(po)[1:]:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        for index, text in entry.msgstr.items():
            key = (entry.mo_key, index) if entry.msgid_plural is not None else entry.mo_key
            if text and catalog.get(key) != text:
                stale.append(entry.label)
                break
    assert not stale, f"{mo} is older than the .po; run compilemessages. Differs:\n  " + (
        "\n  ".join(stale)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plural_formula_is_djangos(language):
    """The same formula as Django's own catalog, so both count the same way."""
    ours = header(read_po(po_path(language)))["Plural-Forms"]
    django_po = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES"
    theirs = header(read_po(django_po / "django.po"))["Plural-Forms"]
    assert ours == theirs
