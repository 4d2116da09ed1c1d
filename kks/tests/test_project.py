import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    body = response.json()
    assert body["database"] is True
    assert set(body) == {"status", "database", "broker"}


def test_login_page_is_in_indonesian_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Masuk ke KKS" in response.content.decode()


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_home_lists_visible_assessments(client, coordinator, assessment, other_assessment):
    client.force_login(coordinator)
    html = client.get(reverse("home")).content.decode()
    assert "Kota Kediri" in html
    assert "Kota Makassar" not in html


def test_security_headers_present(client):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_home_links_the_national_report_for_national_verifiers_only(client, national, coordinator):
    client.force_login(national)
    assert reverse("evaluations:national-report") in client.get(reverse("home")).content.decode()
    client.force_login(coordinator)
    assert reverse("evaluations:national-report") not in client.get(reverse("home")).content.decode()


def test_assessment_page_links_the_dossier_for_those_who_may_request_it(client, assessment, coordinator, opd_officer):
    url = reverse("evaluations:assessment-detail", args=[assessment.pk])
    dossier = reverse("evaluations:dossier", args=[assessment.pk])
    client.force_login(coordinator)
    assert dossier in client.get(url).content.decode()
    client.force_login(opd_officer)
    assert dossier not in client.get(url).content.decode()


def test_a_failed_login_says_plainly_what_went_wrong(client, coordinator):
    html = client.post(reverse("login"), {"username": coordinator.username, "password": "salah"}).content.decode()
    assert "Nama pengguna atau kata sandi salah." in html
    assert "nama pengguna nama pengguna" not in html.lower()
    assert "Kata sandi" in html


def test_favicon_is_linked_and_served(client):
    from django.conf import settings
    from django.urls import reverse

    login = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in login
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert (settings.BASE_DIR / "static" / "img" / "favicon.svg").read_text().startswith("<svg")
