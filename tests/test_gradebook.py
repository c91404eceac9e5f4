"""A new SQLite gradebook is created in this process (nbgrader's tables and its migration
stamp, as nbgrader itself would write them) and reopening it keeps its rows."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader import api

from autograder.grading import gradebook


def _stamp(db: Path) -> list[tuple[str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchall()


def test_a_new_gradebook_is_stamped_with_nbgraders_head_without_a_second_python(
        tmp_path, monkeypatch):
    # nbgrader's own way: the ``alembic`` command, found on PATH (CI does not put the virtual
    # environment's bin folder there, so the test does, for this call only)
    path = os.environ["PATH"]
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{path}")
    expected = api.get_alembic_version()
    monkeypatch.setenv("PATH", path)
    started: list[object] = []

    def refuse(*args, **kwargs):
        started.append(args)
        raise AssertionError("a new gradebook must not start a process")

    monkeypatch.setattr(subprocess, "check_output", refuse)
    monkeypatch.setattr(api.sp, "check_output", refuse)
    db = tmp_path / "gradebook.db"
    gb = gradebook.open_gradebook(f"sqlite:///{db}")
    try:
        gb.update_or_create_assignment("ch4")
        gb.update_or_create_student("s1")
    finally:
        gb.close()
    assert started == []
    assert _stamp(db) == [(expected,)]
    assert {"assignment", "student", "grade", "grade_cells"} <= {
        row[0] for row in sqlite3.connect(db).execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}

    again = gradebook.open_gradebook(f"sqlite:///{db}")       # reopen: nothing recreated
    try:
        assert [s.id for s in again.students] == ["s1"]
    finally:
        again.close()
    assert _stamp(db) == [(expected,)]


def test_an_unwritable_gradebook_is_one_clear_line(tmp_path):
    folder = tmp_path / "missing" / "deeper"
    with pytest.raises(gradebook.GradebookError) as err:
        gradebook.open_gradebook(f"sqlite:///{folder / 'gradebook.db'}")
    assert "\n" not in str(err.value) and "cannot open the gradebook" in str(err.value)


def test_notebook_validation_works_without_the_slow_iri_grammar():
    """autograder.notebook keeps jsonschema from importing rfc3987_syntax (two seconds of
    grammar compiling per process); notebooks still validate."""
    code = ("import sys, autograder.notebook as n, nbformat, glob\n"
            "for p in sorted(glob.glob('solutions/*.ipynb')):\n"
            "    nbformat.validate(nbformat.read(p, as_version=4))\n"
            "print(sys.modules.get('rfc3987_syntax') is None, 'jsonschema' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"]
