"""Demo regions, OPD, users, bodies and memberships, made through the forums services."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from forums.models import Body, BodyKind, MemberRole, Opd, OpdKind, Region, RegionLevel, Role, User
from forums.services import body_create, membership_add, opd_create, regions_load
from kks.samples import pdf_bytes
from tatanan.models import FrameworkVersion

from .data import BASE_OPD_KINDS, DEMO_PASSWORD, HEALTH_KIND, LOGINS, MAIN_REGENCY, PEOPLE, PROVINCE_CODE, REGENCIES


def sample_pdf(title: str) -> bytes:
    """A tiny one-page PDF standing in for a scanned SK."""
    return pdf_bytes(title, "Dokumen contoh untuk demo KKS")


# --- regions, OPD kinds, OPD -------------------------------------------------------


def regions() -> dict[str, Region]:
    """The demo province and regencies, loading them (and Kota Kediri's kecamatan/kelurahan) when absent."""
    wanted = (PROVINCE_CODE, *REGENCIES)
    found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    main_loaded = Region.objects.filter(parent__code=MAIN_REGENCY, level=RegionLevel.DISTRICT).exists()
    if len(found) < len(wanted) or not main_loaded:
        regions_load(regency_codes=[MAIN_REGENCY])
        found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    return found


def opd_kinds(framework: FrameworkVersion) -> list[tuple[OpdKind, str]]:
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


def health_kind(kinds) -> OpdKind:
    name = next(name for code, name, _short in BASE_OPD_KINDS if code == HEALTH_KIND)
    return next(k for k, _s in kinds if k.code == HEALTH_KIND or k.name.lower() == name.lower())


def opds(regencies, kinds, admin, result) -> dict[tuple[str, int], Opd]:
    held = Opd.kinds.through.objects.filter(opd__regency__in=regencies).select_related("opd")
    existing = {(row.opd.regency_id, row.opdkind_id): row.opd for row in held}
    opds = {}
    for regency in regencies:
        for kind, short in kinds:
            opd = existing.get((regency.pk, kind.pk))
            if opd is None:
                name = f"{kind.name.removesuffix(' Kabupaten/Kota')} {regency.name}"
                opd = Opd.objects.filter(regency=regency, name__iexact=name).first() or opd_create(
                    regency=regency, actor=admin, name=name, short_name=short, kinds=[kind]
                )
                result.count("OPD")
            opds[(regency.code, kind.pk)] = opd
    return opds


# --- users ---------------------------------------------------------------------------


def users(regions, health_kind, opds, result, *, only=None) -> dict[str, User]:
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


def bodies(framework, regions, users, admin, result) -> None:
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
