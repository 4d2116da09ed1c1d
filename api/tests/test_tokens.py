"""Personal API tokens: created by their owner and shown once, stored as a hash, revoked by owner or admin."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from api.models import ApiToken
from api.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke, api_token_user
from evaluations.services.errors import WorkflowError

from .helpers import call

pytestmark = pytest.mark.django_db

PAGE = "/akun/token-api/"


def test_only_the_hash_and_a_prefix_are_stored(coordinator):
    issued = api_token_create(user=coordinator, name="SIPANTAS", actor=coordinator)
    assert issued.secret.startswith("kks_")
    assert len(issued.secret) > 40
    stored = ApiToken.objects.get()
    assert stored.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert stored.prefix == issued.secret[:12]
    stored_values = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert issued.secret not in stored_values
    assert api_token_user(secret=issued.secret) == coordinator


def test_a_token_is_created_only_by_its_owner_and_needs_a_name(coordinator, admin_user):
    with pytest.raises(PermissionDenied):
        api_token_create(user=coordinator, name="x", actor=admin_user)
    with pytest.raises(WorkflowError):
        api_token_create(user=coordinator, name="   ", actor=coordinator)
    for n in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=coordinator, name=f"t{n}", actor=coordinator)
    with pytest.raises(WorkflowError, match="token aktif"):
        api_token_create(user=coordinator, name="satu lagi", actor=coordinator)
    api_token_revoke(token=ApiToken.objects.filter(user=coordinator).first(), actor=coordinator)
    api_token_create(user=coordinator, name="pengganti", actor=coordinator)  # a revoked one frees a place


def test_revocation_by_owner_or_admin_only_and_recorded(coordinator, outsider, admin_user):
    token = api_token_create(user=coordinator, name="SIPANTAS", actor=coordinator).token
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=outsider)
    revoked = api_token_revoke(token=token, actor=admin_user)
    assert revoked.revoked_by == admin_user
    assert revoked.revoked_at is not None
    history = list(ApiToken.audit.filter(id=token.pk).order_by("history_date"))
    assert [(h.history_type, h.history_user) for h in history] == [("+", coordinator), ("~", admin_user)]
    assert not hasattr(history[0], "token_hash")  # the hash is not copied into the history


def test_the_last_use_is_stamped_without_a_history_row(coordinator, client):
    issued = api_token_create(user=coordinator, name="x", actor=coordinator)
    assert call(client, "GET", "/frameworks", issued.secret).status_code == 200
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None
    assert ApiToken.audit.filter(id=issued.token.pk).count() == 1


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_a_new_token_once(client, coordinator):
    client.force_login(coordinator)
    assert "Belum ada token" in client.get(PAGE).content.decode()
    created = client.post(PAGE, {"name": "Sinkron SIPANTAS"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    html = created.content.decode()
    token = ApiToken.objects.get(user=coordinator)
    secret = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.token_hash
    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert token.prefix in again
    assert "Sinkron SIPANTAS" in again
    assert call(client, "GET", "/frameworks", secret).status_code == 200


def test_the_page_refuses_a_nameless_token(client, coordinator):
    client.force_login(coordinator)
    assert client.post(PAGE, {"name": ""}).status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page(client, coordinator, outsider):
    token = api_token_create(user=coordinator, name="lama", actor=coordinator).token
    client.force_login(outsider)
    assert client.post(f"{PAGE}{token.pk}/cabut/").status_code == 404  # someone else's token
    assert client.get(f"{PAGE}{token.pk}/cabut/").status_code == 405
    client.force_login(coordinator)
    response = client.post(f"{PAGE}{token.pk}/cabut/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == coordinator
    assert "Dicabut" in client.get(PAGE).content.decode()


def test_the_admin_lists_and_revokes_but_never_creates_or_edits(admin_client, admin_user, coordinator):
    token = api_token_create(user=coordinator, name="SIPANTAS", actor=coordinator).token
    listing = admin_client.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    assert token.prefix in listing.content.decode()
    assert admin_client.get("/admin/api/apitoken/add/").status_code == 403
    assert admin_client.post(f"/admin/api/apitoken/{token.pk}/change/", {"name": "x"}).status_code == 403
    assert admin_client.post(f"/admin/api/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
    done = admin_client.post(
        "/admin/api/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}, follow=True
    )
    assert done.status_code == 200
    token.refresh_from_db()
    assert (token.name, token.revoked_by) == ("SIPANTAS", admin_user)


def test_the_page_in_english(client, coordinator):
    client.force_login(coordinator)
    html = client.get(PAGE, headers={"Accept-Language": "en"}).content.decode()
    assert "Your tokens" in html
    assert "Create a new token" in html
    assert "Token saya" not in html
    assert "Belum ada token" not in html


def test_the_navigation_links_the_page(client, coordinator):
    client.force_login(coordinator)
    assert f'href="{PAGE}"' in client.get("/").content.decode()
