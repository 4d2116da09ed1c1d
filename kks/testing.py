"""Helpers shared by the test suites (kept out of conftest so they import by a plain module path)."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest


def require_postgresql(what: str) -> None:
    """Skip a PostgreSQL-only test on the SQLite quick path; in CI (CI set) a missing PostgreSQL fails instead."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    message = f"{what} needs PostgreSQL (set DATABASE_URL)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# --- real Celery workers --------------------------------------------------------


def current_database_url() -> str:
    """DATABASE_URL of the database this test run uses (the pytest-django test database)."""
    from django.db import connection

    db = connection.settings_dict
    auth = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}@" if db["USER"] else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(broker: str, **extra: str) -> dict[str, str]:
    """Environment of a worker subprocess sharing this run's database and storage folder."""
    from django.core.files.storage import default_storage

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kks.settings.test",
        "DATABASE_URL": current_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "KKS_PRIVATE_ROOT": str(default_storage.location),
        **extra,
    }


def worker_command(queue: str, *, name: str, pool: str = "solo", concurrency: int | None = None) -> list[str]:
    """The celery worker command line for one queue, run by the current interpreter."""
    command = [sys.executable, "-m", "celery", "-A", "kks", "worker", "-P", pool]
    if concurrency is not None:
        command += ["-c", str(concurrency)]
    command += ["-Q", queue, "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return [*command, "-l", "info"]


def start_worker(command: list[str], *, env: dict[str, str], log: Path, new_session: bool = False):
    """Start a worker subprocess writing to ``log``."""
    from django.conf import settings

    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=new_session,
        )


def stop_worker(proc) -> None:
    """Warm shutdown, then a kill if the worker does not stop within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running_worker(*, tmp_path: Path, monkeypatch, what: str, prefix: str = "kks-test"):
    """A solo-pool worker on a queue of its own (Redis), sharing the test database and storage.

    This process stops running tasks eagerly and sends them to that queue while the block lasts.
    Yields ``(proc, log)``; the worker is stopped and its queue deleted at the end.
    """
    import redis
    from django.conf import settings
    from django.db import connection

    from kks.celery import app as celery_app

    if connection.vendor != "postgresql":
        require_postgresql(what)
    broker = settings.CELERY_BROKER_URL
    try:
        redis.Redis.from_url(broker, socket_connect_timeout=3).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"{what} needs Redis at {broker}: {error}")
    queue = f"{prefix}-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    proc = start_worker(worker_command(queue, name=queue), env=worker_env(broker), log=log)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    try:
        yield proc, log
    finally:
        stop_worker(proc)
        redis.Redis.from_url(broker).delete(queue)
