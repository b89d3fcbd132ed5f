"""Helpers that services share for validating and saving a record with its audit trail."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.orgs.policy import Perm, require


def ensure_unique(obj: Model, field: str, message: str | None = None, **scope) -> None:
    """Raise a field error when another record in `scope` already has obj's value of `field`."""
    value = getattr(obj, field)
    if value in (None, ""):
        return
    others = type(obj)._default_manager.filter(**scope, **{field: value}).exclude(pk=obj.pk)
    if others.exists():
        raise ValidationError(
            {field: message or _("“%(value)s” is already used here.") % {"value": value}}
        )


def save_record(obj: Model, *, actor, exclude: list[str] | None = None) -> Model:
    """Validate every field and constraint, then save, recording the actor in the history."""
    obj.full_clean(exclude=exclude)
    obj._history_user = actor
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        # Two people saved the same unique value at once; the database kept the first.
        raise ValidationError(
            _("Someone saved a conflicting record a moment ago; reload the page and try again.")
        ) from None
    return obj


def delete_record(obj: Model, *, actor) -> None:
    obj._history_user = actor
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as error:
        used_by = sorted({str(o._meta.verbose_name) for o in error.protected_objects})
        raise ValidationError(
            _("“%(obj)s” is still used (%(by)s); remove or change those first.")
            % {"obj": obj, "by": ", ".join(used_by)}
        ) from None


def apply_fields(obj: Model, fields: dict) -> Model:
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj


def save_checked(
    actor,
    perm: Perm,
    obj: Model,
    fields: dict,
    check: Callable[[Model], None] | None = None,
    *,
    guard: Model | None = None,
) -> Model:
    """Require `perm` on `guard` (else the object), set fields, run `check`, save with history."""
    require(actor, perm, obj if guard is None else guard)
    apply_fields(obj, fields)
    if check is not None:
        check(obj)
    return save_record(obj, actor=actor)


def delete_checked(
    actor, perm: Perm, obj: Model, check: Callable[[Model], None] | None = None
) -> None:
    """Require `perm` on the object, run `check` (it raises to refuse), delete it with history."""
    require(actor, perm, obj)
    if check is not None:
        check(obj)
    delete_record(obj, actor=actor)


def check_fields(model, **values) -> None:
    """Run the validators of `model`'s fields on `values` (for a write that does not go
    through full_clean, such as a versioned update); a field error for each that fails."""
    errors = {}
    for name, value in values.items():
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


class Conflict(Exception):
    """Someone else saved the object since this user read it: `current` is it as it is now,
    `message` says who and when, for a page or a 409."""

    def __init__(self, current: Model, message: str):
        super().__init__(message)
        self.current, self.message = current, message


def require_version(model: type[Model], pk: int, version: int | None) -> Model:
    """The stored row of `model` (call it with the row's parent locked); a Conflict when the
    writer started from another `version` than the stored one (None: the writer did not say)."""
    stored = model._default_manager.get(pk=pk)
    if version is None or version == stored.version:
        return stored
    last = stored.history.first()
    who = getattr(last, "history_user", None) or _("someone")
    when = timezone.localtime(last.history_date).strftime("%H:%M") if last else ""
    raise Conflict(
        stored,
        _(
            "%(who)s saved this at %(when)s while you were editing it; nothing of yours was "
            "saved. What they saved is shown; save again to replace it with yours."
        )
        % {"who": who, "when": when},
    )
