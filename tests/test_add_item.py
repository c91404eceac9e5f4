"""CONTRIBUTING's "Adding an item", done for real in a copy of the repository.

A throwaway questionnaire item q38 (multiple choice) is added by writing the four files the
recipe names and nothing else: its spec (``autograder/items/nb08.py``), the solution notebook
(saved the way Jupyter saves it), one correct alternative and one wrong answer. Every check that
covers a generated file must then fail and name its generator; after the generators run, every
check passes, the new item is counted everywhere, and the only other files that changed are
generated ones.
"""

from __future__ import annotations

import difflib
import filecmp
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from autograder.checks.choice import labelled

REPO = Path(__file__).resolve().parent.parent
COPIED = ("autograder", "benchmarks", "solutions", "course", "docs", "examples", "tests",
          "conftest.py", "pyproject.toml")
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")

# the four files a contributor writes
SPEC_FILE = "autograder/items/nb08.py"
SOLUTION = "solutions/08_questionnaire.ipynb"
CORRECT = "tests/corpus/correct/nb08.py"
WRONG = "tests/mutants/questionnaire.py"
HAND_WRITTEN = {SPEC_FILE, SOLUTION, CORRECT, WRONG}
# what the generators write, each covered by a check that names its generator
GENERATED = ("course/08_questionnaire.ipynb", "autograder/items/expected/08_questionnaire.json",
             "docs/questionnaire.md", "docs/check_quality.md", "examples/submissions/")

RIGHT = "The gradient of the loss with respect to each weight, kept in the grad of that weight"
OPTIONS = tuple(sorted((
    RIGHT,
    "A new value for each weight, one learning-rate step further down the slope of the loss",
    "The loss of the model on the next mini-batch, computed with the weights as they are",
    "The accuracy of the model on the validation set, which SGD then tries to make higher",
)))
LETTER = dict((text, letter) for letter, text in labelled("q38", OPTIONS, ""))[RIGHT]

SPEC_ITEM = f"""    _choice(38, "multiple choice", _ONE_LETTER, {OPTIONS!r}),
"""
SPEC_HINTS = """    "q38": (
        'Re-read "Calculating Gradients": what does backward fill in, and where is it kept?',
        "Think of what has to exist before a step can change a weight: the step reads it.",
    ),
"""
CORRECT_CASE = f"""
CORRECT += [("q38_answer", "q38", "capital letter", 'q38_answer = None\\nq38_answer = "{
    LETTER.upper()}"')]
"""
WRONG_CASE = f"""
WRONG_ANSWERS += [("q38", "the step taken for the gradient", _choose("q38", {OPTIONS[0]!r}))]
"""


def _copy_repo(root: Path) -> Path:
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=SKIPPED)
        else:
            shutil.copy2(source, root / name)
    return root


def _insert_after(path: Path, anchor: str, text: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count(anchor) == 1, anchor
    path.write_text(source.replace(anchor, anchor + text), encoding="utf-8")


def _cell(kind: str, source: str, **nbgrader: object) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "locked": False,
                                     "solution": False, "task": False, **nbgrader}
    return cell


def _solution_cells() -> list[nbformat.NotebookNode]:
    """Question 38 as a contributor adds it in Jupyter with nbgrader's cell toolbar."""
    return [
        _cell("markdown", "## Question 38 (multiple choice)\n\n**What does `loss.backward()` "
              "compute?** Set `q38_answer` to the letter of the option."),
        _cell("code", 'show_choices("q38", STUDENT_ID)'),
        _cell("code", "# your answer: the letter(s) shown above, as a string\nq38_answer = None"
              f'  # set it in your code below\n### BEGIN SOLUTION\nq38_answer = "{LETTER}"\n'
              "### END SOLUTION", grade_id="q38_answer", solution=True),
        _cell("code", 'from autograder.items.nb08 import SPEC\n\nSPEC.check("q38")',
              grade_id="q38", grade=True, locked=True, points=1),
        _cell("markdown", "The gradient of the loss for every parameter, left in its grad.",
              grade_id="q38_free", grade=True, solution=True, points=1),
        _cell("markdown", "*Marking of question 38's written answer (instructors).*\n\n"
              "### BEGIN MARK SCHEME\nAward the point for: gradients, kept in .grad\n"
              "### END MARK SCHEME", grade_id="q38_scheme", task=True, locked=True, points=0),
    ]


def _add_to_solution(path: Path) -> None:
    """Insert the cells after q37's and save with nbformat's writer (as Jupyter does)."""
    nb = nbformat.read(path, as_version=4)
    after = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "q37_scheme")
    nb.cells[after + 1:after + 1] = _solution_cells()
    nbformat.write(nb, path)


def _write_the_four_files(root: Path) -> None:
    _insert_after(root / SPEC_FILE, '    _choice(37, "multiple choice", _ONE_LETTER, '
                  "_Q37_OPTIONS),\n", SPEC_ITEM)
    _insert_after(root / SPEC_FILE, "SPEC = SPEC.with_hints({\n", SPEC_HINTS)
    _add_to_solution(root / SOLUTION)
    (root / CORRECT).write_text((root / CORRECT).read_text() + CORRECT_CASE)
    (root / WRONG).write_text((root / WRONG).read_text() + WRONG_CASE)


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=f"{root}{os.pathsep}{root / 'tests'}",
               PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)


def _ch4(root: Path, *args: str) -> subprocess.CompletedProcess:
    return _run(root, "-m", "autograder.cli", *args)


# the copy's own tests that hold the spec, the notebook, the corpora, the hints and the generated
# files together (none executes a notebook)
EXPECTED_CHECK = "tests/test_items.py::test_public_expected_values_exist_for_every_public_probe"
EXAMPLES_CHECK = "tests/test_grading_examples.py::test_examples_are_up_to_date_with_solutions"
QUALITY_CHECK = "tests/test_item_analysis.py::test_docs_check_quality_md_is_current"
HINT_CHECKS = ("every_item_has_its_own_two_or_more_levels", "level_one_names_a_section_of_the_"
               "chapter", "no_level_repeats_what_the_failure_already_says",
               "levels_grow_more_specific", "no_level_is_code_of_the_solution",
               "choice_hints_name_no_option")
CONSISTENCY = [
    EXPECTED_CHECK, EXAMPLES_CHECK, QUALITY_CHECK,
    "tests/test_items.py::test_every_solution_notebook_names_one_spec_covering_its_items",
    "tests/test_project.py::test_course_is_exactly_what_solutions_generate",
    "tests/test_questionnaire.py::test_docs_questionnaire_md_is_generated_from_the_specs",
    "tests/test_questionnaire.py::test_every_item_has_answer_grade_free_text_and_scheme",
    "tests/test_questionnaire.py::test_release_drops_mark_schemes_and_model_answers",
    "tests/test_questionnaire.py::test_there_is_a_wrong_answer_for_every_item",
    "tests/test_questionnaire.py::test_the_package_holds_no_key",
    "tests/test_questionnaire.py::test_the_right_option_is_never_the_longest_nor_the_shortest",
    "tests/test_questionnaire.py::test_absolute_words_do_not_mark_the_wrong_options",
    "tests/test_student_side.py::test_progress_counts_written_free_text_answers",
    "tests/test_hints.py::test_no_two_items_share_a_level",
    *(f"tests/test_hints.py::test_{name}[08:q38]" for name in HINT_CHECKS),
]


def _pytest(root: Path, *tests: str) -> subprocess.CompletedProcess:
    return _run(root, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", *tests)


def _changed(root: Path, before: Path) -> set[str]:
    """Paths (relative) that differ between two trees, new and removed ones included."""
    out: set[str] = set()

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.update(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    for name in COPIED:
        if (root / name).is_dir():
            walk(filecmp.dircmp(before / name, root / name, ignore=["__pycache__"]), f"{name}/")
        elif not filecmp.cmp(before / name, root / name, shallow=False):
            out.add(name)
    return out


@dataclass
class Added:
    """The copy with q38 written into the four files, a pristine copy, and what the checks said
    before the generators ran."""

    root: Path
    before: Path
    stale: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)


GENERATORS = (("-m", "autograder.cli", "release"), ("-m", "autograder.cli", "expected", SOLUTION),
              ("-m", "autograder.cli", "docs"), ("examples/make_submissions.py",),
              ("-m", "benchmarks.check_quality"))


@pytest.fixture(scope="module")
def added(tmp_path_factory, mnist_dir) -> Added:
    state = Added(_copy_repo(tmp_path_factory.mktemp("after")),
                  _copy_repo(tmp_path_factory.mktemp("before")))
    root = state.root
    _write_the_four_files(root)
    state.stale = {"release": _ch4(root, "release", "--check"),
                   "docs": _ch4(root, "docs", "--check"),
                   "tests": _pytest(root, EXPECTED_CHECK, EXAMPLES_CHECK, QUALITY_CHECK)}
    for command in GENERATORS:
        done = _run(root, *command)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    return state


def test_checks_name_the_generator_of_each_stale_file(added):
    release, docs = added.stale["release"], added.stale["docs"]
    assert release.returncode == 1 and "run `ch4 release`" in release.stdout, release.stdout
    assert "08_questionnaire.ipynb: is not in its committed form" in release.stdout
    assert docs.returncode == 1 and "run `ch4 docs`" in docs.stdout
    tests = added.stale["tests"]
    assert "3 failed" in tests.stdout, tests.stdout[-2000:]
    assert "run `ch4 expected solutions/08_questionnaire.ipynb`" in tests.stdout
    assert "run `python examples/make_submissions.py`" in tests.stdout
    assert "run python -m benchmarks.check_quality" in tests.stdout


def test_after_the_generators_every_check_passes_with_the_item_counted(added):
    root = added.root
    assert _ch4(root, "release", "--check").returncode == 0
    checks = _pytest(root, *CONSISTENCY)
    assert checks.returncode == 0 and f"{len(CONSISTENCY)} passed" in checks.stdout, \
        checks.stdout[-3000:]
    page = (root / "docs" / "questionnaire.md").read_text()
    assert "| q38 | multiple choice |" in page and "## The 38 items" in page
    assert "worth 76 points: 38 autograded, 38 marked by hand" in page
    assert '"max_score": 38.0' in (root / "examples/submissions/EXPECTED.json").read_text()
    assert '"q38":' in (root / GENERATED[1]).read_text()


def test_only_the_four_files_and_generated_ones_changed(added):
    changed = _changed(added.root, added.before)
    assert HAND_WRITTEN <= changed
    others = {p for p in changed - HAND_WRITTEN if not p.startswith(GENERATED)}
    assert others == set(), others


def test_the_solution_keeps_its_text_where_it_was_not_edited(added):
    """Jupyter's writer (one list item per line) is undone by ``ch4 release``: the committed
    notebook differs from the last commit by the new cells alone."""
    old = (added.before / SOLUTION).read_text().splitlines()
    new = (added.root / SOLUTION).read_text().splitlines()
    removed = [line for line in difflib.ndiff(old, new) if line.startswith("- ")]
    assert removed == [], removed[:5]
    assert 0 < len(new) - len(old) < 120


def test_tidy_file_undoes_another_writer_and_clears_outputs(tmp_path):
    from autograder import notebook as nbk

    path = tmp_path / "n.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\nx")])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"})]
    nb.cells[0].execution_count = 3
    nbformat.write(nb, path)
    written = path.read_text()
    assert not nbk.tidy_file(path, check=True) and path.read_text() == written  # only says so
    assert not nbk.tidy_file(path)                                              # rewrites it
    tidied = nbk.read(path)
    assert tidied.cells[0].outputs == [] and tidied.cells[0].execution_count is None
    assert tidied.cells[0].source == "x = 1\nx" and tidied.cells[0].id == nb.cells[0].id
    assert nbk.tidy_file(path, check=True)
