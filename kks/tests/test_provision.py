"""scripts/provision: what `make test` and `make run` call first on a fresh machine.

Runs the real script with stand-ins for dpkg-query, id, sudo and apt-get on PATH, so nothing is
installed here; the stand-ins record what the script asked for.
"""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "provision"


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """A PATH of stand-ins: nothing installed, not root, no sudo; apt-get logs its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    _fake(bin_dir, "dpkg-query", "exit 1")  # every package missing
    _fake(bin_dir, "id", "echo 1000")
    _fake(bin_dir, "apt-get", f'echo "$@" >> {log}')
    for tool in ("grep", "bash", "env"):
        os.symlink(f"/usr/bin/{tool}" if Path(f"/usr/bin/{tool}").exists() else f"/bin/{tool}", bin_dir / tool)
    return bin_dir, log


def _run(bin_dir: Path, *args: str):
    return subprocess.run(  # noqa: S603
        ["/bin/bash", str(SCRIPT), *args],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_without_root_it_names_what_is_missing_and_how_to_install_it(machine):
    bin_dir, log = machine
    result = _run(bin_dir, "--test")
    assert result.returncode == 1
    assert "missing system packages" in result.stderr
    assert "sudo apt-get install --no-install-recommends" in result.stderr
    for package in ("chromium", "poppler-utils", "libharfbuzz-subset0", "libmagic1", "fonts-dejavu-core"):
        assert package in result.stderr
    assert not log.exists()  # apt was not run


def test_the_run_profile_does_not_ask_for_the_browser(machine):
    bin_dir, _ = machine
    result = _run(bin_dir)
    assert result.returncode == 1
    assert "libpango-1.0-0" in result.stderr
    assert "chromium" not in result.stderr


def test_as_root_it_installs_the_missing_packages_with_apt(machine):
    bin_dir, log = machine
    _fake(bin_dir, "id", "echo 0")
    result = _run(bin_dir, "--test")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "update -qq"
    assert calls[1].startswith("install -y -qq --no-install-recommends")
    assert "chromium" in calls[1]
    assert "poppler-utils" in calls[1]


def test_with_everything_installed_it_does_nothing(machine):
    bin_dir, log = machine
    _fake(bin_dir, "dpkg-query", 'echo "install ok installed"')
    result = _run(bin_dir, "--test")
    assert result.returncode == 0
    assert result.stderr == ""
    assert not log.exists()
