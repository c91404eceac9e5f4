"""Items of notebook 04 (the MNIST data as vectors, the MNIST loss and sigmoid).

Random initialisation is judged by properties, not values, and every property is computed
here, in the grader, from the raw tensors the probes return (``Probe.measure``): the probes
only seed torch's generator in their setup (so a run is repeatable), call ``init_params`` and
put the generator's state back. The grader then reads the shape, the dtype, ``requires_grad``
(it travels with the tensor), whether ``.sum().backward()`` reached the tensor itself (a leaf),
the spread and centre of many draws, their share within one spread of the centre (a normal
distribution, not a uniform one) and whether two calls in a row differ (a seed set inside
``init_params`` makes them equal). The functions passed to ``grad_wrt_preds`` are small torch
lambdas written in the probe's setup, none of them the answer to another exercise.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from autograder.items.cells import CellSpec
from autograder.items.misconceptions import array, first, same
from autograder.items.spec import (
    Item,
    Misconception,
    Part,
    Probe,
    close,
    equal,
    returns,
)
from autograder.items.wire import Array

_TORCH = "import torch as _torch\n"
_LOSS_HINT = ("for a 3 (target 1) the loss is 1 - prediction, for a 7 (target 0) the "
              "prediction; then the mean over the batch")


def _f32(values: object) -> torch.Tensor:
    return torch.from_numpy(np.asarray(values, dtype=np.float32))


def _labels(rng: np.random.Generator, shape: tuple[int, ...]) -> torch.Tensor:
    return torch.from_numpy(rng.integers(0, 2, size=shape).astype(np.int64))


# ------------------------------------------------------------------ exercise 1: make_xy

def _make_xy(threes: torch.Tensor, sevens: torch.Tensor, what: str) -> Probe:
    return Probe(f"make_xy on {what}", "make_xy(threes, sevens)",
                 {"threes": threes, "sevens": sevens},
                 close(atol=1e-6, rtol=1e-6, scalar=False),
                 hint="x: the 3s then the 7s, each image flattened row by row to 784 values, "
                      "pixel values unchanged; y: a column of shape (n, 1), 1 for a 3 and 0 "
                      "for a 7; use the images you are given",
                 parts=(Part("the x you return", "the 3s then the 7s, each image flattened row "
                             "by row to 784 values, pixel values unchanged"),
                        Part("the y you return", "a column of shape (n, 1), 1 for a 3 and 0 "
                             "for a 7")))


def _faint(rng: np.random.Generator, count: int) -> torch.Tensor:
    return _f32(rng.random((count, 28, 28)) * 0.8)


def _make_xy_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_make_xy(_faint(rng, 4), _faint(rng, 6), "4 threes and 6 sevens"),
            _make_xy(_faint(rng, 1), _faint(rng, 6), "a single 3 and 6 sevens"),
            _make_xy(_faint(rng, 3), _faint(rng, 1), "3 threes and a single 7")]


# ------------------------------------------------------------------ exercise 2: make_dataset

def dataset_form(value: Any) -> tuple:
    """Grader side: the container's kind, its elements' kinds, and the values (lists and tuples
    arrive as exactly what they were; anything else as an opaque object)."""
    kinds = [type(e).__name__ for e in value] if isinstance(value, list | tuple) else []
    return (type(value).__name__, kinds, value)


def _make_dataset(x: torch.Tensor, y: torch.Tensor, what: str) -> Probe:
    return Probe(f"make_dataset on {what}", "make_dataset(x, y)",
                 {"x": x, "y": y}, close(atol=0, rtol=0, dtype="kind"),
                 hint="a list with one tuple (x[i], y[i]) per row, in order",
                 measure=dataset_form,
                 parts=(Part("the kind of container you return", "a plain list"),
                        Part("the kind of each element", "one tuple per row"),
                        Part("the pairs you return", "(x[i], y[i]) for every row, in order")))


def _make_dataset_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_make_dataset(_f32(rng.random((9, 5))), _labels(rng, (9, 1)), "9 rows"),
            _make_dataset(_f32(rng.random((4, 784))), _labels(rng, (4, 1)),
                          "4 flattened images"),
            _make_dataset(_f32(rng.random((1, 3))), _labels(rng, (1, 1)), "a single row")]


# ------------------------------------------------------------------ exercise 3: init_params

_SEEDED = """import torch as _torch
import warnings as _warnings
_state = _torch.get_rng_state()
_torch.manual_seed({seed})
try:
    _p = {call}
finally:
    _torch.set_rng_state(_state)


def _grad_of_sum(p):
    if not getattr(p, "requires_grad", False):
        return None
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        p.sum().backward()
        return p.grad
"""


def _tensor(value: Any) -> np.ndarray:
    """The values of a tensor the kernel returned (anything else fails the probe)."""
    if not isinstance(value, Array) or not value.torch:
        raise TypeError("not a tensor")
    return value.values


def init_form(value: Any) -> dict:
    """Grader side, from ``(tensor, its .grad after tensor.sum().backward())``: the shape, float
    values, requires_grad (part of the raw tensor) and whether the backward pass reached the
    tensor itself (a leaf gets a .grad of ones)."""
    tensor, grad = value
    values = _tensor(tensor)
    leaf = isinstance(grad, Array) and grad.values.shape == values.shape \
        and bool(np.all(grad.values == 1))
    return {"the shape of the tensor you return": list(values.shape),
            "whether it holds floats": bool(np.issubdtype(values.dtype, np.floating)),
            "whether it requires grad": bool(tensor.requires_grad),
            "whether it is a leaf with its own .grad": leaf}


def init_draws(value: Any) -> dict:
    """Grader side, from the raw draws: their spread (on a log scale), their centre in units
    of the spread, and the share within one spread of the centre (about 0.683 for normal
    draws, 0.577 for uniform ones)."""
    values = _tensor(value).astype(np.float64).reshape(-1)
    if values.size < 100:
        raise ValueError("too few draws")
    with np.errstate(all="ignore"):
        spread, centre = float(values.std()), float(values.mean())
        return {"the log of the draws' spread": math.log(spread) if spread > 0 else -math.inf,
                "the draws' centre / spread": centre / spread if spread > 0 else math.inf,
                "the share of draws within one spread of their centre":
                    float(np.mean(np.abs(values - centre) < spread))}


def init_fresh(value: Any) -> float:
    """Grader side, from the results of two calls in a row: the share of their entries that
    differ (every call draws new numbers)."""
    first, second = (_tensor(v) for v in value)
    if first.shape != second.shape or first.size == 0:
        raise ValueError("two calls gave different shapes")
    return float(np.mean(first != second))


def _init_form(call: str, seed: int, label: str) -> Probe:
    return Probe(f"{label}: shape, floats, requires_grad, leaf", "(_p, _grad_of_sum(_p))",
                 compare=equal(), setup=_SEEDED.format(seed=seed, call=call),
                 hint="a float tensor of the given size that requires grad and is a leaf: "
                      "scale first, then switch on gradients", measure=init_form)


def _init_draws(call: str, seed: int, label: str) -> Probe:
    return Probe(f"the spread, centre and shape of the draws of {label}", "_p",
                 compare=close(atol=0.05, rtol=0), setup=_SEEDED.format(seed=seed, call=call),
                 hint="normal random numbers (centred on 0, not uniform ones) multiplied by "
                      "std (not std squared, not added)", measure=init_draws)


def _init_fresh(call: str, seed: int, label: str) -> Probe:
    return Probe(f"two calls of {label} in a row: do they differ", "_p",
                 compare=close(atol=0.05, rtol=0),
                 setup=_SEEDED.format(seed=seed, call=f"({call}, {call})"),
                 hint="every call draws new random numbers: do not set a seed inside",
                 measure=init_fresh)


def _init_hidden(rng: np.random.Generator) -> list[Probe]:
    seed = int(rng.integers(0, 2**31))
    std1 = float(np.round(rng.uniform(1.5, 4.0), 3))
    std2 = float(np.round(rng.uniform(0.005, 0.05), 4))
    big, grid = f"init_params((30000,), {std1})", f"init_params((200, 150), std={std2})"
    big_label = "init_params on a hidden 1-D size and std"
    grid_label = "init_params on a hidden 2-D size with std= as a keyword"
    return [_init_form(big, seed, big_label), _init_form(grid, seed + 1, grid_label),
            _init_form("init_params(5)", seed + 2, "init_params(5)"),
            _init_draws(big, seed + 3, big_label), _init_draws(grid, seed + 4, grid_label),
            _init_fresh(f"init_params((3, 4), {std2})", seed + 7,
                        "init_params((3, 4)) with a hidden std"),
            _init_fresh("init_params(300)", seed + 8, "init_params(300)")]


# ------------------------------------------------------------------ exercise 4: linear1

def _linear(xb: torch.Tensor, w: torch.Tensor, b: torch.Tensor, what: str) -> Probe:
    return Probe(f"linear1 on {what}", "linear1(xb, weights, bias)",
                 {"xb": xb, "weights": w, "bias": b}, close(atol=1e-4, rtol=1e-4, scalar=False),
                 hint="one score per row, shape (n, 1): a matrix product with the "
                      "weights, then the bias")


def _linear_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = [_linear(_f32(rng.random((n, k))), _f32(rng.standard_normal((k, 1))),
                      _f32(rng.standard_normal(1)), f"{n} rows of {k} values")
              for n, k in ((7, 784), (3, 10), (1, 5))]
    probes.append(Probe(
        "the gradients of linear1's sum with respect to the weights and the bias",
        "(_out, weights.grad, bias.grad)",
        {"xb": _f32(rng.random((4, 6))),
         "weights": _f32(rng.standard_normal((6, 1))).requires_grad_(),
         "bias": _f32(rng.standard_normal(1)).requires_grad_()},
        close(atol=1e-4, rtol=1e-4, scalar=False),
        setup="_out = linear1(xb, weights, bias)\n_out.sum().backward()\n",
        hint="use the weights and bias themselves so that training can change them",
        parts=("the scores linear1 returns", "weights.grad after a backward pass of their sum",
               "bias.grad after a backward pass of their sum")))
    return probes


# ------------------------------------------------------------------ exercise 5: accuracy

def _accuracy(preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    return Probe(f"accuracy_from_preds on {what}", "accuracy_from_preds(preds, targets)",
                 {"preds": preds, "targets": targets}, close(atol=1e-6, rtol=1e-6),
                 hint="a score above 0 (not equal to 0) means 'a 3'; the share of "
                      "predictions that match their targets, one number")


def _accuracy_hidden(rng: np.random.Generator) -> list[Probe]:
    scores = rng.standard_normal((50, 1))
    scores[rng.choice(50, 6, replace=False)] = 0.0
    preds = _f32(scores)
    flat = _f32(rng.standard_normal(20) * 3)
    return [_accuracy(preds, _labels(rng, (50, 1)), "50 scores, a few exactly 0"),
            _accuracy(preds, (preds > 0).float(), "perfect scores with float targets"),
            _accuracy(flat, _labels(rng, (20,)), "20 scores as a flat vector"),
            _accuracy(_f32([[0.3]]), torch.tensor([[0]]), "a single wrong prediction")]


# ------------------------------------------------------------------ exercise 6: grad_wrt_preds

def with_grad_flags(value: Any) -> list:
    """Grader side: every element of a returned tuple or list followed by its requires_grad
    flag (the flag travels with a raw tensor; None for anything else)."""
    if not isinstance(value, list | tuple):
        raise TypeError("not a sequence")
    return [x for v in value for x in (v, v.requires_grad if isinstance(v, Array) else None)]


_PLAIN = "return the gradient as a plain tensor, not one that is part of a graph"
_ALONE = "work on a detached copy of preds: the caller's preds is left alone"
GRADS_PARTS = (Part("the gradient your first call returns"),
               Part("whether that gradient requires grad", _PLAIN),
               Part("the gradient a second call returns",
                    "gradients add up in .grad: each call needs its own fresh copy of preds"),
               Part("whether that second gradient requires grad", _PLAIN),
               Part("your input preds after the calls", _ALONE),
               Part("whether your input preds requires grad after the calls", _ALONE))


def none_as_zeros(value: Any) -> Any:
    """Grader side, from ``(result, preds)``: None stands for a gradient of zeros (both are
    accepted where autograd cannot follow)."""
    result, preds = value
    if result is None:
        return Array(np.zeros_like(_tensor(preds)), True)
    return result


def is_none(value: Any) -> bool:
    """Grader side: whether the call returned None."""
    return value is None


def _grads(fn: str, preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    return Probe(f"grad_wrt_preds of {what}, called twice",
                 "(grad_wrt_preds(_fn, preds, targets), grad_wrt_preds(_fn, preds, targets), "
                 "preds)", {"preds": preds, "targets": targets},
                 close(atol=1e-5, rtol=1e-5), setup=_TORCH + f"_fn = lambda p, t: {fn}\n",
                 hint="the gradient with respect to a fresh copy of preds: the same on every "
                      "call, and the caller's preds left alone", measure=with_grad_flags,
                 parts=GRADS_PARTS)


def _no_grad(fn: str, preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    return Probe(f"grad_wrt_preds of {what} (a result autograd cannot follow)",
                 "(grad_wrt_preds(_fn, preds, targets), preds)",
                 {"preds": preds, "targets": targets},
                 close(atol=0, rtol=0), setup=_TORCH + f"_fn = lambda p, t: {fn}\n",
                 hint="when the result does not require grad, return None instead of "
                      "calling backward()", measure=none_as_zeros)


def _returns_none(fn: str, preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    """The prose asks for None where autograd cannot follow: a tensor of zeros would claim a
    gradient that was never computed (hidden only: the public probe's recorded value stays)."""
    return Probe(f"grad_wrt_preds of {what} (a result autograd cannot follow): returns None",
                 "grad_wrt_preds(_fn, preds, targets)", {"preds": preds, "targets": targets},
                 equal(), setup=_TORCH + f"_fn = lambda p, t: {fn}\n",
                 hint="when the result does not require grad, return None (not zeros) instead "
                      "of calling backward()", measure=is_none)


def _grad_hidden(rng: np.random.Generator) -> list[Probe]:
    p = _f32(rng.standard_normal((8, 1)))
    t = _labels(rng, (8, 1)).float()
    base = _f32(rng.standard_normal((5, 1))).requires_grad_()
    return [_grads("((p - t) ** 2).mean()", p, t, "the squared error"),
            _grads("_torch.sigmoid(p * 3).sum()", p, t, "a sum of sigmoids"),
            _no_grad("(p.abs() > 1).float().sum()", p, t, "a count of large scores"),
            _returns_none("(p > 0).float().mean()", p, t, "a share of positive scores"),
            Probe("grad_wrt_preds on predictions computed from a tracked tensor",
                  "(grad_wrt_preds(_fn, preds, targets), _base.grad)",
                  {"_base": base, "targets": _f32(rng.standard_normal((5, 1)))},
                  close(atol=1e-5, rtol=1e-5),
                  setup=_TORCH + "_fn = lambda p, t: (p * t).sum()\npreds = _base * 2\n",
                  hint="differentiate with respect to preds itself (a detached copy), not "
                       "with respect to whatever it was computed from",
                  parts=("the gradient grad_wrt_preds returns",
                         "the .grad of the tensor that preds was computed from"))]


# ------------------------------------------------------------------ exercises 7-9: losses

def _loss(name: str, preds: torch.Tensor, targets: torch.Tensor, what: str,
          hint: str = _LOSS_HINT) -> Probe:
    return Probe(f"{name} on {what}", f"{name}(preds, targets)",
                 {"preds": preds, "targets": targets}, close(atol=1e-5, rtol=1e-5), hint=hint)


def _loss_v1_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_loss("mnist_loss_v1", _f32(rng.random((30, 1))), _labels(rng, (30, 1)),
                  "30 predictions in a column"),
            _loss("mnist_loss_v1", _f32(rng.random(12)), _labels(rng, (12,)),
                  "12 predictions in a flat vector"),
            _loss("mnist_loss_v1", _f32(rng.random((7, 1))), _labels(rng, (7, 1)).float(),
                  "float targets"),
            _loss("mnist_loss_v1", _f32([[0.25]]), torch.tensor([[0]]), "a single 7")]


def _sigmoid(x: torch.Tensor, what: str, hint: str = "") -> Probe:
    return Probe(f"sigmoid on {what}", "(sigmoid(x), x)", {"x": x},
                 close(atol=1e-6, rtol=1e-5, scalar=False),
                 hint=hint or "the sigmoid formula of the chapter, element by element, same "
                              "shape as x",
                 parts=returns("sigmoid values", "x"))


def _sigmoid_hidden(rng: np.random.Generator) -> list[Probe]:
    mixed = _f32(np.concatenate([rng.standard_normal(40) * 4, [-30.0, 30.0, 0.0]]))
    huge = float(np.round(rng.uniform(750, 5000)))
    extreme = _f32([-huge, -200.0, -100.0, -89.5, -88.7, 88.7, 89.5, 100.0, 200.0, huge])
    return [_sigmoid(mixed, "43 values between about -15 and 15"),
            _sigmoid(_f32(rng.standard_normal((3, 4)) * 2), "a 3x4 tensor"),
            _sigmoid(extreme, "scores far from 0 (beyond +-88)",
                     "very large positive or negative scores must give values near 1 or 0, "
                     "never NaN or an error: think about which exponential overflows"),
            _sigmoid(torch.from_numpy(rng.standard_normal(6) * 3), "a float64 vector"),
            Probe("the gradient of sigmoid's sum", "(_s, x.grad)",
                  {"x": _f32(rng.standard_normal(8) * 2).requires_grad_()},
                  close(atol=1e-6, rtol=1e-5, scalar=False),
                  setup="_s = sigmoid(x)\n_s.sum().backward()\n",
                  hint="compute with torch operations so autograd can follow",
                  parts=("the values sigmoid returns",
                         "x.grad after a backward pass of their sum"))]


def _loss_hidden(rng: np.random.Generator) -> list[Probe]:
    hint = "squash the scores with sigmoid first, then the same rule as mnist_loss_v1"
    return [_loss("mnist_loss", _f32(rng.standard_normal((25, 1)) * 3), _labels(rng, (25, 1)),
                  "25 scores in a column", hint),
            _loss("mnist_loss", _f32(rng.standard_normal(9) * 3), _labels(rng, (9,)),
                  "9 scores in a flat vector", hint),
            _loss("mnist_loss", _f32(rng.standard_normal((6, 1))), _labels(rng, (6, 1)).float(),
                  "float targets", hint),
            _loss("mnist_loss", _f32([[200.0], [-200.0], [1000.0], [-1000.0]]),
                  torch.tensor([[1], [0], [0], [1]]), "scores far from 0",
                  "very confident scores must give a loss near 0 when right and near 1 when "
                  "wrong, never NaN"),
            Probe("the gradient of mnist_loss for 3s", "(_l, preds.grad)",
                  {"preds": _f32(rng.standard_normal((6, 1))).requires_grad_(),
                   "targets": torch.ones(6, 1)}, close(atol=1e-5, rtol=1e-5, scalar=False),
                  setup="_l = mnist_loss(preds, targets)\n_l.backward()\n",
                  hint="for a 3 a higher score should lower the loss; use torch operations "
                       "so autograd can follow",
                  parts=("the loss mnist_loss returns",
                         "preds.grad after a backward pass of that loss"))]


_THREES = torch.arange(2 * 784, dtype=torch.float32).view(2, 28, 28) / 2000
_SEVENS = torch.arange(3 * 784, dtype=torch.float32).flip(0).view(3, 28, 28) / 5000

SPEC = CellSpec("04_mnist_loss_and_sigmoid", (
    Item("ex_make_xy", ("make_xy",), title="Exercise 1 (make_xy)",
         public=(_make_xy(_THREES, _SEVENS, "2 threes and 3 sevens"),),
         hidden=_make_xy_hidden),
    Item("ex_make_dataset", ("make_dataset",), title="Exercise 2 (make_dataset)",
         public=(_make_dataset(torch.arange(6.0).view(3, 2), torch.tensor([[1], [0], [1]]),
                               "3 rows"),),
         hidden=_make_dataset_hidden),
    Item("ex_init_params", ("init_params",), title="Exercise 3 (init_params)",
         public=(_init_form("init_params((784, 1))", 1, "init_params((784, 1))"),
                 _init_form("init_params(1)", 2, "init_params(1)"),
                 _init_draws("init_params(10000, std=0.1)", 3, "init_params(10000, std=0.1)"),
                 _init_draws("init_params(10000)", 4, "init_params(10000)"),
                 _init_fresh("init_params(500)", 5, "init_params(500)")),
         hidden=_init_hidden),
    Item("ex_linear1", ("linear1",), title="Exercise 4 (linear1)",
         public=(_linear(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]),
                         torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0.5]),
                         "2 rows of 3 values"),),
         hidden=_linear_hidden),
    Item("ex_accuracy_from_preds", ("accuracy_from_preds",),
         title="Exercise 5 (accuracy_from_preds)",
         public=(_accuracy(torch.tensor([[2.0], [-1.0], [0.5], [-3.0]]),
                           torch.tensor([[1], [0], [0], [0]]), "4 scores"),
                 _accuracy(torch.tensor([[0.0], [1.0], [-2.0]]), torch.tensor([[0], [1], [1]]),
                           "3 scores, one exactly 0")),
         hidden=_accuracy_hidden),
    Item("ex_grad_wrt_preds", ("grad_wrt_preds",), title="Exercise 6 (grad_wrt_preds)",
         public=(_grads("(3 * p).sum()", torch.tensor([[2.0], [-1.0], [0.5]]),
                        torch.tensor([[1], [0], [0]]), "(3 * preds).sum()"),
                 _no_grad("(p > t).float().mean()", torch.tensor([[2.0], [-1.0], [0.5]]),
                          torch.tensor([[1], [0], [0]]), "a comparison")),
         hidden=_grad_hidden),
    Item("ex_mnist_loss_v1", ("mnist_loss_v1",), title="Exercise 7 (mnist_loss_v1)",
         public=(_loss("mnist_loss_v1", torch.tensor([0.9, 0.4, 0.2]), torch.tensor([1, 0, 1]),
                       "[0.9, 0.4, 0.2] with targets [1, 0, 1]"),),
         hidden=_loss_v1_hidden),
    Item("ex_sigmoid", ("sigmoid",), title="Exercise 8 (sigmoid)",
         public=(_sigmoid(torch.tensor([-2.0, 0.0, 2.0]), "[-2, 0, 2]"),),
         hidden=_sigmoid_hidden),
    Item("ex_mnist_loss", ("mnist_loss",), needs=("ex_sigmoid",), title="Exercise 9 (mnist_loss)",
         public=(_loss("mnist_loss", torch.tensor([2.0, -1.0, 0.5]), torch.tensor([1, 0, 0]),
                       "scores [2, -1, 0.5] with targets [1, 0, 0]",
                       "squash the scores with sigmoid first, then the same rule as before"),
                 _loss("mnist_loss", torch.tensor([50.0, -50.0]), torch.tensor([1, 0]),
                       "very confident, correct scores",
                       "very confident correct predictions give a loss near 0")),
         hidden=_loss_hidden),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    "ex_make_xy": (
        'Re-read "The MNIST Loss Function", where the training images are flattened into one row '
        "of pixels each and the labels become a column, 1 for a 3 and 0 for a 7.",
        "Order matters: the rows of x are all the 3s and then all the 7s, and y lists the labels "
        "in that same order. y must be a column of shape (n, 1), not a flat vector, so that it "
        "lines up with the model's one score per image.",
        "For 4 threes and 2 sevens, x has shape (6, 784) and y is [[1], [1], [1], [1], [0], "
        "[0]]. Look up torch.cat to join two stacks, and unsqueeze to turn a vector into a "
        "column.",
    ),
    "ex_make_dataset": (
        'Re-read "The MNIST Loss Function": a PyTorch dataset is anything that gives back an '
        "(input, label) pair when indexed, and a plain list of tuples qualifies.",
        "The result must be a list (a zip object can be read once only and cannot be indexed), "
        "with one tuple per row, in row order. Pairing the whole x with the whole y gives one "
        "tuple instead of n.",
        "For x of shape (3, 784) and y of shape (3, 1), the dataset has length 3, and its item 0 "
        "is a tuple whose two parts have shapes (784,) and (1,).",
    ),
    "ex_init_params": (
        'Re-read "The MNIST Loss Function", where the weights start as random numbers from a '
        "normal distribution, scaled by a standard deviation, and ask for gradients.",
        "Switching gradients on before scaling makes the result the output of an operation, not "
        "a leaf, so backward leaves its .grad empty. Other slips: uniform draws instead of "
        "normal ones, adding std instead of multiplying, or a fixed seed so that every call "
        "repeats.",
        "With std=0.1 and 10,000 draws, the mean should be near 0 and the standard deviation "
        "near 0.1, and the result should report requires_grad=True and is_leaf=True. Print those "
        "four things for your function before running the check.",
    ),
    "ex_linear1": (
        'Re-read "The MNIST Loss Function", where each image gets one score, a weighted sum of '
        "its pixels plus a bias, computed for the whole batch at once with a matrix product.",
        "Element-wise * is not a matrix product: it multiplies matching positions and gives the "
        "wrong shape. The bias is added after the product, to every row; use the weights and "
        "bias passed in as arguments.",
        "Shapes to expect: (n, 784) times (784, 1) gives (n, 1), and a bias of shape (1,) "
        "broadcasts over it. By hand: the row [1, 2] with weights [[3], [4]] and bias 0.5 scores "
        "11.5.",
    ),
    "ex_accuracy_from_preds": (
        'Re-read "The MNIST Loss Function", where the accuracy of the linear model is computed: '
        'a score above zero is read as "a 3", and the accuracy is the share of decisions that '
        "match the labels.",
        "Two slips: counting a score of exactly 0 as a 3 (the rule is strictly above 0), and "
        "comparing tensors of different shapes, which broadcasting silently turns into a grid "
        "that compares every prediction with every target.",
        "Scores [1.5, -0.2, 0.0, 3.0] with targets [1, 0, 1, 0] give decisions [1, 0, 0, 1]: two "
        "of four right, an accuracy of 0.5. Bools become numbers with .float() before a mean.",
    ),
    "ex_grad_wrt_preds": (
        'Re-read the part of "The MNIST Loss Function" that explains why accuracy cannot be the '
        "loss: a function of the scores helps SGD only if autograd can follow it back to them.",
        "A comparison such as > gives a result that does not require grad, and calling backward "
        "on it raises an error: check that first and answer None. As in notebook 03, "
        "differentiate a fresh copy of preds so that repeated calls agree.",
        "For fn = the mean of preds**2 at preds [1, -2], the gradient is [1, -2] (2x divided by "
        "2 elements), the same on every call; for fn = the mean of (preds > 0) as floats, the "
        "answer is None.",
    ),
    "ex_mnist_loss_v1": (
        'Re-read "The MNIST Loss Function", where a first loss measures for every image how far '
        "its prediction is from its target, picking the formula per image with torch.where.",
        "The condition is about the target (is it 1?), not the prediction. The branch for a 3 is "
        "the distance below 1, the branch for a 7 the prediction itself; then one number, the "
        "mean over the batch.",
        "Predictions [0.7, 0.1, 0.6] with targets [1, 0, 0] give per-image losses 0.3, 0.1 and "
        "0.6, and a loss of 1.0/3, about 0.333.",
    ),
    "ex_sigmoid": (
        'Re-read "Sigmoid": it squashes any score into the range between 0 and 1, smoothly and '
        "always increasing, and sends 0 to exactly 0.5.",
        "Use PyTorch's exponential on the tensor (math.exp takes one Python number, NumPy breaks "
        "autograd), and keep the minus sign inside the exponential: without it the curve runs "
        "the wrong way.",
        "Values to check: sigmoid(0) is 0.5, sigmoid(1) about 0.731, sigmoid(-1) about 0.269, "
        "and the values at x and -x always add up to 1. The output has the input's shape, and "
        "the input is not changed.",
    ),
    "ex_mnist_loss": (
        'Re-read the end of "Sigmoid", where the MNIST loss is changed to squash the raw scores '
        "before measuring how far they are from the targets.",
        "The squashing comes first and applies to the predictions only, never to the targets; "
        "then the same per-image rule as mnist_loss_v1 and a mean. Without it, raw scores above "
        "1 give negative losses.",
        "A raw score of 0 becomes 0.5, so it costs 0.5 whatever the target; a score of 4 costs "
        "about 0.018 for a 3 and about 0.982 for a 7. Reuse your sigmoid rather than a second "
        "formula.",
    ),
})


# known misconceptions (instructor analysis only: ``ch4 insight``, the report's clusters)


def _no_sigmoid(got: Any, want: Any, inputs: dict) -> bool:
    preds, targets = array(inputs.get("preds")), array(inputs.get("targets"))
    if preds is None or targets is None:
        return False
    return same(first(got), np.where(targets == 1, 1 - preds, preds).mean())


SPEC = SPEC.with_misconceptions({
    "ex_mnist_loss": (Misconception(
        "no sigmoid", "raw scores used as probabilities (no sigmoid before the where)",
        "The scores can be any number; the loss expects values between 0 and 1: which "
        "function squeezes them there first?", _no_sigmoid),),
})
