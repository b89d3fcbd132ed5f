"""Walk every URL pattern of the project as a user of another body: they must get 403 or 404
for another body's objects, never the object, and a POST must change nothing.

URLs added later are covered automatically. A new URL keyword must be taught to `VALUES`
below (the test fails and says so), and every API viewset must declare `queryset`, so the
walker knows which object a `pk` names.
"""

import functools
import hashlib
import itertools
import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jospar.accounts.services import token_issue
from jospar.orgs.models import Role
from tests.factories import (
    AmendmentFactory,
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    MacroIndicatorFactory,
    RoleFactory,
    SignatureFactory,
    StateBodyFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)

SECRET = "Zhetysu-secret-marker"


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


@pytest.fixture
def secret_body(db):
    """A body full of objects whose names carry SECRET."""
    body = StateBodyFactory(name=f"Ministry {SECRET}", code="SECRET")
    unit = UnitFactory(body=body, name=f"Unit {SECRET}", head_name=SECRET)
    plan = DevelopmentPlanFactory(body=body, title=f"Plan {SECRET}")
    direction = DirectionFactory(plan=plan, name=f"Direction {SECRET}")
    goal = GoalFactory(direction=direction, name=f"Goal {SECRET}")
    target = TargetIndicatorFactory(goal=goal, name=f"Target {SECRET}", responsible_unit=unit)
    value = IndicatorValueFactory(indicator=target)
    user = member(body, Role.EXECUTOR, unit=unit, last_name=SECRET, username="secretuser")
    objects = {
        "orgs.statebody": body,
        "orgs.unit": unit,
        "orgs.budgetprogram": BudgetProgramFactory(body=body, name=f"Program {SECRET}"),
        "orgs.user": user,
        "orgs.roleassignment": user.roles.get(),
        "strategy.developmentplan": plan,
        "strategy.amendment": AmendmentFactory(plan=plan, description=f"Amendment {SECRET}"),
        "strategy.strategicdirection": direction,
        "strategy.goal": goal,
        "strategy.indicator": MacroIndicatorFactory(direction=direction, name=f"Macro {SECRET}"),
        "strategy.indicatorvalue": value,
    }
    objects["strategy.indicator.target"] = target
    from jospar.plans.models import Action, CompletionForm, Proposal, RegulationTask

    oplan = operational_plan(body, 2026, development_plan=plan)
    task = RegulationTask.objects.create(body=body, number=1, name=f"Task {SECRET}")
    proposal = Proposal.objects.create(
        plan=oplan, unit=unit, author=user, task=task, name=f"Proposal {SECRET}"
    )
    objects |= {
        "plans.operationalplan": oplan,
        "plans.regulationtask": task,
        "plans.completionform": CompletionForm.objects.create(body=body, name=f"Form {SECRET}"),
        "plans.action": Action.objects.create(plan=oplan, task=task, name=f"Action {SECRET}"),
        "plans.proposal": proposal,
    }
    from django.core.files.base import ContentFile

    from jospar.monitoring.models import Evidence, ProgressEntry, Submission

    submission = Submission.objects.create(plan=oplan, unit=unit, quarter=2)
    entry = ProgressEntry.objects.create(
        submission=submission, action=objects["plans.action"], actual=f"Done {SECRET}"
    )
    evidence = Evidence(entry=entry, name=f"{SECRET}.pdf", kind="pdf", size=9, uploaded_by=user)
    evidence.file.save("secret.pdf", ContentFile(b"%PDF-1.4 " + SECRET.encode()), save=False)
    evidence.save()
    from jospar.plans.models import Revision

    objects["plans.revision"] = Revision.objects.create(
        plan=oplan, number=1, basis="initial", approved_on=plan.signed_on, approved_by=user
    )
    objects |= {
        "monitoring.submission": submission,
        "monitoring.progressentry": entry,
        "monitoring.evidence": evidence,
    }
    from jospar.plans.models import RevisionAction
    from jospar.reports.models import (
        AmendmentRecommendation,
        Decision,
        DecisionProgress,
        Report,
        ReportRow,
    )

    revision_action = RevisionAction.objects.create(
        revision=objects["plans.revision"],
        action=objects["plans.action"],
        number=1,
        name=f"Action {SECRET}",
        task=task,
    )
    report = Report.objects.create(
        plan=oplan,
        quarter=2,
        revision=objects["plans.revision"],
        general_recommendations=f"Recommend {SECRET}",
    )
    decision = Decision.objects.create(
        report=report,
        kind="problems",
        text=f"Decision {SECRET}",
        due_on=plan.signed_on,
        decided_by=user,
        decided_on=plan.signed_on,
    )
    decision.units.set([unit])
    objects |= {
        "reports.report": report,
        "reports.reportrow": ReportRow.objects.create(
            report=report,
            action=objects["plans.action"],
            planned=revision_action,
            recommendation=f"Row {SECRET}",
        ),
        "reports.amendmentrecommendation": AmendmentRecommendation.objects.create(
            report=report,
            kind="remove",
            action=objects["plans.action"],
            justification=f"Why {SECRET}",
        ),
        "reports.decision": decision,
        "accounts.apitoken": token_issue(user=user, name=f"Token {SECRET}")[0],
        "reports.decisionprogress": DecisionProgress.objects.create(
            decision=decision, unit=unit, status="open", text=f"Progress {SECRET}", author=user
        ),
    }
    from jospar.documents.models import ExportJob

    job = ExportJob.objects.create(
        body=body,
        requester=user,
        kind="plan",
        plan=oplan,
        file_format="pdf",
        language="en",
        actions=1,
        status="done",
        filename=f"{SECRET}.pdf",
        content_type="application/pdf",
    )
    job.file.save(f"{SECRET}.pdf", ContentFile(b"%PDF-1.4 " + SECRET.encode()))
    objects["documents.exportjob"] = job
    from jospar.notifications.models import Notification

    objects["signatures.signature"] = SignatureFactory(
        signed_object=submission,
        signer=user,
        signer_name=f"Signer {SECRET}",
        certificate_serial=SECRET,
        document=SECRET.encode(),
        cms=SECRET.encode(),
    )
    objects["notifications.notification"] = Notification.objects.create(
        recipient=user, kind="plan_approved", params={"year": SECRET, "comment": ""}, link="/"
    )
    return objects


# URL keyword → which object of the secret body it names (a model label) or a literal value.
VALUES = {
    "body_id": "orgs.statebody",
    "unit_id": "orgs.unit",
    "program_id": "orgs.budgetprogram",
    "user_id": "orgs.user",
    "role_id": "orgs.roleassignment",
    "plan_id": "PLAN",
    "amendment_id": "strategy.amendment",
    "direction_id": "strategy.strategicdirection",
    "goal_id": "strategy.goal",
    "indicator_id": "strategy.indicator",
    "action_id": "plans.action",
    "proposal_id": "plans.proposal",
    "kind": ["macro", "target"],
    "step": ["submit", "approve", "return", "sign", "accept", "reopen"],
    "quarter": [2],
    "evidence_id": "monitoring.evidence",
    "row_id": "reports.reportrow",
    "recommendation_id": "reports.amendmentrecommendation",
    "decision_id": "reports.decision",
    "token_id": "accounts.apitoken",
    "job_id": "documents.exportjob",
    "notification_id": "notifications.notification",
    "signature_id": "signatures.signature",
    # a signature's verification code: its page is public by design (what a printed form's QR
    # code opens); a code that names no signature says only that
    "code": ["AAAAAAAAAAAA"],
    "format": ["json"],
    "chart": ["overall", "unit"],  # the execution dashboard's charts
    # the set-password link of a user of the secret body, with a token that is not one
    "uidb64": ["Mg"],
    "token": ["set-password", "0-0"],
}


def history_variants(objects):
    for label, obj in objects.items():
        if label.count(".") == 1 and isinstance(obj.pk, int):  # the history page's ids
            yield {"model": label, "object_id": obj.pk}


def api_model_label(entry) -> str | None:
    cls = getattr(entry.callback, "cls", None)
    queryset = getattr(cls, "queryset", None)
    if queryset is None:
        return None
    return queryset.model._meta.label_lower


def admin_kwargs(entry, objects) -> dict:
    """Admin URLs name objects by "app_model_view"; anything else gets a plain 1."""
    kwargs = {}
    for name in entry.pattern.regex.groupindex:
        label = ".".join((entry.name or "").split("_")[:2])
        obj = objects.get(label)
        kwargs[name] = obj.pk if obj is not None and name == "object_id" else 1
    if "app_label" in kwargs:
        kwargs["app_label"] = "orgs"
    return kwargs


def kwargs_variants(route, entry, objects, values=VALUES):
    """The keyword arguments to build the URL with: objects of `objects` (a KeyError names a
    label it lacks) and the literal choices of `values`."""
    names = list(entry.pattern.regex.groupindex)
    if not names:
        yield {}
        return
    if route.startswith("admin/"):
        yield admin_kwargs(entry, objects)
        return
    base = {}
    choices = {}
    for name in names:
        if name in ("model", "object_id"):
            continue
        if name == "pk":
            label = api_model_label(entry)
            assert label, f"{route}: an API view with `pk` must declare `queryset`"
            base[name] = objects[label].pk
        elif name in values:
            value = values[name]
            if value == "PLAN":  # the development plan in strategy, else the operational plan
                value = (
                    "strategy.developmentplan"
                    if entry.lookup_str.startswith("jospar.strategy")
                    else "plans.operationalplan"
                )
            if isinstance(value, list):
                choices[name] = value
            else:
                base[name] = objects[value].pk
        else:
            pytest.fail(f"{route}: teach tests/test_url_walk.py VALUES the keyword “{name}”")
    if "model" in names:
        for variant in history_variants(objects):
            yield base | variant
        return
    if not choices:
        yield base
        return
    names = list(choices)
    for combination in itertools.product(*(choices[name] for name in names)):
        yield base | dict(zip(names, combination, strict=True))


# Tables that change with every request and say nothing of the data: the session, the
# login audit of django-axes; and the columns that do: the moment a token was last used and
# a user last logged in.
RESTLESS = ("django_session", "axes_")
RESTLESS_FIELDS = {("accounts.apitoken", "last_used_at"), ("orgs.user", "last_login")}


@functools.cache
def fingerprint_query(vendor: str) -> tuple[str, tuple[str, ...]]:
    """One SELECT with a column per table (every model's, event tables, histories and
    many-to-many tables included): the table's rows in the order of their primary key, each
    row every column but the restless ones. On PostgreSQL the column is the MD5 of that
    text, computed in the database; on SQLite the text itself (it has no hash function)."""
    quote = connection.ops.quote_name
    tables, columns = {}, []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table.startswith(RESTLESS):
            continue
        names = [
            quote(field.column)
            for field in meta.local_concrete_fields
            if (meta.label_lower, field.name) not in RESTLESS_FIELDS
        ]
        tables[meta.db_table] = (quote(meta.db_table), quote(meta.pk.column), names)
    for table, pk, names in tables.values():
        # The table and column names are the models' own, not input.
        if vendor == "postgresql":
            row = f"ROW({', '.join(names)})::text"
            columns.append(
                f"(SELECT md5(coalesce(string_agg({row}, '|' ORDER BY {pk}), '')) FROM {table})"  # noqa: S608
            )
        else:  # SQLite: group_concat keeps the order of the ordered subquery
            row = " || ',' || ".join(f"quote({name})" for name in names)
            columns.append(
                f"(SELECT coalesce(group_concat(r, '|'), '') FROM "  # noqa: S608
                f"(SELECT {row} AS r FROM {table} ORDER BY {pk}))"
            )
    return f"SELECT {', '.join(columns)}", tuple(tables)


def fingerprint(since: dict | None = None) -> dict:
    """A digest of every row of every table (the restless aside), by table, in one query: a
    write anywhere changes it, an update of one column of one row included. (A count per
    model before and after each request made the walk the slowest test of the suite; a
    count of rows, as this was, missed updates.)

    `since` is a fingerprint taken earlier in the same test: if no statement has written a
    row since (`rows_written`), it is returned as it is, without reading the tables again
    (only a rollback to before it could make it wrong, and a request rolls back its own
    writes only)."""
    writes = rows_written()
    if since is not None and writes is not None and since[WRITES] == writes:
        return since
    sql, tables = fingerprint_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        values = cursor.fetchone()
    if connection.vendor != "postgresql":
        values = [
            hashlib.md5(value.encode(), usedforsecurity=False).hexdigest() for value in values
        ]
    return {WRITES: writes} | dict(zip(tables, values, strict=True))


WRITES = "(rows written)"


def rows_written() -> tuple | None:
    """A count that moves whenever a statement inserts, updates or deletes a row, never back
    to a value it had:

    - on SQLite, the connection and the count of rows its statements have changed since it
      opened (it never goes down, not even on a rollback);
    - on PostgreSQL, the connection, its transaction and the rows its statements have
      changed in that transaction, the tables' and the system catalogs' apart
      (pg_stat_xact_*: rows rolled back to a savepoint still count; a TRUNCATE sets its
      table's count back to nothing, but writes the catalogs, whose count only goes up);

    None elsewhere (the fingerprint is then read every time)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        return id(raw), raw.total_changes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(ROWS_WRITTEN_POSTGRESQL)
            return tuple(cursor.fetchone())
    return None


# The rows each table's statements have inserted, updated or deleted in this transaction, the
# system catalogs' (pg_class among them, which a TRUNCATE writes) apart from the others'.
ROWS_WRITTEN_POSTGRESQL = """
SELECT pg_backend_pid(), transaction_timestamp(),
       sum(written) FILTER (WHERE relnamespace <> 'pg_catalog'::regnamespace),
       sum(written) FILTER (WHERE relnamespace = 'pg_catalog'::regnamespace)
FROM (SELECT relnamespace, pg_stat_get_xact_tuples_inserted(oid)
             + pg_stat_get_xact_tuples_updated(oid)
             + pg_stat_get_xact_tuples_deleted(oid) AS written
      FROM pg_class WHERE relkind IN ('r', 't', 'm')) AS tables
"""


def differences(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ between two fingerprints."""
    return sorted(table for table in after if table != WRITES and after[table] != before[table])


# Pages that act on the walker alone: logging in and out, the language, their own API token,
# marking all their own notifications read.
SKIP_POST = {
    "logout",
    "set_language",
    "login",
    "api-token",
    "tokens",
    "api-logout",
    "api-notification-read-all",
    "read_all",  # notifications:read_all, the page's button
}


def outsider_urls(objects):
    for route, namespace, entry in walk(get_resolver().url_patterns):
        if route.startswith("admin/") and not entry.name:
            continue  # the admin's redirects to the change page, which is walked itself
        assert entry.name, f"{route}: every URL pattern needs a name"
        name = namespace + entry.name
        regex = entry.pattern.regex
        if regex.groups and not regex.groupindex:  # positional groups (admin history pages)
            yield name, reverse(name, args=[1] * regex.groups), True, entry
            continue
        for kwargs in kwargs_variants(route, entry, objects):
            try:
                url = reverse(name, kwargs=kwargs)
            except Exception as exc:  # noqa: BLE001 - report which pattern failed
                pytest.fail(f"cannot build {name} with {kwargs}: {exc}")
            yield name, url, bool(kwargs) and set(kwargs) != {"format"}, entry


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_logs")
def test_an_outsider_never_gets_another_bodys_object(client, secret_body, outsider):
    checked, state = 0, None
    client.force_login(outsider)
    for name, url, names_object, _entry in outsider_urls(secret_body):
        response = client.get(url)
        body = response.content.decode(errors="replace")
        assert SECRET not in body, f"GET {url} ({name}) showed another body's data"
        if name.startswith("admin:") and names_object:
            assert response.status_code in (302, 403, 404), f"GET {url}: {response.status_code}"
        elif names_object:
            assert response.status_code in (403, 404, 405), (
                f"GET {url} ({name}) answered {response.status_code}, not 403/404"
            )
        else:
            assert response.status_code < 500, f"GET {url} ({name}): {response.status_code}"
        if entry_name(name) not in SKIP_POST:
            before = state = fingerprint(since=state)
            response = client.post(url, {"name": "changed", "code": "X1"})
            assert SECRET not in response.content.decode(errors="replace"), f"POST {url}"
            assert response.status_code < 500, f"POST {url} ({name}): {response.status_code}"
            if names_object and not name.startswith("admin:"):
                assert response.status_code in (403, 404, 405), (
                    f"POST {url} ({name}) answered {response.status_code}"
                )
            state = fingerprint(since=before)
            assert not differences(before, state), (
                f"POST {url} ({name}) changed {differences(before, state)}"
            )
        checked += 1
    assert checked > 20


def entry_name(full_name: str) -> str:
    return full_name.rsplit(":", 1)[-1]


def test_every_object_keyword_is_known():
    """A URL keyword ending in _id must be in VALUES, so new pages are walked with an object."""
    for route, _namespace, entry in walk(get_resolver().url_patterns):
        if str(entry.pattern).startswith("admin") or route.startswith("admin/"):
            continue
        for name in entry.pattern.regex.groupindex:
            if re.fullmatch(r"\w+_id", name) and name != "object_id":
                assert name in VALUES, f"{route}: add “{name}” to VALUES"


def test_a_member_of_the_body_does_see_it(client, secret_body):
    """The walker's objects are real: a member sees the body page with the secret in it."""
    body = secret_body["orgs.statebody"]
    user = member(body, Role.VIEWER, username="insider")
    RoleFactory  # noqa: B018 - imported for other tests' convenience
    client.force_login(user)
    response = client.get(reverse("orgs:body", args=[body.pk]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def foreign_ids(objects) -> dict:
    """A payload and a query naming the secret body's objects by every name the API uses."""
    ids = {
        "body": "orgs.statebody",
        "unit": "orgs.unit",
        "lead_unit": "orgs.unit",
        "user": "orgs.user",
        "development_plan": "strategy.developmentplan",
        "direction": "strategy.strategicdirection",
        "goal": "strategy.goal",
        "indicator": "strategy.indicator.target",
        "plan": "plans.operationalplan",
        "task": "plans.regulationtask",
        "action": "plans.action",
        "proposal": "plans.proposal",
        "revision": "plans.revision",
        "submission": "monitoring.submission",
        "report": "reports.report",
        "decision": "reports.decision",
    }
    found = {name: objects[label].pk for name, label in ids.items() if label in objects}
    return found | {"units": [found["unit"]], "co_executors": [found["unit"]], "name": "changed"}


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_logs")
def test_an_outsider_with_a_token_changes_nothing_of_another_body(secret_body, outsider):
    """The API as a script would use it: a token instead of a session; PUT, PATCH and DELETE
    on every object URL, POST on every list with the other body's ids in the payload, and
    those ids as query filters. Nothing of the other body shows and no table changes (in one
    run: 230 answers of 405, 157 of 404)."""
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=outsider, name='walk')[1]}")
    payload, checked, state = foreign_ids(secret_body), 0, None
    for name, url, names_object, _entry in outsider_urls(secret_body):
        if not url.startswith("/api/") or entry_name(name) in SKIP_POST | {"api-docs"}:
            continue
        shown = client.get(url, {k: v for k, v in payload.items() if not isinstance(v, list)})
        assert SECRET not in shown.content.decode(errors="replace"), f"GET {url} with filters"
        methods = ("put", "patch", "delete", "post") if names_object else ("post",)
        for method in methods:
            before = state = fingerprint(since=state)
            response = getattr(client, method)(url, payload, format="json")
            answer = f"{method.upper()} {url} ({name}) answered {response.status_code}"
            assert response.status_code < 500, answer
            assert SECRET not in response.content.decode(errors="replace"), answer
            if names_object:
                assert response.status_code in (403, 404, 405), answer
            else:
                assert response.status_code not in (200, 201, 204), answer
            state = fingerprint(since=before)
            assert not differences(before, state), (
                f"{answer} and changed {differences(before, state)}"
            )
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_the_fingerprint_sees_an_update_of_one_column_of_one_row(client, outsider):
    """Refused requests leave it equal (a token's last use aside); an update of one column of
    one existing row changes it, with no row added and the value as long as before, and
    names the table."""
    from rest_framework.test import APIClient

    from jospar.orgs.models import StateBody

    body = StateBodyFactory(name="Ministry of Roads")
    user = member(body, Role.EXECUTOR, username="roads")
    client.force_login(outsider)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=outsider, name='fp')[1]}")
    before = fingerprint()
    edit = reverse("orgs:member_edit", args=[body.pk, user.pk])
    posted = client.post(edit, {"username": "taken", "email": "taken@example.org"})
    patched = api.patch(f"/api/v1/bodies/{body.pk}/", {"name": "Mine"}, format="json")
    assert {posted.status_code, patched.status_code} <= {403, 404, 405}
    assert differences(before, fingerprint(since=before)) == []
    assert differences(before, fingerprint()) == []  # read again in full

    StateBody.objects.filter(pk=body.pk).update(name="Ministry of Roadz")  # no history row
    assert differences(before, fingerprint(since=before)) == ["orgs_statebody"]
