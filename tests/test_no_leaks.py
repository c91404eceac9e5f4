"""Nothing hidden reaches students: no solution, hidden test or mark scheme text in course/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder import notebook as nbk

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted((REPO / "solutions").glob("*.ipynb"))
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS|MARK SCHEME)\n(.*?)### END \1", re.S)
DELIMITERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
              "BEGIN MARK SCHEME", "END MARK SCHEME")


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if len(line.strip()) >= 12}


def secret_and_public_lines(source) -> tuple[set[str], set[str]]:
    """Lines inside secret regions (and whole hand-marked model answers) vs. everything else."""
    secret: set[str] = set()
    public: set[str] = set()
    for cell in source.cells:
        text = cell.source
        if cell.cell_type == "markdown" and nbk.is_solution(cell) and "BEGIN SOLUTION" not in text:
            secret |= _lines(text)  # a hand-marked answer cell: its whole text is the model answer
            continue
        for match in REGION.finditer(text):
            secret |= _lines(match.group(2))
        public |= _lines(REGION.sub("", text))
    return secret - public, public


@pytest.mark.parametrize("source_path", SOURCES, ids=lambda p: p.name)
def test_course_notebook_holds_no_secret(source_path):
    course_path = REPO / "course" / source_path.name
    assert course_path.exists(), f"{course_path} missing: run ch4 release"
    course_text = course_path.read_text()
    for delimiter in DELIMITERS:
        assert delimiter not in course_text, f"{course_path.name} contains '{delimiter}'"
    secret, _ = secret_and_public_lines(nbk.read(source_path))
    released = set()
    for cell in nbk.read(course_path).cells:
        released |= _lines(cell.source)
    leaked = sorted(secret & released)
    assert not leaked, f"{course_path.name} leaks: {leaked[:5]}"


def test_the_scan_finds_a_planted_leak(tmp_path):
    source = nbk.new_notebook([
        nbk.answer("ex_a_answer", "def f():\n    ### BEGIN SOLUTION\n"
                                  "    return secret_value * 3\n    ### END SOLUTION"),
        nbk.tests("ex_a", "assert f()\n### BEGIN HIDDEN TESTS\nassert f() == _hidden_expected\n"
                          "### END HIDDEN TESTS", 1)], "T")
    secret, _ = secret_and_public_lines(source)
    assert {"return secret_value * 3", "assert f() == _hidden_expected"} <= secret
