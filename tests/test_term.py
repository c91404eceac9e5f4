"""Issue 22: a term in one OUT: two weekly runs into one gradebook and one grades.csv, the
definition kept in OUT, lateness and extensions priced by the policy, a resubmission listed as
superseded, and week 1's hand marks untouched by week 2's run (kernels: two small runs)."""

from __future__ import annotations

import csv
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from graded_class import ALICE_TEXT, LIMITS, SOURCE, make
from harness import sandbox_ok
from nbgrader.api import Gradebook

from autograder import notebook as nbk
from autograder.grading import hand_marks
from autograder.grading.gradebook import export_rows
from autograder.grading.run import Settings, grade_class
from autograder.term import course_file, standing
from autograder.term.definition import DefinitionError, LatePolicy, load

DUE1 = datetime(2027, 1, 15, 23, 59, tzinfo=UTC)
DUE2 = DUE1 + timedelta(weeks=1)
COURSE = f"""
course = "ch4"
[late]
policy = "per_day"
percent_per_day = 10
[[assignment]]
name = "week1"
title = "Week 1"
notebooks = ["01_tiny"]
due = {DUE1.isoformat()}
lms_column = "Week 1 (101)"
[[assignment]]
name = "week2"
title = "Week 2"
notebooks = ["02_tiny", "03_tiny"]
due = {DUE2.isoformat()}
[[extension]]
student = "carol"
assignment = "week1"
days = 3
"""


def hand_in(folder: Path, name: str, notebook: str, when: datetime, solved: bool = True) -> None:
    nb = make.fill(nbk.read(SOURCE), make.answer_cells(nbk.read(SOURCE)) if solved else {})
    for cell in nb.cells:
        if nbk.grade_id(cell) == "q01_free" and solved:
            cell.source = ALICE_TEXT              # a written answer: to mark by hand
    path = folder / f"{name}_{notebook}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbk.write(nb, path)
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture(scope="module", autouse=True)
def _shared_references(shared_references):
    """The three weeks are copies of one tiny notebook: one reference, computed once per
    session."""
    with shared_references():
        yield


def run(subs: Path, solutions: Path, out: Path, course: Path | None = None):
    return grade_class(Settings(subs, solutions, out, "ch4", 2, LIMITS, None, (), sandbox_ok(),
                                quiet=True, course=course))


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    root = tmp_path_factory.mktemp("term")
    solutions = root / "solutions"
    solutions.mkdir()
    for name in ("01_tiny", "02_tiny", "03_tiny"):
        shutil.copy(SOURCE, solutions / f"{name}.ipynb")
    (root / "course.toml").write_text(COURSE)
    week1, week2, out = root / "week1", root / "week2", root / "out"
    hand_in(week1, "alice", "01_tiny", DUE1 - timedelta(days=1), solved=False)
    hand_in(week1, "alice", "01_tiny-1", DUE1 - timedelta(hours=1))     # resubmission
    hand_in(week1, "bob", "01_tiny", DUE1 + timedelta(hours=30))        # 2 started days late
    hand_in(week1, "carol", "01_tiny", DUE1 + timedelta(days=2))        # inside her extension
    first = run(week1, solutions, out, root / "course.toml")
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:          # a marker's work
        for student in ("alice", "bob", "carol"):
            g = gb.find_grade("q01_free", "01_tiny", "week1", student)
            g.manual_score, g.needs_manual_grade = 1.0, False
        gb.db.commit()
    hand_in(week2, "alice", "02_tiny", DUE2 - timedelta(hours=2))
    second = run(week2, solutions, out)                                  # no --course: OUT's
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv", encoding="utf-8"))}
    return out, first, second, rows


def test_one_gradebook_holds_both_weeks_and_grades_csv_shows_them(term):
    out, first, second, rows = term
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert sorted(a.name for a in gb.assignments) == ["week1", "week2"]
        g = gb.find_grade("q01_free", "01_tiny", "week1", "alice")
        assert g.manual_score == 1.0                       # week 2's run left it alone
    assert set(rows) == {"alice", "bob", "carol"}
    assert [r.assignment for r in second.results] == ["week2"]
    assert rows["alice"]["week1:grade"] != ""                 # marked in week 1
    assert (rows["alice"]["week2:grade"], rows["alice"]["week2:to_mark"]) == ("", "1")
    assert rows["bob"]["week2:missing"] == "02_tiny 03_tiny" and rows["bob"]["week2:grade"] == "0"


def test_a_missing_notebook_counts_0_once_the_rest_is_marked(term):
    out, _, second, rows = term
    assert rows["alice"]["week2:missing"] == "03_tiny"
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        pending = {r.student_id: r.needs_manual_grade for r in export_rows(gb, "week2")}
        assert pending == {"alice": True}           # her written answer in 02, nothing in 03
        g = gb.find_grade("q01_free", "02_tiny", "week2", "alice")
        g.manual_score, g.needs_manual_grade = 2.0, False
        gb.db.commit()
        assert [r.needs_manual_grade for r in export_rows(gb, "week2")] == [False]
        marked = hand_marks.applied(second.results, hand_marks.read(gb, "week2"))
    grade = next(g for g in standing.grades_for_out(out, marked) if g.assignment == "week2")
    maxima = standing.notebook_maxima({"02_tiny": SOURCE})["02_tiny"]
    assert grade.maximum == 2 * maxima.total and grade.missing == ("03_tiny",)
    assert grade.final == grade.auto + 2.0 and grade.to_mark == 0


def test_the_maximum_is_the_whole_assignment_hand_marked_points_included(term):
    _, _, _, rows = term
    maxima = standing.notebook_maxima({"01_tiny": SOURCE})["01_tiny"]
    assert maxima.hand > 0
    assert rows["alice"]["week1:max"] == f"{maxima.total:g}"
    assert rows["alice"]["week1:auto_max"] == f"{maxima.auto:g}"
    full = float(rows["alice"]["week1:grade"])
    assert rows["alice"]["week1:percent"] == f"{100 * full / maxima.total:.1f}"


def test_lateness_extension_and_penalty_follow_the_policy(term):
    _, _, _, rows = term
    maximum = float(rows["bob"]["week1:max"])
    assert float(rows["bob"]["week1:penalty"]) == pytest.approx(2 * 0.10 * maximum)
    raw = float(rows["bob"]["week1:auto"]) + float(rows["bob"]["week1:hand"])
    assert float(rows["bob"]["week1:grade"]) == pytest.approx(raw - 2 * 0.10 * maximum)
    assert rows["bob"]["week1:late_by"] == "30.00h"
    assert rows["carol"]["week1:late_by"] == "" and rows["carol"]["week1:penalty"] == "0"
    assert rows["alice"]["week1:late_by"] == ""


def test_the_late_students_feedback_page_says_how_late_and_what_it_cost(term):
    out, _, _, rows = term
    page = (out / "feedback" / "bob" / "01_tiny.html").read_text(encoding="utf-8")
    assert f"late by 1 day 6 h (-{float(rows['bob']['week1:penalty']):g} points)" in page
    assert "late by" not in (out / "feedback" / "carol" / "01_tiny.html").read_text()


def test_the_resubmission_is_graded_and_the_older_copy_listed_superseded(term):
    out, first, _, rows = term
    alice = next(r for r in first.results if r.student == "alice")
    assert alice.submission.endswith("alice_01_tiny-1.ipynb")
    intake = list(csv.DictReader(open(out / "intake.csv", encoding="utf-8")))
    superseded = [r for r in intake if r["status"] == "superseded"]
    assert [(r["file"], r["student"]) for r in superseded] == [("alice_01_tiny.ipynb", "alice")]
    assert "report.html" and "Late work (1)" in (out / "report.html").read_text()


def test_a_changed_definition_is_reported_and_kept(tmp_path, capsys):
    out = tmp_path / "out"
    first = tmp_path / "a.toml"
    first.write_text(COURSE)
    course_file.for_out(out, first)
    second = tmp_path / "b.toml"
    second.write_text(COURSE.replace("days = 3", "days = 4"))
    _, changes = course_file.for_out(out, second)
    assert changes == [f"extension carol/week1: due "
                       f"{(DUE1 + timedelta(days=3)).isoformat(timespec='minutes')} -> "
                       f"{(DUE1 + timedelta(days=4)).isoformat(timespec='minutes')}"]
    assert load(out / "ch4-course.toml").extensions[0].due == DUE1 + timedelta(days=4)
    assert course_file.for_out(out, None)[0] == load(second)


def test_course_init_writes_a_definition_that_loads_and_never_overwrites(tmp_path):
    path = tmp_path / "ch4-course.toml"
    first_due = datetime(2027, 1, 15, 23, 59)
    made = course_file.init(path, first_due=first_due)
    assert [a.name for a in made.assignments] == ["week1", "week2", "week3"]
    assert made.assignments[2].due == first_due.replace(tzinfo=UTC) + timedelta(weeks=2)
    assert load(path) == made
    with pytest.raises(DefinitionError, match="exists already"):
        course_file.init(path)


@pytest.mark.parametrize(("policy", "late", "expected"), [
    (LatePolicy("none"), timedelta(days=3), 0.0),
    (LatePolicy("per_day", 10), timedelta(minutes=1), 8.0),
    (LatePolicy("per_day", 10), timedelta(days=1, seconds=1), 16.0),
    (LatePolicy("per_day", 10, zero_after_days=2), timedelta(days=2, hours=1), 50.0),
    (LatePolicy("hard"), timedelta(minutes=1), 50.0),
    (LatePolicy("per_day", 50), timedelta(days=5), 50.0),          # never below 0
])
def test_penalties(policy, late, expected):
    assert standing.penalty(policy, 50.0, 80.0, late) == pytest.approx(expected)


def test_grace_minutes_count_as_on_time():
    policy = LatePolicy("per_day", 10, grace_minutes=15)
    assert standing.late_by(DUE1 + timedelta(minutes=10), DUE1, policy) is None
    assert standing.late_by(DUE1 + timedelta(minutes=20), DUE1, policy) == timedelta(minutes=20)


def test_the_lms_late_marker_counts_unless_the_student_has_an_extension():
    from autograder.results import GradeResult
    from autograder.term.definition import parse

    definition = parse(COURSE, Path("course.toml"))
    results = [GradeResult(s, "week1", "01_tiny", "f", "fp", 1) for s in ("dave", "carol")]
    maxima = {"01_tiny": standing.NotebookMax(8, 2)}
    on_time = {s: {"01_tiny": DUE1 - timedelta(hours=1)} for s in ("dave", "carol")}
    grades = {g.student: g for g in standing.grades_for(
        results, definition, maxima, on_time, lms_late={("dave", "01_tiny"),
                                                        ("carol", "01_tiny")})}
    assert grades["dave"].late and not grades["carol"].late


def test_a_bad_course_file_stops_ch4_grade_with_one_line(tmp_path, capsys):
    from autograder.cli import main

    bad = tmp_path / "course.toml"
    bad.write_text('[[assignment]]\nname = "week1"\n')          # no notebooks
    (tmp_path / "subs").mkdir()
    code = main(["grade", str(tmp_path / "subs"), "--course", str(bad), "--out",
                 str(tmp_path / "out"), "--no-sandbox", "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1] == f"ch4 grade: {bad}: assignment 'week1' needs a list of notebooks"


def test_ch4_course_init_refuses_to_overwrite_with_one_line(tmp_path, capsys):
    from autograder.cli import main

    path = tmp_path / "ch4-course.toml"
    assert main(["course", "init", str(path)]) == 0
    assert main(["course", "init", str(path)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"ch4 course: {path} exists already (edit it, or pass --force to replace it)")


def test_settling_missing_cells_keeps_covered_cells_and_marker_scores(tmp_path):
    from autograder.grading import gradebook, term_run
    from autograder.results import GradeResult, ItemResult

    sources = {}
    for name in ("01_tiny", "02_tiny"):
        sources[name] = tmp_path / f"{name}.ipynb"
        shutil.copy(SOURCE, sources[name])
    items = [ItemResult(i.grade_id, 0.0 if i.manual else i.points, i.points, not i.manual,
                        i.manual, needs_review=i.manual)
             for i in nbk.graded_items(nbk.read(SOURCE))]
    alice = GradeResult("alice", "week", "01_tiny", "f", "fp", 1, items=items)
    bob = GradeResult("bob", "week", "02_tiny", "f", "fp", 1, items=items)
    with gradebook.open_gradebook(f"sqlite:///{tmp_path / 'gb.db'}") as gb:
        gradebook.setup_assignment(gb, "week", sources)
        for r in (alice, bob):
            gradebook.record(gb, r)
        marked = gb.find_grade("q01_free", "02_tiny", "week", "alice")
        marked.manual_score = 1.5
        gb.db.commit()
        settled = term_run.settle_missing(gb, [alice, bob], ["week"])
        assert settled > 0
        assert gb.find_grade("q01_free", "02_tiny", "week", "alice").manual_score == 1.5
        missing = gb.find_grade("q01", "01_tiny", "week", "bob")
        assert (missing.auto_score, missing.needs_manual_grade) == (0.0, False)
        kept = gb.find_grade("q01_free", "01_tiny", "week", "alice")
        assert kept.needs_manual_grade                      # covered: still to mark
        assert gb.find_grade("ex_double", "01_tiny", "week", "alice").auto_score == 2.0
