"""The questionnaire notebook (08): 37 autograded items that reject plausible wrong answers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from autograder import notebook as nbk
from autograder.check import check_notebook
from autograder.checks import choice
from autograder.checks import questionnaire as qz

try:  # tests/ is a plain folder on sys.path, or a package when it gains an __init__.py
    from harness import COURSE, SOLUTIONS, live_notebook
except ModuleNotFoundError:  # pragma: no cover
    from tests.harness import COURSE, SOLUTIONS, live_notebook


def _load_wrong_answers() -> list[tuple[str, str, str]]:
    file = Path(__file__).resolve().parent / "mutants" / "questionnaire.py"
    spec = importlib.util.spec_from_file_location("_mutants_questionnaire", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG_ANSWERS


WRONG_ANSWERS = _load_wrong_answers()

SOURCE = SOLUTIONS / "08_questionnaire.ipynb"
RELEASED = COURSE / "08_questionnaire.ipynb"
ITEMS = [f"q{n:02d}" for n in range(1, 38)]
CHOICE_ITEMS = ["q12", "q13", "q14", "q16", "q22", "q25", "q37"]


@pytest.fixture(scope="module")
def session():
    with live_notebook(SOURCE) as live:
        # The solution ran cleanly; from now on a failing cell must come back as an error
        # output (Session.run_source reads it) rather than raise CellExecutionError.
        live.client.allow_errors = True
        yield live


# ---------------------------------------------------------------- structure


def test_every_item_has_answer_grade_free_text_and_scheme():
    nb = nbk.read(SOURCE)
    assert nbk.title(nb, "") == "Questionnaire"
    by_id = {nbk.grade_id(c): c for c in nb.cells if nbk.grade_id(c)}
    for item in ITEMS:
        assert nbk.is_solution(by_id[f"{item}_answer"])
        assert "### BEGIN SOLUTION" in by_id[f"{item}_answer"].source
        grade = by_id[item]
        assert nbk.is_autograded_test(grade) and nbk.meta(grade)["points"] == 1
        assert f"check_{item}(" in grade.source
        free = by_id[f"{item}_free"]
        assert free.cell_type == "markdown" and nbk.is_manual(free)
        assert nbk.meta(free)["points"] == 1
        scheme = by_id[f"{item}_scheme"]
        assert nbk.is_task(scheme) and nbk.meta(scheme)["points"] == 0
        assert "### BEGIN MARK SCHEME" in scheme.source and "### END MARK SCHEME" in scheme.source


def test_release_drops_mark_schemes_and_model_answers():
    source = nbk.read(SOURCE)
    released = nbk.read(RELEASED)
    text = RELEASED.read_text()
    assert "MARK SCHEME" not in text and "Award the point" not in text
    models = {nbk.grade_id(c): c.source for c in source.cells
              if nbk.grade_id(c) and nbk.grade_id(c).endswith("_free")}
    out = {nbk.grade_id(c): c.source for c in released.cells if nbk.grade_id(c)}
    for gid, model in models.items():
        assert out[gid] != model
        assert model.splitlines()[0] not in text
    for item in ITEMS:
        assert "raise NotImplementedError()" in out[f"{item}_answer"]


# ---------------------------------------------------------------- scores


def test_solution_scores_37_and_release_0():
    report = check_notebook(SOURCE)
    assert report.headline() == "Questionnaire: 37/37 (autograded)", report.lines()
    assert report.timings["checks_s"] < 5
    released = check_notebook(RELEASED)
    assert released.headline() == "Questionnaire: 0/37 (autograded)"
    # an untouched stub reads as not attempted or empty, never as an error in student code
    for item in released.auto:
        assert "raised" not in item.message and "NameError" not in item.message, \
            (item.grade_id, item.message)


def test_solution_passes_with_hidden_tests(session):
    for item in ITEMS:
        assert session.run_id(item) is None, item


# ---------------------------------------------------------------- wrong answers


def test_there_is_a_wrong_answer_for_every_item():
    assert len(WRONG_ANSWERS) >= 37
    assert {item for item, _, _ in WRONG_ANSWERS} == set(ITEMS)


@pytest.mark.parametrize("item,misconception,source", WRONG_ANSWERS,
                         ids=[f"{i}-{m}" for i, m, _ in WRONG_ANSWERS])
def test_wrong_answer_fails(session, item, misconception, source):
    error = session.try_mutant(f"{item}_answer", item, source)
    assert error is not None, f"{item} accepted a wrong answer ({misconception})"


@pytest.mark.parametrize("item", ITEMS)
def test_empty_answer_never_scores(session, item):
    for empty in ("None", '""', "[]", "()"):
        error = session.try_mutant(f"{item}_answer", item, f"{item}_answer = {empty}")
        assert error is not None, f"{item} accepted {item}_answer = {empty}"
        assert "CheckFailed" in error, error


def test_wrong_type_gets_a_clear_message(session):
    error = session.try_mutant("q12_answer", "q12", "q12_answer = 2")
    assert "letter" in error
    error = session.try_mutant("q04_answer", "q04", "q04_answer = [2, 6, 10]")
    assert "should be a function" in error
    error = session.try_mutant("q17_answer", "q17", "q17_answer = 'big'")
    assert "number" in error


def test_messages_name_the_misconception(session):
    src = dict(((i, m), s) for i, m, s in WRONG_ANSWERS)
    error = session.try_mutant("q07_answer", "q07", src[("q07", "RMSE without the square root")])
    assert "square root" in error
    error = session.try_mutant("q04_answer", "q04", src[("q04", "even numbers instead of odd")])
    assert "odd" in error
    error = session.try_mutant("q11_answer", "q11",
                               src[("q11", "accuracy measured on the training set")])
    assert "validation" in error
    error = session.try_mutant("q14_answer", "q14",
                               src[("q14", "step before computing the gradient")])
    assert "should come before" in error


def test_an_error_in_one_item_costs_only_that_item(session):
    broken = "def q06_answer(t):\n    raise ValueError('boom')"
    assert session.run_source(broken) is None
    assert "ValueError" in session.run_id("q06")
    for other in ("q05", "q07", "q12"):
        assert session.run_id(other) is None
    assert session.run_id("q06_answer") is None and session.run_id("q06") is None
    # a check that is itself broken by bad input costs one item too
    assert session.run_source("q09_answer = object()") is None
    assert session.run_id("q09") is not None
    assert session.run_id("q10") is None
    assert session.run_id("q09_answer") is None and session.run_id("q09") is None


def test_stderr_and_warnings_cost_nothing(session):
    noisy = ("import sys, warnings\nwarnings.warn('a library grumbles')\n"
             "print('noise on stderr', file=sys.stderr)\n")
    for item, answer in (("q28", "q28_answer = (-0.5, 1.5)"),
                         ("q04", "def q04_answer(numbers):\n"
                                 "    import sys, warnings\n"
                                 "    warnings.warn('inside the answer')\n"
                                 "    print('more noise', file=sys.stderr)\n"
                                 "    return [2 * n for n in numbers if n % 2]")):
        assert session.try_mutant(f"{item}_answer", item, noisy + answer) is None


# ---------------------------------------------------------------- multiple choice


def test_shuffle_is_stable_per_student_and_varies_across_students():
    differs = 0
    for item in CHOICE_ITEMS:
        options = qz.options_of(item)
        assert choice.shuffled(item, options, "s123") == choice.shuffled(item, options, "s123")
        assert choice.shuffled(item, options, "") == choice.shuffled(item, options, None)
        orders = {tuple(choice.shuffled(item, options, f"s{n}")) for n in range(20)}
        differs += len(orders) > 1
        assert sorted(options) == sorted(choice.shuffled(item, options, "s5"))
    assert differs == len(CHOICE_ITEMS)


def test_letters_follow_the_student_id(session):
    correct = next(t for t in qz.options_of("q12")
                   if t.startswith("Repeatedly nudge the parameters"))
    ids = [f"student{n}" for n in range(30)]
    letters = {sid: qz.letter_of("q12", sid, correct) for sid in ids}
    assert len(set(letters.values())) > 1
    sid = next(s for s in ids if letters[s] != qz.letter_of("q12", "", correct))
    qz.check_q12(letters[sid], sid)
    with pytest.raises(qz.CheckFailed):
        qz.check_q12(qz.letter_of("q12", "", correct), sid)
    # inside the notebook: a new STUDENT_ID changes which letter is right
    code = (f"STUDENT_ID = {sid!r}\nq12_answer = {letters[sid]!r}\n")
    assert session.run_source(code) is None
    assert session.run_id("q12") is None
    assert session.run_source(f"q12_answer = {qz.letter_of('q12', '', correct)!r}") is None
    assert session.run_id("q12") is not None
    assert session.run_source('STUDENT_ID = ""') is None
    assert session.run_id("q12_answer") is None and session.run_id("q12") is None


def test_the_module_does_not_spell_out_the_keys():
    import inspect

    text = inspect.getsource(qz)
    assert '"ok": true' not in text and "'ok': True" not in text
    sealed = [blob for group in (qz._SINGLE, qz._MULTI, qz._ORDER)
              for options in group.values() for blob in options.values()]
    assert len({len(blob) for blob in sealed}) == 1  # every payload looks alike


def test_orderings_accept_every_valid_place_for_zeroing():
    chain = ["take the next mini-batch xb, yb from the DataLoader", "preds = model(xb)",
             "loss = loss_func(preds, yb)", "loss.backward()",
             "p -= p.grad * lr for every parameter p (without tracking gradients)"]
    zero = "set every parameter's gradient back to zero"
    for k in range(6):
        steps = chain[:k] + [zero] + chain[k:]
        letters = "".join(qz.letter_of("q25", "x", s) for s in steps)
        if k == 4:
            with pytest.raises(qz.CheckFailed, match="wrong place"):
                qz.check_q25(letters, "x")
        else:
            qz.check_q25(letters, "x")


def test_q32_stand_in_takes_the_arguments_of_fastais_learner():
    import inspect

    from fastai.learner import Learner

    ours = list(inspect.signature(qz._LearnerStandIn).parameters)
    assert ours == list(inspect.signature(Learner).parameters)


def test_letter_parsing():
    assert choice.parse_letters(" (B) ", 4, "a") == ["b"]
    assert choice.parse_letters(["a", "c"], 4, "a") == ["a", "c"]
    assert choice.parse_letters("a, c", 4, "a") == ["a", "c"]
    for bad in ("z", 3, None, "", ["a", 1]):
        with pytest.raises(qz.CheckFailed):
            choice.parse_letters(bad, 4, "answer")
