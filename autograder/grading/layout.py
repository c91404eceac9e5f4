"""The output folder of ``ch4 grade`` (OUT): every path in it, and the one way to write there.

Every other module asks an ``OutputLayout`` for a path under OUT instead of spelling it, so
the folder's shape is written down once (``tests/test_layout.py`` fails on a file name of
OUT spelled anywhere else in ``autograder/``).

Every file of OUT is written through ``write_atomic`` (or one of its typed front ends): to a
temporary file in the same folder, flushed to disk, then renamed over the target, so a reader
(an instructor opening grades.csv, a rerun reading results/) sees the previous complete
version or the new complete one, never half a file. A failed write leaves no temporary file.

Reading results/ also lives here (``read_results``): one policy for a result file that cannot
be read (it is left out and named in ``ResultsRead.unreadable``; each caller says what that
means for it).
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.results import GradeResult

# Names of the files and folders directly under OUT.
RESULTS = "results"                   # <student>/<notebook>.json: one GradeResult each
EXECUTED = "executed"                 # <student>/<notebook>.ipynb: the run, probes removed
SOURCES = "sources"                   # the frozen source notebooks of the runs
EXTRACTED = "extracted"               # submissions unpacked from zips by the intake
REFERENCE = "reference"               # <notebook>.json: the reference solution's outcomes
FEEDBACK = "feedback"                 # <student>/<notebook>.html: the students' pages
RETURNS = "returns"                   # ``ch4 feedback``: pages and zips to hand back
COURSE = "course"                     # the nbgrader course folder (formgrader)
SIMILARITY = "similarity"             # side-by-side pages and pairs.json
GRADES_CSV = "grades.csv"
ITEMS_CSV = "items.csv"
SCORES_CSV = "scores_by_student.csv"
INTAKE_CSV = "intake.csv"
REPORT_HTML = "report.html"
NBGRADER_EXPORT_CSV = "nbgrader_export.csv"
SIMILARITY_CSV = "similarity.csv"
PAIRS_JSON = "pairs.json"             # in similarity/
MARKED_ANSWERS_JSON = "marked_answers.json"
GRADEBOOK_URL = "gradebook-url"
GRADEBOOK_DB = "gradebook.db"
COURSE_TOML = "ch4-course.toml"
SKIPPED_JSON = "skipped.json"
SUBMISSION_TIMES_JSON = "submission_times.json"
CANVAS_CSV = "canvas_grades.csv"
MOODLE_CSV = "moodle_grades.csv"
MOODLE_WORKSHEET_CSV = "moodle_worksheet_{assignment}.csv"
MOODLE_EMAILS_CSV = "moodle_emails.csv"
LMS_IDENTITIES_JSON = "lms_identities.json"
GRADING_KEY = "grading-key"           # the run's grading key, unless one is given (secret.py)

NAMES = (RESULTS, EXECUTED, SOURCES, EXTRACTED, REFERENCE, FEEDBACK, RETURNS, SIMILARITY,
         GRADES_CSV, ITEMS_CSV, SCORES_CSV, INTAKE_CSV, REPORT_HTML, NBGRADER_EXPORT_CSV,
         SIMILARITY_CSV, PAIRS_JSON, MARKED_ANSWERS_JSON, GRADEBOOK_URL, GRADEBOOK_DB,
         COURSE_TOML, SKIPPED_JSON, SUBMISSION_TIMES_JSON, CANVAS_CSV, MOODLE_CSV,
         MOODLE_WORKSHEET_CSV, MOODLE_EMAILS_CSV, LMS_IDENTITIES_JSON, GRADING_KEY)
"""Every name above that only OUT uses (``tests/test_layout.py`` looks for them elsewhere;
``course`` is an ordinary word and folder name outside OUT too)."""


@dataclass(frozen=True)
class OutputLayout:
    """The paths of one output folder; it creates nothing until something is written."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    # per submission
    @property
    def results(self) -> Path:
        return self.root / RESULTS

    def result(self, student: str, notebook: str) -> Path:
        return self.results / student / f"{notebook}.json"

    @property
    def executed(self) -> Path:
        return self.root / EXECUTED

    def executed_notebook(self, student: str, notebook: str) -> Path:
        return self.executed / student / f"{notebook}.ipynb"

    @property
    def feedback(self) -> Path:
        return self.root / FEEDBACK

    def feedback_page(self, student: str, notebook: str) -> Path:
        return self.feedback / student / f"{notebook}.html"

    # inputs kept by the runs
    @property
    def sources(self) -> Path:
        return self.root / SOURCES

    def frozen_sources(self) -> dict[str, Path]:
        """The source notebooks frozen in OUT by the runs, by name."""
        return {p.stem: p for p in sorted(self.sources.glob("*.ipynb"))}

    @property
    def extracted(self) -> Path:
        return self.root / EXTRACTED

    @property
    def reference(self) -> Path:
        return self.root / REFERENCE

    @property
    def course(self) -> Path:
        return self.root / COURSE

    def course_submitted(self, student: str, assignment: str) -> Path:
        """The course folder's copy of a student's assignment (nbgrader's submitted/)."""
        return self.course / "submitted" / student / assignment

    @property
    def returns(self) -> Path:
        return self.root / RETURNS

    # class tables and pages
    @property
    def grades_csv(self) -> Path:
        return self.root / GRADES_CSV

    @property
    def items_csv(self) -> Path:
        return self.root / ITEMS_CSV

    @property
    def scores_csv(self) -> Path:
        return self.root / SCORES_CSV

    @property
    def intake_csv(self) -> Path:
        return self.root / INTAKE_CSV

    @property
    def report_html(self) -> Path:
        return self.root / REPORT_HTML

    @property
    def nbgrader_export_csv(self) -> Path:
        return self.root / NBGRADER_EXPORT_CSV

    @property
    def similarity(self) -> Path:
        return self.root / SIMILARITY

    @property
    def similarity_csv(self) -> Path:
        return self.root / SIMILARITY_CSV

    @property
    def pairs_json(self) -> Path:
        return self.similarity / PAIRS_JSON

    # the term's records
    @property
    def marked_answers_json(self) -> Path:
        return self.root / MARKED_ANSWERS_JSON

    @property
    def gradebook_url(self) -> Path:
        return self.root / GRADEBOOK_URL

    @property
    def gradebook_db(self) -> Path:
        return self.root / GRADEBOOK_DB

    @property
    def course_toml(self) -> Path:
        return self.root / COURSE_TOML

    @property
    def skipped_json(self) -> Path:
        return self.root / SKIPPED_JSON

    @property
    def submission_times_json(self) -> Path:
        return self.root / SUBMISSION_TIMES_JSON

    # the LMS files
    @property
    def canvas_csv(self) -> Path:
        return self.root / CANVAS_CSV

    @property
    def moodle_csv(self) -> Path:
        return self.root / MOODLE_CSV

    def moodle_worksheet_csv(self, assignment: str) -> Path:
        return self.root / MOODLE_WORKSHEET_CSV.format(assignment=assignment)

    @property
    def moodle_emails_csv(self) -> Path:
        return self.root / MOODLE_EMAILS_CSV

    @property
    def lms_identities_json(self) -> Path:
        return self.root / LMS_IDENTITIES_JSON

    @property
    def grading_key(self) -> Path:
        return self.root / GRADING_KEY


def layout_of(out: Path | OutputLayout) -> OutputLayout:
    """``out`` as a layout (a layout is returned as it is)."""
    return out if isinstance(out, OutputLayout) else OutputLayout(Path(out))


# --- the one writer -------------------------------------------------------------------------

def write_atomic(path: Path, fill: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` complete or not at all: ``fill`` writes the bytes into a temporary file
    beside it, which is flushed to disk and renamed over ``path``; its folder is made when
    missing, and the temporary file never outlives a failure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_atomic(path, lambda handle: handle.write(data))


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, data: object, indent: int = 1, sort_keys: bool = True,
                      ensure_ascii: bool = True) -> None:
    write_text_atomic(path, json.dumps(data, indent=indent, sort_keys=sort_keys,
                                       ensure_ascii=ensure_ascii))


def write_table_atomic(path: Path, table: Iterable[Sequence[object]]) -> None:
    """Write rows of cells (a header row included, if any) as a CSV file."""
    def fill(handle: IO[bytes]) -> None:
        import io

        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        csv.writer(text).writerows(table)
        text.flush()
        text.detach()

    write_atomic(path, fill)


def write_rows_atomic(path: Path, header: Sequence[str],
                      rows: Iterable[Mapping[str, object]]) -> None:
    """Write records under ``header`` (a missing key is an empty cell; a key the header does
    not name is a programming error, refused before anything is written)."""
    columns = list(header)
    known = set(columns)
    table: list[list[object]] = [columns]
    for n, row in enumerate(rows, 1):
        extra = sorted(set(row) - known)
        if extra:
            raise ValueError(f"{Path(path).name}: row {n} has columns the header does not "
                             f"name: {', '.join(extra)}")
        table.append([row.get(c, "") for c in columns])
    write_table_atomic(path, table)


def write_zip_atomic(path: Path, members: Iterable[tuple[str, Path]]) -> None:
    """Write a zip of ``members`` (name inside the zip, file to store)."""
    def fill(handle: IO[bytes]) -> None:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, source in members:
                zf.write(source, name)

    write_atomic(path, fill)


# --- the one reader of results/ -------------------------------------------------------------

@dataclass(frozen=True)
class Unreadable:
    """A result file that could not be read, and why."""

    path: Path
    reason: str


@dataclass
class ResultsRead:
    """What results/ holds: the readable results, and the files that were not."""

    results: list[GradeResult] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


def result_key(path: Path) -> str:
    """``student/notebook`` of a result file's path."""
    return f"{path.parent.name}/{path.stem}"


def read_result(path: Path) -> GradeResult:
    """One result file (raises ``ResultUnreadable`` with the reason)."""
    from autograder.results import GradeResult

    try:
        return GradeResult.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ResultUnreadable(str(exc)) from exc


class ResultUnreadable(ValueError):
    """A result file that is missing, not JSON, or not a result."""


def read_results(out: Path | OutputLayout, skip: Iterable[str] = ()) -> ResultsRead:
    """Every result file under results/ in name order, except the ``student/notebook`` keys
    in ``skip``; an unreadable file is left out and listed."""
    leave = set(skip)
    read = ResultsRead()
    for path in sorted(layout_of(out).results.glob("*/*.json")):
        if result_key(path) in leave:
            continue
        try:
            read.results.append(read_result(path))
        except ResultUnreadable as exc:
            read.unreadable.append(Unreadable(path, str(exc)))
    return read
