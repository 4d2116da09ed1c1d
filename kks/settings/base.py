"""Settings shared by every environment; everything variable comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_celery_beat",
    "simple_history",
    "ninja",  # django-ninja: its docs page then uses the assets in its own package (no CDN)
    "forums",
    "tatanan",
    "evaluations",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kks.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: pre-compressed, hashed, immutable
    # Pages compressed for slow links (fill page ~160 KB -> ~16 KB). Django's GZipMiddleware applies the
    # "Heal The Breach" length randomisation against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who made a change through the admin or a page, for the audit history (services set it explicitly).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kks.urls"
WSGI_APPLICATION = "kks.wsgi.application"

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
                "django.template.context_processors.i18n",
                "evaluations.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "forums.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account/IP pair after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address (kks/clientip.py): X-Forwarded-For is read only from these proxies (addresses or
# networks, comma-separated; empty: never, every client is its socket address). nginx on the same host:
# KKS_TRUSTED_PROXIES=127.0.0.1.
KKS_TRUSTED_PROXIES = env.list("KKS_TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "kks.clientip.client_ip"

# Rate limits (kks/ratelimit.py) on top of axes' per-account lockout; counted in the "default" cache,
# which must be shared by every web process in production (Redis, see production.py).
RATELIMIT_ENABLE = env.bool("KKS_RATELIMIT_ENABLE", default=True)
KKS_RATE_LOGIN_PER_CLIENT = env.str("KKS_RATE_LOGIN_PER_CLIENT", default="30/10m")
KKS_RATE_LOGIN_PER_ACCOUNT = env.str("KKS_RATE_LOGIN_PER_ACCOUNT", default="20/h")
KKS_RATE_PASSWORD_RESET_PER_CLIENT = env.str("KKS_RATE_PASSWORD_RESET_PER_CLIENT", default="10/h")
KKS_RATE_PASSWORD_RESET_PER_ACCOUNT = env.str("KKS_RATE_PASSWORD_RESET_PER_ACCOUNT", default="3/h")
# The JSON API (/api/v1/, api/auth.py): every request per client (valid token or not), then per token user.
KKS_RATE_API_PER_CLIENT = env.str("KKS_RATE_API_PER_CLIENT", default="1200/10m")
KKS_RATE_API_PER_USER = env.str("KKS_RATE_API_PER_USER", default="600/10m")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kks"}}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
# Our own English date formats (day first, 24 h); Indonesian uses Django's "id" formats.
FORMAT_MODULE_PATH = ["kks.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded evidence and generated PDFs: never under a public URL; they are
    # served only through permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("KKS_PRIVATE_ROOT", default=BASE_DIR / "var" / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
MEDIA_URL = None

# Uploads
KKS_UPLOAD_MAX_BYTES = env.int("KKS_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Largest framework file (YAML/JSON) that load_framework or an import reads; the 2025 one is ~220 kB.
# Signs backups (HMAC-SHA256 of the manifest) and is checked on restore; `backup` refuses to run
# without one (32+ characters). Keep a copy apart from the backups: without it they cannot be restored.
KKS_BACKUP_KEY = env.str("KKS_BACKUP_KEY", default="")
KKS_FRAMEWORK_MAX_BYTES = env.int("KKS_FRAMEWORK_MAX_BYTES", default=2 * 1024 * 1024)
# Framework files uploaded from the web (/kerangka/impor/); the shipped kks-2025.yaml is ~0.2 MiB.
KKS_FRAMEWORK_UPLOAD_MAX_BYTES = env.int("KKS_FRAMEWORK_UPLOAD_MAX_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Audit history (django-simple-history, see docs/operations.md "Audit history"): file fields are kept
# as their stored name, and the admin never offers to revert a row to an old version.
SIMPLE_HISTORY_FILEFIELD_TO_CHARFIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis in production/CI; `make run` uses a local folder broker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# With acks_late, Redis hands the task of a worker that died (host crash, kill -9) to another
# worker only after this many seconds; it must exceed the hard time limit (600 s) so a render
# still running is never handed out twice. The dev settings replace the dict for the folder broker.
# PDF render limits (seconds); the Redis visibility timeout must stay above the hard limit
# (checked by `manage.py check`, see evaluations/checks.py).
KKS_REPORT_SOFT_TIME_LIMIT = env.int("KKS_REPORT_SOFT_TIME_LIMIT", default=540)
KKS_REPORT_HARD_TIME_LIMIT = env.int("KKS_REPORT_HARD_TIME_LIMIT", default=600)
# Characters of free text one dossier prints at most (each text is also cut at its own limit); past it,
# texts are cut with a note, so rows stored over the limits cannot push a render past the time limit.
KKS_DOSSIER_TEXT_BUDGET = env.int("KKS_DOSSIER_TEXT_BUDGET", default=800_000)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A render stamps its job every KKS_REPORT_HEARTBEAT_SECONDS; a job silent for KKS_REPORT_HEARTBEAT_TIMEOUT
# is dead. The beat task below reaps dead jobs every KKS_REAP_INTERVAL seconds, so a crashed worker's
# dossier shows "failed" (and can be retried) within about a minute.
KKS_REPORT_HEARTBEAT_SECONDS = env.int("KKS_REPORT_HEARTBEAT_SECONDS", default=10)
KKS_REPORT_HEARTBEAT_TIMEOUT = env.int("KKS_REPORT_HEARTBEAT_TIMEOUT", default=40)
KKS_REAP_INTERVAL = env.int("KKS_REAP_INTERVAL", default=15)
# Periodic jobs: Celery beat with django-celery-beat's database scheduler (entries below are
# installed at beat start-up and can be paused or re-timed in the admin).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Celery's clock is UTC: 00:00 UTC is 07:00 in Jakarta. Reminders run every hour from 07:00 to 20:00 WIB
# (a reminder is due from 3 and 1 days before its deadline and recorded, so each goes once); digests at 07:00.
CELERY_BEAT_SCHEDULE = {
    "reap-stale-report-jobs": {"task": "evaluations.reap_stale_report_jobs", "schedule": float(KKS_REAP_INTERVAL)},
    "send-deadline-reminders": {
        "task": "evaluations.send_deadline_reminders",
        "schedule": crontab(minute="0", hour="0-13"),
    },
    "send-daily-digests": {"task": "evaluations.send_daily_digests", "schedule": crontab(minute="0", hour="0")},
    "discard-stale-uploads": {"task": "evaluations.discard_stale_uploads", "schedule": crontab(minute="45")},
    # 02:30 WIB: readiness summaries that drifted from their responses (a write past the services) are rewritten.
    "repair-readiness-summaries": {
        "task": "evaluations.repair_readiness_summaries",
        "schedule": crontab(minute="30", hour="19"),
    },
}
# Days before a fill or fix deadline that a reminder goes to those with open items (KKS_REMINDER_DAYS=3,1).
KKS_REMINDER_DAYS = env.list("KKS_REMINDER_DAYS", cast=int, default=[3, 1])

# Absolute base of links in e-mails (no trailing slash).
KKS_SITE_URL = env.str("KKS_SITE_URL", default="http://127.0.0.1:8000")

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="KKS <noreply@kks.invalid>")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "kks.views.csrf_failure"
# Content-Security-Policy on every response, the admin included: everything is served from our own origin
# (no CDN), no inline script and no inline style anywhere. The one inline <style> Django's admin can emit
# (change_list.html, when a ModelAdmin turns both action bars off) is allowed by its hash only.
KKS_CSP_ADMIN_STYLE_HASH = "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='"
KKS_CSP = (
    f"default-src 'self'; img-src 'self' data:; style-src 'self' {KKS_CSP_ADMIN_STYLE_HASH}; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
