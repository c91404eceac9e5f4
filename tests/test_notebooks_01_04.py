"""Notebooks 01-04: every mutant fails its grade cell; solutions score full, releases zero.

Each solution notebook is executed once in a live kernel (hidden tests included); then every
mutant from ``tests/mutants/nbNN.py`` replaces its answer cell, the grade cell must fail, and
the original answer is restored (the grade cell must pass again).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from autograder import notebook as nbk
from autograder.check import check_notebook
from autograder.release import release

try:  # tests/ is a plain folder on sys.path, or a package when it gains an __init__.py
    from harness import COURSE, SOLUTIONS, live_notebook
except ModuleNotFoundError:  # pragma: no cover
    from tests.harness import COURSE, SOLUTIONS, live_notebook

MUTANTS_DIR = Path(__file__).resolve().parent / "mutants"

NOTEBOOKS = {
    "nb01": "01_pixels_and_similarity.ipynb",
    "nb02": "02_tensors_and_metrics.ipynb",
    "nb03": "03_sgd_by_hand.ipynb",
    "nb04": "04_mnist_loss_and_sigmoid.ipynb",
}


def _mutants(key: str) -> list[tuple[str, str, str, str]]:
    file = MUTANTS_DIR / f"{key}.py"
    if not file.exists():  # reported by test_mutant_lists_cover_every_exercise
        return []
    spec = importlib.util.spec_from_file_location(f"_mutants_{key}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MUTANTS


def _params() -> list:
    return [pytest.param(key, answer_id, grade_id, source, id=f"{key}-{grade_id}-{what}")
            for key in NOTEBOOKS
            for answer_id, grade_id, what, source in _mutants(key)]


@pytest.fixture(scope="module", autouse=True)
def genuine_data(mnist_dir):
    """Kernels inherit CH4_MNIST_DIR, so the notebooks build the genuine MNIST_SAMPLE."""
    old = os.environ.get("CH4_MNIST_DIR")
    os.environ["CH4_MNIST_DIR"] = str(mnist_dir)
    yield mnist_dir
    if old is None:
        os.environ.pop("CH4_MNIST_DIR", None)
    else:
        os.environ["CH4_MNIST_DIR"] = old


class _Sessions:
    """One live kernel per notebook, started on first use and kept for the module."""

    def __init__(self):
        self._open: dict = {}

    def get(self, key: str):
        if key not in self._open:
            manager = live_notebook(SOLUTIONS / NOTEBOOKS[key])
            session = manager.__enter__()
            # The solution ran cleanly above; from now on a failing cell must be reported as
            # an error output (Session.run_source reads it) instead of raising
            # CellExecutionError out of nbclient, which the harness does not catch.
            session.client.allow_errors = True
            self._open[key] = (manager, session)
        return self._open[key][1]

    def close(self):
        for manager, _session in self._open.values():
            manager.__exit__(None, None, None)
        self._open.clear()


@pytest.fixture(scope="module")
def sessions(genuine_data):
    pool = _Sessions()
    yield pool
    pool.close()


def test_mutant_lists_cover_every_exercise():
    for key, name in NOTEBOOKS.items():
        nb = nbk.read(SOLUTIONS / name)
        answers = {nbk.grade_id(c) for c in nb.cells if nbk.is_solution(c)}
        graded = {nbk.grade_id(c) for c in nb.cells if nbk.is_autograded_test(c)}
        covered = {(a, g) for a, g, _what, _src in _mutants(key)}
        assert {a for a, _g in covered} == answers, f"{key}: an exercise has no mutant"
        assert {g for _a, g in covered} == graded, f"{key}: a grade cell has no mutant"
        assert all(g + "_answer" == a for a, g in covered), f"{key}: mismatched ids"


@pytest.mark.parametrize("key, answer_id, grade_id, source", _params())
def test_mutant_fails_its_grade_cell(sessions, key, answer_id, grade_id, source):
    session = sessions.get(key)
    # The mutant itself must run: a failure should come from the grade cell, not a typo.
    setup_error = session.run_source(source)
    if setup_error:
        session.run_id(answer_id)
        pytest.fail(f"the mutant's own code raised: {setup_error}")
    error = session.try_mutant(answer_id, grade_id, source)
    assert error is not None, f"{grade_id} accepted a wrong answer"
    assert not error.startswith(("NameError", "SyntaxError", "NotImplementedError")), error


@pytest.fixture(scope="module")
def released(genuine_data):
    release(SOLUTIONS, COURSE)
    return COURSE


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_solution_scores_full_marks(genuine_data, key):
    report = check_notebook(SOLUTIONS / NOTEBOOKS[key])
    assert report.fatal is None, report.fatal
    failed = [f"{i.grade_id}: {i.message}" for i in report.auto if not i.passed]
    assert not failed, failed
    assert report.max_score > 0 and report.score == report.max_score


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_release_scores_zero(released, key):
    report = check_notebook(released / NOTEBOOKS[key])
    assert report.max_score > 0
    assert report.score == 0, [i.grade_id for i in report.auto if i.passed]
    assert all(not i.passed for i in report.auto)
