"""Record results in nbgrader's SQLAlchemy gradebook (SQLite by default, any URL with --db).

Only the parent process writes the gradebook, one submission per transaction. Writing a result
is idempotent (scores are set, never added), so replaying every stored result after a crash
counts nothing twice.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass, fields
from pathlib import Path

from nbgrader.api import (
    Comment,
    Grade,
    Gradebook,
    MissingEntry,
    SubmittedNotebook,
)

from autograder import notebook as nbk
from autograder.grading import db_url
from autograder.grading.db_url import default_url, mask_url, normalize_url  # noqa: F401
from autograder.grading.layout import write_bytes_atomic
from autograder.grading.source_set import notebook_of
from autograder.results import GradeResult


class GradebookError(RuntimeError):
    """The gradebook cannot be opened (one line, password masked)."""


POSTGRES_HINT = "pip install 'ch4-companion[postgres]' (psycopg)"


def url_for(out: Path, given: str | None) -> str:
    """The gradebook URL a command on ``out`` uses (``db_url.resolve``); GradebookError when
    ``given`` names another database than the one ``out`` was graded into."""
    try:
        return db_url.resolve(out, given)
    except db_url.UrlError as exc:
        raise GradebookError(str(exc)) from None


def open_for(out: Path, given: str | None) -> tuple[Gradebook, str]:
    """The gradebook of ``out`` and its URL, recorded in ``out`` once it has opened."""
    url = url_for(out, given)
    gb = open_gradebook(url)
    db_url.remember(out, url)
    return gb, url


def open_gradebook(url: str) -> Gradebook:
    """nbgrader's Gradebook at ``url``; GradebookError (one line, no part of the password)
    when the URL, the driver or the database cannot be used."""
    try:
        db_url.check(url)
    except db_url.UrlError as exc:
        raise GradebookError(str(exc)) from None
    given, url = url, normalize_url(url)
    try:
        _create_if_new(url)
        return Gradebook(url)
    except ModuleNotFoundError as exc:
        hint = POSTGRES_HINT if url.startswith("postgresql") else f"install {exc.name}"
        raise GradebookError(f"the database driver for {mask_url(given)} is missing "
                             f"(no module {exc.name!r}): {hint}") from None
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy/driver errors: say it in one line
        text = db_url.scrub(" ".join(str(exc).split()), given)[:300]
        raise GradebookError(f"cannot open the gradebook {mask_url(given)}: "
                             f"{type(exc).__name__}: {text}{_auth_hint(given, text)}") from None


def _auth_hint(url: str, text: str) -> str:
    """What to do when the server turned the password down (or none was given)."""
    if not url.startswith(("postgres", "mysql")) or "password" not in text.lower():
        return ""
    if db_url.split(url).password is None:
        return f" ({db_url.PASSWORD_HINT})"
    return f" (check the password; {db_url.ENCODING_HINT})"


def _create_if_new(url: str) -> None:
    """Create nbgrader's tables and stamp their migration version, as nbgrader does for a new
    database, but reading the version in this process: nbgrader runs the ``alembic`` command
    for it, a second Python that costs seconds of CPU on every new gradebook."""
    from alembic.script import ScriptDirectory
    from nbgrader import api
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url, future=True)
    try:
        if inspect(engine).get_table_names():
            return
        head = ScriptDirectory(str(Path(api.__file__).parent / "alembic")).get_current_head()
        api.Base.metadata.create_all(bind=engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version "
                              "(version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                         {"v": head})
    finally:
        engine.dispose()


def setup_assignment(gb: Gradebook, assignment: str, sources: dict[str, Path]) -> None:
    """Create the assignment, its notebooks and their cells from the instructor sources."""
    gb.update_or_create_assignment(assignment)
    for name in sorted(sources):
        source = notebook_of(sources, name)
        gb.update_or_create_notebook(name, assignment)
        for cell in source.cells:
            gid = nbk.grade_id(cell)
            if not gid or nbk.is_mark_scheme(cell):   # instructor text, not an item
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
        sub_nb = gb.find_submission_notebook(notebook, assignment, student)
    except MissingEntry:
        sub_nb = SubmittedNotebook(notebook=gb.find_notebook(notebook, assignment),
                                   assignment=submission)
        gb.db.add(sub_nb)
    _complete(sub_nb)
    gb.db.commit()
    return sub_nb


def _complete(sub_nb: SubmittedNotebook) -> None:
    """Give the submitted notebook a grade for every graded/task cell and a comment for every
    answer/task cell, as nbgrader's add_submission does (formgrader saves comments into
    these rows; a notebook or cell added after the first run would otherwise have none)."""
    nb = sub_nb.notebook
    graded = {g.cell_id for g in sub_nb.grades}
    for cell in nb.grade_cells + nb.task_cells:
        if cell.id not in graded:
            Grade(cell_id=cell.id, notebook=sub_nb)
    commented = {c.cell_id for c in sub_nb.comments}
    for cell in nb.solution_cells + nb.task_cells:
        if cell.id not in commented:
            Comment(cell_id=cell.id, notebook=sub_nb)


def record(gb: Gradebook, result: GradeResult) -> None:
    """Write one result's autograded scores (one transaction). A marker's manual score and
    comments are never touched: once an item has a manual score, no rerun (resume, --force, a
    late submission) reopens it for marking."""
    assignment, notebook, student = result.assignment, result.notebook, result.student
    sub_nb = _submission_notebook(gb, assignment, notebook, student)
    # names through the notebook's cells (loaded once per session), not grade.name, which
    # loads each grade's cell with a query of its own
    nb = sub_nb.notebook
    names = {c.id: c.name for c in nb.grade_cells + nb.task_cells}
    grades = {names[g.cell_id]: g for g in sub_nb.grades if g.cell_id in names}
    try:
        for item in result.items:
            grade = grades.get(item.grade_id)
            if grade is None:
                continue
            marked = grade.manual_score is not None
            if item.manual:
                blank = not item.needs_review
                grade.auto_score = 0.0 if blank else None
                grade.needs_manual_grade = not blank and not marked
            else:
                grade.auto_score = float(item.score)
                grade.needs_manual_grade = item.needs_review and not marked
        sub_nb.flagged = bool(result.flags) or bool(result.invalid)
        gb.db.commit()
    except Exception:
        gb.db.rollback()
        raise


@dataclass(frozen=True)
class ExportRow:
    """One student's assignment total, as ``nbgrader export`` gives it (scores_by_student.csv
    and the LMS files are written from these)."""

    assignment: str
    student_id: str
    raw_score: float        # autograded scores, with a marker's score where one was given
    max_score: float        # the whole assignment (every notebook of it)
    needs_manual_grade: bool  # some answer still waits for a marker (see export_rows)


EXPORT_HEADER = [f.name for f in fields(ExportRow)]


def export_rows(gb: Gradebook, assignment: str) -> list[ExportRow]:
    """One row per student who handed in ``assignment``. ``needs_manual_grade`` is true while
    some grade waits for a marker and has no manual score yet (a score entered through the
    Gradebook API without clearing nbgrader's flag counts as marked, as formgrader would)."""
    rows: list[ExportRow] = []
    try:
        gb.find_assignment(assignment)
    except MissingEntry:
        return rows
    for student in sorted(gb.students, key=lambda s: s.id):
        try:
            sub = gb.find_submission(assignment, student.id)
        except MissingEntry:
            continue
        pending = any(g.needs_manual_grade and g.manual_score is None
                      for nb in sub.notebooks for g in nb.grades)
        rows.append(ExportRow(assignment, str(student.id), float(sub.score or 0),
                              float(sub.max_score or 0), pending))
    return rows


def nbgrader_csv(gb: Gradebook, path: Path) -> None:
    """nbgrader's own CSV export (``nbgrader export``'s CsvExportPlugin), written atomically."""
    from nbgrader.plugins.export import CsvExportPlugin

    with tempfile.TemporaryDirectory(prefix="ch4-export-") as scratch:
        made = Path(scratch) / Path(path).name
        CsvExportPlugin(to=str(made)).export(gb)
        write_bytes_atomic(Path(path), made.read_bytes())
