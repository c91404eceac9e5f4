"""Issue 22, intake for a term: submission times, resubmissions (latest before the cut-off wins,
the rest listed as superseded), section folders and names in any script (no kernel)."""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading.collect import collect, safe_id

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "tests" / "fixtures" / "grading" / "solutions" / "01_tiny.ipynb"
NOTEBOOKS = ["01_tiny", "02_tiny"]
T0 = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)


def write(path: Path, when: datetime | None = None, marker: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbk.read(SOURCE)
    nb.metadata["marker"] = marker
    path.write_text(nbk.dumps(nb))
    if when is not None:
        os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def test_a_moodle_copy_suffix_is_a_resubmission_and_the_later_copy_is_graded(tmp_path):
    write(tmp_path / "alice_01_tiny.ipynb", T0)
    write(tmp_path / "alice_01_tiny-1.ipynb", T0 - timedelta(hours=1))  # the suffix decides
    write(tmp_path / "bob_01_tiny (2).ipynb", T0)
    write(tmp_path / "bob_01_tiny (1).ipynb", T0 + timedelta(hours=1))
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    assert {(s.student, s.path.name) for s in subs} == {
        ("alice", "alice_01_tiny-1.ipynb"), ("bob", "bob_01_tiny (2).ipynb")}
    assert {(s.file, s.superseded) for s in skipped} == {
        ("alice_01_tiny.ipynb", True), ("bob_01_tiny (1).ipynb", True)}
    assert all("superseded" in s.reason for s in skipped)


def test_canvas_copies_merge_by_user_attachment_order_wins_and_late_is_kept(tmp_path):
    write(tmp_path / "doejane_10000_50009_01_tiny.ipynb", T0)
    write(tmp_path / "doejane_LATE_10000_50011_01_tiny-1.ipynb", T0 - timedelta(days=1))
    write(tmp_path / "doejane_10000_50010_02_tiny.ipynb", T0)
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    by_nb = {s.notebook: s for s in subs}
    assert {s.student for s in subs} == {"doejane_10000"}
    assert by_nb["01_tiny"].path.name == "doejane_LATE_10000_50011_01_tiny-1.ipynb"
    assert by_nb["01_tiny"].late_marker and not by_nb["02_tiny"].late_marker
    assert [s.file for s in skipped if s.superseded] == ["doejane_10000_50009_01_tiny.ipynb"]


def test_nbgrader_timestamps_are_read_and_each_assignment_has_its_folder(tmp_path):
    week1 = tmp_path / "submitted" / "alice" / "week1"
    write(week1 / "01_tiny.ipynb")
    (week1 / "timestamp.txt").write_text("2027-01-15 12:30:00.000000 UTC")
    write(tmp_path / "submitted" / "alice" / "week2" / "02_tiny.ipynb", T0)
    subs, skipped = collect(tmp_path, NOTEBOOKS, assignments={"01_tiny": "week1",
                                                               "02_tiny": "week2"})
    assert not skipped                          # timestamp.txt is not "not a notebook"
    got = {s.notebook: (s.assignment, s.submitted_at) for s in subs}
    assert got == {"01_tiny": ("week1", T0 + timedelta(minutes=30)), "02_tiny": ("week2", T0)}


def test_a_copy_after_the_cut_off_does_not_replace_one_in_time(tmp_path):
    write(tmp_path / "alice_01_tiny.ipynb", T0 - timedelta(hours=2))
    write(tmp_path / "alice_01_tiny-1.ipynb", T0 + timedelta(hours=2))
    write(tmp_path / "bob_01_tiny.ipynb", T0 + timedelta(hours=3))   # only a late one: kept
    subs, skipped = collect(tmp_path, NOTEBOOKS, cutoff=lambda student, nb: T0)
    assert {(s.student, s.path.name) for s in subs} == {
        ("alice", "alice_01_tiny.ipynb"), ("bob", "bob_01_tiny.ipynb")}
    assert [s.reason.split(";")[0] for s in skipped] == ["superseded: after the cut-off"]


def test_the_same_name_in_two_section_folders_is_two_students(tmp_path):
    write(tmp_path / "section1" / "smith" / "01_tiny.ipynb", T0)
    write(tmp_path / "section2" / "smith" / "01_tiny.ipynb", T0)
    write(tmp_path / "section2" / "jones_01_tiny.ipynb", T0)
    subs, skipped = collect(tmp_path, NOTEBOOKS)
    assert sorted(s.student for s in subs) == ["jones", "section1_smith", "section2_smith"]
    assert not skipped


def test_names_keep_their_script_and_stay_distinct(tmp_path):
    for name in ("张伟", "Łukasz", "Дмитрий"):
        assert safe_id(name) == name
    assert safe_id("张 伟") != safe_id("张_伟")            # cleaning still never merges
    write(tmp_path / "张伟_01_tiny.ipynb", T0)
    subs, _ = collect(tmp_path, NOTEBOOKS)
    assert [s.student for s in subs] == ["张伟"]


def test_a_zip_member_keeps_its_own_time(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("alice_01_tiny.ipynb", date_time=(2027, 1, 15, 11, 0, 0))
        zf.writestr(info, nbk.dumps(nbk.read(SOURCE)))
    subs, _ = collect(archive, NOTEBOOKS, scratch=tmp_path / "x")
    assert subs[0].submitted_at == T0 - timedelta(hours=1)
