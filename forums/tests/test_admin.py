"""The Django admin of the forums models opens for the national admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = ["region", "opdkind", "opd", "user", "body", "membership"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_and_add_pages_open(client, admin_user, seat, opd, model):
    client.force_login(admin_user)

    assert client.get(reverse(f"admin:forums_{model}_changelist"), {"q": "Kediri"}).status_code == 200
    assert client.get(reverse(f"admin:forums_{model}_add")).status_code == 200


def test_admin_body_page_shows_its_members_inline(client, admin_user, seat):
    client.force_login(admin_user)

    response = client.get(reverse("admin:forums_body_change", args=[seat.body_id]))

    assert response.status_code == 200
    assert seat.person_name in response.content.decode()


def test_admin_pages_are_closed_to_a_coordinator(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("admin:forums_body_changelist"))

    assert response.status_code == 302


def test_admin_body_page_with_an_sk_opens_and_links_the_checked_download(client, admin_user, forum_with_sk):
    client.force_login(admin_user)

    response = client.get(reverse("admin:forums_body_change", args=[forum_with_sk.pk]))

    assert response.status_code == 200
    assert reverse("forums:body-sk-download", args=[forum_with_sk.pk]) in response.content.decode()
