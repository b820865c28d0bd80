"""Django settings for Stödkedjan, read from environment variables.

``STODKEDJAN_ENV`` is ``development`` (default), ``test`` or ``production``. Development and test get safe
local defaults; production refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``. See README.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from stodkedjan import env

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env.get_choice("STODKEDJAN_ENV", ("development", "test", "production"), "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env.get_bool("DEBUG", default=ENVIRONMENT == "development")
if PRODUCTION:
    SECRET_KEY = env.get_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50:
        raise env.EnvError("SECRET_KEY must be at least 50 characters long in production")
    ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", required=True)
else:
    SECRET_KEY = env.get_str("SECRET_KEY", "development-only-key-never-use-in-production-2f8a1c9e7b4d")
    ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so translated fields show there
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "simple_history",
    "corsheaders",
    "django_tasks",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "stodkedjan.core",
    "stodkedjan.geo",
    "stodkedjan.accounts",
    "stodkedjan.knowledge",
    "stodkedjan.directory",
    "stodkedjan.finder",
    "stodkedjan.hsds",
    "stodkedjan.plans",
    "stodkedjan.surveys",
    "stodkedjan.meetings",
    "stodkedjan.network",
    "stodkedjan.insights",
    "stodkedjan.demo",
]

MIDDLEWARE = [
    "stodkedjan.core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "stodkedjan.core.middleware.PermissionsPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "stodkedjan.hsds.middleware.ApiMiddleware",
    "stodkedjan.core.middleware.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "stodkedjan.core.middleware.SwedishAdminMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "stodkedjan.accounts.two_factor.RequireSecondFactorMiddleware",
    "stodkedjan.core.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stodkedjan.urls"
WSGI_APPLICATION = "stodkedjan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stodkedjan.core.context_processors.site",
                "stodkedjan.accounts.context_processors.workspace",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env.get_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
            # A kept connection that died (the database restarted) is noticed and replaced before a request uses it.
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise env.EnvError(f"DATABASE_URL is not a database URL ({error})") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer rather than failing at once with "database is locked".
    # SQLITE_BUSY_TIMEOUT (seconds) is how long; after it the request gets the 503 page that keeps what was sent.
    busy_timeout = env.get_int("SQLITE_BUSY_TIMEOUT", 20)
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": busy_timeout, "transaction_mode": "IMMEDIATE"})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that looks at the socket before it sends a query (core.postgresql).
    DATABASES["default"]["ENGINE"] = "stodkedjan.core.postgresql"
    # The planner's default (4) prices a random read as on a spinning disk and so scans whole tables where an
    # index finds a municipality's few rows (the finder: 22 ms against 5 ms at 50,000 offerings). On SSD or
    # with the data in memory, 1.1 is the usual value; POSTGRES_RANDOM_PAGE_COST changes it.
    page_cost = env.get_str("POSTGRES_RANDOM_PAGE_COST", "1.1")
    # Parallel workers are for reports over whole tables: for a page's query they cost more to start than they
    # save (a common word: 9.4 ms with two workers, 6.5 ms without) and under load they take the cores other
    # requests need. POSTGRES_PARALLEL_WORKERS sets max_parallel_workers_per_gather for the app's connections.
    parallel = env.get_int("POSTGRES_PARALLEL_WORKERS", 0)
    # A ranked search took the server 0.7 ms to plan and 0.3 ms to run. A query a connection has sent this many
    # times (with any values) is prepared: bound on the server, parsed once, and planned once where one plan fits
    # every value. The server's CPU per request of the load test fell from 1.2 ms to 0.6 ms. 0 sends every query as
    # text, as Django does by default: for a pooler that cannot keep prepared statements (PgBouncer before 1.21,
    # or in transaction mode without max_prepared_statements).
    prepare_after = env.get_int("POSTGRES_PREPARE_THRESHOLD", 5)
    if prepare_after:
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=prepare_after)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={float(page_cost)} -c max_parallel_workers_per_gather={parallel}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Hashing is deliberately slow; the tests create many users and test nothing about the hash.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Staff sign-in through an OpenID Connect provider (the organisation's own), beside local accounts.
OIDC_RP_CLIENT_ID = env.get_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.get_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.get_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env.get_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env.get_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env.get_str("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = env.get_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = reverse_lazy("accounts:login")
if OIDC_ENABLED:
    missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        )
        if not globals()[name]
    ]
    if missing:
        raise env.EnvError(f"OIDC_RP_CLIENT_ID is set but {missing[0]} is not")
    AUTHENTICATION_BACKENDS.insert(1, "stodkedjan.accounts.oidc.ExistingUserBackend")
OTP_TOTP_ISSUER = "Stödkedjan"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:workspace"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: five failures for one e-mail address from one IP address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field; axes would otherwise look for "email"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Languages: Swedish is the source language; the others follow. so and ti are not in Django's own table.
LANG_INFO.update(
    {
        "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
        "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    }
)
LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("fa", _("Persian")),
]
LANGUAGES_BIDI = ["ar", "fa"]
# Translations written by the team, not yet reviewed by a native speaker; pages in these say so.
UNREVIEWED_LANGUAGES = ["ar", "so", "ti", "fa"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Translated content: Swedish is the source; an empty translation falls back to it (and pages say so).
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)

# Directory freshness: offerings not checked for this long go on the organisation's review list, and
# after the second limit the public page says the information may be out of date.
DIRECTORY_REVIEW_AFTER_DAYS = env.get_int("DIRECTORY_REVIEW_AFTER_DAYS", 183, minimum=1)
DIRECTORY_OUTDATED_AFTER_DAYS = env.get_int("DIRECTORY_OUTDATED_AFTER_DAYS", 365, minimum=1)
FINDER_PAGE_SIZE = 20
# A search counts its offerings up to this many; beyond, the page says "more than" and pages through these
# (as search engines do: a count of 22,500 costs a pass over every match and tells a parent only to narrow it).
FINDER_COUNT_UP_TO = 1000

# HSDS API (/api/hsds/): open to every origin for reading; anonymous callers are rate-limited per client
# address (behind a reverse proxy, set NINJA_NUM_PROXIES so the client's own address is used). 300 a
# minute lets a conformance validator make three full passes back to back (a test replays them).
HSDS_ANONYMOUS_RATE_DEFAULT = "300/min"
HSDS_ANONYMOUS_RATE = env.get_str(
    "HSDS_ANONYMOUS_RATE", "100000/min" if ENVIRONMENT == "test" else HSDS_ANONYMOUS_RATE_DEFAULT
)
HSDS_MAX_PER_PAGE = 1000
HSDS_MAX_BODY_BYTES = 1_000_000
NINJA_NUM_PROXIES = env.get_int("NINJA_NUM_PROXIES", 0, minimum=0)
CORS_URLS_REGEX = r"^/api/hsds/.*$"
CORS_ALLOW_ALL_ORIGINS = True  # tokens travel in a header, never in cookies, so no credentials are shared
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# Action plans: largest upload that is read as a plan, and how many days before a follow-up deadline
# the coordinators are reminded (``manage.py send_plan_reminders``, run daily). SITE_URL makes links in
# e-mails absolute.
PLAN_IMPORT_MAX_BYTES = env.get_int("PLAN_IMPORT_MAX_BYTES", 5_000_000, minimum=10_000)
PLAN_REMINDER_DAYS = env.get_int("PLAN_REMINDER_DAYS", 7, minimum=1)
# Surveys: how long a response form stays valid, and how many responses one source may send to one round
# per time window before it is asked to wait (counted in the cache under a keyed hash, never stored).
# Behind reverse proxies, SURVEY_NUM_PROXIES says how many, so the client's own address is counted.
SURVEY_FORM_MAX_AGE = env.get_int("SURVEY_FORM_MAX_AGE", 2 * 24 * 3600, minimum=600)
SURVEY_SUBMISSION_RATE = (
    env.get_int("SURVEY_SUBMISSIONS_PER_WINDOW", 40, minimum=1),
    env.get_int("SURVEY_WINDOW_SECONDS", 600, minimum=10),
)
SURVEY_NUM_PROXIES = env.get_int("SURVEY_NUM_PROXIES", 0, minimum=0)
SURVEY_XLSFORM_MAX_BYTES = 2_000_000
# Networks and events: registrants' names and e-mail addresses are deleted this many days after an event.
EVENT_PERSONAL_DATA_DAYS = env.get_int("EVENT_PERSONAL_DATA_DAYS", 30, minimum=0)
# Background tasks (django-tasks): run at once in development and tests; in production they are queued in
# the database and run by the worker process (``manage.py db_worker``).
TASKS = {
    "default": {
        "BACKEND": env.get_str(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend" if PRODUCTION else "django_tasks.backends.immediate.ImmediateBackend",
        )
    }
}
# A task meeting a database or mail server that does not answer is tried again (core.tasks.retried).
TASK_ATTEMPTS = env.get_int("TASK_ATTEMPTS", 3, minimum=1)
TASK_RETRY_SECONDS = env.get_int("TASK_RETRY_SECONDS", 0 if ENVIRONMENT == "test" else 30)
# The public address. Links that leave the site (e-mails, survey links and their QR codes, calendar files) use it;
# where it is not set (development), a page's links use the address the page was served from (core.addresses).
SITE_URL_IS_SET = bool(env.get_str("SITE_URL"))
SITE_URL = env.get_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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
WHITENOISE_USE_FINDERS = not PRODUCTION  # development and tests serve app static files without collectstatic
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# E-mail: printed to the console in development and test, SMTP in production.
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.get_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "Stödkedjan <no-reply@stodkedjan.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ACCESSIBILITY_CONTACT_EMAIL = env.get_str("ACCESSIBILITY_CONTACT_EMAIL", "tillganglighet@stodkedjan.localhost")

# Security headers. Public pages load nothing from third parties and run no inline script or style.
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
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A staff sign-in lasts a working day, not Django's two weeks (SESSION_HOURS); `manage.py clearsessions` daily.
SESSION_COOKIE_AGE = env.get_int("SESSION_HOURS", 8, minimum=1) * 3600
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.get_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard error, JSON in production (LOG_FORMAT=text|json), each line with its request id.
LOG_FORMAT = env.get_choice("LOG_FORMAT", ("text", "json"), "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "stodkedjan.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "stodkedjan.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Cache (the survey throttle, rate limits): per process by default; Redis with CACHE_URL, which every app
# server must share once there are several of them.
CACHE_URL = env.get_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise env.EnvError("CACHE_URL must be a redis:// or rediss:// address")
# The finder's busiest public pages are served whole from the cache for this long (0: off; off in tests).
PUBLIC_PAGE_CACHE_SECONDS = env.get_int("PUBLIC_PAGE_CACHE_SECONDS", 0 if ENVIRONMENT == "test" else 60, minimum=0)
CACHES = {
    "default": (
        {"BACKEND": "stodkedjan.core.redis_cache.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "stk"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # What ``{% cache %}`` keeps: the parts of a page that are the same for every reader of one language (the
    # header, the footer, the urgent numbers, the search form's "More choices"), in each process's memory — a
    # round trip to Redis would cost what drawing them does. Their keys name everything they depend on.
    "template_fragments": {
        "BACKEND": "stodkedjan.core.cache.FragmentCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
}

# Staff navigation: (url name, label, permission or None). Apps add their entries here as they land,
# so the base templates in core need not import any app.
STAFF_NAVIGATION = [
    ("accounts:workspace", _("Overview"), None),
    ("directory:my_services", _("Offerings"), None),
    ("accounts:organisation_list", _("Organisations"), None),
    ("plans:my_plans", _("Action plans"), None),
    ("plans:indicator_list", _("Indicators"), None),
    ("surveys:my_surveys", _("Surveys"), None),
    ("meetings:my_meetings", _("Dialogue meetings"), None),
    ("meetings:my_needs", _("Needs"), None),
    ("knowledge:my_bank", _("Knowledge bank"), None),
    ("network:my_networks", _("Networks"), None),
    ("network:my_events", _("Events and trainings"), None),
    ("insights:my_insights", _("Insights"), None),
]
# The staff home's sections, in order: each app's work list for the organisation one works as (accounts.home).
STAFF_HOME_SECTIONS = [
    "stodkedjan.directory.home.section",
    "stodkedjan.plans.home.section",
    "stodkedjan.meetings.home.section",
    "stodkedjan.insights.home.section",
]

# Verification requests (directory/verification.py): the first e-mail goes when an offering is due for review;
# reminders follow this many days after it; with no answer this many days after it the county board is told.
DIRECTORY_REMINDER_DAYS = [14, 30]
DIRECTORY_FLAG_AFTER_DAYS = env.get_int("DIRECTORY_FLAG_AFTER_DAYS", 45, minimum=1)
DIRECTORY_LINK_DAYS = env.get_int("DIRECTORY_LINK_DAYS", 60, minimum=1)
