"""The fill page per tatanan and for kelembagaan: cards, explicit save (htmx and plain), no lost input."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.models import Comment, ResponseStatus
from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.factories import CycleFactory, make_assessment
from evaluations.tests.workflow import close_all_windows, filled, fresh, submitted
from tatanan.tests.factories import make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def tatanan(framework):
    return framework.tatanan.order_by("number").first()


@pytest.fixture
def response(assessment, tatanan):
    return assessment.responses.filter(indicator__tatanan=tatanan).order_by("indicator__sort_order").first()


def _url(assessment, tatanan):
    return f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/"


def _post(client, response, *, action="save", htmx=False, **fields):
    data = {f"r{response.pk}-version": fields.pop("version", fresh(response).version), "action": action}
    data.update({f"r{response.pk}-{k}": v for k, v in fields.items()})
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/jawaban/{response.pk}/simpan/", data, headers=headers)


def test_the_page_lists_the_tatanan_indicators_with_their_scale(client, coordinator, assessment, tatanan):
    client.force_login(coordinator)
    html = client.get(_url(assessment, tatanan)).content.decode()
    codes = re.findall(r'<span class="text-body-secondary">(T\d-\d\d)</span>', html)
    assert codes == ["T1-01", "T1-02", "T1-03"]
    assert "100 — Nilai 100" in html
    assert html.count('name="action" value="save"') == 3
    assert "Terisi 0 dari 3 indikator" in html


def test_the_kelembagaan_page_lists_only_kelembagaan_indicators(client, coordinator, assessment):
    client.force_login(coordinator)
    html = client.get(f"/penilaian/{assessment.pk}/kelembagaan/").content.decode()
    assert re.findall(r'<span class="text-body-secondary">(K-\d\d)</span>', html) == ["K-01", "K-02"]
    assert "T1-01" not in html


def test_opd_officer_gets_forms_only_for_their_indicators(client, opd_officer, assessment):
    client.force_login(opd_officer)
    html = client.get(f"/penilaian/{assessment.pk}/kelembagaan/").content.decode()
    assert 'name="action" value="save"' not in html  # kelembagaan has no responsible OPD kind here
    assert "Ajukan semua yang sudah terisi" not in html
    mine = client.get(f"/penilaian/{assessment.pk}/kelembagaan/?saya=1").content.decode()
    assert "Tidak ada indikator untuk ditampilkan" in mine


def test_reviewers_see_the_page_read_only(client, reviewer, assessment, tatanan):
    client.force_login(reviewer)
    html = client.get(_url(assessment, tatanan)).content.decode()
    assert 'name="action"' not in html
    assert "Halaman verifikasi indikator ini" in html


def test_plain_save_redirects_back_to_the_card(client, coordinator, assessment, tatanan, response):
    client.force_login(coordinator)
    page = _post(client, response, value="50", achievement="87%", explanation="Dinkes")
    assert page.status_code == 302
    assert page["Location"] == f"{_url(assessment, tatanan)}#r{response.pk}"
    current = fresh(response)
    assert (current.value, current.achievement, current.explanation, current.status) == (50, "87%", "Dinkes", "draft")


def test_htmx_save_returns_only_the_card(client, coordinator, response):
    client.force_login(coordinator)
    page = _post(client, response, htmx=True, value="100")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.lstrip().startswith(f'<article class="card mb-3" id="r{response.pk}"')
    assert "<html" not in html
    assert "Tersimpan." in html
    assert f'name="r{response.pk}-version" value="2"' in html


def test_save_and_submit_in_one_step(client, coordinator, response):
    client.force_login(coordinator)
    html = _post(client, response, action="submit", htmx=True, value="100").content.decode()
    assert "Tersimpan dan diajukan" in html
    assert fresh(response).status == ResponseStatus.SUBMITTED
    assert 'name="action"' not in html  # no longer editable


def test_submit_without_a_value_keeps_the_input_and_saves_nothing(client, coordinator, assessment, response):
    client.force_login(coordinator)
    page = _post(client, response, action="submit", achievement="Teks yang tidak boleh hilang")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Pilih nilai mandiri" in html
    assert "Teks yang tidak boleh hilang" in html
    assert "<html" in html  # the whole page again, without JavaScript
    assert fresh(response).achievement == ""


def test_a_value_off_the_scale_is_a_form_error_with_the_input_kept(client, coordinator, response):
    client.force_login(coordinator)
    html = _post(client, response, htmx=True, value="75", explanation="Penjelasan panjang").content.decode()
    assert "Penjelasan panjang" in html
    assert "75 bukan salah satu dari pilihan" in html
    assert fresh(response).value is None


def test_the_card_form_is_labelled_for_assistive_technology(client, coordinator, response):
    client.force_login(coordinator)
    html = _post(client, response, htmx=True, value="75", achievement="a < b").content.decode()
    prefix = f"id_r{response.pk}"
    # The scale is a fieldset named by its legend; each radio has its own label; the error is tied to it.
    legend = '<legend class="form-label fs-6">Nilai mandiri</legend>'
    assert f'<fieldset aria-describedby="{prefix}-value_error">{legend}' in html
    assert f'<div id="{prefix}-value_error" class="invalid-feedback d-block">' in html
    assert html.count('aria-invalid="true"') == 3  # the three radios of the small framework's scale
    assert f'<label for="{prefix}-value_0" class="form-check-label">100 — Nilai 100</label>' in html
    # Text fields keep their label, value (escaped) and widget attributes; the upload its help text.
    # The capaian fields are labelled with the cycle's data years (2025 cycle: 2024 and 2023).
    assert f'<label for="{prefix}-achievement" class="form-label">Capaian 2024</label>' in html
    assert f'<label for="{prefix}-achievement_previous" class="form-label">Capaian 2023</label>' in html
    textarea = f'rows="3" maxlength="1000" class="textarea form-control" id="{prefix}-achievement">'
    assert textarea + "\na &lt; b</textarea>" in html
    assert f'maxlength="200" class="textinput form-control" id="{prefix}-evidence_title">' in html
    assert f'multiple id="{prefix}-evidence_files" aria-describedby="{prefix}-evidence_files_helptext">' in html
    assert f'<div id="{prefix}-evidence_files_helptext" class="form-text">' in html
    # The year of a new upload: a labelled choice of exactly the cycle's two data years, N preselected.
    assert f'<label for="{prefix}-evidence_year" class="form-label">Tahun data bukti dukung baru</label>' in html
    assert re.search(
        rf'<select name="r{response.pk}-evidence_year" class="form-select" id="{prefix}-evidence_year"[^>]*>'
        r'<option value="2024" selected>2024</option><option value="2023">2023</option></select>',
        html,
    )


def test_a_checked_value_and_a_comment_error_are_shown(client, coordinator, response):
    client.force_login(coordinator)
    _post(client, response, value="50")
    htmx = {"HX-Request": "true"}
    posted = client.post(f"/jawaban/{response.pk}/komentar/", {f"c{response.pk}-body": ""}, headers=htmx)
    html = posted.content.decode()
    assert re.search(rf'name="r{response.pk}-value" value="50" id="id_r{response.pk}-value_1" checked', html)
    assert len(re.findall(r"\schecked[\s>]", html)) == 1
    body = f"id_c{response.pk}-body"
    assert f'required aria-invalid="true" aria-describedby="{body}_error" id="{body}">' in html
    assert f'<div id="{body}_error" class="invalid-feedback"><p id="error_1_{body}"><strong>' in html


def test_a_stale_save_keeps_the_input_and_offers_the_current_version(client, coordinator, opd_officer, response):
    filled(response, opd_officer, value=50)  # someone else saved meanwhile (version 2)
    client.force_login(coordinator)
    html = _post(client, response, htmx=True, version=1, value="100", achievement="Versi saya").content.decode()
    assert "sudah diubah oleh" in html
    assert "Versi saya" in html
    assert f'name="r{response.pk}-version" value="2"' in html
    assert fresh(response).value == 50
    assert _post(client, response, htmx=True, version=2, value="100").status_code == 200
    assert fresh(response).value == 100


def test_closed_window_shows_the_reason_and_no_form(client, coordinator, assessment, tatanan, cycle):
    close_all_windows(cycle)
    client.force_login(coordinator)
    html = client.get(_url(assessment, tatanan)).content.decode()
    assert "sudah ditutup" in html
    assert 'name="action"' not in html


def test_saving_in_a_closed_window_is_refused_with_the_input_kept(client, coordinator, response, cycle):
    close_all_windows(cycle)
    client.force_login(coordinator)
    html = _post(client, response, value="100", achievement="Tetap ada").content.decode()
    assert "sudah ditutup" in html
    assert fresh(response).value is None


def test_submit_all_filled_submits_the_filled_drafts_of_the_tatanan(client, coordinator, assessment, tatanan):
    responses = list(assessment.responses.filter(indicator__tatanan=tatanan).order_by("indicator__sort_order"))
    filled(responses[0], coordinator)
    filled(responses[1], coordinator)
    client.force_login(coordinator)
    confirm = client.get(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/ajukan/periksa/").content.decode()
    assert "2 indikator terisi siap diajukan" in confirm
    assert confirm.count('name="responses"') == 2
    assert [fresh(r).status for r in responses] == ["draft", "draft", "draft"]  # looking wrote nothing

    data = {"responses": [responses[0].pk, responses[1].pk]}
    page = client.post(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/ajukan/", data, follow=True)
    assert "2 indikator diajukan" in page.content.decode()
    assert [fresh(r).status for r in responses] == ["submitted", "submitted", "draft"]


def test_submit_all_asks_first_and_flags_items_without_evidence(client, coordinator, assessment, tatanan):
    from evaluations.services.evidence import evidence_add
    from evaluations.tests import samples

    responses = list(assessment.responses.filter(indicator__tatanan=tatanan).order_by("indicator__sort_order"))
    filled(responses[0], coordinator)
    filled(responses[1], coordinator)
    evidence_add(response=fresh(responses[0]), uploaded=samples.pdf(), actor=coordinator)
    client.force_login(coordinator)
    url = f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/ajukan/"

    bare = client.post(url)  # an old page or a double tap without choosing: ask again, submit nothing
    assert bare["Location"] == f"{url}periksa/"
    assert [fresh(r).status for r in responses[:2]] == ["draft", "draft"]

    confirm = client.get(f"{url}periksa/").content.decode()
    assert "1 indikator belum punya bukti dukung" in confirm
    assert confirm.count("Tanpa bukti dukung") == 1

    client.post(url, {"responses": [responses[0].pk]})  # the one without evidence unticked
    assert [fresh(r).status for r in responses] == ["submitted", "draft", "draft"]


def test_submit_all_never_submits_more_than_it_may(client, coordinator, outsider, assessment, tatanan):
    responses = list(assessment.responses.filter(indicator__tatanan=tatanan).order_by("indicator__sort_order"))
    client.force_login(coordinator)
    client.post(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/ajukan/", {"responses": [responses[2].pk, "x"]})
    assert fresh(responses[2]).status == "draft"  # not filled: skipped


def test_a_revision_shows_the_reason_and_deadline_on_the_card(
    client, coordinator, reviewer, assessment, tatanan, response
):
    from evaluations.tests.workflow import send_back

    submitted(response, coordinator)
    send_back(response, reviewer, note="Lampirkan SK")
    client.force_login(coordinator)
    html = client.get(_url(assessment, tatanan)).content.decode()
    assert "Perlu perbaikan" in html
    assert "Lampirkan SK" in html
    assert html.count('name="action" value="save"') == 3  # editable again


def test_comments_are_added_to_the_thread(client, opd_officer, reviewer, response):
    client.force_login(opd_officer)
    html = client.post(
        f"/jawaban/{response.pk}/komentar/", {f"c{response.pk}-body": "Data menyusul"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Data menyusul" in html
    client.force_login(reviewer)
    client.post(f"/jawaban/{response.pk}/komentar/", {f"c{response.pk}-body": "Baik", "next": "/verifikasi/"})
    assert list(Comment.objects.filter(response=response).values_list("body", flat=True)) == ["Data menyusul", "Baik"]


def test_an_empty_comment_is_refused(client, coordinator, response):
    client.force_login(coordinator)
    page = client.post(f"/jawaban/{response.pk}/komentar/", {f"c{response.pk}-body": ""}, follow=True)
    assert "tidak boleh kosong" in page.content.decode()
    assert not Comment.objects.exists()


def _populated(size, regency, opd_kind, coordinator):
    framework = make_framework(tatanan=1, per_tatanan=size, kelembagaan=1, opd_kind=opd_kind)
    cycle = CycleFactory(framework=framework)
    assessment = make_assessment(cycle=cycle, regency=regency)
    for i, response in enumerate(assessment.responses.select_related("indicator").filter(indicator__kind="tatanan")):
        evidence_add(response=response, uploaded=samples.pdf(f"b{i}.pdf"), actor=coordinator)
        Comment.objects.create(response=response, author=coordinator, body="catatan")
        if i % 2:
            submitted(response, coordinator)
        else:
            filled(response, coordinator)
    return assessment, framework.tatanan.get()


@pytest.mark.parametrize("persona", ["coordinator", "opd_officer", "reviewer"])
def test_query_count_of_the_tatanan_page_does_not_grow(request, client, regency, opd_kind, coordinator, persona):
    user = request.getfixturevalue(persona)
    small = _populated(2, regency, opd_kind, coordinator)
    big = _populated(9, regency, opd_kind, coordinator)
    client.force_login(user)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(_url(*small)).status_code == 200
    with CaptureQueriesContext(connection) as grown:
        page = client.get(_url(*big))
    assert page.content.decode().count('class="card mb-3"') == 9
    assert len(grown) == len(baseline)


def test_query_count_is_pinned(client, regency, opd_kind, coordinator, django_assert_num_queries):
    small = _populated(2, regency, opd_kind, coordinator)
    big = _populated(12, regency, opd_kind, coordinator)
    client.force_login(coordinator)
    client.get(_url(*small))  # warm the session
    with CaptureQueriesContext(connection) as baseline:
        client.get(_url(*small))
    with django_assert_num_queries(len(baseline)):
        client.get(_url(*big))


def test_deadline_in_the_past_blocks_a_provincial_revision(client, coordinator, reviewer, provincial, response, cycle):
    from evaluations.tests.workflow import accept, send_back

    submitted(response, coordinator)
    accept(response, reviewer)
    send_back(response, provincial)
    current = fresh(response)
    current.revision_due = timezone.now() - datetime.timedelta(hours=1)
    current.save()
    close_all_windows(cycle)
    client.force_login(coordinator)
    html = client.get(f"/penilaian/{response.assessment_id}/tatanan/{response.indicator.tatanan_id}/").content.decode()
    assert "Batas perbaikan sudah lewat" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_an_evidence_title_without_a_file_is_an_error_at_the_field(client, coordinator, response, htmx):
    client.force_login(coordinator)
    html = _post(client, response, htmx=htmx, value="100", achievement="Tetap ada", evidence_title="SK Forum").content
    html = html.decode()
    assert "Pilih berkasnya juga, atau kosongkan judul ini." in html
    field = html.index(f'id="id_r{response.pk}-evidence_title"')
    card = html.index(f'id="r{response.pk}"')
    assert html.index("Pilih berkasnya juga", card) > html.rindex("<label", 0, field)  # next to the title field
    assert 'value="SK Forum"' in html  # what was typed is kept
    assert "Tetap ada" in html
    assert fresh(response).value is None  # nothing half-saved


def test_withdrawing_evidence_asks_first(client, coordinator, response):
    from evaluations.services.evidence import evidence_add
    from evaluations.tests import samples

    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator, title="SK lama")
    client.force_login(coordinator)
    card = client.get(fill_url_of(response)).content.decode()
    confirm_url = f"/bukti/{evidence.pk}/tarik/periksa/"
    assert f'href="{confirm_url}"' in card
    assert "hx-confirm=" in card

    page = client.get(confirm_url).content.decode()
    assert "Tarik bukti dukung?" in page
    assert "SK lama" in page
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is None  # asking wrote nothing

    client.post(f"/bukti/{evidence.pk}/tarik/")
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None


def fill_url_of(response):
    return _url(response.assessment, response.indicator.tatanan)


def test_submitting_without_a_value_is_an_error_at_the_scale(client, coordinator, response):
    client.force_login(coordinator)
    html = _post(client, response, action="submit", achievement="Sudah ditulis").content.decode()
    scale = html.index(f'id="div_id_r{response.pk}-value"')
    error = html.index("Pilih nilai mandiri sebelum mengajukan indikator", scale)
    assert scale < error < html.index(f'id="div_id_r{response.pk}-achievement"')
    assert "Sudah ditulis" in html


def test_a_failed_plain_post_lists_its_errors_at_the_top_linked_to_the_fields(client, coordinator, response):
    client.force_login(coordinator)
    html = _post(client, response, action="submit", evidence_title="SK").content.decode()
    summary = html.index('id="error-summary"')
    assert summary < html.index(f'id="r{response.pk}"')  # above the cards
    assert f'href="#div_id_r{response.pk}-value"' in html
    assert f'href="#id_r{response.pk}-evidence_title"' in html


def test_the_htmx_card_has_no_page_summary(client, coordinator, response):
    client.force_login(coordinator)
    html = _post(client, response, action="submit", htmx=True).content.decode()
    assert 'id="error-summary"' not in html
    assert "Pilih nilai mandiri" in html
