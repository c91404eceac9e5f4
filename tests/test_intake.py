"""Intake and the class report: every handed-in file is accounted for, nothing merges two students,
one bad file never stops the batch, and percentages count the whole assignment (no kernel)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from autograder import notebook as nbk
from autograder.grading import collect as collect_mod
from autograder.grading import report
from autograder.grading.collect import (
    Skipped,
    collect,
    notebook_problem,
    safe_id,
)
from autograder.results import GradeResult, ItemResult

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "tests" / "fixtures" / "grading" / "solutions" / "01_tiny.ipynb"
NOTEBOOKS = ["01_tiny"]


def good_text() -> str:
    return nbk.dumps(nbk.read(SOURCE))


def reasons(skipped: list[Skipped]) -> dict[str, str]:
    return {Path(s.file).name: s.reason for s in skipped}


def test_ids_differing_only_in_punctuation_stay_two_students_in_a_flat_folder(tmp_path):
    for name in ("victim._01_tiny.ipynb", "victim!_01_tiny.ipynb", "alice_01_tiny.ipynb"):
        (tmp_path / name).write_text(good_text())
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    students = [s.student for s in subs]
    assert len(students) == 3 and len(set(students)) == 3
    assert "alice" in students                       # clean ids are kept as they are
    assert all(s.startswith("victim-") for s in students if s != "alice")
    assert skipped == []


def test_ids_differing_only_in_punctuation_stay_two_students_in_an_nbgrader_folder(tmp_path):
    for student in ("victim.", "victim!"):
        path = tmp_path / "submitted" / student / "ch4" / "01_tiny.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(good_text())
    subs, _ = collect(tmp_path, NOTEBOOKS)
    assert len({s.student for s in subs}) == 2


@pytest.mark.parametrize("clash_first", [True, False])
def test_a_name_written_to_equal_another_students_hashed_id_is_skipped_and_the_batch_goes_on(
        tmp_path, clash_first):
    # the hashed id of "victim." can be computed by anyone; a file named with it must neither
    # merge with the victim nor stop the class (red team round 5), whichever is found first
    clash = safe_id("victim.")                     # e.g. "victim-1a2b3c", itself a clean id
    folder = tmp_path / ("a" if clash_first else "b")
    folder.mkdir()
    (tmp_path / "victim._01_tiny.ipynb").write_text(good_text())
    (folder / f"{clash}_01_tiny.ipynb").write_text(good_text())
    (tmp_path / "alice_01_tiny.ipynb").write_text(good_text())
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    graded = {s.student: s.path.name for s in subs}
    assert graded == {clash: "victim._01_tiny.ipynb", "alice": "alice_01_tiny.ipynb"}
    (row,) = [k for k in skipped if k.file.endswith(f"{clash}_01_tiny.ipynb")]
    assert "not graded" in row.reason and clash in row.reason


def test_malformed_notebooks_are_skipped_with_a_reason_and_the_batch_goes_on(tmp_path):
    (tmp_path / "alice_01_tiny.ipynb").write_text(good_text())
    (tmp_path / "surrogate_01_tiny.ipynb").write_text('{"cells": [{"source": "\\ud800"}]}')
    (tmp_path / "deep_01_tiny.ipynb").write_text("[" * 200_000 + "]" * 200_000)
    (tmp_path / "deepish_01_tiny.ipynb").write_text("[" * 500 + "]" * 500)
    (tmp_path / "latin1_01_tiny.ipynb").write_bytes(b'{"cells": "\xe9"}')
    (tmp_path / "broken_01_tiny.ipynb").write_text('{"cells": [')   # the grader reports it
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "dangling_01_tiny.ipynb").symlink_to(tmp_path / "nowhere")
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    assert {s.student for s in subs} == {"alice", "broken"}
    why = reasons(skipped)
    assert "lone surrogate" in why["surrogate_01_tiny.ipynb"]
    assert "nested deeper" in why["deep_01_tiny.ipynb"]
    assert "nested deeper" in why["deepish_01_tiny.ipynb"]
    assert "UTF-8" in why["latin1_01_tiny.ipynb"]
    assert "not a notebook" in why["notes.txt"]
    assert "not a regular file" in why["dangling_01_tiny.ipynb"]
    assert {s.student for s in skipped if s.file.endswith("ipynb")} >= {"deep", "surrogate"}


def test_an_oversized_notebook_is_skipped_and_the_rest_graded(tmp_path, monkeypatch):
    monkeypatch.setattr(collect_mod, "MAX_FILE_MB", 1)
    (tmp_path / "alice_01_tiny.ipynb").write_text(good_text())
    (tmp_path / "huge_01_tiny.ipynb").write_bytes(b" " * (2 * 2**20))
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    assert [s.student for s in subs] == ["alice"]
    assert "larger than 1 MB" in reasons(skipped)["huge_01_tiny.ipynb"]


def test_an_oversized_zip_member_is_skipped_without_aborting_the_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(collect_mod, "MAX_FILE_MB", 1)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/alice_01_tiny.ipynb", good_text())
        zf.writestr("export/huge_01_tiny.ipynb", " " * (3 * 2**20))
        zf.writestr("export/bob_01_tiny.ipynb", good_text())
    subs, skipped = collect(archive, NOTEBOOKS, scratch=tmp_path / "scratch")
    assert [s.student for s in subs] == ["alice", "bob"]
    assert "larger than 1 MB" in reasons(skipped)["huge_01_tiny.ipynb"]


def test_a_corrupt_zip_member_is_skipped_with_a_reason(tmp_path):
    archive = tmp_path / "class.zip"
    payload = "x" * 5000
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("alice_01_tiny.ipynb", good_text())
        zf.writestr("bad_01_tiny.ipynb", payload)
    data = bytearray(archive.read_bytes())
    at = data.find(payload.encode())
    data[at:at + 10] = b"y" * 10             # the member's bytes no longer match its CRC
    archive.write_bytes(bytes(data))
    subs, skipped = collect(archive, NOTEBOOKS, scratch=tmp_path / "scratch")
    assert [s.student for s in subs] == ["alice"]
    assert "unreadable in the archive" in reasons(skipped)["bad_01_tiny.ipynb"]


def test_a_zip_member_nested_too_deep_is_skipped(tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("/".join(["d"] * 3000) + "/deep_01_tiny.ipynb", good_text())
        zf.writestr("alice_01_tiny.ipynb", good_text())
    subs, skipped = collect(archive, NOTEBOOKS, scratch=tmp_path / "scratch")
    assert [s.student for s in subs] == ["alice"]
    assert "nested deeper" in skipped[0].reason


def _make_deep(root: Path, depth: int) -> None:
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        with open(os.open("deep_01_tiny.ipynb", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd),
                  "w") as handle:
            handle.write("{}")
    finally:
        os.close(fd)


def _remove_deep(root: Path) -> None:
    """Remove a chain of folders too deep for shutil.rmtree, from the bottom up."""
    fds = [os.open(root, os.O_RDONLY)]
    while "d" in os.listdir(fds[-1]):
        fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    for name in os.listdir(fds[-1]):
        os.unlink(name, dir_fd=fds[-1])
    while len(fds) > 1:
        os.close(fds.pop())
        os.rmdir("d", dir_fd=fds[-1])
    os.close(fds[0])


def test_a_folder_nested_thousands_deep_is_skipped_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "alice_01_tiny.ipynb").write_text(good_text())
    _make_deep(folder, 3000)
    try:
        subs, skipped = collect(folder, NOTEBOOKS)
    finally:
        _remove_deep(folder)
    assert [s.student for s in subs] == ["alice"]
    assert any("nested deeper than" in s.reason for s in skipped)


def test_every_file_in_an_nbgrader_folder_gets_a_row(tmp_path):
    work = tmp_path / "submitted" / "alice" / "ch4"
    work.mkdir(parents=True)
    (work / "01_tiny.ipynb").write_text(good_text())
    (work / "99_extra.ipynb").write_text(good_text())
    (work / "data.csv").write_text("1,2")
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    assert [s.key for s in subs] == ["alice/01_tiny"]
    why = reasons(skipped)
    assert "no source notebook" in why["99_extra.ipynb"]
    assert "not a notebook" in why["data.csv"]


def test_a_notebook_in_a_folder_named_after_the_student_belongs_to_that_student(tmp_path):
    folder = tmp_path / "Jane Doe_1234_assignsubmission_file_"
    folder.mkdir()
    (folder / "01_tiny.ipynb").write_text(good_text())
    subs, _ = collect(tmp_path, NOTEBOOKS)
    assert len(subs) == 1 and subs[0].student.startswith("Jane_Doe_1234_assignsubmission_file")


def test_a_plain_invalid_json_file_is_left_to_the_grader_to_report():
    assert notebook_problem(SOURCE) is None


# ------------------------------------------------------------------ the class report


def _result(student: str, notebook: str, items: list[ItemResult], **kw) -> GradeResult:
    return GradeResult(student, "ch4", notebook, f"/subs/{student}_{notebook}.ipynb", "fp", 3,
                       items=items, **kw)


def _items(source: Path, passed: bool, to_mark: bool = True) -> list[ItemResult]:
    out = []
    for it in nbk.graded_items(nbk.read(source)):
        if it.manual:
            out.append(ItemResult(it.grade_id, 0.0, it.points, False, True,
                                  needs_review=to_mark))
        else:
            out.append(ItemResult(it.grade_id, it.points if passed else 0.0, it.points,
                                  passed, False))
    return out


@pytest.fixture
def two_notebooks(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in ("01_tiny", "02_tiny"):
        shutil.copy(SOURCE, folder / f"{name}.ipynb")
    return {p.stem: p for p in sorted(folder.glob("*.ipynb"))}


def test_percentages_count_the_whole_assignment_and_received_only_separately(
        tmp_path, two_notebooks):
    src = two_notebooks
    results = [_result("alice", nb, _items(src[nb], True)) for nb in src]
    results.append(_result("bob", "01_tiny", _items(src["01_tiny"], True)))
    report.write_all(results, src, tmp_path, [])
    rows = {r["student"]: r for r in csv.DictReader(open(tmp_path / "grades.csv"))}
    one_notebook = sum(i.max_score for i in _items(src["01_tiny"], True) if not i.manual)
    assert float(rows["bob"]["auto_max"]) == float(rows["alice"]["auto_max"]) == 2 * one_notebook
    assert float(rows["bob"]["auto_max_received"]) == one_notebook
    whole = 2 * sum(i.max_score for i in _items(src["01_tiny"], True))   # hand-marked too
    assert float(rows["bob"]["percent"]) == pytest.approx(round(100 * one_notebook / whole, 1))
    assert rows["bob"]["ch4:max"] == f"{whole:g}" and rows["bob"]["ch4:auto"] == \
        f"{one_notebook:g}"
    assert rows["bob"]["ch4:grade"] == ""          # an answer still to mark: no grade yet
    assert float(rows["bob"]["percent_received"]) == pytest.approx(100.0)
    assert rows["bob"]["missing_notebooks"] == "02_tiny"
    assert rows["alice"]["missing_notebooks"] == ""


def test_the_report_lists_skipped_invalid_flagged_missing_and_hand_marking(tmp_path,
                                                                          two_notebooks):
    src = two_notebooks
    flagged = _items(src["01_tiny"], False)
    results = [
        _result("alice", "01_tiny", _items(src["01_tiny"], True, to_mark=True)),
        _result("alice", "02_tiny", _items(src["02_tiny"], True, to_mark=False)),
        _result("bob", "01_tiny", flagged, flags={"ex_double_answer": ["patches torch"]}),
        _result("carol", "01_tiny", _items(src["01_tiny"], False, to_mark=False),
                invalid="not valid notebook JSON"),
    ]
    skipped = [Skipped("notes_01_tinyy.ipynb", "name does not end with a source notebook's "
                       "name"),
               Skipped("dave_01_tiny.ipynb", "grader error: boom", "dave", "01_tiny",
                       grader_error=True)]
    report.write_all(results, src, tmp_path, [], skipped)
    page = (tmp_path / "report.html").read_text()
    for expected in ("Files not graded (2)", "notes_01_tinyy.ipynb", "Invalid submissions (1)",
                     "not valid notebook JSON", "Flagged for review (1)", "patches torch",
                     "Missing notebooks (2)", "Hand marking to do (2)"):
        assert expected in page, expected
    intake = list(csv.DictReader(open(tmp_path / "intake.csv")))
    status = {(r["student"], r["notebook"], r["status"]) for r in intake}
    assert ("carol", "01_tiny", "invalid") in status
    assert ("dave", "01_tiny", "grader error") in status
    assert ("alice", "02_tiny", "graded") in status
    assert any(r["status"] == "skipped" and r["file"] == "notes_01_tinyy.ipynb" for r in intake)
    assert len(intake) == len(results) + len(skipped)
    assert json.dumps(intake)   # plain strings only
