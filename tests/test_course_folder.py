"""OUT/course: the nbgrader course folder ``ch4 grade`` writes for hand marking in formgrader.

One tiny class is graded once (tests/graded_class.py); these tests read its course folder the
way formgrader does (nbgrader's own API), mark by hand through nbgrader's Gradebook API, rerun
``ch4 grade`` and check that nothing a marker entered is lost.
"""

from __future__ import annotations

import csv
import html
import subprocess
import sys
from pathlib import Path

import pytest
from graded_class import ALICE_TEXT, SOURCE, grade, graded_copy, make, write_submission

from autograder import notebook as nbk
from autograder.grading import course_folder, hand_marks
from autograder.grading.course_folder import formgrader_api
from autograder.grading.feedback import secret_lines
from autograder.grading.nbgrader_plugins import is_marker_only

REPO = Path(__file__).resolve().parent.parent
SCHEME_TEXT = "Two points: small weight change gives a small loss change"
NBGRADER = str(Path(sys.executable).parent / "nbgrader")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return graded_copy(tmp_path_factory)


def gradebook(out: Path):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{out / 'gradebook.db'}")


def grades_csv(out: Path) -> dict[str, dict[str, str]]:
    return {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}


def autograded(out: Path, student: str):
    return nbk.read(out / "course" / "autograded" / student / "ch4" / "01_tiny.ipynb")


# ---------------------------------------------------------------- layout and formgrader


def test_course_folder_has_nbgrader_layout_pointing_at_the_gradebook(graded):
    _, out, _ = graded
    course = out / "course"
    config = (course / "nbgrader_config.py").read_text()
    assert f"sqlite:///{(out / 'gradebook.db').resolve()}" in config
    assert (course / "source" / "ch4" / "01_tiny.ipynb").read_bytes() == SOURCE.read_bytes()
    assert "BEGIN SOLUTION" not in (course / "release" / "ch4" / "01_tiny.ipynb").read_text()
    for student in ("alice", "bob", "carol"):
        for part in ("submitted", "autograded"):
            folder = course / part / student / "ch4"
            assert (folder / "01_tiny.ipynb").is_file(), (part, student)
            assert (folder / "timestamp.txt").read_text().endswith("UTC")
    assert (course / "submitted" / "carol" / "ch4" / "01_tiny.ipynb").read_text() == \
        '{"cells": ['


def test_formgrader_lists_every_submission_including_an_invalid_one(graded):
    _, out, _ = graded
    api = formgrader_api(out / "course")
    assert api.get_autograded_students("ch4") == {"alice", "bob", "carol"}
    listed = api.get_notebook_submissions("ch4", "01_tiny")
    assert sorted(s["student"] for s in listed) == ["alice", "bob", "carol"]
    assert all(s["autograded"] for s in api.get_submissions("ch4"))


def test_marker_copy_shows_answer_and_mark_scheme_and_nothing_hidden(graded):
    _, out, _ = graded
    nb = autograded(out, "alice")
    ids = [nbk.grade_id(c) for c in nb.cells]
    assert "q01_scheme" not in ids and not any(nbk.is_task(c) for c in nb.cells)
    free = ids.index("q01_free")
    assert nb.cells[free].source == ALICE_TEXT
    scheme = nb.cells[free + 1]
    assert is_marker_only(scheme) and SCHEME_TEXT in scheme.source
    assert "nbgrader" not in scheme.metadata and "BEGIN MARK SCHEME" not in scheme.source
    release = {nbk.grade_id(c): c.source for c in make.fill(nbk.read(SOURCE), {}).cells}
    text = nbk.dumps(nb)
    for cell in nb.cells:
        assert "ch4-probe" not in cell.metadata.get("tags", [])
        if nbk.is_autograded_test(cell):
            assert cell.source == release[nbk.grade_id(cell)]
            assert cell.outputs[0].text.startswith("ch4 grade: passed")
    assert "BEGIN HIDDEN" not in text and "BEGIN SOLUTION" not in text
    assert "could not be graded" in autograded(out, "carol").cells[0].source


def test_mark_schemes_are_not_items_anywhere(graded):
    _, out, outcome = graded
    assert all(not i.grade_id.endswith("_scheme") for r in outcome.results for i in r.items)
    assert not any(k.endswith("_scheme") for k in grades_csv(out)["alice"])
    with gradebook(out) as gb:
        nb = gb.find_notebook("01_tiny", "ch4")
        assert [c.name for c in nb.task_cells] == []
        assert nb.max_score == 8          # 6 autograded + q01_free's 2
    questionnaire = nbk.read(REPO / "solutions" / "08_questionnaire.ipynb")
    manual = [i for i in nbk.graded_items(questionnaire) if i.manual]
    from autograder.items.nb08 import SPEC

    assert [i.grade_id for i in manual] == [f"{i.grade_id}_free" for i in SPEC.items]
    released = (REPO / "course" / "08_questionnaire.ipynb").read_text()
    assert "_scheme" not in released and "Marking of question" not in released


# ---------------------------------------------------------------- hand marks survive


def test_hand_marks_survive_resume_force_and_a_late_submission(graded, tmp_path):
    subs, out, _ = graded
    with gradebook(out) as gb:
        g = gb.find_grade("q01_free", "01_tiny", "ch4", "alice")
        assert g.needs_manual_grade and g.manual_score is None
        g.manual_score, g.needs_manual_grade = 1.5, False
        gb.find_comment("q01_free", "01_tiny", "ch4", "alice").manual_comment = "Names it."
        gb.db.commit()

    def still_marked() -> None:
        with gradebook(out) as gb:
            g = gb.find_grade("q01_free", "01_tiny", "ch4", "alice")
            assert (g.manual_score, g.needs_manual_grade) == (1.5, False)
            comment = gb.find_comment("q01_free", "01_tiny", "ch4", "alice")
            assert comment.manual_comment == "Names it."
        row = grades_csv(out)["alice"]
        assert row["01_tiny:q01_free"] == "1.5" and row["hand_total"] == "1.5"
        assert row["to_mark"] == "0"
        by_student = {r["student_id"]: r for r in csv.DictReader(
            open(out / "scores_by_student.csv"))}
        assert float(by_student["alice"]["raw_score"]) == 6 + 1.5

    grade(subs, out)
    still_marked()
    outcome = grade(subs, out, force=True)
    assert outcome.graded == 3
    still_marked()
    write_submission(subs, "dave", {}, "Late, but written.")
    outcome = grade(subs, out)
    assert (outcome.graded, outcome.reused) == (1, 3)
    still_marked()
    assert grades_csv(out)["dave"]["01_tiny:q01_free"] == "to mark"
    assert grades_csv(out)["bob"]["01_tiny:q01_free"] == "0"      # left blank: nothing to mark
    api = formgrader_api(out / "course")
    assert api.get_autograded_students("ch4") == {"alice", "bob", "carol", "dave"}
    # nbgrader's own export, run in the course folder, has the hand mark too
    done = subprocess.run([NBGRADER, "export", "--to", str(tmp_path / "export.csv")],
                          cwd=out / "course", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    exported = {r["student_id"]: r for r in csv.DictReader(open(tmp_path / "export.csv"))}
    assert float(exported["alice"]["raw_score"]) == 7.5
    assert float(exported["alice"]["max_score"]) == 8


def test_a_changed_submission_gets_a_new_timestamp_and_stays_listed(graded, tmp_path):
    subs, out, _ = graded
    stamp = out / "course" / "submitted" / "bob" / "ch4" / "timestamp.txt"
    before = stamp.read_text()
    grade(subs, out)
    assert stamp.read_text() == before                 # same files: same submission time
    write_submission(subs, "bob", {}, "Now I wrote something.")
    grade(subs, out)
    assert stamp.read_text() != before
    assert "bob" in formgrader_api(out / "course").get_autograded_students("ch4")


def _mark(out: Path, student: str, score: float, comment: str) -> None:
    with gradebook(out) as gb:
        g = gb.find_grade("q01_free", "01_tiny", "ch4", student)
        g.manual_score, g.needs_manual_grade = score, False
        gb.find_comment("q01_free", "01_tiny", "ch4", student).manual_comment = comment
        gb.db.commit()


def test_an_answer_changed_after_marking_is_reopened_with_its_previous_mark(tmp_path_factory):
    subs, out, _ = graded_copy(tmp_path_factory)
    answers = make.answer_cells(nbk.read(SOURCE))
    _mark(out, "alice", 1.5, "Names the gradient.")
    write_submission(subs, "alice", answers, "A step function has no useful gradient.")
    grade(subs, out)
    with gradebook(out) as gb:
        g = gb.find_grade("q01_free", "01_tiny", "ch4", "alice")
        assert (g.manual_score, g.needs_manual_grade) == (None, True)   # old score taken back
        placeholder = gb.find_comment("q01_free", "01_tiny", "ch4", "alice").auto_comment
        assert "previous mark 1.5/2" in placeholder and "Names the gradient." in placeholder
    row = grades_csv(out)["alice"]
    assert (row["01_tiny:q01_free"], row["to_mark"], row["hand_total"]) == ("to mark", "1", "0")
    by_student = {r["student_id"]: r for r in csv.DictReader(open(out / "scores_by_student.csv"))}
    assert by_student["alice"]["needs_manual_grade"] == "True"
    nb = autograded(out, "alice")
    ids = [nbk.grade_id(c) for c in nb.cells]
    note = nb.cells[ids.index("q01_free") + 1]
    assert is_marker_only(note) and "Previous mark: **1.5/2**" in note.source
    assert ALICE_TEXT in note.source and "Names the gradient." in note.source
    assert "Answers changed after marking (to mark again) (1)" in (out / "report.html").read_text()
    assert hand_marks.reopened(out)[("alice", "01_tiny", "q01_free")].previous_score == 1.5
    done = subprocess.run([NBGRADER, "generate_feedback", "--assignment", "ch4", "--force",
                           "--student", "alice"], cwd=out / "course", capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    page = (out / "course" / "feedback" / "alice" / "ch4" / "01_tiny.html").read_text()
    assert "A step function has no useful gradient." in page      # the page is alice's
    assert "Answer changed" not in page and "Previous mark" not in page
    grade(subs, out)                          # a resume before marking: still to mark
    assert grades_csv(out)["alice"]["to_mark"] == "1"
    _mark(out, "alice", 2, "Now says why.")   # the marker confirms with a new score
    grade(subs, out)
    row = grades_csv(out)["alice"]
    assert (row["01_tiny:q01_free"], row["to_mark"]) == ("2", "0")
    assert "Previous mark" not in nbk.dumps(autograded(out, "alice"))
    assert "Answers changed after marking (to mark again) (0)" in (out / "report.html").read_text()
    with gradebook(out) as gb:
        assert gb.find_comment("q01_free", "01_tiny", "ch4", "alice").auto_comment is None


def test_an_unchanged_answer_keeps_its_mark_and_a_blanked_one_scores_zero(tmp_path_factory):
    subs, out, _ = graded_copy(tmp_path_factory)
    answers = make.answer_cells(nbk.read(SOURCE))
    _mark(out, "alice", 1.5, "Fine.")
    write_submission(subs, "alice", answers, ALICE_TEXT + "\n\n")   # only blank space added
    grade(subs, out)
    assert grades_csv(out)["alice"]["01_tiny:q01_free"] == "1.5"
    write_submission(subs, "alice", answers, "")
    grade(subs, out)
    row = grades_csv(out)["alice"]
    assert (row["01_tiny:q01_free"], row["to_mark"]) == ("0", "0")
    with gradebook(out) as gb:                 # nothing to mark: no note for a marker
        assert gb.find_grade("q01_free", "01_tiny", "ch4", "alice").manual_score is None
        assert gb.find_comment("q01_free", "01_tiny", "ch4", "alice").auto_comment is None


def test_an_unreadable_ledger_of_marked_answers_is_one_clear_error(tmp_path):
    from autograder.grading import reopen

    (tmp_path / reopen.LEDGER).write_text("{not json")
    with pytest.raises(reopen.ReopenError, match="cannot be read.*move it away"):
        reopen.Ledger.load(tmp_path)


def test_config_never_holds_a_database_password():
    text = course_folder.config_text("ch4", "postgresql+psycopg://grader:s3cret@db:5432/ch4")
    assert "s3cret" not in text and "grader@db:5432/ch4" in text and "PGPASSWORD" in text


# ---------------------------------------------------------------- nbgrader's feedback


def test_nbgrader_generate_feedback_on_the_course_folder_reveals_nothing_hidden(graded):
    _, out, outcome = graded
    course = out / "course"
    done = subprocess.run([NBGRADER, "generate_feedback", "--assignment", "ch4", "--force"],
                          cwd=course, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    pages = sorted((course / "feedback").rglob("*.html"))
    assert len(pages) == len(list((course / "autograded").glob("*/ch4/01_tiny.ipynb"))) >= 3
    secrets = secret_lines(nbk.read(SOURCE))
    answers = {r.student: "\n".join(r.answers.values()) for r in outcome.results}
    for page in pages:
        text = page.read_text()
        student = page.relative_to(course / "feedback").parts[0]
        for marker in ("MARK SCHEME", "Mark scheme for", SCHEME_TEXT, "BEGIN SOLUTION",
                       "HIDDEN TESTS"):
            assert marker not in text, (page, marker)
        for line in secrets:
            if line in text or html.escape(line) in text:
                assert line in answers.get(student, ""), (page, line)
