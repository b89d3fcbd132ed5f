"""Settings for the test suite: the app's settings with test-only defaults."""

import os
import tempfile
from pathlib import Path

# Plain static storage (no collectstatic manifest); pytest-django runs the tests with DEBUG off.
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from jospar.settings import *  # noqa: E402, F403

# The test run closes a connection at the end of each request, as it always has (the fixtures
# that count on it: tests/test_api_fuzz.py); a server reuses it (DB_CONN_MAX_AGE, 60).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The live server shares the test's SQLite connection between its request threads: one request
# at a time there (tests/serial.py).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    MIDDLEWARE = ["tests.serial.OneRequestAtATime", *MIDDLEWARE]  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"

# Uploaded files of the tests go to a throw-away folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="jospar-test-media-"))

# The test databases are built from the models, not by replaying every migration (~40 s per
# test process): conftest.django_db_setup then records the migrations as applied and adds the
# rows the data migrations write. The migrations themselves are exercised where they matter:
# `jospar migrate` of an empty database in the production smoke test, and the migration tests
# (tests/test_migrations.py, the frozen headings) that go back and forth on this schema.
# JOSPAR_TEST_MIGRATE=1 builds them by migrating, as before.
DATABASES["default"].setdefault("TEST", {})  # noqa: F405
DATABASES["default"]["TEST"]["MIGRATE"] = os.environ.get("JOSPAR_TEST_MIGRATE") == "1"  # noqa: F405
