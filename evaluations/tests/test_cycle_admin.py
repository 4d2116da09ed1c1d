"""Running a cycle from the web: create and edit a draft, preview and open it, change a window with a reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from evaluations.models import Assessment, Cycle, CycleWindowChange, Response
from evaluations.selectors.cycles import cycle_list, cycle_status, open_preview, parse_codes, regencies_by_codes
from evaluations.selectors.readiness import default_cycle, report_cycles
from evaluations.services.cycles import PROVINCIAL, SELF_ASSESSMENT, revision_deadline, window_is_open
from evaluations.services.cycles_admin import cycle_create, cycle_open, cycle_update, cycle_window_change
from forums.models import Region
from forums.tests.factories import RegencyFactory
from tatanan.models import FrameworkStatus

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _at(days):
    return NOW + datetime.timedelta(days=days)


def _values(framework, **overrides):
    values = {
        "name": "KKS 2027",
        "year": 2027,
        "data_year_previous": 2025,
        "data_year": 2026,
        "framework": framework,
        "self_assessment_opens": _at(1),
        "self_assessment_closes": _at(30),
        "provincial_opens": _at(20),
        "provincial_closes": _at(60),
        "national_opens": _at(50),
        "national_closes": _at(90),
        "response_window_hours": 48,
    }
    return values | overrides


def _errors(excinfo) -> dict:
    return {field: " ".join(messages) for field, messages in excinfo.value.message_dict.items()}


@pytest.fixture
def draft(framework, admin_user):
    return cycle_create(actor=admin_user, **_values(framework))


@pytest.fixture
def east_java(regency):
    """Three regencies in Jawa Timur (Kota Kediri and two more)."""
    RegencyFactory(code="35.72", name="Kota Blitar", parent=regency.parent)
    RegencyFactory(code="35.73", name="Kota Malang", parent=regency.parent)
    return regency.parent


# --- create and edit ------------------------------------------------------------------------------


def test_a_new_cycle_is_a_draft_that_creates_nothing(draft, framework):
    assert (draft.year, draft.data_year_previous, draft.data_year, draft.response_window_hours) == (
        2027,
        2025,
        2026,
        48,
    )
    assert draft.opened_at is None
    assert cycle_status(draft) == "draft"
    assert not Assessment.objects.filter(cycle=draft).exists()


def test_only_the_admin_creates_edits_and_opens_cycles(framework, draft, national, provincial, coordinator):
    for user in (national, provincial, coordinator):
        with pytest.raises(PermissionDenied):
            cycle_create(actor=user, **_values(framework))
        with pytest.raises(PermissionDenied):
            cycle_update(cycle=draft, actor=user, name="X")
        with pytest.raises(PermissionDenied):
            cycle_open(cycle=draft, regencies=Region.objects.regencies(), actor=user)
        with pytest.raises(PermissionDenied):
            cycle_window_change(cycle=draft, window=SELF_ASSESSMENT, closes=_at(40), reason="r", actor=user)
    assert Cycle.objects.filter(name="KKS 2027").count() == 1
    assert not CycleWindowChange.objects.exists()


def test_the_framework_must_be_published(framework, admin_user):
    framework.status = FrameworkStatus.DRAFT
    framework.save()
    with pytest.raises(ValidationError) as excinfo:
        cycle_create(actor=admin_user, **_values(framework))
    assert "belum terbit" in _errors(excinfo)["framework"]


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"data_year_previous": 2026}, "data_year_previous", "tepat satu tahun sebelum tahun data N"),
        ({"data_year_previous": 2024}, "data_year_previous", "tepat satu tahun sebelum tahun data N"),
        ({"data_year": 2028, "data_year_previous": 2027}, "data_year", "tidak boleh sesudah tahun siklus"),
        ({"self_assessment_closes": _at(1)}, "self_assessment_closes", "harus ditutup sesudah dibuka"),
        ({"provincial_opens": _at(0)}, "provincial_opens", "tidak boleh dibuka sebelum Penilaian mandiri"),
        ({"national_closes": _at(55)}, "national_closes", "tidak boleh ditutup sebelum Verifikasi provinsi"),
        ({"response_window_hours": 0}, "response_window_hours", "antara 1 dan"),
        ({"name": "  "}, "name", "wajib"),
    ],
)
def test_bad_values_are_refused_at_their_field(framework, admin_user, overrides, field, text):
    with pytest.raises(ValidationError) as excinfo:
        cycle_create(actor=admin_user, **_values(framework, **overrides))
    assert text in _errors(excinfo)[field]
    assert not Cycle.objects.filter(name="KKS 2027").exists()


def test_a_draft_can_be_edited_but_an_opened_cycle_cannot(draft, admin_user, regency):
    cycle_update(cycle=draft, actor=admin_user, name="KKS 2027 (revisi)", response_window_hours=72)
    draft.refresh_from_db()
    assert (draft.name, draft.response_window_hours) == ("KKS 2027 (revisi)", 72)
    with pytest.raises(ValidationError) as excinfo:
        cycle_update(cycle=draft, actor=admin_user, provincial_opens=_at(-5))
    assert "provincial_opens" in excinfo.value.message_dict

    cycle_open(cycle=draft, regencies=Region.objects.filter(pk=regency.pk), actor=admin_user)
    with pytest.raises(ValidationError, match="sudah dibuka"):
        cycle_update(cycle=draft, actor=admin_user, name="Lain")
    draft.refresh_from_db()
    assert draft.name == "KKS 2027 (revisi)"


def test_the_revision_window_is_counted_in_hours(cycle):
    cycle.response_window_hours = 48  # "2x24 jam"
    assert revision_deadline(cycle, now=NOW) == NOW + datetime.timedelta(hours=48)


# --- preview and open -------------------------------------------------------------------------------


def test_preview_counts_without_writing_and_matches_the_opening(draft, admin_user, east_java, other_regency):
    scope = Region.objects.regencies().filter(parent=east_java)
    preview = open_preview(cycle=draft, regencies=scope)
    assert (preview.in_scope, preview.already_open, preview.assessments_to_create, preview.indicators) == (3, 0, 3, 8)
    assert preview.responses_to_create == 24
    assert preview.names == ["Kota Kediri", "Kota Blitar", "Kota Malang"]
    assert not Assessment.objects.filter(cycle=draft).exists()
    assert Cycle.objects.get(pk=draft.pk).opened_at is None

    result = cycle_open(cycle=draft, regencies=scope, actor=admin_user)

    assert (result.in_scope, result.already_open, result.assessments_created, result.responses_created) == (3, 0, 3, 24)
    assert set(Assessment.objects.filter(cycle=draft).values_list("regency__code", flat=True)) == {
        "35.71",
        "35.72",
        "35.73",
    }
    assert Response.objects.filter(assessment__cycle=draft, status="draft").count() == 24
    assert not Assessment.objects.filter(cycle=draft, regency=other_regency).exists()


def test_opening_records_the_first_opening_and_is_idempotent(draft, admin_user, east_java):
    scope = Region.objects.regencies().filter(parent=east_java)
    cycle_open(cycle=draft, regencies=scope.filter(code="35.71"), actor=admin_user)
    first = Cycle.objects.get(pk=draft.pk).opened_at
    assert first is not None
    Response.objects.filter(assessment__cycle=draft).update(value=50)

    again = cycle_open(cycle=draft, regencies=scope, actor=admin_user)

    assert (again.in_scope, again.already_open, again.assessments_created, again.responses_created) == (3, 1, 2, 16)
    assert Cycle.objects.get(pk=draft.pk).opened_at == first
    assert Response.objects.filter(assessment__cycle=draft, value=50).count() == 8  # answers kept
    assert open_preview(cycle=draft, regencies=scope).assessments_to_create == 0
    assert cycle_open(cycle=draft, regencies=scope, actor=admin_user).assessments_created == 0
    row = cycle_list().get(pk=draft.pk)
    assert (row.n_assessments, row.n_provinces) == (3, 1)


def test_an_empty_scope_or_unpublished_framework_opens_nothing(draft, admin_user, regency, framework):
    with pytest.raises(ValidationError, match="Tidak ada kabupaten/kota"):
        cycle_open(cycle=draft, regencies=Region.objects.none(), actor=admin_user)
    framework.status = FrameworkStatus.DRAFT
    framework.save()
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="belum terbit"):
        cycle_open(cycle=draft, regencies=Region.objects.regencies(), actor=admin_user)
    assert Cycle.objects.get(pk=draft.pk).opened_at is None
    assert not Assessment.objects.filter(cycle=draft).exists()


def test_codes_typed_by_a_person_are_split_and_checked(regency, other_regency):
    assert parse_codes(" 35.71,73.71;\n35.71  99.99 ") == ["35.71", "73.71", "99.99"]
    regencies, unknown = regencies_by_codes(["35.71", "99.99", "35"])
    assert list(regencies) == [regency]
    assert unknown == ["99.99", "35"]  # a province code is not a kabupaten/kota


def test_the_command_opens_through_the_service_and_records_the_opening(draft, admin_user, regency, capsys):
    call_command("open_cycle", str(draft.pk), "--regency", regency.code)
    assert Cycle.objects.get(pk=draft.pk).opened_at is not None
    assert "1 penilaian baru, 8 jawaban baru (0 dari 1" in capsys.readouterr().out


# --- windows ----------------------------------------------------------------------------------------


def test_extending_a_window_is_recorded_with_its_reason(cycle, admin_user):
    old_opens, old_closes = cycle.self_assessment_opens, cycle.self_assessment_closes
    change = cycle_window_change(
        cycle=cycle, window=SELF_ASSESSMENT, closes=_at(45), reason="  Banjir di beberapa daerah.  ", actor=admin_user
    )
    cycle.refresh_from_db()
    assert cycle.self_assessment_closes == _at(45)
    assert (change.old_opens, change.old_closes, change.new_opens, change.new_closes) == (
        old_opens,
        old_closes,
        old_opens,
        _at(45),
    )
    assert (change.reason, change.actor, change.window) == ("Banjir di beberapa daerah.", admin_user, SELF_ASSESSMENT)
    assert list(cycle.window_changes.all()) == [change]


def test_closing_a_window_now_closes_it(cycle, admin_user):
    assert window_is_open(cycle, SELF_ASSESSMENT)
    cycle_window_change(
        cycle=cycle, window=SELF_ASSESSMENT, closes=timezone.now(), reason="Selesai lebih awal", actor=admin_user
    )
    cycle.refresh_from_db()
    assert not window_is_open(cycle, SELF_ASSESSMENT, now=timezone.now() + datetime.timedelta(seconds=1))
    assert window_is_open(cycle, PROVINCIAL)
    assert CycleWindowChange.objects.get().window == SELF_ASSESSMENT


def test_a_later_window_cannot_close_before_an_earlier_one(cycle, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        cycle_window_change(cycle=cycle, window=PROVINCIAL, closes=timezone.now(), reason="r", actor=admin_user)
    assert "sebelum Penilaian mandiri ditutup" in _errors(excinfo)["closes"]


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"closes": _at(45), "reason": "  "}, "reason", "alasan"),
        ({"reason": "tidak ada"}, "closes", "tidak ada yang diubah"),
        ({"closes": _at(-40), "reason": "r"}, "closes", "harus ditutup sesudah dibuka"),
        ({"closes": _at(95), "reason": "r"}, "closes", "Verifikasi pusat tidak boleh ditutup sebelum"),
        ({"opens": _at(-40), "reason": "r"}, "opens", "tidak boleh dibuka sebelum Penilaian mandiri"),
    ],
)
def test_a_bad_window_change_is_refused_and_not_recorded(cycle, admin_user, kwargs, field, text):
    window = PROVINCIAL
    before = (cycle.provincial_opens, cycle.provincial_closes)
    with pytest.raises(ValidationError) as excinfo:
        cycle_window_change(cycle=cycle, window=window, actor=admin_user, **kwargs)
    assert text in _errors(excinfo)[field]
    cycle.refresh_from_db()
    assert (cycle.provincial_opens, cycle.provincial_closes) == before
    assert not CycleWindowChange.objects.exists()


def test_an_unknown_window_is_refused(cycle, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        cycle_window_change(cycle=cycle, window="revision", closes=_at(5), reason="r", actor=admin_user)
    assert "window" in excinfo.value.message_dict


# --- a draft is never a report's default -------------------------------------------------------------


def test_a_later_draft_cycle_is_never_the_default_of_a_report(cycle, assessment, draft, admin_user, regency):
    assert draft.year > cycle.year
    assert default_cycle() == cycle
    assert draft not in report_cycles()

    cycle_open(cycle=draft, regencies=Region.objects.filter(pk=regency.pk), actor=admin_user)

    assert default_cycle() == draft
