"""Helpers that services share for validating and saving a record with its audit trail."""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import (
    CASCADE,
    DO_NOTHING,
    PROTECT,
    RESTRICT,
    SET_NULL,
    FileField,
    Model,
    ProtectedError,
)
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from jospar.lib.languages import none_if_blank
from jospar.lib.models import Versioned
from jospar.orgs.policy import Perm, require


def conflict_message() -> str:
    """What a write says when the database refused it for a clash with a moment-old one."""
    return _("Someone saved a conflicting record a moment ago; reload the page and try again.")


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
        raise ValidationError(conflict_message()) from None
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
    version: int | None = None,
) -> Model:
    """Require `perm` on `guard` (else the object), set fields, run `check`, save with history.
    A change of a Versioned object is checked against the `version` its writer started from."""
    require(actor, perm, obj if guard is None else guard)
    if obj.pk is not None and isinstance(obj, Versioned):
        next_version(obj, version)
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


@dataclass(frozen=True)
class Services:
    """The service functions that write one kind of object, for the pages (ObjectPages) and
    the API (ServiceViewSet) alike; `arg` names the object in update and delete."""

    arg: str
    create: Callable[..., Model]
    update: Callable[..., Model] | None = None
    delete: Callable[..., None] | None = None


def record_services(
    model: type[Model],
    arg: str,
    *,
    parent: str,
    perm: Perm,
    check: Callable[[Model], None] | None = None,
    check_delete: Callable[[Model], None] | None = None,
) -> Services:
    """The create, update and delete services of a record that has no rules beyond `check`
    (run before every save) and `check_delete` (it raises to refuse a deletion), each in one
    transaction: `create(actor=…, <parent>=…, **fields)` requires `perm` on the parent,
    `update(actor=…, <arg>=…, **fields)` and `delete(actor=…, <arg>=…)` on the record."""

    @transaction.atomic
    def create(*, actor, version: int | None = None, **fields) -> Model:
        owner = fields.pop(parent)  # a version sent with a new record means nothing
        return save_checked(actor, perm, model(**{parent: owner}), fields, check, guard=owner)

    @transaction.atomic
    def update(*, actor, version: int | None = None, **fields) -> Model:
        return save_checked(actor, perm, fields.pop(arg), fields, check, version=version)

    @transaction.atomic
    def delete(*, actor, **target) -> None:
        delete_checked(actor, perm, target[arg], check_delete)

    return Services(arg, create, update, delete)


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
    """The stored row of `model`, locked; a Conflict when the writer started from another
    `version` than the stored one (None: the writer did not say)."""
    stored = model._default_manager.select_for_update().get(pk=pk)
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


def next_version(obj: Model, version: int | None) -> None:
    """Count a save of `obj`'s content, which its writer started from `version`: a Conflict
    if someone saved it since, else obj.version becomes the stored one plus one."""
    obj.version = require_version(type(obj), obj.pk, version).version + 1


# --- many records at once ------------------------------------------------------------------


def clean_many(
    objs: Sequence[Model], *, exclude: Collection[str] = (), checked: Collection[str] = ()
) -> dict[int, ValidationError]:
    """What `full_clean` would find wrong in each of `objs` (unsaved objects of one model),
    by index, in a fixed number of queries however many objects there are: each object's
    fields and `clean()` as full_clean runs them; the targets of each foreign key looked up
    once for all the objects; unique fields and unique constraints checked against the rows
    they could clash with, loaded once, and among the objects themselves. The constraints
    named in `checked` are the caller's own check (it tells them before this); any other
    constraint is validated object by object, as full_clean does."""
    if not objs:
        return {}
    model = type(objs[0])
    opts = model._meta
    links = [f for f in opts.concrete_fields if f.is_relation and f.name not in exclude]
    missing = {f.name: _missing_targets(f, objs) for f in links}
    uniques = [fields for _model, fields in objs[0]._get_unique_checks(exclude=set(exclude))[0]]
    uniques += [
        c.fields
        for c in opts.total_unique_constraints
        if c.name not in checked and not any(name in exclude for name in c.fields)
    ]
    others = [
        c
        for c in opts.constraints
        if c.name not in checked and c not in opts.total_unique_constraints
    ]
    clashes = {fields: _unique_clashes(model, fields, objs) for fields in uniques}
    found: dict[int, ValidationError] = {}
    for index, obj in enumerate(objs):
        errors: dict = {}
        skip = set(exclude) | {
            f.name for f in links if getattr(obj, f.attname) not in f.empty_values
        }
        for step, args in ((obj.clean_fields, (skip,)), (obj.clean, ())):
            try:
                step(*args)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        for f in links:
            value = getattr(obj, f.attname)
            if value in missing[f.name]:
                errors.setdefault(f.name, []).append(_missing_message(f, value))
        failed = set(exclude) | set(errors)
        for fields in uniques:
            if index in clashes[fields] and not failed & set(fields):
                error = obj.unique_error_message(model, fields)
                errors = ValidationError(error).update_error_dict(errors)
        for constraint in others:
            try:
                constraint.validate(model, obj, exclude=failed)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            found[index] = ValidationError(errors)
    return found


def _missing_targets(field, objs: Sequence[Model]) -> set:
    """The values of the foreign key `field` among `objs` that name no row (one query)."""
    values = {getattr(obj, field.attname) for obj in objs} - {None, ""}
    if not values:
        return set()
    target = field.remote_field
    rows = (
        target.model._base_manager.filter(**{f"{target.field_name}__in": values})
        .complex_filter(field.get_limit_choices_to())
        .values_list(target.field_name, flat=True)
    )
    return values - set(rows)


def _missing_message(field, value) -> ValidationError:
    """ForeignKey.validate's own error for a value that names no row."""
    return ValidationError(
        field.error_messages["invalid"],
        code="invalid",
        params={
            "model": field.remote_field.model._meta.verbose_name,
            "pk": value,
            "field": field.remote_field.field_name,
            "value": value,
        },
    )


def _unique_clashes(model, fields: tuple[str, ...], objs: Sequence[Model]) -> set[int]:
    """The indexes of `objs` whose values of `fields` another row already has, or an earlier
    object of `objs` (one query; an object with a null among them clashes with none)."""
    attnames = [model._meta.get_field(name).attname for name in fields]
    keys = [tuple(getattr(obj, name) for name in attnames) for obj in objs]
    usable = [key for key in keys if None not in key]
    if not usable:
        return set()
    lookups = {f"{name}__in": {key[i] for key in usable} for i, name in enumerate(attnames)}
    stored = set(model._default_manager.filter(**lookups).values_list(*attnames))
    clashes, seen = set(), set()
    for index, key in enumerate(keys):
        if None in key:
            continue
        if key in stored or key in seen:
            clashes.add(index)
        seen.add(key)
    return clashes


def delete_many(model, objs: Sequence[Model], *, actor) -> None:
    """Delete `objs` at once, each leaving the history row its deletion leaves
    (delete_record): a fixed number of statements however many there are. If anything
    protects one of them, nothing is deleted and the first such object is named as
    delete_record names it. Rows that go with them must be plain links (many-to-many rows,
    without history or signals of their own); an optional link to them (SET_NULL) is emptied
    in one statement, without a history row, as Django's own SET_NULL leaves none."""
    if not objs:
        return
    ids = [obj.pk for obj in objs]
    used: dict = {}
    cascades = []
    emptied = []  # (rows, column): an optional link to them, emptied as SET_NULL does
    for relation in get_candidate_relations_to_delete(model._meta):
        field, related = relation.field, relation.related_model
        rows = related._base_manager.filter(**{f"{field.name}__in": ids})
        on_delete = field.remote_field.on_delete
        if on_delete in (PROTECT, RESTRICT):
            for pk in rows.values_list(field.attname, flat=True).distinct():
                used.setdefault(pk, set()).add(str(related._meta.verbose_name))
        elif on_delete is CASCADE and related._meta.auto_created:
            cascades.append(rows)
        elif on_delete is SET_NULL:
            emptied.append((rows, field.attname))
        elif on_delete is not DO_NOTHING:
            raise NotImplementedError(f"delete_many: {related.__name__}.{field.name}")
    for obj in objs:
        if obj.pk in used:
            raise ValidationError(
                _("“%(obj)s” is still used (%(by)s); remove or change those first.")
                % {"obj": obj, "by": ", ".join(sorted(used[obj.pk]))}
            )
    with transaction.atomic():
        bulk_history(model, objs, "-", actor)
        for rows in cascades:
            rows._raw_delete(rows.db)
        for rows, column in emptied:
            rows.update(**{column: None})
        doomed = model._base_manager.filter(pk__in=ids)
        doomed._raw_delete(doomed.db)
    for obj in objs:
        obj.pk = None  # as Model.delete leaves it


def bulk_history(model, objs: Sequence[Model], kind: str, actor) -> None:
    """One history row of `kind` ("+", "~", "-") for each of `objs` of `model`, as it is now,
    by `actor`, with the object's `_change_reason` if it has one (one statement)."""
    history = get_history_manager_for_model(model).model
    now = timezone.now()
    tracked = [f.attname for f in history.tracked_fields]
    columns = [f.attname for f in history._meta.concrete_fields]
    own = {"history_date", "history_user_id", "history_change_reason", "history_type"}
    unknown = set(columns) - set(tracked) - own - {history._meta.pk.attname}
    if unknown:
        raise NotImplementedError(f"bulk_history: {history.__name__} has {sorted(unknown)}")
    rows = []
    for obj in objs:
        values = {name: getattr(obj, name) for name in tracked} | {
            "history_date": getattr(obj, "_history_date", now),
            "history_user_id": actor.pk if actor else None,
            "history_change_reason": getattr(obj, "_change_reason", None),
            "history_type": kind,
        }
        # by position, as Django builds rows read from the database: the quick way in
        rows.append(history(*(values.get(name) for name in columns)))
    insert_many(history, rows)


# The columns whose Python value goes to the database as it is when it is of the type named
# here, or None (Django's conversion of such a value gives it back unchanged).
_INTEGER = (int, type(None))
_PLAIN_COLUMNS = {
    "AutoField": _INTEGER,
    "BigAutoField": _INTEGER,
    "SmallAutoField": _INTEGER,
    "IntegerField": _INTEGER,
    "BigIntegerField": _INTEGER,
    "SmallIntegerField": _INTEGER,
    "PositiveIntegerField": _INTEGER,
    "PositiveBigIntegerField": _INTEGER,
    "PositiveSmallIntegerField": _INTEGER,
    "CharField": (str, type(None)),
    "TextField": (str, type(None)),
    "BooleanField": (bool, type(None)),
}


def insert_many(model, objs: Sequence[Model]) -> None:
    """bulk_create of `objs` (new objects of `model`) in one INSERT … RETURNING (as many as
    the database's limit of parameters allows), their primary keys set, without the cost of
    Django's statement compiler for each value: a plain value of a plain column goes as it is,
    any other value (a date, say) through its field's conversion, as bulk_create converts it.
    A model whose fields fill themselves on save (auto_now, files) goes through bulk_create."""
    if not objs:
        return
    opts = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in opts.concrete_fields if f is not opts.pk]
    if not connection.features.can_return_rows_from_bulk_insert or any(
        getattr(f, "auto_now", False)
        or getattr(f, "auto_now_add", False)
        or f.is_relation
        and f.get_internal_type() != "ForeignKey"
        or isinstance(f, FileField)
        for f in fields
    ):
        model._base_manager.using(using).bulk_create(objs)
        return
    plain = [_PLAIN_COLUMNS.get(_column_type(f), ()) for f in fields]
    rows: list[tuple[str, list]] = []  # each object's "(…)" and its parameters
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        none_if_blank(obj)
        parts, params = [], []
        for f, types in zip(fields, plain, strict=True):
            value = getattr(obj, f.attname)
            if type(value) not in types:
                value = f.get_db_prep_save(value, connection)
            # A whole number, a truth value or a null is written as itself (nothing in it to
            # quote): the parameters, which the driver quotes one by one, are the texts.
            if value is None:
                parts.append("NULL")
            elif type(value) is bool:
                parts.append("TRUE" if value else "FALSE")
            elif type(value) is int:
                parts.append(str(value))
            else:
                parts.append("%s")
                params.append(value)
        rows.append(("({})".format(", ".join(parts)), params))
    quote = connection.ops.quote_name
    limit = connection.features.max_query_params  # None: no limit
    per_statement = max(limit // len(fields), 1) if limit else len(objs)
    # Only quoted names of the model's own table and columns, and whole numbers, go into the
    # text; every other value is a parameter.
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES "  # noqa: S608
    tail = f" RETURNING {quote(opts.pk.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                head + ", ".join(text for text, _params in chunk) + tail,
                [value for _text, params in chunk for value in params],
            )
            done = objs[start : start + per_statement]
            for obj, (pk,) in zip(done, cursor.fetchall(), strict=True):
                setattr(obj, opts.pk.attname, pk)
                obj._state.adding, obj._state.db = False, using


def _column_type(field) -> str:
    """The internal type of the column `field` writes (a foreign key's is its target's)."""
    return (field.target_field if field.is_relation else field).get_internal_type()
