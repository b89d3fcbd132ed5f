"""Reading an object's audit trail (django-simple-history) for the history page."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from modeltranslation.fields import TranslationField

from jospar.lib.forms import language_name
from jospar.orgs.models import StateBody, User

HISTORY_KINDS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryRow:
    when: object
    who: object
    kind: str
    changes: list[Change]
    url: str = ""  # a page that says more (a digital signature's)


def history_target(body: StateBody, label: str, object_id: int, *, user=None) -> Model:
    """The object named by "app.model" and id, if it has history, belongs to the body and
    the user sees it."""
    from jospar.lib.views import object_in_body
    from jospar.orgs.visibility import sees, sees_all

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not hasattr(model, "history"):
        raise Http404
    if model is StateBody:
        if object_id != body.pk:
            raise Http404
        return body
    if model is User:
        if user is not None and not sees_all(user, User, body.pk):
            raise PermissionDenied
        try:
            return User.objects.filter(roles__body=body).distinct().get(pk=object_id)
        except User.DoesNotExist:
            raise Http404 from None
    if not hasattr(model, "BODY_LOOKUP"):
        raise Http404
    obj = object_in_body(model, body, object_id)
    if user is not None and not sees(user, obj):
        raise Http404  # e.g. a unit's work in progress is its own and the body-wide roles'
    return obj


YES = pgettext_lazy("history value", "yes")
NO = pgettext_lazy("history value", "no")


def _display(record, field) -> object:
    """A recorded value as the reader reads it: a choice by its (translated) label, yes/no,
    a date as dd.mm.yyyy, a time in Asia/Almaty, a related object by its name. Labels stay
    lazy, so the page renders them in the reader's language."""
    value = getattr(record, field.attname)
    if value is None:
        return None
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        try:
            return str(getattr(record, field.name))
        except ObjectDoesNotExist:
            return f"#{value}"  # the related object has since been deleted
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return value


def _language_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, TranslationField)]


def _label(field) -> str:
    """A field's name as the history shows it: a text's language says which it is."""
    if isinstance(field, TranslationField):
        return _("%(field)s (%(language)s)") % {
            "field": field.translated_field.verbose_name,
            "language": language_name(field.language),
        }
    return str(field.verbose_name)


def history_rows(obj: Model) -> list[HistoryRow]:
    """Every recorded change of the object, newest first, with field-by-field differences."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "pk"))
    # The version only counts saves (lib.models.Versioned): the fields say what changed.
    # A text held in each language shows each language's change, not the copy its own column
    # keeps (jospar/translation.py).
    held = {getattr(f, "translated_field", f).name for f in _language_fields(type(obj))}
    fields = [
        f
        for f in type(obj)._meta.concrete_fields
        if f.name not in {"id", "version"} and f.name not in held
    ]
    rows: list[HistoryRow] = []
    previous = None
    for record in records:
        changes = []
        if getattr(record, "history_change_reason", None):
            changes.append(Change(str(_("note")), None, record.history_change_reason))
        for f in fields:
            if not hasattr(record, f.attname):
                continue
            new = _display(record, f)
            old = _display(previous, f) if previous is not None else None
            if previous is None and new in (None, ""):
                continue
            if previous is None or old != new:
                changes.append(Change(_label(f), old, new))
        if changes or record.history_type != "~":  # a save that changed nothing is noise
            rows.append(
                HistoryRow(
                    when=record.history_date,
                    who=record.history_user,
                    kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                    changes=changes,
                )
            )
        previous = record
    rows.extend(_value_rows(obj))
    rows.extend(_carried_rows(obj))
    rows.extend(_signature_rows(obj))
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows


def _value_rows(obj: Model) -> list[HistoryRow]:
    """An indicator's planned values are rows of their own; their changes belong to the
    indicator's history, as "Planned value for 2027: 15 → 16.25"."""
    from jospar.strategy.models import Indicator, IndicatorValue

    if not isinstance(obj, Indicator):
        return []
    records = IndicatorValue.history.filter(indicator_id=obj.pk).select_related("history_user")
    last: dict[int, object] = {}
    rows = []
    for record in records.order_by("history_date", "history_id"):
        label = _("Planned value for %(year)s") % {"year": record.year}
        before = last.get(record.id)
        old = None if before is None else before.planned.normalize()
        new = None if record.history_type == "-" else record.planned.normalize()
        last[record.id] = record
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=record.history_user,
                kind=HISTORY_KINDS[record.history_type],
                changes=[Change(label, old, new)],
            )
        )
    return rows


def _carried_rows(obj: Model) -> list[HistoryRow]:
    """An action carried over into a later year's plan says so in its own history, as the new
    action's history names the one it continues."""
    from jospar.plans.models import Action

    if not isinstance(obj, Action):
        return []
    records = Action.history.filter(carried_from_id=obj.pk, history_type="+")
    records = list(records.select_related("history_user", "plan").order_by("history_date"))
    # the name as it reads now in the reader's language (a deleted one: as it was recorded)
    live = Action.objects.in_bulk([record.id for record in records])
    for record in records:
        live.setdefault(record.id, record)
    return [
        HistoryRow(
            when=record.history_date,
            who=record.history_user,
            kind=_("carried over"),
            changes=[Change(_("Carried over into"), None, f"{record.plan}: {live.get(record.id)}")],
        )
        for record in records
    ]


def _signature_rows(obj: Model) -> list[HistoryRow]:
    """Each digital signature of the object (a plan's: of its revisions) is a row: who signed
    what with which certificate, linked to the signature's page."""
    from django.urls import reverse

    from jospar.signatures.selectors import object_name, signatures_of

    return [
        HistoryRow(
            when=signature.verified_at,
            who=signature.signer,
            kind=_("signed with EDS"),
            changes=[
                Change(signature.get_kind_display(), None, f"{object_name(signature)}: {signature}")
            ],
            url=reverse("signatures:signature", args=[signature.body_id, signature.pk]),
        )
        for signature in signatures_of(obj)
    ]
