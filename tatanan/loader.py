"""Read and validate a framework file (YAML or JSON) without touching the database.

``parse_framework`` returns a ``FrameworkSpec`` or raises ``FrameworkFileError`` listing every problem
with the file name, the line and the field, for example::

    kks-2025.yaml line 42: indicators[3].scale[1].value: 60 is not one of 0, 25, 50, 75, 100

Line numbers come from the YAML node marks (JSON is read as YAML for that, best effort). Paths count
list items from 0. The format is documented in docs/framework-format.md.

Every caller (the ``load_framework`` command, a web import) gets the same limits, checked here before
anything is parsed into objects: at most ``settings.KKS_FRAMEWORK_MAX_BYTES`` bytes (``read_framework_file``
reads no more than that from a path, so ``/dev/zero`` or a FIFO cannot exhaust memory), at most
``FRAMEWORK_MAX_DEPTH`` nested lists/mappings (deeper input would overflow the recursive YAML
composer), and at most ``FRAMEWORK_MAX_NODES`` values once YAML aliases are expanded (billion laughs).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import yaml
from django.conf import settings

from .framework_spec import FrameworkFileError, FrameworkSpec, Path, format_path
from .framework_validation import validate

__all__ = ["FrameworkFileError", "FrameworkSpec", "parse_framework", "read_framework_file"]

MAX_ERRORS = 50
DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # the 2025 instrument is ~220 kB
FRAMEWORK_MAX_DEPTH = 20  # the 2025 instrument nests 5 deep
FRAMEWORK_MAX_NODES = 1_000_000  # values after alias expansion; the 2025 instrument has ~3,300


def max_bytes() -> int:
    return getattr(settings, "KKS_FRAMEWORK_MAX_BYTES", DEFAULT_MAX_BYTES)


def read_framework_file(path: str) -> bytes:
    """The bytes of a framework file, reading at most one byte more than the limit (``parse_framework``
    then refuses an oversized file). Raises FrameworkFileError for anything that is not a readable file."""
    name = os.path.basename(path) or path
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes() + 1)
    except IsADirectoryError:
        raise FrameworkFileError([f"Cannot read {name}: it is a folder, not a framework file"]) from None
    except OSError as exc:
        raise FrameworkFileError([f"Cannot read {name}: {exc.strerror or exc}"]) from None


# --- limits ------------------------------------------------------------------------------------


def _json_depth_error(text: str, source_name: str) -> str | None:
    """Nesting deeper than the limit in JSON text (strings skipped), without recursion."""
    depth, in_string, escaped, line = 0, False, False, 1
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > FRAMEWORK_MAX_DEPTH:
                return f"{source_name} line {line}: nested more than {FRAMEWORK_MAX_DEPTH} levels deep"
        elif char in "]}":
            depth -= 1
    return None


def _yaml_structure_error(text: str, source_name: str) -> str | None:
    """Nesting deeper than the limit, or too many values once aliases are expanded, from the YAML events.

    The event parser keeps its own stack (no recursion), so this runs before the recursive composer.
    Syntax errors are left to the composer, which reports them with their line.
    """
    sizes: list[int] = []  # values counted so far in each open collection
    anchors: list[str | None] = []
    expanded: dict[str, int] = {}  # anchor -> values it stands for
    total = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                if len(sizes) >= FRAMEWORK_MAX_DEPTH:
                    return f"{source_name} line {line}: nested more than {FRAMEWORK_MAX_DEPTH} levels deep"
                sizes.append(1)
                anchors.append(event.anchor)
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                count, anchor = sizes.pop(), anchors.pop()
            elif isinstance(event, yaml.ScalarEvent):
                count, anchor = 1, event.anchor
            elif isinstance(event, yaml.AliasEvent):
                count, anchor = expanded.get(event.anchor, 1), None
            else:
                continue
            if anchor is not None:
                expanded[anchor] = count
            if sizes:
                sizes[-1] += count
            else:
                total += count
            if total + sum(sizes) > FRAMEWORK_MAX_NODES:
                return (
                    f"{source_name} line {line}: more than {FRAMEWORK_MAX_NODES:,} values once aliases are "
                    "expanded (nested YAML aliases?)"
                )
    except yaml.YAMLError:
        return None
    return None


# --- reading -----------------------------------------------------------------------------------


def _index_lines(
    node: yaml.Node | None,
    path: Path,
    lines: dict[Path, int],
    duplicates: list[tuple[Path, int]],
    seen_nodes: set[int] | None = None,
):
    """Record the 1-based line of every node by its path; note duplicate mapping keys.

    A node reached again through a YAML alias is not walked twice (its paths fall back to the
    alias's line), so a file of nested aliases cannot make this walk explode.
    """
    if node is None:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in seen:
                duplicates.append(((*path, key), key_node.start_mark.line + 1))
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*path, key), lines, duplicates, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines, duplicates, seen_nodes)


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def _read(text: str, source_name: str) -> tuple[Any, dict[Path, int], list[str]]:
    """Parse the text; return (data, lines by path, syntax errors)."""
    lines: dict[Path, int] = {}
    duplicates: list[tuple[Path, int]] = []
    is_json = source_name.lower().endswith(".json")
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return None, lines, [f"{source_name} line {exc.lineno}: not valid JSON: {exc.msg}"]
        try:  # JSON is (nearly) YAML: use the YAML marks for line numbers when they can be had
            _data, node = _compose(text)
            _index_lines(node, (), lines, duplicates)
        except yaml.YAMLError:
            lines = {}
    else:
        try:
            data, node = _compose(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f" line {mark.line + 1}" if mark is not None else ""
            problem = " ".join(p for p in (exc.context, exc.problem) if p)
            return None, lines, [f"{source_name}{where}: not valid YAML: {problem}"]
        except yaml.YAMLError as exc:
            return None, lines, [f"{source_name}: not valid YAML: {exc}"]
        _index_lines(node, (), lines, duplicates)
    errors = [f"{source_name} line {line}: {format_path(path)}: duplicate key" for path, line in duplicates]
    return data, lines, errors


# --- entry points ------------------------------------------------------------------------------


def parse_framework(content: bytes | str, *, source_name: str) -> FrameworkSpec:
    """Validate a whole framework file; raise FrameworkFileError naming every problem."""
    source_name = os.path.basename(source_name) or "framework"
    raw = content.encode("utf-8") if isinstance(content, str) else content
    limit = max_bytes()
    if len(raw) > limit:
        raise FrameworkFileError([f"{source_name}: larger than the limit of {limit:,} bytes"])
    checksum = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError([f"{source_name}: not UTF-8 text (byte {exc.start})"]) from None
    if "\x00" in text:
        raise FrameworkFileError([f"{source_name}: binary data (NUL bytes), not a YAML or JSON text file"])
    is_json = source_name.lower().endswith(".json")
    problem = (_json_depth_error if is_json else _yaml_structure_error)(text, source_name)
    if problem is None and is_json:
        problem = _yaml_structure_error(text, source_name)  # JSON is also composed as YAML for line numbers
    if problem:
        raise FrameworkFileError([problem])
    data, lines, errors = _read(text, source_name)
    if data is None and not errors:
        errors = [f"{source_name}: the file is empty"]
    if errors:
        raise FrameworkFileError(errors[:MAX_ERRORS])
    spec, errors = validate(data, source_name=source_name, lines=lines, checksum=checksum)
    if spec is None:
        if len(errors) > MAX_ERRORS:
            errors = [*errors[:MAX_ERRORS], f"... and {len(errors) - MAX_ERRORS} more problems"]
        raise FrameworkFileError(errors)
    return spec
