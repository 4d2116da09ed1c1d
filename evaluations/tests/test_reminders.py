"""Reminders before fill and fix deadlines, and the daily digest, on a frozen clock.

The framework of the fixtures has 8 indicators: 6 tatanan ones the Dinkes officer fills with the
coordinator, and 2 kelembagaan ones only the coordinator fills.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from evaluations.models import Notification, ReminderKind, SentReminder
from evaluations.services.reminders import digests_send, reminder_due, reminders_send
from evaluations.tests.workflow import filled, send_back, submitted
from forums.tests.factories import OpdFactory, OpdKindFactory, UserFactory

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
DEADLINE = datetime.datetime(2027, 3, 10, 17, 0, tzinfo=WIB)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def due_cycle(cycle):
    cycle.self_assessment_opens = DEADLINE - datetime.timedelta(days=30)
    cycle.self_assessment_closes = DEADLINE
    # Still under review at the frozen dates (the queue reads only cycles in review), whatever today is.
    cycle.national_closes = DEADLINE + datetime.timedelta(days=90)
    cycle.save()
    return cycle


@pytest.fixture
def bystanders(regency, other_regency, other_assessment):
    """People with no open item before the deadline: reviewers, an officer of an OPD no indicator names,
    and the coordinator of a regency that submitted everything."""
    other_kind = OpdKindFactory(code="dishub", name="Dinas Perhubungan")
    other_opd = OpdFactory(regency=regency, kind=other_kind, name="Dishub Kota Kediri", short_name="Dishub")
    people = [
        UserFactory(role="opd_officer", region=regency, opd=other_opd, username="petugas_dishub"),
        UserFactory(role="forum_coordinator", region=other_regency, username="koordinator_makassar"),
    ]
    with at(DEADLINE - datetime.timedelta(days=10)):
        for response in other_assessment.responses.all():
            submitted(response, people[1])
    Notification.objects.all().delete()
    return people


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    """Run a service and the e-mails it queues for after the commit."""

    def run(service):
        with django_capture_on_commit_callbacks(execute=True):
            return service()

    return run


def _reminders(user):
    return list(Notification.objects.filter(recipient=user, verb="reminder").values_list("message", flat=True))


def test_the_due_reminder_is_the_nearest_offset_reached():
    assert reminder_due(DEADLINE, DEADLINE - datetime.timedelta(days=4), [3, 1]) is None
    assert reminder_due(DEADLINE, DEADLINE - datetime.timedelta(days=3), [3, 1]) == 3
    assert reminder_due(DEADLINE, DEADLINE - datetime.timedelta(hours=30), [3, 1]) == 3
    assert reminder_due(DEADLINE, DEADLINE - datetime.timedelta(hours=23), [3, 1]) == 1
    assert reminder_due(DEADLINE, DEADLINE, [3, 1]) is None


def test_fill_reminders_go_3_and_1_days_before_to_exactly_those_with_open_items(
    due_cycle, assessment, coordinator, opd_officer, reviewer, provincial, national, bystanders, mailed
):
    with at(DEADLINE - datetime.timedelta(days=3, hours=1)):  # not yet
        assert reminders_send() == 0
    with at(DEADLINE - datetime.timedelta(days=3) + datetime.timedelta(minutes=5)):
        assert mailed(reminders_send) == 2
        assert reminders_send() == 0  # the next hourly run: already sent
    assert _reminders(coordinator) == [
        "Pengingat: 8 indikator Kota Kediri belum diajukan. Batas pengisian: 10-03-2027 17.00."
    ]
    assert _reminders(opd_officer) == [
        "Pengingat: 6 indikator Kota Kediri belum diajukan. Batas pengisian: 10-03-2027 17.00."
    ]
    for person in [reviewer, provincial, national, *bystanders]:
        assert _reminders(person) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, opd_officer.email])
    assert all("/indikator-saya/" in m.body for m in mail.outbox)

    with at(DEADLINE - datetime.timedelta(days=2)):
        for response in assessment.responses.filter(indicator__kind="tatanan"):
            submitted(response, opd_officer)  # the officer is done; two kelembagaan items stay open
        Notification.objects.exclude(verb="reminder").delete()
        assert reminders_send() == 0

    with at(DEADLINE - datetime.timedelta(hours=20)):
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert _reminders(coordinator)[0] == (
        "Pengingat: 2 indikator Kota Kediri belum diajukan. Batas pengisian: 10-03-2027 17.00."
    )
    assert len(_reminders(opd_officer)) == 1
    with at(DEADLINE + datetime.timedelta(hours=1)):
        assert reminders_send() == 0
    kept = SentReminder.objects.filter(kind=ReminderKind.FILL).values_list("recipient__username", "days_before")
    assert sorted(kept) == [("koordinator", 1), ("koordinator", 3), ("petugas_opd", 3)]


def test_a_reminder_is_written_in_its_recipients_language(due_cycle, assessment, coordinator, opd_officer, mailed):
    coordinator.language = "en"
    coordinator.save()
    with at(DEADLINE - datetime.timedelta(days=1)):
        mailed(reminders_send)
    assert _reminders(coordinator) == [
        "Reminder: 8 indicators of Kota Kediri not yet submitted. Filling deadline: 10/03/2027 17:00."
    ]
    assert _reminders(opd_officer) == [
        "Pengingat: 6 indikator Kota Kediri belum diajukan. Batas pengisian: 10-03-2027 17.00."
    ]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[coordinator.email] == "[KKS] Reminder: filling deadline 10/03/2027 17:00"
    assert subjects[opd_officer.email] == "[KKS] Pengingat batas pengisian 10-03-2027 17.00"


def test_fix_reminders_go_before_the_revision_deadline_to_the_fillers_of_that_item(
    due_cycle, assessment, coordinator, opd_officer, reviewer, bystanders
):
    due_cycle.self_assessment_closes = DEADLINE + datetime.timedelta(days=30)  # no fill reminder in this test
    due_cycle.save()
    sent_at = DEADLINE - datetime.timedelta(days=7)
    tatanan = assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()
    kelembagaan = assessment.responses.filter(indicator__kind="kelembagaan").order_by("indicator__sort_order").first()
    with at(sent_at):
        submitted(tatanan, coordinator)
        submitted(kelembagaan, coordinator)
        send_back(tatanan, reviewer)
        send_back(kelembagaan, reviewer)
    tatanan.refresh_from_db()
    due = tatanan.revision_due  # 168 hours after sending back
    assert due == sent_at + datetime.timedelta(hours=168)

    with at(due - datetime.timedelta(days=3, minutes=1)):
        assert reminders_send() == 0
    with at(due - datetime.timedelta(days=3) + datetime.timedelta(minutes=1)):
        assert reminders_send() == 2
    coordinator_notes = _reminders(coordinator)
    assert coordinator_notes == ["Pengingat: 2 indikator menunggu perbaikan Anda. Batas perbaikan: 10-03-2027 17.00."]
    assert _reminders(opd_officer) == [
        "Pengingat: indikator T1-01 (Kota Kediri) menunggu perbaikan Anda. Batas perbaikan: 10-03-2027 17.00."
    ]
    officer_link = Notification.objects.get(recipient=opd_officer, verb="reminder").url
    assert officer_link.endswith(f"#r{tatanan.pk}")
    for person in [reviewer, *bystanders]:
        assert _reminders(person) == []

    with at(due - datetime.timedelta(hours=12)):
        submitted(kelembagaan, coordinator)  # fixed and resubmitted: no longer open
        assert reminders_send() == 2
        assert reminders_send() == 0
    assert _reminders(coordinator)[0].startswith("Pengingat: indikator T1-01 (Kota Kediri)")


def test_no_fix_reminder_further_ahead_than_the_whole_fix_window(due_cycle, assessment, coordinator, reviewer):
    due_cycle.response_window_hours = 48
    due_cycle.save()
    response = assessment.responses.filter(indicator__kind="kelembagaan").first()
    with at(DEADLINE - datetime.timedelta(days=10)):
        submitted(response, coordinator)
        send_back(response, reviewer)
        assert reminders_send() == 0  # 48 hours left: the 3-day reminder would only repeat the notice
    response.refresh_from_db()
    with at(response.revision_due - datetime.timedelta(hours=23)):
        assert reminders_send() == 1
    assert SentReminder.objects.get(recipient=coordinator).days_before == 1


def test_the_daily_digest_goes_once_a_day_to_officers_and_reviewers_with_something_waiting(
    due_cycle, assessment, coordinator, opd_officer, reviewer, provincial, bystanders
):
    first, second = assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order")[:2]
    morning = DEADLINE - datetime.timedelta(days=5, hours=10)  # 5 March, 07:00
    with at(morning - datetime.timedelta(hours=1)):
        submitted(first, coordinator)
        filled(second, opd_officer)  # filled but not submitted: still open
    Notification.objects.all().delete()
    with at(morning):
        sent = digests_send()
        assert digests_send() == 0
    digests = dict(Notification.objects.filter(verb="digest").values_list("recipient__username", "message"))
    assert digests == {
        "petugas_opd": "Ringkasan hari ini: 5 indikator belum diajukan, 0 dikembalikan untuk perbaikan.",
        "reviewer": "Ringkasan hari ini: 1 indikator menunggu verifikasi Anda.",
    }
    assert sent == 2  # not the provincial official (nothing waits at their stage), nor the Dishub officer
    links = dict(Notification.objects.filter(verb="digest").values_list("recipient__username", "url"))
    assert links == {"petugas_opd": "/indikator-saya/", "reviewer": "/verifikasi/"}
    with at(morning + datetime.timedelta(hours=16)):  # 23:00 the same day
        assert digests_send() == 0
    with at(morning + datetime.timedelta(days=1)):
        assert digests_send() == 2


def test_the_beat_tasks_call_the_services(due_cycle, assessment, coordinator, opd_officer, reviewer):
    from evaluations import tasks

    with at(DEADLINE - datetime.timedelta(days=1)):
        assert tasks.send_deadline_reminders.delay().get() == 2
        assert tasks.send_daily_digests.delay().get() == 1  # the officer; nothing waits for the reviewer
        assert tasks.send_deadline_reminders.delay().get() == 0
        assert tasks.send_daily_digests.delay().get() == 0
