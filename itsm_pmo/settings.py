"""Settings for the ITSM/PMO portal, read from the environment.

Unset, everything falls back to the embedded default (SQLite under var/, tasks in-process).
With DEBUG off the defaults are production-safe: `manage.py check --deploy` is clean.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from .env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a random key kept under var/ so sessions survive a restart.
    VAR_DIR.mkdir(exist_ok=True)
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else ["localhost"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Django's own page, except for htmx requests, which get a toast (itsm_pmo/htmx_errors.py).
CSRF_FAILURE_VIEW = "itsm_pmo.errors.csrf_failure"

# --- HTTPS: on by default in production; HTTPS=0 serves plain HTTP (tests, a local proxy).
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# X-Forwarded-Proto says "this came over HTTPS" only when a proxy we run set it. Directly
# exposed, any client could send it and make a plain-HTTP request count as secure (secure
# cookies sent in the clear, no redirect); so it is trusted only when the deployment says
# that a TLS-terminating proxy sits in front and overwrites the header.
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", default=False)
if TRUST_X_FORWARDED_PROTO:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content security policy (Django's own middleware): only this origin's files may run or
# style the page, nothing inline. No nonce: signed-in pages are kept and answered again by
# the page cache, where a per-response nonce would be stale. Templates hold no inline
# script, style element, style attribute or event handler (tests/platform/test_no_inline_code.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Bootstrap draws checkboxes, selects and close buttons with data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text search fields and expressions (knowledge); harmless on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "itsm_pmo",
    "portfolio",
    "resources",
    "changes",
    "handover",
    "knowledge",
]

MIDDLEWARE = [
    # First, so that every answer (a cached page, a 500) carries the id its log lines carry.
    "itsm_pmo.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache: a kept page gets the policy of the moment it is answered.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "itsm_pmo.middleware.PageLoginRequiredMiddleware",
    # After the sign-in check: a NUL in a form field or a parameter is a 400 before any view.
    "itsm_pmo.nul_guard.RefuseNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the page cache, which answers kept pages for the session's user.
    "itsm_pmo.session_timeout.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a sign-in that django-axes refused into the lockout page or body (itsm_pmo/lockout.py).
    "axes.middleware.AxesMiddleware",
    "itsm_pmo.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "itsm_pmo.urls"
WSGI_APPLICATION = "itsm_pmo.wsgi.application"

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
                "itsm_pmo.context_processors.navigation",
                "itsm_pmo.page_cache.csrf_placeholder",
            ],
            # Dates, names and text limits as every page shows them (itsm_pmo/templatetags).
            "builtins": ["itsm_pmo.templatetags.portal"],
        },
    },
]

# --- Database: DATABASE_URL, or a SQLite file under var/ (the embedded default).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # WAL and a busy timeout let the dev server and in-process tasks share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Logins, tokens and sessions (docs/reliability.md, "Logins and tokens").
# How many proxies of ours add to X-Forwarded-For; 0 (the default) trusts none and counts
# every lockout and rate by REMOTE_ADDR (itsm_pmo/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AUTHENTICATION_BACKENDS = [
    "itsm_pmo.auth_backends.LockoutBackend",  # refuses a locked-out username or address first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# Locked out after this many failures per username, and separately per address, within the
# cool-off; every failure during a lockout starts the cool-off again.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "itsm_pmo.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "itsm_pmo.lockout.lockout_response"
# A success does not wipe the count: it would wipe the address's too, so a client holding
# one account could reset its count between guesses at another.
AXES_RESET_ON_SUCCESS = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every start; failures and lockouts are still logged
# API tokens are accepted this many days after they were issued (itsm_pmo/tokens.py).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
# A signed-in session ends this long after sign-in, or after this long without a request;
# "last seen" is written at most every SESSION_TOUCH_SECONDS (itsm_pmo/session_timeout.py).
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 2 * 3600)
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 300)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files: our own under static/, the front-end libraries from node_modules
# (installed from the npm registry by the set-up, never committed), served by whitenoise.
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
# Hashed, compressed names (`app.3f1c….js`, cached for ever by browsers and proxies) once
# `collectstatic` has written its manifest; the collect itself must be told to hash
# (STATIC_HASHED=1: the image build and `make static` do), since there is no manifest yet.
STATIC_COLLECTED = (STATIC_ROOT / "staticfiles.json").exists()
STATIC_HASHED = env_bool("STATIC_HASHED", default=STATIC_COLLECTED)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/sortablejs", NODE_MODULES / "sortablejs"),
    ("vendor/inter", NODE_MODULES / "@fontsource-variable" / "inter"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Before a hashed collect (development, tests) files are served as they are.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the finders when nothing was collected (development, tests).
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_MANIFEST_STRICT = False

# --- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
        "itsm_pmo.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["itsm_pmo.api_permissions.RoleModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "itsm_pmo.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "itsm_pmo.filters.ApiFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "itsm_pmo.schema.ApiSchema",
    "EXCEPTION_HANDLER": "itsm_pmo.api.exception_handler",
    # Counted in the shared cache (itsm_pmo/throttles.py). A person at the pages makes a few
    # API calls a minute, a script a few a second: 1200/min per user leaves both room and
    # stops a runaway loop; anonymous calls are only the token endpoint and refusals.
    "DEFAULT_THROTTLE_CLASSES": [
        "itsm_pmo.throttles.UserThrottle",
        "itsm_pmo.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_RATE_USER", "1200/min"),
        "anon": env_str("API_RATE_ANON", "120/min"),
        "token": env_str("API_RATE_TOKEN", "20/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITSM/PMO portal API",
    "DESCRIPTION": (
        "One API for the portfolio, resources, changes, handover and knowledge. "
        "Lists paginate (`page`, `page_size` up to 500) and filter like their pages; "
        "stateful objects move with `POST …/{id}/transition/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set used by several fields.
    "ENUM_NAME_OVERRIDES": {
        "CoverEnum": "portfolio.choices.Cover",
        "ChangeRiskEnum": "changes.choices.Risk",
        "HandoverStateEnum": "handover.choices.HandoverState",
        "IncidentLevelEnum": "handover.choices.Level",
        "IncidentStateEnum": "handover.choices.IncidentState",
        "ProblemStateEnum": "handover.choices.ProblemState",
        "MajorIncidentStateEnum": "handover.incidents.major.choices.MajorIncidentState",
        "KnowledgeStateEnum": "knowledge.choices.KnowledgeState",
        "KnowledgeImpactEnum": "knowledge.choices.Impact",
    },
}

# --- Cache: Redis when CACHE_URL says so (production, the load benchmark), else this process's
# memory. Only what can be computed again is cached, and a Redis outage is a miss, not an
# error (itsm_pmo/cache.py). Sessions are read from the cache in front of the database.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": {
        "BACKEND": "itsm_pmo.cache.TolerantRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "itsm_pmo",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if CACHE_URL.startswith("redis")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery: a broker URL runs tasks on workers; unset, tasks run in-process (eagerly).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Signed-in reads kept per user until any write or the minute turns (itsm_pmo/page_cache.py).
# On by default only where every process sees one cache: Redis, or one process running its
# tasks in-process; a worker with a memory cache of its own could not make pages stale.
PAGE_CACHE_SECONDS = env_int(
    "PAGE_CACHE_SECONDS", 60 if CACHE_URL.startswith("redis") or not CELERY_BROKER_URL else 0
)
# The navigation's count of what waits in a user's inbox is kept per user while the tables it
# read are unchanged, for the minute at most (itsm_pmo/home.py); 0 counts on every page. Off
# where the page cache is off, for the same reason (one cache every process sees).
MY_WORK_COUNT_SECONDS = env_int("MY_WORK_COUNT_SECONDS", 60 if PAGE_CACHE_SECONDS else 0)
# The header's count of unread notifications, kept per user while the notification table is
# unchanged (itsm_pmo/notifications/selectors.py); 0 counts on every page. Off where the page
# cache is off, for the same reason.
NOTIFICATION_COUNT_SECONDS = env_int("NOTIFICATION_COUNT_SECONDS", 300 if PAGE_CACHE_SECONDS else 0)
# Results are off unless a task asks for them; they go to the broker's Redis by default.
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
)
CELERY_TASK_IGNORE_RESULT = True
# A task's message is acknowledged when the task ends, not when it starts: a worker killed
# mid-task (OOM, kill -9, a lost machine) leaves the message to be delivered again. A child
# process that dies is rejected back to the queue at once; a whole worker that dies leaves
# its message unacknowledged, and Redis hands it out again after the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message reserved at a time: a killed worker strands one message, not a prefetch batch.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With late acknowledgement a broker connection lost mid-task redelivers the message; the
# task still running here is cancelled rather than finishing beside its second delivery.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Redis redelivers a message not acknowledged within the visibility timeout. Every time limit
# (and every retry's countdown, which the worker holds unacknowledged) must end well before
# it, or a task still running would be handed to a second worker beside itself.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - max(1, CELERY_TASK_TIME_LIMIT // 10)
BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # A broker that vanishes without closing the connection would hang a publish (made after
    # a request's commit, in the request) for ever: give up after seconds, and the caller
    # keeps the work for later (itsm_pmo/tasks.py, resources/planning.py).
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
if CELERY_TASK_TIME_LIMIT >= BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        f"CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT} s) must be below "
        f"CELERY_VISIBILITY_TIMEOUT ({BROKER_VISIBILITY_TIMEOUT} s): a task still running "
        "would be delivered to a second worker"
    )
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs for celery beat; each app adds its entry here as it gains one.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "capacity-nightly": {
        "task": "resources.tasks.nightly_recompute",
        "schedule": crontab(hour=2, minute=15),
    },
    "outbox-sweep": {
        "task": "itsm_pmo.tasks.send_pending_tasks",
        "schedule": crontab(minute="*"),
    },
    "capacity-sweep": {
        "task": "resources.tasks.sweep_dirty_plan",
        "schedule": crontab(minute="*/5"),
    },
    # Service levels: warn at 75 % and escalate at breach (docs/sla.md).
    "sla-sweep": {
        "task": "handover.tasks.sla_sweep",
        "schedule": float(env_int("SLA_SWEEP_SECONDS", 60)),
    },
}

# --- Capacity engine
PLAN_HORIZON_WEEKS = env_int("PLAN_HORIZON_WEEKS", 104)
# A handover with mandatory checks open this many days before go-live is a conflict.
HANDOVER_READY_DAYS = env_int("HANDOVER_READY_DAYS", 14)
OVERALLOCATION_THRESHOLD = float(env_str("OVERALLOCATION_THRESHOLD", "1.0"))  # 1.0 = 100 %
SNAPSHOTS_KEPT = env_int("SNAPSHOTS_KEPT", 3)
# A burst of edits yields one run: the worker waits for this many quiet seconds (but never
# keeps a dirty plan waiting longer than the maximum). A person saves a form once a second at
# most, a script many times a second: 0.3 s keeps a script's burst to one run and a single
# edit's conflict within a second (the recompute itself takes about half a second).
# A side effect that failed after its commit is tried again this many seconds later, in turn
# (itsm_pmo/tasks.py:enqueue_after_commit).
AFTER_COMMIT_RETRY_SECONDS = (1.0, 5.0, 30.0)
RECOMPUTE_QUIET_SECONDS = env_float("RECOMPUTE_QUIET_SECONDS", 0.3)
RECOMPUTE_MAX_WAIT_SECONDS = env_int("RECOMPUTE_MAX_WAIT_SECONDS", 30)

# Django 6.1 mailers: SMTP in production (EMAIL_HOST…), printed to the console in development.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
_MAIL_BACKEND = env_str("EMAIL_BACKEND", _CONSOLE if DEBUG else _SMTP)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        }
        if _MAIL_BACKEND == _SMTP
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
# Where the portal is reached, for links in emails (which have no request to build them from).
PORTAL_URL = env_str("PORTAL_URL", "http://localhost:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line carries the id of the request it was written for ("-" outside a request),
    # the id the client got in X-Request-ID and on the error page.
    "filters": {"request_id": {"()": "itsm_pmo.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Problem management (docs/decisions.md, "Problem management"): this many incidents on one
# configuration item (or service, when they name no item) within this many days, none of them
# under a problem yet, look recurring, and their pages suggest opening a problem.
RECURRING_INCIDENT_COUNT = env_int("RECURRING_INCIDENT_COUNT", 3)
RECURRING_INCIDENT_DAYS = env_int("RECURRING_INCIDENT_DAYS", 30)
