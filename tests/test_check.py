"""``ch4 check`` and the execution/scoring core on small notebooks written here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import notebook as nbk
from autograder.check import check_notebook
from autograder.release import student_version

ANSWER_A = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
ANSWER_B = "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION"


def _source(extra_cells=()) -> object:
    return nbk.new_notebook([
        nbk.markdown("# Tiny"),
        nbk.code("import sys, warnings\nprint('library noise', file=sys.stderr)\n"
                 "warnings.warn('deprecated thing')"),
        nbk.answer("ex_double_answer", ANSWER_A),
        nbk.tests("ex_double", "assert double(2) == 4, 'double(2) should be 4'\n"
                  "### BEGIN HIDDEN TESTS\nassert double(-7) == -14\n### END HIDDEN TESTS", 2),
        *extra_cells,
        nbk.answer("ex_square_answer", ANSWER_B),
        nbk.tests("ex_square", "assert square(3) == 9, 'square(3) should be 9'", 1),
        nbk.free_text("q01_free", "A model answer.", 1),
    ], "Tiny")


def _write(tmp_path: Path, nb, name="tiny.ipynb") -> Path:
    path = tmp_path / name
    nbk.write(nb, path)
    return path


def _with_answer(nb, gid: str, source: str):
    for cell in nb.cells:
        if nbk.grade_id(cell) == gid:
            cell.source = source
    return nb


def test_solution_scores_full_marks_despite_stderr(tmp_path):
    report = check_notebook(_write(tmp_path, _source()))
    assert (report.score, report.max_score) == (3, 3)
    assert report.headline() == "Tiny: 3/3 (autograded)"
    assert any("hidden tests and hand-marked answers are not included" in line
               for line in report.lines())


def test_release_scores_zero_and_says_not_attempted(tmp_path):
    report = check_notebook(_write(tmp_path, student_version(_source())))
    assert report.score == 0
    assert all("not attempted" in item.message for item in report.auto)


def test_one_broken_item_costs_only_that_item(tmp_path):
    nb = _with_answer(_source(), "ex_double_answer", "def double(x):\n    return 1 / 0")
    report = check_notebook(_write(tmp_path, nb))
    scores = {i.grade_id: i.score for i in report.auto}
    assert scores == {"ex_double": 0, "ex_square": 1}
    assert "ZeroDivisionError" in next(i.message for i in report.auto if i.grade_id == "ex_double")


def test_wrong_answer_gets_the_plain_words_message(tmp_path):
    nb = _with_answer(_source(), "ex_double_answer", "def double(x):\n    return x + 3")
    report = check_notebook(_write(tmp_path, nb))
    assert report.score == 1
    assert "  ex_double: double(2) should be 4" in report.lines()


def test_hidden_tests_are_not_run_by_check(tmp_path):
    nb = _with_answer(_source(), "ex_double_answer", "def double(x):\n    return x + 2")
    assert check_notebook(_write(tmp_path, nb)).score == 3  # only the hidden test would catch it


def test_a_dead_kernel_fails_the_remaining_items(tmp_path):
    dying = nbk.code("import os\nos._exit(1)")
    report = check_notebook(_write(tmp_path, _source([dying])))
    scores = {i.grade_id: (i.score, i.message) for i in report.auto}
    assert scores["ex_double"][0] == 2
    assert scores["ex_square"][0] == 0 and "kernel died" in scores["ex_square"][1]


def test_spec_check_cell_reports_the_comparators_words(tmp_path):
    """A locked cell that calls SPEC.check judges public probes with the shared comparator."""
    nb = nbk.new_notebook([
        nbk.code("import torch"),
        nbk.answer("ex_double_answer", "def double(x):\n    return x + 1"),
        nbk.tests("ex_double", 'from autograder.items.tiny import SPEC\n\n'
                  'SPEC.check("ex_double")', 2),
    ], "Spec")
    report = check_notebook(_write(tmp_path, nb))
    message = report.auto[0].message
    assert report.score == 0
    assert message.startswith("double([1, 2]): differs from the expected result")


@pytest.mark.parametrize("content, words", [("{not json", "not valid notebook JSON"),
                                            ('{"cells": 3}', "not a notebook"),
                                            ('{"cells": [{"cell_type": "x"}]}', "malformed")])
def test_broken_notebooks_get_one_clear_line(tmp_path, content, words):
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    result = subprocess.run([sys.executable, "-m", "autograder.cli", "check", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert words in result.stdout + result.stderr
    assert path.read_text() == content  # nothing lost


def test_json_output(tmp_path):
    path = _write(tmp_path, _source())
    result = subprocess.run([sys.executable, "-m", "autograder.cli", "check", "--json", str(path)],
                            capture_output=True, text=True)
    payload = json.loads(result.stdout)
    assert result.returncode == 0
    assert payload["score"] == 3 and payload["max_score"] == 3
    assert {"kernel_start_s", "student_code_s", "checks_s"} <= set(payload["timings"])
    assert "not included" in payload["note"]


def test_the_probes_file_trees_are_removed_after_a_check(tmp_path):
    """Notebook 01's file exercises build folder trees in the kernel's temporary folder; ch4
    check runs outside any sandbox, so it must not leave them in the machine's /tmp."""
    import tempfile

    def ours() -> set[str]:
        return {p.name for p in Path(tempfile.gettempdir()).glob("ch4-probe-*")}

    before = ours()
    report = check_notebook(Path(__file__).resolve().parent.parent / "solutions"
                            / "01_pixels_and_similarity.ipynb")
    assert report.score == report.max_score > 0
    assert ours() - before == set()


def _spec_notebook(answer: str, check: str = 'SPEC.check("ex_double")', extra=()) -> object:
    return nbk.new_notebook([
        nbk.code("import torch"),
        *extra,
        nbk.answer("ex_double_answer", answer),
        nbk.tests("ex_double", f"from autograder.items.tiny import SPEC\n\n{check}", 2),
    ], "Spec")


def test_a_spec_notebook_is_scored_from_its_probe_records_not_from_its_check_cells(tmp_path):
    """ch4 check judges the public probes' records with the grader's function: a check cell
    that was silenced (or a checker patched away) earns nothing, and a correct answer whose
    check cell was broken still passes."""
    wrong = "def double(x):\n    return x + 1"
    silenced = check_notebook(_write(tmp_path, _spec_notebook(wrong, "pass"), "a.ipynb"))
    patched = check_notebook(_write(tmp_path, _spec_notebook(wrong, extra=[nbk.code(
        "import autograder.items.selfcheck as _s\n_s.check_item = lambda *a, **k: None")]),
        "b.ipynb"))
    assert silenced.score == patched.score == 0
    assert patched.auto[0].message.startswith("double([1, 2]): differs from the expected")
    broken = check_notebook(_write(tmp_path, _spec_notebook(
        "def double(x):\n    return 2 * x", "raise AssertionError('no')"), "c.ipynb"))
    assert broken.score == 2 and broken.auto[0].public_passed


def test_check_and_grade_judge_public_probes_with_one_function():
    from autograder import scoring
    from autograder.grading import worker
    from autograder.items import probing

    assert scoring.probing.public_verdict is probing.public_verdict
    assert "public_verdict" in worker.judge_autograded.__code__.co_names


# ---------------------------------------------------------------- an unset STUDENT_ID


def test_an_unset_student_id_is_read_from_the_cells_source():
    from autograder.checks.choice import id_unset_in

    stub = ('STUDENT_ID = ""  # set it in your code below\n# YOUR CODE HERE\n'
            "raise NotImplementedError()")
    assert id_unset_in(stub)
    assert id_unset_in('STUDENT_ID = "   "') and id_unset_in("STUDENT_ID = None")
    assert id_unset_in("STUDENT_ID = (") and id_unset_in("x = 1")
    assert not id_unset_in('STUDENT_ID = ""\nSTUDENT_ID = "s1234567"')
    assert not id_unset_in('import os\nSTUDENT_ID = os.environ["ME"]')
    assert id_unset_in('STUDENT_ID = "s1"\nSTUDENT_ID = ""')


def test_check_warns_while_student_id_is_unset(tmp_path):
    """``ch4 check`` says so under its headline (and in --json) while the questionnaire's
    STUDENT_ID cell leaves the id blank; nothing is said once it is set, or for notebooks
    without such a cell."""
    from autograder.check import CheckReport, notebook_warnings
    from autograder.checks.choice import UNSET_ID

    course = nbk.read(Path(__file__).resolve().parents[1] / "course" / "08_questionnaire.ipynb")
    assert notebook_warnings(course) == [UNSET_ID]
    [cell] = [c for c in course.cells if nbk.grade_id(c) == "student_id"]
    cell.source = 'STUDENT_ID = "s1234567"'
    assert notebook_warnings(course) == []
    assert notebook_warnings(student_version(_source())) == []
    report = CheckReport("08_questionnaire.ipynb", "Questionnaire", [], warnings=[UNSET_ID])
    assert report.lines()[1] == f"  warning: {UNSET_ID}"
    assert report.as_dict()["warnings"] == [UNSET_ID]


def test_the_check_cell_warns_while_student_id_is_unset(capsys):
    """The questionnaire's check cell prints the warning before its verdict while STUDENT_ID
    is blank; a notebook whose probes do not read the id never prints it."""
    from autograder.checks.choice import UNSET_ID
    from autograder.items import nb01, nb08

    namespace = {"q04_answer": lambda numbers: [2 * n for n in numbers if n % 2],
                 "STUDENT_ID": ""}
    nb08.SPEC.check("q04", namespace)
    out = capsys.readouterr().out
    assert UNSET_ID in out and "passed the public checks" in out
    namespace["STUDENT_ID"] = "s1234567"
    nb08.SPEC.check("q04", namespace)
    assert UNSET_ID not in capsys.readouterr().out
    from autograder.items.selfcheck import id_warning

    assert id_warning(nb01.SPEC, {}) is None and id_warning(nb08.SPEC, {}) == UNSET_ID
