"""Stage 4, record: what the run's results mean for the term's records, with the gradebook
open: answers changed after their mark reopened, the nbgrader course folder, the other weeks'
results, notebooks never handed in settled at 0, the markers' scores applied, and nbgrader's
own export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from autograder.grading import course_folder, gradebook, hand_marks, reopen, term_run
from autograder.grading.collect import Skipped
from autograder.grading.gradebook import ExportRow
from autograder.grading.layout import OutputLayout
from autograder.grading.pipeline.dispatch import Ran
from autograder.grading.pipeline.intake import Intake
from autograder.grading.pipeline.plan import Plan, job_key
from autograder.grading.pipeline.settings import Settings
from autograder.results import GradeResult


@dataclass
class Recorded:
    """The results as the term sees them, the markers' scores applied."""

    ordered: list[GradeResult]        # this run's, by student/notebook
    everything: list[GradeResult]     # ... and, with a course definition, the other weeks'
    export: list[ExportRow]           # the gradebook's rows of every assignment in play
    skipped: list[Skipped]            # files not graded (the grader's failures included)


def _course_folders(s: Settings, taken: Intake, plan: Plan, ordered: list[GradeResult],
                    gb: Gradebook, db: str | None, reopened) -> None:
    """The nbgrader course folder of every assignment this run graded (formgrader)."""
    files = {job_key(j): Path(j.submission) for j in plan.jobs}
    for name in term_run.in_play(ordered, s.assignment):
        course_folder.write(s.out, name, taken.frozen.subset(
                                n for n in taken.sources if taken.term.assignment_of(n) == name),
                            [r for r in ordered if r.assignment == name], gb,
                            gradebook.normalize_url(db), files, reopened)


def record(s: Settings, taken: Intake, plan: Plan, ran: Ran, gb: Gradebook,
           db: str | None) -> Recorded:
    """Bring the term's records up to date with this run's results."""
    ordered = [ran.results[k] for k in sorted(ran.results)]
    reopened = reopen.apply(gb, s.out, ordered)   # answers changed after their mark
    _course_folders(s, taken, plan, ordered, gb, db, reopened)
    stored = term_run.other_results(s.out, ran.results, taken.term)   # other weeks, runs
    everything = ordered + (stored if taken.term.definition else [])
    term_run.settle_missing(gb, ordered + stored,
                            term_run.in_play(everything, s.assignment))
    marks = term_run.all_marks(gb, everything, s.assignment)
    export = [row for name in term_run.in_play(everything, s.assignment)
              for row in gradebook.export_rows(gb, name)]
    gradebook.nbgrader_csv(gb, OutputLayout(s.out).nbgrader_export_csv)
    return Recorded(hand_marks.applied(ordered, marks), hand_marks.applied(everything, marks),
                    export, taken.skipped + ran.errors)
