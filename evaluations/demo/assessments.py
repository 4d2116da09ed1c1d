"""Demo cycle and assessments: a response row for every indicator, some answered and submitted."""

from __future__ import annotations

import datetime
import random

from evaluations.builders import record_fill
from evaluations.models import Assessment, Cycle, Response
from forums.services.regions import region_source, village_source
from tatanan.models import IndicatorKind

from .data import FILL_SHARE, MAIN_REGENCY, REGENCIES, STOP_BABS_SHARE, SUBMIT_COUNT

# --- cycle, assessments, responses ---------------------------------------------------------


def cycle_for(framework, now, result) -> Cycle:
    day = datetime.timedelta(days=1)
    windows = {
        "year": framework.year,
        "data_year_previous": framework.year - 2,
        "data_year": framework.year - 1,
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
    if cycle.opened_at is None:  # the demo opens it for its regencies right after
        cycle.opened_at = now
        cycle.save(update_fields=["opened_at"])
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
        response.achievement = f"Capaian {assessment.cycle.data_year}: sesuai laporan OPD (data contoh)."
        previous = assessment.cycle.data_year_previous
        response.achievement_previous = f"Capaian {previous}: tercatat dalam laporan tahunan."
        response.explanation = "Data demo untuk mencoba alur pengisian dan verifikasi."
    submitted = chosen[: SUBMIT_COUNT[code]]
    record_fill(chosen, actor=actor, submit=submitted)
    result.count("jawaban terisi", len(chosen))
    result.count("jawaban diajukan", len(submitted))


def assessments(cycle, regions, users, result) -> None:
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
