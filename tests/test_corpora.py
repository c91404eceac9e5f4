"""The corpora, graded through the real ``ch4 grade`` (sandboxed) and ``ch4 check``.

- correct alternatives (tests/corpus/correct/nbNN.py): full marks from both commands;
- wrong answers (tests/mutants/*.py): each loses its item under ``ch4 grade``;
- on every notebook graded here, ``ch4 check``'s verdict equals ``ch4 grade``'s verdict on the
  public probes, item by item (one spec drives both).

Cases are packed into few submissions (tests/corpus/grade_cases.py), and every submission of
one notebook that this run's tests read is graded in ONE class (one reference run, one pool of
kernels, references shared with the other modules through ``shared_references``); each test
reads its own submission's result from that class. The default run grades the first submission
of each corpus for notebooks 01-08; ``-m corpus`` grades all of them (notebooks 09 and 10
included).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus import grade_cases as gc
from harness import SOLUTIONS, environment

from autograder import notebook as nbk
from autograder.check import check_notebook
from autograder.results import GradeResult

NOTEBOOKS = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))
DEFAULT_PACKS = 1
# notebooks 09 and 10 train real models in every run (minutes each): only with -m corpus
SLOW_NOTEBOOKS = ("09_your_own_learner", "10_full_mnist")
MIN_CORRECT = 3          # per exercise (questionnaire items: 2 for code/computation items)
KINDS = ("correct", "wrong")
Pack = tuple[str, int]   # (kind, index of the submission in the corpus's packing)


def _groups(notebook: str, kind: str) -> list[dict[str, gc.Case]]:
    cases = gc.correct_cases(notebook) if kind == "correct" else gc.wrong_cases(notebook)
    return gc.pack(notebook, cases, independent=kind == "wrong")


def _params(kind: str) -> list:
    params = []
    for notebook in NOTEBOOKS:
        try:
            groups = _groups(notebook, kind)
        except LookupError:   # no spec: the test itself fails with the reason
            groups = [{}]
        for index in range(len(groups)):
            slow = index >= DEFAULT_PACKS or notebook in SLOW_NOTEBOOKS
            marks = [pytest.mark.corpus] if slow else []
            params.append(pytest.param(notebook, kind, index,
                                       id=f"{notebook}-{kind}-{index + 1}", marks=marks))
    return params


@dataclass(frozen=True)
class GradedPack:
    """One packed submission and its result from the notebook's class."""

    packed: gc.Packed
    result: GradeResult


@pytest.fixture(scope="module")
def env(mnist_dir):
    """Genuine data."""
    with environment(CH4_MNIST_DIR=str(mnist_dir)):
        yield mnist_dir


def _notebook_env(notebook: str) -> AbstractContextManager:
    """Notebook 07's quick resnet stage (CH4_QUICK, which no other notebook reads: theirs are
    graded under the session's settings, so their references are shared with other modules)."""
    return environment(CH4_QUICK="1") if notebook.startswith("07_") else nullcontext()


def _selected(session: pytest.Session, notebook: str) -> set[Pack]:
    """The packs of ``notebook`` that this run's selected tests of this module read."""
    packs = set()
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("notebook") == notebook and Path(item.path) == Path(__file__):
            packs.add((params["kind"], params["index"]))
    return packs


def _grade_class(notebook: str, packs: set[Pack], root: Path,
                 shared_references) -> dict[Pack, GradedPack]:
    """Write every pack of ``notebook`` in ``packs`` and grade them all in one class."""
    written: dict[Pack, gc.Packed] = {}
    for kind, index in sorted(packs):
        group = _groups(notebook, kind)[index]
        [written[(kind, index)]] = gc.write_submissions(notebook, [group], root / "subs", kind,
                                                        first=index + 1)
    with _notebook_env(notebook), shared_references():
        results = gc.grade(root / "subs", root / "out", [notebook], workers=2)
    return {pack: GradedPack(packed, results[(packed.student, notebook)])
            for pack, packed in written.items()}


@pytest.fixture(scope="module")
def graded(env, request, tmp_path_factory,
           shared_references) -> Callable[[str, str, int], GradedPack]:
    """``graded(notebook, kind, index)``: that pack's result, from one class per notebook
    (graded when the first test of the notebook asks)."""
    classes: dict[str, dict[Pack, GradedPack]] = {}

    def get(notebook: str, kind: str, index: int) -> GradedPack:
        if notebook not in classes:
            packs = _selected(request.session, notebook) | {(kind, index)}
            classes[notebook] = _grade_class(notebook, packs, tmp_path_factory.mktemp(notebook),
                                             shared_references)
        return classes[notebook][(kind, index)]

    return get


def _assert_check_agrees(graded_pack: GradedPack, tmp_path: Path) -> dict[str, bool]:
    """``ch4 check`` on a copy of the submission (a check runs in the notebook's folder)
    gives each item the verdict ``ch4 grade`` gave it on the public probes."""
    copy = tmp_path / graded_pack.packed.path.name
    shutil.copyfile(graded_pack.packed.path, copy)
    with _notebook_env(copy.stem):
        report = check_notebook(copy)
    checked = {i.grade_id: i.passed for i in report.auto}
    graded = {i.grade_id: i.public_passed for i in graded_pack.result.items if not i.manual}
    assert checked == graded, {k: (checked.get(k), graded.get(k)) for k in graded
                               if checked.get(k) != graded.get(k)}
    return checked


def test_every_exercise_has_correct_alternatives_and_wrong_answers():
    for notebook in NOTEBOOKS:
        source = nbk.read(SOLUTIONS / f"{notebook}.ipynb")
        items = [nbk.grade_id(c) for c in source.cells if nbk.is_autograded_test(c)]
        correct = Counter(case[1] for case in gc.correct_cases(notebook))
        wrong = Counter(case[1] for case in gc.wrong_cases(notebook))
        assert set(wrong) == set(items), (notebook, set(items) - set(wrong))
        if not notebook.startswith("08"):
            short = {i: correct[i] for i in items if correct[i] < MIN_CORRECT}
            assert not short, (notebook, short)
        assert all(case[0] == case[1] + "_answer" for case in gc.correct_cases(notebook))


@pytest.mark.parametrize("notebook, kind, index", _params("correct"))
def test_correct_alternatives_get_full_marks_from_grade_and_check(graded, tmp_path, notebook,
                                                                  kind, index):
    pack = graded(notebook, kind, index)
    failed = {gid: m for gid, (ok, m) in gc.verdicts(pack.result).items() if not ok}
    assert not failed, {gid: (pack.packed.cases.get(gid, ("", "", "reference answer"))[2], m)
                        for gid, m in failed.items()}
    checked = _assert_check_agrees(pack, tmp_path)
    assert all(checked.values())


@pytest.mark.parametrize("notebook, kind, index", _params("wrong"))
def test_wrong_answers_lose_their_item_under_grade(graded, tmp_path, notebook, kind, index):
    pack = graded(notebook, kind, index)
    verdicts = gc.verdicts(pack.result)
    accepted = {gid: case[2] for gid, case in pack.packed.cases.items() if verdicts[gid][0]}
    assert not accepted, accepted
    for gid in pack.packed.cases:
        assert verdicts[gid][1], gid   # every lost item says why
    _assert_check_agrees(pack, tmp_path)
