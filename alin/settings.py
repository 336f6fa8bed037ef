"""Settings for the AL'in portal: one module, every value read from the environment.

The defaults make a fresh checkout run (SQLite, tasks run in-process, emails printed
to the console). Production sets DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=false; nothing else differs between machines.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Production unless told otherwise: forgetting DEBUG must never expose tracebacks or
# sign with a known key. `make run`, `make test` and `.ci/run` set DEBUG=true.
DEBUG = env.bool("DEBUG", default=False)
# DEBUG as the environment set it: the test runner turns settings.DEBUG off, and what
# must never run in production (the demo data) asks this instead.
DEVELOPMENT = DEBUG
# Development only: a published key, refused in production (alin/production.py).
SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-key" if DEBUG else "")
if not DEBUG:
    from alin.production import require_real_secret_key

    require_real_secret_key(SECRET_KEY)
# Host names the portal answers to (comma-separated).
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# Origins allowed to POST besides the portal's own host, e.g. http://127.0.0.1:8000.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base of the links in emails (no trailing slash).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "phonenumber_field",
    "simple_history",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Project apps, in dependency order: an app only imports apps above it.
    "core",
    "territoires",
    "accounts",
    "demandes",
    "offres",
    "candidatures",
    "entreprises",
    # Project level: may import every app above.
    "api",
]

MIDDLEWARE = [
    # First: forwarded headers are dropped unless they come from the trusted proxy.
    "alin.proxy.TrustedProxyMiddleware",
    # Request id, user, path, status and duration in every log line (core/observability.py).
    "core.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Personal pages and files are never cached (Cache-Control: private, no-store).
    "core.middleware.PrivateNoStoreMiddleware",
    # PostgreSQL refuses NUL in text: such input gets a 400 page, never a 500.
    "core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff enter the admin only with a second factor (accounts/second_factor.py).
    "accounts.second_factor.StaffSecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# The benchmark reads the SQL query count of each response from a header.
if env.bool("BENCH_QUERY_COUNT", default=False):
    MIDDLEWARE.insert(0, "core.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "alin.urls"
WSGI_APPLICATION = "alin.wsgi.application"

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
                "core.context_processors.site",
                "candidatures.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    # The primary database: postgres://user:password@host:5432/name (SQLite by default).
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Seconds a database connection is reused (0: one per request).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Scaling out: a read replica for the search pages (see alin/db_routers.py).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASE_ROUTERS = ["alin.db_routers.SearchReplicaRouter"]
    MIDDLEWARE.append("alin.db_routers.ReplicaForPublicSearchMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator"},
    {"NAME": "accounts.validators.DigitValidator"},
    # The guide's order ("Mise à jour du mot de passe"): length, digit, user name, cases.
    {"NAME": "accounts.validators.NotUsernameValidator"},
    {"NAME": "accounts.validators.UppercaseValidator"},
    {"NAME": "accounts.validators.LowercaseValidator"},
    # Beyond the guide: neither a common password nor one close to the person's names.
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
]

# Language of the interface (French).
LANGUAGE_CODE = env("LANGUAGE_CODE", default="fr-fr")
LANGUAGES = [("fr", "Français")]
# Time zone of dates shown and of the periodic tasks.
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes the static files (served by whitenoise).
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
# Uploaded files (offer photos); served by nginx's /media/ location in production.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
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
WHITENOISE_USE_FINDERS = DEBUG

# --- Redis: broker and cache when configured; in-process otherwise -------------
# Redis: Celery broker and Django cache; unset: tasks run in-process, cache in memory.
REDIS_URL = env("REDIS_URL", default="")
# After a Redis failure, skip Redis for this long in this process (core/redis_guard.py).
REDIS_RETRY_AFTER_SECONDS = env.int("REDIS_RETRY_AFTER_SECONDS", default=5)
if REDIS_URL:
    CACHES = {
        "default": {
            # Falls back to a local cache when Redis is refused or hung (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Prefix of the cache keys (several installations on one Redis).
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="alin"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Run tasks in the web process even with Redis (debugging only).
    CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died is handed to another worker after this delay (acks_late).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    # Above the workers' 1 s BRPOP; web processes publish from a background thread
    # (core/outbox.py), so a hung broker never holds a request.
    "socket_timeout": 5,
}
# When the broker is down, fail fast: the email stays in the outbox and the periodic
# task re-queues it, rather than holding the applicant's request for seconds.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# One queue per kind of work, so that workers scale per queue (emails first).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "core.tasks.*": {"queue": "emails"},
    "offres.tasks.send_alert_digests": {"queue": "alerts"},
    "offres.tasks.match_new_offer": {"queue": "alerts"},
    "offres.tasks.send_immediate_alerts": {"queue": "alerts"},
    "offres.tasks.close_expired_offers": {"queue": "housekeeping"},
    "candidatures.tasks.*": {"queue": "housekeeping"},
    "accounts.tasks.*": {"queue": "housekeeping"},
    "demandes.tasks.*": {"queue": "housekeeping"},
    "api.tasks.*": {"queue": "housekeeping"},
}
CELERY_BEAT_SCHEDULE = {
    # Recovers emails of dead workers within OUTBOX_LEASE_SECONDS + 30 s (core/outbox.py).
    "dispatch-outbox": {"task": "core.tasks.dispatch_outbox", "schedule": 30.0},
    "close-expired-offers": {"task": "offres.tasks.close_expired_offers", "schedule": 3600.0},
    "send-alert-digests": {"task": "offres.tasks.send_alert_digests", "schedule": 3600.0},
    "send-immediate-alerts": {"task": "offres.tasks.send_immediate_alerts", "schedule": 300.0},
    "end-stale-candidatures": {"task": "candidatures.tasks.end_stale", "schedule": 3600.0},
    "purge-sent-emails": {
        "task": "core.tasks.purge_sent_emails",
        "schedule": crontab(hour=3, minute=30),
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "purge-api-records": {
        "task": "api.tasks.purge_api_records",
        "schedule": crontab(hour=3, minute=45),
    },
    "anonymise-inactive-accounts": {
        "task": "accounts.tasks.anonymise_inactive_accounts",
        "schedule": crontab(hour=3, minute=0),
    },
    "remind-advisors": {
        "task": "candidatures.tasks.remind_advisors",
        "schedule": crontab(hour=8, minute=0, day_of_week="1-5"),
    },
    "refresh-allocation-outcomes": {
        "task": "candidatures.tasks.refresh_outcomes",
        "schedule": crontab(hour=2, minute=30),
    },
    "remind-answer-due": {
        "task": "candidatures.tasks.remind_answer_due",
        "schedule": crontab(hour=9, minute=0),
    },
    "expire-unanswered-proposals": {
        "task": "candidatures.tasks.expire_unanswered",
        "schedule": crontab(hour=1, minute=0),
    },
    "check-demandes-validity": {
        "task": "demandes.tasks.check_validity",
        "schedule": crontab(hour=6, minute=30),
    },
}

# --- Email -------------------------------------------------------------------
# Outgoing mail server: smtp://user:password@host:port (consolemail:// prints them).
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://127.0.0.1:25"
)
vars().update(EMAIL_CONFIG)
# Sender of the portal's emails.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Action Logement <no-reply@alin.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Support address shown on the pages.
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="support@alin.example")
# Each SMTP command waits at most this long, well within the outbox lease below.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The outbox (core/outbox.py): a worker holds an email this long while sending it; a
# dead worker's email is taken back after it. Failed attempts are retried with backoff
# up to OUTBOX_MAX_ATTEMPTS, then the email is marked failed for advisors to resend.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=60)
# Attempts before an outbox email is marked failed.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Seconds to wait after the n-th failed attempt (the last value repeats).
OUTBOX_BACKOFF_SECONDS = [
    int(step) for step in env.list("OUTBOX_BACKOFF_SECONDS", default=[30, 60, 120, 300, 600, 1800])
]
# A queued email not picked up by a worker for this long is queued again.
OUTBOX_REDISPATCH_SECONDS = env.int("OUTBOX_REDISPATCH_SECONDS", default=90)
# Email bodies are stored encrypted with this key (default: derived from SECRET_KEY).
OUTBOX_KEY = env("OUTBOX_KEY", default="")
SUPPORT_PHONE = "0 970 800 800"
# Bumped whenever the personal-data notice changes; stored with each consent.
PRIVACY_NOTICE_VERSION = "2026-11"

# --- allauth (accounts) ---------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
# "Création de compte" has no password: it is chosen after the emailed link.
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0.5  # "Ce lien expire dans 12 heure(s)."
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_CHANGE_EMAIL = True
# Changing the address (and deleting the account, accounts.views) asks for the
# password again when the last sign-in is older than 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# The owner is told of every password or address change (to the old address too).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_RATE_LIMITS = {
    # Successful sign-ins per address; the benchmark signs many users in from 127.0.0.1.
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/m/ip",
    "contact": "10/m/ip",  # the contact form, like the sign-up (core.views.contact)
    "reset_password": "10/m/ip,3/m/key",
    "resend_link": "5/m/ip",
    # One validation email per address every 3 minutes (allauth's cooldown).
    "confirm_email": "1/180s/key",
}
# Second factor (TOTP and recovery codes), required of staff before any admin page.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AL'in"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side: phones' clocks drift
PASSWORD_RESET_TIMEOUT = 12 * 3600  # reset links are valid 12 hours
# Sent emails are deleted from the outbox after this many days (core.tasks).
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)
# The landlords' API: its log of calls is deleted after this many days (api.tasks).
API_CALL_RETENTION_DAYS = env.int("API_CALL_RETENTION_DAYS", default=90)
# The API keeps its answer to a write sent with an Idempotency-Key this many hours: a
# retry within them gets it again, a later one acts anew (api.tasks).
API_IDEMPOTENCY_RETENTION_HOURS = env.int("API_IDEMPOTENCY_RETENTION_HOURS", default=24)
# Applicant accounts without a sign-in for this long are anonymised (RGPD retention).
ACCOUNT_RETENTION_DAYS = env.int("ACCOUNT_RETENTION_DAYS", default=730)
# Applicants without a request land on the import panel (alin/dashboard.py).
LOGIN_REDIRECT_URL = "after_login"
CSRF_FAILURE_VIEW = "alin.errors.csrf_failure"
LOGIN_URL = "account_login"

# --- demandes -------------------------------------------------------------------
# Where requests are read from (the national registry adapter).
DEMANDES_REGISTRY_BACKEND = env(
    "DEMANDES_REGISTRY_BACKEND", default="demandes.registry.database.DatabaseRegistry"
)

# --- offres ---------------------------------------------------------------------
# Monthly resources (housing allowance included) must reach this many times the rent
# with charges ("environ 3 fois", guide #0).
AFFORDABILITY_FACTOR = env.float("AFFORDABILITY_FACTOR", default=3)
OFFERS_PER_PAGE = 12

# --- candidatures ---------------------------------------------------------------
# How many validated candidatures an advisor may forward to the landlord per offer
# (CALEOL examines usually 3 candidates per dwelling).
CANDIDATURES_FORWARD_MAX = env.int("CANDIDATURES_FORWARD_MAX", default=3)
# Days after an offer's deadline without a CALEOL decision before its candidatures end
# (unconfirmed default: the landlords' partner delays are not published).
CANDIDATURES_DECISION_DELAY_DAYS = env.int("CANDIDATURES_DECISION_DELAY_DAYS", default=90)
# Days an attributed candidate has to accept the proposal (10 is commonly cited,
# unconfirmed); without an answer it counts as declined.
CANDIDATURES_ANSWER_DAYS = env.int("CANDIDATURES_ANSWER_DAYS", default=10)
# Working days before the answer deadline when the applicant is reminded once.
CANDIDATURES_ANSWER_REMINDER_WORKING_DAYS = env.int(
    "CANDIDATURES_ANSWER_REMINDER_WORKING_DAYS", default=3
)

# --- Forms and messages --------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Session cookie only over HTTPS (on in production).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
# CSRF cookie only over HTTPS (on in production).
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# Redirect plain HTTP to HTTPS (on in production; healthz and ping exempt).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# HSTS max-age sent to browsers (one year in production).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# --- Reverse proxy (alin/proxy.py) ---------------------------------------------------
# How many proxies stand in front of the portal (nginx alone: 1). 0 (the default): none
# is trusted, X-Forwarded-* headers are dropped, the peer address is the client's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# allauth's rate limits read the client address TRUSTED_PROXY_COUNT hops from the right
# of X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Addresses or networks of the proxy (e.g. 10.0.0.5,172.16.0.0/12); empty: any peer, for
# a portal whose port only the proxy can reach.
TRUSTED_PROXY_IPS = env.list("TRUSTED_PROXY_IPS", default=[])
# Honoured only when the proxy is trusted: the middleware strips the header otherwise.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^ping$"]
SILENCED_SYSTEM_CHECKS: list[str] = []

# Every script and style is served by the portal itself: no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# JSON lines (python-json-logger) with time, level, logger, message, and the request's
# id, user id and path (core/observability.py); LOG_FORMAT=text for a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.observability.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    # Minimum level of the logs (DEBUG, INFO, WARNING…).
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# /metrics (Prometheus): scraped with "Authorization: Bearer <METRICS_TOKEN>"; staff
# may open it signed in; anyone else gets a 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# Workers log through the same JSON handler (Celery would otherwise replace it).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- The landlords' API (api/) --------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.LandlordKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.KeyRateThrottle"],
    # Requests allowed per API key (docs/api.md).
    "DEFAULT_THROTTLE_RATES": {"api_key": env("API_KEY_RATE", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API AL'in pour les bailleurs",
    "DESCRIPTION": "Publier des offres et suivre les candidatures transmises depuis le "
    "logiciel d'un bailleur. Guide : docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"EnergyClassEnum": "offres.models.Offer.EnergyClass"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.integer_ids",
    ],
}
