"""Accounts: invite, edit, deactivate/reactivate and transfer (mutasi) users, within the policy.

Accounts are never deleted. A new account gets an unusable password and an
invitation e-mail (sent once the transaction commits) with a one-time link to
set its password; the link is Django's password-reset token, so it stops
working as soon as the password is set or the user logs in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from forums.models import Membership, Opd, Region, Role, User, UserTransfer
from forums.permissions import (
    can_create_user_with,
    can_manage_user,
    regions_assignable_by,
    role_fits_region,
    role_of,
    roles_assignable_by,
)
from kks.workflow import JobStatus

logger = logging.getLogger(__name__)

INVITATION_LANGUAGE = "id"  # users have no stored language yet


@dataclass
class AccountData:
    """What an account is made of, with its region and OPD already resolved."""

    username: str
    full_name: str
    email: str
    role: str
    region: Region | None
    opd: Opd | None = None
    phone: str = ""


class AccountChecker:
    """Field errors of a prospective account for one actor; caches what repeated rows ask again."""

    def __init__(self, actor):
        self.actor = actor
        self.roles = roles_assignable_by(actor)
        self._regions: dict[str, set[int]] = {}

    def _region_allowed(self, role: str, region: Region) -> bool:
        if role not in self._regions:
            self._regions[role] = set(regions_assignable_by(self.actor, role).values_list("pk", flat=True))
        return region.pk in self._regions[role]

    def errors(self, data: AccountData, *, exclude_pk: int | None = None, check_identity: bool = True) -> dict:
        """Field name -> list of messages (empty when the account may be written)."""
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if check_identity:
            if not data.username:
                add("username", _("Nama pengguna wajib diisi."))
            else:
                try:
                    UnicodeUsernameValidator()(data.username)
                except ValidationError:
                    add("username", _("Nama pengguna hanya boleh berisi huruf, angka dan @ . + - _."))
                if len(data.username) > 150:
                    add("username", _("Nama pengguna paling panjang 150 karakter."))
                elif User.objects.filter(username__iexact=data.username).exclude(pk=exclude_pk).exists():
                    add("username", _("Nama pengguna %(name)s sudah dipakai.") % {"name": data.username})
        if not data.full_name:
            add("full_name", _("Nama lengkap wajib diisi."))
        elif len(data.full_name) > 150:
            add("full_name", _("Nama lengkap paling panjang 150 karakter."))
        if not data.email:
            add("email", _("E-mail wajib diisi."))
        else:
            try:
                validate_email(data.email)
            except ValidationError:
                add("email", _("Alamat e-mail tidak sah."))
            else:
                if User.objects.filter(email__iexact=data.email).exclude(pk=exclude_pk).exists():
                    add("email", _("E-mail %(email)s sudah dipakai akun lain.") % {"email": data.email})
        if len(data.phone) > 30:
            add("phone", _("Nomor telepon paling panjang 30 karakter."))
        if data.role not in Role.values:
            add("role", _("Peran tidak dikenal."))
            return errors
        if data.role not in self.roles:
            add("role", _("Anda tidak berwenang memberi peran %(role)s.") % {"role": Role(data.role).label})
            return errors
        if not role_fits_region(data.role, data.region):
            if data.region is None:
                add("region", _("Peran %(role)s memerlukan wilayah tugas.") % {"role": Role(data.role).label})
            else:
                add(
                    "region",
                    _("%(region)s (%(level)s) bukan tingkat wilayah untuk peran %(role)s.")
                    % {"region": data.region, "level": data.region.get_level_display(), "role": Role(data.role).label},
                )
            return errors
        if data.region is not None and not self._region_allowed(data.role, data.region):
            add("region", _("%(region)s di luar wilayah kewenangan Anda.") % {"region": data.region})
            return errors
        if data.role == Role.OPD_OFFICER:
            if data.opd is None:
                add("opd", _("Petugas OPD memerlukan OPD."))
            elif data.region is None or data.opd.regency_id != data.region.pk:
                add("opd", _("OPD %(opd)s bukan OPD %(region)s.") % {"opd": data.opd, "region": data.region})
        elif data.opd is not None:
            add("opd", _("Hanya petugas OPD yang memiliki OPD."))
        if not errors and not can_create_user_with(self.actor, role=data.role, region=data.region, opd=data.opd):
            add("role", _("Anda tidak berwenang membuat akun ini."))  # the policy has the last word
        return errors


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError({field: [ValidationError(m) for m in messages] for field, messages in errors.items()})


def _clean(data: AccountData) -> AccountData:
    return AccountData(
        username=data.username.strip(),
        full_name=" ".join(data.full_name.split()),
        email=data.email.strip(),
        role=data.role,
        region=data.region,
        opd=data.opd,
        phone=data.phone.strip(),
    )


def _require_active_actor(actor) -> None:
    if role_of(actor) is None:
        raise PermissionDenied


def account_write(*, data: AccountData, actor) -> User:
    """Create one account after the checks have passed (shared by user_create and the bulk import)."""
    user = User(
        username=data.username,
        first_name=data.full_name,
        email=data.email,
        phone=data.phone,
        role=data.role,
        region=data.region,
        opd=data.opd,
        is_staff=False,
        is_superuser=False,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def user_create(*, data: AccountData, actor, invite: bool = True) -> User:
    """Create an account with an unusable password; the invitation e-mail goes out on commit."""
    _require_active_actor(actor)
    data = _clean(data)
    _raise(AccountChecker(actor).errors(data))
    user = account_write(data=data, actor=actor)
    if invite:
        invitations_send(users=[user], actor=actor)
    return user


@transaction.atomic
def user_update(*, user: User, data: AccountData, actor) -> User:
    """Change name, e-mail, phone, role, region and OPD (the username stays)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not can_manage_user(actor, user):
        raise PermissionDenied
    data = _clean(data)
    _raise(AccountChecker(actor).errors(data, exclude_pk=user.pk, check_identity=False))
    user.first_name, user.last_name = data.full_name, ""
    user.email, user.phone = data.email, data.phone
    user.role, user.region, user.opd = data.role, data.region, data.opd
    user.save(update_fields=["first_name", "last_name", "email", "phone", "role", "region", "opd"])
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor) -> User:
    """Deactivate (never delete): the user can no longer log in, and their open sessions stop working."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not can_manage_user(actor, user):
        raise PermissionDenied
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not can_manage_user(actor, user):
        raise PermissionDenied
    # Reactivating must not hand the account a role the actor could not give it today.
    _raise(
        AccountChecker(actor).errors(
            AccountData(
                username=user.username,
                full_name=user.get_full_name() or user.username,
                email=user.email,
                role=user.role,
                region=user.region,
                opd=user.opd,
            ),
            exclude_pk=user.pk,
            check_identity=False,
        )
    )
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


# --- invitations -------------------------------------------------------------


def invitation_path(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation-confirm", args=[uidb64, default_token_generator.make_token(user)])


def can_resend_invitation(user: User) -> bool:
    return user.is_active and user.last_login is None and not user.has_usable_password()


def _invitation_email(user: User, actor) -> EmailMessage:
    with translation.override(INVITATION_LANGUAGE):
        where = f" ({user.region})" if user.region_id else ""
        body = _(
            "Halo %(name)s,\n\n"
            "%(actor)s mendaftarkan Anda di platform Kabupaten/Kota Sehat sebagai %(role)s%(where)s.\n"
            "Nama pengguna: %(username)s\n\n"
            "Buat kata sandi Anda melalui tautan berikut (hanya sekali pakai, berlaku %(days)d hari):\n"
            "%(url)s\n\n"
            "Abaikan e-mail ini bila Anda tidak merasa didaftarkan.\n"
        ) % {
            "name": user.get_full_name() or user.username,
            "actor": actor.get_full_name() or actor.username,
            "role": user.get_role_display() or _("pengguna"),
            "where": where,
            "username": user.username,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "url": f"{settings.KKS_SITE_URL.rstrip('/')}{invitation_path(user)}",
        }
        subject = _("[KKS] Undangan akun platform Kabupaten/Kota Sehat")
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])


def _send(emails: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(emails)
    except Exception:  # a mail outage must not undo the accounts; the invitation can be sent again
        logger.exception("Could not send %d invitation e-mails", len(emails))


def invitations_send(*, users: list[User], actor) -> int:
    """Queue the invitation e-mails of ``users`` for when the transaction commits."""
    emails = [_invitation_email(user, actor) for user in users if user.email]
    if emails:
        transaction.on_commit(lambda: _send(emails))
    return len(emails)


@transaction.atomic
def user_invitation_resend(*, user: User, actor) -> User:
    """Send a fresh link to a user who has not set a password or logged in yet."""
    if not can_manage_user(actor, user):
        raise PermissionDenied
    if not can_resend_invitation(user):
        raise ValidationError(_("%(user)s sudah pernah masuk; undangan tidak dapat dikirim ulang.") % {"user": user})
    invitations_send(users=[user], actor=actor)
    return user


# --- transfer (mutasi) ---------------------------------------------------------


def _open_response_q() -> Q:
    """Responses not yet final (accepted at the national stage)."""
    return ~Q(response__stage="pusat", response__status="accepted")


@transaction.atomic
def user_transfer(
    *,
    predecessor: User,
    reason: str,
    actor,
    successor: User | None = None,
    new_successor: AccountData | None = None,
) -> UserTransfer:
    """Hand the predecessor's open work to a successor of the same role, region and OPD, then deactivate them.

    Moves: seats in bodies still running (closed today, reopened for the successor),
    unread notifications about responses still open, and dossiers or reports still
    being rendered. Authorship of past answers, comments and evidence stays.
    """
    # The evaluations app sits above forums (docs/architecture.md): its models by the app registry, not by import.
    notifications = apps.get_model("evaluations", "Notification").objects
    report_jobs = apps.get_model("evaluations", "ReportJob").objects

    predecessor = User.objects.select_for_update().get(pk=predecessor.pk)
    if not can_manage_user(actor, predecessor):
        raise PermissionDenied
    if not predecessor.is_active:
        raise ValidationError(_("%(user)s sudah tidak aktif.") % {"user": predecessor})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Isi alasan mutasi.")})
    if (successor is None) == (new_successor is None):
        raise ValidationError({"successor": _("Pilih satu pengganti: akun yang ada atau akun baru.")})
    if new_successor is not None:
        new_successor.role, new_successor.region, new_successor.opd = (
            predecessor.role,
            predecessor.region,
            predecessor.opd,
        )
        successor = user_create(data=new_successor, actor=actor)
    elif successor is not None:
        successor = User.objects.select_for_update().get(pk=successor.pk)
        if not can_manage_user(actor, successor):
            raise PermissionDenied
        if not successor.is_active:
            raise ValidationError({"successor": _("Pengganti harus akun yang aktif.")})
        same = (successor.role, successor.region_id, successor.opd_id) == (
            predecessor.role,
            predecessor.region_id,
            predecessor.opd_id,
        )
        if not same:
            raise ValidationError({"successor": _("Pengganti harus memiliki peran, wilayah dan OPD yang sama.")})

    today = timezone.localdate()
    seats = list(
        Membership.objects.select_for_update()
        .filter(user=predecessor)
        .filter(Q(period_end__isnull=True) | Q(period_end__gt=today))
    )
    for seat in seats:
        later_end = seat.period_end
        seat.period_end = today
        seat.save(update_fields=["period_end"])
        Membership.objects.create(
            body_id=seat.body_id,
            user=successor,
            person_name=successor.get_full_name(),
            position=seat.position,
            role=seat.role,
            tatanan_name=seat.tatanan_name,
            period_start=today,
            period_end=later_end,
        )
    notifications = (
        notifications.filter(recipient=predecessor, read_at__isnull=True, response__isnull=False)
        .filter(_open_response_q())
        .update(recipient=successor)
    )
    jobs = report_jobs.filter(requested_by=predecessor, status__in=[JobStatus.QUEUED, JobStatus.RENDERING]).update(
        requested_by=successor
    )
    predecessor.is_active = False
    predecessor.save(update_fields=["is_active"])
    return UserTransfer.objects.create(
        predecessor=predecessor,
        successor=successor,
        actor=actor,
        reason=reason,
        memberships_moved=len(seats),
        notifications_moved=notifications,
        report_jobs_moved=jobs,
    )
