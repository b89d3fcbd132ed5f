"""What people type that is shared across the body or printed on a legal form, held in Kazakh
and Russian (and, optionally, English): django-modeltranslation adds `<field>_kk`, `<field>_ru`
and `<field>_en` to each field a model lists in its TEXTS, and `<field>` itself reads the active
language's text, falling back to the other official language
(settings.MODELTRANSLATION_FALLBACK_LANGUAGES).

Texts a unit writes once a quarter (the actual execution, reasons, recommendations, decisions)
are not held per language: they stay in the language they were written in.

The history of each model records each language too: simple-history builds a model's history
table when the model class is created, before django-modeltranslation adds the language fields,
so `_record_languages` adds them to the history models as well.
"""

from django.utils.module_loading import import_string
from modeltranslation.fields import TranslationField
from modeltranslation.translator import TranslationOptions, translator
from simple_history.models import transform_field

from jospar.orgs.models import BudgetProgram, StateBody, Unit
from jospar.plans.models import (
    Action,
    CompletionForm,
    Proposal,
    RegulationTask,
    Revision,
    RevisionAction,
    RevisionHeading,
)
from jospar.reports.models import Report
from jospar.strategy.models import DevelopmentPlan, Goal, Indicator, StrategicDirection

TRANSLATED = (
    StateBody,
    Unit,
    BudgetProgram,
    DevelopmentPlan,
    StrategicDirection,
    Goal,
    Indicator,
    CompletionForm,
    RegulationTask,
    Action,
    Proposal,
    # what an approved revision or a submitted report froze, in each language
    RevisionHeading,
    RevisionAction,
    Revision,
    Report,
)


def _record_languages(model) -> None:
    """Give the model's history table the language fields the model has."""
    history = getattr(model, "history", None)
    if history is None:
        return
    historical = history.model
    present = {field.name for field in historical._meta.get_fields()}
    for field in model._meta.concrete_fields:
        if not isinstance(field, TranslationField) or field.name in present:
            continue
        name, path, args, kwargs = field.deconstruct()
        copy = import_string(path)(*args, **kwargs)
        copy.set_attributes_from_name(name)
        transform_field(copy)
        historical.add_to_class(name, copy)
        historical.tracked_fields.append(field)


for _model in TRANSLATED:
    _options = type(f"{_model.__name__}Texts", (TranslationOptions,), {"fields": _model.TEXTS})
    translator.register(_model, _options)
    _record_languages(_model)
