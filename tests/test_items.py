"""Item specs: the wire format, the comparator, the kernel-side runner and probe planning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder import notebook as nbk
from autograder.items import probing, wire
from autograder.items.compare import Outcome, judge
from autograder.items.runner import run_probe
from autograder.items.selfcheck import CheckFailed, check_item, outcome_of
from autograder.items.spec import between, close, equal, near_reference
from autograder.items.tiny import SPEC as TINY

REPO = Path(__file__).resolve().parent.parent


def roundtrip(value):
    return wire.decode(wire.encode(value))


def test_tensors_cross_as_dtype_shape_and_bytes():
    got = roundtrip({"t": torch.arange(6, dtype=torch.float32).view(2, 3), "n": 3,
                     "p": Path("a/b.png"), "l": [1.5, "x", None, (True,)]})
    assert got["t"].torch and got["t"].dtype == "float32" and got["t"].values.shape == (2, 3)
    assert got["p"] == wire.PathValue("a/b.png") and got["l"] == [1.5, "x", None, (True,)]


def test_look_alikes_arrive_as_what_they_are():
    class Sneaky(float):
        def __eq__(self, other):
            return True

    class Tensorish(torch.Tensor):
        def __eq__(self, other):
            return True

    assert roundtrip(Sneaky(1.0)) == wire.Opaque(f"{__name__}.{Sneaky.__qualname__}")
    sub = torch.zeros(3).as_subclass(Tensorish)
    decoded = roundtrip(sub)
    assert isinstance(decoded, wire.Array) and decoded.values.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("text", [
    '{"t": "array", "dtype": "object", "shape": [1], "b64": ""}',
    '{"t": "array", "dtype": "float32", "shape": [4], "b64": "AAAA"}',
    '{"t": "pickle", "v": "gASV"}', '[' * 5000, '{"t": "dict", "v": [[[1], 2]]}'])
def test_malformed_data_from_the_kernel_is_refused(text):
    with pytest.raises(wire.WireError):
        wire.decode(text)


def test_close_accepts_float64_and_scalars_but_not_wrong_shapes():
    want = Outcome(roundtrip(torch.tensor([1.0, 2.0])))
    assert judge(close(), Outcome(roundtrip(np.array([1.0, 2.0 + 1e-6]))), want, "f").passed \
        is False  # a NumPy array where a tensor is expected
    assert judge(close(), Outcome(roundtrip(torch.tensor([1.0, 2.0], dtype=torch.float64))),
                 want, "f").passed
    scalar = Outcome(roundtrip(torch.tensor(0.5)))
    assert judge(close(), Outcome(0.5), scalar, "g").passed
    verdict = judge(close(), Outcome(roundtrip(torch.zeros(3))), want, "f", "hint")
    assert verdict.message == "f: has shape (3,), expected (2,) (hint)"


def test_nan_fails_and_messages_never_show_expected_values():
    want = Outcome(roundtrip(torch.tensor([0.1234567, 2.0])))
    verdict = judge(close(), Outcome(roundtrip(torch.tensor([float("nan"), 2.0]))), want, "s")
    assert not verdict.passed and "NaN" in verdict.message
    verdict = judge(close(), Outcome(roundtrip(torch.tensor([9.0, 2.0]))), want, "s")
    assert "0.123" not in verdict.message and "largest difference" in verdict.message


def test_bounds_and_near_reference():
    assert judge(between(0.9, 1.0), Outcome(0.95), None, "acc").passed
    assert not judge(between(0.9, 1.0), Outcome(0.5), None, "acc").passed
    assert judge(near_reference(0.02), Outcome(0.97), Outcome(0.98), "acc").passed
    assert not judge(near_reference(0.02), Outcome(0.9), Outcome(0.98), "acc").passed


def test_equal_is_exact_and_sealed_public_values_keep_only_their_form():
    assert not judge(equal(), Outcome("b "), Outcome("b"), "q").passed
    from autograder.items.compare import sealed

    stored = sealed(Outcome((0.6, True)))
    assert stored.value == "form:tuple"                       # nothing of 0.6 or True
    assert judge(equal(sealed=True), Outcome((0.4, False)), stored, "q").passed
    assert not judge(equal(sealed=True), Outcome(0.6), stored, "q").passed
    # at grading the same probe is judged on the reference's raw value
    assert not judge(equal(sealed=True), Outcome((0.4, False)), Outcome((0.6, True)),
                     "q").passed


def test_raised_errors_show_only_a_safe_type_name():
    verdict = judge(close(), Outcome(raised="the hidden answer is 42!"), Outcome(1.0), "f")
    assert verdict.message == "f: raised an error"


def test_runner_restores_the_namespace_and_reports_errors_as_data():
    ns = {"f": lambda x: x * 2, "keep": 1}
    record = run_probe(ns, "extra = 5\nkeep = 2", "f(x) + extra", wire.encode({"x": 3}))
    assert record == {"value": 11}
    assert ns.keys() == {"f", "keep"} and ns["keep"] == 1
    assert run_probe(ns, "", "f(None)", wire.encode({})) == {"raised": "TypeError"}


def test_self_check_names_the_exercise_to_do_first():
    with pytest.raises(CheckFailed, match="double is not defined yet"):
        check_item(TINY, TINY.item("ex_double"), {})


def test_self_check_passes_and_fails_with_the_shared_comparator(capsys):
    check_item(TINY, TINY.item("ex_double"), {"double": lambda x: 2 * x})
    assert "passed the public checks" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="differs from the expected result"):
        check_item(TINY, TINY.item("ex_double"), {"double": lambda x: 3 * x})


def test_hidden_probes_depend_on_the_secret_key_only():
    item = TINY.item("ex_double")
    first = wire.encode(item.hidden_probes("key-1")[0].inputs)
    assert first == wire.encode(item.hidden_probes("key-1")[0].inputs)
    assert first != wire.encode(item.hidden_probes("key-2")[0].inputs)


def test_every_solution_notebook_names_one_spec_covering_its_items():
    for path in sorted((REPO / "solutions").glob("*.ipynb")):
        source = nbk.read(path)
        spec = probing.spec_of(source)
        graded = [nbk.grade_id(c) for c in source.cells if nbk.is_autograded_test(c)]
        assert [i.grade_id for i in spec.items] == graded, path.name
        assert spec.notebook == path.stem
        assert all(item.public for item in spec.items), f"{path.name}: an item has no public probe"


def test_public_expected_values_exist_for_every_public_probe():
    from autograder.items.selfcheck import load_expected

    for path in sorted((REPO / "solutions").glob("*.ipynb")):
        spec = probing.spec_of(nbk.read(path))
        expected = load_expected(spec.notebook)
        for item in spec.items:
            stored = expected.get(item.grade_id, [])
            assert len(stored) == len(item.public), \
                (f"{spec.notebook}:{item.grade_id} has no public values recorded for its "
                 f"probes: run `ch4 expected solutions/{spec.notebook}.ipynb`")
            assert all(outcome_of(json.loads(json.dumps(r))).ok or r.get("raised") is None
                       for r in stored)


# ------------------------------------------------------------ definitions re-run by probes


CAPTURING = '''
import torch

def make_is_3(ideal_3, ideal_7):
    def is_3(x):
        return (x - ideal_3).abs().mean((-1, -2)) < (x - ideal_7).abs().mean((-1, -2))
    return is_3

is_3 = make_is_3(mean3, mean7)
print("defined")
accuracy = is_3(valid).float().mean()
'''


def test_definitions_keep_what_binds_the_names_and_nothing_that_runs():
    from autograder.items.spec import definitions

    kept = definitions(CAPTURING, ("is_3",))
    assert "def make_is_3" in kept and "is_3 = make_is_3(mean3, mean7)" in kept
    assert "import torch" in kept
    assert "print" not in kept and "accuracy" not in kept
    assert definitions(CAPTURING, ("other",)) == ""     # binds none of the names: nothing
    assert definitions("%time x = 1\n", ("x",)) == ""            # not Python: nothing re-run
    assert definitions("print('only a call')\n", ("x",)) == ""


def test_a_function_that_captured_notebook_names_is_probed_with_the_probes_values():
    from autograder.items.spec import definitions

    notebook_3, notebook_7 = torch.zeros(2, 2), torch.ones(2, 2)
    namespace = {"mean3": notebook_3, "mean7": notebook_7, "valid": torch.zeros(1, 2, 2)}
    exec(CAPTURING, namespace)                      # the student's cell, as the notebook ran it
    probe_3, probe_7 = torch.ones(2, 2), torch.zeros(2, 2)          # the ideals swapped
    inputs = wire.encode({"x": torch.ones(1, 2, 2), "mean3": probe_3, "mean7": probe_7})
    without = run_probe(namespace, "", "is_3(x)", inputs)
    with_prelude = run_probe(namespace, "", "is_3(x)", inputs,
                             definitions(CAPTURING, ("is_3",)), ("is_3",))
    assert outcome_of(without).value.values.tolist() == [False]   # the notebook's ideals
    assert outcome_of(with_prelude).value.values.tolist() == [True]  # the probe's ideals
    assert namespace["mean3"] is notebook_3         # the namespace is put back
    broken = run_probe(namespace, "", "is_3(x)", inputs, "raise ValueError('no')\n", ("is_3",))
    assert broken == without                        # a failing re-run: the notebook's own stands


def test_ch4_check_takes_the_definitions_from_the_kernels_input_history():
    from autograder.items.selfcheck import answer_prelude
    from autograder.items.spec import Item

    item = Item("ex_is_3", ("is_3",), redefine=True)
    history = ["", "x = 1", CAPTURING, "print('later, unrelated')", "SPEC.check('ex_is_3')"]
    assert "make_is_3(mean3, mean7)" in answer_prelude(item, {"In": history})
    assert answer_prelude(item, {}) == ""
