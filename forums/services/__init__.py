"""Business actions of the forums app: regions, OPD, bodies and memberships."""

from .bodies import (
    body_create,
    body_update,
    membership_add,
    membership_end,
    membership_update,
)
from .opds import opd_create, opd_update
from .regions import RegionLoadResult, regions_load

__all__ = [
    "RegionLoadResult",
    "body_create",
    "body_update",
    "membership_add",
    "membership_end",
    "membership_update",
    "opd_create",
    "opd_update",
    "regions_load",
]
