"""Grade a class: intake, plan, dispatch, record, outputs (``grading/pipeline/``).

Resumable: every finished submission has a complete result file (the layout's atomic
writer); a rerun replays those into the gradebook (idempotent) and grades only what is
missing or changed.
"""

from __future__ import annotations

import sys
import time

from autograder.grading import gradebook
from autograder.grading.layout import OutputLayout
from autograder.grading.pipeline.dispatch import run_plan
from autograder.grading.pipeline.intake import freeze_sources, intake, sources
from autograder.grading.pipeline.outputs import outputs
from autograder.grading.pipeline.plan import plan
from autograder.grading.pipeline.record import record
from autograder.grading.pipeline.settings import ClassRun, Settings
from autograder.grading.pipeline.settings import spares as _spares

__all__ = ["ClassRun", "Settings", "_spares", "freeze_sources", "grade_class", "sources"]


def grade_class(s: Settings) -> ClassRun:
    """Grade every submission of ``s`` and write the class outputs into ``s.out``."""
    started = time.monotonic()
    paths = OutputLayout(s.out)
    taken = intake(s, paths)
    gb, db = gradebook.open_for(s.out, s.db)   # the URL recorded in OUT, or --db
    try:
        planned = plan(s, taken, paths, gb, sys.stderr)
        ran = run_plan(s, taken, planned, gb, sys.stderr)
        recorded = record(s, taken, planned, ran, gb, db)
    finally:
        gb.close()
    written = outputs(s, taken, recorded)
    return ClassRun(recorded.ordered, recorded.skipped, len(planned.resumed),
                   planned.to_grade, time.monotonic() - started, s.out,
                   ran.reference_seconds, written.lms_written)
