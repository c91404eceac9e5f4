"""The questionnaire notebook (08): its autograded items reject plausible wrong answers."""

from __future__ import annotations

import re

import pytest
from corpus import grade_cases as gc
from corpus.correct.nb08 import reference_options
from harness import COURSE, SOLUTIONS, environment

from autograder import notebook as nbk
from autograder.check import check_notebook
from autograder.checks import choice
from autograder.checks import questionnaire as qz
from autograder.items.nb08 import SPEC

WRONG_ANSWERS = gc.wrong_cases("08_questionnaire")

SOURCE = SOLUTIONS / "08_questionnaire.ipynb"
RELEASED = COURSE / "08_questionnaire.ipynb"
ITEMS = [item.grade_id for item in SPEC.items]       # the spec names the items, in order
CHOICE_ITEMS = qz.choice_items()
N = len(ITEMS)


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
        assert grade.source == f'from autograder.items.nb08 import SPEC\n\nSPEC.check("{item}")'
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


def test_solution_scores_full_marks_and_release_0():
    report = check_notebook(SOURCE)
    assert report.headline() == f"Questionnaire: {N}/{N} (autograded)", report.lines()
    assert report.timings["checks_s"] < 5
    released = check_notebook(RELEASED)
    assert released.headline() == f"Questionnaire: 0/{N} (autograded)"
    assert released.warnings == [choice.UNSET_ID]      # the release leaves STUDENT_ID blank
    # an untouched stub reads as not attempted or empty, never as an error in student code
    for item in released.auto:
        assert "raised" not in item.message and "NameError" not in item.message, \
            (item.grade_id, item.message)


# ---------------------------------------------------------------- wrong answers


def test_there_is_a_wrong_answer_for_every_item():
    assert len(WRONG_ANSWERS) >= N
    assert {case[1] for case in WRONG_ANSWERS} == set(ITEMS)


@pytest.fixture(scope="module")
def grading_env(mnist_dir, shared_references):
    """Genuine data; the questionnaire's reference is computed once per session."""
    with environment(CH4_MNIST_DIR=str(mnist_dir)), shared_references():
        yield mnist_dir


def _grade_and_check(groups: list[dict], root, prefix: str):
    """Grade packed submissions with ch4 grade; run ch4 check on each; both verdicts."""
    packed = gc.write_submissions("08_questionnaire", groups, root / "subs", prefix)
    results = gc.grade(root / "subs", root / "out", ["08_questionnaire"], workers=2)
    out = []
    for sub in packed:
        result = results[(sub.student, "08_questionnaire")]
        checked = {i.grade_id: i.passed for i in check_notebook(sub.path).auto}
        out.append((sub, result, checked))
    return out


def test_student_id_set_by_the_student_gets_the_same_verdicts(grading_env, tmp_path):
    """A student who sets STUDENT_ID (as the notebook asks) sees their own shuffled letters;
    ch4 grade judges the options they chose, so both commands give full marks."""
    from corpus.correct.nb08 import student_id_answers

    answers = student_id_answers("s1234567")
    group = {gid.removesuffix("_answer"): (gid, gid.removesuffix("_answer"), "id set", src)
             for gid, src in answers.items()}
    [(sub, result, checked)] = _grade_and_check([group], tmp_path, "with-id")
    assert "STUDENT_ID = 's1234567'" in sub.path.read_text()
    assert result.score == result.max_score == N, [i.message for i in result.auto
                                                    if not i.passed]
    assert all(checked.values()) and len(checked) == N


def test_empty_answers_never_score_in_grade_or_check(grading_env, tmp_path):
    groups = [{item: (f"{item}_answer", item, f"empty {empty}", f"{item}_answer = {empty}")
               for item in ITEMS} for empty in ("None", '""', "[]")]
    for _sub, result, checked in _grade_and_check(groups, tmp_path, "empty"):
        assert result.score == 0, [i.grade_id for i in result.auto if i.passed]
        assert not any(checked.values()), [gid for gid, ok in checked.items() if ok]
        assert all(i.message for i in result.auto)


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


def test_the_package_holds_no_key():
    """The spec stores the option texts and nothing else about them, in alphabetical order so
    that their order gives nothing away: which one is right comes from the solution notebook
    (never distributed) alone."""
    from dataclasses import fields

    from autograder.items.spec import Choices

    assert [f.name for f in fields(Choices)] == ["options", "kind"]
    for item in CHOICE_ITEMS:
        options = qz.options_of(item)
        assert options == sorted(options) and len(set(options)) == len(options), item

def test_an_item_without_options_says_so():
    with pytest.raises(KeyError, match="q15 has no options: it is not a multiple-choice"):
        qz.options_of("q15")
    with pytest.raises(KeyError, match="q99 has no options"):
        qz.show_choices("q99", "s1")


def _single_answer_items() -> dict[str, tuple[str, list[str]]]:
    """item -> (its right option, as the solution picks it, and every option)."""
    out = {}
    for item in CHOICE_ITEMS:
        if SPEC.item(item).choices.kind == "one":
            [right] = reference_options(item)
            out[item] = (right, qz.options_of(item))
    return out


def test_q32_stand_in_takes_the_arguments_of_fastais_learner():
    import inspect

    from fastai.learner import Learner

    from autograder.items import nb08

    namespace: dict = {}
    exec(nb08._Q32, namespace)  # noqa: S102 - the probe's own setup text
    ours = list(inspect.signature(namespace["_ch4_Learner"]).parameters)
    assert ours == list(inspect.signature(Learner).parameters)


def test_the_right_option_is_never_the_longest_nor_the_shortest():
    """Length gives nothing away: in every multiple-choice item the correct option lies strictly
    between the shortest and the longest distractor, and within 10% of the mean length."""
    single = _single_answer_items()
    assert single
    for item, (right, options) in single.items():
        wrong = [len(t) for t in options if t != right]
        assert min(wrong) < len(right) < max(wrong), (item, len(right), wrong)
        mean = sum(len(t) for t in options) / len(options)
        assert abs(len(right) - mean) <= 0.1 * mean, item


# words that make a statement absolute: a test-wise student learns to rule such options out
ABSOLUTE_WORDS = frozenset({
    "absolutely", "all", "always", "cannot", "can't", "completely", "entirely", "every",
    "everyone", "everything", "guarantee", "guaranteed", "guarantees", "impossible", "must",
    "never", "nobody", "none", "nothing", "only", "totally", "whatever", "whenever"})


def absolute(text: str) -> bool:
    """Whether an option carries an absolute word (or "no one")."""
    words = re.findall(r"[a-z']+", text.lower())
    return bool(ABSOLUTE_WORDS.intersection(words)) or "no one" in " ".join(words)


def test_absolute_words_do_not_mark_the_wrong_options():
    """Absolute words give nothing away. Over the single-answer items, the share of correct
    options that carry one is at least the share of wrong options that do; and in every item
    some wrong option is like the correct one (both with, or both without, an absolute word),
    so that no item is answered by "pick the one with (or without) an absolute word"."""
    right_abs, wrong_abs, wrong_count = 0, 0, 0
    single = _single_answer_items()
    for item, (right, options) in single.items():
        wrong = [t for t in options if t != right]
        right_abs += absolute(right)
        wrong_abs += sum(absolute(t) for t in wrong)
        wrong_count += len(wrong)
        assert any(absolute(t) == absolute(right) for t in wrong), item
    assert right_abs / len(single) >= wrong_abs / wrong_count, (right_abs, wrong_abs)


def test_the_absolute_word_rule_reads_words_not_parts_of_words():
    assert absolute("Only the loss") and absolute("it cannot") and absolute("no one knows")
    assert not absolute("the overall callback") and not absolute("a smaller layer")


# ---------------------------------------------------------------- constructs from the source

CONSTRUCTS = {
    "q04": (["def q04_answer(numbers):\n    return [2 * n for n in numbers if n % 2]",
             "q04_answer = lambda ns: [n + n for n in ns if n & 1]\nfor n in range(3):\n"
             "    print(q04_answer([n]))",
             "def q04_answer(numbers):\n    odd = [2 * n for n in numbers if n % 2]\n"
             "    return odd",
             "def q04_answer(numbers):\n    return list([2 * n for n in numbers if n % 2])"],
            ["def q04_answer(numbers):\n    out = []\n    for n in numbers:\n"
             "        out.append(2 * n)\n    return [v for v in out if v % 4]",
             "def q04_answer(numbers):\n    return list(2 * n for n in numbers if n % 2)",
             "def q04_answer(ns):\n    return [m for m in [2 * n for n in ns] if m % 4]",
             "def helper(ns):\n    while False:\n        pass\n    return ns\n\n"
             "def q04_answer(ns):\n    return [2 * n for n in helper(ns) if n % 2]",
             # a dummy comprehension beside the real work (red team round 5)
             "def q04_answer(ns):\n    [None for _ in ()]\n"
             "    return list(map(lambda n: 2 * n, filter(lambda n: n % 2, ns)))",
             "def q04_answer(ns):\n    [n for n in ns]\n"
             "    return eval('[2*n for n in ns if n%2]')"]),
    "q06": (["def q06_answer(t):\n    return len(t.shape)",
             "q06_answer = lambda t: len(t.size())"],
            ["def q06_answer(t):\n    return t.ndim", "q06_answer = lambda t: t.dim()",
             "def q06_answer(t):\n    return getattr(t, 'ndim')",
             "def q06_answer(t):\n    return len(t)",
             "def q06_answer(t):\n    t.shape\n    return getattr(t, 'n' + 'dim')"]),
    "q27": (["def q27_answer(x):\n    return x.view(x.shape[0], -1)",
             "def q27_answer(x):\n    return x.view(len(x), -1).contiguous()"],
            ["def q27_answer(x):\n    return x.reshape(x.shape[0], -1)",
             "def q27_answer(x):\n    return torch.flatten(x, 1)",
             "def q27_answer(x):\n    return x.reshape(len(x), -1).view(len(x), -1)",
             "def q27_answer(x):\n    x.view\n    return getattr(x, 're' + 'shape')(len(x), -1)",
             "def q27_answer(x):\n    x.view\n    return x.__getattribute__('flat' + 'ten')(1)"]),
}


@pytest.mark.parametrize("item", sorted(CONSTRUCTS))
def test_the_asked_construct_is_read_from_the_answers_source(item):
    from autograder.items.nb08 import SPEC
    from autograder.items.spec import construct_failure

    spec_item = SPEC.item(item)
    passing, failing = CONSTRUCTS[item]
    for source in passing:
        assert construct_failure(spec_item, source) is None, source
    for source in failing:
        why = construct_failure(spec_item, source)
        assert why and why.startswith("the question asks"), source
        assert "return" not in why and "(" not in why.split(";")[0], why  # no code given away
    assert "not defined in its answer cell" in construct_failure(spec_item, "x = 1")
    assert construct_failure(SPEC.item("q05"), "anything at all") is None


def test_the_grader_reads_the_last_answer_cell_that_defines_the_name():
    """An answer cell further down that redefines q04_answer is what the kernel ran, so it is
    what the grader reads (``probing.answer_sources``); cells that are not answers never count."""
    import nbformat

    from autograder.items import probing
    from autograder.items.nb08 import SPEC

    def answer(source: str, gid: str):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                     "grade_id": gid, "schema_version": 3}
        return cell

    nb = nbformat.v4.new_notebook(cells=[
        answer("def q04_answer(ns):\n    return [2 * n for n in ns if n % 2]", "q04_answer"),
        answer("def q04_answer(ns):\n    return list(map(lambda n: 2 * n, ns))", "q05_answer"),
        nbformat.v4.new_code_cell("def q06_answer(t):\n    return t.ndim")])
    sources = probing.answer_sources(SPEC, nb)
    assert set(sources) == {"q04", "q06", "q27"}
    assert "map" in sources["q04"] and sources["q06"] == sources["q27"] == ""


def test_the_check_cell_reads_the_construct_from_the_cells_run_here():
    from autograder.items import selfcheck
    from autograder.items.nb08 import SPEC

    item = SPEC.item("q27")
    history = ["", "def q27_answer(x):\n    return x.reshape(len(x), -1)", "SPEC.check('q27')"]
    assert "view" in selfcheck.construct_note(item, {"In": history})
    history[1] = "def q27_answer(x):\n    return x.view(len(x), -1)"
    assert selfcheck.construct_note(item, {"In": history}) is None
    assert selfcheck.construct_note(item, {}) is None     # no history: the grader decides


def test_docs_questionnaire_md_is_generated_from_the_specs():
    """The committed page is exactly what ``ch4 docs`` writes from the specs and the solution
    notebook (rerun ``ch4 docs`` after changing either)."""
    from autograder.docs import PAGE, questionnaire_page

    text = questionnaire_page()
    assert PAGE.read_text(encoding="utf-8") == text, "run `ch4 docs` and commit the page"
    assert "| q02 | code | How are the files and folders" in text
    assert "`q36_answer`, `q36_forward`" in text                # both names q36 tests
    assert "Terms: Parameters and activations, Rank, ReLU" in text
