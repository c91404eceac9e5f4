"""Public checks for notebook 06 (an optimizer of our own, then fastai's SGD and Learner)."""

from __future__ import annotations

import torch
from torch import nn

from autograder.checks._common import (
    expect,
    expect_callable,
    expect_close,
    expect_number,
    fail,
    is_tensor,
)
from autograder.checks.nb05 import attempt, kept_random_state, plain, using_globals


def _zeroed(p: torch.Tensor) -> bool:
    return p.grad is None or float(p.grad.abs().sum()) == 0.0


def check_basic_optim(BasicOptim) -> None:  # noqa: N803 - the class the student wrote
    expect_callable(BasicOptim, "BasicOptim")
    a = torch.tensor([1.0, 2.0]).requires_grad_()
    b = torch.tensor([[3.0]]).requires_grad_()
    a.grad, b.grad = torch.tensor([0.5, -1.0]), torch.tensor([[2.0]])
    opt = attempt(BasicOptim, "BasicOptim(params, lr)", (p for p in (a, b)), 0.1)
    for method in ("step", "zero_grad"):
        expect(callable(getattr(opt, method, None)), f"BasicOptim should have a {method}() method")
    opt.step()
    expect_close(a, [0.95, 2.1], "the first parameter after one step (lr 0.1)",
                 hint="each parameter moves against its gradient: p -= p.grad * lr")
    expect_close(b, [[2.8]], "the second parameter after one step",
                 hint="step should update every parameter it was given")
    opt.step()
    expect_close(a, [0.9, 2.2], "the first parameter after a second step",
                 hint="model.parameters() is a generator that can be read only once: keep "
                      "list(params) in __init__")
    expect(is_tensor(a) and a.is_leaf and a.requires_grad,
           "step should change the parameters in place (p.data -= ..., or under torch.no_grad())")
    opt.zero_grad()
    expect(_zeroed(a) and _zeroed(b), "after zero_grad() every gradient should be None or zero")
    a.grad, b.grad = torch.tensor([1.0, 1.0]), torch.tensor([[1.0]])
    opt.step()
    expect_close(a, [0.8, 2.1], "a step after zero_grad() and new gradients")
    fast = BasicOptim([b], 1.0)
    fast.step()
    expect_close(b, [[1.5]], "a step with lr 1.0", hint="use the learning rate given to __init__")


class _RecordingOptimizer:
    """Stands in for ``opt``: records the calls and the gradients seen at each step."""

    def __init__(self, params):
        self.params = list(params)
        self.calls: list[str] = []
        self.seen: list = []

    def step(self):
        self.calls.append("step")
        self.seen.append([None if p.grad is None else p.grad.clone() for p in self.params])

    def zero_grad(self):
        self.calls.append("zero_grad")
        for p in self.params:
            p.grad = None


def check_train_epoch(train_epoch) -> None:
    expect_callable(train_epoch, "train_epoch")
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.5, -0.5]]))
        model.bias.fill_(0.1)
    batch = (torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), torch.tensor([[1], [0], [1]]))
    opt = _RecordingOptimizer(model.parameters())
    with using_globals(train_epoch, dl=[batch, batch, batch], opt=opt):
        attempt(train_epoch, "train_epoch(model)", model)
    steps = opt.calls.count("step")
    expect(steps == 3, f"for three batches opt.step() should run three times, it ran {steps} "
           "times: step once per batch, inside the loop")
    expect(opt.calls.count("zero_grad") == 3,
           "opt.zero_grad() should run once per batch, otherwise the gradients pile up")
    for grads in opt.seen:
        if any(g is None or float(g.abs().sum()) == 0.0 for g in grads):
            fail("when opt.step() ran the gradients were empty: compute them with calc_grad "
                 "first, step, and only then zero them")
    first = opt.seen[0]
    for later in opt.seen[1:]:
        for g0, g in zip(first, later, strict=True):
            expect_close(g, g0, "the gradients at each step (three identical batches)",
                         hint="zero the gradients after each step; they must not pile up")


def check_train_model(train_model) -> None:
    expect_callable(train_model, "train_model")
    log: list = []
    scores = iter([0.5, 0.625, 0.75, 0.875])
    model = object()

    def fake_train_epoch(m):
        log.append(("train", m is model))

    def fake_validate_epoch(m):
        log.append(("validate", m is model))
        return next(scores)

    with using_globals(train_model, train_epoch=fake_train_epoch,
                       validate_epoch=fake_validate_epoch):
        got = attempt(train_model, "train_model(model, 3)", model, 3)
    expect(all(same for _what, same in log), "train_model should pass its model on to "
           "train_epoch and validate_epoch")
    calls = [what for what, _same in log]
    expect(calls.count("train") == 3, f"train_model(model, 3) should train 3 epochs, it called "
           f"train_epoch {calls.count('train')} times")
    expect(calls == ["train", "validate"] * 3, "after each epoch of training train_model should "
           "measure the validation accuracy once (train_epoch, then validate_epoch)")
    expect(isinstance(got, list), f"train_model should return the list of accuracies, got "
           f"{type(got).__name__}")
    expect_close(got, [0.5, 0.625, 0.75], "the accuracies train_model returns",
                 hint="one per epoch, in order")


def check_make_learner(make_learner) -> None:
    expect_callable(make_learner, "make_learner")
    from fastai.data.core import DataLoaders
    from fastai.data.load import DataLoader
    from fastai.learner import Learner
    from fastai.optimizer import SGD

    with kept_random_state():
        x = torch.rand(8, 28 * 28)
        y = torch.tensor([[1], [0]] * 4)
        pairs = list(zip(x, y, strict=True))
        dls = DataLoaders(DataLoader(pairs, batch_size=4, shuffle=True),
                          DataLoader(pairs, batch_size=4))
        learn = attempt(make_learner, "make_learner(dls)", dls)
        other = make_learner(dls)
    expect(isinstance(learn, Learner), f"make_learner should return a fastai Learner, got "
           f"{type(learn).__name__}")
    expect(learn.dls is dls, "the Learner should use the DataLoaders passed to make_learner")
    expect(isinstance(learn.model, nn.Linear), f"the model should be nn.Linear(28*28, 1), got "
           f"{type(learn.model).__name__}")
    shape = tuple(learn.model.weight.shape)
    expect(shape == (1, 784) and learn.model.bias is not None,
           f"the model should be nn.Linear(28*28, 1): 784 inputs, 1 output and a bias; its "
           f"weight has shape {shape}")
    expect(other.model is not learn.model, "each call should build a new model, so that every "
           "Learner starts from fresh random parameters")
    expect(learn.opt_func is SGD, "opt_func should be fastai's SGD (from fastai.optimizer)")
    try:
        loss = learn.loss_func(torch.tensor([[2.0], [-1.0], [0.5]]),
                               torch.tensor([[1.0], [0.0], [0.0]]))
    except Exception as exc:  # noqa: BLE001 - reported in plain words
        fail(f"the Learner's loss_func raised {type(exc).__name__}: {exc}; use mnist_loss")
    loss = expect_number(plain(loss), "the Learner's loss")
    expect_close(loss, 0.3369, "the Learner's loss on three scores",
                 hint="loss_func should be mnist_loss (sigmoid, then torch.where)")
    metrics = list(learn.metrics)
    expect(len(metrics) == 1, f"the Learner should have one metric, batch_accuracy, got "
           f"{len(metrics)}")
    func = getattr(metrics[0], "func", None)
    expect(callable(func), "the metric should be the function batch_accuracy")
    scores = torch.tensor([[0.3], [0.2], [-0.4], [1.0], [-2.0], [-0.1]])
    targets = torch.tensor([[1], [1], [0], [1], [1], [0]])
    try:
        value = func(scores, targets)
    except Exception as exc:  # noqa: BLE001 - reported in plain words
        fail(f"the Learner's metric raised {type(exc).__name__}: {exc}; use batch_accuracy")
    value = expect_number(plain(value), "the Learner's metric")
    expect_close(value, 5 / 6, "the Learner's metric on six scores",
                 hint="metrics should be batch_accuracy (sigmoid, then > 0.5); fastai's "
                      "accuracy expects one column per class")
