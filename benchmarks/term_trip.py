"""A whole term graded week by week into one OUT (issue 22): three assignments with due dates,
Canvas downloads, and the cases a term brings, each checked.

    python -m benchmarks.round_trip --term [--n 20] [--workers 2] [--no-sandbox] [--keep DIR]

The class (every file named as Canvas names it, ``<name>_<userid>_<attachment>_<nb>.ipynb``):

- role 1 uploads week 1 twice (two attachments): the later one is graded, the other superseded;
- role 2 is late in week 1 (``LATE_`` and a time 2 days after the due time): 2 days of penalty;
- role 3 is as late but has a 3-day extension in the course definition: no penalty;
- role 4 hands week 2 in twice as ``...-1.ipynb`` (a copy suffix): the copy is graded;
- role 5 hands nothing in for week 3: a missing notebook that counts 0;
- role 6 changes a written answer after it was marked (the first week with written answers
  is graded again);
- two students named ``smithjohn`` (two Canvas users) sit in two section folders.

Steps: ``ch4 course init``-style definition, ``ch4 grade`` per week (``--course`` the first
time only), hand marks for everything formgrader offers (through nbgrader's Gradebook API, as
formgrader saves them), week 1 again with the changed answer, marking what was reopened,
``ch4 feedback``; then the checks: one gradebook with three assignments, every student graded
in every assignment, the penalties as the policy says, the LMS files against the format
fixtures (tests/fixtures/lms) with no hand edit.
"""

from __future__ import annotations

import csv
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from autograder import notebook as nbk

REPO = Path(__file__).resolve().parent.parent
DUE = datetime(2027, 1, 15, 23, 59, tzinfo=UTC)
PERCENT_PER_DAY = 10.0
NAMES = ("doejane", "garciaana", "nguyenlan", "mullerjonas", "kowalskaewa", "okaforchidi",
         "tanakayui", "rossimarco", "haddadlina", "leeminho")
WRITTEN = "A smooth loss moves a little when the weights move a little, so SGD can follow it."
CHANGED = "Accuracy only changes when a prediction flips, so its gradient is zero almost always."


class TermTripError(AssertionError):
    """A term invariant failed (the figures would mean nothing)."""


def require(ok: bool, what: str) -> None:
    if not ok:
        raise TermTripError(what)


@dataclass(frozen=True)
class Plan:
    """What to grade: one notebook per week, from ``solutions``."""

    solutions: Path
    weeks: tuple[str, ...]               # the notebook of week 1, 2, 3
    n: int = 20
    workers: int = 2
    sandbox: bool = True

    def due(self, week: int) -> datetime:
        return DUE + timedelta(weeks=week)


@dataclass
class Person:
    student: str                         # the grader's id: <name>_<userid>
    section: str = ""


@dataclass
class Term:
    plan: Plan
    people: list[Person]
    roles: dict[int, str] = field(default_factory=dict)   # role -> student id


def class_of(n: int) -> Term:
    """``n`` students (at least 9): roles 1-6 first, then the two smithjohns."""
    require(n >= 9, "the term needs at least 9 students (7 roles and two namesakes)")
    people = [Person(f"{NAMES[i % len(NAMES)]}{i // len(NAMES) or ''}_{10000 + i}")
              for i in range(n - 2)]
    people += [Person(f"smithjohn_{10000 + n - 2}", "section1"),
               Person(f"smithjohn_{10000 + n - 1}", "section2")]
    return Term(Plan(REPO, ()), people, {role: people[role].student for role in range(1, 7)})


def course_text(plan: Plan, term: Term) -> str:
    """The course definition: three weekly assignments, 10 % per day, role 3's extension."""
    parts = [f'course = "ch4"\ntimezone = "UTC"\n[late]\npolicy = "per_day"\n'
             f"percent_per_day = {PERCENT_PER_DAY}\n"]
    for week, notebook in enumerate(plan.weeks):
        parts.append(f'[[assignment]]\nname = "week{week + 1}"\ntitle = "Week {week + 1}"\n'
                     f'notebooks = ["{notebook}"]\ndue = {plan.due(week).isoformat()}\n'
                     f'lms_column = "Week {week + 1} ({501 + week})"\n')
    parts.append(f'[[extension]]\nstudent = "{term.roles[3]}"\nassignment = "week1"\n'
                 "days = 3\n")
    return "\n".join(parts)


def notebook_text(plan: Plan, notebook: str, written: str, solved: bool = True,
                  changed: bool = False) -> str:
    """A complete answer (code from the solutions, ``written`` in every hand-marked cell; with
    ``changed``, the first hand-marked cell says something else), or the untouched release."""
    from benchmarks.grading import _examples_module

    ex = _examples_module()
    source = nbk.read(plan.solutions / f"{notebook}.ipynb")
    manual = {i.grade_id for i in nbk.graded_items(source) if i.manual}
    nb = ex.fill(source, ex.answer_cells(source) if solved else {})
    for cell in nb.cells:
        if solved and nbk.grade_id(cell) in manual:
            cell.source = CHANGED if changed else written
            changed = False
    return nbk.dumps(nb)


def _member(zf: zipfile.ZipFile, name: str, text: str, when: datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def week_zip(term: Term, week: int, folder: Path, changed: bool = False) -> Path:
    """Week ``week`` (0-based) as a Canvas download, with this week's roles."""
    plan, roles = term.plan, term.roles
    notebook, due = plan.weeks[week], plan.due(week)
    path = folder / f"week{week + 1}{'-again' if changed else ''}.zip"
    done = notebook_text(plan, notebook, WRITTEN)
    with zipfile.ZipFile(path, "w") as zf:
        for i, person in enumerate(term.people):
            name, user = person.student.rsplit("_", 1)
            prefix = f"{person.section}/" if person.section else ""
            stem = f"{prefix}{name}_{{late}}{user}_{{attachment}}_{notebook}"
            on_time = due - timedelta(days=1)
            if week == 2 and person.student == roles[5]:
                continue                                           # missing notebook
            if week == 0 and person.student in (roles[2], roles[3]):
                _member(zf, stem.format(late="LATE_", attachment=60000 + i) + ".ipynb", done,
                        due + timedelta(days=2))
                continue
            text = done
            if changed and person.student == roles[6]:
                text = notebook_text(plan, notebook, WRITTEN, changed=True)
            _member(zf, stem.format(late="", attachment=60000 + 100 * week + i) + ".ipynb",
                    text, on_time)
            if week == 0 and person.student == roles[1]:          # an earlier, empty upload
                _member(zf, stem.format(late="", attachment=50000 + i) + ".ipynb",
                        notebook_text(plan, notebook, "", solved=False), on_time)
            if week == 1 and person.student == roles[4]:          # a browser's copy suffix
                _member(zf, stem.format(late="", attachment=60000 + 100 * week + i)
                        + "-1.ipynb", text, on_time + timedelta(hours=1))
    return path


Runner = Callable[[list[str]], str]


def written_week(plan: Plan) -> int:
    """The first week whose notebook has hand-marked answers (role 6 changes one there)."""
    for week, notebook in enumerate(plan.weeks):
        source = nbk.read(plan.solutions / f"{notebook}.ipynb")
        if any(i.manual for i in nbk.graded_items(source)):
            return week
    raise TermTripError("no week's notebook has a hand-marked answer")


def mark_everything(out: Path) -> int:
    """Score every cell formgrader offers (written answers full marks, held items confirmed
    at the grader's score), as formgrader saves them; returns how many."""
    from nbgrader.api import Gradebook

    marked = 0
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for sub in gb.assignment_submissions(assignment.name):
                for nb in sub.notebooks:
                    for g in nb.grades:
                        if g.needs_manual_grade:
                            g.manual_score = g.max_score if g.auto_score is None \
                                else g.auto_score
                            g.needs_manual_grade = False
                            marked += 1
        gb.db.commit()
    return marked


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check_term(out: Path, term: Term) -> list[str]:
    """The Done-means checks on the finished term; returns what was checked."""
    from nbgrader.api import Gradebook

    sys.path.insert(0, str(REPO / "tests"))
    import lms_formats

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        names = sorted(a.name for a in gb.assignments)
    require(names == ["week1", "week2", "week3"], f"gradebook assignments: {names}")
    rows = {r["student"]: r for r in read_rows(out / "grades.csv")}
    require(set(rows) == {p.student for p in term.people},
            f"grades.csv students: {sorted(set(rows) ^ {p.student for p in term.people})}")
    blank = [(s, w) for s, r in rows.items() for w in names if r[f"{w}:grade"] == ""]
    require(not blank, f"students without a grade: {blank[:5]}")
    late, ext = rows[term.roles[2]], rows[term.roles[3]]
    maximum = float(late["week1:max"])
    want = 2 * PERCENT_PER_DAY / 100 * maximum
    require(abs(float(late["week1:penalty"]) - want) < 1e-6,
            f"late penalty {late['week1:penalty']}, policy says {want}")
    require(ext["week1:penalty"] == "0" and ext["week1:late_by"] == "",
            "the extension was not applied")
    missing = rows[term.roles[5]]
    require(missing["week3:missing"] == term.plan.weeks[2] and missing["week3:grade"] == "0",
            "the missing notebook does not count 0")
    intake = read_rows(out / "intake.csv")
    superseded = {r["student"] for r in intake if r["status"] == "superseded"}
    require({term.roles[1], term.roles[4]} <= superseded,
            f"superseded rows: {sorted(superseded)}")
    problems = lms_formats.canvas_gradebook(out / "canvas_grades.csv")
    require(not problems, f"canvas_grades.csv: {problems[:3]}")
    with open(out / "canvas_grades.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    require(len(table) - 2 == len(term.people) and all(all(c != "" for c in row[5:])
                                                       for row in table[2:]),
            "canvas_grades.csv: not one complete row per student")
    moodle = out / "moodle_grades.csv"
    require(moodle.exists(), "no moodle_grades.csv (the roster gives every e-mail)")
    problems = lms_formats.moodle_gradebook(moodle)
    require(not problems, f"moodle_grades.csv: {problems[:3]}")
    return ["3 assignments in one gradebook", f"{len(rows)} students graded in each",
            f"late penalty {want:g} points (2 days x {PERCENT_PER_DAY:g} %)",
            "extension honoured", "missing notebook counts 0",
            f"{len(superseded)} superseded uploads listed", "Canvas file passes its fixture",
            "Moodle gradebook import passes its fixture"]


def run_term(plan: Plan, work: Path, ch4: Runner, step: Callable[[str, float, str], None]
             ) -> list[str]:
    """Grade, mark and return the whole term; every step timed through ``step``."""
    term = class_of(plan.n)
    term.plan = plan
    work.mkdir(parents=True, exist_ok=True)
    out = work / "out"
    course = work / "ch4-course.toml"
    course.write_text(course_text(plan, term), encoding="utf-8")
    roster = work / "roster.csv"
    roster.write_text("student,email\n" + "".join(f"{p.student},{p.student}@example.edu\n"
                                                  for p in term.people), encoding="utf-8")
    common = ["--out", str(out), "--workers", str(plan.workers), "--quiet",
              "--solutions", str(plan.solutions), "--moodle-emails", str(roster)]
    common += [] if plan.sandbox else ["--no-sandbox"]
    for week in range(3):
        archive = week_zip(term, week, work)
        start = time.perf_counter()
        ch4(["grade", str(archive), *common, *(["--course", str(course)] if week == 0 else [])])
        step(f"ch4 grade week {week + 1}", time.perf_counter() - start,
             f"{plan.n} students, {plan.weeks[week]}")
    start = time.perf_counter()
    marked = mark_everything(out)
    step("mark everything formgrader offers", time.perf_counter() - start, f"{marked} cells")
    start = time.perf_counter()
    again = written_week(plan)
    ch4(["grade", str(week_zip(term, again, work, changed=True)), *common])
    rows = {r["student"]: r for r in read_rows(out / "grades.csv")}
    reopened = rows[term.roles[6]][f"week{again + 1}:to_mark"]
    step(f"week {again + 1} again (one written answer changed)", time.perf_counter() - start,
         f"{term.roles[6]}: {reopened} to mark again")
    require(reopened == "1", f"the one changed written answer: {reopened} to mark again")
    remarked = mark_everything(out)
    start = time.perf_counter()
    ch4(["grade", str(week_zip(term, 2, work)), *common])
    step("ch4 grade week 3 again (resume)", time.perf_counter() - start,
         f"{remarked} reopened cell(s) marked; grades.csv and the report rewritten")
    start = time.perf_counter()
    ch4(["feedback", str(out), "--moodle-emails", str(roster)])
    step("ch4 feedback", time.perf_counter() - start, "pages, zips and the LMS files")
    return check_term(out, term)
