"""Settings for the test suite: the app's settings with test-only defaults."""

import os
import tempfile
from pathlib import Path

# Plain static storage (no collectstatic manifest); pytest-django runs the tests with DEBUG off.
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from jospar.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"

# Uploaded files of the tests go to a throw-away folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="jospar-test-media-"))
