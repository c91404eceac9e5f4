"""Grade files an LMS imports: a Canvas gradebook CSV and a Moodle grade-import CSV.

Both are built from the gradebook's export rows (``gradebook.export_rows``: one row per student,
the assignment's score with hand marks where given, out of the whole assignment's maximum).

Canvas ("Gradebook > Import"): the columns ``Student, ID, SIS User ID, SIS Login ID, Section``
then one column per assignment; the second row is ``Points Possible`` with the maximum under the
assignment. Canvas matches a row by its Canvas user ``ID`` or its ``SIS User ID``. A file from a
Canvas submissions download (``<name>_<userid>_<attachment>_<file>`` or
``<name>_LATE_<userid>_...``) gives the Canvas user id: the intake records it from the file name
(``save_identities``, OUT/lms_identities.json), since the student id (``<name>_<userid>``) alone
could be any id with a number in it. Any other id (nbgrader folders, student numbers) goes to
``SIS User ID``.

Moodle ("Grades > Import > CSV file"): a header row, one row per student, the student identified
by a column the instructor maps ("Map from" ``ID number`` to "Map to" ``ID number``, or the
``Email address`` column to the user's email) and the grade in a column mapped to the grade item.
Moodle's assignment download names files ``<Full name>_<participant>_assignsubmission_file_...``:
the participant number is not a gradebook identifier, so those rows carry the full name and the
participant number for the instructor to check, and the id column stays the student id.
``--moodle-emails FILE`` (columns ``student,email``) fills the ``Email address`` column; a copy
is kept in OUT (``moodle_emails.csv``) so that later runs (``ch4 feedback``, a resume) keep the
emails without the option.

Marking pending: a student with an answer still waiting for a marker gets an EMPTY grade cell
(both importers skip an empty cell, so no partial score can be uploaded by mistake) unless the
instructor asks for partial scores (``--lms-partial``). ``ch4 feedback`` rewrites both files
from the gradebook after marking, so the final marks land there.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.grading.atomic_csv import write_table_atomic
from autograder.grading.collect import CANVAS_PREFIX

if TYPE_CHECKING:
    from autograder.grading.gradebook import ExportRow

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["ID number", "Email address", "Full name", "Participant"]
CANVAS_FILE = "canvas_grades.csv"
MOODLE_FILE = "moodle_grades.csv"
EMAILS_FILE = "moodle_emails.csv"   # the last --moodle-emails given, kept in OUT
EMAILS_HEADER = ("student", "email")
_HASH = r"(?:-[0-9a-f]{6})?"     # collect.safe_id's suffix when it cleaned a raw id
IDENTITIES_FILE = "lms_identities.json"   # student id -> identity, from the intake's file names
_MOODLE = re.compile(rf"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_[a-z]+{_HASH}$")
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")


class LmsError(ValueError):
    """An LMS option cannot be used (one line naming the file and what is wrong)."""


@dataclass(frozen=True)
class LmsOptions:
    """How the LMS files are written: partial scores or blanks while marking is pending, and
    the students' emails for Moodle (student id -> email)."""

    partial: bool = False
    emails: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LmsWritten:
    """What the LMS files hold that the instructor should know about."""

    pending: tuple[str, ...] = ()      # students with answers still to mark
    partial: bool = False              # True: their partial scores were written anyway
    without_email: tuple[str, ...] = ()  # students the emails file does not list (if given)

    def notes(self) -> list[str]:
        """The lines a command prints after writing the files."""
        lines = []
        if self.pending and self.partial:
            lines.append(f"{len(self.pending)} students have PARTIAL scores in {CANVAS_FILE}/"
                         f"{MOODLE_FILE} (--lms-partial): hand marking still to do")
        elif self.pending:
            lines.append(f"{len(self.pending)} students left blank in {CANVAS_FILE}/"
                         f"{MOODLE_FILE}: hand marking still to do")
        if self.without_email:
            lines.append(f"{len(self.without_email)} students have no email in the "
                         f"--moodle-emails file: {', '.join(self.without_email[:5])}"
                         + (" ..." if len(self.without_email) > 5 else ""))
        return lines


@dataclass(frozen=True)
class LmsIdentity:
    """Who a student id is in an LMS, as far as the file name tells."""

    student: str                 # the grader's student id
    name: str                    # display name ("" when unknown)
    canvas_user_id: str = ""     # Canvas user id from a Canvas download name
    moodle_participant: str = ""  # Moodle participant number from a Moodle download name


def identify(student: str, known: Mapping[str, LmsIdentity] | None = None) -> LmsIdentity:
    """The LMS identity of a student id: what the intake read from the file names (``known``,
    see ``save_identities``), else what the id itself carries (a Moodle download name only: a
    Canvas identity needs the file name)."""
    if known and student in known:
        return known[student]
    return _from_name(student, student, cleaned=True)


def _from_name(student: str, name: str, cleaned: bool) -> LmsIdentity:
    """``name``: a raw file-name prefix, or (``cleaned``) a student id made from one. A Canvas
    identity needs the raw prefix: a student id drops the attachment id, and then looks like
    any id with a number in it."""
    moodle = _MOODLE.match(name)
    if moodle:
        full = moodle["name"].replace("_", " ") if cleaned else moodle["name"]
        return LmsIdentity(student, full, moodle_participant=moodle["participant"])
    canvas = None if cleaned else CANVAS_PREFIX.match(name)
    if canvas:
        return LmsIdentity(student, canvas["name"], canvas_user_id=canvas["user"])
    return LmsIdentity(student, "")


def save_identities(lms_names: Mapping[str, str], out: Path) -> None:
    """Remember, in ``out``, the LMS identity of every student whose file name is an LMS
    download name (``lms_names``: student id -> the file name's student part). The file name is
    the only unambiguous source: the student id drops Canvas's per-file attachment id."""
    path = Path(out) / IDENTITIES_FILE
    known = {k: asdict(v) for k, v in load_identities(out).items()}
    for student, name in lms_names.items():
        who = _from_name(student, name, cleaned=False)
        if who.canvas_user_id or who.moodle_participant:
            known[student] = asdict(who)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def load_identities(out: Path) -> dict[str, LmsIdentity]:
    """What ``save_identities`` wrote ({} when nothing, or the file is unreadable)."""
    try:
        data = json.loads((Path(out) / IDENTITIES_FILE).read_text(encoding="utf-8"))
        return {student: LmsIdentity(**fields_) for student, fields_ in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def read_emails(path: Path) -> dict[str, str]:
    """student id -> email from a CSV with the header ``student,email`` (LmsError otherwise)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LmsError(f"{path}: no such emails file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LmsError(f"{path}: cannot read the emails file ({exc})") from None
    rows = list(csv.reader(text.splitlines()))
    header = tuple(c.strip().lower() for c in rows[0]) if rows else ()
    if header != EMAILS_HEADER:
        raise LmsError(f"{path}: the first line must be the header 'student,email' "
                       f"(found {','.join(rows[0]) if rows else 'an empty file'!r})")
    emails: dict[str, str] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 2:
            raise LmsError(f"{path}, line {line}: expected 2 columns (student,email), "
                           f"found {len(row)}")
        student, email = row[0].strip(), row[1].strip()
        if not student:
            raise LmsError(f"{path}, line {line}: empty student id")
        if not _EMAIL.match(email):
            raise LmsError(f"{path}, line {line}: {email!r} is not an email address")
        if student in emails:
            raise LmsError(f"{path}, line {line}: student {student!r} is listed twice")
        emails[student] = email
    return emails


def _fmt(x: float) -> str:
    return f"{round(x, 2):g}"


def _grade(row: ExportRow, partial: bool) -> str:
    """The grade cell: empty while marking is pending, unless partial scores are wanted."""
    return "" if row.needs_manual_grade and not partial else _fmt(row.raw_score)


def canvas_rows(rows: Sequence[ExportRow], assignment: str, partial: bool = False,
                known: Mapping[str, LmsIdentity] | None = None) -> list[list[str]]:
    """The Canvas gradebook import table (header, Points Possible, one row per student)."""
    maximum = max((r.max_score for r in rows), default=0.0)
    table = [CANVAS_HEADER + [assignment],
             ["Points Possible", "", "", "", ""] + [_fmt(maximum)]]
    for r in sorted(rows, key=lambda r: r.student_id):
        who = identify(r.student_id, known)
        sis = "" if who.canvas_user_id else r.student_id
        table.append([who.name or r.student_id, who.canvas_user_id, sis, "", "",
                      _grade(r, partial)])
    return table


def moodle_rows(rows: Sequence[ExportRow], grade_item: str, options: LmsOptions | None = None,
                known: Mapping[str, LmsIdentity] | None = None) -> list[list[str]]:
    """The Moodle CSV grade import table."""
    options = options or LmsOptions()
    table = [MOODLE_HEADER + [grade_item]]
    for r in sorted(rows, key=lambda r: r.student_id):
        who = identify(r.student_id, known)
        table.append([r.student_id, options.emails.get(r.student_id, ""),
                      who.name or r.student_id, who.moodle_participant,
                      _grade(r, options.partial)])
    return table


def write_all(export: Sequence[ExportRow], out: Path, assignment: str,
              options: LmsOptions | None = None) -> LmsWritten:
    """``canvas_grades.csv`` and ``moodle_grades.csv`` in ``out``; says who is pending."""
    options = options or LmsOptions()
    kept = Path(out) / EMAILS_FILE
    if options.emails:
        write_table_atomic(kept, [EMAILS_HEADER, *sorted(options.emails.items())])
    elif kept.is_file():
        options = LmsOptions(options.partial, read_emails(kept))
    known = load_identities(out)
    write_table_atomic(Path(out) / CANVAS_FILE,
                       canvas_rows(export, assignment, options.partial, known))
    write_table_atomic(Path(out) / MOODLE_FILE, moodle_rows(export, assignment, options, known))
    students = sorted(r.student_id for r in export)
    return LmsWritten(
        tuple(sorted(r.student_id for r in export if r.needs_manual_grade)), options.partial,
        tuple(s for s in students if s not in options.emails) if options.emails else ())
