"""Texts held in each language (jospar/translation.py lists them): which languages a body works
in, what is missing in one of them, and the migration that moved the texts typed before into
their language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import migrations
from django.db.models import Count, F, Q
from django.utils import translation

# The state language and Russian, used officially on equal grounds: a body's plan and reports
# are issued in both, and a text lacking in one of them is reported as missing.
OFFICIAL = ("kk", "ru")
# Every language a text is held in (English is optional): settings.MODELTRANSLATION_LANGUAGES.
HELD = ("kk", "ru", "en")


def localized(field: str, language: str) -> str:
    return f"{field}_{language}"


def variants(*fields: str) -> tuple[str, ...]:
    """The columns that hold `fields` in each language."""
    return tuple(localized(field, language) for field in fields for language in HELD)


def active_column(field: str) -> str:
    """The column that writing `field` writes: the active language's (as the field's
    descriptor does)."""
    from modeltranslation.utils import get_language

    return localized(field, get_language())


def reader(model, field: str) -> Callable[[object], object]:
    """`lambda obj: obj.<field>` for the many rows of a page: the same text the field's
    descriptor gives (the active language's, else the first of its fallbacks that has one,
    else the field's default), with the order of languages worked out once here rather than
    at every read (~5 µs a read, twice a row of a 2,000-action table)."""
    from modeltranslation.fields import NONE
    from modeltranslation.utils import fallbacks_enabled, get_language, resolution_order

    descriptor = getattr(model, field)
    undefined = descriptor.fallback_undefined
    if undefined is NONE:
        undefined = descriptor.field.get_default()
    columns = [
        localized(field, language)
        for language in resolution_order(get_language(), descriptor.fallback_languages)
    ]
    if fallbacks_enabled() and descriptor.fallback_value is not NONE:
        last = descriptor.fallback_value
    else:
        last = descriptor.field.get_default()

    def read(obj) -> object:
        values = obj.__dict__
        for column in columns:
            value = values[column] if column in values else getattr(obj, column)  # deferred
            if value is not None and value != undefined:
                return value
        return last

    return read


def none_if_blank(obj) -> None:
    """A text of `obj` that is only spaces in some language is none in it (so that language
    falls back, and counts as missing), whatever wrote it."""
    for name in variants(*getattr(obj, "TEXTS", ())):
        value = getattr(obj, name, None)
        if isinstance(value, str) and not value.strip():
            setattr(obj, name, None)


def texts_of(obj, *fields: str) -> dict[str, Any]:
    """The object's `fields` in each language as stored (no fallback): for a copy of them."""
    return {name: getattr(obj, name) for name in variants(*fields)}


def in_each_language(field: str, build: Callable[[], Any]) -> dict[str, Any]:
    """`field` in each language, as `build` makes it with that language active (texts it reads
    fall back as they do on a page): what a revision or a submitted report freezes."""
    return each_in_each_language({field: build})


def each_in_each_language(builds: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """`in_each_language` for several fields, each language made active once for all of them
    (a revision of 2,000 actions freezes four such fields an action)."""
    values = {}
    for language in HELD:
        with translation.override(language):
            for field, build in builds.items():
                values[localized(field, language)] = build()
    return values


def lacking(field: str, language: str) -> Q:
    """Rows whose `field` has no text in `language` (only spaces count as none)."""
    name = localized(field, language)
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__regex": r"^\s*$"})


_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def written_in(text: str) -> str | None:
    """The language a text a unit wrote once (not held per language) is in, as its letters
    tell: Kazakh has letters Russian lacks; Cyrillic without them is Russian, Latin English.
    None for a text with no letters."""
    cyrillic = latin = 0
    for letter in text or "":
        if letter in _KAZAKH_LETTERS:
            return "kk"
        if "\u0400" <= letter <= "\u04ff":
            cyrillic += 1
        elif letter.isascii() and letter.isalpha():
            latin += 1
    if not cyrillic and not latin:
        return None
    return "ru" if cyrillic >= latin else "en"


def lacking_counts(queryset, field: str = "name") -> dict[str, int]:
    """How many rows of `queryset` lack `field` in each official language (one query)."""
    return queryset.aggregate(
        **{language: Count("pk", filter=lacking(field, language)) for language in OFFICIAL}
    )


def fill_languages(app_label: str, fields: dict[str, tuple[str, ...]]):
    """A migration step that puts each text typed before texts were held per language into the
    column of the deployment's language (LANGUAGE_CODE; Russian if it is none of the body's),
    in the rows and in their history."""
    language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in ("kk", "ru", "en") else "ru"

    def forwards(apps, schema_editor):
        for model_name, names in fields.items():
            copy = {localized(name, language): F(name) for name in names}
            for name in (model_name, f"historical{model_name}"):
                try:
                    model = apps.get_model(app_label, name)
                except LookupError:
                    continue
                model._base_manager.update(**copy)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
