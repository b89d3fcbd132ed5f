"""Shared fixtures. The named users follow one pattern: `planner`, `admin`, … hold a role in
`body`; `outsider` holds every role, but in `other_body` — so every permission test has an
obvious stranger."""

import datetime as dt
import logging
import uuid

import pytest
import time_machine
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from jospar.orgs.models import Role
from tests import worlds
from tests.factories import DevelopmentPlanFactory, StateBodyFactory, member
from tests.installed import installed_demo  # noqa: F401 - the fixture of a fresh installation
from tests.schema import add_reference_rows
from tests.smtp import smtp  # noqa: F401 - the fixture, for every test that sends e-mail


@pytest.fixture
def body(db):
    """The Ministry of Water Resources (MWR): a module's shared world holds the same one."""
    return worlds.the_body()


@pytest.fixture
def other_body(db):
    return StateBodyFactory(name="Ministry of Tourism", code="MTR")


@pytest.fixture
def unit(body):
    return worlds.the_unit(body)


@pytest.fixture
def planner(body):
    return worlds.the_member(body, Role.PLANNER, "planner")


@pytest.fixture
def admin_user(body):
    return member(body, Role.ADMINISTRATOR, username="bodyadmin")


@pytest.fixture
def viewer(body):
    return member(body, Role.VIEWER, username="viewer")


@pytest.fixture
def executor(body, unit):
    return worlds.the_member(body, Role.EXECUTOR, "executor", unit=unit)


@pytest.fixture
def outsider(other_body):
    """Holds every role — but in another body."""
    user = member(other_body, Role.ADMINISTRATOR, username="outsider")
    for role in (Role.PLANNER, Role.MONITOR, Role.OFFICIAL, Role.VIEWER):
        from tests.factories import RoleFactory

        RoleFactory(user=user, body=other_body, role=role)
    return user


@pytest.fixture
def clock():
    """The one clock of the tests (time-machine): `clock("2026-07-10 16:00")`, `clock(date)`
    (noon) or `clock(date, time)` stops it at that moment in Almaty for everything in the
    process (the services, the deadline calendar, the history, a live server) and returns the
    moment; every later call moves it. `tick=True` lets it run on from there."""
    travellers = []

    def travel(when, time=dt.time(12), *, tick: bool = False) -> dt.datetime:
        moment = worlds.moment(when, time)
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=tick)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def api():
    """An API client, logged in as `user` when given, speaking English so that the messages can
    be compared."""

    def client_for(user=None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@pytest.fixture
def quiet_logs():
    """For the walks' thousands of requests: their lines below ERROR are not logged (each
    request's line, the audit's for a 403 or a 404, Django's warning with its traceback),
    which nobody reads and whose formatting, by every handler, took a fifth of a walk's time.
    An error's (a 500's traceback) still is."""
    before = logging.root.manager.disable
    logging.disable(logging.WARNING)
    yield
    logging.disable(before)


@pytest.fixture
def plan(body):
    return DevelopmentPlanFactory(body=body, title="Development plan 2025–2029")


@pytest.fixture
def other_plan(other_body):
    return DevelopmentPlanFactory(body=other_body, title="Tourism development plan")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as `jospar migrate` leaves it, when it was built from the models
    (tests/settings.py): every migration recorded as applied (the health check and the
    migration tests read that) and the rows the data migrations write."""
    from django.conf import settings

    from tests.schema import as_migrated

    if settings.DATABASES["default"].get("TEST", {}).get("MIGRATE", True):
        return
    with django_db_blocker.unblock():
        as_migrated()
        # What migrating would have asked the database once per connection (SQLite's JSON
        # support, probed with a query), so that no test's counted queries include it.
        connection.features.supports_json_field  # noqa: B018 - a cached probe


# The modules that take tens of seconds each (they start servers or processes, migrate or load
# the demo, or walk every URL in every state): they are handed to the test processes first, so
# that the processes end together instead of one of them finishing these alone at the end.
SLOW_MODULES = (
    "tests/test_readme_examples.py",
    "tests/test_migrations.py",
    "jospar/ops/tests/test_production_smoke.py",
    "jospar/ops/tests/test_outage_postgres.py",
    "tests/test_state_walk.py",
    "tests/test_executor_walk.py",
    "jospar/demo/tests/test_load_demo.py",
    "tests/test_url_walk.py",
    "tests/test_api_fuzz.py",
    "jospar/ops/tests/test_serve.py",
    "jospar/ops/tests/test_backup.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    root = config.rootpath

    def rank(item: pytest.Item) -> int:
        path = item.path.relative_to(root).as_posix() if root in item.path.parents else ""
        return SLOW_MODULES.index(path) if path in SLOW_MODULES else len(SLOW_MODULES)

    items.sort(key=rank)  # stable: the order within a module and among the others stays


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the site's language: a request the test client makes leaves the
    language it activated for this thread (a 503 answered in Kazakh did), which a command the
    next test runs in-process would otherwise print in."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_transactional_test_inside_a_shared_world(request):
    """A transactional test must not start inside a transaction that a module- or class-scoped
    fixture keeps open (a shared world): its rows would be visible to it but not to the
    threads or the server it starts, and its flush would run inside that transaction. Under
    pytest-xdist a module's tests run one after another, so such a test belongs in a module of
    its own; this says so instead of failing later with an unrelated IntegrityError."""
    if _is_transactional(request.node) and connection.in_atomic_block:
        pytest.fail(
            "a transactional test started inside a transaction a shared fixture keeps open; "
            "move it to a module without a shared world"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a live server's too) flushes the database when it ends, the rows
    the data migrations wrote with it; they are put back once every fixture of the test is
    torn down (the flush included: a fixture's own teardown could run before pytest-django's),
    so that the next test in this process finds them whatever the order (pytest-xdist hands a
    worker modules in any order). After a process's last test (no next item) the session's
    test database is already gone with its session fixtures, and no test needs them."""
    result = yield
    if _is_transactional(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            add_reference_rows()
    return result


@pytest.fixture
def reference_rows(transactional_db):
    """The rows the data migrations wrote (the shared forms of completion). A transactional
    test flushes the database when it ends, these rows too, so a transactional test that needs
    them asks for this fixture whatever ran before it."""
    add_reference_rows()


# Where files are kept: the local file system and an S3-compatible object store


S3_REGION = "us-east-1"
S3_KEY = "testing"  # the local server's dummy credentials; nothing leaves the machine


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto in server mode) on a free loopback port, started
    for the session by the first test that asks and stopped at its end."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_bucket(endpoint: str) -> str:
    """A new, empty bucket on the local server."""
    import boto3

    bucket = f"jospar-{uuid.uuid4().hex[:16]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_KEY,
        region_name=S3_REGION,
    ).create_bucket(Bucket=bucket)
    return bucket


def use_storage(settings, kind: str, *, root=None, endpoint: str = ""):
    """Make the default storage a new, empty one of `kind` (`filesystem` under `root`, or `s3`
    in a new bucket of the local server at `endpoint`) and return it."""
    from django.core.files.storage import default_storage

    from jospar.lib.storage import s3_options

    if kind == "filesystem":
        settings.MEDIA_ROOT = root
        default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    else:
        options = s3_options(
            bucket=s3_bucket(endpoint),
            endpoint_url=endpoint,
            access_key=S3_KEY,
            secret_key=S3_KEY,
            region=S3_REGION,
            prefix="media",
        )
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return default_storage


@pytest.fixture(params=["filesystem", "s3"])
def file_storage(request, settings, tmp_path, monkeypatch):
    """Runs the test twice: its files in a new folder of the local file system, then in a new
    bucket of a local S3-compatible server; returns the default storage."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, S3_KEY)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    endpoint = request.getfixturevalue("s3_server") if request.param == "s3" else ""
    return use_storage(settings, request.param, root=tmp_path / "media", endpoint=endpoint)
