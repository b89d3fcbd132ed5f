"""Jospar's settings. Every variable is read from the environment; the README lists them."""

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jospar.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("JOSPAR_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = envbool("DEBUG", "False")
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (on a development machine, DEBUG=1 "
            "before the command runs it against the local demo database)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
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
    "jospar.orgs",
    "jospar.accounts",
    "jospar.strategy",
    "jospar.plans",
    "jospar.monitoring",
    "jospar.reports",
    "jospar.deadlines",
    "jospar.documents",
    "jospar.api",
    "jospar.demo",
]

MIDDLEWARE = [
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
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jospar.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
    )
}
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
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "jospar.accounts.views.locked_out"
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
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
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

SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "jospar.accounts.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
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
    },
}

# Evidence files: the largest accepted upload, in megabytes.
EVIDENCE_MAX_MB = envint("EVIDENCE_MAX_MB", "20")

# Whether a deadline that falls on a weekend or public holiday moves to the next working day.
DEADLINES_MOVE_OFF_DAYS = envbool("DEADLINES_MOVE_OFF_DAYS", "False")

# A change reason records what a history row cannot hold itself (an action's budget programs).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
