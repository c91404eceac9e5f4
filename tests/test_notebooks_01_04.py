"""Notebooks 01-04: solutions score full marks, releases zero (wrong answers: test_corpora).

Each solution notebook is executed once in a live kernel (hidden tests included); then every
mutant from ``tests/mutants/nbNN.py`` replaces its answer cell, the grade cell must fail, and
the original answer is restored (the grade cell must pass again).
"""

from __future__ import annotations

import pytest
from harness import (
    SOLUTIONS,
    assert_full_marks,
    assert_scores_zero,
    environment,
)

from autograder.release import release

NOTEBOOKS = {
    "nb01": "01_pixels_and_similarity.ipynb",
    "nb02": "02_tensors_and_metrics.ipynb",
    "nb03": "03_sgd_by_hand.ipynb",
    "nb04": "04_mnist_loss_and_sigmoid.ipynb",
}


@pytest.fixture(scope="module", autouse=True)
def genuine_data(mnist_dir):
    """Kernels inherit CH4_MNIST_DIR, so the notebooks build the genuine MNIST_SAMPLE."""
    with environment(CH4_MNIST_DIR=str(mnist_dir)):
        yield mnist_dir


@pytest.fixture(scope="module")
def released(genuine_data, tmp_path_factory):
    """The student versions, generated afresh into a temporary folder (course/ is left alone)."""
    out = tmp_path_factory.mktemp("course")
    release(SOLUTIONS, out)
    return out


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_solution_scores_full_marks(genuine_data, key):
    assert_full_marks(SOLUTIONS / NOTEBOOKS[key])


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_release_scores_zero(released, key):
    assert_scores_zero(released / NOTEBOOKS[key])
