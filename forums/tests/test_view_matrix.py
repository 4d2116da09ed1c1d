"""Role x view matrix: the exact status code of every forums page for every persona."""

import pytest
from django.urls import reverse

PERSONAS = ["coordinator", "opd_officer", "reviewer", "provincial", "national", "admin_user", "outsider"]

ALL_200 = dict.fromkeys(PERSONAS, 200)
REGENCY_VISIBLE = {**ALL_200, "outsider": 404}
REGENCY_KEEPER = {
    "coordinator": 200,
    "opd_officer": 403,
    "reviewer": 403,
    "provincial": 403,
    "national": 403,
    "admin_user": 200,
    "outsider": 404,
}
REGENCY_KEEPER_POST = {p: 302 if code == 200 else code for p, code in REGENCY_KEEPER.items()}
PROVINCE_VISIBLE = {
    "coordinator": 404,
    "opd_officer": 404,
    "reviewer": 404,
    "provincial": 200,
    "national": 200,
    "admin_user": 200,
    "outsider": 404,
}
PROVINCE_KEEPER = {**PROVINCE_VISIBLE, "national": 403}
ACCOUNT_MANAGERS = {
    "coordinator": 200,
    "opd_officer": 403,
    "reviewer": 403,
    "provincial": 200,
    "national": 403,
    "admin_user": 200,
    "outsider": 200,
}
# The regency's health reviewer is managed by the provincial official (and the admin).
REVIEWER_MANAGERS = dict.fromkeys(ACCOUNT_MANAGERS, 404) | {"provincial": 200, "admin_user": 200}
REVIEWER_MANAGERS_POST = {p: 302 if code == 200 else code for p, code in REVIEWER_MANAGERS.items()}
# The OPD officer is managed by their regency's forum coordinator (and the admin).
OFFICER_MANAGERS = dict.fromkeys(ACCOUNT_MANAGERS, 404) | {"coordinator": 200, "admin_user": 200}
# An upload staged by the provincial official is theirs alone.
OWN_IMPORT = {p: 404 if code == 200 else code for p, code in ACCOUNT_MANAGERS.items()} | {"provincial": 200}
OWN_IMPORT_DONE = {p: 302 if code == 200 else code for p, code in OWN_IMPORT.items()}

# (case id, method, url name, object fixture or None, expected codes)
CASES = [
    ("body-list", "get", "forums:body-list", None, ALL_200),
    ("body-detail", "get", "forums:body-detail", "forum", REGENCY_VISIBLE),
    ("body-detail-provinsi", "get", "forums:body-detail", "tim_pembina_provinsi", PROVINCE_VISIBLE),
    ("body-edit", "get", "forums:body-edit", "forum", REGENCY_KEEPER),
    ("body-edit-provinsi", "get", "forums:body-edit", "tim_pembina_provinsi", PROVINCE_KEEPER),
    ("body-sk-download", "get", "forums:body-sk-download", "forum_with_sk", REGENCY_VISIBLE),
    ("body-create", "get", "forums:body-create", "regency", REGENCY_KEEPER),
    ("body-create-provinsi", "get", "forums:body-create", "province", PROVINCE_KEEPER),
    ("regency-load-subregions", "post", "forums:regency-load-subregions", "regency", REGENCY_KEEPER_POST),
    ("membership-add", "get", "forums:membership-add", "forum", REGENCY_KEEPER),
    ("membership-edit", "get", "forums:membership-edit", "seat", REGENCY_KEEPER),
    ("membership-end", "post", "forums:membership-end", "seat", REGENCY_KEEPER_POST),
    ("opd-index", "get", "forums:opd-index", None, ALL_200),
    ("opd-list", "get", "forums:opd-list", "regency", REGENCY_VISIBLE),
    ("opd-create", "get", "forums:opd-create", "regency", REGENCY_KEEPER),
    ("opd-edit", "get", "forums:opd-edit", "opd", REGENCY_KEEPER),
    ("user-list", "get", "accounts:user-list", None, ACCOUNT_MANAGERS),
    ("user-create", "get", "accounts:user-create", None, ACCOUNT_MANAGERS),
    ("user-edit", "get", "accounts:user-edit", "reviewer", REVIEWER_MANAGERS),
    ("user-edit-officer", "get", "accounts:user-edit", "opd_officer", OFFICER_MANAGERS),
    ("user-deactivate", "get", "accounts:user-deactivate", "reviewer", REVIEWER_MANAGERS),
    ("user-deactivate-officer", "get", "accounts:user-deactivate", "opd_officer", OFFICER_MANAGERS),
    ("user-reactivate", "get", "accounts:user-reactivate", "reviewer", REVIEWER_MANAGERS),
    ("user-transfer", "get", "accounts:user-transfer", "reviewer", REVIEWER_MANAGERS),
    ("user-transfer-officer", "get", "accounts:user-transfer", "opd_officer", OFFICER_MANAGERS),
    ("user-invitation-resend", "post", "accounts:user-invitation-resend", "reviewer", REVIEWER_MANAGERS_POST),
    ("user-import", "get", "accounts:user-import", None, ACCOUNT_MANAGERS),
    ("user-import-preview", "get", "accounts:user-import-preview", "staged_import", OWN_IMPORT),
    ("user-import-result", "get", "accounts:user-import-result", "staged_import", OWN_IMPORT_DONE),
]


def _url(request, name, obj_fixture):
    if obj_fixture is None:
        return reverse(name)
    return reverse(name, args=[request.getfixturevalue(obj_fixture).pk])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "name", "obj", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_status_code_per_persona(request, client, persona, method, name, obj, expected):
    # Every persona exists in every case, so scopes are tested against a populated database.
    users = {p: request.getfixturevalue(p) for p in PERSONAS}
    request.getfixturevalue("tim_pembina_provinsi")
    url = _url(request, name, obj)
    client.force_login(users[persona])

    response = getattr(client, method)(url)

    assert response.status_code == expected[persona]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "obj"), [c[1:4] for c in CASES], ids=[c[0] for c in CASES])
def test_anonymous_is_sent_to_login(request, client, method, name, obj):
    url = _url(request, name, obj)

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "obj"),
    [
        ("forums:membership-end", "seat"),
        ("forums:regency-load-subregions", "regency"),
        ("accounts:user-invitation-resend", "reviewer"),
    ],
)
def test_post_only_actions_refuse_get(request, client, admin_user, name, obj):
    client.force_login(admin_user)

    response = client.get(_url(request, name, obj))

    assert response.status_code == 405
