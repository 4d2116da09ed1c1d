"""Role x endpoint: the status every persona (and an anonymous caller) gets from every API operation.

The same personas as the page matrices (conftest.py), plus a provincial official of another province. Each
row is checked for all personas at once; the expected codes follow the page policy: a row outside the
persona's scope is 404, a write the policy refuses on a row they see is 403, no token is 401.
"""

import pytest

from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.workflow import fresh
from forums.tests.factories import UserFactory

from .helpers import call, token_for

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator",
    "opd_officer",
    "reviewer",
    "provincial",
    "national",
    "admin_user",
    "outsider",
    "outsider_provincial",
    None,
]

EVERYONE = [200, 200, 200, 200, 200, 200, 200, 200, 401]
IN_SCOPE = [200, 200, 200, 200, 200, 200, 404, 404, 401]

# (method, path template) -> codes in PERSONAS order
MATRIX = {
    ("GET", "/frameworks"): EVERYONE,
    ("GET", "/frameworks/{framework}"): EVERYONE,
    ("GET", "/regions"): EVERYONE,
    ("GET", "/assessments"): EVERYONE,
    ("GET", "/assessments/{assessment}"): IN_SCOPE,
    ("GET", "/assessments/{assessment}/responses"): IN_SCOPE,
    # As the page's download (can_request_dossier): not for OPD officers.
    ("GET", "/assessments/{assessment}/sipantas"): [200, 403, 200, 200, 200, 200, 404, 404, 401],
    ("GET", "/responses/{draft}"): IN_SCOPE,
    ("GET", "/responses/{draft}/evidence"): IN_SCOPE,
    # Fillers: the coordinator, the OPD officer for its OPD's indicators, the admin; reviewers see but do not fill.
    ("PATCH", "/responses/{draft}"): [200, 200, 403, 403, 403, 200, 404, 404, 401],
    ("PATCH", "/responses/{kelembagaan}"): [200, 403, 403, 403, 403, 200, 404, 404, 401],
}


@pytest.fixture
def outsider_provincial(other_regency):
    return UserFactory(role="provincial_official", region=other_regency.parent, username="provinsi_lain")


@pytest.fixture
def world(request, assessment, framework, coordinator):
    responses = list(assessment.responses.select_related("indicator").order_by("indicator__sort_order"))
    draft = responses[0]
    kelembagaan = next(r for r in responses if r.indicator.kind == "kelembagaan")
    evidence_add(response=fresh(draft), uploaded=samples.pdf(), actor=coordinator)
    tokens = {p: token_for(request.getfixturevalue(p)) for p in PERSONAS if p}
    return {
        "tokens": tokens,
        "values": {
            "framework": framework.code,
            "assessment": assessment.pk,
            "draft": draft.pk,
            "kelembagaan": kelembagaan.pk,
        },
    }


@pytest.mark.parametrize(("method", "path"), list(MATRIX), ids=[f"{m} {p}" for m, p in MATRIX])
def test_role_endpoint_matrix(client, world, method, path):
    url = path.format(**world["values"])
    body = {"value": 100, "achievement": "Capaian lewat API"} if method == "PATCH" else None
    got = [
        call(client, method, url, world["tokens"].get(persona) if persona else None, body).status_code
        for persona in PERSONAS
    ]
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, MATRIX[(method, path)], strict=True))


def test_the_matrix_covers_every_operation_of_the_document():
    from api.v1 import api

    documented = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    covered = {
        (
            m,
            p.replace("{framework}", "{code}")
            .replace("{assessment}", "{assessment_id}")
            .replace("{draft}", "{response_id}")
            .replace("{kelembagaan}", "{response_id}"),
        )
        for m, p in MATRIX
    }
    assert documented == covered


def test_a_bad_or_revoked_token_is_401_like_none(client, world, coordinator):
    from api.models import ApiToken
    from api.services import api_token_revoke

    assert call(client, "GET", "/frameworks", "kks_not-a-real-token").status_code == 401
    assert call(client, "GET", "/frameworks", "x" * 5000).status_code == 401
    secret = world["tokens"]["coordinator"]
    assert call(client, "GET", "/frameworks", secret).status_code == 200
    api_token_revoke(token=ApiToken.objects.get(user=coordinator), actor=coordinator)
    refused = call(client, "GET", "/frameworks", secret)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert refused.json()["code"] == "unauthorized"


def test_a_deactivated_users_token_stops_working(client, world, opd_officer):
    secret = world["tokens"]["opd_officer"]
    opd_officer.is_active = False
    opd_officer.save()
    assert call(client, "GET", "/frameworks", secret).status_code == 401


def test_a_session_cookie_is_not_an_api_credential(client, world, coordinator):
    client.force_login(coordinator)
    assert call(client, "GET", "/assessments").status_code == 401
