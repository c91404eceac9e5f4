"""Grade files an LMS imports: a Canvas gradebook CSV and a Moodle grade-import CSV.

Both are built from the gradebook's export rows (``gradebook.export_rows``: one row per student,
the assignment's score with hand marks where given, out of the whole assignment's maximum).

Canvas ("Gradebook > Import"): the columns ``Student, ID, SIS User ID, SIS Login ID, Section``
then one column per assignment; the second row is ``Points Possible`` with the maximum under the
assignment. Canvas matches a row by its Canvas user ``ID`` or its ``SIS User ID``. A student id
that came from a Canvas submissions download (``<name>_<userid>_<attachment>_<file>`` or
``<name>_LATE_<userid>_...``) gives the Canvas user id; any other id (nbgrader folders, student
numbers) goes to ``SIS User ID``.

Moodle ("Grades > Import > CSV file"): a header row, one row per student, the student identified
by a column the instructor maps ("Map from" ``ID number`` to "Map to" ``ID number``, or the
``Email address`` column to the user's email) and the grade in a column mapped to the grade item.
Moodle's assignment download names files ``<Full name>_<participant>_assignsubmission_file_...``:
the participant number is not a gradebook identifier, so those rows carry the full name and the
participant number for the instructor to check, and the id column stays the student id.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["ID number", "Email address", "Full name", "Participant"]
_HASH = r"(?:-[0-9a-f]{6})?"     # collect.safe_id's suffix when it cleaned a raw id
_CANVAS = re.compile(rf"^(?P<name>.+?)_(?:LATE_)?(?P<user>\d+)_(?P<attachment>\d+){_HASH}$")
_MOODLE = re.compile(rf"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_[a-z]+{_HASH}$")


@dataclass(frozen=True)
class LmsIdentity:
    """Who a student id is in an LMS, as far as the file name tells."""

    student: str                 # the grader's student id
    name: str                    # display name ("" when unknown)
    canvas_user_id: str = ""     # Canvas user id from a Canvas download name
    moodle_participant: str = ""  # Moodle participant number from a Moodle download name


@dataclass(frozen=True)
class ScoreRow:
    """One student's assignment score (from the gradebook export)."""

    student: str
    score: float
    max_score: float
    needs_manual_grade: bool = False


def identify(student: str) -> LmsIdentity:
    """The LMS identity a student id carries (Moodle and Canvas download names)."""
    moodle = _MOODLE.match(student)
    if moodle:
        return LmsIdentity(student, moodle["name"].replace("_", " "),
                           moodle_participant=moodle["participant"])
    canvas = _CANVAS.match(student)
    if canvas:
        return LmsIdentity(student, canvas["name"], canvas_user_id=canvas["user"])
    return LmsIdentity(student, "")


def rows_from_export(export: list[dict]) -> list[ScoreRow]:
    """Typed rows from ``gradebook.export_rows``."""
    return [ScoreRow(str(r["student_id"]), float(r["raw_score"] or 0),
                     float(r["max_score"] or 0), bool(r.get("needs_manual_grade")))
            for r in export]


def _fmt(x: float) -> str:
    return f"{round(x, 2):g}"


def canvas_rows(rows: list[ScoreRow], assignment: str) -> list[list[str]]:
    """The Canvas gradebook import table (header, Points Possible, one row per student)."""
    maximum = max((r.max_score for r in rows), default=0.0)
    table = [CANVAS_HEADER + [assignment],
             ["Points Possible", "", "", "", ""] + [_fmt(maximum)]]
    for r in sorted(rows, key=lambda r: r.student):
        who = identify(r.student)
        sis = "" if who.canvas_user_id else r.student
        table.append([who.name or r.student, who.canvas_user_id, sis, "", "", _fmt(r.score)])
    return table


def moodle_rows(rows: list[ScoreRow], grade_item: str,
                emails: dict[str, str] | None = None) -> list[list[str]]:
    """The Moodle CSV grade import table; ``emails`` maps student id -> email when known."""
    emails = emails or {}
    table = [MOODLE_HEADER + [grade_item]]
    for r in sorted(rows, key=lambda r: r.student):
        who = identify(r.student)
        table.append([r.student, emails.get(r.student, ""), who.name or r.student,
                      who.moodle_participant, _fmt(r.score)])
    return table


def _write(table: list[list[str]], path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    tmp.replace(path)


def write_all(export: list[dict], out: Path, assignment: str) -> None:
    """``canvas_grades.csv`` and ``moodle_grades.csv`` in ``out``."""
    rows = rows_from_export(export)
    _write(canvas_rows(rows, assignment), Path(out) / "canvas_grades.csv")
    _write(moodle_rows(rows, assignment), Path(out) / "moodle_grades.csv")
