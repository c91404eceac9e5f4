"""Notebooks 09 (a Learner of your own) and 10 (all ten digits): "Further Research".

Each solution notebook is executed once in a live kernel (hidden tests included); every mutant
from ``tests/mutants/nb09.py`` / ``nb10.py`` then replaces its answer cell, the grade cell must
fail, and the original answer is restored (the grade cell must pass again). The solutions score
full marks with the public checks, the untouched release scores zero, and ``ch4 data --full``
builds the genuine full MNIST.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from harness import (
    REPO,
    SOLUTIONS,
    SessionPool,
    assert_full_marks,
    assert_quiet_and_honest,
    assert_scores_zero,
    environment,
)

from autograder import notebook as nbk
from autograder.idx import load_split
from autograder.release import release

NOTEBOOKS = {
    "nb09": "09_your_own_learner.ipynb",
    "nb10": "10_full_mnist.ipynb",
}
STAGES = {
    "nb09": {"own_learner_linear", "own_learner_simple_net"},
    "nb10": {"full_pixel_l1", "full_pixel_rmse", "full_linear", "full_two_layer",
             "full_resnet18"},
}


@pytest.fixture(scope="session")
def genuine_env(mnist_dir, tmp_path_factory):
    """Kernels inherit CH4_MNIST_DIR (genuine data), the CI budget and a figures file."""
    figures = tmp_path_factory.mktemp("figures") / "figures.jsonl"
    with environment(CH4_MNIST_DIR=str(mnist_dir), CH4_FULL_RUN=None,
                     CH4_FIGURES_OUT=str(figures)):
        yield figures


@pytest.fixture(scope="module")
def sessions(genuine_env):
    pool = SessionPool(NOTEBOOKS)
    yield pool
    pool.close()


# ---------------------------------------------------------------- structure (fast)


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_notebook_conventions(key):
    nb = nbk.read(SOLUTIONS / NOTEBOOKS[key])
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "has outputs"
    for cell in nb.cells:
        if nbk.is_autograded_test(cell):
            src = cell.source
            assert src == (f"from autograder.items.{key} import SPEC\n\n"
                           f'SPEC.check("{nbk.grade_id(cell)}")'), nbk.grade_id(cell)
        if nbk.is_solution(cell) and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source
    text = (SOLUTIONS / NOTEBOOKS[key]).read_text(encoding="utf-8")
    assert nbk.dumps(nb) == text, "not written with autograder.notebook.write"


# ---------------------------------------------------------------- data


def test_full_mnist_build_matches_idx_labels(mnist_dir, tmp_path):
    dest = tmp_path / "mnist_png"
    env = dict(os.environ, CH4_MNIST_DIR=str(mnist_dir))
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "data", "--full",
                           "--dest", str(dest)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "MD5 verified" in done.stdout and "REDUCED" not in done.stdout
    for split, stem, total in (("training", "train", 60000), ("testing", "t10k", 10000)):
        want = np.bincount(load_split(mnist_dir, stem).labels, minlength=10)
        got = [sum(1 for _ in (dest / split / str(d)).glob("*.png")) for d in range(10)]
        assert got == want.tolist(), f"{split}: {got} != {want.tolist()}"
        assert sum(got) == total
    manifest = json.loads((dest / ".ch4-dataset.json").read_text())
    assert manifest["reduced"] is False
    assert sum(manifest["counts"]["training"].values()) == 60000
    assert sum(manifest["counts"]["testing"].values()) == 10000


# ---------------------------------------------------------------- executed notebooks (slow)


@pytest.mark.slow
@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_figures_are_recorded(sessions, genuine_env, key):
    sessions.get(key)  # the notebook has run (with hidden tests) in a kernel that has the env
    rows = [json.loads(line) for line in genuine_env.read_text().splitlines() if line.strip()]
    stages = {row["stage"]: row for row in rows}
    assert STAGES[key] <= set(stages), f"missing stages: {STAGES[key] - set(stages)}"
    for stage in STAGES[key]:
        assert stages[stage]["seconds"] is not None and 0 < stages[stage]["accuracy"] <= 1
    if key == "nb10":  # the measured figures of pixel similarity on the genuine data
        assert stages["full_pixel_l1"]["accuracy"] == pytest.approx(0.6685, abs=5e-5)
        assert stages["full_pixel_rmse"]["accuracy"] == pytest.approx(0.8203, abs=5e-5)
    else:
        for stage in STAGES[key]:
            assert abs(stages[stage]["accuracy"] - stages[stage]["fastai_accuracy"]) <= 0.01


@pytest.mark.slow
@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_provided_cells_are_quiet_and_student_warnings_show(sessions, key):
    assert_quiet_and_honest(sessions.get(key))


@pytest.fixture(scope="module")
def released(genuine_env, tmp_path_factory):
    """The student versions, generated afresh into a temporary folder (course/ is left alone)."""
    out = tmp_path_factory.mktemp("course")
    release(SOLUTIONS, out)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_solution_scores_full_marks(genuine_env, key):
    assert_full_marks(SOLUTIONS / NOTEBOOKS[key])


@pytest.mark.slow
@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_release_scores_zero(released, key):
    assert_scores_zero(released / NOTEBOOKS[key])
    text = (released / NOTEBOOKS[key]).read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "_ref_" not in text
