"""CONTRIBUTING.md's map matches the code: every file, folder and module it names exists.

The map is how a newcomer finds their way in; a renamed or removed module must take its line
in CONTRIBUTING.md with it, or this test names the stale entry.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOP_LEVEL = ("autograder", "tests", "benchmarks", "docs", "solutions", "course", "examples")
PATH_TOKEN = re.compile(r"`((?:" + "|".join(TOP_LEVEL) + r")/[A-Za-z0-9_./*-]*)`")
MODULE_TOKEN = re.compile(r"`(autograder(?:\.[a-z_][a-z0-9_]*)+)`")


def _text() -> str:
    return (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _exists(token: str) -> bool:
    """A path named in the map exists; ``NN`` stands for a notebook number, ``*`` for any."""
    pattern = token.rstrip("/").replace("NN", "[0-9][0-9]")
    if any(ch in pattern for ch in "*["):
        return any(REPO.glob(pattern))
    return (REPO / pattern).exists()


def named_paths() -> list[str]:
    return sorted(set(PATH_TOKEN.findall(_text())))


def named_modules() -> list[str]:
    return sorted(set(MODULE_TOKEN.findall(_text())))


def test_the_map_names_enough_to_be_a_map() -> None:
    assert len(named_paths()) >= 30
    assert len([p for p in named_paths() if p.startswith("autograder/grading")]) >= 8


def test_every_path_in_contributing_exists() -> None:
    missing = [p for p in named_paths() if not _exists(p)]
    assert not missing, f"CONTRIBUTING.md names paths that do not exist: {missing}"


def _find(name: str):
    try:
        return importlib.util.find_spec(name)
    except ModuleNotFoundError:       # a parent is a module, not a package
        return None


def test_every_module_in_contributing_exists() -> None:
    missing = []
    for name in named_modules():
        # a dotted name may end in an attribute (autograder.notebook.write): try the module,
        # then its parent holding the attribute
        if _find(name) is not None:
            continue
        parent, _, attr = name.rpartition(".")
        spec = _find(parent)
        if spec is None or spec.origin is None or not re.search(
                rf"^(def|class|async def) {attr}\b|^{attr}\s*[:=]",
                Path(spec.origin).read_text(encoding="utf-8"), re.M):
            missing.append(name)
    assert not missing, f"CONTRIBUTING.md names modules or names that do not exist: {missing}"


def test_the_checker_catches_a_stale_entry(tmp_path, monkeypatch) -> None:
    """A control: a map naming a module that is gone fails."""
    fake = tmp_path / "CONTRIBUTING.md"
    fake.write_text("see `autograder/grading/no_such_stage.py` and `autograder.no_such`\n")
    monkeypatch.setattr(__import__(__name__), "_text", lambda: fake.read_text())
    assert named_paths() == ["autograder/grading/no_such_stage.py"]
    assert not _exists(named_paths()[0])
    assert _find("autograder.no_such") is None
