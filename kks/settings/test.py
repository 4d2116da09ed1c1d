"""Test settings: fast hashing, in-memory mail, temporary private storage."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
KKS_BACKUP_KEY = env.str("KKS_BACKUP_KEY", default="test-only-backup-signing-key-0123456789")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# KKS_PRIVATE_ROOT lets a test share the storage folder with a worker subprocess.
_PRIVATE = env.str("KKS_PRIVATE_ROOT", default="") or tempfile.mkdtemp(prefix="kks-test-private-")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _PRIVATE, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = _PRIVATE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
WHITENOISE_AUTOREFRESH = True
# Like axes: off by default so hundreds of test logins from 127.0.0.1 do not trip it; the tests of
# the limits (kks/tests/test_rate_limits.py) switch it on with a fresh cache.
RATELIMIT_ENABLE = env.bool("KKS_RATELIMIT_ENABLE", default=False)
