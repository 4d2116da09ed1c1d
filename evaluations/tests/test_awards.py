"""Award rules per cycle, official results per regency, and the Wistara Paripurna data: services, pages, history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluations.choices import AwardBasis, AwardLevel
from evaluations.models import Cycle, OfficialResult
from evaluations.selectors.award import cycle_policy, official_trend
from evaluations.selectors.dossier import dossier_data
from evaluations.services.awards import (
    assessment_update_paripurna,
    cycle_award_policy_update,
    official_result_record,
)
from evaluations.tests.factories import CycleFactory
from evaluations.tests.workflow import close_all_windows, submitted
from forums.tests.factories import RegencyFactory
from tatanan import scoring

pytestmark = pytest.mark.django_db

POLICY_FORM = {
    "award_band_basis": "mean",
    "padapa_min_score": "70",
    "padapa_min_odf": "80",
    "wiwerda_min_score": "80",
    "wiwerda_min_odf": "90",
    "wistara_min_score": "90",
    "wistara_min_odf": "100",
    "award_requires_kelembagaan": "on",
    "paripurna_streak": "2",
    "reason": "Juknis Penilaian KKS 2027",
}


def test_choices_match_the_scoring_enums():
    assert set(AwardLevel.values) == {level.value for level in scoring.Level}
    assert set(AwardBasis.values) == {basis.value for basis in scoring.BandBasis}


def test_a_new_cycle_carries_the_2025_juknis(cycle):
    assert cycle_policy(cycle) == scoring.DEFAULT_POLICY


# --- award rules -----------------------------------------------------------------------------------


def test_the_admin_changes_the_rules_on_the_page_with_a_reason_kept_in_the_history(client, admin_user, cycle):
    client.force_login(admin_user)
    response = client.post(reverse("evaluations:cycle-award", args=[cycle.pk]), POLICY_FORM)
    assert response.status_code == 302
    cycle.refresh_from_db()
    policy = cycle_policy(cycle)
    assert policy.band_basis == scoring.BandBasis.MEAN
    assert [r.min_score for r in policy.rules] == [Decimal(70), Decimal(80), Decimal(90)]
    latest = cycle.audit.first()
    assert (latest.history_user, latest.history_change_reason) == (admin_user, "Juknis Penilaian KKS 2027")

    shown = client.get(reverse("evaluations:cycle-award", args=[cycle.pk]))
    page = shown.content.decode()
    assert "Dasar penilaian: rata-rata tatanan" in page
    assert "Padapa: nilai minimal 70, desa/kelurahan ODF minimal 80%." in page
    changes = {(e.field, e.old, e.new, e.reason) for e in shown.context["entries"] if e.reason}
    assert ("cycle.award_band_basis", "Per tatanan", "Rata-rata tatanan", "Juknis Penilaian KKS 2027") in changes
    assert ("cycle.padapa_min_score", "71.00", "70.00", "Juknis Penilaian KKS 2027") in changes
    assert "Juknis Penilaian KKS 2027" in page
    detail = client.get(reverse("evaluations:cycle-detail", args=[cycle.pk])).content.decode()
    assert "Dasar penilaian: rata-rata tatanan" in detail


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"wiwerda_min_score": "65"}, "wiwerda_min_score", "Nilai minimal Wiwerda harus lebih tinggi"),
        ({"wistara_min_score": "80"}, "wistara_min_score", "Nilai minimal Wistara harus lebih tinggi"),
        ({"wiwerda_min_odf": "75"}, "wiwerda_min_odf", "ODF minimal Wiwerda tidak boleh lebih rendah"),
    ],
)
def test_rules_out_of_order_are_refused_on_the_field_and_nothing_is_saved(
    client, admin_user, cycle, change, field, message
):
    client.force_login(admin_user)
    response = client.post(reverse("evaluations:cycle-award", args=[cycle.pk]), POLICY_FORM | change)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    cycle.refresh_from_db()
    assert cycle_policy(cycle) == scoring.DEFAULT_POLICY


def test_the_service_needs_a_reason_a_change_and_the_admin(cycle, admin_user, coordinator):
    with pytest.raises(ValidationError) as refused:
        cycle_award_policy_update(cycle=cycle, actor=admin_user, reason=" ", award_band_basis="mean")
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError, match="tidak ada yang diubah"):
        cycle_award_policy_update(cycle=cycle, actor=admin_user, reason="r", award_band_basis="each_tatanan")
    with pytest.raises(PermissionDenied):
        cycle_award_policy_update(cycle=cycle, actor=coordinator, reason="r", award_band_basis="mean")
    with pytest.raises(TypeError):
        cycle_award_policy_update(cycle=cycle, actor=admin_user, reason="r", name="x")
    cycle_award_policy_update(cycle=cycle, actor=admin_user, reason="r", award_requires_kelembagaan=False)
    assert Cycle.objects.get(pk=cycle.pk).award_requires_kelembagaan is False  # also once opened


def test_the_assessment_page_and_the_dossier_say_the_basis(client, coordinator, assessment, admin_user):
    client.force_login(coordinator)
    page = client.get(reverse("evaluations:assessment-detail", args=[assessment.pk])).content.decode()
    assert "Dasar penilaian: per tatanan" in page
    assert "Wistara: nilai minimal 91, desa/kelurahan ODF minimal 100%." in page
    assert "Dasar penilaian: per tatanan" in dossier_data(assessment.pk).policy_lines[0]

    cycle_award_policy_update(cycle=assessment.cycle, actor=admin_user, reason="r", award_band_basis="mean")
    page = client.get(reverse("evaluations:assessment-detail", args=[assessment.pk])).content.decode()
    assert "Dasar penilaian: rata-rata tatanan" in page
    assert "Dasar penilaian: rata-rata tatanan" in dossier_data(assessment.pk).policy_lines[0]


# --- official results --------------------------------------------------------------------------------


def test_the_admin_records_and_corrects_an_official_result_with_its_history(client, admin_user, cycle, regency):
    client.force_login(admin_user)
    url = reverse("evaluations:cycle-results", args=[cycle.pk])
    form = {"kode": "35.71", "level": "padapa", "awarded_on": "2025-11-20", "decree": "HK.01.07/MENKES/1/2025"}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form | {"level": "wiwerda"}).status_code == 302
    result = OfficialResult.objects.get()
    assert (result.regency, result.level, result.recorded_by) == (regency, "wiwerda", admin_user)
    assert result.awarded_on == datetime.date(2025, 11, 20)
    assert [h.level for h in result.audit.order_by("history_id")] == ["padapa", "wiwerda"]
    page = client.get(url).content.decode()
    assert "HK.01.07/MENKES/1/2025" in page
    assert "Swasti Saba Padapa" in page
    assert "Swasti Saba Wiwerda" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [({"kode": "99.99"}, "kode"), ({"decree": " "}, "decree"), ({"awarded_on": "2999-01-01"}, "awarded_on")],
)
def test_a_wrong_official_result_is_refused(client, admin_user, cycle, regency, change, field):
    client.force_login(admin_user)
    form = {"kode": "35.71", "level": "padapa", "awarded_on": "2025-11-20", "decree": "SK 1"} | change
    response = client.post(reverse("evaluations:cycle-results", args=[cycle.pk]), form)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not OfficialResult.objects.exists()


def test_only_the_admin_records_an_official_result(cycle, regency, coordinator, national):
    for actor in (coordinator, national):
        with pytest.raises(PermissionDenied):
            official_result_record(
                cycle=cycle,
                regency=regency,
                level="wistara",
                awarded_on=datetime.date(2025, 1, 1),
                decree="x",
                actor=actor,
            )


def test_the_trend_of_a_regency_across_cycles_on_its_assessment_page(client, coordinator, admin_user, assessment):
    regency, framework = assessment.regency, assessment.cycle.framework
    other = RegencyFactory(code="35.72", name="Kota Blitar", parent=regency.parent)
    c2021 = CycleFactory(framework=framework, name="KKS 2021", year=2021, opened_at=None)
    c2023 = CycleFactory(framework=framework, name="KKS 2023", year=2023, opened_at=None)
    official_result_record(
        cycle=c2021,
        regency=regency,
        level="padapa",
        awarded_on=datetime.date(2021, 11, 1),
        decree="SK/2021",
        actor=admin_user,
    )
    official_result_record(  # 2023 is an award cycle, but Kediri was not awarded in it
        cycle=c2023,
        regency=other,
        level="wistara",
        awarded_on=datetime.date(2023, 11, 1),
        decree="SK/2023",
        actor=admin_user,
    )
    trend = official_trend(regency)
    assert [(row.cycle.name, row.result.level if row.result else None) for row in trend] == [
        ("KKS 2021", "padapa"),
        ("KKS 2023", None),
    ]
    client.force_login(coordinator)
    page = client.get(reverse("evaluations:assessment-detail", args=[assessment.pk])).content.decode()
    trend_html = page[page.index('id="trend-h"') :]
    assert "KKS 2021" in trend_html
    assert "Swasti Saba Padapa" in trend_html
    assert "SK/2021" in trend_html
    assert "Belum dicatat" in trend_html


# --- Wistara Paripurna -------------------------------------------------------------------------------


def _wistara_before(assessment, admin_user, years=(2021, 2023)):
    for year in years:
        earlier = CycleFactory(framework=assessment.cycle.framework, name=f"KKS {year}", year=year, opened_at=None)
        official_result_record(
            cycle=earlier,
            regency=assessment.regency,
            level="wistara",
            awarded_on=datetime.date(year, 11, 20),
            decree=f"SK/{year}",
            actor=admin_user,
        )


def test_the_coordinator_records_ip_spm_and_innovation_and_the_forecast_becomes_paripurna(
    client, coordinator, admin_user, assessment
):
    for r in assessment.responses.all():
        submitted(r, coordinator, value=100)
    _wistara_before(assessment, admin_user)
    client.force_login(coordinator)
    url = reverse("evaluations:assessment-detail", args=[assessment.pk])
    before = client.get(url).content.decode()
    assert "<strong>Swasti Saba Wistara Paripurna</strong>" not in before
    assert "IP-SPM belum dinyatakan terpenuhi" in before

    form = {"ip_spm_met": "on", "ip_spm_note": "IP-SPM 2024: 92,5", "innovation_adopted": "on", "innovation_note": "x"}
    assert client.post(reverse("evaluations:assessment-paripurna", args=[assessment.pk]), form).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.ip_spm_met, assessment.innovation_adopted, assessment.ip_spm_note) == (
        True,
        True,
        "IP-SPM 2024: 92,5",
    )
    assert assessment.audit.first().history_user == coordinator
    after = client.get(url).content.decode()
    assert "<strong>Swasti Saba Wistara Paripurna</strong>" in after


def test_paripurna_data_needs_the_filler_and_the_open_window(assessment, opd_officer, coordinator):
    kwargs = {"ip_spm_met": True, "ip_spm_note": "", "innovation_adopted": False, "innovation_note": ""}
    with pytest.raises(PermissionDenied):
        assessment_update_paripurna(assessment=assessment, actor=opd_officer, **kwargs)
    close_all_windows(assessment.cycle)
    from evaluations.services.errors import WorkflowError

    with pytest.raises(WorkflowError):
        assessment_update_paripurna(assessment=assessment, actor=coordinator, **kwargs)
    assessment.refresh_from_db()
    assert assessment.ip_spm_met is False


def test_the_dossier_pdf_prints_the_award_rules_and_the_paripurna_data(assessment, admin_user):
    import io
    import re

    from pypdf import PdfReader

    from evaluations.services.reports import render_dossier_pdf

    assessment.ip_spm_met, assessment.ip_spm_note = True, "IP-SPM 2024: 92,5"
    assessment.save()
    cycle_award_policy_update(cycle=assessment.cycle, actor=admin_user, reason="r", award_band_basis="mean")
    document = render_dossier_pdf(assessment.pk)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages))
    assert "Aturanpenghargaansiklusini" in text
    assert "Dasarpenilaian:rata-ratatatanan" in text
    assert "Wistara:nilaiminimal91,desa/kelurahanODFminimal100%." in text
    assert "IP-SPMterpenuhiYa—IP-SPM2024:92,5" in text


@pytest.mark.parametrize(
    ("language", "shown", "typed"), [("id", 'value="70,50"', "72,5"), ("en", 'value="70.50"', "72.5")]
)
def test_the_thresholds_are_shown_and_read_in_the_users_locale(cycle, language, shown, typed):
    from decimal import Decimal

    from django.utils import translation

    from evaluations.forms.awards import AwardPolicyForm

    cycle.padapa_min_score = Decimal("70.50")
    with translation.override(language):
        assert shown in str(AwardPolicyForm(cycle=cycle)["padapa_min_score"])
        data = {**AwardPolicyForm(cycle=cycle).initial, "padapa_min_score": typed, "reason": "Juknis"}
        data["award_requires_kelembagaan"] = "on"
        form = AwardPolicyForm(data, cycle=cycle)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["padapa_min_score"] == Decimal("72.5")
