"""Role x view: the status every persona (and an anonymous visitor) gets from every programme (cycle) page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.forms.cycles import DATETIME_LOCAL
from evaluations.models import Assessment, Cycle, CycleWindowChange, OfficialResult
from evaluations.tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "opd_officer", "reviewer", "provincial", "national", "admin_user", "outsider", None]
LOGIN = "login"  # a redirect to the login page

# persona order as in PERSONAS: only the national admin runs the programme
ADMIN_ONLY = [403, 403, 403, 403, 403, 200, 403, LOGIN]
ADMIN_ONLY_POST = [403, 403, 403, 403, 403, 302, 403, LOGIN]

MATRIX = {
    ("GET", "cycle-list"): ADMIN_ONLY,
    ("GET", "cycle-create"): ADMIN_ONLY,
    ("GET", "cycle-detail"): ADMIN_ONLY,
    ("GET", "cycle-edit"): ADMIN_ONLY,
    ("GET", "cycle-open"): ADMIN_ONLY,
    ("GET", "cycle-window"): ADMIN_ONLY,
    ("POST", "cycle-create"): ADMIN_ONLY_POST,
    ("POST", "cycle-edit"): ADMIN_ONLY_POST,
    ("POST", "cycle-open"): ADMIN_ONLY_POST,
    ("POST", "cycle-window"): ADMIN_ONLY_POST,
    ("GET", "cycle-award"): ADMIN_ONLY,
    ("POST", "cycle-award"): ADMIN_ONLY_POST,
    ("GET", "cycle-results"): ADMIN_ONLY,
    ("POST", "cycle-results"): ADMIN_ONLY_POST,
}

CASES = [
    pytest.param(method, name, persona, expected[i], id=f"{method}-{name}-{persona or 'anonymous'}")
    for (method, name), expected in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


def _moment(days):
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime(DATETIME_LOCAL)


@pytest.fixture
def draft(framework, regency, other_regency):
    return CycleFactory(framework=framework, name="KKS 2027", year=2027, opened_at=None)


AWARD_FORM = {
    "award_band_basis": "mean",
    "padapa_min_score": "71",
    "padapa_min_odf": "80",
    "wiwerda_min_score": "81",
    "wiwerda_min_odf": "90",
    "wistara_min_score": "91",
    "wistara_min_odf": "100",
    "award_requires_kelembagaan": "on",
    "paripurna_streak": "2",
    "reason": "Juknis 2027",
}


def _request(client, method, name, draft):
    cycle_form = {
        "name": "KKS 2027",
        "year": "2027",
        "framework": str(draft.framework_id),
        "self_assessment_opens": _moment(1),
        "self_assessment_closes": _moment(30),
        "provincial_opens": _moment(20),
        "provincial_closes": _moment(60),
        "national_opens": _moment(50),
        "national_closes": _moment(90),
        "response_window_hours": "48",
    }
    routes = {
        "cycle-list": ([], {}),
        "cycle-create": ([], cycle_form),
        "cycle-detail": ([draft.pk], {}),
        "cycle-edit": ([draft.pk], cycle_form),
        "cycle-open": ([draft.pk], {"cakupan": "all", "confirm": "1"}),
        "cycle-window": ([draft.pk], {"masa": "national", "tindakan": "extend", "closes": _moment(95), "reason": "r"}),
        "cycle-award": ([draft.pk], AWARD_FORM),
        "cycle-results": (
            [draft.pk],
            {"kode": "35.71", "level": "padapa", "awarded_on": "2025-11-20", "decree": "SK 1"},
        ),
    }
    args, data = routes[name]
    url = reverse(f"evaluations:{name}", args=args)
    return client.get(url) if method == "GET" else client.post(url, data)


@pytest.mark.parametrize(("method", "name", "persona", "expected"), CASES)
def test_role_view_matrix(request, client, draft, method, name, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = _request(client, method, name, draft)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith(reverse("login"))
    if expected != 302:  # a refused request changes nothing
        assert Cycle.objects.count() == 1
        assert not Assessment.objects.exists()
        assert not CycleWindowChange.objects.exists()
        assert Cycle.objects.get(pk=draft.pk).opened_at is None
        assert Cycle.objects.get(pk=draft.pk).award_band_basis == "each_tatanan"
        assert not OfficialResult.objects.exists()
