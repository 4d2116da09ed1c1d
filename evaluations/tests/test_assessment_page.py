"""The assessment page: general data, progress per tatanan and OPD, scores and the forecast in words."""

from decimal import Decimal

import pytest

from evaluations.selectors.forecast import describe_shortfall
from evaluations.selectors.progress import opd_progress
from evaluations.tests.workflow import accept, close_all_windows, filled, fresh, submitted
from forums.tests.factories import OpdFactory, OpdKindFactory
from tatanan.models import Indicator
from tatanan.scoring import Shortfall

pytestmark = pytest.mark.django_db


def _card(html, title):
    start = html.index(title)
    return html[start : html.index("</div>\n      </div>", start)]


def test_the_forecast_counts_what_waits_and_says_what_is_missing(client, assessment, coordinator, reviewer):
    for r in assessment.responses.all():
        submitted(r, coordinator, value=100)
    client.force_login(coordinator)
    html = client.get(f"/penilaian/{assessment.pk}/").content.decode()
    verified = _card(html, "Tingkat saat ini (sudah diverifikasi)")
    forecast = _card(html, "Perkiraan jika semua yang menunggu verifikasi diterima")
    assert "Belum mencapai tingkat penghargaan" in verified
    assert "Kelembagaan belum lengkap" in verified
    # Per tatanan (the default basis): each tatanan below the Padapa band is named.
    assert "Tatanan 1. Tatanan 1 minimal 71, saat ini 0 (kurang 71)" in verified
    assert "Tatanan 2. Tatanan 2 minimal 71, saat ini 0 (kurang 71)" in verified
    assert "<strong>Swasti Saba Wistara</strong>" in forecast
    assert "Yang masih kurang untuk Swasti Saba Wistara Paripurna" in forecast
    assert "IP-SPM belum dinyatakan terpenuhi" in forecast


def test_accepted_responses_raise_the_current_level(client, assessment, coordinator, reviewer):
    for r in assessment.responses.all():
        submitted(r, coordinator, value=100)
        accept(r, reviewer)
    client.force_login(reviewer)
    html = client.get(f"/penilaian/{assessment.pk}/").content.decode()
    assert "Swasti Saba Wistara" in _card(html, "Tingkat saat ini (sudah diverifikasi)")


@pytest.mark.parametrize(
    ("shortfall", "text"),
    [
        (Shortfall("kelembagaan"), "Kelembagaan belum lengkap"),
        (Shortfall("odf", Decimal(90), Decimal("85.50")), "minimal 90%, saat ini 85,50%"),
        (Shortfall("score", Decimal(81), Decimal("79.25")), "minimal 81, saat ini 79,25 (kurang 1,75)"),
        (Shortfall("tatanan:2", Decimal(91), Decimal(90)), "Tatanan 2. Pasar minimal 91, saat ini 90 (kurang 1)"),
    ],
)
def test_shortfalls_are_described_in_indonesian(shortfall, text):
    assert text in describe_shortfall(shortfall, {"2": "2. Pasar"})


def test_progress_per_tatanan_counts_filled_and_submitted(client, assessment, coordinator, framework):
    t1 = framework.tatanan.get(number=1)
    responses = list(assessment.responses.filter(indicator__tatanan=t1).order_by("indicator__sort_order"))
    filled(responses[0], coordinator)
    submitted(responses[1], coordinator)
    client.force_login(coordinator)
    html = client.get(f"/penilaian/{assessment.pk}/").content.decode()
    row = html[html.index(f"/tatanan/{t1.pk}/") :]
    row = row[: row.index("</tr>")]
    assert "<td>2/3</td>" in row
    assert "<td>1</td>" in row


def test_progress_per_opd_puts_the_blocking_dinas_first(assessment, coordinator, regency, opd):
    bappeda = OpdKindFactory(code="bappeda", name="Bappeda")
    OpdFactory(regency=regency, kind=bappeda, name="Bappeda Kota Kediri", short_name="Bappeda")
    Indicator.objects.get(framework=assessment.cycle.framework, code="T1-01").responsible_opd_kinds.add(bappeda)
    for r in assessment.responses.filter(indicator__kind="tatanan").exclude(indicator__code="T1-01"):
        submitted(r, coordinator)
    rows = opd_progress(assessment)
    assert [(row.name, row.progress.total, row.progress.unsent) for row in rows] == [
        ("Bappeda", 1, 1),
        ("Dinkes", 6, 1),
    ]


def test_the_kelembagaan_checklist_shows_each_item(client, assessment, coordinator):
    k1 = assessment.responses.get(indicator__code="K-01")
    filled(k1, coordinator, value=100)
    client.force_login(coordinator)
    html = client.get(f"/penilaian/{assessment.pk}/").content.decode()
    section = html[html.index("Daftar periksa kelembagaan") :]
    assert section.index("K-01") < section.index("K-02")
    assert '<span class="visually-hidden">Ada</span>' in section
    assert '<span class="visually-hidden">Belum</span>' in section


def test_coordinator_saves_the_general_data(client, assessment, coordinator):
    client.force_login(coordinator)
    page = client.post(
        f"/penilaian/{assessment.pk}/data-umum/",
        {"odf_kecamatan_count": 3, "odf_village_count": 46, "odf_stop_babs_count": 40, "narrative": "Kota kecil"},
    )
    assert page.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.odf_village_count, assessment.odf_stop_babs_count, assessment.narrative) == (
        46,
        40,
        "Kota kecil",
    )


def test_more_stop_babs_villages_than_villages_is_refused_with_the_input_kept(client, assessment, coordinator):
    client.force_login(coordinator)
    page = client.post(
        f"/penilaian/{assessment.pk}/data-umum/",
        {"odf_kecamatan_count": 3, "odf_village_count": 10, "odf_stop_babs_count": 12, "narrative": "Narasi saya"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "tidak boleh melebihi" in html
    assert "Narasi saya" in html
    assert fresh(assessment.responses.first()).assessment.odf_village_count == 50


def test_the_general_data_cannot_be_changed_after_the_window(client, assessment, coordinator, cycle):
    close_all_windows(cycle)
    client.force_login(coordinator)
    assert (
        'action="/penilaian/'
        not in client.get(f"/penilaian/{assessment.pk}/").content.decode().split("Data umum dan ODF")[1]
    )
    page = client.post(
        f"/penilaian/{assessment.pk}/data-umum/",
        {"odf_kecamatan_count": 3, "odf_village_count": 46, "odf_stop_babs_count": 40, "narrative": ""},
        follow=True,
    )
    assert "sudah ditutup" in page.content.decode()
    assessment.refresh_from_db()
    assert assessment.odf_village_count == 50


def test_assessment_create_adds_one_draft_per_indicator_once(cycle, other_regency, admin_user, coordinator):
    from django.core.exceptions import PermissionDenied

    from evaluations.services.assessments import assessment_create

    created = assessment_create(cycle=cycle, regency=other_regency, actor=admin_user)
    again = assessment_create(cycle=cycle, regency=other_regency, actor=admin_user)
    assert created == again
    assert created.responses.filter(status="draft").count() == cycle.framework.indicators.count() == 8
    with pytest.raises(PermissionDenied):
        assessment_create(cycle=cycle, regency=other_regency, actor=coordinator)


def test_progress_per_opd_lists_a_merged_opd_under_each_of_its_kinds(assessment, regency, opd, opd_kind):
    planning = OpdKindFactory(code="bappeda", name="Bappeda")
    OpdFactory(regency=regency, kinds=[opd_kind, planning], name="Bappeda & PM Kota Kediri", short_name="Bappeda & PM")
    Indicator.objects.get(framework=assessment.cycle.framework, code="T1-01").responsible_opd_kinds.set([planning])
    rows = {row.kind.code: row.name for row in opd_progress(assessment)}
    assert rows == {"bappeda": "Bappeda & PM", "dinkes": "Bappeda & PM, Dinkes"}
