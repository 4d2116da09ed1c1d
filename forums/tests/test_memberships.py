"""Seats in a body: who may hold them, adding, editing and ending them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from forums.models import MemberRole, Membership
from forums.services import membership_add, membership_end, membership_update

pytestmark = pytest.mark.django_db


def test_coordinator_adds_a_named_person_as_ketua(coordinator, forum):
    seat = membership_add(
        body=forum, actor=coordinator, person_name="Drs. Bambang", position="Kepala Bappeda", role=MemberRole.KETUA
    )

    assert (seat.body, seat.display_name, seat.get_role_display()) == (forum, "Drs. Bambang", "Ketua")


def test_a_platform_user_of_the_regency_can_hold_a_seat(coordinator, opd_officer, forum):
    seat = membership_add(body=forum, actor=coordinator, user=opd_officer, role=MemberRole.KOORDINATOR_TATANAN)

    assert seat.display_name == str(opd_officer)


def test_a_user_from_another_regency_cannot_hold_a_seat(coordinator, outsider, forum):
    with pytest.raises(ValidationError) as exc:
        membership_add(body=forum, actor=coordinator, user=outsider)
    assert "user" in exc.value.error_dict


def test_a_seat_needs_a_person(coordinator, forum):
    with pytest.raises(ValidationError):
        membership_add(body=forum, actor=coordinator, person_name="  ")


def test_only_keepers_of_the_body_change_seats(reviewer, provincial, seat):
    for actor in (reviewer, provincial):
        with pytest.raises(PermissionDenied):
            membership_update(membership=seat, actor=actor, position="Lain")
        with pytest.raises(PermissionDenied):
            membership_end(membership=seat, actor=actor)


def test_ending_a_seat_keeps_it_in_history(coordinator, seat):
    ended = membership_end(membership=seat, actor=coordinator, end=datetime.date(2025, 6, 30))

    assert ended.period_end == datetime.date(2025, 6, 30)
    assert Membership.objects.filter(pk=seat.pk).exists()
    with pytest.raises(ValidationError):
        membership_end(membership=seat, actor=coordinator)


def test_period_end_before_start_is_refused(coordinator, seat):
    with pytest.raises(ValidationError):
        membership_update(
            membership=seat,
            actor=coordinator,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2024, 1, 1),
        )


def test_add_page_offers_only_users_of_the_body_scope(client, coordinator, opd_officer, outsider, forum):
    client.force_login(coordinator)

    form = client.get(reverse("forums:membership-add", args=[forum.pk])).context["form"]

    assert set(form.fields["user"].queryset) == {coordinator, opd_officer}


def test_add_page_saves_a_seat(client, coordinator, forum):
    client.force_login(coordinator)

    response = client.post(
        reverse("forums:membership-add", args=[forum.pk]),
        {
            "person_name": "Ir. Sri Wahyuni",
            "position": "Kadinkes",
            "role": MemberRole.SEKRETARIS,
            "period_start": "2024-01-15",
        },
    )

    assert response.status_code == 302
    seat = forum.memberships.get()
    assert (seat.person_name, seat.role, seat.period_start) == (
        "Ir. Sri Wahyuni",
        MemberRole.SEKRETARIS,
        datetime.date(2024, 1, 15),
    )


def test_add_page_without_person_shows_an_error(client, coordinator, forum):
    client.force_login(coordinator)

    response = client.post(reverse("forums:membership-add", args=[forum.pk]), {"role": MemberRole.ANGGOTA})

    assert response.status_code == 200
    assert "person_name" in response.context["form"].errors
    assert not forum.memberships.exists()


def test_edit_page_changes_the_role(client, coordinator, seat):
    client.force_login(coordinator)

    response = client.post(
        reverse("forums:membership-edit", args=[seat.pk]),
        {"person_name": seat.person_name, "role": MemberRole.WAKIL_KETUA},
    )

    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.role == MemberRole.WAKIL_KETUA


def test_end_action_ends_today_by_default_and_moves_the_seat_to_history(client, coordinator, seat, forum):
    client.force_login(coordinator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(reverse("forums:membership-end", args=[seat.pk]), {"end": str(yesterday)})

    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.period_end == yesterday
    detail = client.get(reverse("forums:body-detail", args=[forum.pk]))
    assert detail.context["current_members"] == []
    assert detail.context["other_members"] == [seat]
