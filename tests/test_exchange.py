"""Release, collect and return on a hub: nbgrader's own exchange, unchanged, on one machine.

``ch4 course release`` writes an assignment of the course definition into an nbgrader course
folder; nbgrader's ``release_assignment`` publishes it in a temporary exchange; two students
(each with their own HOME, Jupyter data folder and nbgrader cache) ``fetch_assignment``, answer
and ``submit``; ``nbgrader collect`` gathers ``submitted/`` with its ``timestamp.txt``; then
``ch4 grade`` grades that folder into the assignment, with each submission's time; after
``ch4 feedback``, ``ch4 course return`` and nbgrader's ``release_feedback``, a student's
``fetch_feedback`` gets ch4's page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from graded_class import FIXTURE, LIMITS, SOURCE, make
from harness import sandbox_ok

from autograder import notebook as nbk
from autograder.cli import main as ch4
from autograder.grading.collect import nbgrader_timestamp
from autograder.grading.run import Settings, grade_class
from autograder.term import exchange
from autograder.term.definition import default_definition, parse

NBGRADER = str(Path(sys.executable).parent / "nbgrader")
DEFINITION = """
course = "ch4-hub"
[[assignment]]
name = "week1"
title = "Week 1"
notebooks = ["01_tiny"]
due = 2099-01-15T23:59:00
"""


def nbgrader(args: list[str], cwd: Path, home: Path, exchange_root: Path) -> str:
    """One nbgrader command as the user whose home is ``home``; fails the test on an error."""
    # nbgrader runs its database migrations with the `alembic` command it finds on PATH: the
    # environment's bin folder goes first, as in an activated environment (CI runs the venv's
    # python without activating it)
    path = os.pathsep.join((str(Path(sys.executable).parent), os.environ.get("PATH", "")))
    env = dict(os.environ, HOME=str(home), JUPYTER_DATA_DIR=str(home / "data"), PATH=path,
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "rt"))
    done = subprocess.run([NBGRADER, *args, f"--Exchange.root={exchange_root}"], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, (args, done.stdout[-1500:], done.stderr[-1500:])
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The hub after release, two students' fetch and submit, and collect."""
    root = tmp_path_factory.mktemp("hub")
    folder, exchange_root, definition_file = root / "course", root / "exchange", root / "def.toml"
    exchange_root.mkdir()
    definition_file.write_text(DEFINITION)
    definition = parse(DEFINITION, definition_file)
    exchange.release(definition, "week1", folder, FIXTURE, exchange_root)
    instructor = root / "instructor"
    nbgrader(["release_assignment", "week1"], folder, instructor, exchange_root)
    answers = {"alice": make.answer_cells(nbk.read(SOURCE)), "bob": {}}
    for student, cells in answers.items():
        home = root / student
        home.mkdir()
        nbgrader(["fetch_assignment", "week1", "--course", "ch4-hub"], home, home,
                 exchange_root)
        fetched = home / "week1" / "01_tiny.ipynb"
        nbk.write(make.fill(nbk.read(fetched), cells), fetched)
        nbgrader(["submit", "week1", "--course", "ch4-hub",
                  f"--CourseDirectory.student_id={student}"], home, home, exchange_root)
    nbgrader(["collect", "week1"], folder, instructor, exchange_root)
    return folder, definition_file, root


def test_release_writes_nbgrader_layout_without_solutions(tmp_path):
    done = exchange.release(default_definition(), "week1", tmp_path / "hub")
    names = sorted(p.stem for p in done.released)
    assert names == list(default_definition().assignments[0].notebooks)
    for path in done.released:
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert (tmp_path / "hub" / "source" / "week1" / path.name).is_file()
    config = (tmp_path / "hub" / "nbgrader_config.py").read_text()
    assert "c.CourseDirectory.course_id = 'ch4'" in config and "Exchange.root" not in config


def test_release_keeps_an_instructors_own_config_and_names_a_bad_assignment(tmp_path, capsys):
    hub = tmp_path / "hub"
    hub.mkdir()
    (hub / "nbgrader_config.py").write_text("c = get_config()\n# mine\n")
    done = exchange.release(default_definition(), "week2", hub)
    assert not done.config_written and "# mine" in (hub / "nbgrader_config.py").read_text()
    assert ch4(["course", "release", "week9", "--folder", str(hub)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("ch4 course release: no assignment 'week9' in the course definition "
                   "(it has week1, week2, week3)")


def test_nbgrader_exchange_gathers_both_students_with_their_times(hub):
    folder, _, _ = hub
    for student in ("alice", "bob"):
        got = folder / "submitted" / student / "week1"
        assert (got / "01_tiny.ipynb").is_file(), student
        assert nbgrader_timestamp(got) is not None, student


@pytest.fixture(scope="module")
def graded_hub(hub):
    """``ch4 grade`` on the folder ``nbgrader collect`` filled."""
    folder, definition_file, root = hub
    out = root / "out"
    outcome = grade_class(Settings(folder, FIXTURE, out, "ch4", 2, LIMITS, None, (),
                                   sandbox_ok(), quiet=True, course=definition_file))
    return folder, out, outcome


def test_ch4_grade_grades_what_collect_gathered_into_the_assignment(graded_hub):
    folder, out, outcome = graded_hub
    by_student = {r.student: r for r in outcome.results}
    assert sorted(by_student) == ["alice", "bob"]
    assert {r.assignment for r in outcome.results} == {"week1"}
    alice, bob = by_student["alice"], by_student["bob"]
    assert alice.score == alice.max_score > 0 and bob.score == 0
    from autograder.term import standing

    times = standing.load_times(out)
    for student in ("alice", "bob"):
        stamp = nbgrader_timestamp(folder / "submitted" / student / "week1")
        assert isinstance(stamp, datetime)
        assert times[student]["01_tiny"] == stamp


def test_course_release_command_writes_the_exchange_root_and_says_what_next(tmp_path, capsys):
    hub, shared = tmp_path / "hub", tmp_path / "exchange"
    assert ch4(["course", "release", "week3", "--folder", str(hub), "--exchange",
                str(shared)]) == 0
    said = capsys.readouterr().out
    assert f"cd {hub} && nbgrader release_assignment week3" in said
    config = (hub / "nbgrader_config.py").read_text()
    assert f"c.Exchange.root = {str(shared)!r}" in config
    assert sorted(p.name for p in (hub / "release" / "week3").iterdir()) == \
        ["09_your_own_learner.ipynb", "10_full_mnist.ipynb"]


def test_a_missing_source_notebook_is_one_clear_line(tmp_path, capsys):
    assert ch4(["course", "release", "week1", "--folder", str(tmp_path / "hub"),
                "--solutions", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ch4 course release: ") and "01_pixels_and_similarity.ipynb" in err
    assert "\n" not in err


def test_returned_pages_reach_the_student_through_fetch_feedback(graded_hub, capsys):
    folder, out, _ = graded_hub
    root = folder.parent
    assert ch4(["feedback", str(out)]) == 0
    assert ch4(["course", "return", "week1", "--folder", str(folder), "--out", str(out)]) == 0
    assert "copied 2 feedback pages" in capsys.readouterr().out
    nbgrader(["release_feedback", "week1"], folder, root / "instructor", root / "exchange")
    nbgrader(["fetch_feedback", "week1", "--course", "ch4-hub"], root / "alice", root / "alice",
             root / "exchange")
    fetched = list((root / "alice" / "week1" / "feedback").glob("*/01_tiny.html"))
    assert len(fetched) == 1
    assert fetched[0].read_bytes() == (out / "returns" / "alice" / "01_tiny.html").read_bytes()


def test_course_return_before_collect_is_one_clear_line(tmp_path, capsys):
    assert ch4(["course", "return", "week1", "--folder", str(tmp_path),
                "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"ch4 course return: {tmp_path / 'submitted'}: no collected submissions "
                   "(run nbgrader collect week1 there first)")
