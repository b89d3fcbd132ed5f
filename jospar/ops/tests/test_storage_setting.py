"""STORAGE_BACKEND and the S3_* variables choose where files are kept."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from jospar.lib.storage import default_storage_setting


def test_the_file_system_is_the_default(monkeypatch):
    monkeypatch.delenv("STORAGE_BACKEND", raising=False)
    assert default_storage_setting() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_compatible_store_from_the_environment(monkeypatch):
    for name, value in {
        "STORAGE_BACKEND": "S3",
        "S3_BUCKET": "jospar-files",
        "S3_ENDPOINT_URL": "https://objects.example.kz",
        "S3_ACCESS_KEY_ID": "key",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_REGION": "kz-1",
        "S3_PREFIX": "/media/",
    }.items():
        monkeypatch.setenv(name, value)
    setting = default_storage_setting()
    assert setting["BACKEND"] == "storages.backends.s3.S3Storage"
    options = setting["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "jospar-files",
        "https://objects.example.kz",
        "kz-1",
    )
    assert (options["access_key"], options["secret_key"], options["location"]) == (
        "key",
        "secret",
        "media",
    )
    # private: no ACL of its own, signed URLs only, nothing overwritten
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False and options["addressing_style"] == "path"


def test_a_wrong_or_incomplete_choice_is_refused(monkeypatch):
    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET must be set"):
        default_storage_setting()
    monkeypatch.setenv("STORAGE_BACKEND", "ftp")
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND must be filesystem or s3"):
        default_storage_setting()
