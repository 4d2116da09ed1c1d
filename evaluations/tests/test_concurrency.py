"""Two reviewers acting on the same response at the same moment: exactly one wins (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from evaluations.models import RevisionReason, StatusChange
from evaluations.services.errors import StaleVersion
from evaluations.services.responses import ACCEPT, REVISE, response_review
from evaluations.tests.workflow import fresh, submitted
from forums.tests.factories import UserFactory
from kks.testing import require_postgresql


def _race(decisions):
    """Run each callable in its own thread and connection, released together; collect outcomes."""
    barrier = threading.Barrier(len(decisions))
    outcomes = [None] * len(decisions)

    def run(i, decide):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = decide()
        except Exception as error:  # the outcome is what the test inspects
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(decisions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_decisions_cannot_both_win(assessment, coordinator, reviewer, regency, attempt):
    if connection.vendor != "postgresql":
        require_postgresql("the row-lock test")
    second = UserFactory(role="health_reviewer", region=regency, username=f"reviewer2-{attempt}")
    response = assessment.responses.filter(indicator__kind="tatanan").first()
    submitted(response, coordinator)
    seen = fresh(response)
    # A transactional test starts from a flushed database: the seeded catalogue is gone.
    reason, _ = RevisionReason.objects.get_or_create(code="bukti-tidak-lengkap", defaults={"label": "Tidak lengkap"})

    outcomes = _race(
        [
            lambda: response_review(response=seen, actor=reviewer, version=seen.version, decision=ACCEPT),
            lambda: response_review(
                response=seen, actor=second, version=seen.version, decision=REVISE, reason=reason, note="Lengkapi"
            ),
        ]
    )

    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert isinstance(losers[0], StaleVersion)
    decisions = StatusChange.objects.filter(response=response).exclude(to_status="submitted")
    assert decisions.count() == 1
    assert fresh(response).version == seen.version + 1


@pytest.mark.django_db(transaction=True)
def test_a_slow_first_decision_blocks_the_second_until_it_commits(
    assessment, coordinator, reviewer, regency, monkeypatch
):
    """The second reviewer reads the row while the first is still deciding: the row lock makes it wait."""
    if connection.vendor != "postgresql":
        require_postgresql("the row-lock test")
    import time

    from evaluations.services import notifications

    second = UserFactory(role="health_reviewer", region=regency, username="reviewer-slow")
    response = assessment.responses.filter(indicator__kind="tatanan").first()
    submitted(response, coordinator)
    seen = fresh(response)
    reason, _ = RevisionReason.objects.get_or_create(code="lainnya", defaults={"label": "Lainnya"})
    real_notify = notifications.notify_accepted

    def slow_notify(**kwargs):  # runs inside the first decision's transaction, after its version check
        time.sleep(0.5)
        return real_notify(**kwargs)

    monkeypatch.setattr(notifications, "notify_accepted", slow_notify)

    def late_revise():
        time.sleep(0.15)
        return response_review(
            response=seen, actor=second, version=seen.version, decision=REVISE, reason=reason, note="Tidak sesuai"
        )

    outcomes = _race(
        [
            lambda: response_review(response=seen, actor=reviewer, version=seen.version, decision=ACCEPT),
            late_revise,
        ]
    )

    assert not isinstance(outcomes[0], Exception)
    assert isinstance(outcomes[1], StaleVersion)
    assert fresh(response).stage == "provinsi"
