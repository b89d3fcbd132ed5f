"""Jospar's settings. Every variable is read from the environment; the README lists them."""

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jospar.lib.env import envbool, envint, envlist, envstr
from jospar.lib.storage import default_storage_setting
from jospar.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("JOSPAR_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = envbool("DEBUG", "False")
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: on a server in its environment file "
            "(deploy/jospar.env.example); on a development machine `make run` writes one to "
            f"{VAR_DIR / 'jospar.env'} (or put DEBUG=1 before the command)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # before the admin, as django-modeltranslation asks; what it translates: jospar/translation.py
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "jospar.orgs",
    "jospar.accounts",
    "jospar.strategy",
    "jospar.plans",
    "jospar.monitoring",
    "jospar.reports",
    "jospar.deadlines",
    "jospar.inbox",
    "jospar.documents",
    "jospar.api",
    "jospar.demo",
    "jospar.ops",
    "jospar.notifications",
    "jospar.reminders",
    "jospar.signatures",
    "health_check",
]

MIDDLEWARE = [
    # /health/ is answered before anything else (no session, no host check, no HTTPS redirect).
    "jospar.ops.health.HealthCheckMiddleware",
    # A request id and one log line per request; first after it, so it sees every answer.
    "jospar.ops.logs.RequestLogMiddleware",
    # While the database is unreachable a view's error becomes a 503 (handler500 does the same
    # for a middleware's, DRF's exception handler for the API's).
    "jospar.ops.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A person whose body requires two-factor login and who has no authenticator yet is sent
    # to enrol one before any other page.
    "jospar.accounts.middleware.TwoFactorEnrolmentMiddleware",
    # Last, as django-axes asks: it turns a locked-out attempt's answer into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jospar.urls"
WSGI_APPLICATION = "jospar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if not envstr("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives here
# Connections are reused (DB_CONN_MAX_AGE seconds, 60 by default): a new one per request costs
# a PostgreSQL login each time (15-30% of an autosave). Each of gunicorn's threads keeps its own,
# so a server holds WEB_WORKERS × WEB_THREADS of them at most (keep PostgreSQL's
# max_connections above that). A reused connection is checked before a request uses it, so one
# that died with a database restart is replaced instead of failing the request: the app
# recovers from an outage without a restart of its own. (Django's psycopg pool would hold as
# many, one per thread at once, and add a dependency and a second way of recovering.)
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jospar.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # An unreachable server fails a request in seconds (a 503) instead of holding a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", envint("DB_CONNECT_TIMEOUT", "5")
    )
    # The statements of every request (session, user) and of the autosave are kept prepared
    # by the connection after 5 runs (jospar.lib.reads.prepared_cursor); the ORM's are not.
    DATABASES["default"]["OPTIONS"].setdefault(
        "prepare_threshold", 5 if envbool("DB_PREPARED_STATEMENTS", "True") else None
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers queue for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes counts failed logins (pages, admin and the API's token endpoint alike) and
    # refuses an account or an address that has failed too often, before the password is tried.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the user's read on every request written once as SQL.
    "jospar.accounts.backends.ModelBackend",
]
# Django's database sessions, the read on every request written once as SQL.
SESSION_ENGINE = "jospar.accounts.sessions"
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "jospar.accounts.views.locked_out"
# Two-factor login (django-otp): the name authenticator apps show next to the code, and the
# seconds a password stays good for the second step.
OTP_TOTP_ISSUER = envstr("OTP_ISSUER", "Jospar")
TWO_FACTOR_STEP_SECONDS = 300
# API tokens expire this many hours after they are issued.
API_TOKEN_HOURS = envint("API_TOKEN_HOURS", "24")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = envstr("LANGUAGE_CODE", "ru")
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# What people type that a legal form prints (names, actions, indicators ...) is held in each
# language (django-modeltranslation: `name_kk`, `name_ru`, `name_en` beside `name`, which reads
# the active language's text). Kazakh and Russian are the body's two official languages and
# stand in for each other; English, the optional third, is the last resort of both.
MODELTRANSLATION_LANGUAGES = ("kk", "ru", "en")
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("ru", "kk", "en"),
    "kk": ("ru", "en"),
    "ru": ("kk", "en"),
    "en": ("ru", "kk"),
}
MODELTRANSLATION_TRANSLATION_FILES = ("jospar.translation",)
# the original column keeps a copy; the admin and the forms show each language's field
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and produced files: MEDIA_ROOT on this machine's disk by default, an S3-compatible
# object store shared by every app server with STORAGE_BACKEND=s3 (jospar/lib/storage.py).
STORAGES = {
    "default": default_storage_setting(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_COMPRESS", "True")
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Content-Security-Policy (django-csp) on every response: scripts, styles, images, fonts and
# requests come from this site only; no inline script, inline style or eval anywhere (the
# templates declare behaviour with data attributes that the static jospar.js wires up); no
# plugins, no <base> elsewhere, forms post to this site only, and no other site may frame a
# page. A style element is allowed only with the response's nonce, which django-csp adds to
# the header only where a template used it (the browsable API's syntax highlighting,
# rest_framework/api.html). The API docs page loosens img-src for itself (jospar/api/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "style-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# HTTPS. Each is set from the environment so that `jospar check --deploy` passes with the
# production environment the README documents; the defaults suit a development machine.
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "False")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
# Behind a proxy that terminates TLS: the header that says the original request was HTTPS,
# e.g. `X-Forwarded-Proto` (trust it only when the proxy always sets or strips it).
if envstr("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + envstr("SECURE_PROXY_SSL_HEADER").upper().replace("-", "_"),
        "https",
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "jospar.accounts.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "jospar.api.schema.ErrorsAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "jospar.api.guards.ClampedPagination",
    "DEFAULT_PARSER_CLASSES": [
        "jospar.api.guards.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "jospar.api.base.service_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jospar API",
    "DESCRIPTION": "Operational plans of state bodies: development, approval and monitoring.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "jospar.orgs.models.Role",
        "UnitKindEnum": "jospar.orgs.models.Unit.Kind",
        "IndicatorKindEnum": "jospar.strategy.models.Indicator.Kind",
        "SubmissionStatusEnum": "jospar.monitoring.models.SubmissionStatus",
        "EntryStatusEnum": "jospar.monitoring.models.EntryStatus",
        "RevisionBasisEnum": "jospar.plans.models.RevisionBasis",
        "ReportStatusEnum": "jospar.reports.models.ReportStatus",
        "AmendmentKindEnum": "jospar.reports.models.AmendmentKind",
        "DecisionKindEnum": "jospar.reports.models.DecisionKind",
        "DecisionStatusEnum": "jospar.reports.models.DecisionStatus",
        "LayoutRowKindEnum": "jospar.plans.serializers.ROW_KINDS",
        "StateEnum": "jospar.monitoring.serializers.BOARD_STATES",
        "SignatureUseEnum": "jospar.orgs.models.SignatureUse",
    },
}

# Evidence files: the largest accepted upload, in megabytes.
EVIDENCE_MAX_MB = envint("EVIDENCE_MAX_MB", "20")

# Whether a deadline that falls on a weekend or public holiday moves to the next working day.
DEADLINES_MOVE_OFF_DAYS = envbool("DEADLINES_MOVE_OFF_DAYS", "False")

# A change reason records what a history row cannot hold itself (an action's budget programs).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background work (django-tasks): the tasks wait in the database until `jospar worker` runs
# them. The worker records a heartbeat every WORKER_HEARTBEAT_SECONDS.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", "5")
# /health/ warns when no worker has beaten for this long.
WORKER_HEALTH_SECONDS = envint("WORKER_HEALTH_SECONDS", "60")
# What the worker runs every minute beside the tasks.
WORKER_HOUSEKEEPING = [
    "jospar.documents.services.export_jobs_expire",
    "jospar.notifications.services.housekeeping",
    "jospar.reminders.services.housekeeping",
]

# E-mail (the notifications): Django's SMTP backend configured from the environment; with DEBUG
# and no EMAIL_HOST the console backend prints them, so nothing leaves the machine. SITE_URL
# begins the links in the messages. A daily digest leaves from DIGEST_HOUR (Almaty time) on.
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not envstr("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "False")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "jospar@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
DIGEST_HOUR = envint("DIGEST_HOUR", "18")
# The day's reminders of deadlines leave from REMINDER_HOUR (Almaty time) on.
REMINDER_HOUR = envint("REMINDER_HOUR", "9")

# A PDF or DOCX form of more actions than this is made by the worker, not in the request; its
# file is kept in the default storage for EXPORT_KEEP_HOURS, then deleted.
EXPORT_BACKGROUND_ACTIONS = envint("EXPORT_BACKGROUND_ACTIONS", "300")
EXPORT_KEEP_HOURS = envint("EXPORT_KEEP_HOURS", "24")
# A job still running this long after it started lost its worker and is marked failed.
EXPORT_RUNNING_MINUTES = envint("EXPORT_RUNNING_MINUTES", "30")

# Logs on standard error through structlog (jospar/ops/logs.py): a JSON object a line in
# production (LOG_FORMAT=json, the default with DEBUG off), a readable line with DEBUG
# (LOG_FORMAT=console). Request lines and audit lines are logged whatever LOG_LEVEL says.
LOG_FORMAT = envstr("LOG_FORMAT", "console" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "console"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or console, got {LOG_FORMAT!r}")
LOGGING = logging_config(json=LOG_FORMAT == "json", level=envstr("LOG_LEVEL", "WARNING"))

# The digital signature (EDS, jospar.signatures): which backend verifies a CMS ("builtin": RSA
# keys, here, with asn1crypto and cryptography; "ncanode": an NCANode server at NCANODE_URL,
# which GOST keys need), the PEM file of the trusted root certificates (the builtin backend) and
# how long to wait for NCANode.
SIGNATURE_BACKEND = envstr("SIGNATURE_BACKEND", "builtin").strip().lower()
if SIGNATURE_BACKEND not in {"builtin", "ncanode"}:
    raise ImproperlyConfigured(
        f"SIGNATURE_BACKEND must be builtin or ncanode, got {SIGNATURE_BACKEND!r}"
    )
SIGNATURE_TRUSTED_ROOTS = envstr("SIGNATURE_TRUSTED_ROOTS")
# The certificate revocation lists the builtin backend checks (files, PEM or DER, comma
# separated; kept up to date outside Jospar, e.g. downloaded from NCA daily): a certificate of
# the chain that a list of its issuer names is refused as revoked.
SIGNATURE_CRLS = envlist("SIGNATURE_CRLS")
NCANODE_URL = envstr("NCANODE_URL")
NCANODE_TIMEOUT = envint("NCANODE_TIMEOUT", "20")
# Where the signing pages reach NCALayer on the person's own computer (its WebSocket); a page
# that signs adds it to its Content-Security-Policy's connect-src.
NCALAYER_URL = envstr("NCALAYER_URL", "wss://127.0.0.1:13579/")
