"""``ch4 progress`` for a study group: untried items are "not started", and the page says whose
progress it is and when it was made.

The checks' verdicts are stubbed here (``check_notebook`` replaced), so no kernel runs: what is
tested is how progress sorts them. ``test_student_side.py`` runs real notebooks through it.
"""

from __future__ import annotations

import datetime
import json
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


# ------------------------------------------------------------------ only what changed is run


class Counted:
    """A stand-in for ``check_notebook`` that counts the notebooks it was asked to run."""

    def __init__(self, verdicts: dict[str, tuple[bool, str]], fatal: str | None = None):
        self.check, self.fatal, self.ran = _fake_check(verdicts), fatal, []

    def __call__(self, path, cell_timeout=600):
        self.ran.append(Path(path).stem)
        report = self.check(path, cell_timeout)
        report.fatal = self.fatal
        return report


def _no_kernel(*args, **kwargs):
    raise AssertionError("a notebook was executed although nothing changed")


@pytest.fixture
def folder(tmp_path):
    """A working folder with notebooks 03 (one answer written) and 08, untouched."""
    path = Path(shutil.copy(next(COURSE.glob("03_*.ipynb")), tmp_path))
    _edit_answer(path, "ex_mse_answer", "def mse(preds, targets):\n    return 0.0\n")
    shutil.copy(COURSE / "08_questionnaire.ipynb", tmp_path)
    return tmp_path


VERDICTS = {"ex_mse": (False, "mse(...): differs from the expected value"),
            "ex_gradient": (True, "")}


def test_a_second_run_reuses_every_unchanged_notebook_and_runs_nothing(folder, monkeypatch):
    first = Counted(VERDICTS)
    monkeypatch.setattr(prog, "check_notebook", first)
    before = prog.run_progress(folder, ["03", "08"])
    assert first.ran == ["03_sgd_by_hand", "08_questionnaire"] and before.reused == []
    assert (folder / ".ch4-progress-cache.json").exists()
    # the second run may not start a kernel: both the check and the kernel runner raise
    monkeypatch.setattr(prog, "check_notebook", _no_kernel)
    monkeypatch.setattr("autograder.check.run", _no_kernel)
    after = prog.run_progress(folder, ["03", "08"])
    assert after.reused == ["03_sgd_by_hand", "08_questionnaire"] and after.notes == []
    assert [r.to_json() for r in after.rows] == [r.to_json() for r in before.rows]
    assert after.rows[0].to_retry == ["ex_mse"] and after.rows[0].passed == 1
    lines = prog.table(after.rows).splitlines()
    assert lines[0].endswith("This run") and all(line.endswith("reused") for line in lines[1:3])


def test_only_the_changed_notebook_is_run_again(folder, monkeypatch):
    monkeypatch.setattr(prog, "check_notebook", Counted(VERDICTS))
    prog.run_progress(folder, ["03", "08"])
    _edit_answer(next(folder.glob("03_*.ipynb")), "ex_mse_answer",
                 "def mse(preds, targets):\n    return ((preds - targets) ** 2).mean()\n")
    again = Counted({"ex_mse": (True, ""), "ex_gradient": (True, "")})
    monkeypatch.setattr(prog, "check_notebook", again)
    run = prog.run_progress(folder, ["03", "08"])
    assert again.ran == ["03_sgd_by_hand"] and run.reused == ["08_questionnaire"]
    assert run.rows[0].passed == 2 and not run.rows[0].reused


def test_outputs_saved_by_jupyter_are_not_a_change(folder, monkeypatch):
    monkeypatch.setattr(prog, "check_notebook", Counted(VERDICTS))
    prog.run_progress(folder, ["03"])
    path = next(folder.glob("03_*.ipynb"))
    nb = nbk.read(path)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 7
    code.outputs = [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]
    nbk.write(nb, path)
    monkeypatch.setattr(prog, "check_notebook", _no_kernel)
    assert prog.run_progress(folder, ["03"]).reused == ["03_sgd_by_hand"]


def test_new_checks_a_stopped_run_or_rerun_mean_running_again(folder, monkeypatch):
    counted = Counted(VERDICTS)
    monkeypatch.setattr(prog, "check_notebook", counted)
    prog.run_progress(folder, ["03"])
    monkeypatch.setattr("autograder.progress_cache.code_stamp", lambda: "a newer ch4")
    assert prog.run_progress(folder, ["03"]).reused == []
    assert prog.run_progress(folder, ["03"], rerun=True).reused == []
    assert prog.run_progress(folder, ["03"]).reused == ["03_sgd_by_hand"]
    stopped = Counted(VERDICTS, fatal="cell 4 raised NameError")
    monkeypatch.setattr(prog, "check_notebook", stopped)
    _edit_answer(next(folder.glob("03_*.ipynb")), "ex_mse_answer", "def mse(:\n")
    prog.run_progress(folder, ["03"])
    prog.run_progress(folder, ["03"])
    assert counted.ran == ["03_sgd_by_hand"] * 3 and stopped.ran == ["03_sgd_by_hand"] * 2


@pytest.mark.parametrize("garbage", ['{"format": 1, "notebooks": ', '[1, 2]',
                                     '{"format": 99, "notebooks": {}}',
                                     '{"format": 1, "notebooks": {"03_sgd_by_hand": 5}}'])
def test_a_corrupt_cache_is_ignored_with_a_note_and_written_afresh(folder, monkeypatch, garbage):
    (folder / ".ch4-progress-cache.json").write_text(garbage)
    counted = Counted(VERDICTS)
    monkeypatch.setattr(prog, "check_notebook", counted)
    run = prog.run_progress(folder, ["03"])
    assert counted.ran == ["03_sgd_by_hand"] and run.reused == []
    assert len(run.notes) == 1 and "ignored the progress cache" in run.notes[0]
    assert prog.run_progress(folder, ["03"]).reused == ["03_sgd_by_hand"]


def test_a_remembered_row_of_the_wrong_shape_is_run_again(folder, monkeypatch):
    counted = Counted(VERDICTS)
    monkeypatch.setattr(prog, "check_notebook", counted)
    prog.run_progress(folder, ["03"])
    path = folder / ".ch4-progress-cache.json"
    data = json.loads(path.read_text())
    del data["notebooks"]["03_sgd_by_hand"]["row"]["score"]
    path.write_text(json.dumps(data))
    run = prog.run_progress(folder, ["03"])
    assert counted.ran == ["03_sgd_by_hand"] * 2 and "remembered row unreadable" in run.notes[0]


def test_ch4_progress_says_which_notebooks_it_reused(folder, monkeypatch, capsys):
    monkeypatch.setattr(prog, "check_notebook", Counted(VERDICTS))
    assert prog.main(folder, ["03", "08"], None, 60) == 0
    assert "Reused" not in capsys.readouterr().out
    monkeypatch.setattr(prog, "check_notebook", _no_kernel)
    assert prog.main(folder, ["03", "08"], None, 60) == 0
    printed = capsys.readouterr().out
    assert "This run" in printed and printed.count("reused") >= 2
    assert "Reused 2 of 2 notebook(s), unchanged since the last run: 03_sgd_by_hand, " \
           "08_questionnaire" in printed
