"""What `manage.py bench` measures: pages in-process, the dossier in a child process, gunicorn under load."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from .dataset import Dataset

BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class Row:
    what: str
    persona: str = ""
    queries: int | None = None
    median_ms: float | None = None
    ratio: float | None = None
    result: str = ""
    wire_bytes: int | None = None


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    persona: str
    args: Callable[[Dataset], list]


def largest_tatanan(data: Dataset):
    return data.cycle.framework.tatanan.annotate(n=Count("indicators")).order_by("-n", "number").first()


PAGES = [
    Page("bare view (HttpResponse, login required)", "bench-bare-view", "coordinator", lambda d: []),
    Page("bare page (base.html, empty)", "bench-bare-page", "coordinator", lambda d: []),
    Page("assessment page", "evaluations:assessment-detail", "coordinator", lambda d: [d.assessment.pk]),
    Page(
        "tatanan fill page (largest tatanan)",
        "evaluations:tatanan-fill",
        "coordinator",
        lambda d: [d.assessment.pk, largest_tatanan(d).pk],
    ),
    Page("kelembagaan fill page", "evaluations:kelembagaan-fill", "coordinator", lambda d: [d.assessment.pk]),
    Page("review queue (kabupaten/kota reviewer)", "evaluations:review-queue", "reviewer", lambda d: []),
    Page("review queue (provincial Dinkes reviewer)", "evaluations:review-queue", "province_reviewer", lambda d: []),
    Page("province report", "evaluations:province-report", "provincial", lambda d: [d.province.pk]),
    Page("province report XLSX export", "evaluations:province-report-xlsx", "provincial", lambda d: [d.province.pk]),
    Page("national report", "evaluations:national-report", "national", lambda d: []),
    Page("national report XLSX export", "evaluations:national-report-xlsx", "national", lambda d: []),
]
BARE = "bench-bare-view"


def _read(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}  # as every browser asks; the timed requests too


def _raw_size(response) -> int:
    """The size of the page before compression (the body as the template made it)."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return len(gzip.decompress(body)) if response.get("Content-Encoding") == "gzip" else len(body)


def measure_pages(data: Dataset, *, requests: int, budget_s: float, log) -> list[Row]:
    """Each page: one warm-up request counting queries (timed too: the readiness caches miss there), then up to
    ``requests`` timed ones."""
    clients: dict[str, Client] = {}
    rows, bare_ms = [], None
    for page in PAGES:
        try:
            url = reverse(page.url_name, args=page.args(data))
        except NoReverseMatch:
            rows.append(Row(page.label, result=f"skipped: no URL named {page.url_name}"))
            continue
        user = data.personas[page.persona]
        if page.persona not in clients:
            clients[page.persona] = Client()
            clients[page.persona].force_login(user)
        client = clients[page.persona]
        try:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                first = client.get(url, **GZIP)
                wire = _read(first)
                first_ms = (time.perf_counter() - started) * 1000  # the readiness caches miss here
            queries = len(captured)  # now: later requests reset the log it reads from
        except Exception as error:  # a failing page is a finding for the table, not the end of the bench
            rows.append(Row(page.label, _persona_label(user), result=f"error: {type(error).__name__}: {error}"))
            log(f"  {page.label}: {type(error).__name__}: {error}")
            continue
        if first.status_code != 200:
            rows.append(Row(page.label, page.persona, queries, result=f"HTTP {first.status_code} at {url}"))
            continue
        times = []
        deadline = time.perf_counter() + budget_s
        for _ in range(requests):
            started = time.perf_counter()
            _read(client.get(url, **GZIP))
            times.append((time.perf_counter() - started) * 1000)
            if time.perf_counter() > deadline and len(times) >= 3:
                break
        median = statistics.median(times)
        if page.url_name == BARE:
            bare_ms = median
        ratio = median / bare_ms if bare_ms else None
        raw = _raw_size(client.get(url, **GZIP))
        result = (
            f"{len(times)} requests, p90 {_p90(times):.1f} ms, first request {first_ms:.1f} ms, "
            f"{raw / 1024:.0f} KiB before compression"
        )
        rows.append(Row(page.label, _persona_label(user), queries, median, ratio, result, wire_bytes=wire))
        log(f"  {page.label}: {queries} queries, median {median:.1f} ms")
    return rows


def _p90(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def _persona_label(user) -> str:
    return user.get_role_display() if user.role else ("admin" if user.is_superuser else user.username)


# -- the dossier, in a child process so its peak memory is its own ---------------------------------

DOSSIER_CHILD = """
import json, sys, time
import django
django.setup()
from evaluations.services.reports import report_render

def peak_kb():
    # VmHWM is this process's own peak RSS; ru_maxrss would include the parent's from before exec.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

from evaluations import pdf

# The WeasyPrint floor: the HTML the dossier hands to WeasyPrint, kept to be laid out again on its own.
seen = {}
original = pdf.render_pdf

def recording(html, **kwargs):
    started = time.perf_counter()
    try:
        return original(html, **kwargs)
    finally:
        seen.update(html=html, kwargs=kwargs, inside=time.perf_counter() - started)

pdf.render_pdf = recording
idle = peak_kb()
started = time.perf_counter()
job = report_render(job_id=int(sys.argv[1]))
seconds = time.perf_counter() - started
peak = peak_kb()
floor = None
if "html" in seen:
    started = time.perf_counter()
    original(seen["html"], **seen["kwargs"])
    floor = time.perf_counter() - started
# The render as it was before issue 11 (automatic table layout, thumbnails drawn from the original photos), on
# the same data in the same process: the comparison the issue asks for.
from evaluations.services.reports import render_dossier_pdf
inside, html_bytes = seen.get("inside"), len(seen.get("html", ""))  # before the second render records its own
started = time.perf_counter()
render_dossier_pdf(job.assessment_id, include_appendix=job.include_appendix, fixed_tables=False, previews=False)
before = time.perf_counter() - started
from pypdf import PdfReader
with job.file.open("rb") as fh:
    pages = len(PdfReader(fh).pages)
print(json.dumps({"seconds": seconds, "peak_kb": peak, "idle_kb": idle, "pages": pages, "bytes": job.file.size,
                  "floor": floor, "inside": inside, "html_bytes": html_bytes, "before": before}))
"""


def measure_dossier(data: Dataset, *, log) -> Row:
    label = "dossier PDF, one full regency (report_render)"
    try:
        from evaluations.services import reports
    except ImportError:
        return Row(label, result="skipped: evaluations.services.reports does not exist yet")
    if not hasattr(reports, "report_render"):
        return Row(label, result="skipped: evaluations.services.reports.report_render does not exist yet")
    from evaluations.models import EvidenceVersion, ReportJob, ReportKind

    job = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=data.cycle, assessment=data.assessment, requested_by=data.personas["national"]
    )
    evidence = EvidenceVersion.objects.filter(
        evidence__response__assessment=data.assessment, evidence__current_id=F("pk")
    ).count()
    result = subprocess.run(  # noqa: S603 - our own code with the current interpreter
        [sys.executable, "-c", DOSSIER_CHILD, str(job.pk)],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        return Row(label, "national verifier", result=f"failed: {result.stderr.strip().splitlines()[-1:]}")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    log(f"  dossier: {out['seconds']:.1f} s, peak RSS {out['peak_kb'] / 1024:.0f} MB")
    indicators = data.counts.get("indicators", 0)
    floor = ""
    if out.get("floor"):
        floor = (
            f"WeasyPrint-only floor for the same HTML ({out['html_bytes'] / 1024:.0f} KiB) {out['floor']:.2f} s, "
            f"whole render {out['seconds'] / out['floor']:.2f}× the floor (WeasyPrint inside the render "
            f"{out['inside']:.2f} s); "
        )
    if out.get("before"):
        floor += (
            f"the render before issue 11 (automatic table layout, thumbnails from the original photos) "
            f"{out['before']:.2f} s on the same data, {out['before'] / out['seconds']:.2f}× this render; "
        )
    return Row(
        label,
        "national verifier",
        None,
        out["seconds"] * 1000,
        None,
        f"{floor}{out['pages']} pages, {out['bytes'] / 1e6:.1f} MB, {indicators} indicators, "
        f"{evidence} current evidence files; peak RSS {out['peak_kb'] / 1024:.0f} MB "
        f"({(out['peak_kb'] - out['idle_kb']) / 1024:.0f} MB above the process before rendering)",
    )


# -- gunicorn on loopback ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, *, workers: int):
        self.workers = workers
        self.port = free_port()
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own server with the current interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kks.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                "--timeout",
                "60",
                "--keep-alive",
                "5",
            ],
            cwd=BASE_DIR,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read().decode()[-500:]}")
            try:
                status, _ = http_get(self.port, "/healthz", {})
                if status in (200, 503):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def http_get(port, path, headers, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, conn
    finally:
        if own:
            conn.close()


def load_python(port, path, headers, *, seconds, connections, max_requests) -> dict:
    """A bounded threaded client: ``connections`` keep-alive connections until time or count runs out."""
    deadline = time.monotonic() + seconds
    lock, counts, latencies = threading.Lock(), {"ok": 0, "bad": 0}, []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if counts["ok"] + counts["bad"] >= max_requests:
                        return
                started = time.perf_counter()
                try:
                    status, _ = http_get(port, path, headers, conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status = 0
                elapsed = time.perf_counter() - started
                with lock:
                    counts["ok" if status == 200 else "bad"] += 1
                    latencies.append(elapsed)
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "tool": f"Python client, {connections} connections",
        "rps": counts["ok"] / elapsed,
        "requests": counts["ok"] + counts["bad"],
        "errors": counts["bad"],
        "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
    }


def load_wrk(port, path, headers, *, seconds, connections) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(  # noqa: S603 - wrk against our own loopback server
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1, "s": 1000}
    return {
        "tool": f"wrk, {connections} connections",
        "rps": rps,
        "requests": total,
        "errors": int(bad.group(1)) if bad else 0,
        "p50_ms": float(p50.group(1)) * factor[p50.group(2)] if p50 else None,
    }


def measure_load(data: Dataset, *, seconds: int, workers: int, connections: int, log) -> list[Row]:
    client = Client()
    client.force_login(data.personas["coordinator"])
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}
    targets = [("login page", reverse("login"), {}, "anonymous")]
    targets.append(("bare view", reverse(BARE), cookie, "forum coordinator"))
    try:
        fill = reverse("evaluations:tatanan-fill", args=[data.assessment.pk, largest_tatanan(data).pk])
        targets.append(("tatanan fill page", fill, cookie, "forum coordinator"))
    except NoReverseMatch:
        pass
    use_wrk = shutil.which("wrk") is not None
    rows = []
    with Gunicorn(workers=workers) as server:
        for label, path, headers, persona in targets:
            # Warm every worker (imports, templates, connections: ~2 s cold) before counting.
            load_python(server.port, path, headers, seconds=4, connections=workers, max_requests=workers * 4)
            if use_wrk:
                out = load_wrk(server.port, path, headers, seconds=seconds, connections=connections)
            else:
                out = load_python(
                    server.port, path, headers, seconds=seconds, connections=connections, max_requests=200_000
                )
            log(f"  gunicorn {label}: {out['rps']:.0f} req/s ({out['tool']})")
            p50 = f", p50 {out['p50_ms']:.0f} ms" if out["p50_ms"] is not None else ""
            rows.append(
                Row(
                    f"gunicorn, {workers} sync workers: {label}",
                    persona,
                    result=f"**{out['rps']:.0f} req/s**{p50}; {out['requests']} requests in {seconds} s, "
                    f"{out['errors']} errors ({out['tool']})",
                )
            )
    return rows


# -- the table and the machine ------------------------------------------------------------------------


def load_average() -> str:
    try:
        return " / ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def machine_facts() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
            cpu = names[0] if names else cpu
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kb = int(handle.readline().split()[1])
            memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    import django

    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {pg} on the same machine"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| Measurement | As | Queries | Median ms | × bare view | KiB on the wire | Details |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        wire = "" if row.wire_bytes is None else f"{row.wire_bytes / 1024:.1f}"
        queries = "" if row.queries is None else str(row.queries)
        median = "" if row.median_ms is None else f"{row.median_ms:,.1f}"
        ratio = "" if row.ratio is None else f"{row.ratio:.1f}×"
        lines.append(f"| {row.what} | {row.persona} | {queries} | {median} | {ratio} | {wire} | {row.result} |")
    return "\n".join(lines)
