"""``ch4 progress`` for a study group: untried items are "not started", and the page says whose
progress it is and when it was made.

The checks' verdicts are stubbed here (``check_notebook`` replaced), so no kernel runs: what is
tested is how progress sorts them. ``test_student_side.py`` runs real notebooks through it.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder import notebook as nbk
from autograder import progress as prog
from autograder.items.compare import NOT_ATTEMPTED
from autograder.results import ItemResult

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "course"


def _answers(path: Path) -> set[str]:
    return {nbk.grade_id(c) for c in nbk.read(path).cells
            if nbk.is_solution(c) and c.cell_type == "code"}


@pytest.mark.parametrize("path", sorted(COURSE.glob("*.ipynb")), ids=lambda p: p.stem[:2])
def test_every_answer_cell_of_a_release_is_untouched(path):
    assert prog.untouched_answers(path) == _answers(path)


def _edit_answer(path: Path, answer_id: str, source: str) -> None:
    nb = nbk.read(path)
    next(c for c in nb.cells if nbk.grade_id(c) == answer_id).source = source
    nbk.write(nb, path)


def test_an_edited_answer_is_no_longer_untouched(tmp_path):
    path = Path(shutil.copy(next(COURSE.glob("03_*.ipynb")), tmp_path))
    _edit_answer(path, "ex_mse_answer", "def mse(preds, targets):\n    return 0.0\n")
    assert prog.untouched_answers(path) == _answers(path) - {"ex_mse_answer"}


def _fake_check(verdicts: dict[str, tuple[bool, str]]):
    """A ``check_notebook`` that gives these (passed, message) verdicts, running nothing."""
    def check(path, cell_timeout=600):
        items = [ItemResult(gid, float(ok), 1.0, ok, False, message)
                 for gid, (ok, message) in verdicts.items()]
        return SimpleNamespace(score=sum(i.score for i in items), max_score=float(len(items)),
                               auto=items, fatal=None)
    return check


def test_a_failing_item_is_to_retry_only_once_its_answer_was_changed(tmp_path, monkeypatch):
    """The issue's case: untouched items whose checks fail with another message than the
    stub's (a knock-on failure, a stub that returns None) were listed "to retry"."""
    path = Path(shutil.copy(next(COURSE.glob("03_*.ipynb")), tmp_path))
    _edit_answer(path, "ex_mse_answer", "def mse(preds, targets):\n    return 0.0\n")
    monkeypatch.setattr(prog, "check_notebook", _fake_check({
        "ex_gradient": (True, ""),
        "ex_mse": (False, "mse(...): differs from the expected value"),
        "ex_apply_step": (False, "mse does not pass yet: fix that one first"),
        "ex_quadratic": (False, NOT_ATTEMPTED),
    }))
    week = next(w for w in prog.PLAN if w.notebook.startswith("03_"))
    row = prog.notebook_progress(week, path, timeout=60)
    assert (row.passed, row.to_retry, row.not_started) == (1, ["ex_mse"], 2)


def test_the_page_names_the_student_and_the_day():
    rows = [prog.NotebookProgress("1", "01_pixels_and_similarity", 2, 4, 1)]
    text = prog.page(rows, "Ada <L.>", datetime.date(2026, 12, 5))
    assert "Ada &lt;L.&gt;" in text and "2026-12-05" in text
    assert "no name" in prog.page(rows) and datetime.date.today().isoformat() in prog.page(rows)


@pytest.mark.parametrize("source, expected", [
    ('STUDENT_ID = ""  # set it in your code below\n# YOUR CODE HERE\n'
     "raise NotImplementedError()", None),
    ('STUDENT_ID = ""  # set it in your code below\nSTUDENT_ID = " s1234567 "', "s1234567"),
    ('STUDENT_ID = "s1"\nraise NotImplementedError()\nSTUDENT_ID = "s2"', "s1"),
    ("import os\nSTUDENT_ID = os.environ['ID']", None),
    ("STUDENT_ID = (", None),
])
def test_student_id_is_read_from_the_cell_without_running_it(source, expected):
    assert prog.student_id_in(source) == expected


def test_student_id_comes_from_the_course_folder(tmp_path):
    path = Path(shutil.copy(COURSE / "08_questionnaire.ipynb", tmp_path))
    assert prog.student_id(tmp_path) is None
    _edit_answer(path, "student_id", 'STUDENT_ID = "s7654321"')
    assert prog.student_id(tmp_path) == "s7654321"


def test_ch4_progress_html_carries_the_name_given(tmp_path):
    """--name wins over STUDENT_ID; a missing notebook means nothing is run."""
    path = Path(shutil.copy(COURSE / "08_questionnaire.ipynb", tmp_path))
    _edit_answer(path, "student_id", 'STUDENT_ID = "s7654321"')
    page = tmp_path / "progress.html"
    base = [sys.executable, "-m", "autograder.cli", "progress", str(tmp_path), "--notebook",
            "03", "--html", str(page)]
    result = subprocess.run([*base, "--name", "Study group: Ada"], capture_output=True,
                            text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Study group: Ada" in page.read_text(encoding="utf-8")
    subprocess.run(base, capture_output=True, text=True, cwd=REPO, check=True)
    assert "s7654321" in page.read_text(encoding="utf-8")
