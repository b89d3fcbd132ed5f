"""Where uploaded and produced files are kept: the local file system, or an S3-compatible object
store (django-storages) so that several app servers share them. Everything reaches the files
through Django's storage API (`default_storage`, a `FileField`'s storage), never by a path."""

from django.core.exceptions import ImproperlyConfigured

from jospar.lib.env import envstr

FILESYSTEM = "filesystem"
S3 = "s3"
# Each keyword of s3_options and the environment variable that gives it.
S3_VARIABLES = {
    "bucket": "S3_BUCKET",
    "endpoint_url": "S3_ENDPOINT_URL",
    "access_key": "S3_ACCESS_KEY_ID",
    "secret_key": "S3_SECRET_ACCESS_KEY",
    "region": "S3_REGION",
    "prefix": "S3_PREFIX",
}


def s3_options(
    *,
    bucket: str,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    prefix: str = "",
) -> dict:
    """The S3Storage options of a private bucket: objects get no ACL of their own (the bucket's
    default, private), URLs are never handed out (downloads go through Jospar's permission-
    checked views), and a name already taken is never overwritten."""
    if not bucket:
        raise ImproperlyConfigured("S3_BUCKET must be set when STORAGE_BACKEND is s3.")
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        # Empty: boto3's own chain (AWS_* variables, an instance role) finds the credentials.
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "location": prefix.strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "signature_version": "s3v4",
        # Most S3-compatible servers on a closed network (MinIO, Ceph) answer on one host name.
        "addressing_style": "path" if endpoint_url else None,
        # A download larger than this is spooled to a temporary file, not held in memory.
        "max_memory_size": 5 * 1024 * 1024,
    }


def default_storage_setting() -> dict:
    """STORAGES["default"] from STORAGE_BACKEND and the S3_* variables."""
    backend = envstr("STORAGE_BACKEND", FILESYSTEM).strip().lower()
    if backend == FILESYSTEM:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend == S3:
        options = {keyword: envstr(name) for keyword, name in S3_VARIABLES.items()}
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(**options)}
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be {FILESYSTEM} or {S3}, got {backend!r}.")


def walk(storage, folder: str = ""):
    """Every file name under folder in storage, depth first (both backends list folders); none
    under a folder of the file system that nobody has written to yet."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(dirs):
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)
