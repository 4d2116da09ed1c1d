"""The reviewer's flow: next item after a decision, bulk acceptance, required send-back note, internal notes,
what changed since a send-back, and reviewers limited to chosen tatanan."""

import pytest
from django.core.exceptions import PermissionDenied

from evaluations.models import ResponseStatus, ReviewNote, RevisionReason, StatusChange
from evaluations.selectors.queue import waiting_for
from evaluations.services.errors import WorkflowError
from evaluations.services.evidence import evidence_add, evidence_replace
from evaluations.services.responses import REVISE, response_review, response_save, response_submit
from evaluations.tests import samples
from evaluations.tests.workflow import accept, fresh, send_back, submitted
from forums.permissions import can_review_response, reviewers_for_stage
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tatanan_responses(assessment, number):
    return list(
        assessment.responses.filter(indicator__tatanan__number=number)
        .select_related("indicator")
        .order_by("indicator__sort_order")
    )


def _with_evidence(response, actor):
    evidence_add(response=response, uploaded=samples.upload("sk.pdf", samples.pdf_bytes()), actor=actor)
    return submitted(response, actor)


def _reason():
    return RevisionReason.objects.get_or_create(code="bukti-tidak-lengkap", defaults={"label": "Bukti"})[0]


# --- next item ----------------------------------------------------------------------


def test_after_a_decision_the_next_item_of_the_filtered_queue_opens_with_the_filter(
    client, assessment, framework, coordinator, reviewer
):
    for r in assessment.responses.order_by("indicator__sort_order"):
        _with_evidence(r, coordinator)
    t2 = framework.tatanan.get(number=2)
    first, second, third = _tatanan_responses(assessment, 2)
    client.force_login(reviewer)
    query = f"tatanan={t2.pk}"

    page = client.get(f"/verifikasi/{first.pk}/?{query}").content.decode()
    assert f'action="/verifikasi/{first.pk}/putuskan/?{query}"' in page
    done = client.post(
        f"/verifikasi/{first.pk}/putuskan/?{query}", {"decision": "accept", "version": fresh(first).version}
    )
    # Not T1-01 (older, but outside the filter): the next T2 item, filter kept.
    assert done["Location"] == f"/verifikasi/{second.pk}/?{query}"

    client.post(f"/verifikasi/{second.pk}/putuskan/?{query}", {"decision": "accept", "version": fresh(second).version})
    last = client.post(
        f"/verifikasi/{third.pk}/putuskan/?{query}", {"decision": "accept", "version": fresh(third).version}
    )
    assert last["Location"] == f"/verifikasi/?{query}"  # the filtered queue is empty: back to it
    assert client.get(last["Location"]).content.decode().count("T1-0") >= 3  # other tatanan still wait


def test_the_queue_links_carry_the_filter(client, assessment, framework, coordinator, reviewer):
    for r in _tatanan_responses(assessment, 2):
        _with_evidence(r, coordinator)
    t2 = framework.tatanan.get(number=2)
    client.force_login(reviewer)
    html = client.get(f"/verifikasi/?tatanan={t2.pk}&page=1").content.decode()
    first = _tatanan_responses(assessment, 2)[0]
    assert f'href="/verifikasi/{first.pk}/?tatanan={t2.pk}"' in html


# --- send-back note -----------------------------------------------------------------


def test_a_send_back_without_a_note_is_refused_at_the_note_field(client, assessment, coordinator, reviewer):
    response = _tatanan_responses(assessment, 1)[0]
    submitted(response, coordinator)
    client.force_login(reviewer)
    page = client.post(
        f"/verifikasi/{response.pk}/putuskan/",
        {"decision": "revise", "reason": _reason().pk, "note": "   ", "version": fresh(response).version},
    )
    html = page.content.decode()
    assert page.status_code == 200
    message = "Tuliskan catatan untuk pengisi"
    assert message in html
    # At the field: after the note's textarea, before the next field.
    assert html.index('name="note"') < html.index(message) < html.index('name="internal_note"')
    assert fresh(response).status == ResponseStatus.SUBMITTED


def test_the_service_refuses_a_send_back_without_a_note(assessment, coordinator, reviewer):
    response = fresh(submitted(_tatanan_responses(assessment, 1)[0], coordinator))
    with pytest.raises(WorkflowError, match="catatan"):
        response_review(
            response=response, actor=reviewer, version=response.version, decision=REVISE, reason=_reason(), note=""
        )
    assert fresh(response).status == ResponseStatus.SUBMITTED


# --- bulk acceptance ----------------------------------------------------------------


def test_bulk_accept_lists_the_selection_then_accepts_through_the_review_service(
    client, assessment, coordinator, reviewer
):
    a, b, c = _tatanan_responses(assessment, 1)
    for r in (a, b):
        _with_evidence(r, coordinator)
    submitted(c, coordinator)  # no evidence: listed, not accepted in bulk
    client.force_login(reviewer)

    confirm = client.post("/verifikasi/terima-banyak/", {"pk": [a.pk, b.pk, c.pk]})
    html = confirm.content.decode()
    assert confirm.status_code == 200
    for r in (a, b, c):
        assert r.indicator.code in html
    assert f'name="item" value="{a.pk}:{fresh(a).version}"' in html
    assert f'name="item" value="{b.pk}:{fresh(b).version}"' in html
    assert f'value="{c.pk}:' not in html
    assert "Belum ada bukti dukung" in html
    assert "Ya, terima 2 indikator" in html
    assert {fresh(r).stage for r in (a, b, c)} == {"kabupaten"}  # nothing decided by the listing

    done = client.post(
        "/verifikasi/terima-banyak/simpan/", {"item": [f"{a.pk}:{fresh(a).version}", f"{b.pk}:{fresh(b).version}"]}
    )
    assert done.status_code == 302
    assert [(fresh(r).stage, fresh(r).status) for r in (a, b)] == [("provinsi", "submitted")] * 2
    assert fresh(c).stage == "kabupaten"
    decisions = StatusChange.objects.filter(response__in=[a, b], to_status=ResponseStatus.ACCEPTED)
    assert {d.actor for d in decisions} == {reviewer}
    assert decisions.count() == 2


def test_bulk_accept_checks_each_item_by_policy_separation_of_duties_and_version(
    client, assessment, other_assessment, coordinator, outsider, reviewer, regency
):
    mine, stale, filled_by_me = _tatanan_responses(assessment, 1)
    for r in (mine, stale):
        _with_evidence(r, coordinator)
    # The reviewer filled and submitted this one: separation of duties bars them.
    evidence_add(response=filled_by_me, uploaded=samples.upload("sk.pdf", samples.pdf_bytes()), actor=coordinator)
    response_save(response=filled_by_me, data={"value": 100}, actor=coordinator)
    admin_filler = UserFactory(role="admin", is_superuser=True, is_staff=True)
    response_submit(response=filled_by_me, actor=admin_filler)
    elsewhere = other_assessment.responses.filter(indicator__kind="tatanan").first()
    _with_evidence(elsewhere, outsider)
    old_version = fresh(stale).version
    accept(stale, UserFactory(role="health_reviewer", region=regency))  # someone else decided it first
    client.force_login(admin_filler)

    done = client.post(
        "/verifikasi/terima-banyak/simpan/",
        {
            "item": [
                f"{mine.pk}:{fresh(mine).version}",
                f"{stale.pk}:{old_version}",
                f"{filled_by_me.pk}:{fresh(filled_by_me).version}",
            ]
        },
        follow=True,
    )
    html = done.content.decode()
    assert fresh(mine).stage == "provinsi"
    assert fresh(filled_by_me).stage == "kabupaten"
    assert "tidak dapat memutuskan" in html
    assert "sudah diubah" in html
    # Out of the reviewer's scope: never even fetched.
    client.force_login(reviewer)
    client.post("/verifikasi/terima-banyak/simpan/", {"item": [f"{elsewhere.pk}:{fresh(elsewhere).version}"]})
    assert fresh(elsewhere).stage == "kabupaten"


# --- internal notes -----------------------------------------------------------------


def test_an_internal_note_is_read_by_reviewers_of_its_stage_and_above_never_by_the_filler(
    client, assessment, coordinator, reviewer, provincial
):
    response = _tatanan_responses(assessment, 1)[0]
    submitted(response, coordinator)
    client.force_login(reviewer)
    secret = "Curiga foto kegiatan tahun lalu, cek metadata."
    client.post(
        f"/verifikasi/{response.pk}/putuskan/",
        {
            "decision": "revise",
            "reason": _reason().pk,
            "note": "Unggah foto kegiatan 2024.",
            "internal_note": secret,
            "version": fresh(response).version,
        },
    )
    note = ReviewNote.objects.get(response=response)
    assert (note.stage, note.author, note.body) == ("kabupaten", reviewer, secret)
    assert secret in client.get(f"/verifikasi/{response.pk}/").content.decode()

    client.force_login(provincial)  # reviews the next stage: reads the notes below it
    assert secret in client.get(f"/verifikasi/{response.pk}/").content.decode()

    client.force_login(coordinator)
    for url in (
        f"/verifikasi/{response.pk}/",
        f"/penilaian/{assessment.pk}/tatanan/{response.indicator.tatanan_id}/",
        "/kotak-masuk/",
    ):
        page = client.get(url).content.decode()
        assert secret not in page, url
        assert "Catatan internal" not in page, url
    assert "Unggah foto kegiatan 2024." in client.get(f"/verifikasi/{response.pk}/").content.decode()


def test_a_provincial_note_is_not_read_by_the_kabupaten_reviewer(assessment, coordinator, reviewer, provincial, client):
    response = _with_evidence(_tatanan_responses(assessment, 1)[0], coordinator)
    accept(response, reviewer)
    response = fresh(response)
    secret = "Nilai provinsi diturunkan: SK kedaluwarsa."
    response_review(
        response=response,
        actor=provincial,
        version=response.version,
        decision=REVISE,
        reason=_reason(),
        note="Perbarui SK",
        value=50,
        internal_note=secret,
    )
    client.force_login(reviewer)
    assert secret not in client.get(f"/verifikasi/{response.pk}/").content.decode()
    client.force_login(provincial)
    assert secret in client.get(f"/verifikasi/{response.pk}/").content.decode()


# --- what changed since the send-back -------------------------------------------------


def test_a_resubmitted_item_shows_what_changed_since_it_was_sent_back(client, assessment, coordinator, reviewer):
    response = _with_evidence(_tatanan_responses(assessment, 1)[0], coordinator)
    send_back(response, reviewer)
    response = fresh(response)
    response_save(response=response, data={"value": 50, "achievement": "Capaian 2024 diperbarui"}, actor=coordinator)
    evidence = response.evidence.get()
    version = evidence_replace(
        evidence=evidence, uploaded=samples.upload("sk-baru.pdf", samples.pdf_bytes() + b"\n"), actor=coordinator
    )
    response_submit(response=fresh(response), actor=coordinator)
    client.force_login(reviewer)

    html = client.get(f"/verifikasi/{response.pk}/").content.decode()
    section = html[html.index("Yang berubah sejak dikembalikan") :]
    section = section[: section.index("</section>")]
    assert "<del" in section
    assert "Capaian 2024</del>" in section
    assert "Capaian 2024 diperbarui</ins>" in section
    assert "100</del>" in section
    assert "50</ins>" in section
    assert "versi 2 diunggah" in section
    assert version.sha256[:12] in section


def test_nothing_changed_is_said_so(client, assessment, coordinator, reviewer):
    response = _with_evidence(_tatanan_responses(assessment, 1)[0], coordinator)
    send_back(response, reviewer)
    response_submit(response=fresh(response), actor=coordinator)
    client.force_login(reviewer)
    html = client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert "Tidak ada perubahan nilai, capaian maupun bukti dukung sejak dikembalikan." in html


# --- reviewers limited to chosen tatanan ----------------------------------------------


def test_a_reviewer_limited_to_a_tatanan_sees_decides_and_is_told_only_about_it(
    client, assessment, framework, coordinator, reviewer, regency
):
    t1, t2 = framework.tatanan.get(number=1), framework.tatanan.get(number=2)
    limited = UserFactory(role="health_reviewer", region=regency, username="reviewer_t1")
    limited.review_tatanan.set([t1])
    for r in assessment.responses.order_by("indicator__sort_order"):
        _with_evidence(r, coordinator)
    one, two = _tatanan_responses(assessment, 1)[0], _tatanan_responses(assessment, 2)[0]

    assert set(waiting_for(limited).values_list("indicator__tatanan__number", flat=True)) == {1}
    assert waiting_for(reviewer).count() == assessment.responses.count()  # empty = every tatanan
    assert can_review_response(limited, fresh(one))
    assert not can_review_response(limited, fresh(two))
    assert limited in reviewers_for_stage("kabupaten", regency, response=fresh(one))
    assert limited not in reviewers_for_stage("kabupaten", regency, response=fresh(two))
    assert reviewer in reviewers_for_stage("kabupaten", regency, response=fresh(two))
    with pytest.raises(PermissionDenied):
        accept(two, limited)

    client.force_login(limited)
    html = client.get("/verifikasi/").content.decode()
    assert "T1-01" in html
    assert "T2-01" not in html
    assert "K-01" not in html  # kelembagaan has no tatanan: left to unlimited reviewers
    assert 'name="decision"' not in client.get(f"/verifikasi/{two.pk}/").content.decode()
    assert t2.pk  # the other tatanan exists and is simply not chosen


def test_the_admin_chooses_the_tatanan_of_a_reviewer(admin_client, framework, regency):
    limited = UserFactory(role="national_verifier", username="tim_kemenpupr")
    t1 = framework.tatanan.get(number=1)
    page = admin_client.get(f"/admin/forums/user/{limited.pk}/change/").content.decode()
    assert 'name="review_tatanan"' in page
    assert f'value="{t1.pk}"' in page


def test_a_reviewer_adds_an_internal_note_without_deciding(
    client, assessment, coordinator, reviewer, provincial, outsider
):
    response = _tatanan_responses(assessment, 1)[0]
    submitted(response, coordinator)
    url = f"/verifikasi/{response.pk}/catatan-internal/"

    client.force_login(reviewer)
    assert 'name="rn-body"' in client.get(f"/verifikasi/{response.pk}/").content.decode()
    empty = client.post(url, {"rn-body": "  "})
    assert empty.status_code == 200
    assert 'name="rn-body"' in empty.content.decode()
    assert not ReviewNote.objects.exists()
    saved = client.post(url, {"rn-body": "Cek ke puskesmas minggu depan."})
    assert saved.status_code == 302
    note = ReviewNote.objects.get()
    assert (note.stage, note.author, note.body) == ("kabupaten", reviewer, "Cek ke puskesmas minggu depan.")
    assert fresh(response).status == ResponseStatus.SUBMITTED  # no decision

    for user, status in ((coordinator, 403), (provincial, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(url, {"rn-body": "x"}).status_code == status, user.username
        assert 'name="rn-body"' not in client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert ReviewNote.objects.count() == 1
