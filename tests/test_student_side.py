"""What the student sees: check cells that speak plainly, hints that teach without telling."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import notebook as nbk
from autograder.execute import run
from autograder.hints import (
    HintError,
    find_item,
    hint_line,
    hint_text,
    levels,
    resolve,
    usual_cause,
)
from autograder.items.selfcheck import CheckFailed, check_item, origin_of
from autograder.items.tiny import SPEC as TINY
from autograder.scoring import score

REPO = Path(__file__).resolve().parent.parent
CHECK = 'from autograder.items.tiny import SPEC\n\nSPEC.check("{gid}")'


def _error_output(cell) -> dict | None:
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def _stream(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream")


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """One kernel run of a small notebook covering pass, fail, own error and missing names."""
    cells = [
        nbk.code("import torch"),
        nbk.answer("ex_double_answer", "def double(x):\n    return 2 * x"),
        nbk.tests("ex_double", CHECK.format(gid="ex_double"), 1),
        nbk.answer("ex_mean_abs_answer",
                   "def helper(t):\n    return t.sum(dim=5)\n\n"
                   "def mean_abs(t):\n    return helper(t)"),
        nbk.tests("ex_mean_abs", CHECK.format(gid="ex_mean_abs"), 1),
        nbk.code("def double(x):\n    return x + 1"),
        nbk.tests("ex_double_again", CHECK.format(gid="ex_double"), 1),
        nbk.code("twice = undefined_helper(3)"),
        nbk.code("print(double)\ndel double\ndouble(2)"),
    ]
    nb = nbk.new_notebook(cells, "Student side")
    folder = tmp_path_factory.mktemp("student")
    return run(nb, cwd=folder, cell_timeout=120)


def test_a_passing_check_prints_one_line(ran):
    cell = ran.nb.cells[2]
    assert _error_output(cell) is None
    assert _stream(cell).strip() == ("\u2713 ex_double: passed the public checks "
                                     "(hidden tests run at grading)")


def test_a_failing_check_is_an_error_without_a_traceback_through_the_check(ran):
    error = _error_output(ran.nb.cells[6])
    shown = "\n".join(error["traceback"])
    assert error["ename"] == "CheckFailed"
    assert shown.startswith("\u2717 ex_double: double([1, 2]): differs from the expected")
    assert "hint: run `ch4 hint 01 ex_double" in shown
    assert "selfcheck" not in shown and "File " not in shown and len(error["traceback"]) <= 4
    assert ran.cells[6].error.startswith("CheckFailed: double([1, 2]): differs")


def test_a_failed_check_cell_still_counts_as_failed(ran):
    scores = {(s.grade_id, s.passed) for s in score(ran)}
    assert ("ex_double", True) in scores and ("ex_double_again", False) in scores


def test_an_error_in_the_students_own_function_shows_their_frames(ran):
    shown = "\n".join(_error_output(ran.nb.cells[4])["traceback"])
    assert "raised IndexError" in shown
    assert "in helper" in shown and "return t.sum(dim=5)" in shown
    assert "usual cause: you named an axis the tensor does not have" in shown
    assert "runner.py" not in shown and "<probe>" not in shown


def test_a_name_error_for_an_answer_name_says_which_exercise_defines_it(ran):
    error = _error_output(ran.nb.cells[8])
    assert error["ename"] == "NameError"
    assert error["traceback"] == ["NameError: double is not defined yet: it is your answer to "
                                  "ex_double; write it there and run that cell first"]


def test_other_name_errors_keep_the_usual_traceback(ran):
    shown = "\n".join(_error_output(ran.nb.cells[7])["traceback"])
    assert "undefined_helper" in shown and "not defined" in shown


def test_a_name_set_by_a_cell_after_an_unfinished_exercise_names_that_exercise():
    cells = ["def double(x):\n    raise NotImplementedError()",
             "doubled = double(torch.ones(2))", "print(doubled)"]
    text = origin_of(TINY, "doubled", cells)
    assert text is not None and "uses your answer to ex_double" in text
    assert origin_of(TINY, "something_else", cells) is None


def test_a_check_whose_earlier_exercise_is_missing_says_do_that_first():
    from dataclasses import replace

    spec = replace(TINY, items=(TINY.items[0], replace(TINY.items[1], needs=("ex_double",)),
                                TINY.items[2]))
    with pytest.raises(CheckFailed, match="uses double from ex_double.*do ex_double first"):
        check_item(spec, spec.item("ex_mean_abs"), {"mean_abs": abs})


def test_a_stub_inside_an_earlier_exercise_is_reported_as_that_exercise():
    from dataclasses import replace

    spec = replace(TINY, items=(TINY.items[0], replace(TINY.items[1], needs=("ex_double",)),
                                TINY.items[2]))
    namespace: dict = {}
    exec("def double(x):\n    raise NotImplementedError()\n"  # noqa: S102
         "def mean_abs(t):\n    return double(t).abs().mean()", namespace)
    with pytest.raises(CheckFailed, match="calls double, which is not finished yet"):
        check_item(spec, spec.item("ex_mean_abs"), namespace)


def test_repeated_failures_point_at_a_more_specific_hint():
    item = TINY.item("ex_double").__class__(**{**TINY.item("ex_double").__dict__,
                                               "hints": ("one", "two", "three")})
    assert "--level" not in hint_line(TINY, item, 1)
    assert "--level 2" in hint_line(TINY, item, 2)
    assert "--level 3" in hint_line(TINY, item, 7)


def test_hint_levels_go_from_general_to_specific_and_say_when_they_end():
    spec = resolve("01")
    item = find_item(spec, "crop")
    assert len(levels(item)) >= 2
    first, last = hint_text(spec, item, 1), hint_text(spec, item, 99)
    assert "hint 1 of" in first and "ch4 hint 01 ex_crop --level 2" in first
    assert "most specific hint" in last


@pytest.mark.parametrize("notebook, item, words", [
    ("99", "ex_crop", "no notebook '99'"), ("pixels", "x", "no notebook"),
    ("01", "nothing", "its items are: ex_digit_files")])
def test_hint_names_what_exists_when_asked_for_something_unknown(notebook, item, words):
    with pytest.raises(HintError, match=words):
        find_item(resolve(notebook), item)


def test_hint_level_zero_is_refused():
    with pytest.raises(HintError, match="--level must be 1 or more"):
        hint_text(TINY, TINY.items[0], 0)


def test_hint_verb_prints_the_hint_and_exits_2_on_unknown_items():
    ok = subprocess.run([sys.executable, "-m", "autograder.cli", "hint", "02", "ex_is_3"],
                        capture_output=True, text=True, cwd=REPO)
    bad = subprocess.run([sys.executable, "-m", "autograder.cli", "hint", "02", "nope"],
                         capture_output=True, text=True, cwd=REPO)
    assert ok.returncode == 0 and "hint 1 of" in ok.stdout
    assert bad.returncode == 2 and "has no item 'nope'" in bad.stdout


def test_raw_pytorch_errors_get_their_usual_cause():
    assert "axis" in usual_cause("Dimension out of range (expected to be in range of [-1, 0], "
                                 "but got 5)")
    assert "gradients" in usual_cause("element 0 of tensors does not require grad and does "
                                      "not have a grad_fn")
    assert usual_cause("something new") is None


# ---------------------------------------------------------------- hints never give the code

# Expressions the issue found in hints; none may come back.
GIVEAWAYS = ("t[:, j]", "xb @ weights + bias", "x.view(x.shape[0], -1)",
             "three of the four are right", "the validation accuracy is 0.6", "1 / (1 + exp",
             "w1 @ w2", "xb @ w1", "(-1, -2)", "a * t**2", "torch.randn")
MIN_FRAGMENT = 12


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _solution_lines() -> set[str]:
    lines = set()
    for path in sorted((REPO / "solutions").glob("*.ipynb")):
        for cell in nbk.read(path).cells:
            inside = False
            for line in cell.source.splitlines():
                if "### BEGIN SOLUTION" in line:
                    inside = True
                elif "### END SOLUTION" in line:
                    inside = False
                elif inside and not line.strip().startswith("#"):
                    squeezed = _squeeze(line)
                    if len(squeezed) >= MIN_FRAGMENT:
                        lines.add(squeezed)
    return lines


def _constants_in_calls(module_path: Path, functions: set[str]) -> list[str]:
    """Every string a module passes to its failure-message functions (f-string parts too)."""
    import ast

    texts = []
    for node in ast.walk(ast.parse(module_path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in functions:
            texts += [n.value for arg in node.args for n in ast.walk(arg)
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return texts


def _feedback_texts() -> dict[str, str]:
    """Every message, probe hint and hint level a student can be shown, by where it lives."""
    import importlib

    from autograder import hints
    texts = {"hints.FALLBACK": hints.FALLBACK}
    texts.update({f"usual cause {c.pattern}": c.cause for c in hints.USUAL_CAUSES})
    for number in range(1, 11):
        spec = importlib.import_module(f"autograder.items.nb{number:02d}").SPEC
        for item in spec.items:
            for level, text in enumerate(hints.levels(item), 1):
                texts[f"{spec.notebook}:{item.grade_id} level {level}"] = text
            for probe in [*item.public, *item.hidden_probes("scan")]:
                texts[f"{spec.notebook}:{item.grade_id} {probe.label}"] = probe.hint
    calls = {"fail", "expect", "expect_close", "expect_number", "expect_tensor", "Verdict",
             "_Differs", "fail_with"}
    for module in ("checks/questionnaire.py", "checks/choice.py", "items/compare.py",
                   "items/selfcheck.py"):
        for index, text in enumerate(_constants_in_calls(REPO / "autograder" / module, calls)):
            texts[f"{module} message {index}"] = text
    return texts


def test_no_message_or_hint_contains_a_line_of_the_solutions():
    solution = _solution_lines()
    assert len(solution) > 100  # the scan really read the solutions
    leaks = [(where, line) for where, text in _feedback_texts().items()
             for line in solution if line in _squeeze(text)]
    assert leaks == []


def test_no_message_or_hint_contains_the_answers_the_issue_found():
    leaks = [(where, bad) for where, text in _feedback_texts().items() for bad in GIVEAWAYS
             if _squeeze(bad) in _squeeze(text)]
    assert leaks == []


def test_every_exercise_has_two_or_three_graded_hint_levels():
    import importlib

    for number in (1, 2, 3, 4, 5, 6, 7, 9, 10):
        spec = importlib.import_module(f"autograder.items.nb{number:02d}").SPEC
        for item in spec.items:
            assert 2 <= len(item.hints) <= 3, f"{spec.notebook}:{item.grade_id}"
            assert len(set(item.hints)) == len(item.hints)


# ---------------------------------------------------------------- ch4 progress

def _course_copy(folder: Path, solved: set[str], notebooks=("01", "02")) -> Path:
    """A course folder whose notebooks come from solutions/ (done) or course/ (untouched)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for number in notebooks:
        source = REPO / ("solutions" if number in solved else "course")
        shutil.copy(next(source.glob(f"{number}_*.ipynb")), folder)
    return folder


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """Progress of one course folder (notebooks 01 and 02) untouched, half done and finished,
    as a student works through it: each run checks only the notebook that changed (the
    others' rows come from ``ch4 progress``'s cache of the earlier run on the same content),
    so each of the four notebooks is run once."""
    from autograder.progress import run_progress

    folder = tmp_path_factory.mktemp("progress") / "course"
    rows, reused = {}, {}
    for name, solved in (("untouched", set()), ("half", {"01"}), ("finished", {"01", "02"})):
        run = run_progress(_course_copy(folder, solved), ["01", "02"])
        rows[name], reused[name] = run.rows, run.reused
    assert reused == {"untouched": [], "half": ["02_tensors_and_metrics"],
                      "finished": ["01_pixels_and_similarity"]}, reused
    return rows


def test_progress_of_an_untouched_course_is_zero_everywhere(courses):
    rows = courses["untouched"]
    assert [r.notebook for r in rows] == ["01_pixels_and_similarity", "02_tensors_and_metrics"]
    assert all(r.score == 0 and r.passed == 0 and not r.to_retry and r.problem is None
               for r in rows)
    assert all(r.not_started > 0 for r in rows)


def test_progress_of_a_half_done_course_counts_only_the_finished_notebook(courses):
    done, untouched = courses["half"]
    assert done.score == done.max_score > 0 and done.not_started == 0 and not done.to_retry
    assert untouched.score == 0 and untouched.passed == 0


def test_progress_of_a_finished_course_is_full_marks(courses):
    assert all(r.score == r.max_score > 0 and r.not_started == 0 for r in courses["finished"])


def test_progress_table_and_page_say_public_checks_only(courses):
    from autograder.progress import page, table

    text, html = table(courses["half"]), page(courses["half"])
    assert "Week" in text.splitlines()[0] and "public checks only" in text
    assert text.splitlines()[1].split()[:2] == ["1", "01_pixels_and_similarity"]
    assert html.count('class="bar"') == 2 and "public checks only" in html


def test_progress_counts_written_free_text_answers():
    from autograder.items.nb08 import SPEC
    from autograder.progress import free_text_written

    questions = len(SPEC.items)          # one written answer per question
    assert free_text_written(REPO / "course" / "08_questionnaire.ipynb") == (0, questions)
    assert free_text_written(REPO / "solutions" / "08_questionnaire.ipynb") == (questions,
                                                                                 questions)


def test_progress_reports_a_missing_notebook_without_running_anything(tmp_path):
    from autograder.progress import progress, table

    rows = progress(tmp_path, ["03"])
    assert rows[0].problem == "not in this folder" and "not in this folder" in table(rows)


@pytest.mark.parametrize("args, words", [(["nowhere"], "is not a folder"),
                                         (["course", "--notebook", "42"], "no notebook '42'")])
def test_progress_refuses_bad_folders_and_names_with_exit_2(args, words):
    result = subprocess.run([sys.executable, "-m", "autograder.cli", "progress", *args],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2 and words in result.stdout


def test_readme_weekly_plan_is_the_plan_in_code():
    from autograder.progress import plan_markdown

    assert plan_markdown() in (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_check_example_has_the_format_ch4_check_prints():
    """Rebuild the README's example from its own items: ``CheckReport.lines`` must give back
    exactly the README's lines (headline, one line per failed item, hint, note)."""
    from autograder.check import CheckReport
    from autograder.results import ItemResult

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- ch4 check example")[1].split("```")[1].strip("\n").splitlines()
    title, got, most = re.fullmatch(r"(.+): (\d+)/(\d+) \(autograded\)", block[0]).groups()
    failed = [re.fullmatch(r"  (\w+): (.+)", line).groups() for line in block[1:]
              if not line.startswith(("  hint:", "  Note:"))]
    each = (int(most) - int(got)) / len(failed)
    items = [ItemResult("done", float(got), float(got), True, False)]
    items += [ItemResult(gid, 0.0, each, False, False, message) for gid, message in failed]
    report = CheckReport("course/01_pixels_and_similarity.ipynb", title, items)
    assert report.lines() == block
