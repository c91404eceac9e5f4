"""Grader-side measures (``Probe.measure``): the kernel returns raw values, the grader computes
the properties. A record that claims a property instead of returning the raw value (what the
probes used to compute in the kernel) scores nothing; the raw values of a correct answer pass;
a model that only looks like resnet18 fails on its behaviour."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from autograder.items import wire
from autograder.items.compare import Outcome, judge
from autograder.items.nb04 import SPEC as NB04
from autograder.items.nb07 import BEHAVIOUR
from autograder.items.nb07 import SPEC as NB07
from autograder.items.nb10 import SPEC as NB10
from autograder.items.nb10 import mnist_test_labels
from autograder.items.runner import run_probe
from autograder.items.selfcheck import outcome_of
from autograder.items.spec import Probe

KEY = "3" * 64


def _outcome(value: object) -> Outcome:
    """What the grader reads back from a record holding ``value``."""
    return Outcome(value=wire.decode(wire.encode(value)))


def _ran(namespace: dict, probe: Probe) -> Outcome:
    record = run_probe(namespace, probe.setup, probe.code, wire.encode(probe.inputs))
    return outcome_of(json.loads(json.dumps(record)))


def _passes(probe: Probe, got: Outcome, want: Outcome, hidden: bool = False) -> bool:
    return judge(probe.compare, got, want, probe.label, hidden=hidden,
                 measure=probe.measure).passed


def _probes(spec, grade_id: str) -> list[tuple[Probe, bool]]:
    item = spec.item(grade_id)
    return [(p, False) for p in item.public] + [(p, True) for p in item.hidden_probes(KEY)]


def _namespace(source: str) -> dict:
    namespace: dict = {"torch": torch, "nn": nn}
    exec(source, namespace)
    return namespace


_INIT_PARAMS = ("def init_params(size, std=1.0):\n"
                "    return (torch.randn(size) * std).requires_grad_()\n")
_INIT_NET = '''
def init_simple_net(n_hidden=30):
    s1, s2 = 784 ** -0.5, n_hidden ** -0.5
    return [init_params((784, n_hidden), s1), init_params(n_hidden, s1),
            init_params((n_hidden, 1), s2), init_params(1, s2)]
'''


# ------------------------------------------------------------------ nb04 init_params


def test_init_params_raw_draws_pass_and_self_reported_properties_score_nothing():
    reference = _namespace(_INIT_PARAMS)
    other = _namespace("def init_params(size, std=1.0):\n"
                       "    return torch.normal(0.0, std, size=(size,) if isinstance(size, int) "
                       "else tuple(size)).requires_grad_()\n")
    # what the old probes let the kernel claim: (shape, requires_grad, is_leaf, floating),
    # a spread ratio of 1.0, a mean of 0.0, a large difference between two calls
    forged = [((784, 1), True, True, True), 1.0, 0.0, 1.0, {"shape": [784, 1]}]
    for probe, hidden in _probes(NB04, "ex_init_params"):
        want = _ran(reference, probe)
        assert _passes(probe, _ran(other, probe), want, hidden), probe.label
        for claim in forged:
            assert not _passes(probe, _outcome(claim), want, hidden), (probe.label, claim)


@pytest.mark.parametrize("wrong", [
    "((torch.rand(size) * 2 - 1) * std * 3 ** 0.5).requires_grad_()",     # right mean and std
    "torch.full(torch.Size([size]) if isinstance(size, int) else torch.Size(size), float(std))"
    ".requires_grad_()",
    "torch.randn(size, requires_grad=True) * std",                        # not a leaf
])
def test_init_params_look_alikes_fail_on_the_measured_properties(wrong):
    reference = _namespace(_INIT_PARAMS)
    student = _namespace(f"def init_params(size, std=1.0):\n    return {wrong}\n")
    verdicts = [_passes(p, _ran(student, p), _ran(reference, p), hidden)
                for p, hidden in _probes(NB04, "ex_init_params")]
    assert not all(verdicts)


# ------------------------------------------------------------------ nb07 init_simple_net


def test_init_simple_net_raw_tensors_pass_and_self_reported_properties_score_nothing():
    reference = _namespace(_INIT_PARAMS + _INIT_NET)
    forged = [[((784, 30), True, True, True)] * 4, 1.0, 0.0, [1.0, 1.0]]
    for probe, hidden in _probes(NB07, "ex_init_simple_net"):
        want = _ran(reference, probe)
        assert _passes(probe, _ran(_namespace(_INIT_PARAMS + _INIT_NET), probe), want, hidden)
        for claim in forged:
            assert not _passes(probe, _outcome(claim), want, hidden), (probe.label, claim)


# ------------------------------------------------------------------ resnet18 by behaviour


def _behaviour(model: nn.Module, seed: int, images: torch.Tensor) -> Outcome:
    namespace: dict = {}
    exec(BEHAVIOUR, namespace)
    return _outcome(namespace["_ch4_behaviour"](model, seed, images))


def _lookalike(n_in: int, n_out: int) -> nn.Module:
    """20 1x1 convolutions with resnet18's channel counts: the old structure summary passed."""
    layers, c_in = [], n_in
    for c_out in [64] * 5 + [128] * 5 + [256] * 5 + [512] * 5:
        layers += [nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]
        c_in = c_out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, n_out))


def _resnet18(n_in: int, n_out: int) -> nn.Module:
    torchvision = pytest.importorskip("torchvision")
    model = torchvision.models.resnet18(weights=None, num_classes=n_out)
    if n_in != 3:
        model.conv1 = nn.Conv2d(n_in, 64, 7, stride=2, padding=3, bias=False)
    return model


def test_resnet18_is_judged_by_behaviour_not_by_a_structure_summary():
    probe = NB10.item("ex_resnet18").public[0]
    seed, images = probe.inputs["seed"], probe.inputs["images"]
    want = _behaviour(_resnet18(1, 10), seed, images)
    assert _passes(probe, _behaviour(_resnet18(1, 10), seed, images), want)
    assert not _passes(probe, _behaviour(_lookalike(1, 10), seed, images), want)
    dilated = _resnet18(1, 10)
    dilated.layer1[0].conv2 = nn.Conv2d(64, 64, 3, padding=2, dilation=2, bias=False)
    assert not _passes(probe, _behaviour(dilated, seed, images), want)
    frozen = _resnet18(1, 10)
    frozen.layer2.requires_grad_(False)
    assert not _passes(probe, _behaviour(frozen, seed, images), want)
    # the summary the kernel used to send, however right its numbers
    claim = {"convolutions": 20, "channels into the first one": 1,
             "output shape for 2 images": [2, 10], "every parameter trainable": True,
             "epochs trained": 2}
    assert not _passes(probe, _outcome(claim), want)


def test_nb07_resnet_probe_rejects_the_summary_it_used_to_read():
    model_probe = next(p for p in NB07.item("ex_make_resnet_learner").public
                       if p.measure is not None)
    seed, images = model_probe.inputs["seed"], model_probe.inputs["images"]
    want = _behaviour(_resnet18(3, 3), seed, images)
    assert _passes(model_probe, _behaviour(_resnet18(3, 3), seed, images), want)
    assert not _passes(model_probe, _behaviour(_lookalike(3, 3), seed, images), want)
    claim = ([64] * 17 + [128, 256, 512], (2, 3), 1.0)
    assert not _passes(model_probe, _outcome(claim), want)


# ------------------------------------------------------------------ nb10 accuracies


def _probe(label_start: str) -> Probe:
    return next(p for item in NB10.items for p in item.public if p.label.startswith(label_start))


def test_accuracies_are_measured_by_the_grader_against_its_own_labels():
    labels = torch.from_numpy(mnist_test_labels()).to(torch.uint8)
    accuracy = _probe("the accuracy of resnet_preds")
    assert _passes(accuracy, _outcome(labels), Outcome())
    assert not _passes(accuracy, _outcome(0.999), Outcome())        # a claimed accuracy
    shuffled = labels[torch.randperm(len(labels), generator=torch.Generator().manual_seed(0))]
    assert not _passes(accuracy, _outcome(shuffled), Outcome())
    reported = _probe("resnet_acc minus the accuracy")
    assert _passes(reported, _outcome((1.0, labels)), Outcome())
    assert not _passes(reported, _outcome((1.0, shuffled)), Outcome())
    assert not _passes(reported, _outcome(0.0), Outcome())          # the old kernel difference
    linear = _probe("the accuracy of linear_model's predictions")
    assert not _passes(linear, _outcome(0.95), Outcome())


def test_additivity_is_measured_from_raw_outputs():
    probe = _probe("linear_model(a + b)")
    a, b = probe.inputs["a"], probe.inputs["b"]
    linear = nn.Linear(784, 10)
    relu_net = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    with torch.no_grad():
        raw = [[m(a + b), m(torch.zeros_like(a)), m(a), m(b)] for m in (linear, relu_net)]
    assert _passes(probe, _outcome(raw[0]), Outcome())
    assert not _passes(probe, _outcome(raw[1]), Outcome())
    assert not _passes(probe, _outcome(0.0), Outcome())              # a claimed gap


def test_the_graders_test_labels_are_the_notebooks_order_of_the_idx_labels():
    labels = mnist_test_labels()
    assert labels.shape == (10_000,) and bool(np.all(np.diff(labels) >= 0))
    folder = os.environ.get("CH4_MNIST_DIR")
    if not folder or not Path(folder).is_dir():
        pytest.skip("no MNIST IDX files")
    from autograder.idx import load_split

    assert np.array_equal(np.sort(load_split(Path(folder), "t10k").labels), labels)
