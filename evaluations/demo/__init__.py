"""The demo data set behind ``manage.py seed_demo``: Jawa Timur with three regencies, ready to click through.

Idempotent: a re-run finds what an earlier run made and adds only what is
missing; it never overwrites what demo users changed, except that the cycle's
windows are moved around "now" so filling and review stay open.
Nothing about the framework is written here: tatanan, indicators and the OPD
kinds responsible for them come from the loaded framework version.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from forums.models import Role, User
from tatanan.models import FrameworkVersion

from . import assessments, institutions
from .data import DEMO_PASSWORD, LOGINS, PROVINCE_CODE, REGENCIES, DemoError, DemoResult

__all__ = ["DEMO_PASSWORD", "LOGINS", "DemoError", "DemoResult", "login_rows", "seed_demo"]


def get_framework(code: str) -> FrameworkVersion:
    try:
        return FrameworkVersion.objects.get(code=code)
    except FrameworkVersion.DoesNotExist:
        raise DemoError(
            f"Kerangka '{code}' belum dimuat. Jalankan dulu: "
            "manage.py load_framework tatanan/data/kks-2025-r2.yaml --publish"
        ) from None


@transaction.atomic
def seed_demo(*, framework_code: str = "kks-2025-r2", now: datetime.datetime | None = None) -> DemoResult:
    now = now or timezone.now()
    framework = get_framework(framework_code)
    result = DemoResult()
    regions = institutions.regions()
    missing = [c for c in (PROVINCE_CODE, *REGENCIES) if c not in regions]
    if missing:
        raise DemoError(f"Wilayah {', '.join(missing)} tidak ada; jalankan dulu manage.py load_regions.")
    regencies = [regions[c] for c in REGENCIES]
    kinds = institutions.opd_kinds(framework)
    health_kind = institutions.health_kind(kinds)
    admin = institutions.users(regions, health_kind, {}, result, only={"admin"})["admin"]
    if not admin.is_superuser and admin.role != Role.ADMIN:
        raise DemoError("Pengguna 'admin' sudah ada tetapi bukan administrator; demo tidak dapat dibuat.")
    opds = institutions.opds(regencies, kinds, admin, result)
    users = institutions.users(regions, health_kind, opds, result)
    institutions.bodies(framework, regions, users, admin, result)
    cycle = assessments.cycle_for(framework, now, result)
    assessments.assessments(cycle, regions, users, result)
    return result


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role, region) of the demo logins that exist."""
    users = {
        u.username: u
        for u in User.objects.select_related("region", "opd").filter(username__in=[lg.username for lg in LOGINS])
    }
    rows = []
    for login in LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        where = str(user.region) if user.region_id else "Seluruh Indonesia"
        if user.opd_id:
            where = f"{user.opd}, {where}"
        rows.append((user.username, DEMO_PASSWORD, Role(login.role).label, where))
    return rows
