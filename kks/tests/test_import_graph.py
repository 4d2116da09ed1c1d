"""The apps import one another in one direction only: kks <- forums <- tatanan <- evaluations (docs/architecture.md).

Every .py file of the four apps is parsed with ``ast``; an import anywhere in it (module level or inside a
function) is an arrow from its app to the imported app. Not counted, each for a stated reason:
- the project configuration, which wires every app together: ``kks/settings/``, ``kks/urls.py``, ``kks/celery.py``;
- tests (``*/tests/``): they sit on top of everything they test;
- imports under ``if TYPE_CHECKING:``, which never run (mypy reads annotations across layers).
A lower app may name a model of a higher one only through Django's app registry (``apps.get_model("app", ...)``, as a
ForeignKey string does), and only in the modules of ``REGISTRY_LOOKUPS``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["kks", "forums", "tatanan", "evaluations"]  # each app may import only the apps before it
CONFIG = ("kks/settings/", "kks/urls.py", "kks/celery.py")
# module -> the higher apps whose models it looks up by label, and why
REGISTRY_LOOKUPS = {
    "forums/permissions.py": {"evaluations"},  # the one access policy: scopes of assessments, responses, reports
    "forums/services/accounts.py": {"evaluations"},  # a transfer (mutasi) hands over notifications and report jobs
}

Arrow = tuple[str, str]


def _app_files() -> list[Path]:
    files = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or rel.startswith(CONFIG):
                continue
            files.append(path)
    return files


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import that runs, at any depth, skipping ``if TYPE_CHECKING:`` bodies."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _registry_lookups(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, app label) of ``get_model("label", ...)`` / ``get_model("label.Model")`` calls with a literal label."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name != "get_model" or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, first.value.split(".")[0]))
    return found


def import_graph() -> dict[Arrow, list[str]]:
    """Arrows between apps, each with the ``path:line module`` imports that make it."""
    arrows: dict[Arrow, list[str]] = defaultdict(list)
    for path in _app_files():
        rel = path.relative_to(ROOT).as_posix()
        source = rel.split("/")[0]
        for line, module in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
            target = module.split(".")[0]
            if target in LAYERS and target != source:
                arrows[(source, target)].append(f"{rel}:{line} {module}")
    return dict(arrows)


def find_cycle(arrows: set[Arrow]) -> list[str] | None:
    """One cycle of the directed graph as a list of nodes (first == last), or None."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in arrows:
        graph[source].add(target)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    assert find_cycle({("a", "b"), ("b", "c"), ("c", "a")}) == ["a", "b", "c", "a"]
    assert find_cycle({("a", "b"), ("b", "a"), ("b", "c")}) == ["a", "b", "a"]
    assert find_cycle({("a", "b"), ("b", "c"), ("a", "c")}) is None


def test_imports_inside_functions_count_and_type_checking_ones_do_not():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from evaluations.models import Response\n"
        "def f():\n    from evaluations.models import Assessment\n"
        "import forums.models\n"
    )
    assert _imports(tree) == [(1, "typing"), (5, "evaluations.models"), (6, "forums.models")]


def test_the_graph_sees_the_real_arrows():
    """Not vacuous: the parser finds the arrows every layer is built on."""
    arrows = import_graph()
    for arrow in [("evaluations", "forums"), ("evaluations", "tatanan"), ("tatanan", "forums"), ("forums", "kks")]:
        assert arrow in arrows, arrow
    assert any(entry.startswith("evaluations/services/responses.py:") for entry in arrows[("evaluations", "forums")])


def test_no_import_cycle_between_apps():
    arrows = import_graph()
    cycle = find_cycle(set(arrows))
    if cycle:
        lines = [f"{a} -> {b}: {', '.join(arrows[(a, b)][:5])}" for a, b in pairwise(cycle)]
        raise AssertionError("import cycle " + " -> ".join(cycle) + "\n" + "\n".join(lines))


def test_every_import_points_down_the_layers():
    upward = {
        (source, target): imports
        for (source, target), imports in import_graph().items()
        if LAYERS.index(target) > LAYERS.index(source)
    }
    assert not upward, "\n".join(f"{a} -> {b}: {', '.join(imports)}" for (a, b), imports in upward.items())


def test_higher_models_are_looked_up_only_where_listed():
    unexpected = []
    for path in _app_files():
        rel = path.relative_to(ROOT).as_posix()
        source = rel.split("/")[0]
        for line, label in _registry_lookups(ast.parse(path.read_text(encoding="utf-8"))):
            upward = label in LAYERS and LAYERS.index(label) > LAYERS.index(source)
            if upward and label not in REGISTRY_LOOKUPS.get(rel, set()):
                unexpected.append(f"{rel}:{line} {label}")
    assert not unexpected, unexpected
    # The list holds no stale entries either.
    for rel, labels in REGISTRY_LOOKUPS.items():
        found = {label for _, label in _registry_lookups(ast.parse((ROOT / rel).read_text(encoding="utf-8")))}
        assert labels <= found, (rel, labels - found)
