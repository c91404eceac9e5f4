"""The corpora, graded through the real ``ch4 grade`` (sandboxed) and ``ch4 check``.

- correct alternatives (tests/corpus/correct/nbNN.py): full marks from both commands;
- wrong answers (tests/mutants/*.py): each loses its item under ``ch4 grade``;
- on every notebook graded here, ``ch4 check``'s verdict equals ``ch4 grade``'s verdict on the
  public probes, item by item (one spec drives both).

Cases are packed into few submissions (tests/corpus/grade_cases.py). The default run grades
the first submission of each corpus for notebooks 01-08; ``-m corpus`` grades all of them
(notebooks 09 and 10 included).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from corpus import grade_cases as gc
from harness import SOLUTIONS, environment

from autograder import notebook as nbk
from autograder.check import check_notebook

NOTEBOOKS = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))
DEFAULT_PACKS = 1
# notebooks 09 and 10 train real models in every run (minutes each): only with -m corpus
SLOW_NOTEBOOKS = ("09_your_own_learner", "10_full_mnist")
MIN_CORRECT = 3          # per exercise (questionnaire items: 2 for code/computation items)


def _params(kind: str) -> list:
    params = []
    for notebook in NOTEBOOKS:
        cases = gc.correct_cases(notebook) if kind == "correct" else gc.wrong_cases(notebook)
        try:
            groups = gc.pack(notebook, cases, independent=kind == "wrong")
        except LookupError:   # no spec: the test itself fails with the reason
            groups = [{}]
        for index in range(len(groups)):
            slow = index >= DEFAULT_PACKS or notebook in SLOW_NOTEBOOKS
            marks = [pytest.mark.corpus] if slow else []
            params.append(pytest.param(notebook, index, id=f"{notebook}-{kind}-{index + 1}",
                                       marks=marks))
    return params


@pytest.fixture(scope="module")
def env(mnist_dir, tmp_path_factory):
    """Genuine data, notebook 07's quick resnet stage, and references shared between tests."""
    refs = tmp_path_factory.mktemp("references")
    with environment(CH4_MNIST_DIR=str(mnist_dir), CH4_QUICK="1",
                     CH4_REFERENCE_CACHE=str(refs)):
        yield mnist_dir


def _grade_pack(notebook: str, kind: str, index: int, tmp_path: Path):
    cases = gc.correct_cases(notebook) if kind == "correct" else gc.wrong_cases(notebook)
    group = gc.pack(notebook, cases, independent=kind == "wrong")[index]
    [packed] = gc.write_submissions(notebook, [group], tmp_path / "subs", kind)
    results = gc.grade(tmp_path / "subs", tmp_path / "out", [notebook], workers=1)
    return packed, results[(packed.student, notebook)]


def _assert_check_agrees(path: Path, result: dict) -> dict[str, bool]:
    report = check_notebook(path)
    checked = {i.grade_id: i.passed for i in report.auto}
    graded = {i.grade_id: i.public_passed for i in result.items if not i.manual}
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


@pytest.mark.parametrize("notebook, index", _params("correct"))
def test_correct_alternatives_get_full_marks_from_grade_and_check(env, tmp_path, notebook,
                                                                  index):
    packed, result = _grade_pack(notebook, "correct", index, tmp_path)
    failed = {gid: m for gid, (ok, m) in gc.verdicts(result).items() if not ok}
    assert not failed, {gid: (packed.cases.get(gid, ("", "", "reference answer"))[2], m)
                        for gid, m in failed.items()}
    checked = _assert_check_agrees(packed.path, result)
    assert all(checked.values())


@pytest.mark.parametrize("notebook, index", _params("wrong"))
def test_wrong_answers_lose_their_item_under_grade(env, tmp_path, notebook, index):
    packed, result = _grade_pack(notebook, "wrong", index, tmp_path)
    verdicts = gc.verdicts(result)
    accepted = {gid: case[2] for gid, case in packed.cases.items() if verdicts[gid][0]}
    assert not accepted, accepted
    for gid in packed.cases:
        assert verdicts[gid][1], gid   # every lost item says why
    _assert_check_agrees(packed.path, result)
