"""Settings for verify: everything comes from the environment, with safe local defaults.

See README.md ("Configuration") for the variables. Booleans accept 1/0, true/false, yes/no,
on/off; anything else stops start-up with a message naming the variable.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from verify.envconf import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state that never goes into git: the SQLite file, the embedded broker's folders, the
# generated secret key and the demo passwords.
VAR_DIR = Path(env_str("VERIFY_VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", default=True)


def _local_secret_key() -> str:
    """A key generated once per checkout and kept in var/, so every local process shares it."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "verify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "verify.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "verify.middleware.RequestTooBigMiddleware",  # the 413 page with DEBUG on too
]

ROOT_URLCONF = "verify.urls"
WSGI_APPLICATION = "verify.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "django_htmx.templatetags.django_htmx",
                "django.templatetags.i18n",
                "django.templatetags.static",
                "verify.templatetags.verify_tags",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker write to one file: WAL lets readers go on during a
    # write, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlock), and the timeout
    # waits for a busy lock instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file too (not :memory:), so a worker thread or process sees the same database;
    # one per test process, so two test runs side by side do not delete each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("SQLITE_TEST_NAME") or str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling (django-axes) goes first
    "django.contrib.auth.backends.ModelBackend",
]
# After LOGIN_FAILURE_LIMIT failed logins for one username from one address, that pair is locked
# out for LOGIN_LOCKOUT_MINUTES (HTTP 429 and a page that says so).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "verify:article_list"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

WHITENOISE_AUTOREFRESH = DEBUG

# --- Security (production) ------------------------------------------------------------------
# HTTPS defaults to on whenever DEBUG is off; HTTPS=0 allows plain-HTTP use on a trusted network.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=HTTPS)
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: messages are files in var/broker/, so a real worker process runs
    # with no server to install. Processed messages are renamed inside the same folder tree
    # (an atomic rename, so two worker processes never take the same message).
    _broker = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "queue"),
        "data_folder_out": str(_broker / "queue"),
        "control_folder": str(_broker / "control"),
        "processed_folder": str(_broker / "processed"),
        "store_processed": True,
        # Look for new messages every 0.1 s, not kombu's default 1 s.
        "polling_interval": 0.1,
    }
    # kombu's filesystem transport with atomic message writes (see verify/broker.py).
    CELERY_BROKER_TRANSPORT = "verify.broker:Transport"
# One broker can serve several verify installations (or a test run beside `make run`): each
# keeps its tasks on its own queue.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "verify")
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A Redis that stops answering without closing its sockets would otherwise block a request
    # that queues a task for as long as it stays frozen.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 1, "socket_connect_timeout": 1}
CELERY_TASK_IGNORE_RESULT = True
# A task's time limit (seconds): the worker kills a task past it (prefork pool), and it bounds a
# task's lease on shared work. The threads pool of the Procfile cannot kill a thread, so each
# task also bounds itself: a fetch by VERIFY_FETCH_TOTAL_TIMEOUT, an ingest by the article limit.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 30)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task must not hang while the broker is down: fail fast, say so,
# and leave the work to the sweeper.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Periodic tasks, run by `celery beat` (the Procfile's `beat` process): the sweeper re-queues
# fetches a killed worker or lost message left behind; the re-check looks for link rot and drift.
CELERY_BEAT_SCHEDULE = {
    "sweep-fetches": {"task": "verify.tasks.sweep_fetches", "schedule": env_int("VERIFY_SWEEP_EVERY", 60)},
    "recheck-evidence": {
        "task": "verify.tasks.recheck_evidence",
        "schedule": env_int("VERIFY_RECHECK_EVERY", 24 * 3600),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Only the project's own scripts and styles; no inline code, no third-party origins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# --- verify ---------------------------------------------------------------------------------
# The newsroom that publishes the fact-checks (ClaimReview "author") and the address where this
# installation is reached (absolute links in CSV exports and JSON-LD).
VERIFY_NEWSROOM_NAME = env_str("VERIFY_NEWSROOM_NAME", "verify demo newsroom")
VERIFY_NEWSROOM_URL = env_str("VERIFY_NEWSROOM_URL", "https://newsroom.example")
VERIFY_PUBLIC_URL = env_str("VERIFY_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Fetching evidence pages (verify/fetch/; the policy: verify/services/policy.py): timeouts in
# seconds, the body limit, redirects, the ports allowed besides the defaults, and how many
# requests one host gets at once.
VERIFY_FETCH_CONNECT_TIMEOUT = env_int("VERIFY_FETCH_CONNECT_TIMEOUT", 5)
VERIFY_FETCH_READ_TIMEOUT = env_int("VERIFY_FETCH_READ_TIMEOUT", 15)
VERIFY_FETCH_TOTAL_TIMEOUT = env_int("VERIFY_FETCH_TOTAL_TIMEOUT", 30)
VERIFY_FETCH_MAX_BYTES = env_int("VERIFY_FETCH_MAX_BYTES", 5 * 1024 * 1024)
VERIFY_FETCH_MAX_REDIRECTS = env_int("VERIFY_FETCH_MAX_REDIRECTS", 5)
VERIFY_FETCH_ALLOWED_PORTS = [int(p) for p in env_list("VERIFY_FETCH_ALLOWED_PORTS", ["80", "443"])]
# The page-text step after the download: at most this much HTML (scripts and styles dropped
# first) reaches the text extractor, which runs in a child process killed after this many seconds.
VERIFY_FETCH_MAX_EXTRACT_BYTES = env_int("VERIFY_FETCH_MAX_EXTRACT_BYTES", 1024 * 1024)
VERIFY_FETCH_EXTRACT_TIMEOUT = env_int("VERIFY_FETCH_EXTRACT_TIMEOUT", 20)
# A dotted path to a callable returning the FetchPolicy to use instead of the one built from these
# settings; empty: that one. Code only, never from the environment: tests inject a loopback policy.
VERIFY_FETCH_POLICY = ""
VERIFY_FETCH_PER_HOST = env_int("VERIFY_FETCH_PER_HOST", 2)
VERIFY_CONTACT = env_str("VERIFY_CONTACT", "")
VERIFY_FETCH_MAX_ATTEMPTS = env_int("VERIFY_FETCH_MAX_ATTEMPTS", 5)
# A link or URL ingest still pending this many seconds after it was asked for is queued again by
# the sweeper.
VERIFY_FETCH_SWEEP_AFTER = env_int("VERIFY_FETCH_SWEEP_AFTER", 120)
# Largest article accepted, in characters of text (pasted, uploaded or fetched).
VERIFY_MAX_ARTICLE_CHARS = env_int("VERIFY_MAX_ARTICLE_CHARS", 200_000)
# Most claims one article may have (ingest and re-extraction). A long feature has a few hundred
# sentences, and 200,000 characters of prose about 1,700; 100,000 two-character "sentences" fit
# the character limit too, and would make a review page nobody can work through and a write
# that holds the database for minutes. At 2,000 the write takes a few seconds at most.
VERIFY_MAX_CLAIMS_PER_ARTICLE = env_int("VERIFY_MAX_CLAIMS_PER_ARTICLE", 2_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
