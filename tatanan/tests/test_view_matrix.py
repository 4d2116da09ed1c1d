"""Role x view matrix: the exact status code of every tatanan page for every persona (and anonymous)."""

import pytest
from django.urls import reverse

from tatanan.models import FrameworkImport, FrameworkVersion
from tatanan.services import framework_import_create

from .samples import SMALL_YAML

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "opd_officer", "reviewer", "provincial", "national", "admin_user", "outsider", None]
LOGIN = "login"  # a redirect to the login page

# persona order as in PERSONAS
EVERYONE = [200, 200, 200, 200, 200, 200, 200, LOGIN]
ADMIN_ONLY = [403, 403, 403, 403, 403, 200, 403, LOGIN]
ADMIN_ONLY_POST = [403, 403, 403, 403, 403, 302, 403, LOGIN]

# (method, url name, url arguments) -> expected codes; "<import>" and "<code>" are filled in per test
MATRIX = {
    ("GET", "framework-list", ()): EVERYONE,
    ("GET", "framework-detail", ("<code>",)): EVERYONE,
    ("GET", "tatanan-detail", ("<code>", 1)): EVERYONE,
    ("GET", "kelembagaan-detail", ("<code>",)): EVERYONE,
    ("GET", "import-list", ()): ADMIN_ONLY,
    ("GET", "import-upload", ()): ADMIN_ONLY,
    ("POST", "import-upload", ()): ADMIN_ONLY,  # no file: the form again, with the error at the field
    ("GET", "import-detail", ("<import>",)): ADMIN_ONLY,
    ("GET", "import-publish", ("<import>",)): ADMIN_ONLY,
    ("POST", "import-load", ("<import>",)): ADMIN_ONLY_POST,
    ("POST", "import-publish", ("<import>",)): ADMIN_ONLY_POST,
}

CASES = [
    pytest.param(method, name, args, persona, expected[i], id=f"{method}-{name}-{persona or 'anonymous'}")
    for (method, name, args), expected in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.fixture
def world(request, framework, admin_user):
    """Every persona, the shared framework and one valid framework import."""
    for persona in PERSONAS:
        if persona:
            request.getfixturevalue(persona)
    record = framework_import_create(file_name="small.yaml", data=SMALL_YAML.encode(), actor=admin_user)
    return {"<code>": framework.code, "<import>": record.pk}


def _state():
    return (
        sorted(FrameworkImport.objects.values_list("pk", "status")),
        sorted(FrameworkVersion.objects.values_list("code", "status", "checksum")),
    )


@pytest.mark.parametrize(("method", "name", "args", "persona", "expected"), CASES)
def test_status_code_per_persona(request, client, world, method, name, args, persona, expected):
    url = reverse(f"tatanan:{name}", args=[world.get(a, a) for a in args])
    if persona:
        client.force_login(request.getfixturevalue(persona))
    before = _state()

    response = getattr(client, method.lower())(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    if method == "GET" or expected != 302:  # GET never writes, and a refused POST writes nothing
        assert _state() == before


def test_an_unknown_import_is_404_for_the_admin(client, admin_user):
    client.force_login(admin_user)
    for name in ("import-detail", "import-publish"):
        assert client.get(reverse(f"tatanan:{name}", args=[987654])).status_code == 404
    assert client.post(reverse("tatanan:import-load", args=[987654])).status_code == 404


def test_loading_is_post_only(client, world, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("tatanan:import-load", args=[world["<import>"]])).status_code == 405
    assert FrameworkVersion.objects.count() == 1
