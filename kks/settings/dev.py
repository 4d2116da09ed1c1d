"""Local development (`make run`): SQLite, console e-mail, folder-based Celery broker."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")

# Zero-setup background tasks: a worker polls this folder, no Redis needed.
if env.str("CELERY_BROKER_URL", default="") == "":
    _queue = BASE_DIR / "var" / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        "store_processed": False,
        "control_folder": str(_queue / "control"),
        "polling_interval": 0.2,
    }
if DEBUG:
    # `make run`: files straight from static/, no collectstatic. With DJANGO_DEBUG=False the base
    # settings' hashed, immutable names apply (run collectstatic first, as in production).
    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
