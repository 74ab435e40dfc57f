"""The project's one settings module, driven by environment variables (see README, Configuration).

With no environment at all it runs the embedded default: SQLite under ``var/``, Celery tasks
in-process, e-mail to files under ``var/mail/``, media on local disk. ``DJANGO_ENV=production``
turns debug off and demands a real secret key; everything else is read through ``config.env``
helpers that refuse bad values at start-up.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.utils import CryptographyDeprecationWarning
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("APP_VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "production", "test"))
PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET = "dev-insecure-secret-key-only-for-local-development-never-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else _DEV_SECRET, required=PRODUCTION)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY or "") < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_fsm",
    "django_fsm_log",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "assessments",
    "reporting",
    "appeals",
    "demo",  # demo data and the demo cycle: last, and imported by no other app
]

# Transitions' log rows (django-fsm-log) take "now" from the application clock.
DJANGO_FSM_LOG_STORAGE_METHOD = "assessments.kernel.statelog_clock.ClockBackend"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page with the message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "assessments.portal.context_processors.cycle",
                "assessments.portal.context_processors.navigation",
                "reporting.signing.web.signing_context",
            ],
        },
    },
]

# --- Database: DATABASE_URL takes sqlite:///path and postgres://... URLs -------------------------
_default_db = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_db),
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0, minimum=0),
        )
    }
except ValueError as exc:  # dj-database-url says what it could not read
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_name = DATABASES["default"].get("NAME") or ""
    if _sqlite_name and _sqlite_name != ":memory:":  # a fresh clone has no var/ yet
        Path(_sqlite_name).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assessments.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 3600, minimum=300)

# Lockout after repeated failed logins (django-axes): per account AND address together, so five
# wrong passwords on one account lock that account from that address only — never everyone
# behind the same address (an office's NAT, a proxy). Separately, an address is rate-limited
# after AXES_ADDRESS_FAILURE_LIMIT failures on any accounts (password spraying), by the login
# view (assessments/portal/views/auth.py). Unlocks by itself after the cool-off, or when an
# administrator deletes the attempts in the admin.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "assessments.portal.views.auth.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy, the number of proxies that append to X-Forwarded-For (0: none).
_AXES_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0)
if _AXES_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = _AXES_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# --- Languages and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("kk", _("Қазақша")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One zone for the whole republic since 1 March 2024 (UTC+5); IANA still calls it Asia/Almaty.
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------------
# Development writes each e-mail to a file under var/mail/ (the demo's notifications also reach the
# in-app list), so `make run` does not print screens of e-mails; elsewhere the console by default.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DJANGO_ENV == "development"
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@assessment.example.kz")
# The application's address, for links in e-mails (notifications).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Celery: Redis when REDIS_URL is set, otherwise tasks run in-process --------------------------
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A dead broker answers at once: no retries on publish, a short connect timeout (the outbox of
# assessments/kernel/leases.py sends the message later).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Leases of background jobs (assessments/kernel/leases.py): a running job's worker renews its
# heartbeat every JOBS_HEARTBEAT_SECONDS; one silent for JOBS_LEASE_SECONDS is resumed or failed
# by the sweep (beat, every JOBS_SWEEP_SECONDS); a message sent and not started after
# JOBS_RESEND_AFTER_SECONDS is sent again; finished task rows are kept JOBS_KEEP_DAYS.
# The check of an uploaded file's content runs in a subprocess under this address-space cap and
# hard timeout (assessments.kernel.uploads.probe): a bomb costs that process, and is refused.
UPLOAD_PROBE_MEMORY_MB = env_int("UPLOAD_PROBE_MEMORY_MB", 1024, minimum=128)
UPLOAD_PROBE_TIMEOUT_SECONDS = env_int("UPLOAD_PROBE_TIMEOUT_SECONDS", 300, minimum=5)
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 15, minimum=1)
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 90, minimum=1)
JOBS_SWEEP_SECONDS = env_int("JOBS_SWEEP_SECONDS", 60, minimum=1)
JOBS_RESEND_AFTER_SECONDS = env_int("JOBS_RESEND_AFTER_SECONDS", 900, minimum=1)
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 30, minimum=1)
# Tests only (the fault tests' workers, tests/worlds/workers.py): a directory where a job's
# ``fault_point`` waits while a hold file is there. Empty (always, outside those tests): inert.
JOBS_FAULT_DIR = env_str("JOBS_FAULT_DIR", "")
if PRODUCTION and JOBS_FAULT_DIR:
    raise ImproperlyConfigured("JOBS_FAULT_DIR is for the fault tests only, never in production.")
CELERY_BEAT_SCHEDULE: dict = {
    # Jobs whose worker was lost resumed or failed, the outbox sent (assessments/kernel/leases.py).
    "jobs-sweep": {
        "task": "assessments.tasks.jobs_sweep",
        "schedule": timedelta(seconds=JOBS_SWEEP_SECONDS),
    },
    "calendar-sanity": {
        "task": "assessments.tasks.calendar_heartbeat",
        "schedule": timedelta(hours=24),
    },
    # Reminders of report deadlines and of reports waiting for review (idempotent).
    "submission-reminders": {
        "task": "assessments.tasks.submission_reminders",
        "schedule": timedelta(hours=6),
    },
    # Imports validated and left unapplied for two days: staged rows deleted, batch discarded.
    "imports-staging-expire": {
        "task": "assessments.tasks.import_staging_expire",
        "schedule": timedelta(hours=6),
    },
    # Objection windows close at the end of their last day (Asia/Almaty, p.109, p.111).
    "conclusion-windows-close": {
        "task": "assessments.tasks.conclusion_windows_close",
        "schedule": timedelta(minutes=15),
    },
    # The body's term to sign the reconciliation act (p.19–20): reminders, then "close it".
    "reverification-act-terms": {
        "task": "assessments.tasks.reverification_act_terms",
        "schedule": timedelta(hours=6),
    },
    # Appeals (p.113–121): the commission's 15 days (reminders, escalation) and hand-overs.
    "appeals-objections-due": {
        "task": "appeals.tasks.objections_due",
        "schedule": timedelta(hours=1),
    },
    "appeals-handovers-due": {
        "task": "appeals.tasks.handovers_due",
        "schedule": timedelta(hours=6),
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Security (checked by `manage.py check --deploy` in a test) -----------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy and Permissions-Policy (config/security.py): on in production, and
# wherever SECURITY_HEADERS is set; NCALayer's socket is allowed on the signing pages only.
SECURITY_HEADERS = env_bool("SECURITY_HEADERS", PRODUCTION)
# Every signing page (docs/signing.md, "Sign pages"); a view may also mark its response
# (reporting.signing.web.ncalayer_page).
CSP_NCALAYER_VIEWS = frozenset({
    "reporting:signed_document_sign", "conclusions:conclusion_sign",
    "conclusions:conclusion_signing_queue", "reverification:reverification_act",
    "appeals:objection_sign", "appeals:objection_acknowledge", "appeals:objection_file_sign",
})
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "assessments.api.schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "assessments.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["assessments.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "assessments.api.filters.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["assessments.api.filters.QueryFilters",
                                "assessments.api.filters.Ordering"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "assessments.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
# Requests per token (or signed-in user) and period: "600/min", "20000/hour" …
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Operational assessment API",
    "DESCRIPTION": "Cycles, bodies, scores, conclusions, reports and data imports of the "
                   "operational assessment of state bodies (docs/api.md).",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the vendored sidecar (no CDN): works offline, under the CSP
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ScoreDirectionEnum": "assessments.models.ScoreSheet.Direction",
        "ReportDirectionEnum": "assessments.models.Direction",
        "ConclusionDirectionEnum": "assessments.models.ConclusionDirection",
        "OrganisationKindEnum": "assessments.models.Organisation.Kind",
        "ImportKindEnum": "assessments.models.ImportKind",
        "ReportStateEnum": "assessments.models.Report.State",
        "ImportStateEnum": "assessments.models.ImportBatch.State",
        "ConclusionStateEnum": "assessments.models.ConclusionState",
    },
}

# --- The application's own settings ---------------------------------------------------------------
# PDF fonts shipped in the repository: they carry the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І.
PDF_FONT_DIR = BASE_DIR / "static" / "fonts"
# A fixed "now" for manage.py commands and demos (ISO 8601); tests use assessments.kernel.clock.
CLOCK_NOW = env_str("CLOCK_NOW", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own "django" logger has a console handler in DEBUG and also propagates to the
        # root: without this every django.* line (runserver's request log aside) printed twice.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "weasyprint": {"level": "ERROR"},
        # "FFTM NOT subset; don't know how to subset; dropped" for each PDF: not ours.
        "fontTools": {"level": "ERROR"},
        # In-process tasks (no REDIS_URL) connect to no broker: kombu's "No hostname" is noise.
        "kombu.connection": {"level": "ERROR"},
    },
}

# pyhanko imports cryptography's DSA key type, which warns "DSA is deprecated" on every start: a
# third-party import, not our use (we sign with RSA/ECDSA). Filtered narrowly: that category and
# message, raised from pyhanko's modules only (pytest has the same filter in pyproject.toml).
warnings.filterwarnings(
    "ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning,
    module=r"pyhanko(\.|$)",
)

# --- Signing (reporting.signing): PAdES B-B, offline; see README, "Signing" -----------------------
# The demo certification authority (root key, issued PKCS#12 files) lives here, never in git.
SIGNING_CA_DIR = Path(env_str("SIGNING_CA_DIR", str(VAR_DIR / "demo-ca")))
# Trust roots for verification: comma-separated PEM/DER files; default the demo CA's root.
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS", [str(SIGNING_CA_DIR / "root-ca.pem")])
LOGGING["loggers"]["pyhanko"] = {"level": "ERROR"}  # untrusted paths are reported, not logged
# How officials sign (docs/signing.md): "demo" — the server signs with the person's PKCS#12 from
# the demo CA, its passphrase asked at each signature (the embedded demo, no configuration);
# "ncalayer" — the page asks NCALayer on the signer's computer for a CMS over the prepared
# data: the key and its PIN never reach the server. Both run the same two phases.
SIGNING_METHOD = env_choice("SIGNING_METHOD", "demo", ("demo", "ncalayer"))
# Where the sign page finds NCALayer (the production Content-Security-Policy's connect-src must
# allow it).
SIGNING_NCALAYER_URL = env_str("SIGNING_NCALAYER_URL", "wss://127.0.0.1:13579")
# A preparation (the first phase) expires after this many minutes.
SIGNING_PREPARATION_MINUTES = env_int("SIGNING_PREPARATION_MINUTES", 5, minimum=1)
# Signers are warned this many days before their certificate expires.
SIGNING_EXPIRY_WARNING_DAYS = env_int("SIGNING_EXPIRY_WARNING_DAYS", 30)
