import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from evaluations.models import Assessment, Response
from evaluations.services.assessments import assessments_open
from forums.models import Region

pytestmark = pytest.mark.django_db


def test_open_cycle_creates_an_assessment_and_draft_responses_per_regency(cycle, regency, other_regency, admin_user):
    created = assessments_open(cycle=cycle, regencies=Region.objects.regencies(), actor=admin_user)
    n_indicators = cycle.framework.indicators.count()
    assert created == (2, 2 * n_indicators)
    assert Response.objects.filter(assessment__cycle=cycle, status="draft").count() == 2 * n_indicators


def test_open_cycle_is_idempotent_and_keeps_answers(assessment, admin_user):
    response = assessment.responses.first()
    Response.objects.filter(pk=response.pk).update(value=100)
    created = assessments_open(cycle=assessment.cycle, regencies=Region.objects.regencies(), actor=admin_user)
    assert created == (0, 0)
    response.refresh_from_db()
    assert response.value == 100


def test_only_admins_open_cycles(cycle, regency, coordinator):
    with pytest.raises(PermissionDenied):
        assessments_open(cycle=cycle, regencies=Region.objects.regencies(), actor=coordinator)
    assert not Assessment.objects.exists()


def test_command_filters_by_province(cycle, regency, other_regency, admin_user, capsys):
    call_command("open_cycle", str(cycle.pk), "--province", regency.parent.code)
    assert list(Assessment.objects.values_list("regency__code", flat=True)) == [regency.code]
    assert "1 penilaian baru" in capsys.readouterr().out


def test_command_refuses_unknown_cycle_and_regency(cycle, regency, admin_user):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("open_cycle", "999999")
    with pytest.raises(CommandError, match="Tidak ada kabupaten/kota"):
        call_command("open_cycle", str(cycle.pk), "--regency", "99.99")
