"""The services of quarterly monitoring (R11–R14), with the clock under the test's control:
opening a quarter, the actions a unit reports on, entries with optimistic locking, evidence
files, indicator values, sign-off against the R13 deadline and the monitor's review."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jospar.monitoring import services
from jospar.monitoring.models import (
    Evidence,
    ProgressEntry,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from jospar.monitoring.selectors import attach_progress, board, unit_actions
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.plans.models import RevisionBasis
from tests.factories import (
    DevelopmentPlanFactory,
    GoalFactory,
    TargetIndicatorFactory,
    member,
    operational_plan,
)
from tests.worlds import monitoring_world, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

Q1, Q2, Q3, Q4 = (
    dt.date(2026, 2, 16),
    dt.date(2026, 5, 15),
    dt.date(2026, 8, 14),
    dt.date(2026, 11, 2),
)


def keys(world, items) -> dict[str, bool]:
    """Action key → due, for the listed actions."""
    names = {action.pk: key for key, action in world.actions.items()}
    return {names[item.planned.action_id]: item.due for item in items}


def save(world, submission, key, actor=None, version=None, **fields):
    action = world.actions[key]
    if version is None:
        entry = submission.entries.filter(action=action).first()
        version = entry.version if entry else 0
    data = {"status": "executed", "actual": "Done", "reasons": ""} | fields
    return services.entry_save(
        actor=actor or world.executor,
        submission=submission,
        action_id=action.pk,
        version=version,
        **data,
    )


def accept(world, submission):
    services.submission_sign(actor=world.head, submission=submission)
    return services.submission_accept(actor=world.monitor, submission=submission)


# Opening a quarter


def test_a_quarter_opens_only_when_it_has_started(world, clock):
    clock(dt.date(2026, 3, 31))
    with pytest.raises(ValidationError) as error:
        world.open(2)
    assert error.value.messages == ["Information for quarter 2 opens on 01.04.2026."]
    clock(dt.date(2026, 4, 1))
    assert world.open(2).quarter == 2


def test_a_quarter_opens_only_for_an_approved_plan(body, planner, unit, executor, clock):
    clock(dt.date(2027, 2, 1))
    plan = operational_plan(
        body, 2027, development_plan=DevelopmentPlanFactory(body=body, start_year=2027)
    )
    with pytest.raises(ValidationError) as error:
        services.submission_open(actor=executor, plan=plan, unit=unit, quarter=1)
    assert error.value.messages == ["The plan has not been approved yet."]
    assert not Submission.objects.exists()


def test_only_the_units_own_people_open_its_information(world, clock):
    clock(Q1)
    for stranger in (world.partner_head, world.monitor, world.planner, world.official):
        with pytest.raises(PermissionDenied):
            world.open(1, unit=world.unit, actor=stranger)
    with pytest.raises(PermissionDenied):
        world.open(1, unit=world.partner, actor=world.executor)
    assert world.open(1, actor=world.head).unit == world.unit


def test_another_bodys_plan_is_refused(world, clock, other_body):
    clock(Q1)
    foreign = operational_plan(other_body, 2026)
    with pytest.raises(PermissionDenied):
        services.submission_open(actor=world.executor, plan=foreign, unit=world.unit, quarter=1)


def test_opening_twice_gives_the_same_submission(world, clock):
    clock(Q1)
    first = world.open(1)
    second = world.open(1, actor=world.head)
    assert first.pk == second.pk
    assert Submission.objects.count() == 1
    assert first.history.first().history_user == world.executor


def test_a_quarter_outside_1_to_4_is_refused(world, clock):
    clock(Q1)
    with pytest.raises(ValidationError) as error:
        world.open(5)
    assert "quarter" in error.value.message_dict


# Which actions a unit reports on


def test_lead_and_co_executor_actions_are_listed_with_their_due_flags(world, clock):
    clock(Q1)
    items = unit_actions(world.plan, world.unit, 1)
    assert keys(world, items) == {
        "q1": True,
        "q2": False,
        "partner_q3": False,
        "quarterly": True,
        "annual": False,
    }
    lead = {item.planned.action_id: item.lead for item in items}
    assert lead[world.actions["q2"].pk] is True
    assert lead[world.actions["partner_q3"].pk] is False
    assert keys(world, unit_actions(world.plan, world.partner, 1)) == {
        "q2": False,
        "partner_q3": False,
    }


def test_a_term_is_due_in_its_quarter_and_stays_due_until_executed(world, clock):
    assert keys(world, unit_actions(world.plan, world.unit, 2)) == {
        "q1": True,  # past its term, not executed
        "q2": True,
        "partner_q3": False,
        "quarterly": True,
        "annual": False,
    }
    assert keys(world, unit_actions(world.plan, world.unit, 4)) == {
        "q1": True,
        "q2": True,
        "partner_q3": True,
        "quarterly": True,
        "annual": True,
    }


def test_an_action_executed_in_an_accepted_submission_is_left_out_later(world, clock):
    clock(Q2)
    submission = world.open(2)
    world.fill(submission)
    clock(dt.date(2026, 7, 3))
    assert "q2" in keys(world, unit_actions(world.plan, world.unit, 3))  # only signed off
    accept(world, submission)
    later = keys(world, unit_actions(world.plan, world.unit, 3))
    assert "q1" not in later and "q2" not in later
    assert later["quarterly"] is True  # a recurring action is reported every quarter
    assert later["partner_q3"] is True


def test_an_action_not_executed_in_an_accepted_submission_stays_due(world, clock):
    clock(Q2)
    submission = world.open(2)
    q2 = world.actions["q2"].pk
    world.fill(submission, only={q2: "not_executed"})
    accept(world, submission)
    assert keys(world, unit_actions(world.plan, world.unit, 3))["q2"] is True


def test_a_co_executors_executed_part_does_not_close_the_leads_action(world, clock):
    clock(Q2)
    partner = world.open(2, unit=world.partner)
    save(world, partner, "q2", actor=world.partner_head, status="executed", actual="Paid")
    services.submission_sign(actor=world.partner_head, submission=partner)
    services.submission_accept(actor=world.monitor, submission=partner)
    assert "q2" not in keys(world, unit_actions(world.plan, world.partner, 3))
    assert keys(world, unit_actions(world.plan, world.unit, 3))["q2"] is True


def test_a_removed_action_stays_in_the_quarters_of_the_revision_that_held_it(world, clock):
    clock(dt.date(2026, 7, 20))
    plans.adjustment_start(
        actor=world.planner, plan=world.plan, basis=RevisionBasis.OTHER, basis_text="Canals done"
    )
    plans.action_delete(actor=world.planner, action=world.actions["q2"])
    plans.plan_submit(actor=world.planner, plan=world.plan)
    plans.plan_approve(actor=world.official, plan=world.plan)
    assert world.plan.revisions.count() == 2
    assert "q2" in keys(world, unit_actions(world.plan, world.unit, 2))
    assert "q2" not in keys(world, unit_actions(world.plan, world.unit, 3))
    assert "q2" not in keys(world, unit_actions(world.plan, world.unit, 4))


def test_a_revision_approved_after_the_year_does_not_govern_the_fourth_quarter(world, clock):
    clock(dt.date(2027, 1, 20))
    plans.adjustment_start(
        actor=world.planner, plan=world.plan, basis=RevisionBasis.OTHER, basis_text="Late"
    )
    plans.action_delete(actor=world.planner, action=world.actions["annual"])
    plans.plan_submit(actor=world.planner, plan=world.plan)
    plans.plan_approve(actor=world.official, plan=world.plan)
    assert "annual" in keys(world, unit_actions(world.plan, world.unit, 4))


# Entries


def test_the_first_save_creates_version_1(world, clock):
    clock(Q1)
    submission = world.open(1)
    entry = save(world, submission, "q1", status="partial", actual=" Half ", reasons=" Rain ")
    assert (entry.version, entry.status) == (1, "partial")
    assert (entry.actual, entry.reasons, entry.updated_by) == ("Half", "Rain", world.executor)
    assert save(world, submission, "q1", version=1).version == 2


def test_a_stale_save_is_refused_with_the_other_persons_text(world, clock):
    clock(Q1)
    submission = world.open(1)
    save(world, submission, "q1", actual="First draft")
    loaded = 1  # the executor and the head both load version 1
    save(world, submission, "q1", version=loaded, actual="The executor's account")
    history = ProgressEntry.history.count()
    with pytest.raises(services.Conflict) as error:
        save(world, submission, "q1", actor=world.head, version=loaded, actual="The head's account")
    assert error.value.current.actual == "The executor's account"
    assert error.value.current.version == 2
    assert error.value.current.updated_by == world.executor
    entry = submission.entries.get()
    assert (entry.actual, entry.version, entry.updated_by) == (
        "The executor's account",
        2,
        world.executor,
    )
    assert ProgressEntry.history.count() == history


def test_two_first_saves_conflict_too(world, clock):
    clock(Q1)
    submission = world.open(1)
    save(world, submission, "q1", version=0, actual="Mine")
    with pytest.raises(services.Conflict) as error:
        save(world, submission, "q1", actor=world.head, version=0, actual="Theirs")
    assert error.value.current.actual == "Mine"


def test_a_version_of_an_entry_never_saved_is_refused(world, clock):
    clock(Q1)
    submission = world.open(1)
    with pytest.raises(ValidationError) as error:
        save(world, submission, "q1", version=3)
    assert "version" in error.value.message_dict
    assert not ProgressEntry.objects.exists()


def test_an_entry_on_another_units_action_is_refused(world, clock):
    clock(Q2)
    submission = world.open(2)
    with pytest.raises(ValidationError) as error:
        save(world, submission, "other_q2")
    assert "action" in error.value.message_dict
    assert not ProgressEntry.objects.exists()


def test_an_unknown_status_is_refused(world, clock):
    clock(Q1)
    submission = world.open(1)
    with pytest.raises(ValidationError) as error:
        save(world, submission, "q1", status="done-ish")
    assert "status" in error.value.message_dict


def test_only_the_units_people_save_entries(world, clock):
    clock(Q1)
    submission = world.open(1)
    for stranger in (world.monitor, world.partner_head, world.planner):
        with pytest.raises(PermissionDenied):
            save(world, submission, "q1", actor=stranger)


def test_nothing_is_saved_after_sign_off(world, clock):
    clock(Q1)
    submission = world.open(1)
    world.fill(submission)
    services.submission_sign(actor=world.head, submission=submission)
    signed = submission.history.filter(status="submitted").get()  # one row, with the signature
    assert (signed.signed_by_id, signed.days_late) == (world.head.pk, 0)
    with pytest.raises(ValidationError) as error:
        save(world, submission, "q1", actual="Afterthought")
    assert "cannot be changed" in error.value.messages[0]
    assert submission.entries.get(action=world.actions["q1"]).actual == "Done as planned"


def test_history_records_who_saved_each_version(world, clock):
    clock(Q1)
    submission = world.open(1)
    save(world, submission, "q1", actual="One")
    save(world, submission, "q1", actor=world.head, actual="Two")
    entry = submission.entries.get()
    rows = list(entry.history.order_by("history_date", "history_id"))
    assert [(row.actual, row.history_user) for row in rows] == [
        ("One", world.executor),
        ("Two", world.head),
    ]


# Evidence files


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


PNG = png_bytes()


@pytest.fixture
def entry(world, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clock(Q1)
    submission = world.open(1)
    return save(world, submission, "q1")


@pytest.mark.parametrize(
    "name, content, kind",
    [("act.pdf", PDF, "pdf"), ("act.docx", docx_bytes(), "docx"), ("photo.png", PNG, "png")],
)
def test_evidence_is_accepted_by_its_content(world, entry, tmp_path, name, content, kind):
    upload = SimpleUploadedFile(name, content)
    evidence = services.evidence_add(actor=world.executor, entry=entry, upload=upload)
    assert (evidence.kind, evidence.name, evidence.size) == (kind, name, len(content))
    assert evidence.uploaded_by == world.executor
    stored = tmp_path / evidence.file.name
    assert stored.read_bytes() == content
    plan = world.plan
    assert evidence.file.name.startswith(f"evidence/{plan.body_id}/2026/q1/{world.unit.pk}/")
    assert name not in evidence.file.name  # stored under a neutral name of its kind
    assert evidence.file.name.endswith("." + {"jpeg": "jpg"}.get(kind, kind))


def test_a_web_page_behind_an_image_signature_is_refused_whatever_its_name(world, entry):
    for name in ("poly.html", "poly.gif"):
        upload = SimpleUploadedFile(name, b"GIF89a<html><script>alert(1)</script></html>")
        with pytest.raises(ValidationError) as error:
            services.evidence_add(actor=world.executor, entry=entry, upload=upload)
        assert "Only PDF, DOCX, XLSX" in error.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_a_file_is_judged_by_content_not_name(world, entry):
    upload = SimpleUploadedFile("act.pdf", b"just some text, not a PDF at all")
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=world.executor, entry=entry, upload=upload)
    assert "file" in error.value.message_dict
    archive = SimpleUploadedFile("act.docx", b"PK\x03\x04 broken zip")
    with pytest.raises(ValidationError):
        services.evidence_add(actor=world.executor, entry=entry, upload=archive)
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(world, entry, settings):
    settings.EVIDENCE_MAX_MB = 0.001  # about a kilobyte
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=world.executor, entry=entry, upload=upload)
    assert "larger than" in error.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_evidence_is_removed_by_the_unit_while_editable(world, entry, tmp_path):
    evidence = services.evidence_add(
        actor=world.executor, entry=entry, upload=SimpleUploadedFile("act.pdf", PDF)
    )
    with pytest.raises(PermissionDenied):
        services.evidence_remove(actor=world.monitor, evidence=evidence)
    services.evidence_remove(actor=world.head, evidence=evidence)
    assert not Evidence.objects.exists()


def test_a_stranger_attaches_no_evidence(world, entry):
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            actor=world.partner_head, entry=entry, upload=SimpleUploadedFile("a.pdf", PDF)
        )


# Actual values of indicators


def actual(world, submission, value, indicator=None, version=0, comment=""):
    return services.actual_save(
        actor=world.executor,
        submission=submission,
        indicator=indicator or world.indicator,
        value=value,
        comment=comment,
        version=version,
    )


def test_an_actual_value_is_a_number_in_either_notation(world, clock):
    clock(Q1)
    submission = world.open(1)
    saved = actual(world, submission, "12,5", comment=" Preliminary ")
    assert (saved.value, saved.comment, saved.version) == (Decimal("12.5"), "Preliminary", 1)
    assert actual(world, submission, "1 200.75", version=1).value == Decimal("1200.75")
    assert actual(world, submission, "", version=2).value is None


@pytest.mark.parametrize("value", ["twelve", "NaN", "1,2,3"])
def test_a_value_that_is_not_a_number_is_refused(world, clock, value):
    clock(Q1)
    submission = world.open(1)
    with pytest.raises(ValidationError) as error:
        actual(world, submission, value)
    assert "value" in error.value.message_dict


def test_only_the_units_own_indicators_take_values(world, clock, body):
    clock(Q1)
    submission = world.open(1)
    with pytest.raises(ValidationError) as error:
        actual(world, submission, "3", indicator=world.foreign_indicator)
    assert "indicator" in error.value.message_dict
    elsewhere = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    goal = GoalFactory(direction__plan=elsewhere)
    stray = TargetIndicatorFactory(goal=goal, responsible_unit=world.unit)
    with pytest.raises(ValidationError) as error:
        actual(world, submission, "3", indicator=stray)
    assert "indicator" in error.value.message_dict


def test_a_stale_value_is_a_conflict(world, clock):
    clock(Q1)
    submission = world.open(1)
    actual(world, submission, "10")
    with pytest.raises(services.Conflict) as error:
        actual(world, submission, "11", version=0)
    assert error.value.current.value == Decimal("10")


# Sign-off (R13, R14)


def test_only_the_unit_head_signs_off(world, clock):
    clock(Q1)
    submission = world.open(1)
    world.fill(submission)
    for stranger in (world.executor, world.partner_head, world.monitor, world.official):
        with pytest.raises(PermissionDenied):
            services.submission_sign(actor=stranger, submission=submission)
    signed = services.submission_sign(actor=world.head, submission=submission)
    assert (signed.status, signed.signed_by) == (SubmissionStatus.SUBMITTED, world.head)


def test_sign_off_waits_for_every_due_action(world, clock):
    clock(Q1)
    submission = world.open(1)
    q1, quarterly = world.number("q1"), world.number("quarterly")
    with pytest.raises(ValidationError) as error:
        services.submission_sign(actor=world.head, submission=submission)
    assert error.value.messages == [
        f"Action {q1} is due this quarter: give its status.",
        f"Action {quarterly} is due this quarter: give its status.",
    ]
    save(world, submission, "q1", status="not_executed", actual="", reasons="")
    save(world, submission, "quarterly", status="not_due", actual="")
    with pytest.raises(ValidationError) as error:
        services.submission_sign(actor=world.head, submission=submission)
    assert error.value.messages == [
        f"Action {q1} is not fully executed: give the reasons.",
        # A status is chosen: what is wrong is the status itself (issue 18).
        f"Action {quarterly} is due in this quarter, so it cannot be “not yet due”:"
        " choose how it was executed.",
    ]
    save(world, submission, "q1", status="not_executed", actual="", reasons="No funding")
    save(world, submission, "quarterly", status="partial", actual="Two of three")
    with pytest.raises(ValidationError) as error:
        services.submission_sign(actor=world.head, submission=submission)
    assert error.value.messages == [f"Action {quarterly} is not fully executed: give the reasons."]
    save(world, submission, "quarterly", status="partial", actual="Two of three", reasons="Staff")
    assert services.submission_sign(actor=world.head, submission=submission).status == "submitted"


@pytest.mark.parametrize(
    "quarter, opened, signed, days_late",
    [
        (1, Q1, (dt.date(2026, 4, 10), dt.time(23, 30)), 0),  # the 10th, late in the evening
        (1, Q1, (dt.date(2026, 4, 11), dt.time(0, 30)), 1),  # still the 10th in UTC, not in Almaty
        (2, Q2, (dt.date(2026, 7, 3), dt.time(9, 0)), 0),
        (2, Q2, (dt.date(2026, 7, 17), dt.time(9, 0)), 7),
        (4, Q4, (dt.date(2027, 1, 10), dt.time(18, 0)), 0),  # Q4: by 10 January of the next year
        (4, Q4, (dt.date(2027, 1, 12), dt.time(9, 0)), 2),
        (4, Q4, (dt.date(2026, 12, 20), dt.time(9, 0)), 0),
    ],
)
def test_lateness_is_counted_from_the_10th_of_the_next_month(
    world, clock, quarter, opened, signed, days_late
):
    clock(opened)
    submission = world.open(quarter)
    world.fill(submission)
    moment = clock(*signed)
    signed_off = services.submission_sign(actor=world.head, submission=submission)
    assert signed_off.signed_at == moment
    assert signed_off.days_late == days_late
    assert Submission.objects.get().days_late == days_late


# The monitor's review


def at_status(world, clock, status: str) -> Submission:
    """A Q1 submission, completely filled in, in `status`."""
    clock(Q1)
    submission = world.open(1)
    world.fill(submission)
    Submission.objects.filter(pk=submission.pk).update(status=status)
    submission.refresh_from_db()
    return submission


STEPS = {
    "sign": lambda w, s, actor: services.submission_sign(actor=actor, submission=s),
    "return": lambda w, s, actor: services.submission_return(
        actor=actor, submission=s, comment="Add the act number"
    ),
    "accept": lambda w, s, actor: services.submission_accept(actor=actor, submission=s),
    "reopen": lambda w, s, actor: services.submission_reopen(
        actor=actor, submission=s, reason="The act was annulled"
    ),
}
# step → (the role that takes it, the statuses it starts from, where it leads)
ALLOWED = {
    "sign": ("head", {"draft", "returned"}, "submitted"),
    "return": ("monitor", {"submitted"}, "returned"),
    "accept": ("monitor", {"submitted"}, "accepted"),
    "reopen": ("monitor", {"accepted"}, "returned"),
}
ROLES = ("executor", "head", "monitor", "planner")
EVENTS = {
    "sign": SubmissionEvent.Kind.SIGNED,
    "return": SubmissionEvent.Kind.RETURNED,
    "accept": SubmissionEvent.Kind.ACCEPTED,
    "reopen": SubmissionEvent.Kind.REOPENED,
}


def expected(status: str, step: str, role: str):
    who, sources, target = ALLOWED[step]
    if role != who:
        return PermissionDenied
    return target if status in sources else ValidationError


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("status", SubmissionStatus.values)
def test_the_steps_of_a_submission(world, clock, status, step, role):
    submission = at_status(world, clock, status)
    outcome = expected(status, step, role)
    actor = getattr(world, role)
    if isinstance(outcome, str):
        done = STEPS[step](world, submission, actor)
        assert done.status == outcome
        event = submission.events.get()
        assert (event.kind, event.actor) == (EVENTS[step], actor)
    else:
        with pytest.raises(outcome):
            STEPS[step](world, submission, actor)
        submission.refresh_from_db()
        assert submission.status == status
        assert not submission.events.exists()


def test_a_return_needs_a_comment_and_a_reopening_a_reason(world, clock):
    submission = at_status(world, clock, "submitted")
    with pytest.raises(ValidationError) as error:
        services.submission_return(actor=world.monitor, submission=submission, comment="  ")
    assert "comment" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # a stranger learns nothing about the comment
        services.submission_return(actor=world.executor, submission=submission, comment="")
    services.submission_accept(actor=world.monitor, submission=submission)
    with pytest.raises(ValidationError) as error:
        services.submission_reopen(actor=world.monitor, submission=submission, reason="")
    assert "reason" in error.value.message_dict
    assert submission.events.count() == 1


def test_every_round_is_kept(world, clock):
    clock(Q1)
    submission = world.open(1)
    world.fill(submission)
    services.submission_sign(actor=world.head, submission=submission)
    services.submission_return(actor=world.monitor, submission=submission, comment="Add numbers")
    returned = Submission.objects.get()
    assert returned.is_editable
    save(world, returned, "q1", actual="Act No. 12 of 3 March")  # corrected
    services.submission_sign(actor=world.head, submission=returned)
    services.submission_accept(actor=world.monitor, submission=returned)
    services.submission_reopen(actor=world.monitor, submission=returned, reason="Act annulled")
    save(world, returned, "q1", actual="Act No. 14 of 5 March")
    final = services.submission_sign(actor=world.head, submission=returned)
    assert (final.status, final.round) == ("submitted", 3)
    events = [(e.kind, e.round, e.actor, e.comment) for e in final.events.all()]
    assert events == [
        ("signed", 1, world.head, ""),
        ("returned", 1, world.monitor, "Add numbers"),
        ("signed", 2, world.head, ""),
        ("accepted", 2, world.monitor, ""),
        ("reopened", 2, world.monitor, "Act annulled"),
        ("signed", 3, world.head, ""),
    ]
    assert submission.entries.get(action=world.actions["q1"]).actual == "Act No. 14 of 5 March"


# The monitor's board


def test_the_board_shows_every_unit_of_the_body(world, clock):
    clock(Q2)
    submission = world.open(2)
    save(world, submission, "q1")
    rows, countdown = board(world.plan, 2)
    by_unit = {row.unit: row for row in rows}
    mine = by_unit[world.unit]
    assert (mine.submission, mine.due, mine.filled, mine.state) == (submission, 3, 1, "draft")
    assert (by_unit[world.partner].due, by_unit[world.partner].state) == (1, "not_started")
    assert (by_unit[world.other].due, by_unit[world.other].state) == (1, "not_started")
    assert countdown.deadline == dt.date(2026, 7, 10)
    assert countdown.days_left == (dt.date(2026, 7, 10) - Q2).days


def test_the_co_executors_entries_reach_the_lead(world, clock):
    clock(Q2)
    partner = world.open(2, unit=world.partner)
    save(world, partner, "q2", actor=world.partner_head, status="partial", actual="Paid half")
    mine = world.open(2)
    items = unit_actions(world.plan, world.unit, 2)
    attach_progress(items, mine, 2)
    q2 = next(item for item in items if item.planned.action_id == world.actions["q2"].pk)
    assert [(e.submission.unit, e.actual) for e in q2.others] == [(world.partner, "Paid half")]


def test_a_viewer_is_no_monitor(world, body, clock):
    submission = at_status(world, clock, "submitted")
    viewer = member(body, Role.VIEWER, username="auditor")
    with pytest.raises(PermissionDenied):
        services.submission_accept(actor=viewer, submission=submission)
    assert services.allowed_submission_steps(world.monitor, submission) == ["return", "accept"]
    assert services.allowed_submission_steps(viewer, submission) == []


def test_after_the_deadline_the_units_that_have_not_signed_come_first(world, clock):
    clock(Q2)
    world.open(2)  # the unit fills in draft
    clock("2026-07-12")
    partner = world.open(2, unit=world.partner)
    world.fill(partner)
    services.submission_sign(actor=world.partner_head, submission=partner)  # 2 days late
    clock("2026-07-10")
    rows, _countdown = board(world.plan, 2)  # on the deadline: nobody is overdue yet
    assert [row.unit for row in rows] == [world.partner, world.unit, world.other]
    assert [row.overdue for row in rows] == [False, False, False]
    clock("2026-07-13")
    rows, _countdown = board(world.plan, 2)
    assert [(row.unit, row.state, row.overdue, row.days_late) for row in rows] == [
        (world.unit, "draft", True, 3),
        (world.other, "not_started", True, 3),
        (world.partner, "late", False, 2),
    ]
