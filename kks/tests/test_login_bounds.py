"""Log-in input is bounded before django-axes or any backend sees it (issue 12, hole 2)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=False)

LONG = "a" * 300


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    from axes.utils import reset

    reset()
    yield
    reset()


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
@pytest.mark.parametrize(("username", "password"), [(LONG, "salah"), ("koordinator", "x" * 5000)])
def test_over_long_login_input_is_a_form_error_not_a_server_error(client, axes_on, url_name, username, password):
    from axes.models import AccessAttempt

    response = client.post(reverse(url_name), {"username": username, "password": password})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not client.session.get("_auth_user_id")
    # Refused before authenticate(): axes records no failed attempt for it.
    assert AccessAttempt.objects.count() == 0
