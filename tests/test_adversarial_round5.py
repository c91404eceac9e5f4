"""Round 5 of the red team (tests/corpus/adversarial/attacks_round5.py), graded by the real
``ch4 grade`` (sandboxed) and read back from what students can see or what the term's
outputs send on: the ``ch4 insight --html`` page an instructor shares with the class, the Canvas
import file, the next student of a worker slot, the intake's identities and times, and hand
marks across a resubmission.

Cases that currently SUCCEED (the grader is beaten) are marked ``xfail(strict=True)`` with
the reason "open: ..."; remove the marker once fixed.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import corpus.adversarial.attacks  # noqa: F401 - first: it loads round 5 (no import cycle)
import pytest
from corpus.adversarial.attacks_round5 import (
    CANVAS_CLASS,
    CONSTRUCT_BYPASS,
    CONSTRUCT_ITEMS,
    HAND_MARK_CASES,
    INTAKE_CASES,
    MALLORY,
    NB08,
    ROUND5,
    VICTIM_CANVAS_ID,
    HandMarkCase,
    IntakeCase,
)
from harness import sandbox_ok

from autograder import notebook as nbk

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "tests" / "fixtures" / "grading" / "solutions"
SOURCE = SOLUTIONS / "01_tiny.ipynb"
ATTACKS = {a.name: a for a in ROUND5}

_spec = importlib.util.spec_from_file_location("make_submissions",
                                               REPO / "examples" / "make_submissions.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

BASELINE = {"ex_double_answer": "def double(x):\n    return x + 1\n",
            "ex_mean_abs_answer": "def mean_abs(t):\n    return t.mean()\n",
            "q01_answer": 'q01 = "a"\n'}


@pytest.fixture(scope="module", autouse=True)
def _shared_references(shared_references):
    """The references (the tiny notebook, the questionnaire) are computed once per session:
    other modules grade the same notebooks."""
    with shared_references():
        yield


def _xfail_if_open(reason: str):
    return [pytest.mark.xfail(strict=True, reason=f"open: {reason}")] if reason else []


def _write(path: Path, answers: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbk.write(make.fill(nbk.read(SOURCE), answers), path)


def _grade(subs: Path, out: Path) -> str:
    cmd = [sys.executable, "-m", "autograder.cli", "grade", str(subs), "--solutions",
           str(SOLUTIONS), "--out", str(out), "--workers", "1", "--timeout", "20",
           "--notebook-timeout", "60", "--quiet"]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    log = done.stdout + done.stderr
    # 2: the run finished but refused to write the LMS files (e.g. two students with one
    # Canvas id, which mallory's file name causes): the results are there to check
    assert done.returncode in (0, 1) or (done.returncode == 2 and "LMS files not written"
                                         in log), log[-6000:]
    return log


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(open(path, encoding="utf-8")))


# ------------------------------------------------------------------ one flat Canvas class


@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory):
    if not sandbox_ok():
        pytest.skip("bubblewrap cannot run here, and these attacks mean something only "
                    "sandboxed")
    tmp = tmp_path_factory.mktemp("round5")
    subs, out = tmp / "subs", tmp / "out"
    for name, attack in CANVAS_CLASS.items():
        _write(subs / name, ATTACKS[attack].answers if attack else BASELINE)
    log = _grade(subs, out)
    page = tmp / "insight.html"
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "insight", str(out),
                           "--html", str(page)], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return {"out": out, "log": log, "page": page.read_text(encoding="utf-8"),
            "insight_text": done.stdout}


def _hidden_double_input(out: Path) -> list[float]:
    from autograder.grading.secret import key_path
    from autograder.items import probing

    key = key_path(out).read_text(encoding="ascii").strip()
    planned = probing.plan(probing.spec_of(nbk.read(SOURCE)), key)
    for p in planned["ex_double"]:
        x = p.probe.inputs.get("x")
        if p.hidden and x is not None and x.numel() > 2:
            return [float(v) for v in x.reshape(-1)]
    raise AssertionError("no hidden vector input for ex_double")


def test_round5_attacks_score_nothing(canvas_class):
    results = {r["student"]: r for r in _rows(canvas_class["out"] / "grades.csv")}
    assert len(results) == len(CANVAS_CLASS), canvas_class["log"][-2000:]
    for student, row in results.items():
        assert float(row["auto_total"]) == 0, (student, row)


def test_insight_page_shows_no_number_of_a_hidden_input(canvas_class):
    x = _hidden_double_input(canvas_class["out"])
    leaks = {f"scaled x{x[0]:.4g}", f"offset by {x[1] - 2:+.3g}"}
    for text in (canvas_class["page"], canvas_class["insight_text"]):
        shown = {leak for leak in leaks if leak in text}
        assert not shown, shown


def test_insight_page_shows_no_exception_name_the_student_chose(canvas_class):
    x = _hidden_double_input(canvas_class["out"])
    echo = "V" + "_".join(str(int(abs(v) * 1e6)) for v in x[:3])
    for text in (canvas_class["page"], canvas_class["insight_text"]):
        assert echo not in text, text[-1500:]


def test_canvas_import_gives_each_canvas_id_one_row_and_the_right_person(canvas_class):
    # one student's upload name must neither give her row another student's id nor stop the
    # class's Canvas file from being written
    assert "LMS files not written" not in canvas_class["log"], canvas_class["log"][-2000:]
    rows = list(csv.reader(open(canvas_class["out"] / "canvas_grades.csv", encoding="utf-8")))
    ids = [r[1] for r in rows[2:] if r[1]]
    assert len(ids) == len(set(ids)), rows
    mallory = next(r for r in rows[2:] if r[0].startswith(MALLORY))
    assert mallory[1] in ("", "999"), mallory
    assert VICTIM_CANVAS_ID not in [r[1] for r in rows[2:] if not r[0].startswith("victim")]


def test_next_student_in_the_worker_slot_finds_nothing_left_behind(canvas_class):
    results = {r["student"]: r for r in _rows(canvas_class["out"] / "grades.csv")}
    finder = next(s for s in results if s.startswith("zzz"))
    assert float(results[finder]["01_tiny:ex_double"]) == 0, results[finder]


# ------------------------------------------------------------------ intake (no kernel)


def _layout(root: Path, files: dict[str, str | None]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            _write(path, BASELINE)
        else:
            path.write_text(text, encoding="utf-8")


def no_student_named_bob(subs, skipped, root) -> None:
    assert "bob" not in {s.student for s in subs}, [(s.student, str(s.path)) for s in subs]


def bob_is_only_his_own_file(subs, skipped, root) -> None:
    bobs = [s for s in subs if s.student == "bob"]
    assert [s.path.relative_to(root).as_posix() for s in bobs] == ["bob/01_tiny.ipynb"]


def mallory_is_late_and_user_999(subs, skipped, root) -> None:
    from autograder.grading import lms

    (sub,) = subs
    assert sub.late_marker, sub
    who = lms._from_name(sub.student, sub.lms_name, cleaned=False)
    assert who.canvas_user_id == "999", who


def timestamp_not_before_the_file(subs, skipped, root) -> None:
    (sub,) = subs
    written = datetime.fromtimestamp(sub.path.stat().st_mtime, UTC)
    assert sub.submitted_at is not None and sub.submitted_at >= written.replace(
        microsecond=0), (sub.submitted_at, written)


def feedback_folders_distinct(subs, skipped, root) -> None:
    """Each student's folder of the class feedback zip names a participant of their own
    (Moodle's feedback-zip import reads the participant number from the folder name)."""
    import re

    from autograder.grading import lms
    from autograder.grading.returns import lms_folder

    out = root / ".out"
    out.mkdir()
    lms.save_identities({s.student: s.lms_name for s in subs if s.lms_name}, out)
    known = lms.load_identities(out)
    folders = [lms_folder(s.student, known) for s in subs]
    participants = [m[1] if (m := re.search(r"_(\d+)_assignsubmission_file_$", f)) else f
                    for f in folders]
    assert len(subs) == 2 and len(set(participants)) == 2, folders


def bob_jones_graded_from_his_folder(subs, skipped, root) -> None:
    graded = {s.path.relative_to(root).as_posix(): s.student for s in subs}
    assert "Bob Jones_123_assignsubmission_file_/01_tiny.ipynb" in graded, graded
    assert len(set(graded.values())) == len(graded), graded


def canvas_latest_attachment_graded(subs, skipped, root) -> None:
    (sub,) = subs
    assert sub.path.name == "mallory_999_7002_01_tiny.ipynb", sub


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=_xfail_if_open(c.open))
                                  for c in INTAKE_CASES])
def test_intake_attack(case: IntakeCase, tmp_path):
    from autograder.grading.collect import collect

    _layout(tmp_path, case.files)
    subs, skipped = collect(tmp_path, ["01_tiny"])
    globals()[case.check](subs, skipped, tmp_path)


# ------------------------------------------------------------------ hand marks (two grades)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=_xfail_if_open(c.open))
                                  for c in HAND_MARK_CASES])
def test_hand_mark_does_not_stand_on_a_changed_answer(case: HandMarkCase, tmp_path):
    if not sandbox_ok():
        pytest.skip("bubblewrap cannot run here")
    from nbgrader.api import Gradebook

    subs, out = tmp_path / "subs", tmp_path / "out"
    path = subs / "submitted" / "alice" / "ch4" / "01_tiny.ipynb"
    _write(path, {**BASELINE, case.cell: case.first})
    _grade(subs, out)
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        g = gb.find_grade(case.grade_id, "01_tiny", "ch4", "alice")
        g.manual_score, g.needs_manual_grade = case.mark, False
        gb.db.commit()
    os.utime(path, None)
    _write(path, {**BASELINE, case.cell: case.changed})
    _grade(subs, out)
    row = {r["student"]: r for r in _rows(out / "grades.csv")}["alice"]
    assert row[f"01_tiny:{case.grade_id}"] != f"{case.mark:g}", row
    shutil.rmtree(out, ignore_errors=True)


# ------------------------------------------------------------------ construct rules (nb08)


def test_construct_rules_are_not_bypassed_by_computed_names(tmp_path):
    if not sandbox_ok():
        pytest.skip("bubblewrap cannot run here")
    source = REPO / "solutions" / f"{NB08}.ipynb"
    subs, out = tmp_path / "subs", tmp_path / "out"
    path = subs / f"mallory_{NB08}.ipynb"
    path.parent.mkdir(parents=True)
    nbk.write(make.fill(nbk.read(source), CONSTRUCT_BYPASS), path)
    cmd = [sys.executable, "-m", "autograder.cli", "grade", str(subs), "--solutions",
           str(REPO / "solutions"), "--out", str(out), "--workers", "1", "--notebook", NB08,
           "--timeout", "60", "--notebook-timeout", "300", "--quiet"]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    row = _rows(out / "grades.csv")[0]
    scored = {i: row[f"{NB08}:{i}"] for i in CONSTRUCT_ITEMS}
    assert all(float(v) == 0 for v in scored.values()), scored
