"""Notebook 09's comparison items, judged the way ``ch4 grade`` judges them but in-process.

The kernel returns raw values only (parameters, reported numbers, printed text, one fit of the
learner's class); the grader's measures rebuild the models and evaluate them on held-out copies
of the validation images. Shown here: a record of the old kind (accuracies and a structure
dict of booleans claimed by the kernel) scores nothing, a model that looks the validation
images up scores nothing on the held-out copies, a Learner that also trains on the validation
batches loses the comparison items, and the reference's raw values pass.
"""

from __future__ import annotations

import copy
import functools
import json
import types

import numpy as np
import pytest
import torch
from mutants.nb09 import _LEARNER, MUTANTS
from torch import nn

from autograder.items import nb09, probing, runner, wire
from autograder.items.compare import WRONG_KIND, Outcome, measured
from autograder.items.selfcheck import outcome_of
from autograder.items.spec import NotebookSpec

KEY = "0" * 63 + "9"
ITEMS = ("ex_compare_linear", "ex_compare_simple_net")
_PRINTER = '''
class ProgressPrinter:
    def after_epoch(self, learn):
        a, b, c = learn.record[-1]
        print(f"epoch {learn.epoch}: train_loss {a:.4f} valid_loss {b:.4f} metric {c:.4f}")
'''
_VALID_TRAINING = next(src for _a, gid, what, src in MUTANTS
                       if gid == "ex_learner" and what == "also trains on the validation batches")


def _loss(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    probs = preds.sigmoid()
    return torch.where(targets == 1, 1 - probs, probs).mean()


def _train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, lr: float,
           seed: int) -> list[float]:
    """Minibatch SGD as the notebook trains (batches of 256, reshuffled every epoch)."""
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    order = torch.Generator().manual_seed(seed)
    record = []
    for _ in range(epochs):
        for index in torch.randperm(len(x), generator=order).split(256):
            _loss(model(x[index]), y[index]).backward()
            opt.step()
            opt.zero_grad()
        record.append(nb09._accuracy(list(model.parameters()), *nb09.validation_set()))
    return record


def _namespace(source: str) -> dict:
    namespace: dict = {"__name__": "__main__", "torch": torch}
    exec(compile(source + _PRINTER, "<answer>", "exec"), namespace)  # noqa: S102 - test code
    return namespace


@pytest.fixture(scope="module")
def trained(mnist_dir) -> dict:
    """The two models of each exercise trained here, and the namespaces a kernel would hold."""
    from autograder.idx import load_split

    torch.set_num_threads(1)
    split = load_split(mnist_dir, "train")
    keep = np.isin(split.labels, (3, 7))
    x = torch.from_numpy(split.images[keep]).float().div(255).view(-1, 784)
    y = torch.from_numpy((split.labels[keep] == 3).astype(np.float32)).unsqueeze(1)
    out = {}
    for arch, epochs, lr, seed in (("linear", 10, 1.0, 0), ("net", 40, 0.1, 1)):
        torch.manual_seed(seed)
        start = (nn.Linear(784, 1) if arch == "linear" else
                 nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 1)))
        models = [copy.deepcopy(start), copy.deepcopy(start)]
        records = [_train(m, x, y, epochs, lr, seed=10 + k) for k, m in enumerate(models)]
        out[arch] = (start, models, records)
    return out


def _kernel(arch: str, trained: dict, source: str = _LEARNER) -> dict:
    """What a notebook's kernel holds after exercise 3 or 4, with ``source``'s Learner."""
    start, (ours, theirs), (rec_ours, rec_theirs) = trained[arch]
    namespace = _namespace(source)
    suffix = "linear" if arch == "linear" else "net"
    learner = namespace["Learner"](ours, [], [], None, None, None,
                                   cbs=[namespace["ProgressPrinter"]()])
    learner.record = [(0.1, 0.1, a) for a in rec_ours]
    namespace.update({
        f"learn_{suffix}": learner,
        f"fastai_{suffix}": types.SimpleNamespace(model=theirs, n_epoch=len(rec_theirs)),
        f"acc_ours_{suffix}": rec_ours[-1], f"acc_fastai_{suffix}": rec_theirs[-1],
        f"start_{suffix}": start})
    return namespace


def _outcomes(namespace: dict, planned: list[probing.Planned]) -> list[Outcome]:
    return [outcome_of(json.loads(json.dumps(runner.run_probe(
        namespace, p.probe.setup, p.probe.code, wire.encode(p.probe.inputs)))))
        for p in planned]


def _planned(gid: str) -> list[probing.Planned]:
    return probing.plan(NotebookSpec("x", (nb09.SPEC.item(gid),)), KEY)[gid]


def _arch(gid: str) -> str:
    return "linear" if gid == "ex_compare_linear" else "net"


@pytest.fixture(scope="module")
def references(trained) -> dict:
    return {gid: _outcomes(_kernel(_arch(gid), trained), _planned(gid)) for gid in ITEMS}


@pytest.mark.parametrize("gid", ITEMS)
def test_the_reference_raw_values_pass_every_probe(trained, references, gid):
    planned = _planned(gid)
    verdict = probing.judge_item(nb09.SPEC.item(gid), planned, references[gid], references[gid])
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("gid", ITEMS)
def test_the_reference_models_clear_the_held_out_bounds_with_room(trained, gid):
    _start, (ours, theirs), _records = trained[_arch(gid)]
    bound = nb09.HELD_OUT_MINIMUM[_arch(gid)]
    for seed in (1, 2, 3):
        for model in (ours, theirs):
            accuracy = nb09._accuracy(list(model.parameters()), *nb09.held_out(seed))
            assert accuracy >= bound + 0.01, (gid, seed, accuracy)


@pytest.mark.parametrize("gid", ITEMS)
def test_a_forged_record_of_the_old_kind_scores_nothing(references, gid):
    """Accuracies of 0.99 and a structure dict of True, as the old probes returned them."""
    item, planned = nb09.SPEC.item(gid), _planned(gid)
    structure = {"ours is a Learner of your own class": True,
                 "the two models share parameters": False,
                 "a ProgressPrinter among our callbacks": True}
    for forged in (0.99, True, structure, [0.99, 0.99], [True] * 4, 0.0):
        got = [Outcome(value=forged)] * len(planned)
        assert not probing.judge_item(item, planned, got, references[gid]).passed
        hidden = [i for i, p in enumerate(planned) if p.hidden]
        for i in hidden:      # not one hidden probe passes on a forged value
            assert not probing.judge_item(item, [planned[i]], [got[i]],
                                          [references[gid][i]]).passed, (planned[i].probe.label,
                                                                          forged)


class _Lookup(nn.Module):
    """Recognises the validation images and answers from their labels; its Linear layer is
    the untrained starting model (what a model that never trained would export)."""

    def __init__(self, start: nn.Module):
        super().__init__()
        self.layer = copy.deepcopy(start)
        x, y = nb09.validation_set()
        self.table = {bytes(row.numpy().tobytes()): float(t) for row, t in zip(x, y,
                                                                                strict=True)}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        known = [self.table.get(bytes(row.numpy().tobytes())) for row in x]
        out = self.layer(x)
        return torch.stack([torch.tensor([20.0 if k else -20.0]) if k is not None else o
                            for k, o in zip(known, out, strict=True)])


def test_a_model_that_looks_the_validation_images_up_scores_nothing(trained, references):
    start, _models, _records = trained["linear"]
    lookup = _Lookup(start)
    x, y = nb09.validation_set()
    with torch.no_grad():
        assert float(((lookup(x).sigmoid() > 0.5).float() == y).float().mean()) == 1.0
    namespace = _kernel("linear", trained)
    namespace["learn_linear"].model = lookup
    namespace["fastai_linear"].model = _Lookup(start)
    namespace["acc_ours_linear"] = namespace["acc_fastai_linear"] = 1.0
    gid = "ex_compare_linear"
    planned = _planned(gid)
    got = _outcomes(namespace, planned)
    item = nb09.SPEC.item(gid)
    assert not probing.judge_item(item, planned, got, references[gid]).passed
    held_out = [i for i, p in enumerate(planned) if "held-out" in p.probe.label]
    assert len(held_out) == 2
    for i in held_out:
        assert not probing.judge_item(item, [planned[i]], [got[i]], [references[gid][i]]).passed


@pytest.mark.parametrize("gid", ITEMS)
def test_a_learner_that_also_trains_on_the_validation_batches_loses_the_item(trained,
                                                                            references, gid):
    planned = _planned(gid)
    got = _outcomes(_kernel(_arch(gid), trained, _VALID_TRAINING), planned)
    verdict = probing.judge_item(nb09.SPEC.item(gid), planned, got, references[gid])
    assert not verdict.passed
    assert "the class of" in verdict.message


def test_comparison_measures_refuse_garbage_with_a_neutral_failure():
    measures = (nb09.epochs_recorded, nb09.prints_like_the_printer, nb09.accuracy_gap,
                nb09.training_part, functools.partial(nb09.model_difference,
                                                      shapes=nb09.LINEAR_SHAPES),
                functools.partial(nb09.reported_minus_computed, shapes=nb09.NET_SHAPES),
                functools.partial(nb09.held_out_accuracy, shapes=nb09.LINEAR_SHAPES, seed=1))
    for measure in measures:
        for garbage in (None, 1, "x", [1], [[], []], {"a": 1}, [True, "x"]):
            result = measured(measure, Outcome(value=garbage))
            assert result.missing == WRONG_KIND or result.ok, (measure, garbage)
    short = [wire.Array(np.zeros((1, 783), np.float32), True)] * 2
    nan = [wire.Array(np.full((1, 784), np.nan, np.float32), True),
           wire.Array(np.zeros(1, np.float32), True)]
    for bad in (short, nan):
        with pytest.raises(ValueError):
            nb09.weights(bad, nb09.LINEAR_SHAPES)
