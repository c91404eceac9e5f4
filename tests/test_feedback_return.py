"""``ch4 feedback OUT``: pages with hand marks and comments, a zip per student, a class zip."""

from __future__ import annotations

import html
import zipfile

import pytest
from graded_class import SOURCE, graded_copy

from autograder import notebook as nbk
from autograder.cli import main as ch4
from autograder.grading.feedback import secret_lines
from autograder.grading.returns import lms_folder

COMMENT = "Right idea; now say what the gradient of a step function is."


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    from nbgrader.api import Gradebook

    _, out, outcome = graded_copy(tmp_path_factory)
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        gb.find_grade("q01_free", "01_tiny", "ch4", "alice").manual_score = 1.0
        gb.find_comment("q01_free", "01_tiny", "ch4", "alice").manual_comment = COMMENT
        gb.find_comment("ex_double_answer", "01_tiny", "ch4", "alice").manual_comment = \
            "Neat one-liner."
        gb.db.commit()
    assert ch4(["feedback", str(out)]) == 0
    return out, outcome


def test_pages_show_hand_marks_comments_and_what_is_still_to_mark(returned):
    out, _ = returned
    alice = (out / "returns" / "alice" / "01_tiny.html").read_text()
    assert "q01_free: <span class='review'>marked by hand</span> (1/2)" in alice
    assert html.escape(COMMENT) in alice and "Neat one-liner." in alice
    assert "Marked by hand: <b>1/2</b>" in alice
    bob = (out / "returns" / "bob" / "01_tiny.html").read_text()
    assert "left blank" in bob
    carol = (out / "returns" / "carol" / "01_tiny.html").read_text()
    assert "could not be graded" in carol


def test_pages_reveal_no_hidden_test_solution_or_mark_scheme(returned):
    out, outcome = returned
    secrets = secret_lines(nbk.read(SOURCE))
    answers = {r.student: "\n".join(r.answers.values()) for r in outcome.results}
    pages = sorted((out / "returns").glob("*/*.html"))
    assert len(pages) == 3
    for page in pages:
        text = page.read_text()
        assert "MARK SCHEME" not in text and "Two points: small weight" not in text
        for line in secrets:
            if html.escape(line) in text:
                assert line in answers[page.parent.name], (page, line)


def test_one_zip_per_student_and_a_class_zip_for_the_lms(returned):
    out, _ = returned
    for student in ("alice", "bob", "carol"):
        with zipfile.ZipFile(out / "returns" / "zips" / f"{student}.zip") as zf:
            assert zf.namelist() == ["01_tiny.html"]
    with zipfile.ZipFile(out / "returns" / "ch4_feedback.zip") as zf:
        assert sorted(zf.namelist()) == ["alice/01_tiny.html", "bob/01_tiny.html",
                                         "carol/01_tiny.html"]
        assert html.escape(COMMENT) in zf.read("alice/01_tiny.html").decode()


def test_moodle_ids_get_the_folder_names_moodle_uploads_expect():
    assert lms_folder("Ada_Lovelace_4711_assignsubmission_file") == \
        "Ada Lovelace_4711_assignsubmission_file_"
    assert lms_folder("s1234567") == "s1234567"


def test_feedback_refuses_a_folder_that_was_never_graded(tmp_path, capsys):
    assert ch4(["feedback", str(tmp_path)]) == 2
    assert "no results/ folder (run `ch4 grade" in capsys.readouterr().err


def test_feedback_names_an_unreadable_result_file(tmp_path, capsys):
    (tmp_path / "results" / "alice").mkdir(parents=True)
    (tmp_path / "results" / "alice" / "01_tiny.json").write_text("{not json")
    assert ch4(["feedback", str(tmp_path)]) == 2
    assert "01_tiny.json: unreadable result file" in capsys.readouterr().err


def test_feedback_never_prints_a_database_password(returned, capsys):
    out, _ = returned
    code = ch4(["feedback", str(out), "--db", "postgresql://grader:s3cret@127.0.0.1:1/none"])
    err = capsys.readouterr().err
    assert code == 2 and "s3cret" not in err and err.startswith("ch4 feedback: ")


def test_an_answer_left_as_released_shows_one_line_not_a_traceback(returned):
    out, outcome = returned
    bob = next(r for r in outcome.results if r.student == "bob")
    assert any("NotImplementedError" in text for text in bob.outputs.values())  # the stub ran
    page = (out / "returns" / "bob" / "01_tiny.html").read_text()
    assert "Traceback" not in page and "<p>Output:</p>" not in page
    assert "Not answered yet: this cell is as it was released." in page


def test_an_unset_student_id_is_one_clear_line_on_the_page(tmp_path):
    from autograder.checks import choice
    from autograder.grading.feedback import PageSource, render
    from autograder.release import student_version
    from autograder.results import GradeResult

    source = nbk.read(SOURCE.parents[4] / "solutions" / "08_questionnaire.ipynb")
    stub = next(c.source for c in student_version(source).cells
                if nbk.grade_id(c) == "student_id")
    traceback = "Traceback (most recent call last):\nNotImplementedError"
    page_source = PageSource.of(source)
    for answer in (stub, stub.replace("raise NotImplementedError()", 'STUDENT_ID = ""')):
        result = GradeResult("zoe", "ch4", "08_questionnaire", "x.ipynb", "f", 1,
                             answers={"student_id": answer},
                             outputs={"student_id": traceback if "raise" in answer else ""})
        page = render(result, page_source)
        assert "Traceback" not in page
        assert html.escape(choice.UNSET_ID[1:]) in page
    chosen = stub.replace("raise NotImplementedError()", 'STUDENT_ID = "s123"')
    result = GradeResult("zoe", "ch4", "08_questionnaire", "x.ipynb", "f", 1,
                         answers={"student_id": chosen}, outputs={"student_id": "s123\n"})
    page = render(result, page_source)
    assert html.escape(choice.UNSET_ID[1:]) not in page and "<pre>s123\n</pre>" in page
