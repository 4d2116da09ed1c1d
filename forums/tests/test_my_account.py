"""'Akun saya': a person sets the language of their pages, notifications and e-mails."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from forums.services.accounts import user_language_set

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_the_person_and_saves_their_language(client, coordinator):
    assert coordinator.language == "id"  # the default
    client.force_login(coordinator)
    page = client.get("/akun/saya/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Akun saya" in html
    assert coordinator.username in html
    assert '<option value="id" selected>' in html

    saved = client.post("/akun/saya/", {"language": "en"})
    assert saved.status_code == 302
    assert saved["Location"] == "/akun/saya/"
    assert saved.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    coordinator.refresh_from_db()
    assert coordinator.language == "en"
    assert "My account" in client.get("/akun/saya/").content.decode()


def test_an_unknown_language_is_refused_at_the_field(client, coordinator):
    client.force_login(coordinator)
    page = client.post("/akun/saya/", {"language": "fr"})
    assert page.status_code == 200
    assert "is-invalid" in page.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.language == "id"


def test_only_the_person_themselves_sets_their_language(coordinator, admin_user):
    with pytest.raises(PermissionDenied):
        user_language_set(user=coordinator, language="en", actor=admin_user)
    coordinator.refresh_from_db()
    assert coordinator.language == "id"


def test_the_account_page_needs_a_login(client):
    assert client.get("/akun/saya/")["Location"].startswith("/akun/login/")


def test_the_navigation_links_the_account_page(client, coordinator):
    client.force_login(coordinator)
    assert 'href="/akun/saya/"' in client.get("/").content.decode()


def test_the_language_switch_of_the_pages_also_sets_the_notification_language(client, coordinator):
    client.force_login(coordinator)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/kotak-masuk/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/kotak-masuk/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    coordinator.refresh_from_db()
    assert coordinator.language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    coordinator.refresh_from_db()
    assert coordinator.language == "en"


def test_an_anonymous_visitor_can_still_switch_the_language(client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/login/"})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
