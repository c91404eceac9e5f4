"""Provided cells are quiet; warnings from the student's own code are never hidden.

Every solution notebook is executed by nbval in ``./run.sh test``; the repository's
``conftest.py`` fails a cell there when a provided (non-answer) cell writes to stderr. The
tests here check that hook on a small notebook, and that no provided cell silences warnings
wholesale. That the real setup cells let a student's warning through is checked in the live
kernels the notebook tests already run (``harness.assert_quiet_and_honest``).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys

import pytest
from harness import REPO, SOLUTIONS

from autograder import notebook as nbk

WARN = 'import warnings\nwarnings.warn("{text}")'


def _outcomes(stdout: str) -> dict[str, str]:
    """nbval item name ("Cell 0") -> PASSED/FAILED, from ``pytest -v`` output."""
    return dict(re.findall(r"::(Cell \d+) (PASSED|FAILED)", stdout))


def test_nbval_fails_a_provided_cell_that_warns_and_only_that_one(tmp_path):
    cells = [
        nbk.code(WARN.format(text="noise from a provided cell")),
        nbk.answer("ex_own_answer", WARN.format(text="the student's own warning")),
        nbk.code('print("quiet")'),
        nbk.code(WARN.format(text="a release cell after a stub"), tags=["raises-exception"]),
    ]
    nbk.write(nbk.new_notebook(cells, "Quiet cells"), tmp_path / "quiet.ipynb")
    shutil.copy(REPO / "conftest.py", tmp_path / "conftest.py")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v",
                             "--nbval-lax", "quiet.ipynb"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"})
    assert _outcomes(result.stdout) == {"Cell 0": "FAILED", "Cell 1": "PASSED",
                                        "Cell 2": "PASSED", "Cell 3": "PASSED"}, result.stdout
    assert "noise from a provided cell" in result.stdout
    assert "a provided cell wrote to stderr" in result.stdout


def test_provided_noise_reads_stderr_of_provided_cells_only():
    stderr = {"output_type": "stream", "name": "stderr", "text": "UserWarning: x\n"}
    stdout = {"output_type": "stream", "name": "stdout", "text": "fine\n"}
    provided = nbk.code("x = 1")
    assert nbk.provided_noise(provided, [stdout, stderr]) == "UserWarning: x\n"
    assert nbk.provided_noise(provided, [stdout]) == ""
    assert nbk.provided_noise(nbk.answer("ex_a_answer", "x = 1"), [stderr]) == ""
    assert nbk.provided_noise(nbk.markdown("text"), [stderr]) == ""


def _filter_calls(source: str) -> list[ast.Call]:
    """Calls of warnings.filterwarnings / simplefilter (any spelling of the module) in code."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: not Python, and never a filter here
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in
            ("filterwarnings", "simplefilter")]


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.ipynb")), ids=lambda p: p.stem[:2])
def test_provided_cells_hide_no_warning_wholesale(path):
    """A provided cell may hide a known library message (``message=...``), never every
    warning: a blanket filter would also hide the ones the student's code causes."""
    for cell in nbk.read(path).cells:
        if not nbk.is_provided(cell):
            continue
        for call in _filter_calls(cell.source):
            keywords = {k.arg for k in call.keywords}
            assert getattr(call.func, "attr", "") == "filterwarnings" and "message" in keywords, (
                f"{path.name}: a provided cell filters warnings without naming the message: "
                f"{ast.unparse(call)}")
