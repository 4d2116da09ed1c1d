"""Saving a response through the API: the fill service of the pages, its rules and its errors as JSON."""

import pytest

from evaluations.models import Notification, Response
from evaluations.tests.workflow import close_all_windows, fresh, submitted
from kks import textlimits

from .helpers import call, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(assessment):
    return fresh(assessment.responses.order_by("indicator__sort_order").first())


@pytest.fixture
def secret(opd_officer):
    return token_for(opd_officer)


def patch(client, secret, response, body):
    return call(client, "PATCH", f"/responses/{response.pk}", secret, body)


def test_a_save_changes_only_the_fields_sent_and_records_the_token_user(client, secret, draft, opd_officer):
    draft.explanation = "tetap"
    draft.save()
    answer = patch(client, secret, draft, {"value": 50, "achievement": "82 %", "version": draft.version})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["value"], body["achievement"], body["explanation"]) == (50, "82 %", "tetap")
    assert body["version"] == draft.version + 1
    assert body["can_fill"] is True
    saved = fresh(draft)
    assert (saved.value, saved.achievement, saved.explanation, saved.updated_by) == (50, "82 %", "tetap", opd_officer)
    assert Response.audit.filter(id=draft.pk).latest().history_user == opd_officer


def test_a_null_text_clears_it(client, secret, draft):
    patch(client, secret, draft, {"achievement": "ada"})
    assert patch(client, secret, draft, {"achievement": None}).json()["achievement"] == ""
    assert fresh(draft).achievement == ""


def test_a_value_off_the_scale_is_refused_by_the_service(client, secret, draft):
    answer = patch(client, secret, draft, {"value": 75})  # the scale is 100/50/0
    assert answer.status_code == 400
    assert answer.json()["code"] == "workflow"
    assert "tidak ada pada skala" in answer.json()["detail"]
    assert fresh(draft).value is None


def test_a_text_over_its_limit_is_refused_before_the_service(client, secret, draft):
    answer = patch(client, secret, draft, {"explanation": "x" * (textlimits.EXPLANATION + 1)})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "explanation"
    assert fresh(draft).explanation == ""


def test_a_stale_version_is_a_conflict(client, secret, draft):
    patch(client, secret, draft, {"value": 50})
    answer = patch(client, secret, draft, {"value": 100, "version": draft.version})
    assert answer.status_code == 409
    assert answer.json()["code"] == "stale"
    assert fresh(draft).value == 50


def test_a_closed_window_refuses_the_write(client, secret, draft, cycle):
    close_all_windows(cycle)
    answer = patch(client, secret, draft, {"value": 50})
    assert answer.status_code == 400
    assert answer.json()["code"] == "window_closed"
    assert fresh(draft).value is None


def test_a_response_under_review_is_not_changed(client, secret, draft, coordinator):
    submitted(draft, coordinator, value=100)
    answer = patch(client, secret, draft, {"value": 50})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_transition"
    assert fresh(draft).value == 100


def test_submit_sends_it_to_the_reviewers(client, secret, draft, reviewer):
    refused = patch(client, secret, draft, {"submit": True})
    assert refused.status_code == 400
    assert "Pilih nilai mandiri" in refused.json()["detail"]
    answer = patch(client, secret, draft, {"value": 100, "submit": True})
    assert answer.status_code == 200
    assert answer.json()["status"] == "submitted"
    assert Notification.objects.filter(recipient=reviewer, response=draft).exists()


def test_a_malformed_body_is_422_json(client, secret, draft):
    from .helpers import BASE, auth

    answer = client.generic(
        "PATCH", f"{BASE}/responses/{draft.pk}", "{not json", content_type="application/json", headers=auth(secret)
    )
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/json")
    wrong_type = patch(client, secret, draft, {"value": "banyak"})
    assert wrong_type.status_code == 422
