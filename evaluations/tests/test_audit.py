"""Audit history: who changed what from what to what, through the services and the admin; corrections."""

import codecs
import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from evaluations.models import ChangeKind, Response, StatusChange
from evaluations.selectors.audit import assessment_audit, response_audit
from evaluations.selectors.dossier import dossier_data
from evaluations.services.assessments import assessment_update_general, assessments_open
from evaluations.services.corrections import response_correct
from evaluations.services.errors import InvalidTransition, WorkflowError
from evaluations.services.evidence import evidence_add, evidence_withdraw
from evaluations.services.responses import response_save
from evaluations.tests import samples
from evaluations.tests.workflow import accept, filled, fresh, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return fresh(assessment.responses.order_by("indicator__sort_order").first())


def _final(response, coordinator, reviewer, provincial, national):
    """A response accepted at every stage (national score 100)."""
    submitted(response, coordinator)
    accept(response, reviewer)
    accept(response, provincial, value=100)
    return fresh(accept(response, national, value=100))


def _entry(entries, field):
    return next(e for e in entries if e.field == field)


def test_a_fill_records_who_and_the_old_and_new_text(response, coordinator):
    filled(response, coordinator, value=50)
    response_save(response=fresh(response), data={"explanation": "Sudah ada SK"}, actor=coordinator)
    response_save(response=fresh(response), data={"explanation": "SK bupati 2025", "value": 100}, actor=coordinator)

    last = Response.audit.filter(id=response.pk).latest()
    assert last.history_user == coordinator
    assert (last.explanation, last.value) == ("SK bupati 2025", 100)
    entries = response_audit(fresh(response))
    newest = [e for e in entries if e.at == entries[0].at]
    assert {(e.field_label, e.old, e.new) for e in newest} == {
        ("Penjelasan OPD", "Sudah ada SK", "SK bupati 2025"),
        ("Nilai mandiri", "50", "100"),
    }
    assert all(e.user == coordinator for e in entries)


def test_a_review_decision_records_status_stage_and_score(response, coordinator, reviewer, provincial):
    submitted(response, coordinator)
    accept(response, reviewer)
    accept(response, provincial, value=50)

    entries = response_audit(fresh(response))
    assert {(e.field, e.old, e.new) for e in entries if e.user == provincial} == {
        ("response.stage", "Provinsi", "Pusat"),
        ("response.value_provincial", "", "50"),
    }
    assert {(e.field, e.old, e.new) for e in entries if e.user == reviewer} == {
        ("response.stage", "Kabupaten/Kota", "Provinsi"),
    }


def test_evidence_uploads_and_withdrawals_are_in_the_response_history(response, coordinator):
    evidence = evidence_add(response=response, uploaded=samples.pdf("notulen.pdf"), actor=coordinator, title="Notulen")
    evidence_withdraw(evidence=evidence, actor=coordinator)

    entries = response_audit(fresh(response))
    assert _entry(entries, "evidenceversion.original_name").new == "notulen.pdf"
    withdrawn = _entry(entries, "evidence.withdrawn_at")
    assert (withdrawn.old, withdrawn.user) == ("", coordinator)
    assert withdrawn.new  # a localized date
    assert "Notulen" in withdrawn.subject


def test_an_admin_change_through_the_admin_is_recorded_with_the_old_value(admin_client, admin_user, response):
    page = admin_client.post(
        f"/admin/evaluations/response/{response.pk}/change/",
        {"value": "", "value_provincial": "", "value_national": "", "explanation": "diubah admin"},
    )
    assert page.status_code == 302
    record = Response.audit.filter(id=response.pk).latest()
    assert (record.history_user, record.explanation) == (admin_user, "diubah admin")
    entry = _entry(response_audit(fresh(response)), "response.explanation")
    assert (entry.old, entry.new, entry.user) == ("", "diubah admin", admin_user)


def test_the_admin_cannot_change_or_delete_an_accepted_response(
    admin_client, admin_user, response, coordinator, reviewer, provincial, national
):
    final = _final(response, coordinator, reviewer, provincial, national)
    url = f"/admin/evaluations/response/{final.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200  # view only
    assert b'name="value_national"' not in page.content
    admin_client.post(url, {"value": 100, "value_provincial": 100, "value_national": 0, "explanation": "x"})
    assert fresh(final).value_national == 100
    assert admin_client.get(f"/admin/evaluations/response/{final.pk}/delete/").status_code == 403
    with pytest.raises(InvalidTransition):  # the services refuse too, the admin's account included
        response_save(response=final, data={"value_national": 0, "explanation": "x"}, actor=admin_user)

    # Accepted at the kabupaten stage only (now waiting at the provincial stage) counts too.
    other = fresh(response.assessment.responses.exclude(pk=response.pk).first())
    submitted(other, coordinator)
    accept(other, reviewer)
    assert b'name="value"' not in admin_client.get(f"/admin/evaluations/response/{other.pk}/change/").content


def test_a_correction_needs_a_reason_and_an_accepted_response(
    response, coordinator, reviewer, provincial, national, admin_user
):
    with pytest.raises(InvalidTransition):
        response_correct(response=response, changes={"value": 50}, reason="salah ketik", actor=admin_user)
    final = _final(response, coordinator, reviewer, provincial, national)
    with pytest.raises(WorkflowError):
        response_correct(response=final, changes={"value_national": 50}, reason="  ", actor=admin_user)
    with pytest.raises(PermissionDenied):
        response_correct(response=final, changes={"value_national": 50}, reason="alasan", actor=national)
    with pytest.raises(WorkflowError):
        response_correct(response=final, changes={"value_national": 100}, reason="tidak berubah", actor=admin_user)
    with pytest.raises(WorkflowError):
        response_correct(response=final, changes={"value_national": 30}, reason="di luar skala", actor=admin_user)
    assert fresh(final).value_national == 100
    assert not StatusChange.objects.filter(kind=ChangeKind.CORRECTION).exists()


def test_a_correction_is_recorded_in_the_status_history_and_the_audit(
    response, coordinator, reviewer, provincial, national, admin_user
):
    final = _final(response, coordinator, reviewer, provincial, national)
    entry = response_correct(
        response=final,
        changes={"value_national": 50, "explanation": "Perbaikan"},
        reason="Salah input saat verifikasi",
        actor=admin_user,
    )
    corrected = fresh(final)
    assert (corrected.value_national, corrected.explanation) == (50, "Perbaikan")
    assert (corrected.stage, corrected.status) == ("pusat", "accepted")
    assert corrected.version == final.version + 1
    assert (entry.kind, entry.actor, entry.note, entry.value) == (
        ChangeKind.CORRECTION,
        admin_user,
        "Salah input saat verifikasi",
        50,
    )
    assert entry.changes == {"value_national": [100, 50], "explanation": ["", "Perbaikan"]}
    audit = _entry(response_audit(corrected), "response.value_national")
    assert (audit.old, audit.new, audit.user) == ("100", "50", admin_user)
    assert "Salah input saat verifikasi" in audit.reason
    # The dossier keeps the national verifier as the last review and lists the correction.
    item = next(i for s in dossier_data(final.assessment_id).sections for i in s.items if i.response.pk == final.pk)
    assert item.last_review.actor == national
    assert [c.note for c in item.corrections] == ["Salah input saat verifikasi"]


def test_the_correction_page_and_its_visibility_to_the_filler(
    client, admin_client, response, coordinator, reviewer, provincial, national
):
    final = _final(response, coordinator, reviewer, provincial, national)
    url = f"/jawaban/{final.pk}/koreksi/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="value_national"' in page.content
    cycle = final.assessment.cycle
    for year in (cycle.data_year, cycle.data_year_previous):  # the capaian of each data year, by its year
        assert f"Capaian {year}" in page.content.decode()
    data = {
        "value": 100,
        "value_provincial": 100,
        "value_national": 0,
        "achievement": final.achievement,
        "achievement_previous": "",
        "explanation": "",
        "version": final.version,
    }
    missing_reason = admin_client.post(url, {**data, "reason": ""})
    assert missing_reason.status_code == 200
    assert fresh(final).value_national == 100
    done = admin_client.post(url, {**data, "reason": "Nilai pusat salah input"})
    assert done.status_code == 302
    assert fresh(final).value_national == 0

    client.force_login(coordinator)
    tatanan = final.indicator.tatanan_id
    fill_page = client.get(f"/penilaian/{final.assessment_id}/tatanan/{tatanan}/").content.decode()
    assert "Dikoreksi" in fill_page
    assert "Nilai pusat salah input" in fill_page
    review_page = client.get(f"/verifikasi/{final.pk}/").content.decode()
    assert "Dikoreksi" in review_page
    assert "Nilai pusat salah input" in review_page
    history_page = client.get(f"/jawaban/{final.pk}/riwayat/").content.decode()
    assert "Nilai pusat salah input" in history_page
    assert client.get(url).status_code == 403


def test_the_assessment_audit_page_filters_and_exports(client, assessment, response, coordinator, reviewer, national):
    filled(response, coordinator, value=50)
    response_save(response=fresh(response), data={"explanation": "Ada SK"}, actor=coordinator)
    assessment_update_general(assessment=assessment, data={"narrative": "Narasi baru"}, actor=coordinator)
    submitted(response, coordinator, value=100)
    accept(response, reviewer)

    client.force_login(national)
    page = client.get(f"/penilaian/{assessment.pk}/audit/").content.decode()
    code = response.indicator.code
    assert "Narasi baru" in page
    assert "Ada SK" in page
    assert code in page
    only_text = client.get(
        f"/penilaian/{assessment.pk}/audit/", {"field": "response.explanation", "user": coordinator.pk}
    ).content.decode()
    assert "Ada SK" in only_text
    assert "Narasi baru" not in only_text
    by_reviewer = client.get(f"/penilaian/{assessment.pk}/audit/", {"user": reviewer.pk}).content.decode()
    assert "Ada SK" not in by_reviewer
    assert "Provinsi" in by_reviewer

    body = client.get(f"/penilaian/{assessment.pk}/audit.csv").content
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Waktu", "Pengguna", "Objek"]
    explanation = next(r for r in rows if r[4] == "Penjelasan OPD")
    assert explanation[1:3] == [str(coordinator), code]
    assert explanation[5:7] == ["", "Ada SK"]
    assert any(
        month in explanation[0]
        for month in ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    )

    workbook = load_workbook(io.BytesIO(client.get(f"/penilaian/{assessment.pk}/audit.xlsx").content))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "Ada SK" in values
    assert "Narasi baru" in values


def test_the_audit_page_is_paginated(client, assessment, response, coordinator, national):
    for i in range(30):
        response_save(
            response=fresh(response), data={"explanation": f"versi {i}", "value": (0, 50)[i % 2]}, actor=coordinator
        )
    client.force_login(national)
    first = client.get(f"/penilaian/{assessment.pk}/audit/").content.decode()
    assert "Halaman 1 dari 2" in first
    assert "versi 29" in first
    assert "versi 3<" not in first
    second = client.get(f"/penilaian/{assessment.pk}/audit/", {"page": 2}).content.decode()
    assert "versi 3" in second


def test_opening_a_cycle_records_the_actor_on_every_new_row(cycle, regency, admin_user):
    from forums.models import Region

    assessments_open(cycle=cycle, regencies=Region.objects.filter(pk=regency.pk), actor=admin_user)
    responses = Response.objects.filter(assessment__regency=regency)
    assert responses.exists()
    assert Response.audit.filter(history_type="+", history_user=admin_user).count() == responses.count()
    assert responses.first().assessment.audit.get().history_user == admin_user


def test_bodies_memberships_and_users_keep_a_history(coordinator, regency, client):
    from forums.models import Body, BodyKind, User
    from forums.services.bodies import body_create, body_update

    body = body_create(actor=coordinator, kind=BodyKind.FORUM, region=regency, name="Forum KKS Kediri")
    body_update(body=body, actor=coordinator, name="Forum Kota Sehat Kediri")
    assert [(h.name, h.history_user) for h in Body.audit.filter(id=body.pk).order_by("history_id")] == [
        ("Forum KKS Kediri", coordinator),
        ("Forum Kota Sehat Kediri", coordinator),
    ]
    historical_user = User.audit.model
    assert not {"password", "last_login"} & {f.name for f in historical_user._meta.fields}
    before = User.audit.filter(id=coordinator.pk).count()
    coordinator.set_password("kata-sandi-baru-2025")
    coordinator.save()
    client.post("/akun/login/", {"username": coordinator.username, "password": "kata-sandi-baru-2025"})
    assert User.audit.filter(id=coordinator.pk).count() == before + 1  # the save, not the login


def test_history_depth_does_not_add_queries(client, response, coordinator, reviewer, django_assert_num_queries):
    tatanan = response.indicator.tatanan_id
    fill_url = f"/penilaian/{response.assessment_id}/tatanan/{tatanan}/"
    history_url = f"/jawaban/{response.pk}/riwayat/"
    filled(response, coordinator)
    evidence_add(response=fresh(response), uploaded=samples.pdf("awal.pdf"), actor=coordinator)
    client.force_login(coordinator)
    client.get(fill_url)
    with CaptureQueriesContext(connection) as fill_small:
        client.get(fill_url)
    with CaptureQueriesContext(connection) as history_small:
        client.get(history_url)
    for i in range(15):
        response_save(response=fresh(response), data={"explanation": f"v{i}"}, actor=coordinator)
        evidence_add(response=fresh(response), uploaded=samples.pdf(f"b{i}.pdf"), actor=coordinator)
    with django_assert_num_queries(len(fill_small)):
        client.get(fill_url)
    with django_assert_num_queries(len(history_small)):
        page = client.get(history_url)
    assert "b14.pdf" in page.content.decode()
    submitted(response, coordinator)
    client.force_login(reviewer)
    client.get("/verifikasi/")
    with CaptureQueriesContext(connection) as queue_small:
        client.get("/verifikasi/")
    for _ in range(5):
        Response.objects.get(pk=response.pk).save()  # more history rows
    with django_assert_num_queries(len(queue_small)):
        client.get("/verifikasi/")


def test_assessment_audit_reads_in_constant_queries(assessment, response, coordinator, django_assert_num_queries):
    filled(response, coordinator)
    with CaptureQueriesContext(connection) as small:
        assessment_audit(assessment)
    for i in range(10):
        response_save(response=fresh(response), data={"explanation": f"v{i}"}, actor=coordinator)
        evidence_add(response=fresh(response), uploaded=samples.pdf(f"b{i}.pdf"), actor=coordinator)
    with django_assert_num_queries(len(small)):
        entries = assessment_audit(assessment)
    assert len([e for e in entries if e.field == "response.explanation"]) == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only triggers exist on PostgreSQL only")
def test_history_tables_refuse_update_and_delete_on_postgresql(response, coordinator):
    from django.db import DatabaseError, transaction

    from evaluations.models import Assessment
    from forums.models import User
    from tatanan.models import FrameworkVersion

    filled(response, coordinator)
    for history in (Response.audit, Assessment.audit, User.audit, FrameworkVersion.audit):
        assert history.exists()
        table = history.model._meta.db_table
        for statement in ('UPDATE "{}" SET history_type = %s', 'DELETE FROM "{}" WHERE %s = %s'):
            sql, params = statement.format(table), ["-"] if "UPDATE" in statement else [1, 1]
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert Response.audit.filter(id=response.pk, history_user=coordinator).exists()


@pytest.mark.parametrize(
    "path", ["evaluations/historicalresponse", "evaluations/historicalevidenceversion", "forums/historicaluser"]
)
def test_history_rows_are_read_only_in_the_admin(admin_client, response, coordinator, path):
    filled(response, coordinator)
    evidence_add(response=fresh(response), uploaded=samples.pdf(), actor=coordinator)
    app, model_name = path.split("/")
    from django.apps import apps

    model = apps.get_model(app, model_name)
    row = model.objects.order_by("history_id").first()
    listing = admin_client.get(f"/admin/{path}/")
    assert listing.status_code == 200
    assert admin_client.get(f"/admin/{path}/add/").status_code == 403
    assert admin_client.get(f"/admin/{path}/{row.pk}/delete/").status_code == 403
    admin_client.post(f"/admin/{path}/{row.pk}/change/", {"history_type": "-", "history_change_reason": "x"})
    same = model.objects.get(pk=row.pk)
    assert (same.history_type, same.history_change_reason) == (row.history_type, row.history_change_reason)
    assert admin_client.get(f"/admin/{path}/{row.pk}/change/").status_code == 200  # readable
