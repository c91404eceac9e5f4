"""Item specs: the wire format, the comparator, the kernel-side runner and probe planning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder import notebook as nbk
from autograder.grading import probing
from autograder.items import wire
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


def test_equal_is_exact_and_sealed_compares_digests():
    assert not judge(equal(), Outcome("b "), Outcome("b"), "q").passed
    from autograder.items.compare import digest

    assert judge(equal(sealed=True), Outcome("b"), Outcome("sha256:" + digest("b")), "q").passed
    assert not judge(equal(sealed=True), Outcome("a"), Outcome("sha256:" + digest("b")),
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
            assert len(stored) == len(item.public), f"{spec.notebook}:{item.grade_id}"
            assert all(outcome_of(json.loads(json.dumps(r))).ok or r.get("raised") is None
                       for r in stored)
