"""The course definition: the term's assignments, their due dates, the late policy, per-student
extensions and each assignment's LMS column, read from one TOML file the instructor edits
(``ch4 course init`` writes a commented one from the weekly plan).

Only this module reads the file; everything else receives a ``CourseDefinition``. A file that
cannot be used raises ``DefinitionError`` with one line naming the file and the problem.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FILE_NAME = "ch4-course.toml"

LateKind = Literal["none", "per_day", "hard"]

# The README's weekly plan: the default term when the instructor defines nothing else.
WEEKLY_PLAN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("week1", "Week 1: pixels to the MNIST loss", (
        "01_pixels_and_similarity", "02_tensors_and_metrics", "03_sgd_by_hand",
        "04_mnist_loss_and_sigmoid")),
    ("week2", "Week 2: training loop to resnet, questionnaire", (
        "05_minibatches_and_training_loop", "06_optimizer_and_learner",
        "07_nonlinearity_and_resnet", "08_questionnaire")),
    ("week3", "Week 3 (optional): further research", (
        "09_your_own_learner", "10_full_mnist")),
)


class DefinitionError(ValueError):
    """The course definition file cannot be used (one-line message)."""


@dataclass(frozen=True)
class LatePolicy:
    """How lateness costs points.

    ``none``: late work keeps its score (it is still marked late). ``per_day``:
    ``percent_per_day`` of the assignment's maximum is taken off per started day late, and the
    score is 0 once it is later than ``zero_after_days`` (when given). ``hard``: any late work
    scores 0. ``grace_minutes`` after the due time count as on time.
    """

    kind: LateKind = "none"
    percent_per_day: float = 0.0
    zero_after_days: float | None = None
    grace_minutes: float = 0.0


@dataclass(frozen=True)
class Assignment:
    """One assignment of the term: its notebooks, due time and LMS column."""

    name: str                      # the gradebook's assignment name, e.g. "week1"
    title: str                     # shown to people
    notebooks: tuple[str, ...]     # source notebook stems, e.g. "01_pixels_and_similarity"
    due: datetime | None = None    # aware datetime; None: no deadline
    lms_column: str = ""           # the LMS grade column's exact name ("" -> title)
    canvas_assignment_id: str = ""  # Canvas's numeric id, for the "Name (id)" header

    @property
    def column(self) -> str:
        return self.lms_column or self.title


@dataclass(frozen=True)
class Extension:
    """A later due time for one student and one assignment."""

    student: str
    assignment: str
    due: datetime


@dataclass(frozen=True)
class CourseDefinition:
    """The whole term."""

    course_id: str
    assignments: tuple[Assignment, ...]
    late: LatePolicy = field(default_factory=LatePolicy)
    extensions: tuple[Extension, ...] = ()

    def assignment(self, name: str) -> Assignment:
        for a in self.assignments:
            if a.name == name:
                return a
        known = ", ".join(a.name for a in self.assignments)
        raise DefinitionError(f"no assignment {name!r} in the course definition (it has: "
                              f"{known})")

    def assignment_of(self, notebook: str) -> Assignment | None:
        return next((a for a in self.assignments if notebook in a.notebooks), None)

    def due_for(self, student: str, assignment: str) -> datetime | None:
        """The due time that applies to this student (their extension, if any)."""
        for e in self.extensions:
            if e.student == student and e.assignment == assignment:
                return e.due
        return self.assignment(assignment).due


def default_definition(course_id: str = "ch4") -> CourseDefinition:
    """The weekly plan with no due dates and no late policy."""
    return CourseDefinition(course_id, tuple(
        Assignment(name, title, notebooks) for name, title, notebooks in WEEKLY_PLAN))


def single(name: str, notebooks: tuple[str, ...] | list[str],
           course_id: str = "ch4") -> CourseDefinition:
    """One assignment of these notebooks, no deadline: ``ch4 grade`` without a definition."""
    return CourseDefinition(course_id, (Assignment(name, name, tuple(sorted(notebooks))),))


def _zone(name: str, path: Path) -> tzinfo:
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DefinitionError(f"{path}: unknown timezone {name!r} (use a name such as "
                              f"'Europe/Berlin' or 'UTC')") from None


def _when(value: object, zone: tzinfo, what: str, path: Path) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise DefinitionError(f"{path}: {what}: {value!r} is not a date and time "
                                  f"(write 2027-01-15T23:59)") from None
    if not isinstance(value, datetime):
        raise DefinitionError(f"{path}: {what}: expected a date and time, e.g. 2027-01-15T23:59")
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _late(raw: object, path: Path) -> LatePolicy:
    if raw is None:
        return LatePolicy()
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path}: [late] must be a table")
    kind = raw.get("policy", "none")
    if kind not in ("none", "per_day", "hard"):
        raise DefinitionError(f"{path}: late policy {kind!r} is not one of none, per_day, hard")
    try:
        policy = LatePolicy(kind, float(raw.get("percent_per_day", 0)),
                            None if raw.get("zero_after_days") is None
                            else float(raw["zero_after_days"]),
                            float(raw.get("grace_minutes", 0)))
    except (TypeError, ValueError):
        raise DefinitionError(f"{path}: [late] numbers must be numbers") from None
    if not 0 <= policy.percent_per_day <= 100 or policy.grace_minutes < 0:
        raise DefinitionError(f"{path}: percent_per_day must be 0-100 and grace_minutes >= 0")
    return policy


def _assignment(raw: object, zone: tzinfo, path: Path) -> Assignment:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise DefinitionError(f"{path}: every [[assignment]] needs a name")
    name = raw["name"]
    notebooks = raw.get("notebooks")
    if not isinstance(notebooks, list) or not notebooks or not all(
            isinstance(n, str) for n in notebooks):
        raise DefinitionError(f"{path}: assignment {name!r} needs a list of notebooks")
    due = raw.get("due")
    return Assignment(name, str(raw.get("title", name)), tuple(notebooks),
                      None if due is None else _when(due, zone, f"{name}: due", path),
                      str(raw.get("lms_column", "")), str(raw.get("canvas_assignment_id", "")))


def _extension(raw: object, zone: tzinfo, path: Path,
               assignments: dict[str, Assignment]) -> Extension:
    if not isinstance(raw, dict) or not raw.get("student") or not raw.get("assignment"):
        raise DefinitionError(f"{path}: every [[extension]] needs student and assignment")
    student, name = str(raw["student"]), str(raw["assignment"])
    if name not in assignments:
        raise DefinitionError(f"{path}: extension for {student}: no assignment {name!r}")
    if "due" in raw:
        return Extension(student, name, _when(raw["due"], zone, f"extension {student}", path))
    base = assignments[name].due
    if base is None or "days" not in raw:
        raise DefinitionError(f"{path}: extension for {student} needs due, or days on an "
                              f"assignment that has a due date")
    return Extension(student, name, base + timedelta(days=float(raw["days"])))


def parse(text: str, path: Path) -> CourseDefinition:
    """The course definition in ``text`` (TOML); ``path`` names it in messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path}: not valid TOML: {exc}") from None
    zone = _zone(str(raw.get("timezone", "UTC")), path)
    assignments = [_assignment(a, zone, path) for a in raw.get("assignment", [])]
    if not assignments:
        raise DefinitionError(f"{path}: no [[assignment]] defined")
    by_name = {a.name: a for a in assignments}
    if len(by_name) != len(assignments):
        raise DefinitionError(f"{path}: two assignments share a name")
    seen: dict[str, str] = {}
    for a in assignments:
        for nb in a.notebooks:
            if nb in seen:
                raise DefinitionError(f"{path}: notebook {nb} is in both {seen[nb]} and "
                                      f"{a.name}")
            seen[nb] = a.name
    extensions = tuple(_extension(e, zone, path, by_name) for e in raw.get("extension", []))
    return CourseDefinition(str(raw.get("course", "ch4")), tuple(assignments),
                            _late(raw.get("late"), path), extensions)


def load(path: Path) -> CourseDefinition:
    """Read a course definition file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError(f"{path}: no such file (write one with `ch4 course init`)") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(f"{path}: cannot be read: {exc}") from None
    return parse(text, Path(path))
