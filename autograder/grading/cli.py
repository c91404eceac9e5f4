"""``ch4 grade``: argument parsing and printing only (the work is in ``run``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.grading import report
from autograder.grading.backends import ClusterError
from autograder.grading.collect import CollectError
from autograder.grading.data_dirs import default_data_dirs, needs_full_mnist
from autograder.grading.gradebook import GradebookError, mask_url, url_for
from autograder.grading.layout import OutputLayout
from autograder.grading.lms import LmsError, LmsOptions, read_roster
from autograder.grading.run import Settings, grade_class
from autograder.grading.sandbox import Limits, SandboxUnavailable, check_available
from autograder.grading.secret import GradingKeyError
from autograder.term.definition import DefinitionError

REPO = Path(__file__).resolve().parent.parent.parent

EPILOG = """\
Submissions: an nbgrader course folder (submitted/<student>/<assignment>/*.ipynb), or a flat
folder / .zip of notebooks named <student>_<notebook>.ipynb or <student>--<notebook>.ipynb
(the name must end with a notebook name from solutions/).

Outputs in --out: gradebook.db (nbgrader), results/ (one JSON per submission, used to resume),
executed/ and sources/ (instructor-only: hidden tests), feedback/<student>/<notebook>.html (safe to
send), grades.csv, nbgrader_export.csv (nbgrader's CSV export), scores_by_student.csv,
intake.csv (every file handed in: graded, invalid or skipped, and why), canvas_grades.csv and
moodle_grades.csv (LMS grade imports), report.html, and course/ (an nbgrader course
folder: mark by hand with `cd OUT/course && jupyter lab`, Nbgrader > Formgrader; then
`ch4 feedback OUT` returns marks and comments).
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = "Grade submissions in a sandbox (bubblewrap), in parallel, resumably."
    p.epilog = EPILOG
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("submissions", type=Path, help="course folder, flat folder or .zip")
    p.add_argument("--solutions", type=Path, default=REPO / "solutions",
                   help="instructor source notebooks (default: solutions/)")
    p.add_argument("--out", type=Path, default=Path("grading-out"), help="output folder")
    p.add_argument("--assignment", default="ch4", help="assignment name (default: ch4)")
    p.add_argument("--course", type=Path, metavar="FILE",
                   help="the course definition (`ch4 course init`): each notebook is graded "
                        "into its assignment of the term, with due dates and the late policy; "
                        "OUT keeps a copy, so later runs on OUT need no --course")
    p.add_argument("--workers", type=int, default=1, help="parallel kernels (default: 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="grade on a Dask cluster: tcp://HOST:8786 (a running scheduler) or "
                        "local:N (N worker processes here); needs the 'cluster' extra")
    p.add_argument("--timeout", type=float, default=120, help="seconds per cell (default 120)")
    p.add_argument("--notebook-timeout", type=float, default=900,
                   help="seconds per notebook (default 900)")
    p.add_argument("--memory", type=int, default=4096, help="address space in MB (default 4096)")
    p.add_argument("--processes", type=int, default=256,
                   help="max processes/threads of one kernel (default 256)")
    p.add_argument("--file-size", type=int, default=64, help="max file size in MB (default 64)")
    p.add_argument("--disk", type=int, default=512,
                   help="disk quota of one sandbox, all files together, in MB (default 512; "
                        "a tmpfs when the grader runs as root)")
    p.add_argument("--db", help="SQLAlchemy URL of the gradebook (default: the one OUT was "
                                "graded into, else OUT/gradebook.db)")
    p.add_argument("--data", type=Path, action="append", default=[],
                   help="extra read-only data folder for the kernel (default: the MNIST data)")
    p.add_argument("--notebook", action="append", default=[],
                   help="grade only this notebook name (repeatable)")
    p.add_argument("--force", action="store_true", help="regrade finished submissions too")
    p.add_argument("--key-file", type=Path, metavar="FILE",
                   help="the grading key behind the hidden inputs (default: "
                        "$CH4_GRADING_KEY_FILE, else OUT/grading-key, created on first use; "
                        "keep it private, never in the course's repository)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="UNSAFE: run kernels without bubblewrap (trusted code only)")
    p.add_argument("--no-warm", action="store_true",
                   help="start every kernel when its notebook arrives (no kernels started "
                        "ahead; slower, same sandbox and grades)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_lms_arguments(p)


def add_lms_arguments(p: argparse.ArgumentParser) -> None:
    """The options of every command that writes canvas_grades.csv and moodle_grades.csv."""
    p.add_argument("--lms-partial", action="store_true",
                   help="LMS CSVs: write partial scores for students whose hand marking is "
                        "not finished (default: leave their grade cell empty)")
    p.add_argument("--moodle-emails", type=Path, metavar="FILE",
                   help="the roster the Moodle gradebook import (moodle_grades.csv) is "
                        "keyed by: the grading worksheet downloaded from Moodle, or a CSV "
                        "with the header student,email (or student,email,id_number)")


def lms_options(args: argparse.Namespace) -> LmsOptions:
    """LmsOptions from the parsed options (LmsError for a bad emails file)."""
    if not args.moodle_emails:
        return LmsOptions(partial=args.lms_partial)
    roster = read_roster(args.moodle_emails)
    return LmsOptions(args.lms_partial, roster.emails, roster.id_numbers)


def settings_from(args: argparse.Namespace) -> Settings:
    lms = lms_options(args)       # a bad emails file fails before any grading starts
    limits = Limits(memory_mb=args.memory, processes=args.processes,
                    file_size_mb=args.file_size, disk_mb=args.disk, cell_timeout=args.timeout,
                    notebook_timeout=args.notebook_timeout)
    data_dirs = args.data or default_data_dirs(
        needs_full_mnist(args.solutions, tuple(args.notebook)))
    return Settings(args.submissions, args.solutions, args.out, args.assignment, args.workers,
                    limits, args.db, tuple(str(d) for d in data_dirs), not args.no_sandbox,
                    args.force, tuple(args.notebook), args.quiet, args.scheduler, lms,
                    args.key_file, warm=not args.no_warm, course=args.course)


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
    except LmsError as exc:
        print(f"ch4 grade: {exc}", file=sys.stderr)
        return 2
    return execute(settings)


def execute(settings: Settings) -> int:
    if settings.sandbox:
        try:
            check_available()
        except SandboxUnavailable as exc:
            print(f"ch4 grade: {exc} (or pass --no-sandbox for trusted code)", file=sys.stderr)
            return 2
    else:
        print("WARNING: grading WITHOUT a sandbox: student code runs with your permissions",
              file=sys.stderr)
    try:
        outcome = grade_class(settings)
    except (CollectError, ClusterError, GradebookError, GradingKeyError, LmsError,
            DefinitionError) as exc:
        print(f"ch4 grade: {exc}", file=sys.stderr)
        return 2
    print(report.summary(outcome.results))
    for note in outcome.skipped:
        print(f"skipped: {note}")
    out = outcome.out
    print(f"\n{len(outcome.results)} submissions ({outcome.graded} graded now, "
          f"{outcome.reused} reused) in {outcome.seconds:.1f}s"
          + (f" (reference solutions: {outcome.reference_seconds:.1f}s)"
             if outcome.reference_seconds else ""))
    paths = OutputLayout(out)
    print(f"feedback: {paths.feedback}/<student>/<notebook>.html")
    print(f"grades:   {paths.grades_csv}  (nbgrader export: {paths.nbgrader_export_csv})")
    print(f"report:   {paths.report_html}")
    print(f"marking:  cd {paths.course} && jupyter lab  (Nbgrader > Formgrader), "
          f"then ch4 feedback {out}")
    print(f"gradebook: {mask_url(url_for(out, settings.db))}")
    for line in outcome.lms_written.notes():
        print(line)
    return 0 if not any(n.grader_error for n in outcome.skipped) else 1
