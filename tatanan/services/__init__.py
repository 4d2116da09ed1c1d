"""Business actions on framework versions: loading and publishing files, from the command or the web."""

from .frameworks import FrameworkLoadError, LoadResult, framework_load, framework_publish
from .imports import framework_import_create, framework_import_load, framework_import_publish

__all__ = [
    "FrameworkLoadError",
    "LoadResult",
    "framework_import_create",
    "framework_import_load",
    "framework_import_publish",
    "framework_load",
    "framework_publish",
]
