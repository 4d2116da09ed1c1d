"""`manage.py bench` (`make bench`): national-scale data in a separate PostgreSQL database, one table of figures.

Run from any settings: the command creates the database ``kks_bench`` (or
``--db-name``) with the credentials of DATABASE_URL, re-runs itself under
``evaluations.benchmark.settings`` against it, and drops it afterwards
(``--keep`` keeps it and the generated files). It refuses SQLite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

BENCH_SETTINGS = "evaluations.benchmark.settings"


class Command(BaseCommand):
    help = (
        "Build a national-scale data set (38 provinces, 514 regencies, every indicator answered) in a separate "
        "PostgreSQL database and print query counts, median times, the dossier render and gunicorn throughput."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="Three provinces only and shorter runs (~1 min).")
        parser.add_argument("--keep", action="store_true", help="Keep the bench database and files afterwards.")
        parser.add_argument("--db-name", default="kks_bench", help="Name of the database to create (dropped first).")
        parser.add_argument("--requests", type=int, default=None, help="Timed requests per page (default 15/5).")
        parser.add_argument("--load-seconds", type=int, default=None, help="Seconds per load run (default 10/4).")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers.")
        parser.add_argument("--connections", type=int, default=16, help="Concurrent connections of the load.")
        parser.add_argument(
            "--history", type=int, default=0, help="Earlier finished cycles, every regency answered (default 0)."
        )

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE == BENCH_SETTINGS:
            self._run(**options)
        else:
            self._launch(**options)

    # -- the outer process: create the database, re-run under the bench settings, drop it ------------

    def _launch(self, *, db_name, keep, **options):
        db = settings.DATABASES["default"]
        if connection.vendor != "postgresql":
            raise CommandError(
                f"manage.py bench measures PostgreSQL, as production runs it, but DATABASE_URL points to "
                f"{connection.vendor}. Set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME for a role with "
                f"CREATEDB; the bench creates, fills and drops its own database '{db_name}' and leaves NAME alone."
            )
        if db_name == db["NAME"] or not db_name.replace("_", "").isalnum():
            raise CommandError(f"--db-name {db_name!r} must be a plain name different from the working database.")
        url = "postgres://{}:{}@{}:{}/{}".format(
            quote(db.get("USER") or "", safe=""),
            quote(str(db.get("PASSWORD") or ""), safe=""),
            db.get("HOST") or "127.0.0.1",
            db.get("PORT") or 5432,
            db_name,
        )
        self._drop(db_name)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{db_name}"')
        except Exception as error:
            raise CommandError(f"Cannot create database {db_name} (does the role have CREATEDB?): {error}") from error
        files = tempfile.mkdtemp(prefix="kks-bench-files-")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
            "KKS_BENCH_DATABASE_URL": url,
            "KKS_BENCH_PRIVATE_ROOT": files,
        }
        argv = [sys.executable, os.path.join(settings.BASE_DIR, "manage.py"), "bench", "--db-name", db_name]
        for name in ("requests", "load_seconds", "workers", "connections", "history"):
            if options.get(name) is not None:
                argv += [f"--{name.replace('_', '-')}", str(options[name])]
        if options.get("quick"):
            argv.append("--quick")
        try:
            code = subprocess.call(argv, env=env, cwd=settings.BASE_DIR)  # noqa: S603 - this command, re-run
        finally:
            if keep:
                self.stderr.write(f"Kept database {db_name} and files in {files}.")
            else:
                self._drop(db_name)
                shutil.rmtree(files, ignore_errors=True)
        if code:
            raise CommandError(f"The bench failed (exit code {code}).")

    @staticmethod
    def _drop(db_name):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')

    # -- the inner process: build and measure -----------------------------------------------------------

    def _run(self, *, quick, requests, load_seconds, workers, connections, history=0, **options):
        from evaluations.benchmark.dataset import Builder
        from evaluations.benchmark.measure import (
            Row,
            load_average,
            machine_facts,
            measure_dossier,
            measure_load,
            measure_pages,
            table,
        )

        started = time.monotonic()
        load_before = load_average()
        requests = requests or (5 if quick else 15)
        load_seconds = load_seconds or (4 if quick else 10)
        log = self.stderr.write

        log("Collecting static files (hashed names, as in production) ...")
        call_command("collectstatic", interactive=False, verbosity=0)
        log(f"Migrating the bench database {settings.DATABASES['default']['NAME']} ...")
        call_command("migrate", verbosity=0)
        log("Building the data set ...")
        built = time.monotonic()
        data = Builder(quick=quick, log=log, earlier_cycles=history).build()
        build_seconds = time.monotonic() - built

        log("Timing pages ...")
        rows = measure_pages(data, requests=requests, budget_s=4 if quick else 12, log=log)
        log("Rendering one dossier in a child process ...")
        try:
            rows.append(measure_dossier(data, log=log))
        except Exception as error:  # a broken renderer is a finding, not a reason to lose the table
            rows.append(Row("dossier PDF, one full regency", result=f"failed: {error}"))
        log(f"Loading gunicorn for {load_seconds} s per target ...")
        try:
            rows += measure_load(data, seconds=load_seconds, workers=workers, connections=connections, log=log)
        except Exception as error:  # idem: report it in the table
            rows.append(Row("gunicorn under load", result=f"failed: {error}"))

        counts = ", ".join(f"{n:,} {label}" for label, n in data.counts.items())
        self.stdout.write("")
        flags = "".join(f" {flag}" for flag in ("--quick" * quick, f"--history {history}" * bool(history)) if flag)
        self.stdout.write(f"KKS bench{f' ({flags.strip()})' if flags else ''}: {counts}.")
        self.stdout.write(f"Regions: {data.sources.get('regions')}; framework: {data.sources.get('framework')}.")
        self.stdout.write(
            f"Machine: {machine_facts()}. Data set built in {build_seconds:.0f} s; "
            f"whole run {time.monotonic() - started:.0f} s. Load average (1/5/15 min) at start {load_before}, "
            f"at end {load_average()}: other work on the machine skews the figures."
        )
        self.stdout.write("")
        self.stdout.write(table(rows))
