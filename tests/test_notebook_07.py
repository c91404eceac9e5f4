"""Notebook 07: every mutant fails its grade cell; the solution scores full, the release zero.

Same scheme as ``test_notebooks_01_04.py``: the solution notebook is executed once in a live
kernel (hidden tests included), then each mutant from ``tests/mutants/nb07.py`` replaces its
answer cell, the grade cell must fail, and the original answer is restored.

Speed: the kernels run with ``CH4_QUICK=1``, so the resnet18 cell trains on a few batches
instead of a whole epoch and records no figure (``autograder.items.nb07.quick_run``); every
graded exercise is unaffected. The full run belongs to ``benchmarks.chapter``. Unless the
caller chose otherwise, torch uses one thread (``OMP_NUM_THREADS=1``): on a small, shared CPU
extra threads mostly wait for each other, and the nets here are too small to gain from them.
"""

from __future__ import annotations

import os

import pytest
from harness import (
    COURSE,
    SOLUTIONS,
    assert_full_marks,
    assert_quiet_and_honest,
    assert_scores_zero,
    environment,
    live_notebook,
)

from autograder import notebook as nbk
from autograder.items.nb07 import ENV_QUICK
from autograder.release import student_version

NAME = "07_nonlinearity_and_resnet.ipynb"
@pytest.fixture(scope="module", autouse=True)
def kernel_env(mnist_dir):
    """Kernels inherit these: the genuine MNIST_SAMPLE, the quick resnet18 run, one thread."""
    threads = os.environ.get("OMP_NUM_THREADS", "1")
    with environment(CH4_MNIST_DIR=str(mnist_dir), OMP_NUM_THREADS=threads, **{ENV_QUICK: "1"}):
        yield mnist_dir


@pytest.fixture(scope="module")
def session(kernel_env):
    with live_notebook(SOLUTIONS / NAME) as live:
        # From now on a failing cell is reported as an error output (see test_notebooks_01_04).
        live.client.allow_errors = True
        yield live


def test_chapter_names_for_the_resnet_learner_both_pass(session):
    """cnn_learner (the chapter's name) and vision_learner (fastai's new name) both pass."""
    for builder in ("cnn_learner", "vision_learner"):
        source = ("def make_resnet_learner(dls):\n"
                  f"    return {builder}(dls, resnet18, pretrained=False, "
                  "loss_func=F.cross_entropy, metrics=accuracy)\n")
        assert session.run_source(source) is None
        assert session.run_id("ex_make_resnet_learner") is None, builder
    assert session.run_id("ex_make_resnet_learner_answer") is None


def test_relu_with_clamp_min_passes(session):
    assert session.run_source("def relu(x):\n    return x.clamp_min(0.0)\n") is None
    assert session.run_id("ex_relu") is None
    assert session.run_id("ex_simple_net") is None
    assert session.run_id("ex_relu_answer") is None


def test_provided_cells_are_quiet_and_student_warnings_show(session):
    assert_quiet_and_honest(session)


def test_solution_scores_full_marks(kernel_env):
    assert_full_marks(SOLUTIONS / NAME)


def test_release_scores_zero(kernel_env, tmp_path):
    """The student version (as ``ch4 release`` writes it to course/) scores 0 untouched."""
    released = tmp_path / NAME
    nbk.write(student_version(nbk.read(SOLUTIONS / NAME)), released)
    if (COURSE / NAME).exists():
        current = (COURSE / NAME).read_text(encoding="utf-8")
        assert current == released.read_text(encoding="utf-8"), "course/ is stale: ch4 release"
    assert_scores_zero(released)


def test_resnet_stage_trains_in_the_grading_sandbox(mnist_dir, tmp_path):
    """The reference notebook 07, graded as a student's with the book's full settings: its
    resnet18 stage really trains inside bubblewrap (a private /dev/shm for fastai's
    DataLoader semaphores) and meets the chapter's bound."""
    from corpus import grade_cases as gc

    from autograder.grading.sandbox import Limits, SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable as exc:
        pytest.skip(str(exc))
    notebook = NAME.removesuffix(".ipynb")
    [packed] = gc.write_submissions(notebook, [{}], tmp_path / "subs", "reference")
    with environment(CH4_MNIST_DIR=str(mnist_dir), **{ENV_QUICK: None}):
        # a full resnet18 epoch on a busy 2-core machine can take minutes
        results = gc.grade(tmp_path / "subs", tmp_path / "out", [notebook], workers=1,
                           limits=Limits(cell_timeout=900, notebook_timeout=2400))
    result = results[(packed.student, notebook)]
    assert result.fatal is None, result.fatal
    assert result.score == result.max_score, [i.message for i in result.auto if not i.passed]
    assert result.stages.get("resnet18", 0) >= 0.99, result.stages
    assert not [p for p in result.problems if "did not run" in p], result.problems
