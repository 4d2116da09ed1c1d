import pytest

from evaluations.models import AssessmentStatus, Response, ResponseStatus, Stage
from evaluations.tests.workflow import accept, fresh, submitted

pytestmark = pytest.mark.django_db


def _status(assessment):
    assessment.refresh_from_db()
    return assessment.status


def test_assessment_follows_its_least_advanced_response(assessment, coordinator, reviewer, provincial, national):
    responses = list(assessment.responses.select_related("indicator"))
    assert _status(assessment) == AssessmentStatus.IN_PROGRESS

    for r in responses:
        accept(submitted(r, coordinator), reviewer)
    assert _status(assessment) == AssessmentStatus.PROVINCIAL

    for r in responses:
        accept(fresh(r), provincial, 100)
    assert _status(assessment) == AssessmentStatus.NATIONAL

    *first, last = responses
    for r in first:
        accept(fresh(r), national, 100)
    assert _status(assessment) == AssessmentStatus.NATIONAL
    accept(fresh(last), national, 100)
    assert _status(assessment) == AssessmentStatus.DONE
    assert (
        not Response.objects.filter(assessment=assessment)
        .exclude(stage=Stage.PUSAT, status=ResponseStatus.ACCEPTED)
        .exists()
    )
