"""Business actions of the forums app: regions, OPD, bodies and memberships."""

from .regions import RegionLoadResult, regions_load

__all__ = ["RegionLoadResult", "regions_load"]
