"""``ch4 release --student-dist``: what students get holds no solution code and no grading key,
and its ``autograder`` package still gives the public checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import notebook as nbk
from autograder.grading import secret
from autograder.release import student_distribution

REPO = Path(__file__).resolve().parent.parent
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def solution_lines() -> set[str]:
    """Distinctive lines of the reference answers (and of the mark schemes and hidden tests):
    what must never reach a student. Lines the released notebooks also hold are not secret."""
    released = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "course").glob("*.ipynb"))
    lines: set[str] = set()
    for path in sorted((REPO / "solutions").glob("*.ipynb")):
        for cell in nbk.read(path).cells:
            for block in _SOLUTION.findall(cell.source + "\n"):
                lines.update(line.strip() for line in block.splitlines())
    return {line for line in lines if len(line) >= 24 and line not in released}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("dist") / "ch4-course"
    student_distribution(REPO, target)
    return target


def test_the_distribution_holds_the_course_and_the_package_but_no_instructor_folders(dist):
    names = {p.name for p in dist.iterdir()}
    assert {"course", "autograder", "pyproject.toml", "README.md"} <= names
    assert not names & {"solutions", "tests", "examples", "benchmarks", ".git", ".ci"}
    assert sorted(p.name for p in (dist / "course").glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "solutions").glob("*.ipynb"))


def test_no_solution_code_and_no_grading_key_is_in_the_distribution(tmp_path, monkeypatch):
    monkeypatch.delenv(secret.KEY_ENV, raising=False)
    key = secret.grading_key(REPO)          # an instructor who graded inside the repository
    try:
        secrets_ = solution_lines()
        assert len(secrets_) > 50            # the check has something to look for
        fresh = tmp_path / "fresh"
        student_distribution(REPO, fresh)
        for path in [p for p in fresh.rglob("*") if p.is_file()]:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert key not in text, path
            assert "BEGIN SOLUTION" not in text or path.suffix == ".py", path
            leaked = [line for line in secrets_ if line in text]
            assert not leaked, (path, leaked[:3])
        assert not list(fresh.rglob(secret.KEY_FILE))
    finally:
        (REPO / secret.KEY_FILE).unlink(missing_ok=True)


def test_the_public_checks_run_from_the_distribution_alone(dist):
    code = ("import autograder.items.nb01 as m, autograder.items.selfcheck as s; "
            "print(m.__file__); print(len(s.load_expected('01_pixels_and_similarity')))")
    env = dict(os.environ, PYTHONPATH=str(dist))
    out = subprocess.run([sys.executable, "-c", code], cwd=dist, env=env, text=True,
                         capture_output=True, timeout=120, check=True).stdout.split()
    assert out[0].startswith(str(dist)) and int(out[1]) > 0


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "kept.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        student_distribution(REPO, tmp_path)
    assert (tmp_path / "kept.txt").read_text() == "mine"


def test_ch4_start_works_from_the_distribution_alone(dist, tmp_path):
    """A student who installed the distribution copies its notebooks into a working folder."""
    work = tmp_path / "work"
    env = dict(os.environ, PYTHONPATH=str(dist), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / ".config"))
    env.pop("CH4_WORK", None)
    result = subprocess.run([sys.executable, "-m", "autograder.cli", "start", str(work),
                             "--no-jupyter-setup"], cwd=tmp_path, env=env, text=True,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in work.glob("*.ipynb")) == sorted(
        p.name for p in (dist / "course").glob("*.ipynb"))
    assert (work / "01_pixels_and_similarity.ipynb").read_bytes() == (
        dist / "course" / "01_pixels_and_similarity.ipynb").read_bytes()


def test_update_refreshes_a_students_repository_in_place_and_keeps_its_git(tmp_path):
    """The instructor's students' repository: a first distribution, a stale file and a .git,
    then ``--update``; only a folder that ch4 release made is ever replaced."""
    target = tmp_path / "students-repo"
    student_distribution(REPO, target)
    (target / ".git").mkdir()
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (target / "course" / "00_removed.ipynb").write_text("{}")
    files = student_distribution(REPO, target, update=True)
    assert (target / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (target / "course" / "00_removed.ipynb").exists()
    assert not [p for p in files if ".git" in p.relative_to(target).parts]
    assert ".venv/" in (target / ".gitignore").read_text()
    plain = tmp_path / "not-a-distribution"
    plain.mkdir()
    (plain / "kept.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not a student distribution"):
        student_distribution(REPO, plain, update=True)
    assert [p.name for p in plain.iterdir()] == ["kept.txt"]
