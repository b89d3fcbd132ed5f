"""The demo's texts in the two languages a Kazakhstan body issues its plan in.

Every text that the plan holds per language (the body's and units' names, the heads'
positions, budget programs, the development plan, tasks, actions, forms and proposals) is a
`T`: its Russian and its Kazakh wording. `tr` turns a field's name and a `T` into the keyword
arguments that a model or a service takes. What a unit writes each quarter (the actual
execution, reasons, recommendations, decisions) and people's positions are written once, in
Russian, as plain strings.
"""

from typing import NamedTuple

# The models hold a column per language (`name_ru`, `name_kk`, …; jospar/translation.py): both
# texts are stored. Switched off, only the Russian text is stored, in the plain field.
BILINGUAL = True


class T(NamedTuple):
    """A text in Russian and in Kazakh."""

    ru: str
    kk: str


NONE = T("", "")


def tr(field: str, text: T) -> dict[str, str]:
    """The keyword arguments that set `field` to `text`: `{"name_ru": …, "name_kk": …}`."""
    if BILINGUAL:
        return {f"{field}_ru": text.ru, f"{field}_kk": text.kk}
    return {field: text.ru}
