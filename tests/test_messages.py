"""Messages that name the cause: every returned part in words, the earlier exercise behind a
knock-on failure, each broken function of an exercise and the step of a checklist that failed.

The wrong answers of ``tests/mutants/nb01.py`` ... ``nb07.py`` are judged in this process
(``tests/inprocess.py``: the solution's definitions in one namespace, one answer replaced at a
time) by the real check cell (``selfcheck.check_item``), the real ``ch4 check`` verdict
(``probing.public_verdict`` + ``probing.item_message``) and, where an item uses another, the
real ``ch4 grade`` verdict (``probing.judge_item`` on public and hidden probes, against the
solution's values computed here).
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import torch
from harness import load_mutants
from inprocess import Answers, quiet

from autograder.items import probing, wire
from autograder.items.compare import Outcome, judge, judge_probe, knock_on, reported
from autograder.items.runner import run_probe
from autograder.items.selfcheck import (
    CheckFailed,
    check_item,
    load_expected,
    needs_note,
    outcome_of,
    public_records,
)
from autograder.items.spec import Item, NotebookSpec, Part, Probe, close, equal, returns

REPO = Path(__file__).resolve().parent.parent
CORPORA = tuple(f"nb{n:02d}" for n in range(1, 8))
BARE = "value ["
KEY = "test-messages-key"


@dataclass(frozen=True)
class Seen:
    """One item judged while one wrong answer was in place."""

    mutant: str                 # "<grade id> / <what is wrong>"
    wrong: str                  # the grade id of the wrong answer
    item: str                   # the grade id judged
    check_cell: str             # what the check cell raised (str), "" when it passed
    check_lines: tuple[str, ...]
    ch4_check: str              # ch4 check's message for the item, "" when it passed
    needed_fails_public: bool   # the wrong item fails its own public checks


def _path(key: str) -> Path:
    return next((REPO / "solutions").glob(f"{key[2:]}_*.ipynb"))


@cache
def _answers(key: str) -> Answers:
    return Answers(_path(key))


def _ch4_check(spec: NotebookSpec, namespace: dict,
               only: set[str] | None = None) -> dict[str, str]:
    """The ``ch4 check`` message (empty when it passes) of every item, or of the items in
    ``only`` (with those they use), judged in notebook order."""
    expected = load_expected(spec.notebook)
    verdicts: dict[str, probing.Verdict] = {}
    messages = {}
    wanted = None if only is None else only | {n for g in only for n in spec.item(g).needs}
    for item in spec.items:
        if wanted is not None and item.grade_id not in wanted:
            continue
        planned = [probing.Planned(p, False) for p in item.public]
        with quiet():
            got = [outcome_of(r) for r in public_records(item, namespace)]
        want = [outcome_of(r) for r in expected.get(item.grade_id, [])]
        verdict = probing.public_verdict(item, planned, got, want)
        verdicts[item.grade_id] = verdict
        messages[item.grade_id] = probing.item_message(spec, item, verdict, verdicts)
    return messages


@cache
def _sweep(key: str) -> tuple[Seen, ...]:
    """Each wrong answer of the corpus in place: its item and the items that use it, judged
    by the check cell and by ch4 check."""
    answers = _answers(key)
    spec = answers.spec
    seen = []
    for answer_id, gid, what, source in load_mutants(key):
        judged = [item for item in spec.items if item.grade_id == gid or gid in item.needs]
        with answers.replaced(answer_id, source):
            messages = _ch4_check(spec, answers.namespace, {i.grade_id for i in judged})
            for item in judged:
                try:
                    with quiet():
                        answers.run(source)    # a fresh start for answers that keep state
                        check_item(spec, item, answers.namespace)
                    text, lines = "", ()
                except CheckFailed as exc:
                    text, lines = str(exc), tuple(exc.lines)
                seen.append(Seen(f"{gid} / {what}", gid, item.grade_id, text, lines,
                                 messages[item.grade_id], bool(messages[gid])))
    return tuple(seen)


@pytest.mark.parametrize("key", CORPORA)
def test_no_message_of_a_wrong_answer_says_a_bare_value_index(key):
    seen = _sweep(key)
    assert any(s.check_cell for s in seen)            # the corpus really failed checks
    bare = [(s.mutant, s.item, text) for s in seen
            for text in (s.check_cell, *s.check_lines, s.ch4_check) if BARE in text]
    assert bare == []


@pytest.mark.parametrize("key", CORPORA)
def test_the_check_cell_and_ch4_check_give_the_same_message(key):
    differ = [(s.mutant, s.item, s.check_cell, s.ch4_check) for s in _sweep(key)
              if s.check_cell != s.ch4_check and "not defined" not in s.check_cell]
    assert differ == []


def _needing(key: str) -> list[Item]:
    return [item for item in _answers(key).spec.items if item.needs]


@pytest.mark.parametrize("key", [k for k in CORPORA
                                 if any(i.needs for i in importlib.import_module(
                                     f"autograder.items.{k}").SPEC.items)])
def test_a_knock_on_failure_names_the_exercise_it_comes_from_in_check_and_check_cell(key):
    spec = _answers(key).spec
    knock_ons = [s for s in _sweep(key) if s.item != s.wrong and s.needed_fails_public
                 and (s.check_cell or s.ch4_check)]
    assert knock_ons                                   # the corpus has such cases
    missing = [(s.mutant, s.item, text) for s in knock_ons
               for text in (s.check_cell, s.check_lines[0], s.ch4_check)
               if knock_on(spec.item(s.wrong)) not in text]
    assert missing == []


def _hidden_outcomes(answers: Answers, item: Item) -> list[Outcome]:
    prelude = ""
    if item.redefine:
        from autograder.items.spec import definitions

        prelude = definitions(answers.answers[item.grade_id + "_answer"], item.names)
    with quiet():
        return [outcome_of(run_probe(answers.namespace, p.setup, p.code, wire.encode(p.inputs),
                                     prelude, item.names))
                for p in item.hidden_probes(KEY)]


@pytest.mark.parametrize("key", ["nb01", "nb02", "nb03", "nb04", "nb05"])
def test_ch4_grade_names_the_needed_exercise_of_a_knock_on_failure(key):
    answers = _answers(key)
    spec, expected = answers.spec, load_expected(answers.spec.notebook)
    involved = {gid for item in _needing(key) for gid in (item.grade_id, *item.needs)}
    reference = {gid: _hidden_outcomes(answers, spec.item(gid)) for gid in involved}
    checked = 0
    for answer_id, gid, what, source in load_mutants(key):
        if gid not in {n for item in _needing(key) for n in item.needs}:
            continue
        with answers.replaced(answer_id, source):
            verdicts = {}
            for item in spec.items:
                if item.grade_id not in involved:
                    continue
                planned = [probing.Planned(p, False) for p in item.public] + [
                    probing.Planned(p, True) for p in item.hidden_probes(KEY)]
                with quiet():
                    got = [outcome_of(r) for r in public_records(item, answers.namespace)]
                got += _hidden_outcomes(answers, item)
                want = [outcome_of(r) for r in expected.get(item.grade_id, [])] \
                    + reference[item.grade_id]
                verdict = probing.judge_item(item, planned, got, want)
                verdicts[item.grade_id] = verdict
                message = probing.item_message(spec, item, verdict, verdicts)
                if gid in item.needs and not verdict.passed:
                    checked += 1
                    assert knock_on(spec.item(gid)) in message, (what, item.grade_id, message)
                    assert BARE not in message
            assert not verdicts[gid].passed, f"{gid} / {what} passed ch4 grade"
    assert checked


# ------------------------------------------------------------------ part names (unit tests)

def _tensor(*values: float) -> wire.Array:
    return wire.from_plain(wire.to_plain(torch.tensor(values)))


def test_a_part_of_a_returned_tuple_is_named_in_words():
    probe = Probe("add_to_each_row(t, v)", "(f(t), t)", compare=close(),
                  parts=returns("sum", "t"), hint="v is added to every row")
    right = Outcome(value=(_tensor(1.0, 2.0), _tensor(0.0, 0.0)))
    changed = Outcome(value=(_tensor(1.0, 2.0), _tensor(5.0, 0.0)))
    verdict = judge_probe(probe, changed, right)
    assert verdict.reason.startswith("add_to_each_row(t, v): your input t after the call "
                                     "differs")
    # the input's own hint, not the probe's, is the one thing to look at
    assert verdict.look_at.startswith("leave the inputs as they were")
    assert "v is added" not in verdict.message
    wrong_sum = Outcome(value=(_tensor(9.0, 2.0), _tensor(0.0, 0.0)))
    verdict = judge_probe(probe, wrong_sum, right)
    assert "the sum you return differs" in verdict.message
    assert verdict.look_at == "v is added to every row"


def test_nested_indexes_follow_the_part_name_and_a_whole_list_is_named():
    named = Probe("p", "x", compare=equal(), parts=("the parameters you return", "the count"))
    want = Outcome(value=([["a", "b"], ["c", "d"]], "n"))
    got = Outcome(value=([["a", "b"], ["c", "e"]], "n"))
    assert judge_probe(named, got, want).message == (
        "p: the parameters you return, element [1][1] is not the expected value")
    whole = Probe("q", "x", compare=equal(), whole="your predictions")
    assert judge_probe(whole, Outcome(value=["3", "7", "3"]), Outcome(value=["3", "7", "7"])) \
        .message == "q: your predictions, element [2] is not the expected value"
    unnamed = Probe("r", "x", compare=equal())
    message = judge_probe(unnamed, Outcome(value=["3", "7"]), Outcome(value=["3", "3"])).message
    assert message == "r: the result, element [1] is not the expected value"
    assert BARE not in message


def test_dict_entries_are_named_by_their_part_or_by_a_key_in_words():
    probe = Probe("acc", "x", compare=close(),
                  parts=(Part("the accuracy you return", key="accuracy"),
                         Part("your input xb after the call", "keep xb", key="scores after")))
    want = Outcome(value={"accuracy": 0.5, "scores after": _tensor(1.0)})
    got = Outcome(value={"accuracy": 0.5, "scores after": _tensor(2.0)})
    verdict = judge_probe(probe, got, want)
    assert "your input xb after the call differs" in verdict.message
    assert verdict.look_at == "keep xb"
    plain = judge(close(), Outcome(value={"the loss": 1.0}), Outcome(value={"the loss": 2.0}),
                  "f")
    assert plain.message.startswith("f: the loss differs")


def test_a_hidden_probes_message_names_the_part_and_shows_no_number_or_shape():
    probe = Probe("f on a hidden tensor", "(f(t), t)", compare=close(), parts=returns("y", "t"))
    want = Outcome(value=(_tensor(1.0, 2.0, 3.0), _tensor(0.0)))
    got = Outcome(value=(_tensor(1.0, 2.0), _tensor(0.0)))
    message = judge_probe(probe, got, want, hidden=True).message
    assert message.startswith("f on a hidden tensor: the y you return has the wrong shape")
    assert "3" not in message and "(2,)" not in message
    got = Outcome(value=(_tensor(1.0, 2.0, 3.5), _tensor(0.0)))
    message = judge_probe(probe, got, want, hidden=True).message
    assert "the y you return differs from the expected result" in message
    assert "largest" not in message and "0.5" not in message


def _returns_several(probe: Probe) -> int | None:
    """How many separate things the probe's code returns as a tuple or list display."""
    node = ast.parse(probe.code, mode="eval").body
    return len(node.elts) if isinstance(node, ast.Tuple | ast.List) else None


SPECS = ("tiny", *(f"nb{n:02d}" for n in range(1, 11)))


@pytest.mark.parametrize("module", SPECS)
def test_every_probe_returning_several_things_names_them(module):
    spec = importlib.import_module(f"autograder.items.{module}").SPEC
    expected = load_expected(spec.notebook)
    unnamed = []
    for item in spec.items:
        for index, probe in enumerate(item.public):
            stored = expected.get(item.grade_id, [])
            if index >= len(stored) or probe.compare.sealed:
                continue
            from autograder.items.compare import measured

            value = measured(probe.measure, outcome_of(stored[index])).value
            if isinstance(value, list | tuple) and not probe.whole \
                    and len(probe.parts) != len(value):
                unnamed.append((item.grade_id, probe.label))
        for probe in [*item.public, *item.hidden_probes(KEY)]:
            count = _returns_several(probe)
            if probe.measure is None and count and not probe.whole \
                    and len(probe.parts) != count:
                unnamed.append((item.grade_id, probe.label))
    assert unnamed == []


# -------------------------------------------- several functions, several steps, the knock-on note

def _nb(key: str) -> Answers:
    return _answers(key)


def test_an_exercise_of_several_functions_reports_each_broken_function():
    answers = _nb("nb02")
    spec = answers.spec
    item = spec.item("ex_tensor_basics")
    broken = ("def column(t, j):\n    return t[j]\n\n"
              "def halve(t):\n    return t // 2\n")
    with answers.replaced("ex_tensor_basics_answer", broken):
        with pytest.raises(CheckFailed) as failed:
            with quiet():
                check_item(spec, item, answers.namespace)
        message = _ch4_check(spec, answers.namespace)["ex_tensor_basics"]
    crosses = [line for line in failed.value.lines if line.startswith("\u2717")]
    assert len(crosses) == 2
    assert crosses[0].startswith("\u2717 Exercise 1 (tensor basics): column(t, 1)")
    assert crosses[1].startswith("\u2717 Exercise 1 (tensor basics): halve(t)")
    assert "bottom_right" not in str(failed.value) and "add_to_each_row" not in str(failed.value)
    assert message == str(failed.value)
    assert message.index("column(t, 1)") < message.index("; halve(t)")
    assert sum(line.startswith("  hint:") for line in failed.value.lines) == 1


def test_reported_keeps_one_failure_per_function_and_only_the_first_for_one_function():
    item = Item("ex", ("f", "g"))
    probes = [Probe("f1", "f(1)"), Probe("f2", "f(2)"), Probe("g1", "(g(1), x)"),
              Probe("g2", "y", setup="y = g(2)")]
    fails = [probing.Verdict(False, "no")] * 4
    assert reported(item, probes, fails) == [0, 2]
    assert reported(item, probes, [probing.Verdict(True)] * 3 + [fails[0]]) == [3]
    assert reported(Item("one", ("f",)), probes[:2], fails[:2]) == [0]


def test_a_multi_step_check_says_which_step_and_which_part_of_it_failed():
    answers = _nb("nb03")
    spec = answers.spec
    keeps_grad = ("def apply_step(params, t, y, lr=1e-5):\n"
                  "    loss = mse(quadratic(t, params), y)\n    loss.backward()\n"
                  "    with torch.no_grad():\n        params -= lr * params.grad\n"
                  "    return loss\n")
    with answers.replaced("ex_apply_step_answer", keeps_grad):
        with pytest.raises(CheckFailed) as failed:
            with quiet():
                check_item(spec, spec.item("ex_apply_step"), answers.namespace)
    first, look_at = failed.value.lines[0], failed.value.lines[1]
    assert "the size of params.grad after step 1 differs" in first
    assert look_at.startswith("  look at: clear the gradient after the update")
    assert "move params" not in look_at                 # not the whole checklist


def test_the_knock_on_note_is_one_wording_for_the_check_cell_and_the_grader():
    answers = _nb("nb02")
    spec = answers.spec
    is_3, distance = spec.item("ex_is_3"), spec.item("ex_mnist_distance")
    assert knock_on(distance) == (" (this exercise uses Exercise 2 (mnist_distance), which does "
                                  "not pass yet: fix that one first)")
    assert knock_on(Item("ex_a", ("a", "b"), title="Exercise 7")) == (
        " (this exercise uses a and b from Exercise 7, which does not pass yet: fix that one "
        "first)")
    assert needs_note(spec, is_3, answers.namespace) == ""        # the solution passes
    with answers.replaced("ex_mnist_distance_answer",
                          "def mnist_distance(a, b):\n    return (a - b).abs().mean()\n"):
        kernel = needs_note(spec, is_3, answers.namespace)
    grader = probing.needs_note(spec, is_3, {"ex_mnist_distance": probing.Verdict(False, "x")})
    assert kernel == grader == knock_on(distance)
    assert probing.needs_note(spec, is_3, {"ex_mnist_distance": probing.Verdict(True)}) == ""


def test_part_names_and_hints_hold_no_line_of_the_solutions():
    from test_student_side import _solution_lines, _squeeze

    solution = _solution_lines()
    texts = []
    for module in SPECS:
        spec = importlib.import_module(f"autograder.items.{module}").SPEC
        for item in spec.items:
            for probe in [*item.public, *item.hidden_probes(KEY)]:
                parts = [probe.part(i) for i in range(len(probe.parts))]
                texts += [t for part in parts if part for t in (part.name, part.hint)]
                texts.append(probe.whole)
    assert len(texts) > 100
    assert [(t, line) for t in texts for line in solution if line in _squeeze(t)] == []
