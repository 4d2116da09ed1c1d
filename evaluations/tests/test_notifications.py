"""Inbox entries and e-mails when a response waits for review, is accepted or is sent back."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from evaluations.models import Notification
from evaluations.services.notifications import notification_mark_read
from evaluations.services.responses import response_submit_filled
from evaluations.tests.workflow import accept, filled, fresh, send_back, submitted
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


def _inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


def test_submitting_notifies_the_health_office_by_inbox_and_mail_after_commit(
    response, coordinator, reviewer, provincial, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submitted(response, coordinator)
    assert len(callbacks) == 1
    assert _inbox(reviewer) == ["waiting_review"]
    assert _inbox(provincial) == []
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "T1-01" in mail.outbox[0].subject
    assert f"/verifikasi/{response.pk}/" in mail.outbox[0].body


def test_no_mail_leaves_before_the_transaction_commits(
    response, coordinator, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submitted(response, coordinator)
    assert mail.outbox == []


def test_a_batch_submission_sends_one_notice_per_reviewer(
    assessment, coordinator, reviewer, django_capture_on_commit_callbacks
):
    responses = list(assessment.responses.filter(indicator__kind="tatanan"))
    for r in responses:
        filled(r, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response_submit_filled(responses=[fresh(r) for r in responses], actor=coordinator)
    notice = Notification.objects.get(recipient=reviewer)
    assert "6 indikator" in notice.message
    assert notice.url.startswith("/verifikasi/?regency=")
    assert len(mail.outbox) == 1


def test_acceptance_notifies_the_fillers_and_the_next_stage(
    response, coordinator, opd_officer, reviewer, provincial, django_capture_on_commit_callbacks
):
    submitted(response, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        accept(response, reviewer)
    assert _inbox(coordinator) == ["accepted"]
    assert _inbox(opd_officer) == ["accepted"]
    assert _inbox(provincial) == ["waiting_review"]
    assert "waiting_review" in _inbox(reviewer)  # from the submission only
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, opd_officer.email, provincial.email])


def test_sending_back_notifies_coordinator_and_responsible_officers_only(
    response, coordinator, opd_officer, reviewer, regency, django_capture_on_commit_callbacks
):
    other_officer = UserFactory(role="opd_officer", region=regency, opd=None, username="opd_lain")
    submitted(response, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        send_back(response, reviewer, note="Lengkapi laporan")
    assert _inbox(coordinator) == ["sent_back"]
    assert _inbox(opd_officer) == ["sent_back"]
    assert _inbox(other_officer) == []
    message = Notification.objects.get(recipient=coordinator).message
    assert "Bukti dukung tidak lengkap" in message
    assert "Lengkapi laporan" in message
    assert "Batas perbaikan" in message
    assert {m.to[0] for m in mail.outbox} == {coordinator.email, opd_officer.email}


def test_the_actor_is_not_notified_of_their_own_action(response, coordinator, reviewer, admin_user):
    submitted(response, coordinator)
    accept(response, admin_user)
    assert _inbox(admin_user) == []


def test_national_verifiers_are_told_when_the_province_accepts(response, coordinator, reviewer, provincial, national):
    submitted(response, coordinator)
    accept(response, reviewer)
    accept(response, provincial, value=100)
    assert _inbox(national) == ["waiting_review"]


def test_mark_one_read_and_open_its_link(client, response, coordinator, reviewer):
    submitted(response, coordinator)
    notice = Notification.objects.get(recipient=reviewer)
    client.force_login(reviewer)
    page = client.post(f"/kotak-masuk/{notice.pk}/baca/", {"open": "1"})
    assert page.status_code == 302
    assert page["Location"] == notice.url
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_read(client, assessment, coordinator, reviewer):
    for r in assessment.responses.filter(indicator__kind="tatanan")[:3]:
        submitted(r, coordinator)
    client.force_login(reviewer)
    assert client.get("/").status_code == 200
    assert client.post("/kotak-masuk/baca-semua/").status_code == 302
    assert not Notification.objects.filter(recipient=reviewer, read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client, response, coordinator, reviewer, provincial):
    submitted(response, coordinator)
    notice = Notification.objects.get(recipient=reviewer)
    client.force_login(provincial)
    assert client.post(f"/kotak-masuk/{notice.pk}/baca/").status_code == 404
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=notice, actor=provincial)
    notice.refresh_from_db()
    assert notice.read_at is None


def test_an_outside_link_is_not_followed(client, reviewer):
    notice = Notification.objects.create(recipient=reviewer, verb="x", message="m", url="https://evil.example/")
    client.force_login(reviewer)
    assert client.post(f"/kotak-masuk/{notice.pk}/baca/", {"open": "1"})["Location"] == "/kotak-masuk/"


def test_mark_all_read_is_offered_only_while_something_is_unread(client, response, coordinator, reviewer):
    client.force_login(reviewer)
    assert "Tandai semua sudah dibaca" not in client.get("/kotak-masuk/").content.decode()
    submitted(response, coordinator)
    assert "Tandai semua sudah dibaca" in client.get("/kotak-masuk/").content.decode()


# --- the recipient's language ---------------------------------------------------------------


def test_a_sent_back_notice_is_written_in_each_recipients_language_not_the_actors(
    response, coordinator, opd_officer, reviewer, django_capture_on_commit_callbacks
):
    from django.utils import formats, timezone, translation

    coordinator.language = "en"
    coordinator.save()
    submitted(response, coordinator)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # the reviewer's page is English
        send_back(response, reviewer, note="Lengkapi laporan")
    response.refresh_from_db()
    due = timezone.localtime(response.revision_due)
    english = Notification.objects.get(recipient=coordinator, verb="sent_back").message
    assert english == (
        "Indicator T1-01 (Kota Kediri) was sent back for revision: Supporting evidence is incomplete. "
        f"Lengkapi laporan. Revision deadline: {due:%d/%m/%Y %H:%M}."
    )
    indonesian = Notification.objects.get(recipient=opd_officer, verb="sent_back").message
    with translation.override("id"):
        id_due = formats.date_format(due, "SHORT_DATETIME_FORMAT")
    assert indonesian == (
        "Indikator T1-01 (Kota Kediri) dikembalikan untuk perbaikan: Bukti dukung tidak lengkap. "
        f"Lengkapi laporan. Batas perbaikan: {id_due}."
    )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        coordinator.email: "[KKS] Indicator T1-01 needs revision",
        opd_officer.email: "[KKS] Indikator T1-01 perlu perbaikan",
    }
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies[coordinator.email].startswith(english)


def test_accepted_and_waiting_notices_follow_the_recipients_language(
    response, coordinator, opd_officer, reviewer, provincial
):
    coordinator.language = "en"
    coordinator.save()
    provincial.language = "en"
    provincial.save()
    submitted(response, coordinator)
    accept(response, reviewer)
    assert Notification.objects.get(recipient=coordinator, verb="accepted").message == (
        "Indicator T1-01 (Kota Kediri) was accepted in verification (Kabupaten/Kota)."
    )
    assert Notification.objects.get(recipient=opd_officer, verb="accepted").message == (
        "Indikator T1-01 (Kota Kediri) diterima pada verifikasi Kabupaten/Kota."
    )
    assert Notification.objects.get(recipient=provincial, verb="waiting_review").message == (
        "Indicator T1-01 (Kota Kediri) is awaiting your verification."
    )
    assert Notification.objects.get(recipient=reviewer, verb="waiting_review").message == (
        "Indikator T1-01 (Kota Kediri) menunggu verifikasi Anda."
    )


# --- sharing a notice (WhatsApp or any chat) ------------------------------------------------------


def test_each_inbox_item_offers_its_text_and_link_to_copy_and_a_whatsapp_share_link(
    client, response, coordinator, reviewer
):
    import html
    import re
    from urllib.parse import parse_qs, urlsplit

    from django.conf import settings

    submitted(response, coordinator)
    notice = Notification.objects.get(recipient=reviewer)
    client.force_login(reviewer)
    page = client.get("/kotak-masuk/").content.decode()
    text = f"{notice.message}\n{settings.KKS_SITE_URL}/verifikasi/{response.pk}/"
    assert f"readonly>{html.escape(text)}</textarea>" in page
    links = [html.unescape(h) for h in re.findall(r'href="(https://wa\.me/[^"]+)"', page)]
    assert len(links) == 1
    share = urlsplit(links[0])
    assert (share.netloc, share.path) == ("wa.me", "/")
    assert parse_qs(share.query)["text"] == [text]
    assert "Bagikan ke WhatsApp" in page
    # The copy button needs JavaScript: hidden until static/js/kks.js shows it (the box is selectable anyway).
    assert f'data-copy="share-{notice.pk}"' in page
    assert re.search(rf'<button [^>]*data-copy="share-{notice.pk}"[^>]* hidden>', page)
