"""Oversized, endless, deeply nested, alias-bombed or non-text framework files are refused with a message.

The limits live in ``parse_framework`` itself, so every caller (the command, a web import) gets them.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tatanan.loader import FrameworkFileError, parse_framework
from tatanan.models import FrameworkVersion

from .samples import SMALL_YAML

pytestmark = pytest.mark.django_db
DEEP = 10_000
FRAMEWORK_MAX_DEPTH = 20  # tatanan.loader.FRAMEWORK_MAX_DEPTH


def _run_command(*args, tmp_path, timeout=60):
    """``manage.py load_framework`` in a subprocess, as an operator runs it: (exit code, stdout, stderr)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kks.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    proc = subprocess.run(  # noqa: S603 - our own manage.py with the current interpreter
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "load_framework", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _assert_one_line_refusal(code, stderr, expected):
    assert code != 0
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert expected in lines[0], stderr


def test_dev_zero_is_refused_as_too_large_without_reading_it_all(tmp_path):
    started = time.monotonic()
    code, _out, err = _run_command("/dev/zero", tmp_path=tmp_path)
    _assert_one_line_refusal(code, err, "zero: larger than the limit of 2,097,152 bytes")
    assert time.monotonic() - started < 60


def test_an_endless_fifo_is_refused_as_too_large(tmp_path):
    fifo = tmp_path / "framework.yaml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever():
        try:
            with open(fifo, "wb") as handle:
                while not stop.is_set():
                    handle.write(b"code: x\n" * 8192)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        code, _out, err = _run_command(str(fifo), tmp_path=tmp_path)
    finally:
        stop.set()
    _assert_one_line_refusal(code, err, "framework.yaml: larger than the limit")


def test_a_10000_deep_nested_list_is_refused_without_a_recursion_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("code: " + "[" * DEEP + "]" * DEEP + "\n")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_framework", str(path))
    assert str(excinfo.value) == f"deep.yaml line 1: nested more than {FRAMEWORK_MAX_DEPTH} levels deep"


def test_deep_nesting_in_block_yaml_and_json_is_refused_too():
    block = "".join(f"{' ' * n}k{n}:\n" for n in range(1000)) + " " * 1000 + "x\n"
    with pytest.raises(FrameworkFileError, match="nested more than 20 levels deep"):
        parse_framework(block, source_name="block.yaml")
    with pytest.raises(FrameworkFileError, match=r"deep\.json line 1: nested more than 20 levels deep"):
        parse_framework('{"a": ' * DEEP + "1" + "}" * DEEP, source_name="deep.json")
    # Brackets inside strings are not nesting.
    with pytest.raises(FrameworkFileError) as excinfo:
        parse_framework('{"code": "' + "[" * 50 + '"}', source_name="strings.json")
    assert "nested" not in str(excinfo.value)


def test_nesting_within_the_limit_still_reaches_validation():
    inner = FRAMEWORK_MAX_DEPTH - 1  # the top-level mapping is the first level
    nested = "code: " + "[" * inner + "]" * inner + "\n"
    with pytest.raises(FrameworkFileError) as excinfo:
        parse_framework(nested, source_name="ok.yaml")
    assert "nested" not in str(excinfo.value)


def test_an_alias_bomb_under_a_real_field_is_refused_quickly():
    levels = ["x0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    text = "\n".join(levels) + "\ntatanan: *a8\n"  # 9**9 values if expanded
    started = time.monotonic()
    with pytest.raises(FrameworkFileError, match="values once aliases are expanded"):
        parse_framework(text, source_name="bomb.yaml")
    assert time.monotonic() - started < 5


def test_a_file_over_the_limit_is_refused_by_parse_framework_itself(settings):
    settings.KKS_FRAMEWORK_MAX_BYTES = 100
    with pytest.raises(FrameworkFileError, match=r"big\.yaml: larger than the limit of 100 bytes"):
        parse_framework(SMALL_YAML, source_name="big.yaml")


@pytest.mark.parametrize(
    ("label", "make", "expected"),
    [
        ("binary", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"), "not UTF-8 text"),
        ("nul bytes", lambda p: p.write_bytes(b"code: x\n\x00\x00\x00"), "binary data"),
        ("a directory", lambda p: p.mkdir(), "it is a folder"),
        ("missing", lambda p: None, "No such file or directory"),
    ],
)
def test_command_refuses_unreadable_input_with_a_message(tmp_path, label, make, expected):
    path = tmp_path / "framework.yaml"
    make(path)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_framework", str(path))
    assert expected in str(excinfo.value), label
    assert "\n" not in str(excinfo.value)
    assert FrameworkVersion.objects.count() == 0


def test_the_shipped_instrument_is_within_every_limit():
    path = Path(settings.BASE_DIR) / "tatanan" / "data" / "kks-2025.yaml"
    assert path.stat().st_size < settings.KKS_FRAMEWORK_MAX_BYTES
    assert parse_framework(path.read_bytes(), source_name=path.name).tatanan
