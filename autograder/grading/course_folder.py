"""OUT/course/: an nbgrader course folder that formgrader can mark, written by ``ch4 grade``.

Layout (nbgrader's own, so ``jupyter lab`` started in OUT/course shows every submission in
formgrader, and the ``nbgrader`` commands work there):

    nbgrader_config.py                      course id, the gradebook's URL, feedback filter
    source/<assignment>/<nb>.ipynb          the frozen instructor sources of this run
    release/<assignment>/<nb>.ipynb         what students received
    submitted/<student>/<assignment>/       the files as handed in + timestamp.txt
    autograded/<student>/<assignment>/      what the marker sees + timestamp.txt

An autograded copy is the executed notebook (OUT/executed) made fit for a marker: the
student's answers and outputs; test cells as students saw them (never hidden tests) with the
grader's verdict as their output; each mark scheme as a plain markdown cell right after its
answer (marked ``metadata.ch4.mark_scheme_for``, which the config's feedback filter drops);
no probe cells. The submission timestamp in the gradebook is kept equal to timestamp.txt,
which nbgrader requires before it lists a submission as autograded.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.utils import parse_utc

from autograder import notebook as nbk
from autograder.grading import layout
from autograder.grading.layout import OutputLayout, write_bytes_atomic
from autograder.grading.nbgrader_plugins import REOPENED_KEY, SCHEME_KEY
from autograder.grading.reopen import NOTE, Reopened
from autograder.grading.source_set import bytes_of, notebook_of
from autograder.items import probing
from autograder.release import student_version
from autograder.results import GradeResult, ItemResult

FOLDER = layout.COURSE
TIMESTAMP = "timestamp.txt"
CONFIG = """\
# Written by `ch4 grade` (rewritten on every run). Start `jupyter lab` in this folder and open
# Nbgrader > Formgrader to mark the hand-marked answers; scores and comments go to the
# gradebook below, and `ch4 feedback` returns them to students.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course!r}
c.CourseDirectory.db_url = {url!r}{password_note}

# `nbgrader generate_feedback` here leaves out the mark schemes and notes shown to markers
from autograder.grading.nbgrader_plugins import DropMarkerOnlyCells, DropReopenedNotes  # noqa
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [DropMarkerOnlyCells, GetGrades, DropReopenedNotes,
                                    CSSHTMLHeaderPreprocessor]
"""


@dataclass(frozen=True)
class CourseFolder:
    """Where the course folder is and what one write put in it."""

    root: Path
    autograded: int      # autograded notebooks written or refreshed


def formgrader_api(course: Path):
    """nbgrader's ``NbGraderAPI`` configured from the course folder's nbgrader_config.py, as
    formgrader sees it (for scripts that list submissions or enter marks)."""
    import os

    from nbgrader.apps import NbGraderApp
    from nbgrader.apps.api import NbGraderAPI

    here = os.getcwd()
    os.chdir(course)
    try:
        app = NbGraderApp()
        app.load_config_file()
        app.config.CourseDirectory.root = str(course)
        return NbGraderAPI(config=app.config)
    finally:
        os.chdir(here)


def root_of(out: Path) -> Path:
    return OutputLayout(out).course


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` unless it already holds ``data`` (formgrader sees unchanged times)."""
    if path.exists() and path.read_bytes() == data:
        return
    write_bytes_atomic(path, data)


def config_text(course: str, db_url: str) -> str:
    """nbgrader_config.py; a database password is never written (libpq reads PGPASSWORD)."""
    note = ""
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(db_url)
        if parsed.password is not None or parsed.drivername.startswith("postgresql"):
            db_url = parsed._replace(password=None).render_as_string(hide_password=False)
            note = ("\n# the password is not stored here: export PGPASSWORD (or use ~/.pgpass) "
                    "before jupyter lab")
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: written as given
        pass
    return CONFIG.format(course=course, url=db_url, password_note=note)


# ---------------------------------------------------------------- the marker's copy


def scheme_text(cell: dict) -> str:
    """A mark-scheme cell's text without nbgrader's BEGIN/END markers."""
    lines = [ln for ln in cell.get("source", "").splitlines()
             if "### BEGIN MARK SCHEME" not in ln and "### END MARK SCHEME" not in ln]
    return "\n".join(lines).strip()


def schemes_by_answer(source: NotebookNode) -> dict[str, list[str]]:
    """answer grade id -> the mark schemes that follow it in the source (the nearest earlier
    hand-marked cell, else the nearest earlier graded cell)."""
    out: dict[str, list[str]] = {}
    manual = graded = None
    for cell in source.cells:
        gid = nbk.grade_id(cell)
        if nbk.is_mark_scheme(cell):
            owner = manual or graded
            if owner:
                out.setdefault(owner, []).append(scheme_text(cell))
            continue
        if gid and nbk.is_manual(cell):
            manual = gid
        if gid and (nbk.is_grade(cell) or nbk.is_solution(cell)):
            graded = gid
    return out


def scheme_cell(answer: str, text: str) -> NotebookNode:
    quoted = "\n".join(f"> {ln}" if ln else ">" for ln in text.splitlines())
    cell = nbformat.v4.new_markdown_cell(
        f"> **Mark scheme for `{answer}`** (markers only: never in students' feedback)\n>\n"
        + quoted)
    cell.metadata["ch4"] = {SCHEME_KEY: answer}
    cell["id"] = f"{answer}-mark-scheme"[:64]
    return cell


def reopened_cell(entry: Reopened) -> NotebookNode:
    """The marker's note under an answer that changed after it was marked."""
    quoted = "\n".join(f"> {ln}" if ln else ">" for ln in entry.previous_answer.splitlines())
    text = (f"> **{NOTE} `{entry.grade_id}`.** Previous mark: "
            f"**{entry.previous_score:g}/{entry.max_score:g}**"
            + (f"; previous comment: *{entry.previous_comment}*" if entry.previous_comment
               else "")
            + ". The answer is to mark again: enter a score to confirm (markers only)."
            + ("\n>\n> The answer that was marked:\n>\n" + quoted if quoted else ""))
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["ch4"] = {REOPENED_KEY: entry.grade_id}
    cell["id"] = f"{entry.grade_id}-reopened"[:64]
    return cell


def _verdict(item: ItemResult | None) -> str:
    if item is None:
        return "ch4 grade: not graded\n"
    status = "passed" if item.passed else "failed"
    text = f"ch4 grade: {status} ({item.score:g}/{item.max_score:g})"
    if item.message and not item.passed:
        text += f": {item.message}"
    return text + "\n"


@dataclass(frozen=True)
class SourceView:
    """What every marker copy of one notebook takes from its source (computed once)."""

    release: NotebookNode                 # the student release
    public_tests: dict[str, str]          # test cell id -> its source as students saw it
    schemes: dict[str, list[str]]         # answer id -> mark schemes shown after it
    scheme_ids: frozenset[str]            # ids of the mark-scheme cells

    @classmethod
    def of(cls, source: NotebookNode) -> SourceView:
        release = student_version(source)
        return cls(release, {nbk.grade_id(c) or "": c.source for c in release.cells
                             if nbk.is_autograded_test(c)},
                   schemes_by_answer(source),
                   frozenset(nbk.grade_id(c) or "" for c in source.cells
                             if nbk.is_mark_scheme(c)))


def marker_copy(view: SourceView, executed: NotebookNode | None, result: GradeResult,
                reopened: dict[str, Reopened] | None = None) -> NotebookNode:
    """The notebook a marker opens in formgrader (see the module docstring); ``reopened``
    (grade id -> previous mark) puts a note under each answer that changed after marking."""
    reopened = reopened or {}
    public_tests, schemes, scheme_ids = view.public_tests, view.schemes, view.scheme_ids
    base = copy.deepcopy(executed if executed is not None else view.release)
    cells: list = []
    if executed is None:
        why = result.invalid or result.fatal or "no executed notebook was kept"
        cells.append(nbformat.v4.new_markdown_cell(
            f"**This submission could not be graded:** {why}\n\n"
            "Below is the notebook as released (the student's file is in `submitted/`)."))
    for cell in base.cells:
        gid = nbk.grade_id(cell)
        if probing.is_probe_cell(cell) or gid in scheme_ids:
            continue
        if nbk.is_autograded_test(cell):
            cell.source = public_tests.get(gid, "")
            cell.outputs = [nbformat.v4.new_output(
                "stream", name="stdout", text=_verdict(result.item(gid or "")))]
        cells.append(cell)
        if gid in reopened:
            cells.append(reopened_cell(reopened[gid]))
        for text in schemes.get(gid or "", []):
            cells.append(scheme_cell(gid, text))
    base.cells = cells
    return base


# ---------------------------------------------------------------- the folder


def _timestamp_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def _submitted(folder: Path, results: list[GradeResult], files: dict[str, Path]) -> str:
    """Copy one student's files into submitted/; return the submission's timestamp, kept
    while the files are unchanged and renewed when any file is new or different."""
    changed = False
    for r in results:
        handed_in = files.get(f"{r.student}/{r.notebook}", Path(r.submission))
        try:
            data = handed_in.read_bytes()
        except OSError:
            data = b""
        target = folder / f"{r.notebook}.ipynb"
        if not target.exists() or target.read_bytes() != data:
            changed = True
            _write_bytes(target, data)
    stamp = folder / TIMESTAMP
    if changed or not stamp.exists():
        _write_text(stamp, _timestamp_now())
    return stamp.read_text(encoding="utf-8").strip()


def _sync_timestamp(gb: Gradebook, assignment: str, student: str, stamp: str) -> None:
    try:
        sub = gb.find_submission(assignment, student)
    except MissingEntry:
        return
    when = parse_utc(stamp)
    if sub.timestamp != when:
        sub.timestamp = when
        gb.db.commit()


def write(out: Path, assignment: str, sources: dict[str, Path], results: list[GradeResult],
          gb: Gradebook, db_url: str, files: dict[str, Path] | None = None,
          reopened: dict[str, Reopened] | None = None) -> CourseFolder:
    """Write or update OUT/course for these results (all recorded in ``gb`` already);
    ``files`` maps "student/notebook" to the file handed in this run (default: the path
    stored in the result); ``reopened`` (reopen.apply's answer) adds the previous marks."""
    notes: dict[tuple[str, str], dict[str, Reopened]] = {}
    for entry in (reopened or {}).values():
        if entry.assignment == assignment:
            notes.setdefault((entry.student, entry.notebook), {})[entry.grade_id] = entry
    root = root_of(out)
    _write_text(root / "nbgrader_config.py", config_text(assignment, db_url))
    views = {name: SourceView.of(notebook_of(sources, name)) for name in sources}
    for name in sources:
        _write_bytes(root / "source" / assignment / f"{name}.ipynb", bytes_of(sources, name))
        _write_text(root / "release" / assignment / f"{name}.ipynb",
                    nbk.dumps(views[name].release))
    by_student: dict[str, list[GradeResult]] = {}
    for r in results:
        if r.notebook in views:
            by_student.setdefault(r.student, []).append(r)
    written = 0
    for student, mine in sorted(by_student.items()):
        stamp = _submitted(root / "submitted" / student / assignment, mine, files or {})
        _sync_timestamp(gb, assignment, student, stamp)
        graded = root / "autograded" / student / assignment
        for r in mine:
            executed_path = OutputLayout(out).executed_notebook(student, r.notebook)
            try:
                executed = nbk.read(executed_path) if executed_path.exists() else None
            except nbk.NotebookError:
                executed = None
            copy_nb = marker_copy(views[r.notebook], executed, r,
                                  notes.get((r.student, r.notebook)))
            _write_text(graded / f"{r.notebook}.ipynb", nbk.dumps(copy_nb))
            written += 1
        _write_text(graded / TIMESTAMP, stamp)
    return CourseFolder(root, written)


def remove(out: Path) -> None:
    """Delete the course folder (tests; the gradebook is not touched)."""
    shutil.rmtree(root_of(out), ignore_errors=True)
