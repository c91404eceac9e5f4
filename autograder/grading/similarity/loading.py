"""The answers to compare: from graded results (``GradeResult``) and the frozen sources of a
``ch4 grade`` output folder, with each answer's own part worked out against the release."""

from __future__ import annotations

import json
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading.similarity.model import Answer, SimilarityError
from autograder.grading.similarity.owntext import own_text, without_docstrings


def starter_cells(source: Path) -> dict[str, str]:
    """The released text of every answer cell (what every student was given)."""
    from autograder.release import student_version

    release = student_version(nbk.read(source))
    return {nbk.grade_id(c): c.source for c in release.cells
            if nbk.grade_id(c) and nbk.is_solution(c)}


def cell_kinds(source: Path) -> dict[str, str]:
    """"code" or "text" for every answer cell of a source notebook."""
    nb = nbk.read(source)
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
            source = sources.get(r.notebook)
            try:
                release[r.notebook] = ((starter_cells(source), cell_kinds(source))
                                       if source else ({}, {}))
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

    out = Path(out)
    if not out.is_dir():
        raise SimilarityError(f"{out}: no such grading output folder")
    folder = out / "results"
    if not folder.is_dir():
        raise SimilarityError(f"{out}: not a grading output folder (no results/ inside); "
                              "run ch4 grade first")
    results, skipped = [], []
    for path in sorted(folder.glob("*/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            result = GradeResult.from_json(data)
            if not isinstance(result.answers, dict):
                raise TypeError("answers is not a mapping")
        except (OSError, ValueError, TypeError, KeyError) as exc:
            skipped.append(f"{path.relative_to(out)}: unreadable result file, skipped "
                           f"({exc})"[:300])
            continue
        results.append(result)
    if not results and not skipped:
        raise SimilarityError(f"{out}: results/ holds no graded submissions")
    sources = {p.stem: p for p in sorted((out / "sources").glob("*.ipynb"))}
    return results, sources, skipped


