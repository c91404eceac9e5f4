"""Generate the student notebooks in ``course/`` from the instructor's ``solutions/``.

The work is done by nbgrader's own generate_assignment preprocessors (clear solutions,
hidden tests and mark schemes, clear outputs, lock cells, compute checksums). On top of that
every code cell from the first exercise on is tagged ``raises-exception`` so that nbval runs
a student notebook up to its first unsolved stub without reporting a failure.

``student_distribution`` writes what students get instead of the whole repository: the
released notebooks, the ``autograder`` package (public probes and public expected values, the
``ch4`` command) and the install files; never ``solutions/``, the test corpora (correct answers),
the example submissions or a grading key. ``--update`` refreshes an earlier distribution in
place (a clone of the students' repository keeps its ``.git``), so students can ``git pull``.

Mark-scheme cells (task cells holding ``### BEGIN MARK SCHEME``, e.g. ``q01_scheme``) are
instructor text, not items: they are left out of every generated notebook (release, grading
harness, public checks); the marker sees them in the course folder's autograded copies.
"""

from __future__ import annotations

import copy
import difflib
import shutil
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import (
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
)

from autograder import notebook as nbk

NBVAL_EXPECT_ERROR = "raises-exception"


def _apply(nb: NotebookNode, preprocessors: list) -> NotebookNode:
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not nbk.is_mark_scheme(c)]
    resources: dict = {}
    for preprocessor in preprocessors:
        nb, resources = preprocessor.preprocess(nb, resources)
    return nb


def _clean_metadata(nb: NotebookNode) -> None:
    """Drop execution leftovers so the release is byte-for-byte reproducible."""
    for cell in nb.cells:
        for key in nbk.RUN_METADATA:
            cell.metadata.pop(key, None)


def _tag_expected_failures(nb: NotebookNode) -> None:
    started = False
    for cell in nb.cells:
        if cell.cell_type == "code" and nbk.is_solution(cell):
            started = True
        if started and cell.cell_type == "code":
            tags = cell.metadata.setdefault("tags", [])
            if NBVAL_EXPECT_ERROR not in tags:
                tags.append(NBVAL_EXPECT_ERROR)


def student_version(source: NotebookNode) -> NotebookNode:
    """The notebook a student receives: no solutions, hidden tests, mark schemes or outputs."""
    nb = _apply(source, [ClearSolutions(), ClearHiddenTests(), ClearMarkScheme(), ClearOutput(),
                         LockCells(), ComputeChecksums()])
    _clean_metadata(nb)
    _tag_expected_failures(nb)
    return nb


def grading_version(source: NotebookNode) -> NotebookNode:
    """The instructor's test harness: solutions cleared, hidden tests kept, outputs cleared."""
    nb = _apply(source, [ClearSolutions(), ClearMarkScheme(), ClearOutput(), LockCells()])
    _clean_metadata(nb)
    return nb


def public_version(source: NotebookNode) -> NotebookNode:
    """A notebook with its hidden tests removed (what ``ch4 check`` runs)."""
    nb = _apply(source, [ClearHiddenTests(), ClearMarkScheme()])
    return nb


@dataclass(frozen=True)
class Drift:
    """A course file that differs from what its solution generates."""

    path: Path
    reason: str
    diff: str = ""


def source_notebooks(solutions: Path) -> list[Path]:
    return sorted(p for p in solutions.glob("*.ipynb") if not p.name.startswith("."))


UNTIDY = ("is not in its committed form (outputs, or another writer's formatting): "
          "`ch4 release` rewrites it")


def release(solutions: Path, course: Path, check: bool = False) -> list[Drift]:
    """Write (or with ``check=True`` only compare) every course notebook; return the drifts.
    The source notebooks are first brought to their committed form (``notebook.tidy_file``),
    so that one saved by Jupyter or nbformat differs from the last commit only where it was
    edited."""
    drifts: list[Drift] = [Drift(src, UNTIDY) for src in source_notebooks(solutions)
                           if not nbk.tidy_file(src, check=check) and check]
    expected: dict[str, str] = {}
    for src in source_notebooks(solutions):
        expected[src.name] = nbk.dumps(student_version(nbk.read(src)))
    if not expected:
        raise nbk.NotebookError(f"{solutions}: no notebooks to release")
    for name, text in expected.items():
        target = course / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if check:
            reason = "missing" if current is None else "differs from what solutions/ generates"
            diff = "" if current is None else "".join(difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), str(target), "expected", n=1))
            drifts.append(Drift(target, reason, diff[:4000]))
        else:
            course.mkdir(parents=True, exist_ok=True)
            nbk.write_text(text, target)
    for extra in sorted(course.glob("*.ipynb")) if course.is_dir() else []:
        if extra.name not in expected:
            if check:
                drifts.append(Drift(extra, "has no source notebook in solutions/"))
            else:
                extra.unlink()
    return drifts


# what a student's copy of the course holds, relative to the repository; nothing else
DISTRIBUTED = ("course", "autograder", "pyproject.toml", "constraints.txt", "environment.yml",
               "README.md", "run.sh")
_LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "grading-key", "*.key", ".*")
DIST_MARKER = ".ch4-student-dist"
# what an install in a clone of the students' repository leaves behind (never committed)
STUDENT_GITIGNORE = ".venv/\n*.egg-info/\n__pycache__/\n.ipynb_checkpoints/\n"


def student_distribution(repo: Path, target: Path, update: bool = False) -> list[Path]:
    """Copy the student's distribution of the course from ``repo`` into ``target`` (which
    must not exist yet); the files written. ``course/`` is regenerated from ``solutions/`` on
    the way, so a stale release never ships. With ``update``, ``target`` may be an earlier
    distribution (e.g. a clone of the students' repository): its distributed files are
    replaced and everything else (``.git``) is left alone."""
    repo, target = Path(repo), Path(target)
    if target.exists() and not update:
        raise FileExistsError(f"{target} already exists: name a new folder (or --update "
                              "an earlier distribution)")
    if update and target.exists() and not (target / DIST_MARKER).is_file():
        raise FileExistsError(f"{target} is not a student distribution made by ch4 release "
                              f"(no {DIST_MARKER}): nothing there is replaced")
    drifts = release(repo / "solutions", repo / "course", check=True)
    if drifts:
        raise nbk.NotebookError(f"course/ is out of date ({len(drifts)} file(s)): run "
                                "`ch4 release` first")
    target.mkdir(parents=True, exist_ok=update)
    (target / DIST_MARKER).write_text("made by `ch4 release --student-dist`: no solutions, "
                                      "no grading key\n", encoding="utf-8")
    (target / ".gitignore").write_text(STUDENT_GITIGNORE, encoding="utf-8")
    for name in DISTRIBUTED:
        source = repo / name
        old = target / name
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        elif old.exists() or old.is_symlink():
            old.unlink()
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=_LEFT_OUT)
        elif source.is_file():
            shutil.copy2(source, target / name)
    ours = {*DISTRIBUTED, DIST_MARKER, ".gitignore"}
    return sorted(p for p in target.rglob("*")
                  if p.is_file() and p.relative_to(target).parts[0] in ours)
