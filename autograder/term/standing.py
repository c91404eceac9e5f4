"""Each student's grade for each assignment of the term: autograded and hand-marked points out
of the assignment's full maximum (from its definition, never from what was received), what is
still to mark, the notebooks not handed in, when the work arrived and what lateness costs.

``grades_for`` builds the list that grades.csv, the report and the LMS files are written from.
It reads typed results (hand marks already applied) and the course definition; it never reads
the gradebook, so the only thing it takes from ``autograder.grading`` is the output folder's
layout (``grading.layout``, which imports nothing of the grader).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading import layout
from autograder.grading.layout import OutputLayout, write_json_atomic
from autograder.grading.source_set import notebook_of
from autograder.results import GradeResult
from autograder.term.definition import (
    Assignment,
    CourseDefinition,
    LatePolicy,
    load,
    single,
)

TIMES_FILE = layout.SUBMISSION_TIMES_JSON   # student -> notebook -> {at, lms_late}


@dataclass(frozen=True)
class AssignmentGrade:
    """One student's standing in one assignment."""

    student: str
    assignment: str           # Assignment.name
    auto: float               # autograded points
    hand: float               # hand-marked points given so far
    maximum: float            # the assignment's full maximum (hand-marked points included)
    to_mark: int              # items still to mark (a missing notebook adds nothing here)
    missing: tuple[str, ...]  # notebooks not handed in (they count 0)
    submitted_at: datetime | None   # latest counted submission time
    late_by: timedelta | None       # None: on time or no deadline
    penalty: float            # points taken off by the late policy
    auto_max: float = 0.0     # the autograded part of ``maximum``
    due: datetime | None = None     # the due time that applied (the student's extension)

    @property
    def final(self) -> float | None:
        """The grade to upload: None while something is still to mark."""
        if self.to_mark > 0:
            return None
        return max(0.0, self.auto + self.hand - self.penalty)

    @property
    def running(self) -> float:
        """Points so far, penalty taken off (what a partial upload would show)."""
        return max(0.0, self.auto + self.hand - self.penalty)

    @property
    def percent(self) -> float:
        """``running`` as a percentage of the full assignment."""
        return 100 * self.running / self.maximum if self.maximum else 0.0

    @property
    def late(self) -> bool:
        return self.late_by is not None


@dataclass(frozen=True)
class NotebookMax:
    """A source notebook's points: autograded and hand-marked."""

    auto: float
    hand: float

    @property
    def total(self) -> float:
        return self.auto + self.hand


def notebook_maxima(sources: Mapping[str, Path]) -> dict[str, NotebookMax]:
    """Points of each source notebook, hand-marked answers included."""
    out = {}
    for name in sources:
        items = nbk.graded_items(notebook_of(sources, name))   # parsed once per run
        out[name] = NotebookMax(sum(i.points for i in items if not i.manual),
                                sum(i.points for i in items if i.manual))
    return out


LMS_LATE = timedelta(seconds=1)   # lateness when only the LMS's marker says "late"


def late_by(submitted: datetime | None, due: datetime | None,
            policy: LatePolicy) -> timedelta | None:
    """How late ``submitted`` is (None: on time, within the grace minutes, or no deadline)."""
    if submitted is None or due is None:
        return None
    delta = submitted - due
    if delta <= timedelta(minutes=policy.grace_minutes):
        return None
    return delta


def days_late(delta: timedelta) -> int:
    """Started days: one second late is one day."""
    return max(1, math.ceil(delta / timedelta(days=1)))


def penalty(policy: LatePolicy, points: float, maximum: float,
            delta: timedelta | None) -> float:
    """Points the policy takes off ``points`` (never more than ``points``)."""
    if delta is None or policy.kind == "none" or points <= 0:
        return 0.0
    if policy.kind == "hard":
        return points
    if policy.zero_after_days is not None and delta > timedelta(days=policy.zero_after_days):
        return points
    return min(points, maximum * policy.percent_per_day / 100 * days_late(delta))


def lateness_text(grade: AssignmentGrade) -> str:
    """'late by 1 day 3 h (-10 points)' or '' when on time."""
    if grade.late_by is None:
        return ""
    hours = int(grade.late_by.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    minutes = int(grade.late_by.total_seconds() // 60) % 60
    when = (f"{days} day{'s' if days != 1 else ''} {hours} h" if days
            else f"{hours} h {minutes} min" if hours else f"{minutes} min")
    cost = f" (-{grade.penalty:g} points)" if grade.penalty else ""
    return f"late by {when}{cost}"


def _one(student: str, a: Assignment, per_nb: Mapping[str, GradeResult],
         maxima: Mapping[str, NotebookMax], times: Mapping[str, datetime],
         definition: CourseDefinition, lms_late: bool) -> AssignmentGrade:
    auto = hand = 0.0
    to_mark = 0
    for result in per_nb.values():
        for item in result.items:
            if item.needs_review:
                to_mark += 1
            elif item.manual:
                hand += item.score
            else:
                auto += item.score
        # a flagged autograded item keeps its score until a marker changes it
        auto += sum(i.score for i in result.items if i.needs_review and not i.manual)
    maximum = sum(maxima[n].total for n in a.notebooks if n in maxima)
    auto_max = sum(maxima[n].auto for n in a.notebooks if n in maxima)
    arrived = [times[n] for n in per_nb if n in times]
    submitted = max(arrived) if arrived else None
    due = definition.due_for(student, a.name)
    delta = late_by(submitted, due, definition.late)
    extended = any(e.student == student and e.assignment == a.name
                   for e in definition.extensions)
    if delta is None and lms_late and due is not None and not extended:
        delta = LMS_LATE       # the LMS said late (against the common due time: an extension
                               # it does not know of wins), the file's time does not say more
    return AssignmentGrade(student, a.name, auto, hand, maximum, to_mark,
                           tuple(n for n in a.notebooks if n not in per_nb), submitted, delta,
                           penalty(definition.late, auto + hand, maximum, delta), auto_max,
                           due)


def grades_for(results: Iterable[GradeResult], definition: CourseDefinition,
               maxima: Mapping[str, NotebookMax],
               times: Mapping[str, Mapping[str, datetime]] | None = None,
               assignments: Iterable[str] | None = None,
               lms_late: Iterable[tuple[str, str]] = ()) -> list[AssignmentGrade]:
    """One grade per student and assignment, sorted by student then term order.

    ``results`` carry the markers' scores already (``hand_marks.applied``); every student who
    handed in anything gets a row for every assignment in play (``assignments``, default: those
    anyone handed work in for), with the notebooks they did not hand in as missing (0 points).
    ``lms_late``: (student, notebook) pairs the LMS marked late (Canvas's ``LATE_``).
    """
    marked = set(lms_late)
    by_student: dict[str, dict[str, GradeResult]] = {}
    for r in results:
        by_student.setdefault(r.student, {})[r.notebook] = r
    wanted = set(assignments) if assignments is not None else {
        a.name for a in definition.assignments
        if any(n in a.notebooks for per_nb in by_student.values() for n in per_nb)}
    times = times or {}
    out = []
    for student in sorted(by_student):
        for a in definition.assignments:
            if a.name not in wanted:
                continue
            per_nb = {n: r for n, r in by_student[student].items() if n in a.notebooks}
            late = any((student, n) in marked for n in per_nb)
            out.append(_one(student, a, per_nb, maxima, times.get(student, {}), definition,
                            late))
    return out


@dataclass(frozen=True)
class Arrival:
    """When one notebook arrived, as the source gave it."""

    at: datetime | None
    lms_late: bool = False


def _read_times(out: Path) -> dict[str, dict[str, Arrival]]:
    try:
        raw = json.loads(OutputLayout(out).submission_times_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    arrivals: dict[str, dict[str, Arrival]] = {}
    for student, per_nb in (raw.items() if isinstance(raw, dict) else ()):
        for notebook, entry in (per_nb.items() if isinstance(per_nb, dict) else ()):
            if not isinstance(entry, dict):
                continue
            try:
                when = datetime.fromisoformat(str(entry["at"])) if entry.get("at") else None
            except ValueError:
                when = None
            if when is not None and when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            arrivals.setdefault(str(student), {})[str(notebook)] = Arrival(
                when, bool(entry.get("lms_late")))
    return arrivals


def load_times(out: Path) -> dict[str, dict[str, datetime]]:
    """student -> notebook -> when it arrived, as recorded in ``out`` (empty when none)."""
    return {s: {n: a.at for n, a in nbs.items() if a.at is not None}
            for s, nbs in _read_times(out).items()}


def load_lms_late(out: Path) -> set[tuple[str, str]]:
    """(student, notebook) pairs the LMS marked late, as recorded in ``out``."""
    return {(s, n) for s, nbs in _read_times(out).items() for n, a in nbs.items() if a.lms_late}


def save_times(out: Path, new: Mapping[str, Mapping[str, Arrival]]) -> None:
    """Merge ``new`` into the recorded arrivals (other notebooks' entries are kept)."""
    arrivals = _read_times(out)
    for student, per_nb in new.items():
        arrivals.setdefault(student, {}).update(per_nb)
    data = {s: {n: {"at": a.at.isoformat() if a.at else None, "lms_late": a.lms_late}
                for n, a in sorted(nbs.items())}
            for s, nbs in sorted(arrivals.items())}
    write_json_atomic(OutputLayout(out).submission_times_json, data, sort_keys=False,
                      ensure_ascii=False)


def term_of(out: Path, results: Iterable[GradeResult], sources: Iterable[str],
            fallback: str = "ch4") -> CourseDefinition:
    """OUT's course definition, or one assignment of every source notebook (named as the
    results name it) when OUT has none."""
    kept = OutputLayout(out).course_toml
    if kept.is_file():
        return load(kept)
    name = next((r.assignment for r in results), fallback)
    return single(name, list(sources))


def grades_for_out(out: Path, results: list[GradeResult]) -> list[AssignmentGrade]:
    """``grades_for`` a graded OUT: its definition, the frozen sources in OUT/sources and the
    recorded times. ``results`` must carry the markers' scores (``hand_marks.applied``)."""
    sources = OutputLayout(out).frozen_sources()
    definition = term_of(out, results, sources)
    return grades_for(results, definition, notebook_maxima(sources), load_times(out),
                      lms_late=load_lms_late(out))


def lateness_notes(grades: Iterable[AssignmentGrade],
                   definition: CourseDefinition) -> dict[tuple[str, str], str]:
    """(student, notebook) -> the assignment's lateness for that student's feedback pages
    (late assignments only)."""
    notes = {}
    for g in grades:
        if g.late:
            for nb in definition.assignment(g.assignment).notebooks:
                notes[(g.student, nb)] = lateness_text(g)
    return notes
