"""LMS grade files follow the documented import formats and keep the ids from LMS file names."""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.grading import lms
from autograder.grading.collect import student_from_filename

NOTEBOOKS = ["01_tiny", "08_questionnaire"]


def export_row(student: str, score: float, maximum: float = 12.0) -> dict:
    return {"assignment": "ch4", "student_id": student, "raw_score": score,
            "max_score": maximum, "needs_manual_grade": False}


def read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_a_canvas_download_name_gives_the_canvas_user_id():
    student, _ = student_from_filename("smithjane_12345_67890_01_tiny.ipynb", NOTEBOOKS)
    assert lms.identify(student) == lms.LmsIdentity(student, "smithjane",
                                                    canvas_user_id="12345")
    late, _ = student_from_filename("smithjane_LATE_12345_67891_01_tiny.ipynb", NOTEBOOKS)
    assert lms.identify(late).canvas_user_id == "12345"


def test_a_moodle_download_name_gives_the_full_name_and_participant_number():
    student, notebook = student_from_filename(
        "Jane Doe_314159_assignsubmission_file_08_questionnaire.ipynb", NOTEBOOKS)
    assert notebook == "08_questionnaire"
    who = lms.identify(student)
    assert (who.name, who.moodle_participant, who.canvas_user_id) == ("Jane Doe", "314159", "")


def test_canvas_csv_has_the_documented_columns_and_points_possible_row(tmp_path):
    canvas_id, _ = student_from_filename("smithjane_12345_67890_01_tiny.ipynb", NOTEBOOKS)
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
    rows = lms.moodle_rows([lms.ScoreRow("s1", 2.0, 4.0)], "ch4", {"s1": "s1@uni.example"})
    assert rows[1] == ["s1", "s1@uni.example", "s1", "", "2"]


def test_an_empty_class_writes_headers_only(tmp_path):
    lms.write_all([], tmp_path, "ch4")
    assert read(tmp_path / "moodle_grades.csv") == [lms.MOODLE_HEADER + ["ch4"]]
    assert read(tmp_path / "canvas_grades.csv")[1][-1] == "0"
