"""The import graph of ``autograder/``: no cycle, and the student's side never reaches the
instructor's package (``autograder.grading``).

Every ``import`` and ``from ... import`` in a module counts, at module level or inside a
function (a function-level import is still a dependency, only a later one); imports under
``if TYPE_CHECKING:`` do not run and do not count. Relative imports are resolved.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograder"
INSTRUCTOR = "autograder.grading"
# what a student's install runs: ch4 start / student-setup / check / hint / progress, the
# notebooks' own imports (data, seeding, plotting, figures, items' check cells, checks' options)
# and what those need. Written once; every module they import must be student-side too.
STUDENT_SIDE = (
    "autograder.check", "autograder.scoring", "autograder.results", "autograder.progress",
    "autograder.progress_cache", "autograder.workspace", "autograder.jupyter_setup",
    "autograder.hints", "autograder.notebook", "autograder.execute", "autograder.warm",
    "autograder.release",        # ch4 check takes a notebook's public version from it
    "autograder.warmup", "autograder.device", "autograder.data", "autograder.idx",
    "autograder.seeding", "autograder.plotting", "autograder.figures", "autograder.items",
    "autograder.checks",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skipped


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The ``autograder`` modules a module imports (each ``from m import name`` counts as m,
    or m.name when that is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names
                         if f"{base}.{alias.name}" in known)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, known) for p in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a path ``[a, b, ..., a]`` ([] when there is none)."""
    state: dict[str, int] = {}     # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return []


def reaches(graph: dict[str, set[str]], start: str, target: str) -> list[str]:
    """An import chain from ``start`` to a module in package ``target`` ([] when none)."""
    seen, todo = {start}, [[start]]
    while todo:
        chain = todo.pop(0)
        for nxt in sorted(graph.get(chain[-1], ())):
            if nxt == target or nxt.startswith(target + "."):
                return [*chain, nxt]
            if nxt not in seen:
                seen.add(nxt)
                todo.append([*chain, nxt])
    return []


def _student_modules(graph: dict[str, set[str]]) -> list[str]:
    return sorted(m for m in graph if any(m == s or m.startswith(s + ".") for s in STUDENT_SIDE))


GRAPH = import_graph()


def test_the_graph_is_read():
    assert len(GRAPH) > 60
    assert "autograder.items.spec" in GRAPH["autograder.items.compare"]
    assert INSTRUCTOR + ".run" in GRAPH
    assert all(any(m == s or m.startswith(s + ".") for m in GRAPH) for s in STUDENT_SIDE)


def test_autograder_has_no_import_cycle():
    assert find_cycle(GRAPH) == []


@pytest.mark.parametrize("module", _student_modules(GRAPH))
def test_student_side_never_imports_the_instructors_package(module):
    assert reaches(GRAPH, module, INSTRUCTOR) == []


def test_student_side_is_closed():
    """What a student-side module imports is student-side too (else the list above is
    incomplete or the module belongs to the instructor)."""
    student = set(_student_modules(GRAPH))
    outside = {(m, dep) for m in student for dep in GRAPH[m]
               if dep not in student and dep != "autograder"}
    assert outside == set()


def test_the_checks_catch_a_cycle_and_a_forbidden_import():
    """Controls: a planted cycle and a planted instructor import are found."""
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(planted) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []
    chain = reaches({"x": {"y"}, "y": {INSTRUCTOR + ".run"}}, "x", INSTRUCTOR)
    assert chain == ["x", "y", INSTRUCTOR + ".run"]


def test_relative_and_function_level_imports_count(tmp_path):
    package = tmp_path / "autograder"
    (package / "sub").mkdir(parents=True)
    for rel in ("__init__.py", "sub/__init__.py", "sub/one.py", "two.py"):
        (package / rel).write_text("")
    (package / "sub" / "one.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from autograder import two\n"
        "def f():\n    from .. import two\n")
    known = {"autograder", "autograder.sub", "autograder.sub.one", "autograder.two"}
    global PACKAGE
    saved, PACKAGE = PACKAGE, package
    try:
        assert imports_of(package / "sub" / "one.py", known) == {"autograder", "autograder.two"}
    finally:
        PACKAGE = saved
