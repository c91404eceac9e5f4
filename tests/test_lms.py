"""LMS grade files follow the documented import formats, keep the ids from LMS file names, leave
a student blank while hand marking is pending (unless --lms-partial), and take Moodle emails."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autograder.grading import lms
from autograder.grading.atomic_csv import write_rows_atomic
from autograder.grading.collect import student_from_filename
from autograder.grading.gradebook import ExportRow

NOTEBOOKS = ["01_tiny", "08_questionnaire"]


def export_row(student: str, score: float, maximum: float = 12.0,
               pending: bool = False) -> ExportRow:
    return ExportRow("ch4", student, score, maximum, pending)


def read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_a_canvas_download_name_gives_the_canvas_user_id(tmp_path):
    student, _ = student_from_filename("smithjane_12345_67890_01_tiny.ipynb", NOTEBOOKS)
    late, _ = student_from_filename("smithjane_LATE_12345_67891_01_tiny.ipynb", NOTEBOOKS)
    assert student == late == "smithjane_12345"     # the per-file attachment id is dropped
    lms.save_identities({student: "smithjane_LATE_12345_67891"}, tmp_path)
    assert lms.identify(student, lms.load_identities(tmp_path)) == lms.LmsIdentity(
        student, "smithjane", canvas_user_id="12345")
    assert lms.identify(student).canvas_user_id == ""    # the id alone is not proof enough


def write_notebook(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')


def test_one_canvas_student_with_several_notebooks_stays_one_student(tmp_path):
    from autograder.grading.collect import collect

    folder = tmp_path / "download"
    for name in ("doejane_10000_50000_08_questionnaire.ipynb",
                 "doejane_LATE_10000_50001_01_tiny.ipynb",
                 "roebob_10001_50002_01_tiny-1.ipynb",          # Canvas's copy suffix
                 "s_2023_0042_01_tiny.ipynb", "s_2023_0043_01_tiny.ipynb"):  # not Canvas ids
        write_notebook(folder / name)
    subs, skipped = collect(folder, NOTEBOOKS)
    assert not skipped
    assert sorted((s.student, s.notebook) for s in subs) == [
        ("doejane_10000", "01_tiny"), ("doejane_10000", "08_questionnaire"),
        ("roebob_10001", "01_tiny"), ("s_2023_0042", "01_tiny"), ("s_2023_0043", "01_tiny")]
    lms.save_identities({s.student: s.lms_name for s in subs}, tmp_path)
    lms.write_all([export_row("doejane_10000", 7), export_row("s_2023_0042", 3)], tmp_path,
                  "ch4")
    rows = {row[0]: row[1:3] for row in read(tmp_path / "canvas_grades.csv")[2:]}
    assert rows == {"doejane": ["10000", ""], "s_2023_0042": ["", "s_2023_0042"]}


def test_two_canvas_files_of_the_same_notebook_are_one_student_the_later_one_graded(tmp_path):
    from autograder.grading.collect import collect

    folder = tmp_path / "download"          # issue 22: a resubmission is not a second student
    for name in ("lee_10000_50001_01_tiny.ipynb", "lee_10000_50000_01_tiny.ipynb"):
        write_notebook(folder / name)
    subs, skipped = collect(folder, NOTEBOOKS)
    assert [(s.student, s.path.name) for s in subs] == [
        ("lee_10000", "lee_10000_50001_01_tiny.ipynb")]      # the higher attachment id
    assert [(s.file, s.superseded) for s in skipped] == [("lee_10000_50000_01_tiny.ipynb", True)]


def test_a_moodle_download_name_gives_the_full_name_and_participant_number():
    student, notebook = student_from_filename(
        "Jane Doe_314159_assignsubmission_file_08_questionnaire.ipynb", NOTEBOOKS)
    assert notebook == "08_questionnaire"
    who = lms.identify(student)
    assert (who.name, who.moodle_participant, who.canvas_user_id) == ("Jane Doe", "314159", "")


def test_canvas_csv_has_the_documented_columns_and_points_possible_row(tmp_path):
    canvas_id, _ = student_from_filename("smithjane_12345_67890_01_tiny.ipynb", NOTEBOOKS)
    lms.save_identities({canvas_id: "smithjane_12345_67890"}, tmp_path)   # as the intake does
    lms.write_all([export_row(canvas_id, 7.5), export_row("s0042", 12)], tmp_path, "ch4")
    table = read(tmp_path / "canvas_grades.csv")
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ch4"]
    assert table[1][0] == "Points Possible" and table[1][-1] == "12"
    assert all(len(row) == len(table[0]) for row in table)
    by_student = {row[0]: row for row in table[2:]}
    # a Canvas download: matched by the Canvas user id; any other id: by SIS User ID
    assert by_student["smithjane"][1:3] == ["12345", ""]
    assert by_student["smithjane"][-1] == "7.5"
    assert by_student["s0042"][1:3] == ["", "s0042"]


def test_moodle_csv_has_an_id_column_to_map_and_one_grade_column(tmp_path):
    moodle_id, _ = student_from_filename(
        "Jane Doe_314159_assignsubmission_file_01_tiny.ipynb", NOTEBOOKS)
    lms.write_all([export_row("s0042", 3), export_row(moodle_id, 11)], tmp_path, "ch4")
    table = read(tmp_path / "moodle_grades.csv")
    assert table[0] == ["ID number", "Email address", "Full name", "Participant", "ch4"]
    rows = {row[0]: row for row in table[1:]}
    assert rows["s0042"][-1] == "3"
    assert rows[moodle_id][2:] == ["Jane Doe", "314159", "11"]


def test_moodle_rows_carry_emails_when_the_instructor_has_them():
    rows = lms.moodle_rows([export_row("s1", 2.0, 4.0)], "ch4",
                           lms.LmsOptions(emails={"s1": "s1@uni.example"}))
    assert rows[1] == ["s1", "s1@uni.example", "s1", "", "2"]


def test_an_empty_class_writes_headers_only(tmp_path):
    lms.write_all([], tmp_path, "ch4")
    assert read(tmp_path / "moodle_grades.csv") == [lms.MOODLE_HEADER + ["ch4"]]
    assert read(tmp_path / "canvas_grades.csv")[1][-1] == "0"


# ---------------------------------------------------------------- marking pending


def grade_cells(out: Path) -> dict[str, dict[str, str]]:
    """file -> student id -> grade cell, for both LMS files."""
    canvas = read(out / "canvas_grades.csv")
    moodle = read(out / "moodle_grades.csv")
    return {"canvas": {row[2] or row[1]: row[-1] for row in canvas[2:]},
            "moodle": {row[0]: row[-1] for row in moodle[1:]}}


def test_a_student_with_hand_marking_pending_gets_an_empty_grade_cell(tmp_path):
    written = lms.write_all([export_row("s1", 5, pending=True), export_row("s2", 9)],
                            tmp_path, "ch4")
    cells = grade_cells(tmp_path)
    assert cells["canvas"] == {"s1": "", "s2": "9"}
    assert cells["moodle"] == {"s1": "", "s2": "9"}
    assert written.pending == ("s1",)
    assert written.notes() == ["1 students left blank in canvas_grades.csv/moodle_grades.csv: "
                               "hand marking still to do"]


def test_lms_partial_writes_the_partial_score_and_says_so(tmp_path):
    written = lms.write_all([export_row("s1", 5, pending=True)], tmp_path, "ch4",
                            lms.LmsOptions(partial=True))
    assert grade_cells(tmp_path) == {"canvas": {"s1": "5"}, "moodle": {"s1": "5"}}
    assert written.notes() == ["1 students have PARTIAL scores in canvas_grades.csv/"
                               "moodle_grades.csv (--lms-partial): hand marking still to do"]


def test_nothing_is_said_when_every_student_is_fully_marked(tmp_path):
    assert lms.write_all([export_row("s1", 5)], tmp_path, "ch4").notes() == []


# ---------------------------------------------------------------- Moodle emails


def emails_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "emails.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_emails_file_fills_moodles_email_column_and_names_who_has_none(tmp_path):
    emails = lms.read_emails(emails_file(tmp_path, "student,email\ns1, s1@uni.example\n\n"))
    assert emails == {"s1": "s1@uni.example"}
    written = lms.write_all([export_row("s1", 2), export_row("s2", 3)], tmp_path, "ch4",
                            lms.LmsOptions(emails=emails))
    rows = {row[0]: row for row in read(tmp_path / "moodle_grades.csv")[1:]}
    assert rows["s1"][1] == "s1@uni.example" and rows["s2"][1] == ""
    assert written.without_email == ("s2",)
    assert "1 students have no email in the --moodle-emails file: s2" in written.notes()


@pytest.mark.parametrize(("text", "message"), [
    ("id,mail\ns1,s1@uni.example\n", "the first line must be the header 'student,email'"),
    ("", "the first line must be the header 'student,email' (found 'an empty file')"),
    ("student,email\ns1,a@uni.example\ns1,b@uni.example\n",
     "line 3: student 's1' is listed twice"),
    ("student,email\ns1,not-an-address\n", "line 2: 'not-an-address' is not an email address"),
    ("student,email\ns1,a@uni.example,extra\n", "line 2: expected 2 columns"),
    ("student,email\n,a@uni.example\n", "line 2: empty student id"),
])
def test_a_bad_emails_file_is_refused_with_the_line_and_the_reason(tmp_path, text, message):
    with pytest.raises(lms.LmsError, match="emails.csv") as err:
        lms.read_emails(emails_file(tmp_path, text))
    assert message in str(err.value)


def test_a_missing_emails_file_is_named(tmp_path):
    with pytest.raises(lms.LmsError, match="nope.csv: no such emails file"):
        lms.read_emails(tmp_path / "nope.csv")


def test_grade_and_feedback_refuse_a_bad_emails_file_before_doing_anything(tmp_path, capsys):
    from autograder.cli import main as ch4

    bad = emails_file(tmp_path, "who,where\n")
    code = ch4(["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"),
                "--moodle-emails", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("ch4 grade: ") and "header 'student,email'" in err
    assert not (tmp_path / "out").exists()
    code = ch4(["feedback", str(tmp_path / "out"), "--moodle-emails", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "x.csv: no such emails file" in err


# ---------------------------------------------------------------- the one CSV writer


def test_the_csv_writer_refuses_a_column_the_header_does_not_name(tmp_path):
    with pytest.raises(ValueError, match="row 1 has columns the header does not name: oops"):
        write_rows_atomic(tmp_path / "x.csv", ["a"], [{"a": 1, "oops": 2}])
    assert list(tmp_path.iterdir()) == []          # nothing written, no temporary left


def test_the_csv_writer_leaves_missing_columns_empty(tmp_path):
    write_rows_atomic(tmp_path / "x.csv", ["a", "b"], [{"a": 1}])
    assert read(tmp_path / "x.csv") == [["a", "b"], ["1", ""]]


# ---------------------------------------------------------------- a graded class, end to end


def test_a_graded_class_is_blank_until_marked_and_feedback_writes_the_final_marks(
        tmp_path_factory, capsys):
    from graded_class import graded_copy
    from nbgrader.api import Gradebook

    from autograder.cli import main as ch4

    _, out, outcome = graded_copy(tmp_path_factory)
    # alice wrote the hand-marked answer; bob left it blank (0, nothing to mark)
    assert outcome.lms_written.pending == ("alice",)
    before = grade_cells(out)
    assert before["canvas"]["alice"] == "" and before["moodle"]["alice"] == ""
    assert before["moodle"]["bob"] != ""
    assert ch4(["feedback", str(out), "--lms-partial"]) == 0
    assert "1 students have PARTIAL scores" in capsys.readouterr().out
    assert grade_cells(out)["moodle"]["alice"] == "6"
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:   # as formgrader saves a mark
        grade = gb.find_grade("q01_free", "01_tiny", "ch4", "alice")
        grade.manual_score, grade.needs_manual_grade = 1.5, False
        gb.db.commit()
    assert ch4(["feedback", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "left blank" not in printed and "canvas_grades.csv" in printed
    after = grade_cells(out)
    assert after["canvas"]["alice"] == after["moodle"]["alice"] == "7.5"
    assert all(after[kind].values() for kind in after)


def test_emails_given_once_are_kept_for_later_runs_without_the_option(tmp_path):
    rows = [export_row("s1", 2)]
    lms.write_all(rows, tmp_path, "ch4", lms.LmsOptions(emails={"s1": "s1@uni.example"}))
    lms.write_all(rows, tmp_path, "ch4")             # e.g. `ch4 feedback OUT` after marking
    assert read(tmp_path / "moodle_grades.csv")[1][1] == "s1@uni.example"
    lms.write_all(rows, tmp_path, "ch4", lms.LmsOptions(emails={"s1": "new@uni.example"}))
    assert read(tmp_path / "moodle_grades.csv")[1][1] == "new@uni.example"
