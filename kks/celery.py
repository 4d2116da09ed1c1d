"""Celery application for KKS.

Configuration comes from Django settings under the ``CELERY_`` namespace, so
the broker is Redis in production and CI and a local folder for ``make run``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kks.settings.dev")

app = Celery("kks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
