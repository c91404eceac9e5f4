"""Issue 22's Done means, small: benchmarks.term_trip on the tiny fixture (9 students, three
weekly copies of 01_tiny): three assignments in one gradebook, late work priced by the policy,
an extension, two resubmissions superseded, a missing notebook at 0, a changed written answer
reopened, and the Canvas file passing its format fixture with no hand edit (kernels)."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from graded_class import SOURCE
from harness import sandbox_ok

from autograder.cli import main
from benchmarks import term_trip


def ch4(args: list[str]) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(args)
    assert code == 0, f"ch4 {args[0]} exited {code}: {printed.getvalue()[-2000:]}"
    return printed.getvalue()


def test_a_three_week_term_of_nine_students_round_trips(tmp_path, shared_references):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    weeks = ("01_tiny", "02_tiny", "03_tiny")
    for name in weeks:
        shutil.copy(SOURCE, solutions / f"{name}.ipynb")
    plan = term_trip.Plan(solutions, weeks, n=9, workers=2, sandbox=sandbox_ok())
    steps: list[str] = []
    with shared_references():       # the three weeks are one notebook: one reference
        checked = term_trip.run_term(plan, tmp_path / "work", ch4,
                                     lambda name, s, note: steps.append(f"{name}: {note}"))
    assert "3 assignments in one gradebook" in checked
    assert "Canvas file passes its fixture" in checked
    assert "Moodle gradebook import passes its fixture" in checked
    assert len(steps) == 7
    assert Path(tmp_path / "work" / "out" / "ch4-course.toml").is_file()
