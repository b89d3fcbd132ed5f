"""Quarterly monitoring (R11–R14): units enter their information, the unit head signs it off,
the monitor returns it with a comment or accepts it. Each operation takes the acting user,
asks the policy, validates and saves in one transaction."""

from __future__ import annotations

import functools
import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.deadlines.calendar import days_late, information_deadline, quarter_start, today
from jospar.lib.files import sniff_evidence, stored_name
from jospar.lib.reads import first_object, prepared_cursor
from jospar.lib.records import check_fields, delete_record, save_record
from jospar.lib.workflow import Step, allowed_steps, required_text, take_step
from jospar.monitoring.models import (
    EntryStatus,
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from jospar.monitoring.selectors import (
    attach_progress,
    changed_since,
    entry_problems,
    revision_in_force,
    seen_token,
    unit_actions,
)
from jospar.notifications import events
from jospar.orgs.models import Unit
from jospar.orgs.policy import Perm, holds_for_unit, require
from jospar.plans.models import OperationalPlan, Revision, RevisionAction
from jospar.plans.terms import RECURRING
from jospar.signatures.services import step_signature
from jospar.strategy.models import Indicator


class Conflict(Exception):
    """Someone else saved the same entry since this user loaded it."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current


@transaction.atomic
def submission_open(*, actor, plan: OperationalPlan, unit: Unit, quarter: int) -> Submission:
    """The unit's submission for the quarter, created when the quarter has started."""
    require(actor, Perm.ENTER_INFORMATION, unit)
    if unit.body_id != plan.body_id:
        raise PermissionDenied
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    existing = Submission.objects.filter(plan=plan, unit=unit, quarter=quarter).first()
    if existing is not None:
        return existing
    opens = quarter_start(plan.year, quarter)
    if today() < opens:
        raise ValidationError(
            _("Information for quarter %(q)s opens on %(date)s.")
            % {"q": quarter, "date": opens.strftime("%d.%m.%Y")}
        )
    if revision_in_force(plan, quarter) is None:
        raise ValidationError(_("The plan has not been approved yet."))
    submission = Submission(plan=plan, unit=unit, quarter=quarter)
    try:
        with transaction.atomic():
            return save_record(submission, actor=actor)
    except ValidationError:
        # Two members of the unit opened it at the same moment: take the one that was saved.
        return Submission.objects.get(plan=plan, unit=unit, quarter=quarter)


def _require_editable(submission: Submission) -> None:
    if not submission.is_editable:
        raise ValidationError(
            _("The information is %(status)s and cannot be changed.")
            % {"status": submission.get_status_display()}
        )


def _unit_action(submission: Submission, action_id: int):
    for item in unit_actions(submission.plan, submission.unit, submission.quarter, action_id):
        return item
    raise ValidationError(
        {"action": _("This action is not one your unit reports on in this quarter.")}
    )


@transaction.atomic
def entry_save(
    *,
    actor,
    submission: Submission,
    action_id: int,
    status: str,
    actual: str,
    reasons: str,
    version: int,
) -> ProgressEntry:
    """Save a unit's entry on one action. `version` is the version the user started from: if
    someone saved the entry since, nothing is written and Conflict carries their text."""
    require(actor, Perm.ENTER_INFORMATION, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_editable(submission)
    _unit_action(submission, action_id)
    if status and status not in EntryStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    fields = {
        "status": status or "",
        "actual": (actual or "").strip(),
        "reasons": (reasons or "").strip(),
        "updated_by": actor,
        "updated_at": timezone.now(),
    }
    check_fields(ProgressEntry, actual=fields["actual"], reasons=fields["reasons"])
    if version == 0:
        try:
            with transaction.atomic():
                entry = ProgressEntry(submission=submission, action_id=action_id, version=1)
                for name, value in fields.items():
                    setattr(entry, name, value)
                entry._history_user = actor
                entry.save()
                return entry
        except IntegrityError:
            raise Conflict(_current(submission, action_id)) from None
    updated = ProgressEntry.objects.filter(
        submission=submission, action_id=action_id, version=version
    ).update(version=F("version") + 1, **fields)
    if not updated:
        current = ProgressEntry.objects.filter(submission=submission, action_id=action_id)
        if not current.exists():
            raise ValidationError({"version": _("The entry has not been saved yet; reload it.")})
        raise Conflict(_current(submission, action_id))
    entry = ProgressEntry.objects.get(submission=submission, action_id=action_id)
    # update() writes no history row: record this save like any other.
    entry._history_user = actor
    entry.save(update_fields=["updated_at"])
    return entry


# --- the autosave in one statement (three on SQLite) ------------------------------------------
#
# entry_save() reads the submission, its plan and its unit twice, looks the revision in force
# up and builds the unit's actions to check one (17 statements a save). entry_autosave() does
# the same checks in the statement that locks the submission, then writes the entry and its
# history row: three statements in a transaction on SQLite, one on PostgreSQL
# (ONE_STATEMENT), the autosave's page and API answered from what they wrote. It is kept
# prepared on PostgreSQL (jospar.lib.reads.prepared_cursor): planning the locking read cost
# the database more than running it. Whatever it cannot settle there (no permission, a
# closed quarter, an action that is not the unit's, a wrong value, a conflict) it leaves to
# entry_save(), which answers it.


def revision_in_force_sql(plan, year, quarter) -> Coalesce:
    """revision_in_force() as an expression of a query on the plan's rows (`plan`, `year` and
    `quarter` are expressions such as OuterRef): the last revision approved before the quarter
    ended, else the first one. Approved before the end of quarter q of year Y: in an earlier
    year, or in Y by month 3q."""
    last_month = ExpressionWrapper(quarter * 3, output_field=IntegerField())
    revisions = Revision.objects.filter(plan_id=plan)
    in_time = revisions.filter(
        Q(approved_on__year__lt=year)
        | Q(approved_on__year=year, approved_on__month__lte=last_month)
    )
    return Coalesce(
        Subquery(in_time.order_by("-number").values("pk")[:1]),
        Subquery(revisions.order_by("number").values("pk")[:1]),
    )


def _lock_query(actor_id: int, action_id: int, where: dict):
    """The submission `where` finds, locked against the sign-off (which takes the same lock),
    with what a save checks: `may_enter` (the actor's role for the unit), `planned` (the
    action as the revision in force holds it: its lead, co-executors and term),
    `done_earlier` (the unit reported it executed in an accepted earlier quarter) and
    `has_evidence` (files on the entry)."""
    in_force = revision_in_force_sql(
        *(OuterRef(OuterRef(name)) for name in ("plan_id", "plan_year", "quarter"))
    )
    planned = (
        # (not rewritten by django-modeltranslation, whose values() would select every field)
        RevisionAction.objects.rewrite(False)
        .filter(revision_id=in_force, action_id=action_id)
        .order_by()
        .values(json=JSONObject(lead="lead_unit_id", co="co_executor_ids", term="term_kind"))[:1]
    )
    done = ProgressEntry.objects.filter(
        submission__plan_id=OuterRef("plan_id"),
        submission__unit_id=OuterRef("unit_id"),
        submission__quarter__lt=OuterRef("quarter"),
        submission__status=SubmissionStatus.ACCEPTED,
        status=EntryStatus.EXECUTED,
        action_id=action_id,
    )
    evidence = Evidence.objects.filter(
        entry__submission_id=OuterRef("pk"), entry__action_id=action_id
    )
    return (
        Submission.objects.select_for_update(of=("self",))
        .filter(**where)
        .order_by()
        .annotate(plan_year=F("plan__year"), body_id=F("plan__body_id"))
        .annotate(
            may_enter=holds_for_unit(
                actor_id, Perm.ENTER_INFORMATION, OuterRef("body_id"), OuterRef("unit_id")
            ),
            planned=Subquery(planned),
            done_earlier=Exists(done),
            has_evidence=Exists(evidence),
        )
    )


# Building that query takes a save longer than the database takes to run it, and from save
# to save only its values change: it is built and compiled once per process for each shape of
# `where`, with stand-in values, and run with each save's own. The stand-ins are numbers that
# fit every column compared with them (a quarter is a small integer) and that the query's own
# constants (statuses, roles, the 3 months of a quarter) never are.
_LOCK_SQL: dict[tuple, tuple[str, tuple, dict[int, str]]] = {}
_STAND_IN = 32000


def _lock_sql(actor, action_id: int, where: dict) -> tuple[str, list]:
    """_lock_query()'s SQL and its values for this save."""
    names = tuple(sorted(where))
    key = (connection.vendor, names)
    if key not in _LOCK_SQL:
        stand_ins = {name: _STAND_IN + n for n, name in enumerate(("actor", "action", *names))}
        query = _lock_query(
            stand_ins["actor"], stand_ins["action"], {name: stand_ins[name] for name in names}
        ).query
        # Compiled where no transaction may be open yet (the one statement on PostgreSQL is
        # its own): the lock's clause, last in the SQL as Django writes it, is added here.
        query.select_for_update = False
        sql, params = query.get_compiler(connection=connection).as_sql()
        if connection.features.has_select_for_update:
            table = connection.ops.quote_name(Submission._meta.db_table)
            sql += " " + connection.ops.for_update_sql(of=[table])
        slots = {value: name for name, value in stand_ins.items()}
        passed = {int(p) for p in params if isinstance(p, int) and not isinstance(p, bool)}
        if not set(slots) <= passed:  # a value written into the SQL would never be replaced
            raise RuntimeError("the autosave's query does not take all its values as parameters")
        _LOCK_SQL[key] = (sql, tuple(params), slots)
    sql, params, slots = _LOCK_SQL[key]
    values = {"actor": actor.pk, "action": action_id, **where}

    def filled(param):
        if isinstance(param, int) and not isinstance(param, bool) and int(param) in slots:
            # psycopg's typed integers (Int2 for a small one) keep their type
            return type(param)(values[slots[int(param)]])
        return param

    return sql, [filled(p) for p in params]


def _locked_for_save(actor, action_id: int, where: dict) -> Submission | None:
    """_lock_query()'s submission, or None."""
    sql, params = _lock_sql(actor, action_id, where)
    return first_object(Submission, sql, params, connection.alias)


def _reports_on(submission: Submission) -> bool:
    """_unit_action()'s question on the row _locked_for_save() read."""
    planned = submission.planned
    if planned is None:
        return False
    if isinstance(planned, str):  # SQLite gives the object as text…
        planned = json.loads(planned)
    co = planned["co"]
    if isinstance(co, str):  # …and the list in it as text too
        co = json.loads(co)
    unit = submission.unit_id
    if planned["lead"] != unit and unit not in co:
        return False
    return not (planned["term"] not in RECURRING and submission.done_earlier)


# The entry's two writes, each one statement that says whether it wrote (RETURNING its id;
# PostgreSQL and SQLite both have it): a first save inserts unless the entry exists, a later
# one updates only the version it started from. `{x}` are the table's quoted names.
WRITTEN = ("submission", "action", "status", "actual", "reasons", "version", "updated_by")
WRITTEN += ("updated_at",)
INSERT_ENTRY = (
    "INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
    "ON CONFLICT ({submission}, {action}) DO NOTHING RETURNING {id}"
)
UPDATE_ENTRY = (
    "UPDATE {table} SET {version} = {version} + 1, {status} = %s, {actual} = %s, "
    "{reasons} = %s, {updated_by} = %s, {updated_at} = %s "
    "WHERE {submission} = %s AND {action} = %s AND {version} = %s RETURNING {id}"
)


@functools.cache
def _entry_sql(first: bool, vendor: str) -> str:
    """_write_entry()'s statement, the insert (`first`) or the update, quoted for `vendor`."""
    meta, quote = ProgressEntry._meta, connection.ops.quote_name
    names = {name: quote(meta.get_field(name).column) for name in (*WRITTEN, "id")}
    names["table"] = quote(meta.db_table)
    if first:
        columns = ", ".join(names[name] for name in WRITTEN)
        placeholders = ", ".join(["%s"] * len(WRITTEN))
        return INSERT_ENTRY.format(columns=columns, placeholders=placeholders, **names)
    return UPDATE_ENTRY.format(**names)


UPDATED = ("status", "actual", "reasons", "updated_by", "updated_at")


def _entry_values(entry: ProgressEntry) -> dict:
    meta = ProgressEntry._meta
    value = {}
    for name in WRITTEN:
        field = meta.get_field(name)
        value[name] = field.get_db_prep_save(getattr(entry, field.attname), connection)
    return value


def _write_entry(entry: ProgressEntry, started_from: int) -> int | None:
    """Insert (`started_from` 0) or update the entry in one statement: its id, or None when
    nothing was written (it exists already; it is no longer at that version)."""
    value = _entry_values(entry)
    if started_from == 0:
        params = [value[name] for name in WRITTEN]
    else:
        params = [value[name] for name in UPDATED]
        params += [value["submission"], value["action"], started_from]
    with prepared_cursor(connection) as cursor:
        cursor.execute(_entry_sql(started_from == 0, connection.vendor), params)
        row = cursor.fetchone()
    return row[0] if row else None


# --- on PostgreSQL, the whole save in one statement -------------------------------------------
#
# The locking read, the checks entry_autosave() makes of its row, the entry's write and its
# history row, as one statement of data-modifying WITH queries: the submission is locked only
# while that statement runs (no round trip to the server while the lock is held), and outside
# a transaction the statement is its own. `allowed` is the locked submission if the checks
# pass (the SQL of _reports_on() and of the permission and status checks); the write finds
# the submission there, so nothing is written when they fail, nor when the entry exists
# already (a first save) or is no longer at the version sent: every case that entry_save()
# then answers. In READ COMMITTED, a save that waited for the lock sees the submission as the
# lock's holder left it (its status after a sign-off), and the versioned update sees the entry
# as the previous save left it.
ONE_STATEMENT = (
    "WITH locked AS ({lock}), "
    "allowed AS (SELECT {id} FROM locked WHERE (may_enter OR %s) AND {status} = ANY(%s) "
    "AND planned IS NOT NULL "
    "AND ((planned ->> 'lead')::bigint = {unit} OR (planned -> 'co') @> to_jsonb({unit})) "
    "AND NOT ((planned ->> 'term') <> ALL(%s) AND done_earlier)), "
    "written AS ({write}), "
    "recorded AS (INSERT INTO {history} ({history_columns}) "
    "SELECT {copied}, %s, %s, %s, %s FROM written) "
    "SELECT locked.*, (SELECT {entry_id} FROM written) AS written_id FROM locked"
)
INSERT_ALLOWED = (
    "INSERT INTO {table} ({columns}) SELECT {allowed_id}, {placeholders} FROM allowed "
    "ON CONFLICT ({submission}, {action}) DO NOTHING RETURNING *"
)
UPDATE_ALLOWED = (
    "UPDATE {table} SET {version} = {version} + 1, {status} = %s, {actual} = %s, "
    "{reasons} = %s, {updated_by} = %s, {updated_at} = %s "
    "WHERE {submission} = (SELECT {allowed_id} FROM allowed) AND {action} = %s "
    "AND {version} = %s RETURNING *"
)


@functools.cache
def _history_columns() -> tuple[str, str, str]:
    """The history table's quoted name, its columns as ONE_STATEMENT fills them (the tracked
    ones, then date, change reason, type and user) and the entry's columns they copy."""
    history, quote = _entry_history().model, connection.ops.quote_name
    meta, tracked = history._meta, history.tracked_fields
    columns = [quote(meta.get_field(field.name).column) for field in tracked]
    extra = ("history_date", "history_change_reason", "history_type", "history_user")
    columns += [quote(meta.get_field(name).column) for name in extra]
    copied = [quote(ProgressEntry._meta.get_field(field.name).column) for field in tracked]
    return quote(meta.db_table), ", ".join(columns), ", ".join(copied)


@functools.cache
def _one_statement(lock: str, first: bool) -> str:
    """ONE_STATEMENT around the locking read `lock`, with the insert (`first`) or the update."""
    quote = connection.ops.quote_name
    entry, submission = ProgressEntry._meta, Submission._meta
    names = {name: quote(entry.get_field(name).column) for name in (*WRITTEN, "id")}
    names["table"] = quote(entry.db_table)
    names["allowed_id"] = quote(submission.pk.column)
    if first:
        write = INSERT_ALLOWED.format(
            columns=", ".join(names[name] for name in WRITTEN),
            placeholders=", ".join(["%s"] * (len(WRITTEN) - 1)),  # all but the submission
            **names,
        )
    else:
        write = UPDATE_ALLOWED.format(**names)
    history, columns, copied = _history_columns()
    return ONE_STATEMENT.format(
        lock=lock,
        id=quote(submission.pk.column),
        status=quote(submission.get_field("status").column),
        unit=quote(submission.get_field("unit").column),
        write=write,
        history=history,
        history_columns=columns,
        copied=copied,
        entry_id=names["id"],
    )


def _save_in_one_statement(actor, where: dict, entry: ProgressEntry, started_from: int):
    """The save of `entry` by ONE_STATEMENT: the locked submission (with the locking read's
    annotations and `written_id`, the entry's id or None), or None when none was found."""
    lock, params = _lock_sql(actor, entry.action_id, where)
    editable = [SubmissionStatus.DRAFT.value, SubmissionStatus.RETURNED.value]
    params += [actor.is_superuser, editable, sorted(str(kind) for kind in RECURRING)]
    value = _entry_values(entry)
    if started_from == 0:
        params += [value[name] for name in WRITTEN if name != "submission"]
    else:
        params += [value[name] for name in UPDATED] + [value["action"], started_from]
    kind = "~" if started_from else "+"
    params += [connection.ops.adapt_datetimefield_value(entry.updated_at), "", kind, actor.pk]
    sql = _one_statement(lock, started_from == 0)
    return first_object(Submission, sql, params, connection.alias)


@functools.cache
def _entry_history():
    """The entries' history manager (`ProgressEntry.history` makes a class of it each time)."""
    return ProgressEntry.history


def entry_autosave(
    *,
    actor,
    where: dict,
    action_id: int,
    status: str,
    actual: str,
    reasons: str,
    version: int,
) -> ProgressEntry | None:
    """entry_save() in three statements, for the autosave: the submission `where` finds (by
    pk, or by plan, unit, quarter and body) is read, locked and checked in one (the actor's
    permission, the quarter still editable, the action one the unit reports on), the entry
    inserted, or updated from `version` only (optimistic locking), in a second, and its
    history row written in a third; on PostgreSQL all of it in one (ONE_STATEMENT). None
    when it cannot save the entry so: nothing is written then, and the caller runs
    entry_save() for the answer (the refusal, the conflict)."""
    if version < 0 or (status and status not in EntryStatus.values):
        return None
    actual, reasons = (actual or "").strip(), (reasons or "").strip()
    try:
        check_fields(ProgressEntry, actual=actual, reasons=reasons)
    except ValidationError:
        return None
    if not (actor.is_authenticated and actor.is_active):
        return None
    now = timezone.now()
    entry = ProgressEntry(
        action_id=action_id,
        status=status or "",
        actual=actual,
        reasons=reasons,
        version=version + 1,
        updated_by=actor,
        updated_at=now,
    )
    if connection.vendor == "postgresql":
        submission = _save_in_one_statement(actor, where, entry, version)
        if submission is None or submission.written_id is None:
            return None
        entry.pk = submission.written_id
    else:
        with transaction.atomic(savepoint=False):  # its own transaction, or the caller's
            submission = _checked_and_written(actor, where, entry, version)
        if submission is None:
            return None
    entry.submission = submission
    entry._state.adding = False
    entry.has_evidence = version > 0 and submission.has_evidence
    return entry


def _checked_and_written(actor, where: dict, entry: ProgressEntry, version: int):
    """The save in three statements (in a transaction): the locked submission once the entry
    and its history row are written, else None."""
    submission = _locked_for_save(actor, entry.action_id, where)
    if (
        submission is None
        or not (submission.may_enter or actor.is_superuser)
        or not submission.is_editable  # checked under the lock: the Guarded rule holds
        or not _reports_on(submission)
    ):
        return None
    entry.submission = submission
    # A second first save of the entry, or a save from a version since saved over, writes
    # nothing: entry_save() answers it with the conflict.
    entry.pk = _write_entry(entry, version)
    if entry.pk is None:
        return None
    entry._state.adding = False
    _entry_history().bulk_history_create(
        [entry], update=version > 0, default_user=actor, default_date=entry.updated_at
    )
    return submission


def _current(submission: Submission, action_id: int) -> ProgressEntry:
    return ProgressEntry.objects.select_related("updated_by").get(
        submission=submission, action_id=action_id
    )


@transaction.atomic
def evidence_add(*, actor, entry: ProgressEntry, upload) -> Evidence:
    """Attach a file to an entry: PDF, DOCX, XLSX or an image, checked by its content."""
    require(actor, Perm.ENTER_INFORMATION, entry.submission)
    _require_editable(entry.submission)
    limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.EVIDENCE_MAX_MB}}
        )
    kind = sniff_evidence(upload)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, DOCX, XLSX, PNG, JPEG or GIF files are accepted; this is not one."
                )
            }
        )
    evidence = Evidence(
        entry=entry, name=upload.name[:255], kind=kind, size=upload.size, uploaded_by=actor
    )
    evidence.file.save(stored_name(kind), upload, save=False)  # never the client's name
    stored = evidence.file
    # The file is written before the row; if the row is not kept, neither is the file.
    try:
        return save_record(evidence, actor=actor)
    except Exception:
        stored.delete(save=False)
        raise


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    require(actor, Perm.ENTER_INFORMATION, evidence.entry.submission)
    _require_editable(evidence.entry.submission)
    stored = evidence.file
    delete_record(evidence, actor=actor)
    transaction.on_commit(lambda: stored.delete(save=False))


@transaction.atomic
def actual_save(
    *, actor, submission: Submission, indicator: Indicator, value, comment: str, version: int
) -> IndicatorActual:
    """The actual value of a target indicator the unit answers for."""
    require(actor, Perm.ENTER_INFORMATION, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_editable(submission)
    if (
        indicator.responsible_unit_id != submission.unit_id
        or indicator.kind != Indicator.Kind.TARGET
        or indicator.plan_id != submission.plan.development_plan_id
    ):
        raise ValidationError({"indicator": _("Your unit does not answer for this indicator.")})
    if value in (None, ""):
        number = None
    else:
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValidationError({"value": _("Enter a number, e.g. 12.5.")}) from None
        if not number.is_finite():
            raise ValidationError({"value": _("Enter a number, e.g. 12.5.")})
    actual = IndicatorActual.objects.filter(submission=submission, indicator=indicator).first()
    if actual is None:
        actual = IndicatorActual(submission=submission, indicator=indicator)
    if actual.version != version:
        raise Conflict(actual)
    actual.value = number
    actual.comment = (comment or "").strip()
    actual.version += 1
    return save_record(actual, actor=actor)


# --- sign-off and review -------------------------------------------------------------------


# Every allowed step of a submission, written once.
STEPS: dict[str, Step] = {
    "sign": Step(
        frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}),
        SubmissionStatus.SUBMITTED,
        Perm.SIGN_OFF,
        SubmissionEvent.Kind.SIGNED,
    ),
    "return": Step(
        frozenset({SubmissionStatus.SUBMITTED}),
        SubmissionStatus.RETURNED,
        Perm.MONITOR,
        SubmissionEvent.Kind.RETURNED,
    ),
    "accept": Step(
        frozenset({SubmissionStatus.SUBMITTED}),
        SubmissionStatus.ACCEPTED,
        Perm.MONITOR,
        SubmissionEvent.Kind.ACCEPTED,
    ),
    "reopen": Step(
        frozenset({SubmissionStatus.ACCEPTED}),
        SubmissionStatus.RETURNED,
        Perm.MONITOR,
        SubmissionEvent.Kind.REOPENED,
    ),
}


def allowed_submission_steps(user, submission: Submission) -> list[str]:
    return allowed_steps(user, submission, STEPS)


def _next_round(submission: Submission, step: Step) -> dict:
    """The event belongs to the round it ends; a return starts a new round."""
    event = {"round": submission.round}
    if step.target == SubmissionStatus.RETURNED:
        submission.round += 1
    return event


def _step(actor, submission: Submission, name: str, comment: str = "", then=None) -> Submission:
    """Take the step; `then(locked)` sets what the step records on the submission itself, so
    that the step is saved once, with one history row."""

    def before_save(locked: Submission, step: Step) -> dict:
        if then is not None:
            then(locked)
        return _next_round(locked, step)

    return take_step(actor, submission, STEPS, name, comment, before_save=before_save)


class SignConflict(ValidationError):
    """The information changed between the head's reading and their sign-off: `actions` and
    `indicators` (ids) are what changed."""

    def __init__(self, message: str, actions: set[int], indicators: set[int]):
        super().__init__(message, code="conflict")
        self.actions, self.indicators = actions, indicators


@transaction.atomic
def submission_sign(
    *, actor, submission: Submission, seen: str | None = None, cms: str = ""
) -> Submission:
    """The unit head signs the information off (R14); the time is recorded against R13.
    `seen` is the seen_token of the page or answer the head read: if the information changed
    since (by someone else), nothing is signed and SignConflict names what changed. The check
    and the entries' completeness are judged under the submission's lock, which every save of
    an entry takes too, so no save slips in between.
    `cms` is the head's digital signature of the information's canonical document, where the
    body uses it for this step (StateBody.eds_sign_off): verified and recorded with the step,
    or the step is refused with the reason and nothing changes."""
    require(actor, Perm.SIGN_OFF, submission)

    def signed(locked: Submission) -> None:
        if seen is not None:
            _require_unchanged(actor, locked, seen)
        items = unit_actions(locked.plan, locked.unit, locked.quarter)
        attach_progress(items, locked, locked.quarter)
        problems = entry_problems(items)
        if problems:
            raise ValidationError(problems)
        step_signature(actor=actor, obj=locked, kind="submission", cms=cms)
        locked.signed_by = actor
        locked.signed_at = timezone.now()
        deadline = information_deadline(locked.plan.year, locked.quarter)
        locked.days_late = days_late(deadline, locked.signed_at)

    submission = _step(actor, submission, "sign", then=signed)
    events.submission_signed(submission, actor)
    return submission


def _require_unchanged(actor, submission: Submission, seen: str) -> None:
    actions, indicators = changed_since(seen, seen_token(submission), actor)
    indicators = {  # the values the head entered themselves they have seen
        actual.indicator_id
        for actual in submission.actuals.filter(indicator__in=indicators)
        if getattr(actual.history.first(), "history_user_id", None) != actor.pk
    } | (indicators - set(submission.actuals.values_list("indicator_id", flat=True)))
    if not actions and not indicators:
        return
    names = [
        str(row.number)
        for row in RevisionAction.objects.filter(
            revision=revision_in_force(submission.plan, submission.quarter), action__in=actions
        ).order_by("number")
    ]
    names += [
        str(indicator)
        for indicator in Indicator.objects.filter(pk__in=indicators).order_by("number")
    ]
    raise SignConflict(
        _("The information changed after you opened it: %(what)s. Read it again, then sign it off.")
        % {"what": ", ".join(names)},
        actions,
        indicators,
    )


@transaction.atomic
def submission_return(*, actor, submission: Submission, comment: str) -> Submission:
    require(actor, Perm.MONITOR, submission)
    comment = required_text("comment", comment, _("Say what must be corrected; the unit sees it."))
    submission = _step(actor, submission, "return", comment)
    events.submission_returned(submission, actor, comment)
    return submission


@transaction.atomic
def submission_accept(*, actor, submission: Submission) -> Submission:
    return _step(actor, submission, "accept")


@transaction.atomic
def submission_reopen(*, actor, submission: Submission, reason: str) -> Submission:
    """An accepted submission opens again for correction, with the reason kept."""
    require(actor, Perm.MONITOR, submission)
    text = required_text("reason", reason, _("State why the information is reopened."))
    return _step(actor, submission, "reopen", text)
