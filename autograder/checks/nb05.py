"""Public checks for notebook 05 (mini-batches and the training loop written by hand)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import torch

from autograder.checks._common import (
    CheckFailed,
    expect,
    expect_callable,
    expect_close,
    expect_number,
    expect_tensor,
    fail,
    is_tensor,
)

_MISSING = object()


@contextmanager
def using_globals(fn, **names) -> Iterator[None]:
    """Run ``fn`` with some of its module globals (``dl``, ``valid_dl``, ...) replaced.

    The training functions of the chapter read the loaders from the notebook's globals; the
    checks swap in tiny loaders for the duration of a call and always put the originals back.
    """
    space = getattr(fn, "__globals__", None)
    if not isinstance(space, dict):
        fail("the function should be a plain Python function defined in the notebook (def ...)")
    saved = {name: space.get(name, _MISSING) for name in names}
    space.update(names)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is _MISSING:
                space.pop(name, None)
            else:
                space[name] = value


@contextmanager
def kept_random_state() -> Iterator[None]:
    """Leave Python's and PyTorch's random generators as they were (the notebook's figures)."""
    py_state, torch_state = random.getstate(), torch.get_rng_state()
    try:
        yield
    finally:
        random.setstate(py_state)
        torch.set_rng_state(torch_state)


def attempt(fn, call: str, *args):
    """Call ``fn(*args)``; an exception becomes a plain-words failure naming ``call``."""
    try:
        return fn(*args)
    except CheckFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - reported to the student in plain words
        fail(f"{call} raised {type(exc).__name__}: {exc}")


def _batches(loader, name: str) -> list:
    try:
        batches = list(loader)
    except Exception as exc:  # noqa: BLE001 - reported to the student in plain words
        fail(f"iterating over {name} raised {type(exc).__name__}: {exc}")
    for batch in batches:
        expect(isinstance(batch, (tuple, list)) and len(batch) == 2,
               f"each batch of {name} should be a pair (xb, yb)")
    return batches


def check_make_loaders(make_loaders) -> None:
    expect_callable(make_loaders, "make_loaders")
    from fastai.data.load import DataLoader

    x = torch.arange(30.0).view(10, 3)
    y = (torch.arange(10) % 2).view(10, 1)
    train, valid = list(zip(x, y, strict=True)), list(zip(x + 100, y, strict=True))
    with kept_random_state():
        result = attempt(make_loaders, "make_loaders(dset, valid_dset, bs=4)", train, valid, 4)
        expect(isinstance(result, tuple) and len(result) == 2,
               "make_loaders should return a tuple (dl, valid_dl)")
        dl, valid_dl = result
        for loader, name in ((dl, "dl"), (valid_dl, "valid_dl")):
            expect(isinstance(loader, DataLoader),
                   f"{name} should be fastai's DataLoader (from fastai.data.load), got "
                   f"{type(loader).__name__}")
        valid_batches = _batches(valid_dl, "valid_dl")
        expect([len(xb) for xb, _yb in valid_batches] == [4, 4, 2],
               "with bs=4 and 10 items the loaders should give batches of 4, 4 and 2 items: "
               "pass bs on as batch_size")
        xb, yb = valid_batches[0]
        expect_tensor(xb, "a batch of inputs", (4, 3))
        expect_tensor(yb, "a batch of labels", (4, 1))
        rows = torch.cat([b[0] for b in valid_batches])
        expect(bool(rows.min() >= 100), "valid_dl should load the validation set (the second "
               "argument) and dl the training set (the first)")
        expect_close(rows, x + 100, "the validation items in the order valid_dl gives them",
                     hint="do not shuffle the validation set: its order must not change")
        orders = []
        for _ in range(6):
            train_batches = _batches(dl, "dl")
            expect([len(b[0]) for b in train_batches] == [4, 4, 2],
                   "dl should also use batch size bs")
            xs = torch.cat([b[0] for b in train_batches])
            ys = torch.cat([b[1] for b in train_batches])
            expect(bool(xs.max() < 100), "dl should load the training set (the first argument)")
            firsts = [int(v) // 3 for v in xs[:, 0].tolist()]
            expect(sorted(firsts) == list(range(10)),
                   "each epoch of dl should give every training item exactly once")
            expect_close(ys.view(-1), [i % 2 for i in firsts], "the labels that come with xb",
                         hint="keep the (x, y) pairs together")
            orders.append(tuple(firsts))
        expect(len(set(orders)) > 1 and orders[0] != tuple(range(10)),
               "dl should shuffle the training set (a new order each epoch): shuffle=True")
        default_dl, _ = make_loaders(train, valid)
        expect(getattr(default_dl, "bs", None) == 256, "the default batch size should be 256")


def plain(value: object) -> object:
    """A tensor subclass (fastai's TensorBase) as a plain tensor; anything else unchanged."""
    if isinstance(value, torch.Tensor) and not is_tensor(value):
        return value.as_subclass(torch.Tensor)
    return value


def _tiny_model():
    w = torch.tensor([[1.0], [-1.0]]).requires_grad_()
    b = torch.tensor([0.0]).requires_grad_()
    return w, b, (lambda xb: xb @ w + b)


def check_calc_grad(calc_grad) -> None:
    expect_callable(calc_grad, "calc_grad")
    w, b, model = _tiny_model()
    xb = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    yb = torch.tensor([[1], [0], [1]])
    attempt(calc_grad, "calc_grad(xb, yb, model)", xb, yb, model)
    if w.grad is None or b.grad is None:
        fail("after calc_grad the parameters should have gradients: compute the loss of "
             "model(xb) with mnist_loss and call .backward() on it")
    expect_close(w, [[1.0], [-1.0]], "the weights after calc_grad",
                 hint="calc_grad only computes gradients; it must not change the parameters")
    expect_close(w.grad, [[-0.14887], [-0.01780]], "the gradient of the weights",
                 hint="loss = mnist_loss(model(xb), yb), predictions first, then targets")
    expect_close(b.grad, [-0.08333], "the gradient of the bias")
    attempt(calc_grad, "calc_grad(xb, yb, model)", xb, yb, model)
    expect_close(w.grad, [[-0.29774], [-0.03559]], "the gradient after a second call",
                 hint="calc_grad should add to the gradients, as backward() does; zeroing them "
                      "is the training loop's job")


def check_train_epoch(train_epoch) -> None:
    expect_callable(train_epoch, "train_epoch")
    w = torch.tensor([[0.5], [-0.5]]).requires_grad_()
    b = torch.tensor([0.0]).requires_grad_()
    batches = [(torch.tensor([[1.0, 0.0], [0.0, 2.0]]), torch.tensor([[1], [1]])),
               (torch.tensor([[2.0, 1.0], [0.0, 1.0]]), torch.tensor([[0], [0]]))]
    with using_globals(train_epoch, dl=batches):
        attempt(train_epoch, "train_epoch(model, 1.5, params)", lambda xb: xb @ w + b, 1.5, (w, b))
    expect(is_tensor(w) and w.is_leaf and w.requires_grad,
           "the parameters should stay leaf tensors that require grad: update them in place "
           "(under torch.no_grad(), or through .data)")
    for p, name in ((w, "weights"), (b, "bias")):
        if p.grad is not None and float(p.grad.abs().sum()) != 0.0:
            fail(f"after the epoch the gradient of the {name} is not zero: zero the gradients "
                 "after each step (p.grad.zero_()), otherwise they pile up from batch to batch")
    expect_close(w, [[0.44842], [-0.50584]], "the weights after one epoch on two tiny batches",
                 hint="for every batch: calc_grad, then p -= p.grad * lr for each parameter, "
                      "then zero the gradients")
    expect_close(b, [0.02295], "the bias after one epoch", hint="update every parameter in params")


def check_batch_accuracy(batch_accuracy) -> None:
    expect_callable(batch_accuracy, "batch_accuracy")
    xb = torch.tensor([[0.3], [0.2], [-0.4], [1.0], [-2.0], [-0.1]])
    yb = torch.tensor([[1], [1], [0], [1], [1], [0]])
    got = expect_number(plain(attempt(batch_accuracy, "batch_accuracy(xb, yb)", xb, yb)),
                        "batch_accuracy(xb, yb)")
    expect_close(got, 5 / 6, "batch_accuracy on six scores (five are right)",
                 hint="the inputs are raw scores: apply sigmoid, then call a prediction above "
                      "0.5 a 3, compare with the targets and take the mean")
    perfect = expect_number(plain(batch_accuracy(torch.tensor([[4.0], [-4.0]]),
                                                 torch.tensor([[1], [0]]))),
                            "batch_accuracy on two correct scores")
    expect_close(perfect, 1.0, "batch_accuracy on two correct scores")


def check_validate_epoch(validate_epoch) -> None:
    expect_callable(validate_epoch, "validate_epoch")
    # the model passes its inputs through: each input is already a score
    valid = [(torch.tensor([[1.0], [-1.0], [2.0]]), torch.tensor([[1], [0], [1]])),
             (torch.tensor([[1.0], [1.0], [-3.0]]), torch.tensor([[1], [0], [0]])),
             (torch.tensor([[1.0], [1.0], [1.0]]), torch.tensor([[1], [0], [0]]))]
    train = [(torch.tensor([[5.0], [-5.0]]), torch.tensor([[1], [0]]))]
    with using_globals(validate_epoch, dl=train, valid_dl=valid):
        got = attempt(validate_epoch, "validate_epoch(model)", lambda xb: xb)
    value = expect_number(got, "validate_epoch(model)")
    expect(isinstance(got, float), f"validate_epoch should return a Python float (.item()), "
           f"got {type(got).__name__}")
    if value == 1.0:
        fail("validate_epoch gave the accuracy on the training batches: measure it on valid_dl")
    expect_close(value, 0.6667, "validate_epoch on three batches (accuracies 1, 2/3 and 1/3)",
                 atol=1e-9, rtol=0,
                 hint="the mean of batch_accuracy over every batch of valid_dl, rounded to 4 "
                      "decimal places with round(..., 4)")
