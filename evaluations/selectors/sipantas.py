"""The SIPANTAS exchange: one regency's assessment as a machine-importable document (JSON; XLSX in exports).

SIPANTAS has its own ids: ``SipantasIndicator`` maps an indicator code of a framework to its
``indikator_id`` and ``SipantasRegency`` a regency to its ``kabupaten_id`` (both imported from CSV,
services/sipantas.py). Rows without an id are exported with ``None`` and named in ``missing_ids``.
Evidence links are absolute URLs of the permission-checked download view (``base_url`` + path).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypedDict

from django.db.models import Q
from django.urls import reverse

from evaluations.models import (
    Assessment,
    EvidenceVersion,
    Response,
    SipantasIndicator,
    SipantasRegency,
    Stage,
    StatusChange,
)
from evaluations.selectors.general_data import CountCheck, count_checks, general_data
from forums.permissions import DECISIONS, SUBMISSIONS
from tatanan import scoring
from tatanan.models import IndicatorKind

FORMAT = "kks-sipantas/1"


class Bukti(TypedDict):
    tahun: int
    judul: str
    nama_berkas: str
    sha256: str
    url: str


class Hitungan(TypedDict):
    dokumen: str
    per: str
    ada: int
    diusulkan: int


class IndicatorRow(TypedDict):
    indikator_id: str | None
    kode: str
    tatanan: int | None
    nama: str
    capaian: str
    capaian_sebelumnya: str
    nilai_mandiri: int | None
    nilai_provinsi: int | None
    penjelasan_kabupaten: str
    penjelasan_provinsi: str
    status: str
    tingkat: str
    tahun: int
    tahun_sebelumnya: int
    bukti: list[Bukti]
    hitungan: Hitungan | None


class Odf(TypedDict):
    jumlah_kecamatan: int
    jumlah_desa_kelurahan: int
    jumlah_desa_stop_babs: int
    persentase: float


class MissingId(TypedDict):
    jenis: str  # "kabupaten" or "indikator"
    kode: str


def _evidence(assessment: Assessment, base_url: str) -> dict[int, list[Bukti]]:
    """The shown version (current, else latest) of each active evidence, by response, year N first."""
    versions = (
        EvidenceVersion.objects.filter(evidence__response__assessment=assessment, evidence__withdrawn_at__isnull=True)
        .select_related("evidence")
        .order_by("evidence__response_id", "evidence__created_at", "evidence_id", "number")
    )
    latest: dict[int, EvidenceVersion] = {}
    current: dict[int, EvidenceVersion] = {}
    for v in versions:  # ordered by number: the last one seen is the latest
        latest[v.evidence_id] = v
        if v.evidence.current_id == v.pk:
            current[v.evidence_id] = v
    chosen = {evidence_id: current.get(evidence_id, v) for evidence_id, v in latest.items()}
    root = base_url.rstrip("/")
    by_response: dict[int, list[Bukti]] = defaultdict(list)
    for v in chosen.values():
        by_response[v.evidence.response_id].append(
            Bukti(
                tahun=v.evidence.data_year,
                judul=v.evidence.title,
                nama_berkas=v.original_name,
                sha256=v.sha256,
                url=root + reverse("evaluations:evidence-download", args=[v.pk]),
            )
        )
    for items in by_response.values():
        items.sort(key=lambda b: -b["tahun"])
    return by_response


def _provincial_notes(assessment: Assessment) -> dict[int, str]:
    """The note of the last provincial decision of each response (the province's explanation)."""
    decisions = StatusChange.objects.filter(
        Q(response__assessment=assessment, stage=Stage.PROVINSI, to_status__in=DECISIONS, from_status__in=SUBMISSIONS)
    ).order_by("response_id", "at", "pk")
    notes: dict[int, str] = {}
    for change in decisions:
        notes[change.response_id] = change.note
    return notes


def _hitungan(check: CountCheck | None) -> Hitungan | None:
    if check is None:
        return None
    return Hitungan(dokumen=check.document, per=check.count_per, ada=check.counted, diusulkan=check.proposed)


def sipantas_export(*, assessment: Assessment, base_url: str) -> dict[str, Any]:
    """The assessment in the SIPANTAS exchange format (see the module docstring); plain JSON types only."""
    assessment = Assessment.objects.select_related("cycle", "cycle__framework", "regency", "regency__parent").get(
        pk=assessment.pk
    )
    cycle, regency = assessment.cycle, assessment.regency
    ids = dict(
        SipantasIndicator.objects.filter(framework_id=cycle.framework_id).values_list("indicator_code", "indikator_id")
    )
    kabupaten = SipantasRegency.objects.filter(regency=regency).values_list("kabupaten_id", flat=True).first()
    responses = list(
        Response.objects.filter(assessment=assessment)
        .select_related("indicator", "indicator__tatanan")
        .order_by("indicator__sort_order", "indicator__code")
    )
    evidence = _evidence(assessment, base_url)
    notes = _provincial_notes(assessment)
    checks = count_checks(assessment, [r for r in responses if r.indicator.kind == IndicatorKind.KELEMBAGAAN])
    missing: list[MissingId] = []
    if not kabupaten:
        missing.append(MissingId(jenis="kabupaten", kode=regency.code))

    def row(r: Response) -> IndicatorRow:
        code = r.indicator.code
        if not ids.get(code):
            missing.append(MissingId(jenis="indikator", kode=code))
        return IndicatorRow(
            indikator_id=ids.get(code) or None,
            kode=code,
            tatanan=r.indicator.tatanan.number if r.indicator.tatanan else None,
            nama=r.indicator.name,
            capaian=r.achievement,
            capaian_sebelumnya=r.achievement_previous,
            nilai_mandiri=r.value,
            nilai_provinsi=r.value_provincial,
            penjelasan_kabupaten=r.explanation,
            penjelasan_provinsi=notes.get(r.pk, ""),
            status=r.status,
            tingkat=r.stage,
            tahun=cycle.data_year,
            tahun_sebelumnya=cycle.data_year_previous,
            bukti=evidence.get(r.pk, []),
            hitungan=_hitungan(checks.get(r.pk)),
        )

    kelembagaan = [row(r) for r in responses if r.indicator.kind == IndicatorKind.KELEMBAGAAN]
    indikator = [row(r) for r in responses if r.indicator.kind != IndicatorKind.KELEMBAGAAN]
    general = general_data(assessment)
    odf = Odf(
        jumlah_kecamatan=assessment.odf_kecamatan_count,
        jumlah_desa_kelurahan=assessment.odf_village_count,
        jumlah_desa_stop_babs=assessment.odf_stop_babs_count,
        persentase=float(scoring.odf_percent(assessment.odf_village_count, assessment.odf_stop_babs_count)),
    )
    return {
        "format": FORMAT,
        "kabupaten_id": kabupaten or None,
        "kode_wilayah": regency.code,
        "kabupaten": regency.name,
        "provinsi": regency.parent.name if regency.parent else "",
        "siklus": cycle.name,
        "tahun_siklus": cycle.year,
        "tahun": cycle.data_year,
        "tahun_sebelumnya": cycle.data_year_previous,
        "kerangka": cycle.framework.code,
        "data_umum": {
            "bupati_walikota": assessment.head_name,
            "ketua_forum": assessment.forum_chair_name,
            "alamat_kantor": assessment.office_address,
            "kecamatan_diusulkan": [r.code for r in general.districts],
            "jumlah_kecamatan_diusulkan": len(general.districts),
            "jumlah_kecamatan_seluruhnya": general.district_total,
            "desa_kelurahan_diusulkan": [r.code for r in general.villages],
            "jumlah_desa_kelurahan_diusulkan": len(general.villages),
            "jumlah_desa_kelurahan_seluruhnya": general.village_total,
            "pendanaan": [
                {
                    "lembaga": f.body_kind,
                    "apbd": float(f.apbd) if f.apbd is not None else None,
                    "apbdes": float(f.apbdes) if f.apbdes is not None else None,
                    "lainnya": float(f.other) if f.other is not None else None,
                    "sumber_lainnya": f.other_source,
                }
                for f in general.fundings
            ],
        },
        "odf": odf,
        "kelembagaan": kelembagaan,
        "indikator": indikator,
        "missing_ids": missing,
    }
