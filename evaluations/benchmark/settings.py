"""Settings for `manage.py bench`: production-like request handling on a throw-away database.

`manage.py bench` re-runs itself under this module with ``KKS_BENCH_DATABASE_URL``
(the bench database, never the working one) and ``KKS_BENCH_PRIVATE_ROOT`` set.
"""

from pathlib import Path

from kks.settings.base import *  # noqa: F403
from kks.settings.base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="bench-only-key-" + "0123456789" * 5)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "evaluations.benchmark.urls"

DATABASES = {"default": env.db("KKS_BENCH_DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, as docs/deploy.md recommends for production.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

_PRIVATE = Path(env.str("KKS_BENCH_PRIVATE_ROOT"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(_PRIVATE / "private"), "base_url": None},
    },
    # As in production: hashed names, pre-compressed, served with "immutable" by WhiteNoise. The bench
    # runs collectstatic into its own folder before it measures.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = str(_PRIVATE / "private")
STATIC_ROOT = _PRIVATE / "static"
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
