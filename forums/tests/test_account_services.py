"""Account services: invite, edit, deactivate/reactivate, resend, transfer (mutasi)."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from evaluations.models import JobStatus, Notification, ReportJob, ReportKind, Response
from forums.models import Membership, Role, User, UserTransfer
from forums.services.accounts import (
    AccountData,
    can_resend_invitation,
    invitation_path,
    user_create,
    user_deactivate,
    user_invitation_resend,
    user_reactivate,
    user_transfer,
    user_update,
)
from forums.tests.factories import MembershipFactory, OpdFactory, RegencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def coordinator_data(where, **kw):
    return AccountData(
        **{
            "username": "koor_baru",
            "full_name": "Budi  Santoso",
            "email": "budi@example.test",
            "phone": "0812",
            "role": Role.FORUM_COORDINATOR,
            "region": where,
            **kw,
        }
    )


def test_invite_creates_an_account_without_password_and_mails_a_link(
    provincial, regency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(data=coordinator_data(regency), actor=provincial)

    user.refresh_from_db()
    assert (user.role, user.region, user.get_full_name(), user.phone) == (
        Role.FORUM_COORDINATOR,
        regency,
        "Budi Santoso",
        "0812",
    )
    assert not user.has_usable_password()
    assert not user.is_staff
    assert not user.is_superuser
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["budi@example.test"]
    assert "Undangan" in message.subject
    uidb64, token = re.search(r"/akun/undangan/([^/]+)/([^/]+)/", message.body).groups()
    assert invitation_path(user).startswith(f"/akun/undangan/{uidb64}/")
    assert default_token_generator.check_token(user, token)
    assert "koor_baru" in message.body


def test_no_mail_when_the_transaction_rolls_back(provincial, regency, django_capture_on_commit_callbacks):
    def create_then_fail():
        with transaction.atomic():
            user_create(data=coordinator_data(regency), actor=provincial)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        create_then_fail()

    assert callbacks == []
    assert mail.outbox == []
    assert not User.objects.filter(username="koor_baru").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "koordinator"}, "username"),  # taken (the persona)
        ({"username": "KOORDINATOR"}, "username"),  # case-insensitive
        ({"username": "ada spasi"}, "username"),
        ({"username": ""}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"email": "bukan-email"}, "email"),
        ({"email": "koordinator@example.test"}, "email"),  # taken
        ({"role": Role.NATIONAL_VERIFIER}, "role"),  # above the provincial official
        ({"role": Role.OPD_OFFICER}, "role"),  # not theirs to give
        ({"role": "raja"}, "role"),
        ({"region": None}, "region"),
        ({"region": "province"}, "region"),  # wrong level for a coordinator
        ({"region": "other_regency"}, "region"),  # another province
    ],
)
def test_invite_refuses_bad_input_and_writes_nothing(
    request, provincial, coordinator, regency, other_regency, changes, field
):
    changes = {k: request.getfixturevalue(v) if k == "region" and v else v for k, v in changes.items()}
    before = User.objects.count()

    with pytest.raises(ValidationError) as exc:
        user_create(data=coordinator_data(regency, **changes), actor=provincial)

    assert field in exc.value.error_dict
    assert User.objects.count() == before


def test_a_coordinator_invites_opd_officers_of_their_regency_only(coordinator, regency, opd):
    sibling = RegencyFactory(parent=regency.parent)
    data = AccountData(
        username="petugas2", full_name="Sari", email="sari@example.test", role=Role.OPD_OFFICER, region=regency, opd=opd
    )
    assert user_create(data=data, actor=coordinator).opd == opd

    for bad, field in [
        ({"opd": OpdFactory(regency=sibling)}, "opd"),
        ({"opd": None}, "opd"),
        ({"region": sibling, "opd": OpdFactory(regency=sibling)}, "region"),
    ]:
        with pytest.raises(ValidationError) as exc:
            user_create(
                data=AccountData(**{**data.__dict__, "username": "x", "email": "x@example.test", **bad}),
                actor=coordinator,
            )
        assert field in exc.value.error_dict


def test_only_managers_invite(reviewer, regency):
    with pytest.raises(ValidationError) as exc:
        user_create(data=coordinator_data(regency), actor=reviewer)
    assert "role" in exc.value.error_dict


def test_update_keeps_the_username_and_checks_scope(provincial, coordinator, regency, other_regency, outsider):
    user_update(
        user=coordinator,
        data=coordinator_data(regency, username="ignored", email="baru@example.test"),
        actor=provincial,
    )
    coordinator.refresh_from_db()
    assert (coordinator.username, coordinator.email, coordinator.first_name) == (
        "koordinator",
        "baru@example.test",
        "Budi Santoso",
    )
    with pytest.raises(ValidationError):
        user_update(user=coordinator, data=coordinator_data(other_regency, email="baru@example.test"), actor=provincial)
    with pytest.raises(PermissionDenied):
        user_update(user=outsider, data=coordinator_data(other_regency), actor=provincial)


def test_deactivate_never_deletes_and_ends_the_session(client, provincial, coordinator):
    client.force_login(coordinator)
    assert client.get("/").status_code == 200

    user_deactivate(user=coordinator, actor=provincial)

    coordinator.refresh_from_db()
    assert coordinator.is_active is False
    assert User.objects.filter(pk=coordinator.pk).exists()
    assert client.get("/")["Location"].startswith("/akun/login/")
    user_reactivate(user=coordinator, actor=provincial)
    coordinator.refresh_from_db()
    assert coordinator.is_active is True


def test_deactivate_is_refused_outside_scope_and_for_oneself(provincial, outsider, coordinator):
    with pytest.raises(PermissionDenied):
        user_deactivate(user=outsider, actor=provincial)
    with pytest.raises(PermissionDenied):
        user_deactivate(user=provincial, actor=provincial)
    with pytest.raises(PermissionDenied):
        user_deactivate(user=provincial, actor=coordinator)  # above the coordinator


def test_resend_only_before_the_first_login(provincial, regency, coordinator):
    user = user_create(data=coordinator_data(regency), actor=provincial)
    assert can_resend_invitation(user)
    user_invitation_resend(user=user, actor=provincial)
    coordinator.last_login = timezone.now()
    coordinator.save()
    with pytest.raises(ValidationError):
        user_invitation_resend(user=coordinator, actor=provincial)


def test_the_token_dies_once_the_password_is_set(provincial, regency):
    user = user_create(data=coordinator_data(regency), actor=provincial)
    token = default_token_generator.make_token(user)
    assert default_token_generator.check_token(user, token)
    user.set_password("kata-sandi-baru-123")
    user.save()
    assert not default_token_generator.check_token(user, token)


# --- transfer ------------------------------------------------------------------


@pytest.fixture
def busy_coordinator(coordinator, forum, assessment, cycle):
    """A coordinator with a running seat, an ended seat, unread news on an open response, a queued dossier."""
    running = MembershipFactory(body=forum, user=coordinator, person_name="", role="sekretaris", position="Bappeda")
    ended = MembershipFactory(
        body=forum, user=coordinator, person_name="", role="anggota", period_end=datetime.date(2020, 1, 1)
    )
    response = Response.objects.filter(assessment=assessment).first()
    open_note = Notification.objects.create(recipient=coordinator, verb="sent_back", message="x", response=response)
    read_note = Notification.objects.create(
        recipient=coordinator, verb="sent_back", message="y", response=response, read_at=timezone.now()
    )
    job = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=cycle, assessment=assessment, requested_by=coordinator
    )
    done = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=cycle, assessment=assessment, requested_by=coordinator, status=JobStatus.READY
    )
    return {
        "running": running,
        "ended": ended,
        "open_note": open_note,
        "read_note": read_note,
        "job": job,
        "done": done,
    }


def test_transfer_to_a_new_account_hands_over_the_open_work(
    provincial, coordinator, busy_coordinator, django_capture_on_commit_callbacks
):
    new = AccountData(username="pengganti", full_name="Rina", email="rina@example.test", role="", region=None)
    with django_capture_on_commit_callbacks(execute=True):
        transfer = user_transfer(
            predecessor=coordinator, new_successor=new, reason="SK mutasi 12/2026", actor=provincial
        )

    successor = transfer.successor
    today = timezone.localdate()
    assert (successor.role, successor.region_id) == (coordinator.role, coordinator.region_id)
    busy = busy_coordinator
    busy["running"].refresh_from_db()
    busy["ended"].refresh_from_db()
    assert busy["running"].period_end == today
    assert busy["ended"].period_end == datetime.date(2020, 1, 1)
    seat = Membership.objects.get(user=successor)
    assert (seat.body_id, seat.role, seat.position, seat.period_start, seat.period_end) == (
        busy["running"].body_id,
        "sekretaris",
        "Bappeda",
        today,
        None,
    )
    assert Notification.objects.get(pk=busy["open_note"].pk).recipient == successor
    assert Notification.objects.get(pk=busy["read_note"].pk).recipient == coordinator
    assert ReportJob.objects.get(pk=busy["job"].pk).requested_by == successor
    assert ReportJob.objects.get(pk=busy["done"].pk).requested_by == coordinator
    coordinator.refresh_from_db()
    assert coordinator.is_active is False
    record = UserTransfer.objects.get()
    assert (record.predecessor, record.successor, record.actor, record.reason) == (
        coordinator,
        successor,
        provincial,
        "SK mutasi 12/2026",
    )
    assert (record.memberships_moved, record.notifications_moved, record.report_jobs_moved) == (1, 1, 1)
    assert [m.to for m in mail.outbox] == [["rina@example.test"]]


def test_transfer_to_an_existing_account_of_the_same_post(provincial, coordinator, regency, busy_coordinator):
    colleague = UserFactory(role=Role.FORUM_COORDINATOR, region=regency)

    user_transfer(predecessor=coordinator, successor=colleague, reason="Pensiun", actor=provincial)

    assert Membership.objects.filter(user=colleague).count() == 1


@pytest.mark.parametrize("kind", ["other_role", "other_region", "inactive", "none", "no_reason"])
def test_bad_transfers_change_nothing(provincial, coordinator, regency, busy_coordinator, kind):
    sibling = RegencyFactory(parent=regency.parent)
    successors = {
        "other_role": UserFactory(role=Role.HEALTH_REVIEWER, region=regency),
        "other_region": UserFactory(role=Role.FORUM_COORDINATOR, region=sibling),
        "inactive": UserFactory(role=Role.FORUM_COORDINATOR, region=regency, is_active=False),
        "none": None,
        "no_reason": UserFactory(role=Role.FORUM_COORDINATOR, region=regency),
    }
    with pytest.raises(ValidationError):
        user_transfer(
            predecessor=coordinator,
            successor=successors[kind],
            reason="" if kind == "no_reason" else "Mutasi",
            actor=provincial,
        )
    coordinator.refresh_from_db()
    assert coordinator.is_active
    assert not UserTransfer.objects.exists()
    assert Membership.objects.filter(user=coordinator, period_end__isnull=True).count() == 1


def test_a_new_successor_with_a_taken_username_rolls_back_everything(provincial, coordinator, busy_coordinator):
    new = AccountData(username="provinsi", full_name="Rina", email="rina@example.test", role="", region=None)
    count = User.objects.count()
    with pytest.raises(ValidationError):
        user_transfer(predecessor=coordinator, new_successor=new, reason="Mutasi", actor=provincial)
    assert User.objects.count() == count
    assert Membership.objects.filter(user=coordinator, period_end__isnull=True).count() == 1


def test_transfer_outside_scope_is_refused(coordinator, outsider):
    with pytest.raises(PermissionDenied):
        user_transfer(predecessor=outsider, successor=coordinator, reason="x", actor=coordinator)
