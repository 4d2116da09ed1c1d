"""Shared fixtures: a small framework, one cycle, and a persona per role.

Personas: ``coordinator`` and ``opd_officer`` (regency A), ``reviewer`` (health
office of regency A), ``provincial`` (province of A), ``national``, ``admin_user``,
and ``outsider`` (a coordinator of regency B in another province).
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Bahasa Indonesia: a request with another language (LocaleMiddleware) leaves that
    language active in the thread, and in random order the next test would read English messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached readiness rows or rate-limit counters of one test (whose
    primary keys a later test's database may reuse) never answer for another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Under mutation testing (`scripts/mutation policy`, which runs a copy of the project in ``mutants/``) each
    pytest run is a forked child and two run at once, next to any ordinary test run: each gets a test database of
    its own, or one run's setup would drop another's database and the error would count as a kill."""
    if Path(__file__).resolve().parent.name == "mutants":
        from django.conf import settings

        for database in settings.DATABASES.values():
            if database["ENGINE"].endswith("postgresql"):  # SQLite test databases live in memory anyway
                # Set, not appended: a forked child inherits the settings its parent's session already changed.
                database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_mutant{os.getpid()}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def province(db):
    from forums.tests.factories import ProvinceFactory

    return ProvinceFactory(code="35", name="Jawa Timur")


@pytest.fixture
def regency(province):
    from forums.tests.factories import RegencyFactory

    return RegencyFactory(code="35.71", name="Kota Kediri", parent=province)


@pytest.fixture
def other_regency(db):
    from forums.tests.factories import ProvinceFactory, RegencyFactory

    other = ProvinceFactory(code="73", name="Sulawesi Selatan")
    return RegencyFactory(code="73.71", name="Kota Makassar", parent=other)


@pytest.fixture
def opd_kind(db):
    from forums.tests.factories import OpdKindFactory

    return OpdKindFactory(code="dinkes", name="Dinas Kesehatan")


@pytest.fixture
def opd(regency, opd_kind):
    from forums.tests.factories import OpdFactory

    return OpdFactory(regency=regency, kind=opd_kind, name="Dinas Kesehatan Kota Kediri", short_name="Dinkes")


@pytest.fixture
def framework(opd_kind):
    from tatanan.tests.factories import make_framework

    return make_framework(opd_kind=opd_kind)


@pytest.fixture
def cycle(framework):
    from evaluations.tests.factories import CycleFactory

    return CycleFactory(framework=framework, name="Siklus 2025")


@pytest.fixture
def assessment(cycle, regency):
    from evaluations.tests.factories import make_assessment

    return make_assessment(cycle=cycle, regency=regency)


@pytest.fixture
def other_assessment(cycle, other_regency):
    from evaluations.tests.factories import make_assessment

    return make_assessment(cycle=cycle, regency=other_regency)


def _user(role, region=None, **kw):
    from forums.tests.factories import UserFactory

    return UserFactory(role=role, region=region, **kw)


@pytest.fixture
def coordinator(regency):
    return _user("forum_coordinator", regency, username="koordinator")


@pytest.fixture
def opd_officer(regency, opd):
    return _user("opd_officer", regency, opd=opd, username="petugas_opd")


@pytest.fixture
def reviewer(regency):
    return _user("health_reviewer", regency, username="reviewer")


@pytest.fixture
def provincial(province):
    return _user("provincial_official", province, username="provinsi")


@pytest.fixture
def national(db):
    return _user("national_verifier", None, username="pusat")


@pytest.fixture
def admin_user(db):
    return _user("admin", None, username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(other_regency):
    return _user("forum_coordinator", other_regency, username="orang_luar")
