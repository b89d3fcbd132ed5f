"""A database built from the models instead of by replaying every migration (most of a minute
on the development machine), left as `jospar migrate` leaves it: every migration recorded as
applied, in the order `migrate` applies them (the health check and the migration tests read
that), and the rows the data migrations write. `tests.test_migrations` holds the models and the
migrations to the same schema; `jospar migrate` itself runs on an empty database in the run's
fresh installation (`tests.installed`) and in the production smoke test on PostgreSQL."""

from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings


def create_from_models() -> None:
    """The tables of every model in the (empty) database, as a test database without
    migrations gets them, then `as_migrated`."""
    without_migrations = {config.label: None for config in apps.get_app_configs()}
    with override_settings(MIGRATION_MODULES=without_migrations):
        call_command("migrate", run_syncdb=True, verbosity=0)
    as_migrated()


def as_migrated() -> None:
    """Record every migration as applied and add the data migrations' rows."""
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = recorder.applied_migrations()
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for leaf in graph.leaf_nodes():  # in the order `migrate` applies them
        for app_label, name in graph.forwards_plan(leaf):
            if (app_label, name) not in applied:
                recorder.record_applied(app_label, name)
                applied[app_label, name] = True
    add_reference_rows()


def add_reference_rows() -> None:
    """The rows the data migrations write (the shared forms of completion)."""
    import_module("jospar.plans.migrations.0002_completion_forms").add_forms(apps, None)
