"""The beat schedule's reminder jobs: installed as django-celery-beat rows, sent by beat, run by a real worker.

The worker runs in this process (``celery.contrib.testing.worker.start_worker``, solo pool) on a queue
of its own on the Redis broker of CELERY_BROKER_URL, against the test database; the mails land in
Django's locmem outbox of this process.
"""

import datetime
import threading
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from evaluations.models import Notification, ReminderKind, SentReminder
from kks.celery import app as celery_app
from kks.testing import require_postgresql

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60


def test_the_reminder_and_digest_jobs_are_installed_as_periodic_tasks_on_a_daily_clock(db):
    DatabaseScheduler(app=celery_app)  # what `celery beat` does at start-up
    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    reminders, digests = tasks["send-deadline-reminders"], tasks["send-daily-digests"]
    assert reminders.task == "evaluations.send_deadline_reminders"
    assert digests.task == "evaluations.send_daily_digests"
    assert (reminders.crontab.minute, reminders.crontab.hour) == ("0", "0-13")  # hourly, 07:00-20:00 WIB
    assert (digests.crontab.minute, digests.crontab.hour) == ("0", "0")  # 07:00 WIB
    assert reminders.enabled
    assert digests.enabled
    assert "reap-stale-report-jobs" in tasks


@pytest.fixture
def worker_queue(monkeypatch):
    require_postgresql("the in-process worker test")
    broker = settings.CELERY_BROKER_URL
    try:
        redis.Redis.from_url(broker, socket_connect_timeout=3).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"the in-process worker test needs Redis at {broker}: {error}")
    queue = f"kks-test-reminders-{uuid.uuid4().hex[:10]}"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    yield queue
    redis.Redis.from_url(broker).delete(queue)


RAN: list[tuple[str, bool]] = []


def _after_task(sender=None, **_kwargs):
    RAN.append((sender.name, threading.current_thread() is not threading.main_thread()))
    connections.close_all()  # the worker thread's own connection, so the test database can be dropped


def test_beat_sends_the_reminder_job_and_a_real_worker_runs_it_and_mails(
    worker_queue, cycle, assessment, coordinator, opd_officer, reviewer
):
    from celery.signals import task_postrun

    cycle.self_assessment_closes = timezone.now() + datetime.timedelta(days=2)
    cycle.save()
    scheduler = DatabaseScheduler(app=celery_app)
    entry = scheduler.schedule["send-deadline-reminders"]
    RAN.clear()
    task_postrun.connect(_after_task, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[worker_queue]):
            scheduler.apply_entry(entry, producer=scheduler.producer)  # what beat does when the entry is due
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline and SentReminder.objects.count() < 2:
                time.sleep(0.3)
            time.sleep(0.5)  # let the task finish sending after its last row
    finally:
        task_postrun.disconnect(_after_task)
    assert RAN == [("evaluations.send_deadline_reminders", True)]  # by the worker's thread, not eagerly here
    sent = SentReminder.objects.filter(kind=ReminderKind.FILL, days_before=3)
    assert sorted(sent.values_list("recipient__username", flat=True)) == ["koordinator", "petugas_opd"]
    assert Notification.objects.filter(verb="reminder").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, opd_officer.email])
    assert not Notification.objects.filter(recipient=reviewer).exists()
