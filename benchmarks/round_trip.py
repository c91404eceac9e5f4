"""The instructor's whole round trip, step by step: LMS zip -> grades back in the LMS.

    python -m benchmarks.round_trip [--n 20] [--workers 2] [--notebooks 01_pixels_and_similarity]
                                    [--no-sandbox] [--keep DIR] [--out FILE]

Builds a Canvas-style submissions zip for N students (``<name>_<userid>_<attachment>_
<notebook>.ipynb``; the questionnaire 08, plus any ``--notebooks``) with a fixed mix of
complete, partial, wrong and untouched work, code and written answers alike, then times:

1. ``ch4 grade`` on the zip (sandboxed unless ``--no-sandbox``);
2. the course folder: formgrader's own API (nbgrader's NbGraderAPI) lists N submissions;
3. hand marks for every written answer still to mark, written through nbgrader's Gradebook
   API exactly as formgrader saves them (score, flag cleared, a comment). This step stands in
   for the human marker: its time is the machine's part only, not the reading;
4. the same ``ch4 grade`` command again (a resume: nothing regraded, every hand mark kept);
5. ``ch4 feedback`` (per-student pages and zips, the class zip, the LMS CSVs rewritten);
6. the LMS CSVs: every student has a grade, none blank, equal to the gradebook's total.

Every step asserts its invariants (a failure stops the run with the reason), so the figures
are of a round trip that worked. Prints a table; writes benchmarks/results/round_trip.json.

``--term`` runs a whole term instead (``benchmarks.term_trip``: three weekly assignments with
due dates, late work, an extension, resubmissions, a missing notebook, a written answer changed
after marking, namesakes in two sections) and writes results/round_trip_term.json.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading.course_folder import formgrader_api
from benchmarks.grading import _examples_module, kinds
from benchmarks.table import render, save

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "ch4"
QUESTIONNAIRE = "08_questionnaire"
NAMES = ("doejane", "smithjohn", "nguyenlan", "garciaana", "mullerjonas", "kowalskaewa",
         "okaforchidi", "tanakayui", "rossimarco", "haddadlina")
UNSURE = "I am not sure. Something about the weights changing the loss."


class RoundTripError(AssertionError):
    """An invariant of the round trip failed (the figure would mean nothing)."""


def require(ok: bool, what: str) -> None:
    if not ok:
        raise RoundTripError(what)


@dataclass
class Student:
    """One generated student: their Canvas-style id and the written answers they gave."""

    student_id: str                   # <name>_<userid>: the grader's id for all their files
    kind: str
    written: dict[str, str] = field(default_factory=dict)   # "<notebook>:<grade_id>" -> text


def written_items(source) -> dict[str, str]:
    """grade_id -> model answer of every hand-marked answer cell of a source notebook."""
    manual = {i.grade_id for i in nbk.graded_items(source) if i.manual}
    return {nbk.grade_id(c): c.source for c in source.cells if nbk.grade_id(c) in manual}


def make_class(n: int, notebooks: list[str], folder: Path) -> tuple[Path, list[Student]]:
    """A Canvas submissions download of ``n`` students as one zip (plus what each wrote)."""
    ex = _examples_module()
    rng = random.Random(7)
    sources = {name: nbk.read(REPO / "solutions" / f"{name}.ipynb") for name in notebooks}
    students = []
    zip_path = folder / "submissions.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, kind in enumerate(kinds(n)):
            student = Student(f"{NAMES[i % len(NAMES)]}{i // len(NAMES) or ''}_{10000 + i}",
                              kind)
            for attachment, (name, source) in enumerate(sorted(sources.items()),
                                                        start=50000 + 10 * i):
                code = ex.answer_cells(source)
                model = written_items(source)
                if kind == "complete":
                    chosen, text = code, dict(model)
                elif kind == "partial":
                    keep = set(rng.sample(sorted(code), max(1, len(code) // 2)))
                    chosen = {g: v for g, v in code.items() if g in keep}
                    text = {g: v for g, v in model.items() if rng.random() < 0.5}
                elif kind == "wrong":
                    bad = set(rng.sample(sorted(code), max(1, len(code) // 3)))
                    chosen = {g: ex._wrong(v) if g in bad else v for g, v in code.items()}
                    text = {g: UNSURE if rng.random() < 0.5 else v for g, v in model.items()}
                else:
                    chosen, text = {}, {}
                nb = ex.fill(source, chosen)
                for cell in nb.cells:
                    if nbk.grade_id(cell) in text:
                        cell.source = text[nbk.grade_id(cell)]
                student.written.update({f"{name}:{g}": v for g, v in text.items()})
                # Canvas gives each file its own attachment id
                zf.writestr(f"{student.student_id}_{attachment}_{name}.ipynb", nbk.dumps(nb))
            students.append(student)
    return zip_path, students


def ch4(args: list[str], env: dict) -> tuple[float, str]:
    """Run ``ch4 ARGS``; (seconds, stdout). A non-zero exit stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "autograder.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    require(done.returncode == 0, f"ch4 {args[0]} failed ({done.returncode}):\n"
                                  f"{(done.stdout + done.stderr)[-3000:]}")
    return seconds, done.stdout


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check_course_folder(out: Path, students: list[Student], notebooks: list[str]) -> None:
    api = formgrader_api(out / "course")
    ids = {s.student_id for s in students}
    require(api.get_autograded_students(ASSIGNMENT) == ids,
            f"formgrader lists {sorted(api.get_autograded_students(ASSIGNMENT))}, "
            f"not the {len(ids)} students")
    for name in notebooks:
        listed = {s["student"] for s in api.get_notebook_submissions(ASSIGNMENT, name)}
        require(listed == ids, f"formgrader lists {len(listed)} submissions of {name}, "
                               f"not {len(ids)}")


def mark(score: float, maximum: float) -> float:
    return max(0.0, min(maximum, score))


Key = tuple[str, str, str]           # (student, notebook, grade_id)


def enter_hand_marks(out: Path, students: list[Student], manual: set[str]
                     ) -> tuple[dict[Key, float], dict[Key, float]]:
    """Score and comment every answer still to mark, as formgrader saves them (the stand-in
    marker gives full marks for the model answer and half for anything else), and confirm the
    grader's score of every autograded item held for review. (written marks, reviewed)."""
    from nbgrader.api import Gradebook

    given: dict[Key, float] = {}
    reviewed: dict[Key, float] = {}
    written = {s.student_id: s.written for s in students}
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(ASSIGNMENT):
            for nb in sub.notebooks:
                comments = {c.name: c for c in nb.comments}
                for grade in nb.grades:
                    if not grade.needs_manual_grade or grade.manual_score is not None:
                        continue
                    key = (sub.student.id, nb.name, grade.name)
                    if f"{nb.name}:{grade.name}" not in manual:     # held for review
                        grade.manual_score = grade.auto_score or 0.0
                        grade.needs_manual_grade = False
                        reviewed[key] = grade.manual_score
                        continue
                    text = written[sub.student.id].get(f"{nb.name}:{grade.name}", "")
                    require(bool(text), f"{sub.student.id}/{nb.name}:{grade.name} is to mark "
                                        "but the student wrote nothing there")
                    full = text != UNSURE
                    score = mark(grade.max_score if full else grade.max_score / 2,
                                 grade.max_score)
                    grade.manual_score, grade.needs_manual_grade = score, False
                    comment = comments.get(grade.name)
                    if comment is not None:
                        comment.manual_comment = ("Clear and complete." if full else
                                                  "Say how a small weight change moves the loss.")
                    given[key] = score
        gb.db.commit()
    return given, reviewed


def check_marks_kept(out: Path, given: dict[Key, float], reviewed: dict[Key, float]) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        for (student, notebook, gid), score in {**given, **reviewed}.items():
            g = gb.find_grade(gid, notebook, ASSIGNMENT, student)
            require((g.manual_score, g.needs_manual_grade) == (score, False),
                    f"{student}/{notebook}:{gid}: hand mark {score} became "
                    f"{g.manual_score} (needs marking: {g.needs_manual_grade}) after the rerun")
    rows = read_csv(out / "grades.csv")
    require(all(r["to_mark"] == "0" for r in rows), "grades.csv still has answers to mark")
    for r in rows:
        mine = sum(s for (student, _, _), s in given.items() if student == r["student"])
        require(abs(float(r["hand_total"]) - mine) < 1e-9,
                f"grades.csv hand_total of {r['student']} is {r['hand_total']}, marked {mine}")


def lms_grades(out: Path) -> dict[str, str]:
    """Student id -> grade cell of canvas_grades.csv (moodle_grades.csv is keyed by the
    roster's emails since issue 22; benchmarks.term_trip checks it with a roster)."""
    with open(out / "canvas_grades.csv", newline="", encoding="utf-8") as handle:
        canvas = list(csv.reader(handle))[2:]
    return {f"{row[0]}_{row[1]}": row[-1] for row in canvas}


def check_lms_before(out: Path, students: list[Student]) -> int:
    """Before marking: exactly the students with written answers or flagged work are blank."""
    pending = {s.student_id for s in students if any(s.written.values())}
    pending |= {r["student"] for r in read_csv(out / "grades.csv") if r["flagged"] == "true"}
    blank = {k for k, v in lms_grades(out).items() if v == ""}
    require(blank == pending, f"blank before marking: {sorted(blank)}, "
                              f"to mark: {sorted(pending)}")
    return len(blank)


def check_lms_after(out: Path, students: list[Student]) -> None:
    totals = {r["student_id"]: float(r["raw_score"])
              for r in read_csv(out / "scores_by_student.csv")}
    grades = lms_grades(out)
    require(len(grades) == len(students), "the Canvas file does not have one row per student")
    for s in students:
        canvas = grades[s.student_id]
        require(canvas != "", f"{s.student_id}: no Canvas grade after marking")
        require(abs(float(canvas) - round(totals[s.student_id], 2)) < 1e-9,
                f"{s.student_id}: Canvas grade {canvas}, gradebook {totals[s.student_id]}")


def check_returns(out: Path, students: list[Student], notebooks: list[str]) -> None:
    zips = sorted((out / "returns" / "zips").glob("*.zip"))
    require(len(zips) == len(students), f"{len(zips)} student zips for {len(students)}")
    with zipfile.ZipFile(out / "returns" / f"{ASSIGNMENT}_feedback.zip") as zf:
        names = zf.namelist()
    require(len(names) == len(students) * len(notebooks),
            f"class zip has {len(names)} pages, expected {len(students) * len(notebooks)}")
    sample = next(s for s in students if any(s.written.values()))
    page = (out / "returns" / sample.student_id / f"{QUESTIONNAIRE}.html").read_text()
    require("marked by hand" in page and "to be marked by hand" not in page,
            f"{sample.student_id}'s page does not show the hand marks")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20, help="students (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="ch4 grade --workers (default 2)")
    parser.add_argument("--notebooks", nargs="*", default=[],
                        help="more notebooks besides the questionnaire, e.g. "
                             "01_pixels_and_similarity")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--out", type=Path, help="JSON file (default results/round_trip.json)")
    parser.add_argument("--term", action="store_true",
                        help="a 3-week term (benchmarks.term_trip) instead of one assignment")
    parser.add_argument("--weeks", nargs=3, metavar="NOTEBOOK", default=list(TERM_WEEKS),
                        help="--term: the notebook of each week (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.term:
        return term_main(args)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: choose a new or empty folder (a graded one resumes)")
    notebooks = sorted({QUESTIONNAIRE, *args.notebooks})
    for name in notebooks:
        if not (REPO / "solutions" / f"{name}.ipynb").is_file():
            parser.error(f"solutions/{name}.ipynb does not exist")
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    with tempfile.TemporaryDirectory(prefix="ch4-roundtrip-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        out = work / "out"
        steps: list[dict] = []

        def step(name: str, seconds: float, check: str) -> None:
            steps.append({"step": name, "s": round(seconds, 2),
                          "s per student": round(seconds / args.n, 3), "checked": check})
            print(f"{name}: {seconds:.1f} s  ({check})", flush=True)

        start = time.perf_counter()
        zip_path, students = make_class(args.n, notebooks, work)
        step("build the Canvas zip", time.perf_counter() - start,
             f"{args.n} students x {len(notebooks)} notebooks")
        grade = ["grade", str(zip_path), "--out", str(out), "--workers", str(args.workers),
                 "--quiet", *[a for name in notebooks for a in ("--notebook", name)]]
        if args.no_sandbox:
            grade.append("--no-sandbox")
        seconds, printed = ch4(grade, env)
        blank = check_lms_before(out, students)
        require(blank == 0 or f"{blank} students left blank" in printed,
                "ch4 grade did not say how many students the LMS files leave blank")
        to_mark = sum(int(r["to_mark"]) for r in read_csv(out / "grades.csv"))
        step("ch4 grade (LMS zip)", seconds,
             f"{to_mark} answers to mark; {blank} students blank in the LMS CSVs")
        start = time.perf_counter()
        check_course_folder(out, students, notebooks)
        step("course folder ready", time.perf_counter() - start,
             f"formgrader's API lists {args.n} submissions")
        start = time.perf_counter()
        manual = {f"{name}:{gid}" for name in notebooks
                  for gid in written_items(nbk.read(REPO / "solutions" / f"{name}.ipynb"))}
        given, reviewed = enter_hand_marks(out, students, manual)
        written = sum(1 for s in students for v in s.written.values() if v)
        require(len(given) == to_mark == written,
                f"marked {len(given)}, grades.csv said {to_mark}, students wrote {written}")
        step("hand marks via Gradebook API (stands in for the human)",
             time.perf_counter() - start, f"{len(given)} answers scored and commented, "
                                          f"{len(reviewed)} held items confirmed")
        seconds, printed = ch4(grade, env)
        require("0 graded now" in printed, "the rerun graded something again (not a resume)")
        check_marks_kept(out, given, reviewed)
        step("ch4 grade again (resume)", seconds, "nothing regraded; every hand mark kept")
        seconds, printed = ch4(["feedback", str(out)], env)
        require("left blank" not in printed, "ch4 feedback still leaves students blank")
        check_returns(out, students, notebooks)
        step("ch4 feedback", seconds, f"{args.n} student zips + class zip, hand marks shown")
        start = time.perf_counter()
        check_lms_after(out, students)
        step("LMS CSVs checked", time.perf_counter() - start,
             "every student graded, none blank, equal to the gradebook")
    total = sum(s["s"] for s in steps[1:])        # the instructor's part: not building the zip
    print()
    print(render(steps, ["step", "s", "s per student", "checked"]))
    print(f"round trip (every step but building the zip): {total:.1f} s for {args.n} students "
          f"({total / args.n:.2f} s per student)")
    payload = {"n": args.n, "notebooks": notebooks, "workers": args.workers,
               "sandbox": not args.no_sandbox, "cpus": os.cpu_count(),
               "mix": {k: kinds(args.n).count(k) for k in sorted(set(kinds(args.n)))},
               "steps": steps, "total_s": round(total, 2)}
    print(f"\nwritten to {save('round_trip', payload, args.out)}")
    return 0


TERM_WEEKS = ("01_pixels_and_similarity", "08_questionnaire", "02_tensors_and_metrics")


def term_main(args: argparse.Namespace) -> int:
    """``--term``: grade, mark and return a 3-week term; a table of the steps."""
    from benchmarks import term_trip

    env = dict(os.environ, PYTHONWARNINGS="ignore")
    plan = term_trip.Plan(REPO / "solutions", tuple(args.weeks), args.n, args.workers,
                          not args.no_sandbox)
    steps: list[dict] = []

    def step(name: str, seconds: float, check: str) -> None:
        steps.append({"step": name, "s": round(seconds, 2), "checked": check})
        print(f"{name}: {seconds:.1f} s  ({check})", flush=True)

    with tempfile.TemporaryDirectory(prefix="ch4-term-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        checked = term_trip.run_term(plan, work, lambda a: ch4(a, env)[1], step)
    total = sum(s["s"] for s in steps)
    print()
    print(render(steps, ["step", "s", "checked"]))
    print("checked: " + "; ".join(checked))
    payload = {"n": args.n, "weeks": list(args.weeks), "workers": args.workers,
               "sandbox": not args.no_sandbox, "cpus": os.cpu_count(), "steps": steps,
               "checked": checked, "total_s": round(total, 2)}
    print(f"\nwritten to {save('round_trip_term', payload, args.out)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as exc:      # RoundTripError, term_trip.TermTripError
        print(f"round trip FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
