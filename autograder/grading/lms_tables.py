"""The rows of the LMS files, built from each student's ``AssignmentGrade`` (one per student and
assignment of the term), in the formats the LMSs import as they are (fixtures:
tests/fixtures/lms/, each naming the documentation it follows).

- Canvas Gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section`` then one column
  per assignment headed exactly as the course definition says (``Assignment.column``, plus
  `` (canvas_assignment_id)`` when given, which is how Canvas matches an existing assignment),
  a ``Points Possible`` row with each assignment's full maximum, and one row per Canvas user.
- Moodle offline grading worksheet (one per assignment): ``Identifier`` (``Participant N``),
  ``Full name``, ``Email address``, ``Status``, ``Grade``, ``Maximum Grade``, ``Grade can be
  changed``, ``Last modified (submission)``, ``Last modified (grade)``, ``Feedback comments``.
- Moodle gradebook import: ``Email address`` and/or ``ID number`` (what the instructor's roster
  gives), ``Full name``, one column per assignment; a student's row only once every grade in it
  is final (Moodle reads an empty cell as "no grade"), and only with an identifier Moodle knows
  (one unknown user stops Moodle's whole import).

A grade cell is ``AssignmentGrade.final`` (penalty taken off, a missing notebook counting 0),
blank while something is still to mark unless partial scores are asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from autograder.term.definition import Assignment, CourseDefinition
from autograder.term.standing import AssignmentGrade, lateness_text

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
WORKSHEET_HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade",
                    "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                    "Last modified (grade)", "Feedback comments"]
MOODLE_EMAIL, MOODLE_ID = "Email address", "ID number"


class DuplicateRowError(ValueError):
    """Two students would be one LMS user (one line naming both)."""


@dataclass(frozen=True)
class Person:
    """Who a student is in the LMSs (from download names and the instructor's roster)."""

    student: str
    name: str = ""                # display name; the student id when unknown
    canvas_user_id: str = ""
    moodle_participant: str = ""
    email: str = ""
    id_number: str = ""           # the institution's id (Moodle ID number, Canvas SIS id)
    section: str = ""


def fmt(x: float) -> str:
    return f"{round(x, 2):g}"


def cell(grade: AssignmentGrade | None, partial: bool) -> str:
    """A grade cell: the final grade, blank while something is to mark (or partial)."""
    if grade is None:
        return ""
    if grade.final is not None:
        return fmt(grade.final)
    return fmt(grade.running) if partial else ""


def in_play(grades: Sequence[AssignmentGrade], definition: CourseDefinition
            ) -> list[Assignment]:
    """The definition's assignments that have grades, in term order."""
    names = {g.assignment for g in grades}
    return [a for a in definition.assignments if a.name in names]


def maximum_of(grades: Sequence[AssignmentGrade], assignment: str) -> float:
    return max((g.maximum for g in grades if g.assignment == assignment), default=0.0)


def canvas_header(a: Assignment) -> str:
    """The assignment's column: its exact LMS name, with Canvas's id when known."""
    return f"{a.column} ({a.canvas_assignment_id})" if a.canvas_assignment_id else a.column


def _by_student(grades: Sequence[AssignmentGrade]
                ) -> dict[str, dict[str, AssignmentGrade]]:
    out: dict[str, dict[str, AssignmentGrade]] = {}
    for g in grades:
        out.setdefault(g.student, {})[g.assignment] = g
    return out


def _unique(rows: list[list[str]], column: int, what: str, who: Callable[[int], str]) -> None:
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        value = row[column]
        if value and value in seen:
            raise DuplicateRowError(f"students {who(seen[value])} and {who(i)} have the same "
                                    f"{what} {value!r}: the LMS would see one user")
        seen.setdefault(value, i)


def canvas(grades: Sequence[AssignmentGrade], definition: CourseDefinition,
           people: Mapping[str, Person], partial: bool = False) -> list[list[str]]:
    """The Canvas Gradebook import table (header, Points Possible, one row per user)."""
    assignments = in_play(grades, definition)
    table = [CANVAS_HEADER + [canvas_header(a) for a in assignments],
             ["Points Possible", "", "", "", ""]
             + [fmt(maximum_of(grades, a.name)) for a in assignments]]
    rows, students = [], []
    for student, mine in sorted(_by_student(grades).items()):
        p = people.get(student, Person(student))
        sis = "" if p.canvas_user_id else (p.id_number or student)
        rows.append([p.name or student, p.canvas_user_id, sis, "", p.section]
                    + [cell(mine.get(a.name), partial) for a in assignments])
        students.append(student)
    _unique(rows, 1, "Canvas user ID", lambda i: students[i])
    _unique(rows, 2, "SIS User ID", lambda i: students[i])
    return table + rows


def _iso(when: datetime | None) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00") if when else "-"


def comment(grade: AssignmentGrade) -> str:
    """The worksheet's feedback comment: the points, lateness and missing notebooks."""
    parts = [f"{fmt(grade.auto + grade.hand)} of {fmt(grade.maximum)} points "
             f"(autograded {fmt(grade.auto)} of {fmt(grade.auto_max)})"]
    late = lateness_text(grade)
    if late:
        parts.append(late)
    if grade.missing:
        parts.append(f"not handed in (0 points): {', '.join(grade.missing)}")
    return "; ".join(parts) + ". Your feedback pages are attached."


def worksheet(grades: Sequence[AssignmentGrade], assignment: Assignment,
              people: Mapping[str, Person], now: datetime, partial: bool = False
              ) -> list[list[str]]:
    """The Moodle offline grading worksheet of one assignment: a row per student whose
    participant number is known (from a Moodle download name)."""
    table, rows, students = [list(WORKSHEET_HEADER)], [], []
    for g in sorted((g for g in grades if g.assignment == assignment.name),
                    key=lambda g: g.student):
        p = people.get(g.student, Person(g.student))
        if not p.moodle_participant:
            continue
        value = cell(g, partial)
        status = "Submitted for grading" + (f" ({lateness_text(g)})" if g.late else "")
        rows.append([f"Participant {p.moodle_participant}", p.name or g.student, p.email,
                     status, value, fmt(g.maximum), "Yes", _iso(g.submitted_at), _iso(now),
                     comment(g) if value else ""])
        students.append(g.student)
    _unique(rows, 0, "Moodle participant", lambda i: students[i])
    return table + rows


@dataclass(frozen=True)
class MoodleImport:
    """The Moodle gradebook import table and who it leaves out."""

    table: list[list[str]]
    pending: tuple[str, ...]        # left out: something still to mark
    unidentified: tuple[str, ...]   # left out: no email or ID number in the roster


def moodle_gradebook(grades: Sequence[AssignmentGrade], definition: CourseDefinition,
                     people: Mapping[str, Person]) -> MoodleImport:
    """The Moodle gradebook import table (see the module docstring)."""
    assignments = in_play(grades, definition)
    with_email = any(p.email for p in people.values())
    with_id = any(p.id_number for p in people.values())
    ids = ([MOODLE_EMAIL] if with_email or not with_id else []) + ([MOODLE_ID] if with_id
                                                                    else [])
    table = [ids + ["Full name"] + [a.column for a in assignments]]
    rows, students, pending, unknown = [], [], [], []
    for student, mine in sorted(_by_student(grades).items()):
        p = people.get(student, Person(student))
        if not (p.email or p.id_number):
            unknown.append(student)
            continue
        if any(a.name not in mine or mine[a.name].final is None for a in assignments):
            pending.append(student)
            continue
        keys = {MOODLE_EMAIL: p.email, MOODLE_ID: p.id_number}
        rows.append([keys[k] for k in ids] + [p.name or student]
                    + [cell(mine[a.name], False) for a in assignments])
        students.append(student)
    for column, what in enumerate(ids):
        _unique(rows, column, what, lambda i: students[i])
    return MoodleImport(table + rows, tuple(pending), tuple(unknown))
