"""A tiny graded class for the course-folder, feedback and browser tests, graded once per run.

The class (tests/fixtures/grading, the ``tiny`` spec): alice solves everything and writes the
hand-marked answer ``q01_free``, bob hands in the untouched release (his written answer is
blank), carol's file is not valid JSON. The first caller grades it with ``ch4 grade``'s
``grade_class``; every caller gets its own copy of OUT, re-graded (a resume: nothing is run
again) so that the copy's course folder points at the copy's gradebook.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from harness import sandbox_ok

from autograder import notebook as nbk
from autograder.grading.run import ClassRun, Settings, grade_class
from autograder.grading.sandbox import Limits

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "grading" / "solutions"
SOURCE = FIXTURE / "01_tiny.ipynb"
LIMITS = Limits(memory_mb=3072, processes=128, file_size_mb=16, cell_timeout=20,
                notebook_timeout=60, grace_s=3)
ALICE_TEXT = "A smooth loss moves a little when the weights move a little, so SGD can follow it."

_spec = importlib.util.spec_from_file_location("make_submissions",
                                               REPO / "examples" / "make_submissions.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

_PRISTINE: list[tuple[Path, Path]] = []


def write_submission(subs: Path, student: str, answers: dict[str, str] | None = None,
                     free_text: str = "", text: str | None = None) -> Path:
    """One student's 01_tiny in nbgrader's submitted/ layout."""
    path = subs / "submitted" / student / "ch4" / "01_tiny.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is not None:
        path.write_text(text)
        return path
    nb = make.fill(nbk.read(SOURCE), answers or {})
    for cell in nb.cells:
        if nbk.grade_id(cell) == "q01_free" and free_text:
            cell.source = free_text
    nbk.write(nb, path)
    return path


def grade(subs: Path, out: Path, **kw) -> ClassRun:
    settings = Settings(subs, FIXTURE, out, "ch4", 2, LIMITS, None, (), sandbox_ok(),
                        quiet=True, **kw)
    return grade_class(settings)


def graded_copy(tmp_path_factory) -> tuple[Path, Path, ClassRun]:
    """(submissions, OUT, outcome of the re-grade) in a fresh folder of the caller's."""
    if not _PRISTINE:
        root = tmp_path_factory.mktemp("tiny-class")
        subs = root / "subs"
        write_submission(subs, "alice", make.answer_cells(nbk.read(SOURCE)), ALICE_TEXT)
        write_submission(subs, "bob")
        write_submission(subs, "carol", text='{"cells": [')
        grade(subs, root / "out")
        _PRISTINE.append((subs, root / "out"))
    subs, pristine = _PRISTINE[0]
    mine = tmp_path_factory.mktemp("graded")
    shutil.copytree(subs, mine / "subs")
    shutil.copytree(pristine, mine / "out",
                    ignore=shutil.ignore_patterns("course", "returns", "extracted"))
    outcome = grade(mine / "subs", mine / "out")
    return mine / "subs", mine / "out", outcome
