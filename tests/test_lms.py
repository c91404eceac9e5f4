"""LMS grade files follow the documented import formats, keep the ids from LMS file names, leave
a student blank while hand marking is pending (unless --lms-partial), and take Moodle emails."""

from __future__ import annotations

import csv
from pathlib import Path

import lms_formats
import pytest

from autograder.grading import lms
from autograder.grading.collect import student_from_filename
from autograder.grading.gradebook import ExportRow
from autograder.grading.layout import write_rows_atomic

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


def test_moodle_gradebook_import_is_keyed_by_the_rosters_email_and_id_number(tmp_path):
    # issue 22: the ID number column held the grader's own id, which Moodle cannot match
    moodle_id, _ = student_from_filename(
        "Jane Doe_314159_assignsubmission_file_01_tiny.ipynb", NOTEBOOKS)
    roster = lms.LmsOptions(emails={"s0042": "s42@uni.example", moodle_id: "jd@uni.example"},
                            id_numbers={"s0042": "2023-0042"})
    lms.write_all([export_row("s0042", 3), export_row(moodle_id, 11), export_row("s9", 1)],
                  tmp_path, "ch4", roster)
    table = read(tmp_path / "moodle_grades.csv")
    assert table[0] == ["Email address", "ID number", "Full name", "ch4"]
    assert sorted(table[1:]) == [["jd@uni.example", "", "Jane Doe", "11"],
                                 ["s42@uni.example", "2023-0042", "s0042", "3"]]
    assert lms_formats.moodle_gradebook(tmp_path / "moodle_grades.csv") == []


def test_without_a_roster_the_moodle_gradebook_import_has_no_row_moodle_cannot_match(
        tmp_path):
    written = lms.write_all([export_row("s1", 2.0, 4.0)], tmp_path, "ch4")
    assert read(tmp_path / "moodle_grades.csv") == [["Email address", "Full name", "ch4"]]
    assert written.moodle_rows == 0
    assert any("moodle_grades.csv has no rows" in line and "--moodle-emails" in line
               for line in written.notes())


def test_an_empty_class_writes_headers_only(tmp_path):
    lms.write_all([], tmp_path, "ch4")
    assert read(tmp_path / "moodle_grades.csv") == [["Email address", "Full name"]]
    assert read(tmp_path / "canvas_grades.csv") == [lms.CANVAS_HEADER,
                                                    ["Points Possible", "", "", "", ""]]


# ---------------------------------------------------------------- marking pending


ROSTER = lms.LmsOptions(emails={s: f"{s}@uni.example" for s in ("s1", "s2", "alice", "bob")})


def grade_cells(out: Path) -> dict[str, dict[str, str]]:
    """file -> student id -> grade cell, for both LMS files (Moodle: keyed by the roster's
    email, a student left out of the import shown as absent)."""
    canvas = read(out / "canvas_grades.csv")
    moodle = read(out / "moodle_grades.csv")
    return {"canvas": {row[2] or row[1]: row[-1] for row in canvas[2:]},
            "moodle": {row[0].split("@")[0]: row[-1] for row in moodle[1:]}}


def test_a_student_with_hand_marking_pending_gets_an_empty_grade_cell(tmp_path):
    written = lms.write_all([export_row("s1", 5, pending=True), export_row("s2", 9)],
                            tmp_path, "ch4", ROSTER)
    cells = grade_cells(tmp_path)
    assert cells["canvas"] == {"s1": "", "s2": "9"}
    assert cells["moodle"] == {"s2": "9"}      # Moodle reads an empty cell as "no grade"
    assert written.pending == ("s1",)
    assert written.notes() == ["1 students left blank in canvas_grades.csv/moodle_grades.csv: "
                               "hand marking still to do"]


def test_lms_partial_writes_the_partial_score_and_says_so(tmp_path):
    written = lms.write_all([export_row("s1", 5, pending=True)], tmp_path, "ch4",
                            lms.LmsOptions(partial=True, emails=ROSTER.emails))
    assert grade_cells(tmp_path) == {"canvas": {"s1": "5"}, "moodle": {}}
    assert written.notes() == ["1 students have PARTIAL scores in canvas_grades.csv/"
                               "moodle_grades.csv (--lms-partial): hand marking still to do"]


def test_nothing_is_said_when_every_student_is_fully_marked(tmp_path):
    assert lms.write_all([export_row("s1", 5)], tmp_path, "ch4", ROSTER).notes() == []


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
    rows = {row[1]: row for row in read(tmp_path / "moodle_grades.csv")[1:]}
    assert rows == {"s1": ["s1@uni.example", "s1", "2"]}     # s2: nothing Moodle can match
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
    roster = out.parent / "roster.csv"
    roster.write_text("student,email\nalice,alice@uni.example\nbob,bob@uni.example\n")
    assert ch4(["feedback", str(out), "--moodle-emails", str(roster)]) == 0
    before = grade_cells(out)
    assert before["canvas"]["alice"] == "" and "alice" not in before["moodle"]
    assert before["moodle"]["bob"] != ""
    assert ch4(["feedback", str(out), "--lms-partial"]) == 0
    assert "1 students have PARTIAL scores" in capsys.readouterr().out
    assert grade_cells(out)["canvas"]["alice"] == "6"
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
    assert read(tmp_path / "moodle_grades.csv")[1][0] == "s1@uni.example"
    lms.write_all(rows, tmp_path, "ch4", lms.LmsOptions(emails={"s1": "new@uni.example"}))
    assert read(tmp_path / "moodle_grades.csv")[1][0] == "new@uni.example"


# ------------------------------------------------ a term: files that import as they are


def term_definition():
    from autograder.term.definition import parse

    return parse("""
course = "ch4"
[[assignment]]
name = "week1"
title = "Week 1"
notebooks = ["01_tiny"]
lms_column = "Week 1: pixels"
canvas_assignment_id = "4711"
[[assignment]]
name = "week2"
title = "Week 2"
notebooks = ["08_questionnaire"]
""", Path("ch4-course.toml"))


def standing(student: str, assignment: str, auto: float, hand: float = 0.0,
             maximum: float = 20.0, to_mark: int = 0, missing: tuple[str, ...] = (),
             late_days: int = 0, penalty: float = 0.0):
    from datetime import UTC, datetime, timedelta

    from autograder.term.standing import AssignmentGrade

    when = datetime(2027, 1, 15, 12, tzinfo=UTC)
    return AssignmentGrade(student, assignment, auto, hand, maximum, to_mark, missing,
                           when + timedelta(days=late_days),
                           timedelta(days=late_days) if late_days else None, penalty, 12.0)


def canvas_identities(out: Path) -> None:
    lms.remember_submissions([
        ("ann_101", "01_tiny", "ann_101_9001"),
        ("ann_101", "08_questionnaire", "ann_LATE_101_9002"),
        ("bo_102", "01_tiny", "bo_102_9003"),
        ("Jane Doe_314159_assignsubmission_file", "01_tiny",
         "Jane Doe_314159_assignsubmission_file")], out)


TERM = [standing("ann_101", "week1", 10, 6, late_days=1, penalty=2),   # late, penalised
        standing("ann_101", "week2", 5, to_mark=1),                     # still to mark
        standing("bo_102", "week1", 12, 0, missing=("01_tiny",)),       # a notebook missing
        standing("bo_102", "week2", 7, 3),
        standing("Jane Doe_314159_assignsubmission_file", "week1", 8, 8),
        standing("Jane Doe_314159_assignsubmission_file", "week2", 0, 0)]


def test_the_canvas_file_has_one_exact_column_per_assignment_and_imports_as_it_is(tmp_path):
    canvas_identities(tmp_path)
    written = lms.write_term(TERM, term_definition(), tmp_path)
    assert lms_formats.canvas_gradebook(tmp_path / "canvas_grades.csv") == []
    table = read(tmp_path / "canvas_grades.csv")
    assert table[0][5:] == ["Week 1: pixels (4711)", "Week 2"]   # from the definition
    assert table[1][5:] == ["20", "20"]              # the full maxima, hand-marked included
    rows = {row[0]: row for row in table[2:]}
    assert len(rows) == 3 and rows["ann"][1] == "101" and rows["bo"][1] == "102"
    expected = {g.student: {} for g in TERM}
    for g in TERM:
        expected[g.student][g.assignment] = "" if g.final is None else f"{g.final:g}"
    assert rows["ann"][5:] == [expected["ann_101"]["week1"], ""] == ["14", ""]
    assert rows["bo"][5:] == ["12", "10"]
    assert written.pending == ("ann_101",)


def test_two_students_that_would_be_one_canvas_user_stop_the_lms_files_loudly(tmp_path):
    lms.remember_submissions([("ann_101", "01_tiny", "ann_101_9001"),
                              ("ann_101-b", "01_tiny", "ann_101_9005")], tmp_path)
    grades = [standing("ann_101", "week1", 1), standing("ann_101-b", "week1", 2)]
    with pytest.raises(lms.LmsError, match="ann_101 and ann_101-b have the same Canvas user"):
        lms.write_term(grades, term_definition(), tmp_path)
    assert not (tmp_path / "canvas_grades.csv").exists()


def test_each_assignment_gets_a_moodle_worksheet_with_participant_identifiers(tmp_path):
    from datetime import UTC, datetime

    canvas_identities(tmp_path)
    now = datetime(2027, 2, 1, 9, 30, tzinfo=UTC)
    written = lms.write_term(TERM, term_definition(), tmp_path, now=now)
    assert [p.name for p in written.worksheets] == ["moodle_worksheet_week1.csv",
                                                   "moodle_worksheet_week2.csv"]
    for path in written.worksheets:
        assert lms_formats.moodle_worksheet(path) == []
    sheet = read(tmp_path / "moodle_worksheet_week1.csv")
    assert len(sheet) == 2                           # only the Moodle student
    row = dict(zip(sheet[0], sheet[1], strict=True))
    assert row["Identifier"] == "Participant 314159" and row["Full name"] == "Jane Doe"
    assert (row["Grade"], row["Maximum Grade"]) == ("16", "20")
    assert row["Last modified (grade)"] == "2027-02-01T09:30:00+00:00"
    assert "16 of 20 points" in row["Feedback comments"]


def test_the_worksheet_comment_says_lateness_and_missing_notebooks():
    from autograder.grading.lms_tables import comment

    text = comment(standing("x", "week1", 10, 0, missing=("08_questionnaire",), late_days=2,
                            penalty=4))
    assert "late by 2 days" in text and "(-4 points)" in text
    assert "not handed in (0 points): 08_questionnaire" in text


def test_the_moodle_gradebook_import_holds_a_student_only_once_all_grades_are_final(tmp_path):
    canvas_identities(tmp_path)
    roster = lms.LmsOptions(emails={"ann_101": "ann@uni.example", "bo_102": "bo@uni.example"},
                            id_numbers={"bo_102": "S-102"})
    lms.write_term(TERM, term_definition(), tmp_path, roster)
    assert lms_formats.moodle_gradebook(tmp_path / "moodle_grades.csv") == []
    table = read(tmp_path / "moodle_grades.csv")
    assert table == [["Email address", "ID number", "Full name", "Week 1: pixels", "Week 2"],
                     ["bo@uni.example", "S-102", "bo", "12", "10"]]   # ann: week 2 to mark


def test_the_format_checks_catch_what_an_importer_would_refuse(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Student,ID,SIS User ID,SIS Login ID,Section,ch4\n"
                   "Points Possible,,,,,10\nann,101,,,,4\nann again,101,,,,12\n")
    problems = lms_formats.canvas_gradebook(bad)
    assert any("'101' appears twice" in p for p in problems)
    assert any("above 10" in p for p in problems)
    bad.write_text("ID number,Email address,Full name,Participant,ch4\ns1,,s1,,3\n")
    assert lms_formats.moodle_gradebook(bad) != []    # the pre-issue-22 Moodle file
    bad.write_text(",".join(lms_formats.fixture("moodle_offline_worksheet")["header"]["exact"])
                   + "\nParticipant 7,J,,x,30,20,Yes,-,yesterday,\n")
    assert len(lms_formats.moodle_worksheet(bad)) == 2


def test_the_canvas_feedback_zip_names_pages_as_canvas_re_upload_matches_them(tmp_path):
    canvas_identities(tmp_path)
    pages = {}
    for student, notebook in (("ann_101", "01_tiny"), ("ann_101", "08_questionnaire"),
                              ("bo_102", "01_tiny"), ("s5", "01_tiny")):
        page = tmp_path / "returns" / student / f"{notebook}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<p>feedback</p>")
        pages.setdefault(student, []).append(page)
    target = tmp_path / "week1_canvas_feedback.zip"
    assert lms.canvas_feedback_zip(pages, lms.load_identities(tmp_path), target) == 3
    import zipfile

    assert sorted(zipfile.ZipFile(target).namelist()) == [
        "ann_101_9001_01_tiny.html", "ann_101_9002_08_questionnaire.html",
        "bo_102_9003_01_tiny.html"]                   # s5 came from no Canvas download
    assert lms_formats.canvas_feedback_zip(target, {"101": {"9001", "9002"},
                                                    "102": {"9003"}}) == []
    assert lms_formats.canvas_feedback_zip(target, {"101": {"9001"}}) != []


def test_a_roster_with_id_numbers_is_read_and_a_bad_one_names_the_line(tmp_path):
    path = emails_file(tmp_path, "student,email,id_number\ns1,s1@uni.example,\ns2,,S-2\n")
    roster = lms.read_roster(path)
    assert (dict(roster.emails), dict(roster.id_numbers)) == ({"s1": "s1@uni.example"},
                                                              {"s2": "S-2"})
    path = emails_file(tmp_path, "student,email,id_number\ns3,,\n")
    with pytest.raises(lms.LmsError, match="line 2: '' is not an email address"):
        lms.read_roster(path)


def test_a_graded_lms_download_gives_files_that_pass_every_format_check(tmp_path, capsys):
    """Canvas and Moodle download names through ch4 grade and ch4 feedback: the Canvas CSV, the
    Moodle worksheet, the Moodle import (with a roster) and the Canvas re-upload zip all pass
    their fixtures, with no hand edit."""
    import zipfile

    from graded_class import FIXTURE, LIMITS, SOURCE, make
    from harness import sandbox_ok

    from autograder import notebook as nbk
    from autograder.cli import main as ch4
    from autograder.grading.run import Settings, grade_class

    subs = tmp_path / "download"
    subs.mkdir()
    solved = make.fill(nbk.read(SOURCE), make.answer_cells(nbk.read(SOURCE)))
    nbk.write(solved, subs / "ann_101_9001_01_tiny.ipynb")
    nbk.write(nbk.read(SOURCE), subs / "Jane Doe_314159_assignsubmission_file_01_tiny.ipynb")
    out = tmp_path / "out"
    grade_class(Settings(subs, FIXTURE, out, "ch4", 2, LIMITS, None, (), sandbox_ok(),
                         quiet=True))
    roster = emails_file(tmp_path, "student,email\nann_101,ann@uni.example\n")
    assert ch4(["feedback", str(out), "--moodle-emails", str(roster), "--lms-partial"]) == 0
    assert "Canvas re-upload" in capsys.readouterr().out
    assert lms_formats.canvas_gradebook(out / "canvas_grades.csv") == []
    assert lms_formats.moodle_gradebook(out / "moodle_grades.csv") == []
    assert lms_formats.moodle_worksheet(out / "moodle_worksheet_ch4.csv") == []
    canvas_zip = out / "returns" / "ch4_canvas_feedback.zip"
    assert lms_formats.canvas_feedback_zip(canvas_zip, {"101": {"9001"}}) == []
    assert zipfile.ZipFile(canvas_zip).namelist() == ["ann_101_9001_01_tiny.html"]
    sheet = read(out / "moodle_worksheet_ch4.csv")
    assert [row[0] for row in sheet[1:]] == ["Participant 314159"]
    canvas = {row[0]: row for row in read(out / "canvas_grades.csv")[2:]}
    assert canvas["ann"][1] == "101" and canvas["ann"][-1] != ""


def test_a_term_graded_week_by_week_gives_one_canvas_file_with_every_assignment(tmp_path):
    """Two weekly runs into one OUT from Canvas downloads: one Canvas column per assignment
    headed as the definition says, points possible the full maxima, a late student penalised
    by the policy, a notebook not handed in counting 0, and the files pass their fixtures."""
    import os
    import shutil
    from datetime import UTC, datetime, timedelta

    from graded_class import LIMITS, SOURCE, make
    from harness import sandbox_ok
    from nbgrader.api import Gradebook

    from autograder import notebook as nbk
    from autograder.grading.run import Settings, grade_class
    from autograder.term.standing import notebook_maxima

    due = datetime(2027, 1, 15, 23, 59, tzinfo=UTC)
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    for name in ("01_tiny", "02_tiny"):
        shutil.copy(SOURCE, solutions / f"{name}.ipynb")
    course = tmp_path / "course.toml"
    course.write_text(f"""
[late]
policy = "per_day"
percent_per_day = 10
[[assignment]]
name = "week1"
notebooks = ["01_tiny"]
due = {due.isoformat()}
lms_column = "Week 1: pixels"
canvas_assignment_id = "4711"
[[assignment]]
name = "week2"
title = "Week 2"
notebooks = ["02_tiny"]
due = {(due + timedelta(weeks=1)).isoformat()}
""")
    solved = make.fill(nbk.read(SOURCE), make.answer_cells(nbk.read(SOURCE)))

    def hand_in(folder: Path, name: str, when: datetime) -> None:
        folder.mkdir(exist_ok=True)
        nbk.write(solved, folder / name)
        os.utime(folder / name, (when.timestamp(), when.timestamp()))

    out = tmp_path / "out"
    hand_in(tmp_path / "w1", "ann_101_9001_01_tiny.ipynb", due - timedelta(hours=1))
    hand_in(tmp_path / "w1", "bo_102_9002_01_tiny.ipynb", due + timedelta(hours=30))
    settings = dict(solutions=solutions, out=out, workers=2, limits=LIMITS,
                    sandbox=sandbox_ok(), quiet=True)
    grade_class(Settings(tmp_path / "w1", course=course, **settings))
    hand_in(tmp_path / "w2", "ann_101_9003_02_tiny.ipynb", due)
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:          # a marker's work
        for student in ("ann_101", "bo_102"):
            grade = gb.find_grade("q01_free", "01_tiny", "week1", student)
            grade.manual_score, grade.needs_manual_grade = 1.0, False
        gb.db.commit()
    grade_class(Settings(tmp_path / "w2", **settings))     # OUT keeps the definition
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q01_free", "02_tiny", "week2", "ann_101")
        grade.manual_score, grade.needs_manual_grade = 0.5, False
        gb.db.commit()
    grade_class(Settings(tmp_path / "w2", **settings))     # a resume writes the files again
    assert lms_formats.canvas_gradebook(out / "canvas_grades.csv") == []
    table = read(out / "canvas_grades.csv")
    most = notebook_maxima({"x": SOURCE})["x"]
    assert table[0][5:] == ["Week 1: pixels (4711)", "Week 2"]
    assert table[1][5:] == [f"{most.total:g}", f"{most.total:g}"]   # hand-marked included
    rows = {row[1]: row[5:] for row in table[2:]}
    full = most.auto + 1.0
    late = full - most.total * 0.10 * 2                      # 30 hours: two started days
    assert rows == {"101": [f"{full:g}", f"{most.auto + 0.5:g}"],
                    "102": [f"{round(late, 2):g}", "0"]}     # bo: 02 not handed in


def test_a_worksheet_downloaded_from_moodle_is_a_roster_no_hand_built_file_needed(tmp_path):
    canvas_identities(tmp_path)             # Jane Doe is Moodle participant 314159
    downloaded = emails_file(tmp_path, "\ufeffIdentifier,Full name,Email address,Status,Grade\n"
                                       "Participant 314159,Jane Doe,jd@uni.example,x,\n"
                                       "Participant 7,Someone Else,se@uni.example,x,\n")
    roster = lms.read_roster(downloaded)
    written = lms.write_term(TERM, term_definition(), tmp_path,
                             lms.LmsOptions(emails=roster.emails, id_numbers=roster.id_numbers))
    table = read(tmp_path / "moodle_grades.csv")
    assert table[1:] == [["jd@uni.example", "Jane Doe", "16", "0"]]
    assert lms_formats.moodle_gradebook(tmp_path / "moodle_grades.csv") == []
    assert written.without_email == ("ann_101", "bo_102")
    lms.write_term(TERM, term_definition(), tmp_path)        # kept for later runs
    assert read(tmp_path / "moodle_grades.csv")[1:] == table[1:]
    bad = emails_file(tmp_path, "Identifier,Email address\nstudent 3,a@uni.example\n")
    with pytest.raises(lms.LmsError, match="line 2: 'student 3' is not a Moodle"):
        lms.read_roster(bad)


def test_a_canvas_user_id_is_the_first_number_pair_never_one_from_the_students_file_name(
        tmp_path):
    # mallory (Canvas user 999) uploads "x_555_1_01_tiny.ipynb": 555 is someone else's id
    lms.remember_submissions([("mallory", "01_tiny", "mallory_LATE_999_7002_x_555_1"),
                              ("victim", "01_tiny", "victim_555_7003")], tmp_path)
    known = lms.load_identities(tmp_path)
    assert (known["mallory"].canvas_user_id, known["mallory"].attachment("01_tiny")) == (
        "999", "7002")
    lms.write_term([standing("mallory", "week1", 1), standing("victim", "week1", 2)],
                   term_definition(), tmp_path)
    ids = {row[0]: row[1] for row in read(tmp_path / "canvas_grades.csv")[2:]}
    assert ids == {"mallory": "999", "victim": "555"}
