"""Stage 5, outputs: the grades, the students' feedback pages, the similarity hints and the
class files (grades.csv, report.html, LMS tables...), all from the results in memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.grading import feedback, lms, report, similarity, term_run
from autograder.grading.layout import OutputLayout
from autograder.grading.pipeline.intake import Intake
from autograder.grading.pipeline.record import Recorded
from autograder.grading.pipeline.settings import Settings
from autograder.grading.similarity.pages import Stored, section_html
from autograder.term import standing


@dataclass
class Written:
    """What the outputs stage reports back."""

    lms_written: lms.LmsWritten


def _similarity(rec: Recorded, used: dict[str, Path], out: Path) -> str:
    """The similarity files, and the report's section of them ('' when not computed)."""
    found = similarity.after_grading(rec.ordered, used, out)   # a hint; a failure only warns
    return "" if found is None else section_html(Stored.of(found))


def outputs(s: Settings, taken: Intake, rec: Recorded) -> Written:
    """Every file a person reads, from ``rec``."""
    paths = OutputLayout(s.out)
    definition = taken.term.effective({r.notebook for r in rec.everything})
    grades = standing.grades_for(rec.everything, definition,
                                 standing.notebook_maxima(taken.whole),
                                 standing.load_times(s.out),
                                 lms_late=standing.load_lms_late(s.out))
    used = taken.frozen.subset(sorted({r.notebook for r in rec.ordered}))
    feedback.write_all(rec.ordered, used, paths.feedback,
                       standing.lateness_notes(grades, definition))
    section = _similarity(rec, used, s.out)
    listed = term_run.carry_skipped(s.out, taken.term, rec.skipped, taken.submissions) \
        if taken.term.definition else rec.skipped   # the report lists other weeks' files
    whole = taken.whole.subset(sorted({r.notebook for r in rec.everything}))
    written = report.write_all(rec.everything, whole, s.out, rec.export, listed,
                               (Path(s.submissions), paths.extracted), s.lms, grades, section)
    return Written(written)
