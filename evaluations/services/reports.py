"""PDF report jobs: request, render, retry and reap the dossiers and readiness reports.

A job moves queued -> rendering -> ready | failed. ``report_request`` and
``report_retry`` enqueue the Celery task only after their transaction commits.
``report_render`` (called by the task) claims the job with a conditional
UPDATE, so a second delivery of the same message does nothing, and writes its
progress outside any long transaction so the status page can show it. While it
renders, a heartbeat thread stamps the job (services/heartbeat.py); a job whose
heartbeat stopped (a worker killed mid-task) or that outlived the hard time limit
is marked failed by ``report_jobs_reap_stale`` (the beat task, every
KKS_REAP_INTERVAL seconds, and before every request or retry) and can be retried.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from evaluations import charts, pdf
from evaluations.models import Assessment, Cycle, EvidencePreview, JobStatus, PreviewStatus, ReportJob, ReportKind
from evaluations.selectors.award import cycle_policy
from evaluations.selectors.dossier import DossierData, EvidenceItem, dossier_data
from evaluations.selectors.jobs import DEAD_MESSAGE, dead_jobs
from evaluations.selectors.readiness import ReadinessTable, national_readiness, province_readiness
from forums.models import Region, RegionLevel, User
from forums.permissions import can_request_report, can_view_report_job

from .heartbeat import job_heartbeat

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = settings.KKS_REPORT_SOFT_TIME_LIMIT
HARD_TIME_LIMIT = settings.KKS_REPORT_HARD_TIME_LIMIT
ACTIVE = (JobStatus.QUEUED, JobStatus.RENDERING)
ERROR_MAX = 500


# --- request, retry, reap -----------------------------------------------------------


def _enqueue(job_id: int) -> None:
    from evaluations.tasks import render_report

    try:
        render_report.delay(job_id)
    except Exception as exc:
        # Broker unreachable: fail visibly so the user can retry. (In eager mode the
        # render's own errors also arrive here; the job then already says why.)
        logger.exception("cannot enqueue report job %s", job_id)
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error=(_("Antrean pekerjaan tidak dapat dihubungi: %s") % exc)[:ERROR_MAX],
            finished_at=timezone.now(),
        )


@transaction.atomic
def report_request(
    *,
    kind: str,
    cycle: Cycle,
    assessment: Assessment | None = None,
    region: Region | None = None,
    include_appendix: bool = False,
    actor: User,
) -> ReportJob:
    """Ask for a dossier (of ``assessment``) or a readiness report (of province ``region``, or national)."""
    if kind == ReportKind.DOSSIER:
        if assessment is None or assessment.cycle_id != cycle.pk or region is not None:
            raise ValidationError(_("Dosir memerlukan satu penilaian dari siklus ini."))
    elif kind == ReportKind.READINESS:
        if assessment is not None or (region is not None and region.level != RegionLevel.PROVINCE):
            raise ValidationError(_("Laporan kesiapan dibuat untuk satu provinsi atau nasional."))
        include_appendix = False
    else:
        raise ValidationError(_("Jenis dokumen tidak dikenal."))
    if not can_request_report(actor, kind=kind, assessment=assessment, region=region):
        raise PermissionDenied
    report_jobs_reap_stale()
    same = ReportJob.objects.select_for_update().filter(
        kind=kind,
        cycle=cycle,
        assessment=assessment,
        region=region,
        include_appendix=include_appendix,
        status__in=ACTIVE,
    )
    existing = same.first()
    if existing is not None:  # a double click, or someone else asked a moment ago
        return existing
    job = ReportJob.objects.create(
        kind=kind,
        cycle=cycle,
        assessment=assessment,
        region=region,
        include_appendix=include_appendix,
        requested_by=actor,
    )
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


@transaction.atomic
def report_retry(*, job: ReportJob, actor: User) -> ReportJob:
    """Put a failed job back in the queue."""
    if not can_view_report_job(actor, job):
        raise PermissionDenied
    report_jobs_reap_stale(job_ids=[job.pk])
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.FAILED:
        raise ValidationError(_("Hanya dokumen yang gagal dapat dibuat ulang."))
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.error = ""
    job.started_at = None
    job.finished_at = None
    job.save(update_fields=["status", "progress", "error", "started_at", "finished_at"])
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def report_jobs_reap_stale(*, job_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Mark dead jobs (heartbeat stopped, or past the hard time limit) as failed; returns how many."""
    now = now or timezone.now()
    stale = ReportJob.objects.filter(dead_jobs(now))
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    return stale.update(status=JobStatus.FAILED, error=str(DEAD_MESSAGE), finished_at=now)


# --- render ----------------------------------------------------------------------


def _claim(job_id: int, *, redelivered: bool) -> ReportJob | None:
    """Atomically move a queued (or abandoned) job to rendering; None if someone else has it or it is done."""
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | dead_jobs(now)
    if redelivered:  # the broker gave the message back after a worker died mid-task
        claimable |= Q(status=JobStatus.RENDERING)
    claimed = ReportJob.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RENDERING,
        progress=1,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        error="",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return ReportJob.objects.select_related(
        "cycle", "cycle__framework", "assessment", "region", "requested_by", "requested_by__region"
    ).get(pk=job_id)


def _progress_writer(job: ReportJob) -> Callable[[int], None]:
    def write(percent: int) -> None:
        ReportJob.objects.filter(pk=job.pk, status=JobStatus.RENDERING, attempts=job.attempts).update(
            progress=max(1, min(99, int(percent))), heartbeat_at=timezone.now()
        )

    return write


def _reason(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _("Waktu pembuatan dokumen habis.")
    if isinstance(exc, PermissionDenied):
        return _("Peminta dokumen tidak lagi berhak atas isinya.")
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX]


def report_render(*, job_id: int, redelivered: bool = False) -> ReportJob | None:
    """Render a job's PDF and store it; does nothing for a job that is not waiting to be rendered.

    Not one transaction on purpose: progress updates must be visible while it runs.
    Errors mark the job failed with the reason and are raised again for the caller.
    """
    job = _claim(job_id, redelivered=redelivered)
    if job is None:
        logger.info("report job %s is not claimable; skipped", job_id)
        return None
    progress = _progress_writer(job)
    try:
        if job.requested_by is not None and not can_view_report_job(job.requested_by, job):
            raise PermissionDenied
        with job_heartbeat(job_id=job.pk, attempt=job.attempts), translation.override(settings.LANGUAGE_CODE):
            if job.kind == ReportKind.DOSSIER:
                assert job.assessment_id is not None  # noqa: S101 - a dossier job always has one
                data = render_dossier_pdf(job.assessment_id, include_appendix=job.include_appendix, progress=progress)
            else:
                data = render_readiness_pdf(cycle=job.cycle, province=job.region, progress=progress)
        name = default_storage.save(f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(data))
    except BaseException as exc:
        ReportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
            status=JobStatus.FAILED, error=_reason(exc), finished_at=timezone.now()
        )
        raise
    done = ReportJob.objects.filter(pk=job.pk, status=JobStatus.RENDERING, attempts=job.attempts).update(
        status=JobStatus.READY,
        progress=100,
        file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        finished_at=timezone.now(),
        error="",
    )
    if not done:  # reaped or re-claimed meanwhile: this result is nobody's
        default_storage.delete(name)
        return None
    job.refresh_from_db()
    return job


# --- documents -------------------------------------------------------------------


Progress = Callable[[int], None]


def _noop(percent: int) -> None:
    return None


def _add_thumbnails(
    data: DossierData, progress: Progress, start: int, end: int, *, previews: bool = True
) -> list[EvidenceItem]:
    images = [e for e in data.evidence if e.is_image and e.version.content_type in pdf.IMAGE_TYPES]
    # The preview made once at upload (services.previews, at most PREVIEW_EDGE px) is the source when it is ready:
    # a few kB to decode instead of a phone photo of several MB; the original file otherwise.
    ready = EvidencePreview.objects.filter(version_id__in=[e.version.pk for e in images], status=PreviewStatus.READY)
    sources = dict(ready.values_list("version_id", "file")) if previews else {}
    for n, item in enumerate(images, start=1):
        for name in filter(None, (sources.get(item.version.pk), str(item.version.file.name))):
            try:
                with default_storage.open(name, "rb") as fh:
                    item.thumbnail = pdf.image_data_uri(fh)
                break
            except OSError:
                logger.warning("evidence file missing: %s", name)
        if n % 5 == 0 or n == len(images):
            progress(start + (end - start) * n // len(images))
    return images


def _appendix(data: DossierData) -> list[dict]:
    rows = []
    for item in data.evidence:
        if not item.is_pdf:
            continue
        try:
            with default_storage.open(str(item.version.file.name), "rb") as fh:
                info = pdf.inspect_pdf(fh)
        except OSError:
            info = pdf.PdfInfo(pages=None)
        rows.append({"item": item, "pages": info.pages, "ok": info.ok})
    return rows


def dossier_chart(data: DossierData) -> str:
    labels = [str(s.tatanan) for s in data.sections]
    series = [
        charts.Series(str(level.label), [s.levels[n].percent for s in data.sections])
        for n, level in enumerate(data.sections[0].levels if data.sections else [])
    ]
    return charts.bar_chart(
        title=_("Nilai per tatanan"),
        labels=labels,
        series=series,
        thresholds=charts.level_thresholds(data.scores.policy),
    )


def render_dossier_pdf(
    assessment_id: int,
    *,
    include_appendix: bool = False,
    progress: Progress = _noop,
    fixed_tables: bool = True,
    previews: bool = True,
) -> bytes:
    """The verification dossier of one assessment as PDF bytes (progress 5..99 reported on the way).

    ``fixed_tables=False`` lays the repeated tables out automatically and ``previews=False`` draws the photo
    thumbnails from the original files, as before issue 11 (the bench renders both ways in one run)."""
    data = dossier_data(assessment_id)
    progress(10)
    _add_thumbnails(data, progress, 10, 45, previews=previews)
    appendix = _appendix(data) if include_appendix else []
    progress(50)
    html = render_to_string(
        "evaluations/pdf/dossier.html",
        {
            "data": data,
            "assessment": data.assessment,
            "chart": dossier_chart(data),
            "appendix": appendix,
            "generated_at": timezone.now(),
            "fixed_tables": fixed_tables,
        },
    )
    progress(60)
    document = pdf.render_pdf(html, base_url=pdf.static_roots()[0])
    progress(85)
    if appendix:
        files = []
        try:
            for row in appendix:
                if row["ok"]:
                    fh = default_storage.open(row["item"].version.file.name, "rb")
                    files.append(fh)
                    row["file"] = fh
            parts = [(r["item"].version.original_name, r["file"]) for r in appendix if r["ok"]]
            document = pdf.append_pdfs(document, parts, outline_title=_("Lampiran bukti dukung"))
        finally:
            for fh in files:
                fh.close()
        progress(95)
    return document


# Rows of the readiness chart that fit one A4 landscape page of the PDF (22 px per row).
CHART_ROWS_PER_PAGE = 24


def readiness_chart(table: ReadinessTable) -> SafeString:
    """The whole readiness chart as one SVG (web page)."""
    return readiness_charts(table, rows_per_chart=None)[0]


def readiness_charts(table: ReadinessTable, *, rows_per_chart: int | None = CHART_ROWS_PER_PAGE) -> list[SafeString]:
    """The readiness chart cut into parts of at most ``rows_per_chart`` rows, so a PDF page never clips one."""
    title = _("Skor rata-rata (%(basis)s)") % {"basis": table.basis_label}
    rows = list(table.rows)
    if not rows:
        return [charts.empty_chart(title)]
    size = rows_per_chart or len(rows)
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    parts: list[SafeString] = []
    for n, chunk in enumerate(chunks, start=1):
        part_title = title if len(chunks) == 1 else f"{title} ({n}/{len(chunks)})"
        parts.append(
            charts.bar_chart(
                title=part_title,
                labels=[row.region.name for row in chunk],
                series=[charts.Series(str(table.basis_label), [row.score for row in chunk])],
                thresholds=charts.level_thresholds(cycle_policy(table.cycle)),
            )
        )
    return parts


def render_readiness_pdf(*, cycle: Cycle, province: Region | None = None, progress: Progress = _noop) -> bytes:
    """The readiness table of a province (or the nation when ``province`` is None) as PDF bytes."""
    if province is not None:
        table = province_readiness(province=province, cycle=cycle)
    else:
        table = national_readiness(cycle=cycle)
    progress(40)
    html = render_to_string(
        "evaluations/pdf/readiness.html",
        {
            "table": table,
            "charts": readiness_charts(table),
            "generated_at": timezone.now(),
        },
    )
    progress(60)
    return pdf.render_pdf(html, base_url=pdf.static_roots()[0])
