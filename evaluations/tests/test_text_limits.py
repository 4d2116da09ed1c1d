"""Every free text a user writes is limited in the model, the form and the service (issue 12, hole 4)."""

import pytest
from django.core.exceptions import ValidationError

from evaluations.models import Comment, Response, StatusChange
from evaluations.services.assessments import assessment_update_general
from evaluations.services.errors import TextTooLong
from evaluations.services.responses import response_save
from evaluations.tests.workflow import fresh
from kks import textlimits

pytestmark = pytest.mark.django_db

HUGE = "x" * 600_000  # what the attack stored per field


@pytest.fixture
def response(assessment):
    return assessment.responses.order_by("indicator__sort_order").first()


def _post(client, response, **fields):
    data = {f"r{response.pk}-version": fresh(response).version, "action": "save"}
    data.update({f"r{response.pk}-{k}": v for k, v in fields.items()})
    return client.post(f"/jawaban/{response.pk}/simpan/", data)


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (Response, "achievement", textlimits.ACHIEVEMENT),
        (Response, "achievement_previous", textlimits.ACHIEVEMENT),
        (Response, "explanation", textlimits.EXPLANATION),
        (StatusChange, "note", textlimits.REVIEW_NOTE),
        (Comment, "body", textlimits.COMMENT),
        ("evaluations.Assessment", "narrative", textlimits.NARRATIVE),
        ("forums.Body", "work_plan", textlimits.WORK_PLAN),
        ("forums.Body", "secretariat_address", textlimits.ADDRESS),
    ],
)
def test_the_model_field_refuses_text_over_its_limit_in_validation(model, field, limit):
    from django.apps import apps

    if isinstance(model, str):
        model = apps.get_model(model)
    model_field = model._meta.get_field(field)
    assert model_field.max_length == limit
    model_field.run_validators("x" * limit)
    with pytest.raises(ValidationError):
        model_field.run_validators("x" * (limit + 1))


def test_full_clean_refuses_a_50000_character_explanation(response):
    response.explanation = "x" * 50_000
    with pytest.raises(ValidationError) as error:
        response.full_clean()
    assert "explanation" in error.value.message_dict


def test_the_fill_form_refuses_an_over_long_answer_with_the_error_on_the_field(client, coordinator, response):
    client.force_login(coordinator)
    page = _post(client, response, value="100", achievement="87%", explanation="y" * (textlimits.EXPLANATION + 1))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-invalid="true"' in html
    assert fresh(response).explanation == ""
    assert fresh(response).value is None


def test_the_fill_form_renders_maxlength_for_the_counter(client, coordinator, assessment, response):
    client.force_login(coordinator)
    tatanan = response.indicator.tatanan
    html = client.get(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/").content.decode()
    assert f'maxlength="{textlimits.ACHIEVEMENT}"' in html
    assert f'maxlength="{textlimits.EXPLANATION}"' in html
    assert "js/charcount.js" in html


def test_browser_line_breaks_count_as_one_character(client, coordinator, response):
    """A browser counts a line break as one character for maxlength but sends CRLF."""
    client.force_login(coordinator)
    text = "a\r\n" * (textlimits.ACHIEVEMENT // 2)  # 1,000 characters for the browser, 1,500 as sent
    page = _post(client, response, value="100", achievement=text)
    assert page.status_code == 302
    assert fresh(response).achievement == ("a\n" * (textlimits.ACHIEVEMENT // 2)).strip()


def test_the_service_refuses_raw_over_long_data(coordinator, response):
    with pytest.raises(TextTooLong):
        response_save(response=response, data={"achievement": HUGE}, actor=coordinator)
    assert fresh(response).achievement == ""
    saved = response_save(response=response, data={"achievement": "x" * textlimits.ACHIEVEMENT}, actor=coordinator)
    assert len(saved.achievement) == textlimits.ACHIEVEMENT


def test_the_general_data_narrative_is_limited_in_form_and_service(client, coordinator, assessment):
    client.force_login(coordinator)
    data = {"odf_kecamatan_count": 3, "odf_village_count": 46, "odf_stop_babs_count": 40}
    page = client.post(f"/penilaian/{assessment.pk}/data-umum/", {**data, "narrative": "n" * 10_001})
    assert page.status_code == 200
    assert f'maxlength="{textlimits.NARRATIVE}"' in page.content.decode()
    with pytest.raises(TextTooLong):
        assessment_update_general(assessment=assessment, data={"narrative": HUGE}, actor=coordinator)
    assessment.refresh_from_db()
    assert assessment.narrative == ""


def test_a_comment_over_the_limit_is_refused(client, coordinator, response):
    client.force_login(coordinator)
    client.post(f"/jawaban/{response.pk}/komentar/", {f"c{response.pk}-body": "k" * (textlimits.COMMENT + 1)})
    assert not Comment.objects.filter(response=response).exists()


def test_the_review_note_is_limited_in_the_service(reviewer, response, coordinator):
    from evaluations.services.responses import ACCEPT, response_review

    response_save(response=response, data={"value": 100}, actor=coordinator, submit=True)
    current = fresh(response)
    with pytest.raises(TextTooLong):
        response_review(
            response=current, actor=reviewer, version=current.version, decision=ACCEPT, value=100, note=HUGE
        )
    assert not StatusChange.objects.filter(response=response, note=HUGE).exists()
