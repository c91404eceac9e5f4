"""The answers to compare: from graded results (``GradeResult``) and the frozen sources of a
``ch4 grade`` output folder, with each answer's own part worked out against the release."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from autograder import notebook as nbk
from autograder.grading.layout import OutputLayout, read_results
from autograder.grading.similarity.model import Answer, SimilarityError
from autograder.grading.similarity.owntext import own_text, without_docstrings
from autograder.grading.source_set import notebook_of


def _parsed(source: Path | NotebookNode) -> NotebookNode:
    return source if isinstance(source, NotebookNode) else nbk.read(source)


def starter_cells(source: Path | NotebookNode) -> dict[str, str]:
    """The released text of every answer cell (what every student was given)."""
    from autograder.release import student_version

    release = student_version(_parsed(source))
    return {nbk.grade_id(c): c.source for c in release.cells
            if nbk.grade_id(c) and nbk.is_solution(c)}


def cell_kinds(source: Path | NotebookNode) -> dict[str, str]:
    """"code" or "text" for every answer cell of a source notebook."""
    nb = _parsed(source)
    return {nbk.grade_id(c): ("code" if c.cell_type == "code" else "text") for c in nb.cells
            if nbk.grade_id(c) and nbk.is_solution(c)}


def answers_of(student: str, notebook: str, cells: dict[str, str], starters: dict[str, str],
               kinds: dict[str, str]) -> list[Answer]:
    """The comparable answer cells of one submission (the student id cell is personal)."""
    out = []
    for cell, text in sorted(cells.items()):
        if cell == "student_id" or not isinstance(text, str):
            continue
        kind = kinds.get(cell) or ("text" if cell.endswith("_free") else "code")
        own = own_text(text, starters.get(cell, ""))
        if kind == "code":
            own = without_docstrings(own)
        out.append(Answer(student, notebook, cell, kind, text, own))
    return out


def from_results(results, sources: dict[str, Path]) -> tuple[list[Answer], list[str]]:
    """Answers of graded results (``GradeResult``: student, notebook, answers, invalid)."""
    skipped: list[str] = []
    release: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    answers: list[Answer] = []
    for r in results:
        if r.notebook not in release:
            try:
                nb = notebook_of(sources, r.notebook) if r.notebook in sources else None
                release[r.notebook] = ((starter_cells(nb), cell_kinds(nb))
                                       if nb is not None else ({}, {}))
            except nbk.NotebookError as exc:
                skipped.append(f"{r.notebook}: source unreadable, starter code not subtracted "
                               f"({exc})")
                release[r.notebook] = ({}, {})
        if r.invalid:
            skipped.append(f"{r.student}/{r.notebook}: not compared, the notebook could not be "
                           f"graded ({r.invalid})")
            continue
        if not r.answers:
            skipped.append(f"{r.student}/{r.notebook}: not compared, no answer cells recorded")
            continue
        answers += answers_of(r.student, r.notebook, r.answers, *release[r.notebook])
    return answers, skipped


def load_results(out: Path) -> tuple[list, dict[str, Path], list[str]]:
    """The graded results and frozen sources stored in a ``ch4 grade`` output folder."""
    from autograder.results import GradeResult

    paths = OutputLayout(out)
    if not paths.root.is_dir():
        raise SimilarityError(f"{out}: no such grading output folder")
    if not paths.results.is_dir():
        raise SimilarityError(f"{out}: not a grading output folder (no results/ inside); "
                              "run ch4 grade first")
    read = read_results(paths)
    results: list[GradeResult] = []
    skipped = [f"{u.path.relative_to(paths.root)}: unreadable result file, skipped "
               f"({u.reason})"[:300] for u in read.unreadable]
    for result in read.results:
        if isinstance(result.answers, dict):
            results.append(result)
        else:
            where = paths.result(result.student, result.notebook).relative_to(paths.root)
            skipped.append(f"{where}: unreadable result file, skipped (answers is not a "
                           "mapping)")
    if not results and not skipped:
        raise SimilarityError(f"{out}: results/ holds no graded submissions")
    return results, paths.frozen_sources(), skipped


