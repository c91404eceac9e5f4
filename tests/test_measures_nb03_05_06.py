"""Notebooks 03, 05 and 06: the probes that used to read properties in the kernel (a leaf that
requires grad, a cleared gradient, the number of orders a loader hands out, fastai's progress
bar) now return raw values, and the grader's measures read the properties. Judged here the way
``ch4 grade`` judges them, but in-process: the reference's raw values pass, a record of the old
kind (the properties claimed by the kernel) scores nothing, a student's top-level ``isinstance``
or ``bool`` changes nothing, and a wrong answer that only the property shows still fails.
"""

from __future__ import annotations

import json

import pytest
import torch
from torch import nn

from autograder.items import nb03, nb05, nb06, runner, wire
from autograder.items.compare import WRONG_KIND, Outcome, judge, measured
from autograder.items.selfcheck import outcome_of
from autograder.items.spec import NotebookSpec, Probe

KEY = "5" * 64

_NB03 = '''
def quadratic(t, params):
    a, b, c = params
    return a * t ** 2 + b * t + c

def mse(preds, targets):
    return ((preds - targets) ** 2).mean()

def gradient(f, x):
    x = x.detach().clone().requires_grad_()
    f(x).backward()
    return x.grad

def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    loss.backward()
    with torch.no_grad():
        params -= lr * params.grad
    params.grad = None
    return loss.item()
'''
# a student's names that shadow the builtins the old kernel-side probes called
_SHADOWS = '''
import builtins as _bi
def isinstance(o, c):
    return True
def bool(o=False):
    return True
def len(o):
    return 1
'''
_NB05 = '''
from torch.utils.data import DataLoader

def make_loaders(dset, valid_dset, bs=256):
    return DataLoader(dset, batch_size=bs, shuffle=True), DataLoader(valid_dset, batch_size=bs)

def mnist_loss(preds, targets):
    preds = preds.sigmoid()
    return torch.where(targets == 1, 1 - preds, preds).mean()

def calc_grad(xb, yb, model):
    mnist_loss(model(xb), yb).backward()

def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in params:
                p -= p.grad * lr
                p.grad.zero_()
'''


def _namespace(*sources: str) -> dict:
    namespace: dict = {"torch": torch, "nn": nn, "__name__": "__main__"}
    for source in sources:
        exec(compile(source, "<answer>", "exec"), namespace)  # noqa: S102 - our test code
    return namespace


def _ran(namespace: dict, probe: Probe) -> Outcome:
    record = runner.run_probe(namespace, probe.setup, probe.code, wire.encode(probe.inputs))
    return outcome_of(json.loads(json.dumps(record)))


def _probes(spec: NotebookSpec, grade_id: str) -> list[tuple[Probe, bool]]:
    item = spec.item(grade_id)
    return [(p, False) for p in item.public] + [(p, True) for p in item.hidden_probes(KEY)]


def _passes(probe: Probe, got: Outcome, want: Outcome, hidden: bool) -> bool:
    return judge(probe.compare, got, want, probe.label, hidden=hidden,
                 measure=probe.measure).passed


def _verdicts(spec: NotebookSpec, grade_id: str, reference: dict, student: dict) -> list[bool]:
    return [_passes(p, _ran(student, p), _ran(reference, p), hidden)
            for p, hidden in _probes(spec, grade_id)]


@pytest.mark.parametrize(("spec", "grade_id"), [
    (nb03.SPEC, "ex_gradient"), (nb03.SPEC, "ex_apply_step"),
    (nb05.SPEC, "ex_make_loaders"), (nb05.SPEC, "ex_train_epoch")])
def test_every_probe_has_a_measure_and_the_reference_passes_it(spec, grade_id):
    source = _NB03 if spec is nb03.SPEC else _NB05
    for probe, _hidden in _probes(spec, grade_id):
        assert probe.measure is not None, probe.label
    assert all(_verdicts(spec, grade_id, _namespace(source), _namespace(source)))
    # shadowing the builtins the old probes called changes nothing for a correct answer
    assert all(_verdicts(spec, grade_id, _namespace(source), _namespace(source, _SHADOWS)))


def test_gradient_claims_of_the_old_kind_score_nothing():
    reference = _namespace(_NB03)
    for probe, hidden in _probes(nb03.SPEC, "ex_gradient"):
        want = _ran(reference, probe)
        first, second, x, _grad = want.value
        old = Outcome(value=(first, second, x, False, True))   # the flags the kernel claimed
        assert not _passes(probe, old, want, hidden), probe.label


def test_gradient_on_the_callers_tensor_fails_on_the_measured_flags():
    student = _namespace(_NB03, '''
def gradient(f, x):
    x.requires_grad_()
    x.grad = None
    f(x).backward()
    return x.grad.clone()
''')
    # the values are right on every call; only x's requires_grad and .grad give it away
    assert not any(_verdicts(nb03.SPEC, "ex_gradient", _namespace(_NB03), student))


def test_apply_step_that_switches_gradients_off_fails_on_the_measured_leaf():
    student = _namespace(_NB03, '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    loss.backward()
    with torch.no_grad():
        params -= lr * params.grad
    params.grad = None
    params.requires_grad_(False)
    return loss.item()
''')
    verdicts = _verdicts(nb03.SPEC, "ex_apply_step", _namespace(_NB03), student)
    assert not any(verdicts)


def test_apply_step_measure_reads_the_raw_gradient_and_the_leaf():
    probe = nb03.SPEC.item("ex_apply_step").public[0]
    reference = _ran(_namespace(_NB03), probe)
    form = measured(probe.measure, reference).value
    assert form[-1] is True                              # still a leaf that requires grad
    assert all(size == 0.0 for size in form[2:-1:3])     # params.grad cleared after each step
    # a record that claims the old per-step flags instead of the raw values
    steps, _leaf = reference.value
    old = Outcome(value=[(loss, params, 0.0, True, True) for loss, params, _g in steps])
    assert measured(probe.measure, old).missing == WRONG_KIND


def test_train_epoch_that_never_clears_or_switches_gradients_off_fails():
    reference = _namespace(_NB05)
    off = _namespace(_NB05, '''
def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in params:
                p -= p.grad * lr
                p.grad.zero_()
    params[0].requires_grad_(False)
''')
    assert not any(_verdicts(nb05.SPEC, "ex_train_epoch", reference, off))
    # a record of the old kind: the sizes and the leaf flag claimed per epoch
    for probe, hidden in _probes(nb05.SPEC, "ex_train_epoch"):
        after, _grad = _ran(reference, probe).value
        old = Outcome(value=[{"weights": w, "bias": b, "size of the weights' gradient": 0.0,
                              "size of the bias' gradient": 0.0,
                              "weights still a leaf that requires grad": True}
                             for w, b, _gw, _gb in after])
        assert not _passes(probe, old, _ran(reference, probe), hidden)


def test_make_loaders_orders_and_sizes_are_read_from_the_raw_batches():
    reference = _namespace(_NB05)
    unshuffled = _namespace(_NB05, '''
def make_loaders(dset, valid_dset, bs=256):
    return DataLoader(dset, batch_size=bs), DataLoader(valid_dset, batch_size=bs)
''')
    verdicts = _verdicts(nb05.SPEC, "ex_make_loaders", reference, unshuffled)
    # every probe with more than one epoch shows the single order
    assert not verdicts[0] and not any(verdicts[2:])
    probe = nb05.SPEC.item("ex_make_loaders").public[0]
    form = measured(probe.measure, _ran(reference, probe)).value
    assert form["different dl orders"] == 6
    assert [e["batch sizes"] for e in form["dl epochs"]] == [[4, 4, 2]] * 6
    old = Outcome(value={"valid_dl batches": [], "dl epochs": [], "different dl orders": 6})
    assert measured(probe.measure, old).missing == WRONG_KIND


def test_learner_shapes_are_read_from_the_raw_parameters():
    probe = nb06.SPEC.item("ex_make_learner").public[0]
    raw = {"parameters as built": [wire.Array(torch.zeros(1, 784).numpy(), True),
                                   wire.Array(torch.zeros(1).numpy(), True)],
           "loss on given scores": 0.25}
    assert measured(probe.measure, Outcome(value=raw)).value == {
        "parameter shapes": [[1, 784], [1]], "loss on given scores": 0.25}
    # the shapes claimed by the kernel (the old record) are not raw parameters
    old = Outcome(value={"parameter shapes": [[1, 784], [1]], "loss on given scores": 0.25})
    assert measured(probe.measure, old).missing == WRONG_KIND
