"""A bounded schema-driven run (schemathesis) against the API in-process: no 5xx, every answer as documented.

The OpenAPI document is fetched from /api/v1/openapi.json and validated by schemathesis as it loads it. Each
operation gets its documented-status, content-type, header and body-schema checks on: the rows of a small
world (so the successful answers are checked against their schema too), then a few generated examples
(hypothesis, derandomised so every run is the same). A national admin's token reaches every row and may write.
"""

import time

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.workflow import fresh

from .helpers import token_for

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 6
BUDGET_SECONDS = 60


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler on the test database: like the test client, keep the connection across requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _known_rows(assessment, framework, coordinator):
    response = fresh(assessment.responses.order_by("indicator__sort_order").first())
    evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    return {
        "code": framework.code,
        "assessment_id": assessment.pk,
        "response_id": response.pk,
    }


def test_schema_driven_run_finds_no_server_error(
    wsgi_app, assessment, other_assessment, framework, coordinator, admin_user
):
    started = time.monotonic()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    # identity: the in-process client does not inflate the GZipMiddleware's answers as an HTTP client would.
    headers = {"Authorization": f"Bearer {token_for(admin_user)}", "Accept-Encoding": "identity"}
    rows = _known_rows(assessment, framework, coordinator)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    calls = 0

    for operation in operations:
        names = [p.name for p in operation.path_parameters]
        body = (
            {"value": 50, "achievement": "Capaian"}
            if operation.method.upper() == "PATCH"
            else schemathesis.core.NOT_SET
        )
        known = operation.Case(path_parameters={n: rows[n] for n in names}, body=body)
        answer = known.call_and_validate(headers=headers, checks=CHECKS)
        assert answer.status_code == 200, (operation.label, answer.text[:500])
        calls += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def generated(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        generated()
        calls += EXAMPLES_PER_OPERATION

    assert time.monotonic() - started < BUDGET_SECONDS
    assert calls >= 10 * (1 + EXAMPLES_PER_OPERATION)


def test_the_document_says_how_to_authenticate(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    every = [op for path in document["paths"].values() for op in path.values()]
    assert all(op["security"] == [{"TokenAuth": []}] for op in every)
    assert all({"401", "429"} <= set(op["responses"]) for op in every)


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "http://" not in html
    assert "https://" not in html
    assert "<script>" not in html  # no inline script: the page's CSP (script-src 'self') holds
