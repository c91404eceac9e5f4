"""Record results in nbgrader's SQLAlchemy gradebook (SQLite by default, any URL with --db).

Only the parent process writes the gradebook, one submission per transaction. Writing a result
is idempotent (scores are set, never added), so replaying every stored result after a crash
counts nothing twice.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

from nbgrader.api import (
    Grade,
    Gradebook,
    MissingEntry,
    SubmittedNotebook,
)

from autograder import notebook as nbk
from autograder.grading.result import GradeResult


def default_url(out: Path) -> str:
    return f"sqlite:///{Path(out).resolve() / 'gradebook.db'}"


def open_gradebook(url: str) -> Gradebook:
    # nbgrader runs the ``alembic`` command when it creates a database: make sure the one
    # installed next to this Python is found even when the venv is not on PATH
    if shutil.which("alembic") is None:
        bindir = str(Path(sys.executable).parent)
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    return Gradebook(url)


def setup_assignment(gb: Gradebook, assignment: str, sources: dict[str, Path]) -> None:
    """Create the assignment, its notebooks and their cells from the instructor sources."""
    gb.update_or_create_assignment(assignment)
    for name, path in sorted(sources.items()):
        source = nbk.read(path)
        gb.update_or_create_notebook(name, assignment)
        for cell in source.cells:
            gid = nbk.grade_id(cell)
            if not gid:
                continue
            points = float(nbk.meta(cell).get("points", 0))
            if nbk.is_task(cell):
                gb.update_or_create_task_cell(gid, name, assignment, max_score=points,
                                              cell_type=cell.cell_type)
                continue
            if nbk.is_grade(cell):
                gb.update_or_create_grade_cell(gid, name, assignment, max_score=points,
                                               cell_type=cell.cell_type)
            if nbk.is_solution(cell):
                gb.update_or_create_solution_cell(gid, name, assignment)


def _submission_notebook(gb: Gradebook, assignment: str, notebook: str,
                         student: str) -> SubmittedNotebook:
    gb.update_or_create_student(student)
    try:
        submission = gb.find_submission(assignment, student)
    except MissingEntry:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbgrader's own autoflush warnings
            submission = gb.add_submission(assignment, student)
    try:
        return gb.find_submission_notebook(notebook, assignment, student)
    except MissingEntry:
        nb = gb.find_notebook(notebook, assignment)
        sub_nb = SubmittedNotebook(notebook=nb, assignment=submission)
        for cell in nb.grade_cells + nb.task_cells:
            Grade(cell_id=cell.id, notebook=sub_nb)
        gb.db.add(sub_nb)
        gb.db.commit()
        return sub_nb


def record(gb: Gradebook, result: GradeResult) -> None:
    """Write one result's scores (one transaction)."""
    assignment, notebook, student = result.assignment, result.notebook, result.student
    sub_nb = _submission_notebook(gb, assignment, notebook, student)
    grades = {g.name: g for g in sub_nb.grades}
    try:
        for item in result.items:
            grade = grades.get(item.grade_id)
            if grade is None:
                continue
            if item.manual:
                blank = not item.needs_review
                grade.auto_score = 0.0 if blank else None
                grade.needs_manual_grade = not blank
            else:
                grade.auto_score = float(item.score)
                grade.needs_manual_grade = item.needs_review
        sub_nb.flagged = bool(result.flags) or bool(result.invalid)
        gb.db.commit()
    except Exception:
        gb.db.rollback()
        raise


def export_rows(gb: Gradebook, assignment: str) -> list[dict]:
    """nbgrader-style export: one row per student and assignment (like ``nbgrader export``)."""
    rows = []
    try:
        gb.find_assignment(assignment)
    except MissingEntry:
        return rows
    for student in sorted(gb.students, key=lambda s: s.id):
        try:
            sub = gb.find_submission(assignment, student.id)
        except MissingEntry:
            continue
        rows.append({"assignment": assignment, "student_id": student.id,
                     "raw_score": sub.score, "max_score": sub.max_score,
                     "needs_manual_grade": sub.needs_manual_grade})
    return rows


def nbgrader_csv(gb: Gradebook, path: Path) -> None:
    """nbgrader's own CSV export (``nbgrader export``'s CsvExportPlugin), written atomically."""
    from nbgrader.plugins.export import CsvExportPlugin

    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    CsvExportPlugin(to=str(tmp)).export(gb)
    tmp.replace(path)
