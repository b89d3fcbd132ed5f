from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

BEFORE_THE_MOVE = [("monitoring", "0006_report_row_executed_earlier"), ("reports", None)]
# The quarterly report's models, by their name in `monitoring` before the move and in `reports`
# after it, with the history of those that have one.
MOVED = [
    "Report",
    "ReportRow",
    "AmendmentRecommendation",
    "Decision",
    "DecisionProgress",
    "HistoricalReport",
    "HistoricalReportRow",
    "HistoricalAmendmentRecommendation",
    "HistoricalDecision",
]


@pytest.mark.django_db
def test_the_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


class RenderingOnlyWhatItUnapplies(MigrationExecutor):
    """Django's executor, except going back: it renders the models of the project only for
    the state before each migration it unapplies. Django renders them once and then reloads
    them for every operation of every migration applied after the first one it unapplies (here
    the whole rest of the project): ~55 of the move test's ~60 profiled seconds. The database
    sees the same statements: each migration is unapplied from the same state."""

    def _migrate_all_backwards(self, plan, full_plan, fake):
        nodes = self.loader.graph.nodes
        applied = {nodes[key] for key in self.loader.applied_migrations if key in nodes}
        going = [migration for migration, _ in plan]
        left = set(going)
        before, state = {}, self._create_project_state()
        for migration, _ in full_plan:  # the states, unrendered: cheap to mutate
            if not left:
                break
            if migration in left:
                before[migration] = state.clone()
                left.remove(migration)
            if migration in applied:
                migration.mutate_state(state, preserve=False)
        for migration in going:
            before[migration].apps  # noqa: B018 - rendered once, then reloaded per operation
            self.unapply_migration(before[migration], migration, fake=fake)
        # what stays applied after the last one unapplied, as Django returns it
        state = before[going[-1]]
        del state.apps
        remaining = applied.difference(going)
        position = [migration for migration, _ in full_plan].index(going[-1])
        for migration, _ in full_plan[position:]:
            if migration in remaining:
                migration.mutate_state(state, preserve=False)
        return state


def rows(apps, app_label: str) -> dict[str, list]:
    """Every row of the moved models, as dictionaries, read through one migration state."""
    found = {
        name: list(apps.get_model(app_label, name).objects.order_by("pk").values())
        for name in MOVED
    }
    decision = apps.get_model(app_label, "Decision")
    found["units"] = sorted(decision.units.through.objects.values_list("decision_id", "unit_id"))
    return found


@pytest.mark.usefixtures("reference_rows")
def test_moving_the_report_into_its_app_keeps_every_row_and_its_history():
    """The demo is loaded, the database is taken back to where the report's models lived in
    `monitoring`, read there, and migrated forward again: the same rows come out of `reports`.
    """
    with override_settings(DEBUG=True):  # as `make run` loads it
        call_command("load_demo", stdout=StringIO())

    executor = RenderingOnlyWhatItUnapplies(connection)
    executor.migrate(BEFORE_THE_MOVE)
    try:
        executor.loader.build_graph()
        before = rows(executor.loader.project_state(BEFORE_THE_MOVE[:1]).apps, "monitoring")
    finally:  # whatever happens, the tests after this one find today's schema
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert all(before.values()), [name for name, found in before.items() if not found]

    after = rows(apps, "reports")  # the models of today: a row's `entry` is now `planned`
    for name in ("ReportRow", "HistoricalReportRow"):
        for row in after[name]:
            row["entry_id"] = row.pop("planned_id")
    # the columns added after the move: reports 0004's version, 0006's summary per language,
    # 0007's ongoing term as written
    added = ("version", "frozen_summary_kk", "frozen_summary_ru", "frozen_summary_en", "term_text")
    for name in MOVED:
        for row in after[name]:
            for column in added:
                row.pop(column, None)
    assert after == before

    from django.contrib.contenttypes.models import ContentType

    from jospar.reports.models import Report

    assert ContentType.objects.get_for_model(Report).app_label == "reports"
