"""The LMS files: who each student is in Canvas and Moodle, and writing the grade files.

Identities come from the download names the intake read (``remember_submissions``,
OUT/lms_identities.json): a Canvas download (``<name>_<userid>_<attachment>_<file>`` or
``<name>_LATE_<userid>_...``) gives the Canvas user id and the attachment id of each notebook
(for the feedback zip Canvas's re-upload matches); a Moodle download
(``<Full name>_<participant>_assignsubmission_file_...``) gives the full name and participant
number (the worksheet's ``Participant N``). The instructor's roster (``--moodle-emails FILE``:
``student,email`` and optionally ``id_number``, kept in OUT as moodle_emails.csv for later runs)
gives the emails and ID numbers Moodle's gradebook import matches.

Files written in OUT (formats in ``lms_tables``, fixtures in tests/fixtures/lms/):
``canvas_grades.csv`` (Canvas Gradebook import, one column per assignment),
``moodle_grades.csv`` (Moodle gradebook import, only students with an email or ID number and
final grades), ``moodle_worksheet_<assignment>.csv`` (Moodle's offline grading worksheet, one
per assignment, for students from a Moodle download). ``ch4 feedback`` also writes the Canvas
feedback zip (``canvas_feedback_zip``).

Marking pending: a grade cell is empty while something is still to mark (both importers skip
an empty cell in those files, and the Moodle gradebook import leaves the student out) unless
partial scores are asked for (``--lms-partial``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.grading import layout, lms_tables
from autograder.grading.collect import CANVAS_PREFIX
from autograder.grading.layout import (
    OutputLayout,
    write_json_atomic,
    write_table_atomic,
    write_zip_atomic,
)
from autograder.grading.lms_tables import DuplicateRowError, Person
from autograder.term.definition import Assignment, CourseDefinition
from autograder.term.standing import AssignmentGrade

if TYPE_CHECKING:
    from autograder.grading.gradebook import ExportRow

CANVAS_HEADER = lms_tables.CANVAS_HEADER
CANVAS_FILE = layout.CANVAS_CSV
MOODLE_FILE = layout.MOODLE_CSV
EMAILS_HEADER = ("student", "email")
ROSTER_COLUMNS = ("student", "email", "id_number")
_HASH = r"(?:-[0-9a-f]{6})?"     # collect.safe_id's suffix when it cleaned a raw id
_MOODLE = re.compile(rf"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_[a-z]+{_HASH}$")
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
# Canvas names a download "<name>_[LATE_]<user id>_<attachment id>_<the student's file name>"
# and reads the FIRST two numbers back (its re-upload does): the student's own file name comes
# after them and may hold numbers of its own ("x_555_1_01_tiny.ipynb")
class LmsError(ValueError):
    """An LMS option cannot be used (one line naming the file and what is wrong)."""


@dataclass(frozen=True)
class LmsOptions:
    """How the LMS files are written: partial scores or blanks while marking is pending, and
    the roster for Moodle (student id -> email, student id -> ID number)."""

    partial: bool = False
    emails: Mapping[str, str] = field(default_factory=dict)
    id_numbers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LmsWritten:
    """What the LMS files hold that the instructor should know about."""

    pending: tuple[str, ...] = ()      # students with answers still to mark
    partial: bool = False              # True: their partial scores were written anyway
    without_email: tuple[str, ...] = ()  # students the roster does not list (if given)
    worksheets: tuple[Path, ...] = ()  # the Moodle offline grading worksheets written
    moodle_rows: int = 0               # students in moodle_grades.csv
    no_roster: bool = False            # True: no emails or ID numbers, moodle_grades.csv empty

    def notes(self) -> list[str]:
        """The lines a command prints after writing the files."""
        lines = []
        if self.pending and self.partial:
            lines.append(f"{len(self.pending)} students have PARTIAL scores in {CANVAS_FILE}/"
                         f"{MOODLE_FILE} (--lms-partial): hand marking still to do")
        elif self.pending:
            lines.append(f"{len(self.pending)} students left blank in {CANVAS_FILE}/"
                         f"{MOODLE_FILE}: hand marking still to do")
        if self.no_roster:
            lines.append(f"{MOODLE_FILE} has no rows: Moodle's gradebook import needs an email "
                         f"or ID number per student (--moodle-emails FILE; the grading "
                         f"worksheet downloaded from Moodle works as it is)")
        if self.without_email:
            lines.append(f"{len(self.without_email)} students have no email in the "
                         f"--moodle-emails file: {', '.join(self.without_email[:5])}"
                         + (" ..." if len(self.without_email) > 5 else ""))
        return lines


@dataclass(frozen=True)
class LmsIdentity:
    """Who a student id is in an LMS, as far as the file names tell."""

    student: str                 # the grader's student id
    name: str                    # display name ("" when unknown)
    canvas_user_id: str = ""     # Canvas user id from a Canvas download name
    moodle_participant: str = ""  # Moodle participant number from a Moodle download name
    canvas_attachments: tuple[tuple[str, str], ...] = ()  # (notebook, Canvas attachment id)

    def attachment(self, notebook: str) -> str:
        """The Canvas attachment id of ``notebook`` (else of any notebook; "" when none)."""
        found = dict(self.canvas_attachments)
        return found.get(notebook) or next(iter(found.values()), "")


def identify(student: str, known: Mapping[str, LmsIdentity] | None = None) -> LmsIdentity:
    """The LMS identity of a student id: what the intake read from the file names (``known``,
    see ``save_identities``), else what the id itself carries (a Moodle download name only: a
    Canvas identity needs the file name)."""
    if known and student in known:
        return known[student]
    return _from_name(student, student, cleaned=True)


def _from_name(student: str, name: str, cleaned: bool, notebook: str = "") -> LmsIdentity:
    """``name``: a raw file-name prefix, or (``cleaned``) a student id made from one. A Canvas
    identity needs the raw prefix: a student id drops the attachment id, and then looks like
    any id with a number in it."""
    moodle = _MOODLE.match(name)
    if moodle:
        full = moodle["name"].replace("_", " ") if cleaned else moodle["name"]
        return LmsIdentity(student, full, moodle_participant=moodle["participant"])
    canvas = None if cleaned else CANVAS_PREFIX.match(name)
    if canvas:
        attached = ((notebook, canvas["attachment"]),) if notebook else ()
        return LmsIdentity(student, canvas["name"], canvas_user_id=canvas["user"],
                           canvas_attachments=attached)
    return LmsIdentity(student, "")


def save_identities(lms_names: Mapping[str, str], out: Path) -> None:
    """Remember the LMS identity of every student whose file name is an LMS download name
    (``lms_names``: student id -> the file name's student part)."""
    remember_submissions(((s, "", name) for s, name in lms_names.items()), out)


def remember_submissions(entries: Iterable[tuple[str, str, str]], out: Path) -> None:
    """Remember, in ``out``, who each student is in the LMS from the download names the intake
    read (``entries``: student id, notebook, the file name's student part). The file name is
    the only unambiguous source: the student id drops Canvas's per-file attachment id, which
    Canvas's feedback re-upload needs."""
    known = load_identities(out)
    for student, notebook, name in entries:
        who = _from_name(student, name, cleaned=False, notebook=notebook)
        if not (who.canvas_user_id or who.moodle_participant):
            continue
        before = known.get(student)
        if before is not None and before.canvas_user_id == who.canvas_user_id:
            merged = dict(before.canvas_attachments) | dict(who.canvas_attachments)
            who = LmsIdentity(student, who.name, who.canvas_user_id, who.moodle_participant,
                              tuple(sorted(merged.items())))
        known[student] = who
    write_json_atomic(OutputLayout(out).lms_identities_json,
                      {k: asdict(v) for k, v in known.items()}, ensure_ascii=False)


def load_identities(out: Path) -> dict[str, LmsIdentity]:
    """What ``remember_submissions`` wrote ({} when nothing, or the file is unreadable)."""
    try:
        data = json.loads(OutputLayout(out).lms_identities_json.read_text(encoding="utf-8"))
        known = {}
        for student, fields_ in data.items():
            pairs = tuple((str(n), str(a)) for n, a in fields_.pop("canvas_attachments", []))
            known[student] = LmsIdentity(**fields_, canvas_attachments=pairs)
        return known
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


@dataclass(frozen=True)
class Roster:
    """The instructor's roster for Moodle: student id -> email and -> ID number."""

    emails: Mapping[str, str]
    id_numbers: Mapping[str, str]


def read_emails(path: Path) -> dict[str, str]:
    """student id -> email from the roster file (see ``read_roster``)."""
    return dict(read_roster(path).emails)


def _roster_text(path: Path) -> list[list[str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LmsError(f"{path}: no such emails file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LmsError(f"{path}: cannot read the emails file ({exc})") from None
    return list(csv.reader(text.splitlines()))


def _from_worksheet(path: Path, rows: list[list[str]]) -> Roster:
    """The emails (and ID numbers, when the site shows them) of a grading worksheet downloaded
    from the Moodle assignment, keyed ``Participant N`` (matched to the students of Moodle
    download names): no hand-built file needed."""
    header = [c.strip().lower() for c in rows[0]]
    where = {name: header.index(name) for name in ("identifier", "email address", "id number")
             if name in header}
    emails: dict[str, str] = {}
    ids: dict[str, str] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        key = row[where["identifier"]].strip() if len(row) > where["identifier"] else ""
        if not re.fullmatch(r"Participant [1-9][0-9]*", key):
            raise LmsError(f"{path}, line {line}: {key!r} is not a Moodle 'Participant N'")
        email = row[where["email address"]].strip()
        if email and _EMAIL.match(email):
            emails[key] = email
        if "id number" in where and row[where["id number"]].strip():
            ids[key] = row[where["id number"]].strip()
    return Roster(emails, ids)


def read_roster(path: Path) -> Roster:
    """A CSV with the header ``student,email`` or ``student,email,id_number`` (an email or an
    ID number may be empty, not both), or a grading worksheet downloaded from Moodle; LmsError
    naming the line otherwise."""
    rows = _roster_text(path)
    header = tuple(c.strip().lower() for c in rows[0]) if rows else ()
    if {"identifier", "email address"} <= set(header):
        return _from_worksheet(path, rows)
    if header not in (EMAILS_HEADER, ROSTER_COLUMNS):
        raise LmsError(f"{path}: the first line must be the header 'student,email' "
                       f"(found {','.join(rows[0]) if rows else 'an empty file'!r}); "
                       f"a third column 'id_number' may follow")
    emails: dict[str, str] = {}
    ids: dict[str, str] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise LmsError(f"{path}, line {line}: expected {len(header)} columns "
                           f"({','.join(header)}), found {len(row)}")
        student, email = row[0].strip(), row[1].strip()
        number = row[2].strip() if len(row) > 2 else ""
        if not student:
            raise LmsError(f"{path}, line {line}: empty student id")
        if (email or not number) and not _EMAIL.match(email):
            raise LmsError(f"{path}, line {line}: {email!r} is not an email address")
        if student in emails or student in ids:
            raise LmsError(f"{path}, line {line}: student {student!r} is listed twice")
        if email:
            emails[student] = email
        if number:
            ids[student] = number
    return Roster(emails, ids)


def people(students: Iterable[str], known: Mapping[str, LmsIdentity],
           options: LmsOptions) -> dict[str, Person]:
    """Everything the LMS files know about each student."""
    out = {}
    for student in students:
        who = identify(student, known)
        keys = [student] + ([f"Participant {who.moodle_participant}"]
                            if who.moodle_participant else [])
        email = next((options.emails[k] for k in keys if k in options.emails), "")
        number = next((options.id_numbers[k] for k in keys if k in options.id_numbers), "")
        out[student] = Person(student, who.name or student, who.canvas_user_id,
                              who.moodle_participant, email, number)
    return out


def _kept_roster(out: Path, options: LmsOptions) -> LmsOptions:
    """Keep the roster given in OUT; without one, use the kept copy."""
    kept = OutputLayout(out).moodle_emails_csv
    if options.emails or options.id_numbers:
        students = sorted(set(options.emails) | set(options.id_numbers))
        if options.id_numbers:
            write_table_atomic(kept, [ROSTER_COLUMNS, *[
                (s, options.emails.get(s, ""), options.id_numbers.get(s, ""))
                for s in students]])
        else:
            write_table_atomic(kept, [EMAILS_HEADER, *sorted(options.emails.items())])
        return options
    if kept.is_file():
        roster = read_roster(kept)
        return LmsOptions(options.partial, roster.emails, roster.id_numbers)
    return options


def write_term(grades: Sequence[AssignmentGrade], definition: CourseDefinition, out: Path,
               options: LmsOptions | None = None, now: datetime | None = None) -> LmsWritten:
    """Every LMS file of the term in ``out`` from the students' grades; says who is pending.
    DuplicateRowError (an LmsError) when two students would be one LMS user."""
    options = _kept_roster(out, options or LmsOptions())
    students = sorted({g.student for g in grades})
    who = people(students, load_identities(out), options)
    paths = OutputLayout(out)
    try:
        write_table_atomic(paths.canvas_csv,
                           lms_tables.canvas(grades, definition, who, options.partial))
        moodle = lms_tables.moodle_gradebook(grades, definition, who)
        write_table_atomic(paths.moodle_csv, moodle.table)
        sheets = []
        for a in lms_tables.in_play(grades, definition):
            table = lms_tables.worksheet(grades, a, who, now or datetime.now(UTC),
                                         options.partial)
            if len(table) > 1:
                sheets.append(paths.moodle_worksheet_csv(a.name))
                write_table_atomic(sheets[-1], table)
    except DuplicateRowError as exc:
        raise LmsError(f"LMS files not written: {exc}") from None
    pending = tuple(sorted({g.student for g in grades if g.final is None}))
    roster = bool(options.emails or options.id_numbers)
    return LmsWritten(pending, options.partial,
                      tuple(s for s in students if not (who[s].email or who[s].id_number))
                      if roster else (), tuple(sheets), len(moodle.table) - 1,
                      bool(students) and not roster)


def from_export(export: Sequence[ExportRow], assignment: str
                ) -> tuple[list[AssignmentGrade], CourseDefinition]:
    """One assignment without a course definition: its export rows as grades (the whole
    assignment's points, pending while an answer waits for a marker)."""
    grades = [AssignmentGrade(r.student_id, assignment, r.raw_score, 0.0, r.max_score,
                              1 if r.needs_manual_grade else 0, (), None, None, 0.0,
                              r.max_score)
              for r in export]
    return grades, CourseDefinition(assignment, (Assignment(assignment, assignment, ()),))


def write_all(export: Sequence[ExportRow], out: Path, assignment: str,
              options: LmsOptions | None = None) -> LmsWritten:
    """The LMS files for one assignment without a course definition (``write_term``)."""
    grades, definition = from_export(export, assignment)
    return write_term(grades, definition, out, options)


def canvas_feedback_zip(pages: Mapping[str, Sequence[Path]], known: Mapping[str, LmsIdentity],
                        target: Path) -> int:
    """A zip Canvas's "Re-upload submissions" accepts: each page named
    ``<name>_<user id>_<attachment id>_<page>`` for students from a Canvas download (each
    becomes a comment attachment on their submission); the number of files (0: not written)."""
    members = []
    for student, paths in sorted(pages.items()):
        who = identify(student, known)
        if not who.canvas_user_id:
            continue
        name = re.sub(r"[^A-Za-z]+", "", who.name) or "student"
        for page in paths:
            attachment = who.attachment(Path(page).stem)
            if attachment:
                members.append((f"{name}_{who.canvas_user_id}_{attachment}_{Path(page).name}",
                                Path(page)))
    if not members:
        return 0
    write_zip_atomic(target, members)
    return len(members)
