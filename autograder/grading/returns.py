"""``ch4 feedback OUT``: return marks to students after hand marking.

Reads what ``ch4 grade`` left in OUT (results/, sources/) and what markers entered in
formgrader (the gradebook: manual scores and comments), and writes

    OUT/returns/<student>/<notebook>.html   autograded results, hand marks, the marker's comments
    OUT/returns/zips/<student>.zip          one student's pages
    OUT/returns/<assignment>_feedback.zip   the class, one folder per student (for an LMS)
    OUT/canvas_grades.csv, OUT/moodle_grades.csv   rewritten from the gradebook (hand marks in)

Pages are built from the student release (feedback.render), so no hidden test, solution or
mark scheme can appear, and every page passes feedback's leak scan before it is written. In
the class zip a student whose id came from a Moodle download gets the folder name Moodle's
"upload multiple feedback files in a zip" expects (``<Full name>_<participant>_assignsubmission_
file_``); any other id is its own folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading import feedback, gradebook, hand_marks, layout, lms, term_run
from autograder.grading.layout import OutputLayout, ResultsRead, read_results, write_zip_atomic
from autograder.results import GradeResult
from autograder.term import standing

FOLDER = layout.RETURNS


class ReturnsError(ValueError):
    """OUT is not a folder ``ch4 grade`` wrote (one-line message)."""


@dataclass(frozen=True)
class Returned:
    """What ``ch4 feedback`` wrote."""

    pages: list[Path]
    student_zips: list[Path]
    class_zip: Path
    to_mark: int          # hand-marked answers still without a score
    withheld: list[str]   # student/notebook pages withheld by the leak scan
    lms_written: lms.LmsWritten = lms.LmsWritten()   # who the LMS CSVs left blank


def load_results(out: Path) -> list[GradeResult]:
    """Every complete result file under OUT/results (unreadable ones are reported)."""
    if not OutputLayout(out).results.is_dir():
        raise ReturnsError(f"{out}: no results/ folder (run `ch4 grade ... --out {out}` first)")
    read: ResultsRead = read_results(out)
    for bad in read.unreadable:
        raise ReturnsError(f"{bad.path}: unreadable result file ({bad.reason})")
    results = read.results
    if not results:
        raise ReturnsError(f"{out}: no graded submissions in results/")
    return results


def lms_folder(student: str, known: Mapping[str, lms.LmsIdentity] | None = None) -> str:
    """The folder a student's pages go to in the class zip."""
    who = lms.identify(student, known)
    if who.moodle_participant:
        return f"{who.name}_{who.moodle_participant}_assignsubmission_file_"
    return student


def write_returns(out: Path, db_url: str | None = None, assignment: str | None = None,
                  lms_options: lms.LmsOptions | None = None) -> Returned:
    """Pages and zips for every graded submission in OUT (see the module docstring)."""
    out = Path(out)
    every = load_results(out)          # the whole term: the LMS files show every assignment
    assignment = assignment or every[0].assignment
    results = [r for r in every if r.assignment == assignment]
    if not results:
        raise ReturnsError(f"{out}: no results for assignment {assignment!r}")
    paths = OutputLayout(out)
    sources = paths.frozen_sources()
    missing = sorted({r.notebook for r in results} - set(sources))
    if missing:
        raise ReturnsError(f"{out}/sources: no source for {', '.join(missing)}")
    gb, url = gradebook.open_for(out, db_url)   # the URL recorded in OUT, or --db
    try:
        marks = term_run.all_marks(gb, every, assignment)
        export = gradebook.export_rows(gb, assignment)
    finally:
        gb.close()
    if not export:          # never empty the LMS files from the wrong gradebook
        raise ReturnsError(f"the gradebook {gradebook.mask_url(url)} holds no grades of "
                           f"{assignment!r}, although {out}/results/ has some")
    results = hand_marks.applied(results, marks)
    loaded = {name: feedback.PageSource.of(nbk.read(sources[name]))
              for name in {r.notebook for r in results}}
    root = paths.returns
    pages: list[Path] = []
    withheld: list[str] = []
    by_student: dict[str, list[Path]] = {}
    for r in sorted(results, key=lambda r: (r.student, r.notebook)):
        comments = {gid: m.comment for (s, nb, gid), m in marks.items()
                    if s == r.student and nb == r.notebook and m.comment}
        page = feedback.safe_page(r, loaded[r.notebook], comments)
        if page == feedback.WITHHELD_PAGE:
            withheld.append(f"{r.student}/{r.notebook}")
        path = feedback.write_page(root, r, page)
        pages.append(path)
        by_student.setdefault(r.student, []).append(path)
    student_zips = []
    for student, paths in sorted(by_student.items()):
        target = root / "zips" / f"{student}.zip"
        write_zip_atomic(target, [(p.name, p) for p in paths])
        student_zips.append(target)
    class_zip = root / f"{assignment}_feedback.zip"
    known = lms.load_identities(out)
    write_zip_atomic(class_zip, [(f"{lms_folder(s, known)}/{p.name}", p)
                            for s, paths in sorted(by_student.items()) for p in paths])
    lms.canvas_feedback_zip(by_student, known, root / f"{assignment}_canvas_feedback.zip")
    to_mark = sum(1 for r in results for i in r.items if i.manual and i.needs_review)
    written = _lms_files(out, hand_marks.applied(every, marks), sources, lms_options)
    return Returned(pages, student_zips, class_zip, to_mark, withheld, written)


def _lms_files(out: Path, marked: list[GradeResult], sources: Mapping[str, Path],
               lms_options: lms.LmsOptions | None) -> lms.LmsWritten:
    """Every assignment's LMS files from the term's results (hand marks applied)."""
    definition = standing.term_of(out, marked, sources)
    return lms.write_term(standing.grades_for_out(out, marked), definition, out, lms_options)


def main(out: Path, db_url: str | None, assignment: str | None,
         lms_options: lms.LmsOptions | None = None) -> int:
    """The verb: write everything, print where it is; 2 with a message for a bad OUT."""
    import sys

    try:
        done = write_returns(out, db_url, assignment, lms_options)
    except (ReturnsError, nbk.NotebookError, gradebook.GradebookError, lms.LmsError) as exc:
        print(f"ch4 feedback: {exc}", file=sys.stderr)
        return 2
    print(f"{len(done.pages)} feedback pages for {len(done.student_zips)} students in "
          f"{OutputLayout(out).returns}/<student>/<notebook>.html")
    print(f"one zip per student: {OutputLayout(out).returns / 'zips'}/<student>.zip")
    print(f"class zip for the LMS: {done.class_zip}")
    canvas_zip = done.class_zip.with_name(done.class_zip.name.replace("_feedback.zip",
                                                                      "_canvas_feedback.zip"))
    if canvas_zip.exists():
        print(f"Canvas re-upload (Assignment > Re-upload submissions): {canvas_zip}")
    print(f"grades for the LMS: {OutputLayout(out).canvas_csv}, {OutputLayout(out).moodle_csv}")
    for line in done.lms_written.notes():
        print(line)
    if done.to_mark:
        print(f"note: {done.to_mark} hand-marked answer(s) still have no score (shown as "
              "'to be marked by hand')")
    for item in done.withheld:
        print(f"withheld (would reveal grader text): {item}")
    return 0
