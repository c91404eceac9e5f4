"""Notebooks 05-06: every mutant fails its grade cell; solutions score full, releases zero.

Each solution notebook is executed once in a live kernel (hidden tests included) with
``CH4_FIGURES_OUT`` set, so the chapter's figures it records can be checked against the bounds
the course promises. Then every mutant from ``tests/mutants/nbNN.py`` replaces its answer cell,
the grade cell must fail, and the original answer is restored (the grade cell must pass again).
"""

from __future__ import annotations

import json

import pytest
from harness import (
    COURSE,
    SOLUTIONS,
    SessionPool,
    assert_full_marks,
    assert_quiet_and_honest,
    assert_scores_zero,
    environment,
)

from autograder import notebook as nbk
from autograder.release import student_version

NOTEBOOKS = {
    "nb05": "05_minibatches_and_training_loop.ipynb",
    "nb06": "06_optimizer_and_learner.ipynb",
}
# stage -> the lowest accuracy the course promises (none after one epoch: it depends on the
# random start; the book has 0.6883, then 0.9696, 0.9785, 0.9785 and 0.9676)
STAGES = {
    "nb05": {"linear_by_hand_1_epoch": 0.0, "linear_by_hand_20_epochs": 0.96},
    "nb06": {"basic_optim": 0.97, "fastai_sgd": 0.97, "learner_linear": 0.96},
}


@pytest.fixture(scope="module", autouse=True)
def genuine_data(mnist_dir, tmp_path_factory):
    """Kernels inherit CH4_MNIST_DIR (the genuine MNIST_SAMPLE) and a figures file."""
    figures = tmp_path_factory.mktemp("figures05") / "figures.jsonl"
    with environment(CH4_MNIST_DIR=str(mnist_dir), CH4_FIGURES_OUT=str(figures)):
        yield figures


@pytest.fixture(scope="module")
def sessions(genuine_data):
    pool = SessionPool(NOTEBOOKS)
    yield pool
    pool.close()


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_notebook_conventions(key):
    path = SOLUTIONS / NOTEBOOKS[key]
    nb = nbk.read(path)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "has outputs"
    for cell in nb.cells:
        if nbk.is_autograded_test(cell):
            src = cell.source
            assert src == (f"from autograder.items.{key} import SPEC\n\n"
                           f'SPEC.check("{nbk.grade_id(cell)}")'), nbk.grade_id(cell)
    assert nbk.dumps(nb) == path.read_text(encoding="utf-8"), "not written by notebook.write"


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_figures_meet_the_course_bounds(sessions, genuine_data, key):
    sessions.get(key)  # the solution has run in a kernel that inherited CH4_FIGURES_OUT
    rows = [json.loads(line) for line in genuine_data.read_text().splitlines() if line.strip()]
    stages = {row["stage"]: row for row in rows}
    assert set(STAGES[key]) <= set(stages), f"missing stages: {set(STAGES[key]) - set(stages)}"
    for stage, bound in STAGES[key].items():
        assert stages[stage]["seconds"] is not None and stages[stage]["seconds"] > 0, stage
        assert bound <= stages[stage]["accuracy"] <= 1, (stage, stages[stage]["accuracy"])


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_provided_cells_are_quiet_and_student_warnings_show(sessions, key):
    assert_quiet_and_honest(sessions.get(key))


@pytest.fixture(scope="module")
def released(genuine_data, tmp_path_factory):
    """The student versions of the two notebooks, generated afresh (course/ is left alone)."""
    out = tmp_path_factory.mktemp("course05")
    for name in NOTEBOOKS.values():
        nbk.write(student_version(nbk.read(SOLUTIONS / name)), out / name)
    return out


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_course_copy_is_the_release(released, key):
    name = NOTEBOOKS[key]
    assert (COURSE / name).read_text(encoding="utf-8") == (released / name).read_text(
        encoding="utf-8"), "course/ is stale: run `ch4 release`"


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_solution_scores_full_marks(genuine_data, key):
    assert_full_marks(SOLUTIONS / NOTEBOOKS[key])


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_release_scores_zero(released, key):
    assert_scores_zero(released / NOTEBOOKS[key])
    text = (released / NOTEBOOKS[key]).read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
