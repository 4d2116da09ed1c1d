"""Account pages end to end through the test client: invite, edit, deactivate, transfer, import, invitation link."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Role, User, UserImport, UserTransfer

pytestmark = pytest.mark.django_db

CSV_HEADER = "username;nama lengkap;email;telepon;peran;kode wilayah;singkatan OPD"


def _csv(*lines):
    return SimpleUploadedFile("akun.csv", "\n".join([CSV_HEADER, *lines]).encode("utf-8-sig"))


def _link(message) -> str:
    return re.search(r"/akun/undangan/[^/\s]+/[^/\s]+/", message.body).group(0)


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("coordinator", True),
        ("provincial", True),
        ("admin_user", True),
        ("opd_officer", False),
        ("reviewer", False),
        ("national", False),
    ],
)
def test_nav_link_for_the_roles_that_have_the_pages(request, client, persona, shown):
    client.force_login(request.getfixturevalue(persona))
    assert (reverse("accounts:user-list") in client.get("/").content.decode()) is shown


def test_invite_edit_deactivate_reactivate(client, provincial, regency, django_capture_on_commit_callbacks):
    client.force_login(provincial)
    data = {
        "username": "koor_web",
        "full_name": "Ani Lestari",
        "email": "ani@example.test",
        "role": Role.FORUM_COORDINATOR,
        "region": regency.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user-create"), data)
    assert response.status_code == 302
    user = User.objects.get(username="koor_web")
    assert len(mail.outbox) == 1

    response = client.post(reverse("accounts:user-create"), data)  # the same again
    assert response.status_code == 200
    assert "sudah dipakai" in response.content.decode()

    response = client.post(reverse("accounts:user-edit", args=[user.pk]), {**data, "email": "baru@example.test"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "baru@example.test"

    assert client.get(reverse("accounts:user-deactivate", args=[user.pk])).status_code == 200
    user.refresh_from_db()
    assert user.is_active  # GET only asks
    client.post(reverse("accounts:user-deactivate", args=[user.pk]))
    user.refresh_from_db()
    assert not user.is_active
    listing = client.get(reverse("accounts:user-list"), {"status": "inactive"}).content.decode()
    assert "koor_web" in listing
    assert "koor_web" not in client.get(reverse("accounts:user-list")).content.decode()
    client.post(reverse("accounts:user-reactivate", args=[user.pk]))
    user.refresh_from_db()
    assert user.is_active


def test_list_filters_and_search(client, provincial, coordinator, reviewer):
    client.force_login(provincial)

    def listed(**params):
        return {u.username for u in client.get(reverse("accounts:user-list"), params).context["page"]}

    assert listed(role=Role.HEALTH_REVIEWER) == {reviewer.username}
    assert listed(q=coordinator.email) == {coordinator.username}
    assert listed() == {provincial.username, coordinator.username, reviewer.username}


def test_the_form_offers_only_assignable_roles(client, coordinator, opd):
    client.force_login(coordinator)
    form = client.get(reverse("accounts:user-create")).context["form"]
    assert [v for v, _label in form.fields["role"].choices] == [Role.OPD_OFFICER]
    assert list(form.fields["opd"].queryset) == [opd]


def test_a_forged_post_above_ones_role_is_refused(client, coordinator, regency):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:user-create"),
        {"username": "x", "full_name": "X", "email": "x@example.test", "role": Role.ADMIN, "region": regency.pk},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="x").exists()


def test_transfer_page(client, provincial, coordinator):
    client.force_login(provincial)
    response = client.post(
        reverse("accounts:user-transfer", args=[coordinator.pk]),
        {"username": "pengganti", "full_name": "Rina", "email": "rina@example.test", "reason": "SK 1/2026"},
    )
    assert response.status_code == 302
    transfer = UserTransfer.objects.get()
    assert transfer.successor.username == "pengganti"
    coordinator.refresh_from_db()
    assert not coordinator.is_active


def test_transfer_page_needs_a_successor(client, provincial, coordinator):
    client.force_login(provincial)
    response = client.post(reverse("accounts:user-transfer", args=[coordinator.pk]), {"reason": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not UserTransfer.objects.exists()


def test_import_flow_bad_file_then_fixed(client, provincial, regency, django_capture_on_commit_callbacks):
    client.force_login(provincial)
    bad = _csv(
        "koor_1;Ani;ani@example.test;;forum_coordinator;35.71;",
        "koor_2;Budi;budi@example.test;;forum_coordinator;99.99;",
    )
    response = client.post(reverse("accounts:user-import"), {"file": bad})
    assert response.status_code == 200
    assert "Baris 3, kolom kode wilayah: Kode wilayah 99.99 tidak dikenal." in response.content.decode()
    assert not UserImport.objects.exists()
    assert not User.objects.filter(username="koor_1").exists()

    good = _csv(
        "koor_1;Ani;ani@example.test;;forum_coordinator;35.71;",
        "koor_2;Budi;budi@example.test;;Koordinator Forum KKS;35.71;",
    )
    response = client.post(reverse("accounts:user-import"), {"file": good})
    staged = UserImport.objects.get()
    assert response["Location"] == reverse("accounts:user-import-preview", args=[staged.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Impor 2 akun" in page
    assert not User.objects.filter(username="koor_1").exists()  # GET writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user-import-preview", args=[staged.pk]))
    assert response["Location"] == reverse("accounts:user-import-result", args=[staged.pk])
    assert User.objects.filter(username__in=["koor_1", "koor_2"]).count() == 2
    assert len(mail.outbox) == 2
    assert "koor_2" in client.get(response["Location"]).content.decode()
    # A second POST of the same preview cannot import twice.
    response = client.post(reverse("accounts:user-import-preview", args=[staged.pk]))
    assert response["Location"] == reverse("accounts:user-import-result", args=[staged.pk])
    assert User.objects.filter(username__in=["koor_1", "koor_2"]).count() == 2


def test_invitation_link_sets_the_password_once(client, provincial, regency, django_capture_on_commit_callbacks):
    from forums.services.accounts import AccountData, user_create

    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(
            data=AccountData(
                username="baru",
                full_name="Baru",
                email="baru@example.test",
                role=Role.FORUM_COORDINATOR,
                region=regency,
            ),
            actor=provincial,
        )
    link = _link(mail.outbox[0])

    response = client.get(link)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response["Location"]
    assert client.get(form_url).context["validlink"] is True
    response = client.post(form_url, {"new_password1": "Sandi-Kuat-2026!", "new_password2": "Sandi-Kuat-2026!"})
    assert response["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password("Sandi-Kuat-2026!")

    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "tidak berlaku lagi" in again.content.decode()


def test_invitation_link_of_a_deactivated_account_is_dead(client, provincial, coordinator):
    from forums.services.accounts import invitation_path

    link = invitation_path(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert client.get(link, follow=True).context["validlink"] is False


def test_the_django_admin_is_for_superusers_only(client, admin_user):
    staff = User.objects.create_user("staf", password="x-sandi-123", is_staff=True, role=Role.ADMIN)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_transfers_are_read_only_in_the_admin(client, admin_user, provincial, coordinator):
    from forums.services.accounts import AccountData, user_transfer

    new = AccountData(username="pengganti", full_name="Rina", email="rina@example.test", role="", region=None)
    transfer = user_transfer(predecessor=coordinator, new_successor=new, reason="SK 1/2026", actor=provincial)
    client.force_login(admin_user)

    assert client.get("/admin/forums/usertransfer/").status_code == 200
    page = client.get(f"/admin/forums/usertransfer/{transfer.pk}/change/")
    assert page.status_code == 200
    assert b"SK 1/2026" in page.content
    assert client.get("/admin/forums/usertransfer/add/").status_code == 403
