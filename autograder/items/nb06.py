"""Items of notebook 06 (an optimizer of our own, then fastai's SGD and Learner).

Every probe starts from parameters with fixed values and fixed lists of batches, so training
is deterministic and is judged by the parameters (and losses) it leaves behind, compared with
the reference's. ``train_epoch`` reads ``dl`` and ``opt`` from the notebook: the probes bind
small batches and a library optimiser under those names (fastai's ``SGD``: the first
``torch.optim`` optimiser of a process costs seconds of imports), together with validation
batches that would move the parameters if they were trained on. ``train_model`` is probed with
stand-ins for ``train_epoch`` and ``validate_epoch`` that only count, so it is judged on the
order of the calls and on what it returns. Probes that build fastai objects seed the random
generators first and restore them afterwards. The kernel only returns raw values; the shapes of
the Learner's parameters are read here, in the grader (``learner_form``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.items.cells import CellSpec
from autograder.items.spec import Item, Part, Probe, close
from autograder.items.wire import Array

_KEPT = '''
import torch as _ch4_torch

from autograder.items.fixtures import seeded as _ch4_seeded


def _ch4_kept(call):
    return _ch4_seeded(call, 6)
'''

# ------------------------------------------------------------------ exercise 1: BasicOptim

# A scripted session with two parameters: steps, zero_grad, new gradients, a second optimiser.
_OPTIM = '''
import torch as _ch4_torch


def _ch4_size(p):
    return 0.0 if p.grad is None else float(p.grad.detach().abs().sum())


def _ch4_optim(a0, b0, ga, gb, ga2, gb2, lr, lr2):
    a, b = a0.clone().requires_grad_(), b0.clone().requires_grad_()
    a.grad, b.grad = ga.clone(), gb.clone()
    opt = BasicOptim((p for p in (a, b)), lr)
    now = lambda: [a.detach().clone(), b.detach().clone()]  # noqa: E731
    out = {}
    opt.step()
    out["after one step"] = now()
    opt.step()
    out["after a second step"] = now()
    opt.zero_grad()
    out["gradient sizes after zero_grad"] = [_ch4_size(a), _ch4_size(b)]
    out["parameters after zero_grad"] = now()
    a.grad, b.grad = ga2.clone(), gb2.clone()
    opt.step()
    out["after new gradients and a step"] = now()
    other = BasicOptim([b], lr=lr2)
    other.step()
    out["after a step of a second optimiser on one parameter"] = now()
    opt.step()
    out["after one more step of the first optimiser"] = now()
    return out
'''

# Plain SGD on a small regression, the parameters handed over as model.parameters().
_REGRESSION = '''
import torch as _ch4_torch


def _ch4_regression(x, t, w0, b0, lr, steps):
    model = _ch4_torch.nn.Linear(x.shape[1], 1)
    with _ch4_torch.no_grad():
        model.weight.copy_(w0)
        model.bias.copy_(b0)
    opt = BasicOptim(model.parameters(), lr=lr)
    seen = []
    for _ in range(steps):
        ((model(x) - t) ** 2).mean().backward()
        opt.step()
        opt.zero_grad()
        seen.append([model.weight.detach().clone(), model.bias.detach().clone(),
                     sum(0.0 if p.grad is None else float(p.grad.abs().sum())
                         for p in model.parameters())])
    return seen
'''

_OPTIM_HINT = ("step moves each parameter it was given against its gradient times lr, in place, "
               "on every call (a generator of parameters is used up after one pass); zero_grad "
               "only clears the gradients; each optimiser keeps its own parameters and lr")


def _t(array, dtype=np.float32) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array, dtype=dtype))


def _optim_probe(label: str, values: dict) -> Probe:
    inputs = {f"_ch4_{k}": v for k, v in values.items()}
    code = ("_ch4_optim(_ch4_a0, _ch4_b0, _ch4_ga, _ch4_gb, _ch4_ga2, _ch4_gb2, _ch4_lr, "
            "_ch4_lr2)")
    return Probe(label, code, inputs, close(atol=1e-6, rtol=1e-5), setup=_OPTIM,
                 hint=_OPTIM_HINT)


def _regression_probe(label: str, rng: np.random.Generator, k: int, lr: float,
                      steps: int) -> Probe:
    x = rng.standard_normal((16, k))
    t = x @ rng.standard_normal((k, 1)) + 0.3
    inputs = {"_ch4_x": _t(x), "_ch4_t": _t(t), "_ch4_w0": torch.zeros(1, k),
              "_ch4_b0": torch.zeros(1)}
    return Probe(label, f"_ch4_regression(_ch4_x, _ch4_t, _ch4_w0, _ch4_b0, {lr!r}, {steps})",
                 inputs, close(atol=1e-5, rtol=1e-4), setup=_REGRESSION, hint=_OPTIM_HINT,
                 whole="after each step, the model's weights, its bias and the size of their "
                       "gradients")


def _optim_values(rng: np.random.Generator, lr: float, lr2: float) -> dict:
    return {"a0": _t(rng.standard_normal(3)), "b0": _t(rng.standard_normal((2, 2))),
            "ga": _t(rng.standard_normal(3)), "gb": _t(rng.standard_normal((2, 2))),
            "ga2": _t(rng.standard_normal(3)), "gb2": _t(rng.standard_normal((2, 2))),
            "lr": lr, "lr2": lr2}


def _optim_hidden(rng: np.random.Generator) -> list[Probe]:
    lr = float(rng.uniform(0.02, 0.3))
    return [
        _optim_probe("BasicOptim with a hidden lr through steps, zero_grad and a second "
                     "optimiser", _optim_values(rng, lr, float(rng.uniform(1.5, 3.0)))),
        _regression_probe("BasicOptim(model.parameters(), lr=0.05): 12 steps of plain SGD on a "
                          "small regression", rng, 3, 0.05, 12),
    ]


_OPTIM_PUBLIC = _optim_probe(
    "BasicOptim with lr 0.1 through steps, zero_grad and a second optimiser with lr 1.0",
    {"a0": torch.tensor([1.0, 2.0]), "b0": torch.tensor([[3.0]]),
     "ga": torch.tensor([0.5, -1.0]), "gb": torch.tensor([[2.0]]),
     "ga2": torch.tensor([1.0, 1.0]), "gb2": torch.tensor([[1.0]]), "lr": 0.1, "lr2": 1.0})

# ------------------------------------------------------------------ exercise 2: train_epoch

# train_epoch with dl, valid_dl and opt bound: the model's parameters after each epoch.
_EPOCH = '''
import torch as _ch4_torch
from fastai.optimizer import SGD as _ch4_fastai_sgd

_ch4_model = _ch4_torch.nn.Linear(_ch4_w0.shape[1], 1)
with _ch4_torch.no_grad():
    _ch4_model.weight.copy_(_ch4_w0)
    _ch4_model.bias.copy_(_ch4_b0)
opt = _ch4_fastai_sgd(_ch4_model.parameters(), lr=_ch4_lr)


def _ch4_epochs(calls):
    after = []
    for _ in range(calls):
        train_epoch(_ch4_model)
        after.append({"weights": _ch4_model.weight.detach().clone(),
                      "bias": _ch4_model.bias.detach().clone()})
    return after
'''

_EPOCH_HINT = ("for every batch of dl, and only dl: the gradients with calc_grad, then a step of "
               "opt, then clear the gradients with opt, so that they never pile up")


def _epoch_probe(label: str, w0: torch.Tensor, b0: torch.Tensor, train: list, valid: list,
                 lr: float, calls: int) -> Probe:
    inputs = {"_ch4_w0": w0, "_ch4_b0": b0, "_ch4_lr": lr, "dl": train, "valid_dl": valid}
    return Probe(label, f"_ch4_epochs({calls})", inputs, close(atol=1e-5, rtol=1e-5),
                 setup=_EPOCH, hint=_EPOCH_HINT, whole="the parameters after each epoch")


def _batches(rng: np.random.Generator, sizes: tuple[int, ...], k: int) -> list:
    return [(_t(rng.random((n, k))), _t(rng.integers(0, 2, size=(n, 1)), np.int64))
            for n in sizes]


def _epoch_hidden(rng: np.random.Generator) -> list[Probe]:
    k = 4
    w0, b0 = _t(rng.standard_normal((1, k))), _t(rng.standard_normal(1))
    train, valid = _batches(rng, (5, 5, 3, 5), k), _batches(rng, (6, 2), k)
    lr = float(rng.uniform(0.4, 1.2))
    return [
        _epoch_probe("train_epoch on 4 batches of sizes 5, 5, 3, 5 (a hidden lr)", w0, b0,
                     train, valid, lr, 1),
        _epoch_probe("train_epoch twice in a row (lr 2.0)", w0, b0, train, valid, 2.0, 2),
        _epoch_probe("train_epoch on a single batch of one item", w0, b0,
                     _batches(rng, (1,), k), valid, 1.0, 1),
    ]


_EPOCH_TRAIN = [(torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), torch.tensor([[1], [0], [1]])),
                (torch.tensor([[2.0, -1.0], [0.5, 0.5]]), torch.tensor([[0], [1]])),
                (torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), torch.tensor([[1], [0], [1]]))]
_EPOCH_VALID = [(torch.tensor([[3.0, -1.0], [0.0, 4.0]]), torch.tensor([[1], [0]]))]

# ------------------------------------------------------------------ exercise 3: train_model

# Stand-ins that count: train_epoch adds an epoch to the model it is given (a dict), and
# validate_epoch returns a number that depends on how many epochs that model has had.
_MODEL = '''
_ch4_log = {"epochs": 0, "other models": 0, "validations": 0}
_ch4_model = {"name": "model"}


def train_epoch(model):
    if model is _ch4_model:
        _ch4_log["epochs"] += 1
    else:
        _ch4_log["other models"] += 1


def validate_epoch(model):
    if model is not _ch4_model:
        _ch4_log["other models"] += 1
    _ch4_log["validations"] += 1
    return round(0.5 + 0.0625 * _ch4_log["epochs"], 4)


def _ch4_runs(*epochs):
    results = [train_model(_ch4_model, n) for n in epochs]
    return {"returned": results, "epochs trained": _ch4_log["epochs"],
            "calls with another model": _ch4_log["other models"]}
'''
_MODEL_HINT = ("each epoch: train once, then measure the validation accuracy after that training; "
               "return a new list with one accuracy per epoch of this call, and pass the model on")


def _model_probe(label: str, epochs: tuple[int, ...]) -> Probe:
    args = ", ".join(str(n) for n in epochs)
    return Probe(label, f"_ch4_runs({args})", {}, close(atol=1e-9), setup=_MODEL,
                 hint=_MODEL_HINT,
                 parts=(Part("the accuracies train_model returns", key="returned"),
                        Part("the number of epochs it trained", "train once per epoch",
                             key="epochs trained"),
                        Part("the number of calls with another model than the one given",
                             "pass on the model you are given", key="calls with another model")))


def _model_hidden(rng: np.random.Generator) -> list[Probe]:
    n = int(rng.integers(4, 9))
    return [_model_probe("train_model(model, 0)", (0,)),
            _model_probe("train_model(model, 1)", (1,)),
            _model_probe("train_model(model, n) for a hidden n", (n,)),
            _model_probe("train_model called three times on the same model", (1, n, 2))]


# ------------------------------------------------------------------ exercise 4: make_learner

# A Learner from make_learner on small fixed data: its model's parameters as built, its loss on
# given scores, then the model reset to fixed values (a second Learner's to other values),
# validated, fitted, fitted again. Training runs without logging and without fastai's progress
# bar (its callback, named "progress", where the notebook's imports added one).
_LEARNER = _KEPT + '''
import contextlib as _ch4_contextlib
from fastai.data.core import DataLoaders as _ch4_DataLoaders
from fastai.data.load import DataLoader as _ch4_DataLoader


def _ch4_quiet(learn):
    stack = _ch4_contextlib.ExitStack()
    stack.enter_context(learn.no_logging())
    stack.enter_context(learn.removed_cbs([cb for cb in learn.cbs if cb.name == "progress"]))
    return stack


def _ch4_learner(tx, ty, vx, vy, w, b, w2, b2, scores, targets, epochs, lr):
    def call():
        dls = _ch4_DataLoaders(_ch4_DataLoader(list(zip(tx, ty)), bs=4),
                               _ch4_DataLoader(list(zip(vx, vy)), bs=3))
        learn = make_learner(dls)
        other = make_learner(dls)
        out = {"parameters as built": [p.detach().clone() for p in learn.model.parameters()],
               "loss on given scores": learn.loss_func(scores, targets)}
        with _ch4_torch.no_grad():
            for p, v in zip(learn.model.parameters(), (w, b)):
                p.copy_(v)
            for p, v in zip(other.model.parameters(), (w2, b2)):
                p.copy_(v)
        with _ch4_quiet(learn):
            out["validate before training"] = [float(v) for v in learn.validate()]
            learn.fit(epochs, lr=lr)
            out["parameters after fit"] = [p.detach().clone() for p in learn.model.parameters()]
            out["recorded values"] = [[float(v) for v in row] for row in learn.recorder.values]
            learn.fit(1, lr=lr)
            out["parameters after a second fit"] = [p.detach().clone()
                                                    for p in learn.model.parameters()]
            out["recorded values of the second fit"] = [[float(v) for v in row]
                                                        for row in learn.recorder.values]
        return out
    return _ch4_kept(call)
'''
_LEARNER_HINT = ("a Learner on the dls it is given, with a new linear model from 784 inputs to 1 "
                 "output for every call, fastai's SGD, mnist_loss as the loss and "
                 "batch_accuracy as the metric")


def learner_form(value: Any) -> dict:
    """Grader side: what the Learner probe returned, with the parameters as built replaced by
    their shapes (their values are random)."""
    if not isinstance(value, dict):
        raise TypeError("not the probe's record")
    built = value["parameters as built"]
    if not isinstance(built, list) or not all(isinstance(p, Array) for p in built):
        raise TypeError("not a list of tensors")
    shapes = [list(p.values.shape) for p in built]
    return {"parameter shapes": shapes} | {k: v for k, v in value.items()
                                           if k != "parameters as built"}


def _learner_probe(label: str, rng: np.random.Generator, n_train: int, n_valid: int,
                   epochs: int, lr: float) -> Probe:
    def data(n):
        y = rng.integers(0, 2, size=(n, 1))
        x = rng.random((n, 784)) * 0.1 + (y * 2 - 1) * rng.random((n, 784)) * 0.02
        return _t(x), _t(y, np.int64)

    tx, ty = data(n_train)
    vx, vy = data(n_valid)
    values = {"tx": tx, "ty": ty, "vx": vx, "vy": vy,
              "w": _t(rng.standard_normal((1, 784)) * 0.05), "b": _t(rng.standard_normal(1)),
              "w2": _t(rng.standard_normal((1, 784))), "b2": _t(rng.standard_normal(1) + 3.0),
              "scores": _t(rng.standard_normal((7, 1)) * 2),
              "targets": _t(rng.integers(0, 2, size=(7, 1)), np.int64)}
    args = ", ".join(f"_ch4_{k}" for k in values)
    return Probe(label, f"_ch4_learner({args}, {epochs}, {lr!r})",
                 {f"_ch4_{k}": v for k, v in values.items()}, close(atol=1e-4, rtol=1e-4),
                 setup=_LEARNER, hint=_LEARNER_HINT, measure=learner_form)


def _learner_hidden(rng: np.random.Generator) -> list[Probe]:
    lr = float(rng.uniform(0.3, 1.5))
    return [_learner_probe("make_learner: 3 epochs at a hidden lr, then one more fit",
                           rng, 13, 7, 3, lr)]


SPEC = CellSpec("06_optimizer_and_learner", (
    Item("ex_basic_optim", ("BasicOptim",), title="Exercise 1 (BasicOptim)",
         public=(_OPTIM_PUBLIC,), hidden=_optim_hidden),
    Item("ex_train_epoch", ("train_epoch",), title="Exercise 2 (train_epoch)", redefine=True,
         public=(_epoch_probe("train_epoch on three batches with fastai's SGD as opt (lr 0.7)",
                              torch.tensor([[0.5, -0.5]]), torch.tensor([0.1]), _EPOCH_TRAIN,
                              _EPOCH_VALID, 0.7, 1),),
         hidden=_epoch_hidden),
    Item("ex_train_model", ("train_model",), title="Exercise 3 (train_model)",
         public=(_model_probe("train_model(model, 3)", (3,)),
                 _model_probe("train_model called twice (2 epochs, then 3)", (2, 3))),
         hidden=_model_hidden),
    Item("ex_make_learner", ("make_learner",), title="Exercise 4 (make_learner)",
         public=(_learner_probe("make_learner: 2 epochs at lr 1.0, then one more fit",
                                np.random.default_rng(60), 10, 6, 2, 1.0),),
         hidden=_learner_hidden),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    "ex_basic_optim": (
        'Re-read "Creating an Optimizer": an optimizer object remembers the parameters and the '
        "learning rate; step moves every parameter against its gradient and zero_grad clears the "
        "gradients.",
        "model.parameters() is a generator, used up after one pass: kept as it is, the second "
        "step finds nothing to update, so keep a list. Each optimizer keeps its own parameters "
        "and lr (nothing at class level), and step does not clear gradients.",
        "With lr 0.1, a parameter at 2.0 whose gradient is 5.0 is at 1.5 after one step and at "
        "1.0 after a second step with the same gradient. After zero_grad its .grad is None or "
        "zeros and its value has not moved.",
    ),
    "ex_train_epoch": (
        'Re-read "Creating an Optimizer", where the training epoch is rewritten so that the '
        "optimizer object does the update and the clearing.",
        "Per batch, the gradients come first, then the optimizer's step, then its clearing. "
        "Clearing before the step throws the gradients away, never clearing lets them pile up. "
        "Use the notebook's opt and dl, not a new optimizer.",
        "With three batches, the optimizer should step three times and clear three times, "
        "alternating. To see it, give train_epoch a stand-in opt whose step and zero_grad print "
        "their names.",
    ),
    "ex_train_model": (
        'Re-read "Creating an Optimizer", where train_model repeats a training epoch and prints '
        "the validation accuracy after each one.",
        "Validate after the training of every epoch, not once at the end, and create the list "
        "inside the function, so that a second call starts empty instead of continuing the first "
        "call's list.",
        "Calling it for 1 epoch and then for 4 epochs on the same model should return a list of "
        "1 number and then a list of 4, each the result of validate_epoch right after that "
        "epoch's training.",
    ),
    "ex_make_learner": (
        "Re-read the end of \"Creating an Optimizer\", where fastai's Learner receives the "
        "DataLoaders, a model, an optimizer function, a loss function and a metric.",
        "opt_func takes the optimizer function itself (fastai's SGD), not an optimizer object, "
        "and the loss and metric go in by keyword. Create the model inside make_learner: a model "
        "built once outside is shared, so a second learner starts already trained.",
        "Calling make_learner twice should give two learners whose models start from different "
        "random weights and train independently; a linear layer from 784 inputs to 1 output has "
        "785 parameters.",
    ),
})
