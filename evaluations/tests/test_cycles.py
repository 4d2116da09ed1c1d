"""Cycle windows, the revision window and the admin's reopening."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from evaluations.models import Cycle
from evaluations.services.cycles import (
    NATIONAL,
    PROVINCIAL,
    SELF_ASSESSMENT,
    cycle_reopen,
    require_window,
    window_is_open,
    window_states,
)
from evaluations.services.errors import WindowClosed
from evaluations.tests.workflow import close_all_windows

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _days(n):
    return NOW + datetime.timedelta(days=n)


@pytest.fixture
def staged_cycle(cycle):
    """Self-assessment now, provincial verification next month, national after that."""
    cycle.self_assessment_opens, cycle.self_assessment_closes = _days(-10), _days(10)
    cycle.provincial_opens, cycle.provincial_closes = _days(20), _days(40)
    cycle.national_opens, cycle.national_closes = _days(50), _days(70)
    cycle.save()
    return cycle


def test_each_window_is_open_only_between_its_dates(staged_cycle):
    assert window_is_open(staged_cycle, SELF_ASSESSMENT, now=NOW)
    assert not window_is_open(staged_cycle, PROVINCIAL, now=NOW)
    assert window_is_open(staged_cycle, PROVINCIAL, now=_days(30))
    assert not window_is_open(staged_cycle, SELF_ASSESSMENT, now=_days(30))
    assert window_is_open(staged_cycle, NATIONAL, now=_days(70))
    assert not window_is_open(staged_cycle, NATIONAL, now=_days(71))


def test_a_closed_window_raises_an_indonesian_message_with_its_dates(staged_cycle):
    with pytest.raises(WindowClosed, match="Masa Verifikasi provinsi belum dibuka"):
        require_window(staged_cycle, PROVINCIAL, now=NOW)
    with pytest.raises(WindowClosed, match=r"Masa Penilaian mandiri sudah ditutup pada .*Hubungi admin"):
        require_window(staged_cycle, SELF_ASSESSMENT, now=_days(11))


def test_reopening_opens_every_window_until_the_given_time(staged_cycle, admin_user):
    cycle_reopen(cycle=staged_cycle, until=_days(35), actor=admin_user)
    assert all(window_is_open(staged_cycle, w, now=_days(30)) for w in (SELF_ASSESSMENT, PROVINCIAL, NATIONAL))
    assert not window_is_open(staged_cycle, SELF_ASSESSMENT, now=_days(36))
    cycle_reopen(cycle=staged_cycle, until=None, actor=admin_user)
    assert Cycle.objects.get(pk=staged_cycle.pk).reopened_until is None


@pytest.mark.parametrize("persona", ["coordinator", "reviewer", "provincial", "national"])
def test_only_an_admin_may_reopen(request, staged_cycle, persona):
    with pytest.raises(PermissionDenied):
        cycle_reopen(cycle=staged_cycle, until=_days(5), actor=request.getfixturevalue(persona))


def test_window_states_for_the_assessment_page(staged_cycle):
    states = window_states(staged_cycle, now=NOW)
    assert [(s.key, s.is_open) for s in states] == [
        ("self_assessment", True),
        ("provincial", False),
        ("national", False),
    ]


def test_admin_action_reopens_for_seven_days(admin_client, cycle):
    close_all_windows(cycle)
    page = admin_client.post("/admin/evaluations/cycle/", {"action": "reopen_7_days", "_selected_action": [cycle.pk]})
    assert page.status_code == 302
    cycle.refresh_from_db()
    assert _days(6) < cycle.reopened_until <= timezone.now() + datetime.timedelta(days=7)
    admin_client.post("/admin/evaluations/cycle/", {"action": "end_reopening", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.reopened_until is None
