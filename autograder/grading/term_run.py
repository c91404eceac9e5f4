"""The term's part of ``ch4 grade``: which definition a run uses, which assignment each notebook
belongs to, the cut-off of a student's notebook, the arrival times recorded in OUT, and the
other weeks' results that grades.csv, the report and the LMS files show beside this run's.

A run of week 2 only adds to OUT: its gradebook gets the week's assignment next to week 1's,
and week 1's results and marks are read, never rewritten.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.grading import gradebook, hand_marks, layout
from autograder.grading.collect import Skipped, Submission
from autograder.grading.layout import OutputLayout, read_results, write_json_atomic
from autograder.grading.source_set import SourceSet
from autograder.results import GradeResult
from autograder.term import course_file, standing
from autograder.term.definition import CourseDefinition, single


@dataclass(frozen=True)
class Term:
    """What a run knows about the term (``definition`` None: one assignment, as before)."""

    definition: CourseDefinition | None
    assignment: str                          # the --assignment name, without a definition
    changes: tuple[str, ...] = ()            # what changed since OUT's copy of the definition
    notebooks: dict[str, str] = field(default_factory=dict)   # notebook -> assignment

    def assignment_of(self, notebook: str) -> str:
        return self.notebooks.get(notebook, self.assignment)

    def effective(self, sources: Iterable[str]) -> CourseDefinition:
        """The definition, or one assignment of ``sources``."""
        return self.definition or single(self.assignment, list(sources))

    def cutoff(self, student: str, notebook: str) -> datetime | None:
        """After this time a copy does not replace one that came in time (a hard deadline, or
        the per-day policy's zero point); None: no cut-off."""
        if self.definition is None or notebook not in self.notebooks:
            return None
        late = self.definition.late
        due = self.definition.due_for(student, self.notebooks[notebook])
        if due is None or late.kind == "none":
            return None
        grace = timedelta(minutes=late.grace_minutes)
        if late.kind == "hard":
            return due + grace
        if late.zero_after_days is not None:
            return due + grace + timedelta(days=late.zero_after_days)
        return None


def prepare(out: Path, course: Path | None, assignment: str, stream=sys.stderr) -> Term:
    """The term of a run on ``out`` (``course``: --course FILE); says what changed when the
    definition differs from the one OUT was graded with. DefinitionError when unusable."""
    definition, changes = course_file.for_out(out, course)
    for line in changes:
        stream.write(f"course definition changed since the last run on {out}: {line}\n")
    if definition is None:
        return Term(None, assignment)
    notebooks = {nb: a.name for a in definition.assignments for nb in a.notebooks}
    return Term(definition, assignment, tuple(changes), notebooks)


def term_sources(term: Term, available: dict[str, Path],
                 graded: Iterable[str]) -> dict[str, dict[str, Path]]:
    """assignment -> its source notebooks for the gradebook: every notebook of an assignment
    in play (its maximum is the whole assignment's), or, with no definition, those graded."""
    graded = set(graded)
    if term.definition is None:
        return {term.assignment: _pick(available, sorted(graded))}
    wanted: dict[str, dict[str, Path]] = {}
    for a in term.definition.assignments:
        if graded & set(a.notebooks):
            wanted[a.name] = _pick(available, [n for n in a.notebooks if n in available])
    return wanted


def _pick(available: dict[str, Path], names: list[str]) -> dict[str, Path]:
    """``names`` of ``available``, keeping the parsed notebooks a ``SourceSet`` carries."""
    if isinstance(available, SourceSet):
        return available.subset(names)
    return {n: available[n] for n in names}


def setup(gb: Gradebook, wanted: dict[str, dict[str, Path]]) -> None:
    """Create or update every assignment in play in the one gradebook."""
    for name, srcs in sorted(wanted.items()):
        gradebook.setup_assignment(gb, name, srcs)


def record_arrivals(out: Path, subs: Iterable[Submission]) -> None:
    """Keep each graded file's arrival time (and the LMS's late marker) in OUT."""
    new: dict[str, dict[str, standing.Arrival]] = {}
    for sub in subs:
        new.setdefault(sub.student, {})[sub.notebook] = standing.Arrival(
            sub.submitted_at, sub.late_marker)
    standing.save_times(out, new)


def reassigned(result: GradeResult, assignment: str) -> GradeResult:
    """A stored result under the assignment its notebook belongs to now."""
    return result if result.assignment == assignment else replace(result, assignment=assignment)


def other_results(out: Path, this_run: Iterable[str], term: Term | None = None
                  ) -> list[GradeResult]:
    """Results stored in OUT by earlier runs (other weeks) for keys not graded in this run,
    under the assignment their notebook belongs to now; an unreadable file is left out with
    a warning."""
    read = read_results(out, skip=this_run)
    for bad in read.unreadable:
        sys.stderr.write(f"warning: {bad.path}: unreadable result file, left out "
                         f"({bad.reason})\n")
    if term is None or term.definition is None:
        return read.results
    return [reassigned(r, term.assignment_of(r.notebook)) for r in read.results]


def in_play(results: Iterable[GradeResult], default: str) -> list[str]:
    """The assignments these results belong to (``default`` when there are none)."""
    return sorted({r.assignment for r in results}) or [default]


def all_marks(gb: Gradebook, results: Iterable[GradeResult],
              default: str) -> dict[hand_marks.Key, hand_marks.HandMark]:
    """The markers' scores and comments of every assignment in play (notebook names are
    unique across a term, so one map holds them all)."""
    marks: dict[hand_marks.Key, hand_marks.HandMark] = {}
    for name in in_play(results, default):
        marks.update(hand_marks.read(gb, name))
    return marks


SKIPPED_FILE = layout.SKIPPED_JSON   # the files not graded, per assignment, of every run


def _skipped_from(entry: object) -> tuple[str, Skipped] | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("assignment"), str):
        return None
    try:
        when = entry.get("submitted_at")
        return entry["assignment"], Skipped(
            str(entry["file"]), str(entry["reason"]), str(entry.get("student", "")),
            str(entry.get("notebook", "")), bool(entry.get("grader_error")),
            bool(entry.get("superseded")), datetime.fromisoformat(when) if when else None)
    except (KeyError, ValueError, TypeError):
        return None


def carry_skipped(out: Path, term: Term, skipped: list[Skipped],
                  graded: Iterable[Submission]) -> list[Skipped]:
    """This run's files not graded plus those of the other assignments' runs, so that a week
    2 run still lists week 1's superseded and skipped files; kept in OUT/skipped.json."""
    here = {term.assignment_of(s.notebook) for s in graded} | {
        term.assignment_of(s.notebook) for s in skipped if s.notebook}
    only = next(iter(here)) if len(here) == 1 else ""
    path = OutputLayout(out).skipped_json
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = []
    kept = [found for found in map(_skipped_from, stored if isinstance(stored, list) else [])
            if found is not None and found[0] and found[0] not in here]
    mine = [(term.assignment_of(s.notebook) if s.notebook else only, s) for s in skipped]
    data = [dict(asdict(s), assignment=a, submitted_at=s.submitted_at.isoformat()
                 if s.submitted_at else None) for a, s in kept + mine]
    write_json_atomic(path, data, sort_keys=False, ensure_ascii=False)
    return [s for _, s in kept] + skipped


def settle_missing(gb: Gradebook, results: Iterable[GradeResult], assignments: Iterable[str]
                   ) -> int:
    """Give 0 points, not 'needs grading', to every gradebook cell that no result covers (a
    notebook not handed in, or one that could not be graded): nbgrader's placeholders would
    otherwise wait for a marker forever, and formgrader has nothing to show for them. A
    marker's score is kept; a notebook handed in later is recorded over the 0. Returns how
    many cells were settled."""
    covered = {(r.student, r.notebook, i.grade_id) for r in results for i in r.items}
    settled = 0
    for name in assignments:
        try:
            submissions = gb.assignment_submissions(name)
        except MissingEntry:
            continue
        for sub in submissions:
            for nb in sub.notebooks:
                for g in nb.grades:
                    if (sub.student.id, nb.name, g.name) in covered or g.manual_score is not None:
                        continue
                    if g.auto_score != 0.0 or g.needs_manual_grade:
                        g.auto_score, g.needs_manual_grade = 0.0, False
                        settled += 1
    gb.db.commit()
    return settled
