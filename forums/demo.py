"""The demo data set behind ``manage.py seed_demo``: Jawa Timur with three regencies, ready to click through.

Idempotent: a re-run finds what an earlier run made and adds only what is
missing; it never overwrites what demo users changed, except that the cycle's
windows are moved around "now" so filling and review stay open.
Nothing about the framework is written here: tatanan, indicators and the OPD
kinds responsible for them come from the loaded framework version.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from evaluations.models import Assessment, Cycle, Response, ResponseStatus, Stage, StatusChange
from tatanan.models import FrameworkVersion, IndicatorKind

from .models import Body, BodyKind, MemberRole, Opd, OpdKind, Region, RegionLevel, Role, User
from .services import body_create, membership_add, opd_create, regions_load
from .services.regions import region_source, village_source

DEMO_PASSWORD = "kks-demo-2025"  # noqa: S105 - a published demo password, refused outside DEBUG
PROVINCE_CODE = "35"
MAIN_REGENCY = "35.71"  # Kota Kediri: bodies down to kelurahan level, most answers filled
REGENCIES = ("35.71", "35.06", "35.77")  # Kota Kediri, Kabupaten Kediri, Kota Madiun
# Share of indicators answered and submitted per regency; Kota Madiun has just started.
FILL_SHARE = {"35.71": 0.7, "35.06": 0.35, "35.77": 0.0}
SUBMIT_COUNT = {"35.71": 12, "35.06": 3, "35.77": 0}
STOP_BABS_SHARE = {"35.71": 1.0, "35.06": 0.93, "35.77": 0.85}

# OPD kinds every regency has in the demo, matched to the framework's kinds by code or name.
BASE_OPD_KINDS = [
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("disdik", "Dinas Pendidikan", "Disdik"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR"),
]
HEALTH_KIND = "dinkes"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    region_code: str
    opd_kind: str = ""
    first_name: str = ""
    last_name: str = ""


LOGINS = [
    DemoLogin("koordinator", Role.FORUM_COORDINATOR, MAIN_REGENCY, "", "Rina", "Kusumawati"),
    DemoLogin("opd_dinkes", Role.OPD_OFFICER, MAIN_REGENCY, HEALTH_KIND, "Agus", "Prasetyo"),
    DemoLogin("reviewer_dinkes", Role.HEALTH_REVIEWER, MAIN_REGENCY, HEALTH_KIND, "Dewi", "Lestari"),
    DemoLogin("pembina_jatim", Role.PROVINCIAL_OFFICIAL, PROVINCE_CODE, "", "Hendra", "Wijaya"),
    DemoLogin("verifikator_pusat", Role.NATIONAL_VERIFIER, "", "", "Sri", "Handayani"),
    DemoLogin("admin", Role.ADMIN, "", "", "Admin", "KKS"),
]

PEOPLE = [
    "Drs. Bambang Sutrisno",
    "Ir. Endang Purwaningsih",
    "dr. Yusuf Hidayat",
    "Siti Nurjanah, S.KM",
    "Hadi Santoso, S.Sos",
    "Lilik Mariyani",
    "Joko Susilo",
    "Wahyu Ningsih",
    "Ahmad Fauzi",
    "Retno Wulandari",
]


class DemoError(Exception):
    """Something the demo needs is missing; the message says what to run first."""


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def sample_pdf(title: str) -> bytes:
    """A tiny one-page PDF standing in for a scanned SK."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj 0 -24 Td (Dokumen contoh untuk demo KKS) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def get_framework(code: str) -> FrameworkVersion:
    try:
        return FrameworkVersion.objects.get(code=code)
    except FrameworkVersion.DoesNotExist:
        raise DemoError(
            f"Kerangka '{code}' belum dimuat. Jalankan dulu: "
            "manage.py load_framework tatanan/data/kks-2025.yaml --publish"
        ) from None


# --- regions, OPD kinds, OPD -------------------------------------------------------


def _regions() -> dict[str, Region]:
    """The demo province and regencies, loading them (and Kota Kediri's kecamatan/kelurahan) when absent."""
    wanted = (PROVINCE_CODE, *REGENCIES)
    found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    main_loaded = Region.objects.filter(parent__code=MAIN_REGENCY, level=RegionLevel.DISTRICT).exists()
    if len(found) < len(wanted) or not main_loaded:
        regions_load(regency_codes=[MAIN_REGENCY])
        found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    return found


def _opd_kinds(framework: FrameworkVersion) -> list[tuple[OpdKind, str]]:
    """The framework's responsible OPD kinds plus the base ones, each with a short name."""
    kinds: dict[int, tuple[OpdKind, str]] = {}
    for code, name, short in BASE_OPD_KINDS:
        kind = OpdKind.objects.filter(Q(code=code) | Q(name__iexact=name)).order_by("pk").first()
        if kind is None:
            kind = OpdKind.objects.create(code=code, name=name)
        kinds[kind.pk] = (kind, short)
    for kind in OpdKind.objects.filter(indicators__framework=framework).distinct():
        kinds.setdefault(kind.pk, (kind, ""))
    return list(kinds.values())


def _health_kind(kinds) -> OpdKind:
    name = next(name for code, name, _short in BASE_OPD_KINDS if code == HEALTH_KIND)
    return next(k for k, _s in kinds if k.code == HEALTH_KIND or k.name.lower() == name.lower())


def _opds(regencies, kinds, admin, result) -> dict[tuple[str, int], Opd]:
    existing = {(o.regency_id, o.kind_id): o for o in Opd.objects.filter(regency__in=regencies)}
    opds = {}
    for regency in regencies:
        for kind, short in kinds:
            opd = existing.get((regency.pk, kind.pk))
            if opd is None:
                name = f"{kind.name} {regency.name}"
                opd = Opd.objects.filter(regency=regency, name__iexact=name).first() or opd_create(
                    regency=regency, actor=admin, name=name, short_name=short, kind=kind
                )
                result.count("OPD")
            opds[(regency.code, kind.pk)] = opd
    return opds


# --- users ---------------------------------------------------------------------------


def _users(regions, health_kind, opds, result, *, only=None) -> dict[str, User]:
    password = None
    users = {u.username: u for u in User.objects.filter(username__in=[lg.username for lg in LOGINS])}
    for login in LOGINS:
        if login.username in users or (only and login.username not in only):
            continue
        password = password or make_password(DEMO_PASSWORD)
        region = regions.get(login.region_code)
        opd = opds.get((login.region_code, health_kind.pk)) if login.opd_kind else None
        is_admin = login.role == Role.ADMIN
        users[login.username] = User.objects.create(
            username=login.username,
            password=password,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@demo.kks.invalid",
            role=login.role,
            region=region,
            opd=opd,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        result.count("pengguna")
    return users


# --- bodies and memberships ------------------------------------------------------------


def _body(*, kind, region, name, signer, admin, result, sk_year=2024, members=(), with_sk=True) -> Body:
    body = Body.objects.filter(kind=kind, region=region, name=name).first()
    if body is not None:
        return body
    details = {"name": name, "work_plan_years": "2025–2026", "secretariat_address": f"Sekretariat {name}"}
    sk_file = None
    if with_sk:
        details.update(
            sk_number=f"188.45/{10 + result.created.get('lembaga', 0)}/KEP/{sk_year}",
            sk_date=datetime.date(sk_year, 2, 1),
            sk_signed_by=signer,
            sk_valid_until=datetime.date(sk_year + 3, 12, 31),
            work_plan="Rapat koordinasi triwulanan, pembinaan tatanan, pemantauan indikator dan pelaporan tahunan.",
            budget_amount=75_000_000 if kind in (BodyKind.TIM_PEMBINA, BodyKind.FORUM) else 15_000_000,
            budget_source="APBD" if kind != BodyKind.POKJA else "APBDes",
        )
        sk_file = SimpleUploadedFile(f"SK {name}.pdf", sample_pdf(f"SK {name}"), content_type="application/pdf")
    body = body_create(actor=admin, kind=kind, region=region, sk_file=sk_file, **details)
    result.count("lembaga")
    start = datetime.date(sk_year, 2, 1)
    for seat in members:
        membership_add(body=body, actor=admin, period_start=start, **seat)
        result.count("anggota")
    return body


def _seats(people, *, chair_position, user=None, tatanan_names=()):
    seats = [
        {"person_name": people[0], "position": chair_position, "role": MemberRole.KETUA},
        {"person_name": people[1], "position": "Sekretaris Daerah", "role": MemberRole.WAKIL_KETUA},
        {"person_name": people[2], "position": "Dinas Kesehatan", "role": MemberRole.SEKRETARIS},
        {"person_name": people[3], "position": "BPKAD", "role": MemberRole.BENDAHARA},
    ]
    if user is not None:
        seats.append({"user": user, "position": "Koordinator Forum", "role": MemberRole.ANGGOTA})
    for i, tatanan_name in enumerate(tatanan_names):
        seats.append(
            {
                "person_name": people[(4 + i) % len(people)],
                "position": "Anggota Forum",
                "role": MemberRole.KOORDINATOR_TATANAN,
                "tatanan_name": tatanan_name,
            }
        )
    return seats


def _bodies(framework, regions, users, admin, result) -> None:
    province, kediri = regions[PROVINCE_CODE], regions[MAIN_REGENCY]
    tatanan_names = list(framework.tatanan.order_by("number").values_list("name", flat=True)[:3])
    _body(
        kind=BodyKind.TIM_PEMBINA_PROVINSI,
        region=province,
        name=f"Tim Pembina KKS Provinsi {province.name}",
        signer=f"Gubernur {province.name}",
        admin=admin,
        result=result,
        members=[
            {"person_name": PEOPLE[5], "position": "Kepala Bappeda Provinsi", "role": MemberRole.KETUA},
            {"person_name": PEOPLE[6], "position": "Kepala Dinas Kesehatan Provinsi", "role": MemberRole.SEKRETARIS},
            {"user": users["pembina_jatim"], "position": "Dinas Kesehatan Provinsi", "role": MemberRole.ANGGOTA},
        ],
    )
    for code in REGENCIES:
        regency = regions[code]
        head = "Wali Kota" if regency.name.startswith("Kota ") else "Bupati"
        place = regency.name.removeprefix("Kota ").removeprefix("Kabupaten ")
        main = code == MAIN_REGENCY
        _body(
            kind=BodyKind.TIM_PEMBINA,
            region=regency,
            name=f"Tim Pembina KKS {regency.name}",
            signer=f"{head} {place}",
            admin=admin,
            result=result,
            with_sk=code != "35.77",
            members=_seats(PEOPLE, chair_position=f"Kepala Bappeda {regency.name}") if main else (),
        )
        _body(
            kind=BodyKind.FORUM,
            region=regency,
            name=f"Forum {regency.name} Sehat",
            signer=f"{head} {place}",
            admin=admin,
            result=result,
            members=_seats(
                PEOPLE[3:] + PEOPLE[:3],
                chair_position="Tokoh masyarakat",
                user=users["koordinator"] if main else None,
                tatanan_names=tatanan_names if main else (),
            ),
        )
    kecamatan = list(Region.objects.filter(parent=kediri, level=RegionLevel.DISTRICT).order_by("code"))
    for i, district in enumerate(kecamatan):
        _body(
            kind=BodyKind.FKK,
            region=district,
            name=f"Forum Komunikasi Kecamatan {district.name}",
            signer=f"Camat {district.name}",
            admin=admin,
            result=result,
            members=[{"person_name": PEOPLE[(i + 6) % len(PEOPLE)], "position": "Camat", "role": MemberRole.KETUA}],
        )
    villages = Region.objects.filter(parent__in=kecamatan[:1], level=RegionLevel.VILLAGE).order_by("code")[:2]
    for village in villages:
        _body(
            kind=BodyKind.POKJA,
            region=village,
            name=f"Pokja {village.get_kind_display()} Sehat {village.name}",
            signer=f"Lurah {village.name}" if village.kind == "kelurahan" else f"Kepala Desa {village.name}",
            admin=admin,
            result=result,
            members=[{"person_name": PEOPLE[8], "position": "Kader posyandu", "role": MemberRole.KETUA}],
        )


# --- cycle, assessments, responses ---------------------------------------------------------


def _cycle(framework, now, result) -> Cycle:
    day = datetime.timedelta(days=1)
    windows = {
        "year": framework.year,
        "self_assessment_opens": now - 30 * day,
        "self_assessment_closes": now + 60 * day,
        "provincial_opens": now - 7 * day,
        "provincial_closes": now + 90 * day,
        "national_opens": now - 7 * day,
        "national_closes": now + 120 * day,
    }
    cycle, created = Cycle.objects.update_or_create(framework=framework, name=f"KKS {framework.year}", defaults=windows)
    if created:
        result.count("siklus")
    return cycle


def _odf(code: str) -> dict:
    prefix = f"{code}."
    kecamatan = sum(1 for c in region_source() if c.startswith(prefix))
    villages = sum(1 for c in village_source() if c.startswith(prefix))
    return {
        "odf_kecamatan_count": kecamatan,
        "odf_village_count": villages,
        "odf_stop_babs_count": int(villages * STOP_BABS_SHARE[code]),
    }


def _fill(assessment, responses, *, code, actor, rng, result) -> None:
    """Answer a share of the indicators with a value from their own scale, and submit a few."""
    chosen = [r for r in responses if rng.random() < FILL_SHARE[code]]
    for response in chosen:
        values = response.indicator.allowed_values()
        response.value = rng.choice(values[:2] if len(values) > 1 else values)
        response.achievement = f"Capaian {assessment.cycle.year - 1}: sesuai laporan OPD (data contoh)."
        response.achievement_previous = f"Capaian {assessment.cycle.year - 2}: tercatat dalam laporan tahunan."
        response.explanation = "Data demo untuk mencoba alur pengisian dan verifikasi."
        response.updated_by = actor
        response.version += 1
    submitted = chosen[: SUBMIT_COUNT[code]]
    for response in submitted:
        response.status = ResponseStatus.SUBMITTED
        response.version += 1
    fields = ["value", "achievement", "achievement_previous", "explanation", "updated_by", "status", "version"]
    Response.objects.bulk_update(chosen, fields, batch_size=500)
    StatusChange.objects.bulk_create(
        StatusChange(
            response=r,
            actor=actor,
            stage=Stage.KABUPATEN,
            from_status=ResponseStatus.DRAFT,
            to_status=ResponseStatus.SUBMITTED,
            value=r.value,
        )
        for r in submitted
    )
    result.count("jawaban terisi", len(chosen))
    result.count("jawaban diajukan", len(submitted))


def _assessments(cycle, regions, users, result) -> None:
    indicators = list(cycle.framework.indicators.prefetch_related("scale_options").order_by("sort_order", "pk"))
    rng = random.Random(2025)  # noqa: S311 - demo data, not security
    for code in REGENCIES:
        regency = regions[code]
        assessment, created = Assessment.objects.get_or_create(cycle=cycle, regency=regency, defaults=_odf(code))
        have = set(assessment.responses.values_list("indicator_id", flat=True))
        missing = [Response(assessment=assessment, indicator=i) for i in indicators if i.pk not in have]
        Response.objects.bulk_create(missing, batch_size=500)
        if not created:
            continue
        result.count("penilaian")
        responses = list(assessment.responses.select_related("indicator").order_by("indicator__sort_order"))
        by_indicator = {i.pk: i for i in indicators}
        for r in responses:
            r.indicator = by_indicator[r.indicator_id]  # with its prefetched scale
        tatanan_responses = [r for r in responses if r.indicator.kind == IndicatorKind.TATANAN]
        actor = users["opd_dinkes"] if code == MAIN_REGENCY else users["admin"]
        _fill(assessment, tatanan_responses, code=code, actor=actor, rng=rng, result=result)


@transaction.atomic
def seed_demo(*, framework_code: str = "kks-2025", now: datetime.datetime | None = None) -> DemoResult:
    now = now or timezone.now()
    framework = get_framework(framework_code)
    result = DemoResult()
    regions = _regions()
    missing = [c for c in (PROVINCE_CODE, *REGENCIES) if c not in regions]
    if missing:
        raise DemoError(f"Wilayah {', '.join(missing)} tidak ada; jalankan dulu manage.py load_regions.")
    regencies = [regions[c] for c in REGENCIES]
    kinds = _opd_kinds(framework)
    health_kind = _health_kind(kinds)
    admin = _users(regions, health_kind, {}, result, only={"admin"})["admin"]
    if not admin.is_superuser and admin.role != Role.ADMIN:
        raise DemoError("Pengguna 'admin' sudah ada tetapi bukan administrator; demo tidak dapat dibuat.")
    opds = _opds(regencies, kinds, admin, result)
    users = _users(regions, health_kind, opds, result)
    _bodies(framework, regions, users, admin, result)
    cycle = _cycle(framework, now, result)
    _assessments(cycle, regions, users, result)
    return result


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role, region) of the demo logins that exist."""
    users = {
        u.username: u
        for u in User.objects.select_related("region", "opd").filter(username__in=[lg.username for lg in LOGINS])
    }
    rows = []
    for login in LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        where = str(user.region) if user.region_id else "Seluruh Indonesia"
        if user.opd_id:
            where = f"{user.opd}, {where}"
        rows.append((user.username, DEMO_PASSWORD, Role(login.role).label, where))
    return rows
