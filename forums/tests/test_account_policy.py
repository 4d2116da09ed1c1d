"""The account policy: who may create and manage which accounts, and scope and predicate agree."""

import pytest

from forums.models import Role
from forums.permissions import (
    ROLE_RANK,
    account_grants,
    can_create_user_with,
    can_manage_accounts,
    can_manage_user,
    regions_assignable_by,
    role_fits_region,
    roles_assignable_by,
    shows_account_pages,
    users_visible_to,
)
from forums.tests.factories import OpdFactory, RegencyFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "opd_officer", "reviewer", "provincial", "national", "admin_user", "outsider"]


@pytest.fixture
def world(request, province, regency, other_regency, opd):
    """Every persona plus a second regency of the same province with its own OPD."""
    people = {p: request.getfixturevalue(p) for p in PERSONAS}
    sibling = RegencyFactory(code="35.06", name="Kabupaten Kediri", parent=province)
    return {
        **people,
        "province": province,
        "regency": regency,
        "sibling": sibling,
        "other_province": other_regency.parent,
        "other_regency": other_regency,
        "opd": opd,
        "sibling_opd": OpdFactory(regency=sibling, short_name="Dinkes"),
        "other_opd": OpdFactory(regency=other_regency, short_name="Dinkes"),
    }


# (actor, role, region key, opd key or None) -> allowed
CREATE_TABLE = [
    ("provincial", Role.FORUM_COORDINATOR, "regency", None, True),
    ("provincial", Role.FORUM_COORDINATOR, "sibling", None, True),
    ("provincial", Role.FORUM_COORDINATOR, "province", None, False),  # wrong level
    ("provincial", Role.FORUM_COORDINATOR, "other_regency", None, False),  # other province
    ("provincial", Role.HEALTH_REVIEWER, "province", None, True),
    ("provincial", Role.HEALTH_REVIEWER, "regency", None, True),
    ("provincial", Role.HEALTH_REVIEWER, "other_province", None, False),
    ("provincial", Role.PROVINCIAL_OFFICIAL, "province", None, True),
    ("provincial", Role.PROVINCIAL_OFFICIAL, "other_province", None, False),
    ("provincial", Role.OPD_OFFICER, "regency", "opd", False),
    ("provincial", Role.NATIONAL_VERIFIER, None, None, False),  # above own role
    ("provincial", Role.ADMIN, None, None, False),
    ("coordinator", Role.OPD_OFFICER, "regency", "opd", True),
    ("coordinator", Role.OPD_OFFICER, "regency", None, False),  # OPD required
    ("coordinator", Role.OPD_OFFICER, "regency", "sibling_opd", False),  # OPD of another regency
    ("coordinator", Role.OPD_OFFICER, "sibling", "sibling_opd", False),  # outside own regency
    ("coordinator", Role.FORUM_COORDINATOR, "regency", None, False),
    ("coordinator", Role.HEALTH_REVIEWER, "regency", None, False),
    ("outsider", Role.OPD_OFFICER, "regency", "opd", False),
    ("outsider", Role.OPD_OFFICER, "other_regency", "other_opd", True),
    ("opd_officer", Role.OPD_OFFICER, "regency", "opd", False),
    ("reviewer", Role.OPD_OFFICER, "regency", "opd", False),
    ("reviewer", Role.HEALTH_REVIEWER, "regency", None, False),
    ("national", Role.OPD_OFFICER, "regency", "opd", False),
    ("national", Role.NATIONAL_VERIFIER, None, None, False),
    ("admin_user", Role.NATIONAL_VERIFIER, None, None, True),
    ("admin_user", Role.ADMIN, None, None, True),
    ("admin_user", Role.NATIONAL_VERIFIER, "province", None, False),  # nationwide roles have no region
    ("admin_user", Role.FORUM_COORDINATOR, "other_regency", None, True),
    ("admin_user", Role.FORUM_COORDINATOR, None, None, False),
    ("admin_user", Role.OPD_OFFICER, "other_regency", "other_opd", True),
    ("admin_user", Role.OPD_OFFICER, "regency", "other_opd", False),
    ("admin_user", Role.HEALTH_REVIEWER, "regency", "opd", False),  # only OPD officers have an OPD
]


@pytest.mark.parametrize(("actor", "role", "region_key", "opd_key", "allowed"), CREATE_TABLE)
def test_who_may_create_which_account(world, actor, role, region_key, opd_key, allowed):
    region = world[region_key] if region_key else None
    result = can_create_user_with(world[actor], role=role, region=region, opd=world[opd_key] if opd_key else None)

    assert result is allowed


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("provincial", {Role.FORUM_COORDINATOR, Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL}),
        ("coordinator", {Role.OPD_OFFICER}),
        ("outsider", {Role.OPD_OFFICER}),
        ("opd_officer", set()),
        ("reviewer", set()),
        ("national", set()),
        ("admin_user", set(Role)),
    ],
)
def test_roles_assignable(world, actor, expected):
    assert roles_assignable_by(world[actor]) == expected
    assert can_manage_accounts(world[actor]) is bool(expected)


@pytest.mark.parametrize("actor", PERSONAS)
def test_never_a_role_above_ones_own(world, actor):
    user = world[actor]
    assert all(ROLE_RANK[role] <= ROLE_RANK[user.role] for role in roles_assignable_by(user))


def test_inactive_or_regionless_actors_manage_nothing(world):
    provincial = world["provincial"]
    provincial.is_active = False
    provincial.save()
    assert roles_assignable_by(provincial) == set()
    assert not users_visible_to(provincial).exists()
    assert not can_create_user_with(provincial, role=Role.FORUM_COORDINATOR, region=world["regency"])
    regionless = UserFactory(role=Role.PROVINCIAL_OFFICIAL, region=None)
    assert roles_assignable_by(regionless) == set()


def test_a_superuser_without_role_is_the_admin(world):
    root = UserFactory(role="", is_superuser=True, is_staff=True)
    assert roles_assignable_by(root) == set(Role)
    assert account_grants(root) is None


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        ("provincial", {"provincial", "coordinator", "reviewer"}),
        ("coordinator", {"opd_officer"}),
        ("outsider", set()),
        ("opd_officer", set()),
        ("reviewer", set()),
        ("national", set()),
        ("admin_user", set(PERSONAS)),
    ],
)
def test_users_visible_to(world, actor, visible):
    names = {p for p in PERSONAS if users_visible_to(world[actor]).filter(pk=world[p].pk).exists()}
    assert names == visible


def test_role_admin_does_not_manage_superusers(world):
    role_admin = UserFactory(role=Role.ADMIN, is_superuser=False)
    assert not can_manage_user(role_admin, world["admin_user"])
    assert can_manage_user(role_admin, world["coordinator"])


@pytest.mark.parametrize("actor", PERSONAS)
def test_nobody_manages_themselves(world, actor):
    assert not can_manage_user(world[actor], world[actor])


@pytest.mark.parametrize("actor", PERSONAS)
def test_scope_and_predicates_agree(world, actor):
    """A manageable account is exactly one whose (role, region, OPD) the actor could create."""
    user = world[actor]
    for role in Role:
        for key in ("province", "regency", "sibling", "other_province", "other_regency", None):
            region = world[key] if key else None
            opds = [
                o
                for o in (world["opd"], world["sibling_opd"], world["other_opd"])
                if region and o.regency_id == region.pk
            ]
            for opd in opds if role == Role.OPD_OFFICER else [None]:
                target = UserFactory(role=role, region=region, opd=opd)
                creatable = can_create_user_with(user, role=role, region=region, opd=opd)
                if role_fits_region(role, region):
                    assert can_manage_user(user, target) is creatable, (actor, role, key)
                else:  # a mis-levelled account (old data) is left to the national admin to fix
                    assert can_manage_user(user, target) is (account_grants(user) is None), (actor, role, key)
                if region is not None:
                    assert regions_assignable_by(user, role).filter(pk=region.pk).exists() is creatable


@pytest.mark.parametrize("actor", PERSONAS)
def test_the_navigation_shortcut_agrees_with_the_grants(world, actor):
    assert shows_account_pages(world[actor]) is can_manage_accounts(world[actor])
