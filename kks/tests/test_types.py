"""The typed core (scoring, the access policy, the services and selectors) stays clean under mypy with django-stubs.

CI runs only ``make test``, so the type check runs here as a test, with the configuration of pyproject.toml
([tool.mypy]: the checked modules and the strictness) and its cache under var/mypy (a warm run takes seconds).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TYPED = [
    "tatanan/scoring.py",
    "forums/permissions.py",
    "evaluations/services",
    "evaluations/selectors",
    *("api/services.py", "api/auth.py", "api/v1.py", "api/schemas.py"),  # the API's typed core
    *("kks/fragments.py", "evaluations/views/card_cache.py"),  # the cached fragments
]


def _mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_typed_modules_pass_mypy():
    result = _mypy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues found" in result.stdout
    # The configuration names exactly the modules that must stay typed, so nothing drops out silently.
    assert f"in {_typed_file_count()} source files" in result.stdout


def _typed_file_count() -> int:
    count = 0
    for entry in TYPED:
        path = ROOT / entry
        count += len(list(path.rglob("*.py"))) if path.is_dir() else 1
    return count


PROBE = """from forums.models import User


def untyped(user):
    return user


def wrong(user: User) -> int:
    return user.nope
"""


def test_mypy_as_configured_refuses_untyped_or_wrong_code():
    # The check can fail: the same configuration (strict defs, the Django plugin) reports both.
    module = ROOT / "var" / "mypy-probe" / "probe.py"
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(PROBE, encoding="utf-8")
    try:
        result = _mypy(str(module.relative_to(ROOT)))
    finally:
        module.unlink()
    assert result.returncode == 1
    assert "Function is missing a type annotation" in result.stdout
    assert '"User" has no attribute "nope"' in result.stdout
