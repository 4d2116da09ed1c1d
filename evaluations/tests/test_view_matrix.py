"""Role x view: the status every persona (and an anonymous visitor) gets from every evaluations page."""

import pytest
from django.urls import reverse

from evaluations.models import Notification
from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.workflow import accept, fresh, submitted

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "opd_officer", "reviewer", "provincial", "national", "admin_user", "outsider", None]
LOGIN = "login"  # a redirect to the login page

# persona order as in PERSONAS
EVERYONE_IN_SCOPE = [200, 200, 200, 200, 200, 200, 404, LOGIN]
FILLERS_ONLY = [302, 302, 403, 403, 403, 302, 404, LOGIN]
AUDITORS = [403, 403, 200, 200, 200, 200, 404, LOGIN]

MATRIX = {
    ("GET", "assessment-detail"): EVERYONE_IN_SCOPE,
    ("GET", "tatanan-fill"): EVERYONE_IN_SCOPE,
    ("GET", "kelembagaan-fill"): EVERYONE_IN_SCOPE,
    ("GET", "review-detail"): EVERYONE_IN_SCOPE,
    ("GET", "tatanan-submit-confirm"): [200, 200, 403, 403, 403, 200, 404, LOGIN],
    ("GET", "kelembagaan-submit-confirm"): [200, 403, 403, 403, 403, 200, 404, LOGIN],
    ("GET", "evidence-download"): EVERYONE_IN_SCOPE,
    ("GET", "evidence-withdraw-confirm"): [200, 200, 403, 403, 403, 200, 404, LOGIN],
    ("GET", "review-queue"): [403, 403, 200, 200, 200, 200, 403, LOGIN],
    ("GET", "response-audit"): EVERYONE_IN_SCOPE,
    ("GET", "assessment-audit"): AUDITORS,
    ("GET", "assessment-audit-csv"): AUDITORS,
    ("GET", "assessment-audit-xlsx"): AUDITORS,
    ("GET", "response-correct"): [403, 403, 403, 403, 403, 200, 404, LOGIN],
    ("GET", "inbox"): [200, 200, 200, 200, 200, 200, 200, LOGIN],
    ("GET", "assessment-assignments"): [200, 403, 403, 403, 403, 200, 404, LOGIN],
    ("GET", "my-indicators"): [200, 200, 403, 403, 403, 403, 200, LOGIN],  # fillers, each their own
    ("GET", "assessment-data-umum"): [200, 403, 403, 403, 403, 200, 404, LOGIN],
    ("POST", "assessment-general"): [302, 403, 403, 403, 403, 302, 404, LOGIN],
    ("POST", "assessment-paripurna"): [302, 403, 403, 403, 403, 302, 404, LOGIN],  # who fills the general data
    ("POST", "assessment-data-umum"): [302, 403, 403, 403, 403, 302, 404, LOGIN],
    ("POST", "assessment-load-regions"): [302, 403, 403, 403, 403, 302, 404, LOGIN],  # who edits the Data Umum
    ("POST", "response-save"): FILLERS_ONLY,
    ("POST", "tatanan-submit"): FILLERS_ONLY,
    ("POST", "kelembagaan-submit"): [302, 403, 403, 403, 403, 302, 404, LOGIN],
    ("POST", "evidence-replace"): FILLERS_ONLY,
    ("POST", "evidence-withdraw"): FILLERS_ONLY,
    ("POST", "comment-add"): [302, 302, 302, 302, 302, 302, 404, LOGIN],
    ("POST", "review-decide"): [403, 403, 302, 403, 403, 302, 404, LOGIN],
    ("POST", "notification-read"): [404, 404, 302, 404, 404, 404, 404, LOGIN],
    ("POST", "notifications-read-all"): [302, 302, 302, 302, 302, 302, 302, LOGIN],
}

CASES = [
    pytest.param(method, name, persona, expected[i], id=f"{name}-{persona or 'anonymous'}")
    for (method, name), expected in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.fixture
def world(assessment, coordinator, reviewer, framework):
    """A draft with evidence (T1-01), a submitted response (T1-02), a notice for the reviewer,
    and a response accepted at the kabupaten stage (T1-03)."""
    responses = list(assessment.responses.select_related("indicator").order_by("indicator__sort_order"))
    draft, waiting, accepted = responses[0], responses[1], responses[2]
    evidence = evidence_add(response=draft, uploaded=samples.pdf(), actor=coordinator)
    submitted(waiting, coordinator)
    notice = Notification.objects.get(recipient=reviewer)
    submitted(accepted, coordinator)
    accept(accepted, reviewer)
    return {
        "assessment": assessment,
        "tatanan": framework.tatanan.get(number=1),
        "draft": fresh(draft),
        "waiting": fresh(waiting),
        "evidence": evidence,
        "notice": notice,
        "accepted": fresh(accepted),
    }


def _request(client, method, name, w):
    a, t, draft, waiting, ev = w["assessment"], w["tatanan"], w["draft"], w["waiting"], w["evidence"]
    routes = {
        "assessment-detail": ([a.pk], {}),
        "tatanan-fill": ([a.pk, t.pk], {}),
        "kelembagaan-fill": ([a.pk], {}),
        "review-detail": ([waiting.pk], {}),
        "evidence-download": ([ev.current_id], {}),
        "review-queue": ([], {}),
        "response-audit": ([draft.pk], {}),
        "assessment-audit": ([a.pk], {}),
        "assessment-audit-csv": ([a.pk], {}),
        "assessment-audit-xlsx": ([a.pk], {}),
        "response-correct": ([w["accepted"].pk], {}),
        "inbox": ([], {}),
        "my-indicators": ([], {}),
        "assessment-assignments": ([a.pk], {}),
        "assessment-general": (
            [a.pk],
            {"odf_kecamatan_count": 1, "odf_village_count": 5, "odf_stop_babs_count": 4, "narrative": "n"},
        ),
        "assessment-paripurna": ([a.pk], {"ip_spm_met": "on", "ip_spm_note": "IP-SPM 92", "innovation_note": ""}),
        "assessment-data-umum": ([a.pk], {"head_name": "Bupati", "tim_pembina_apbd": "1000"}),
        "assessment-load-regions": ([a.pk], {}),
        "response-save": (
            [draft.pk],
            {f"r{draft.pk}-value": 50, f"r{draft.pk}-version": draft.version, "action": "save"},
        ),
        "tatanan-submit": ([a.pk, t.pk], {"responses": [draft.pk]}),
        "kelembagaan-submit": ([a.pk], {}),
        "tatanan-submit-confirm": ([a.pk, t.pk], {}),
        "kelembagaan-submit-confirm": ([a.pk], {}),
        "evidence-replace": ([ev.pk], {f"e{ev.pk}-file": samples.pdf("baru.pdf")}),
        "evidence-withdraw": ([ev.pk], {}),
        "evidence-withdraw-confirm": ([ev.pk], {}),
        "comment-add": ([waiting.pk], {f"c{waiting.pk}-body": "Catatan"}),
        "review-decide": (
            [waiting.pk],
            {"decision": "accept", "version": waiting.version, "confirm_no_evidence": "on"},
        ),
        "notification-read": ([w["notice"].pk], {}),
        "notifications-read-all": ([], {}),
    }
    args, data = routes[name]
    url = reverse(f"evaluations:{name}", args=args)
    return client.get(url) if method == "GET" else client.post(url, data)


@pytest.mark.parametrize(("method", "name", "persona", "expected"), CASES)
def test_role_view_matrix(request, client, world, method, name, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = _request(client, method, name, world)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [n for (m, n) in MATRIX if m == "POST" and ("GET", n) not in MATRIX])
def test_post_only_views_refuse_get(client, coordinator, world, name):
    client.force_login(coordinator)
    assert _request(client, "GET", name, world).status_code == 405


def test_a_tatanan_of_another_framework_is_not_found(client, coordinator, assessment):
    from tatanan.tests.factories import TatananFactory

    client.force_login(coordinator)
    assert client.get(f"/penilaian/{assessment.pk}/tatanan/{TatananFactory().pk}/").status_code == 404
