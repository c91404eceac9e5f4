"""Items of notebook 08 (the chapter's questionnaire): one autograded part per question.

Five kinds of item, all judged in the grader on what the kernel sends back:

- **code**: the student's function is called on probe inputs (public and hidden), like an
  exercise; callables it needs (a model that memorised its data, a loss, a stand-in with
  fastai's ``Learner`` signature) are built by the probe's setup from library code only.
- **computation**: a value the student computed. Its public expected value would be the answer,
  so it is sealed (only a digest ships) and the probe canonicalises it in the kernel (numbers
  rounded, tensors as float64, channels-last turned channels-first) so that every correct form
  gives exactly the same data. Where many answers are right (a diverging learning rate, random
  weights, a shuffling loader) the probe measures the property instead.
- **plot**: the curve the student drew on an Axes (or Figure), read from its line data and
  sampled on a fixed grid (plus whether it spans the asked range).
- **multiple choice / ordering**: the letters are turned back into the options' TEXT in the
  kernel with the student's own ``STUDENT_ID`` (the same shuffle the notebook showed them), and
  that text is compared with the reference's. ``STUDENT_ID`` is an answer cell, so the grader
  runs the student's id; the verdict never depends on which letters a given id shows.
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from autograder.items.cells import CellSpec
from autograder.items.compare import FORM_PREFIX
from autograder.items.misconceptions import array, first, same, squared
from autograder.items.spec import (
    Choices,
    Compare,
    Item,
    Misconception,
    Part,
    Probe,
    between,
    close,
    equal,
    unchanged,
)
from autograder.items.wire import Array, Opaque

# --------------------------------------------------------------------------- grader side
#
# The kernel returns raw values (tensors, the student's answer, the curve's points); every
# property (a spread, a flag, whether a tensor is a view, where a step went) is computed by the
# functions below, in the grader (``Probe.measure``). A measure raises on anything it cannot
# take, which fails the probe with a neutral message.


def _values(value: Any) -> np.ndarray:
    """The numbers of a tensor or array the kernel returned (anything else is refused)."""
    if not isinstance(value, Array):
        raise TypeError("not a tensor")
    return value.values


def _number(value: Any) -> float:
    """A Python number or a one-element tensor (bools and text refused)."""
    if isinstance(value, Array) and value.values.size == 1:
        return float(value.values.reshape(-1)[0])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError("not a number")


def keeps_form(measure: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A sealed item's measure: the form a sealed public value is stored as passes through
    (``ch4 check`` compares forms; the value itself is judged at grading)."""
    @functools.wraps(measure)
    def wrapped(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(FORM_PREFIX):
            return value
        return measure(value)
    return wrapped


def _grad_is_ones(grad: Any, like: np.ndarray) -> bool:
    """Whether ``t.sum().backward()`` reached the tensor itself (a leaf): its grad is ones."""
    return isinstance(grad, Array) and grad.values.shape == like.shape \
        and bool(np.all(grad.values == 1))


def weights_form(value: Any) -> list:
    """q15, from (w, a second call's w, w's grad after w.sum().backward()): the shape,
    whether it tracks gradients, whether it is a leaf, whether the two calls differ."""
    w, again, grad = value
    first, second = _values(w), _values(again)
    fresh = first.shape == second.shape and not np.array_equal(first, second)
    return [list(first.shape), bool(w.requires_grad), _grad_is_ones(grad, first), fresh]


def spread(value: Any) -> float:
    """The standard deviation of the returned draws."""
    return float(_values(value).astype(np.float64).std())


def centre(value: Any) -> float:
    """The mean of the returned draws."""
    return float(_values(value).astype(np.float64).mean())


def divergence(value: Any) -> float:
    """q17: how far x is from the minimum of 3 * (x - 2) ** 2 after 30 steps from 0 with the
    returned learning rate (-1 for a learning rate that is not positive)."""
    lr = _number(value)
    if not math.isfinite(lr):
        raise ValueError("not finite")
    x = 0.0
    for _ in range(30):
        x = x - lr * 6 * (x - 2)
        if not abs(x) < 1e9:
            break
    return min(abs(x - 2), 1e9) if lr > 0 else -1.0


def accuracy_and_zero_gradient(value: Any) -> tuple:
    """q20, from (accuracy, gradient): the accuracy to 4 decimals, and whether the gradient
    is missing or all zeros of the predictions' shape (5,)."""
    accuracy, grad = value
    zero = grad is None or (isinstance(grad, Array) and grad.values.shape == (5,)
                            and not bool(np.any(grad.values != 0)))
    return (round(_number(accuracy), 4), zero)


def step_form(value: Any) -> list:
    """q23, from (the parameter after the call, its grad then, its grad after
    p.sum().backward()): its values, whether its gradient was cleared, whether it still
    tracks gradients and is a leaf."""
    param, grad, summed = value
    values = _values(param)
    cleared = grad is None or not bool(np.any(_values(grad) != 0))
    return [param, cleared, bool(param.requires_grad), _grad_is_ones(summed, values)]


def passes_form(value: Any) -> list:
    """q24, from the (x, y) batches of four passes: the batch sizes, the items seen (sorted),
    whether every pair kept its label (y = x % 2), whether a pass was shuffled, whether two
    passes differ."""
    runs = []
    for batches in value:
        seen, sizes, ok = [], [], True
        for xb, yb in batches:
            xs = [int(v) for v in _values(xb).reshape(-1)]
            ys = [int(v) for v in _values(yb).reshape(-1)]
            sizes.append(int(_values(xb).shape[0]))
            ok = ok and ys == [v % 2 for v in xs]
            seen += xs
        runs.append((seen, sizes, ok))
    return [[r[1] for r in runs], [sorted(r[0]) for r in runs], all(r[2] for r in runs),
            any(r[0] != sorted(r[0]) for r in runs), len({tuple(r[0]) for r in runs}) > 1]


def curve_on_grid(value: Any, lo: float, hi: float, grid: np.ndarray) -> tuple:
    """q21 and q34, from the plotted points sorted by x: whether they span [lo, hi], and the
    curve's values on ``grid``."""
    xy = _values(value).astype(np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] < 2:
        raise ValueError("not a curve")
    spans = bool(xy[0, 0] <= lo and xy[-1, 0] >= hi)
    return (spans, Array(np.interp(grid, xy[:, 0], xy[:, 1]), torch=False))


def ordering_form(value: Any) -> list | None:
    """q25, from the steps picked in order: the other steps in order, how often the gradients
    are cleared, and whether that happens between backward and the step."""
    if value is None:
        return None
    picked = [str(v) for v in value]
    zero, backward, step = _Q25_ZERO, _Q25_BACKWARD, _Q25_STEP
    between_them = None
    if all(s in picked for s in (zero, backward, step)):
        between_them = picked.index(backward) < picked.index(zero) < picked.index(step)
    return [[s for s in picked if s != zero], picked.count(zero), between_them]


def pairs_form(value: Any) -> list:
    """q26: the container's kind, its elements' kinds, and the value (lists and tuples arrive
    as what they were)."""
    is_list = isinstance(value, list)
    return [type(value).__name__, [type(p).__name__ for p in value] if is_list else None,
            value if is_list else None]


def view_form(value: Any) -> tuple:
    """q27, from (the result, the result again after 1 was added to the input in place): the
    result, and whether it followed the input (a view of the same memory)."""
    before, after = value
    b, a = _values(before), _values(after)
    return (before, a.shape == b.shape and bool(np.all(a == b + 1)))


def merged_layers(value: Any, x: np.ndarray) -> tuple:
    """q35, from (w, b): w, and x @ w + b computed here."""
    w, b = value
    out = x.astype(np.float64) @ _values(w).astype(np.float64) + _values(b).astype(np.float64)
    return (w, Array(out, torch=True))


# --------------------------------------------------------------------------- constructs
#
# Where a question asks for a construct, the grader reads it from the answer's source in the
# submitted notebook (``Item.source_rule``, given the answer cell's definitions parsed): what
# the kernel sends back could claim anything about how a function was written, the submitted
# text cannot. Each rule says what is asked for, never the code.


def _attributes(tree: ast.AST) -> set[str]:
    """The attribute names the source reads (``t.shape`` gives "shape"), and the strings it
    holds (``getattr(t, "ndim")`` reads an attribute too)."""
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)} | {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


_COMPUTED = {"getattr", "setattr", "delattr", "hasattr", "eval", "exec", "compile",
             "__import__", "attrgetter", "methodcaller", "vars", "globals", "locals"}
_COMPUTED_ATTRIBUTES = {"__getattribute__", "__getattr__", "__dict__", "__class__"}


def _computed_access(tree: ast.AST) -> bool:
    """True when the source reaches a function or attribute by a computed name
    (``getattr(x, "re" + "shape")``, ``eval``, ``vars(...)``...): a static rule cannot see
    what such code calls, so a construct question does not accept it."""
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id in _COMPUTED:
            return True
        if isinstance(n, ast.Attribute) and (n.attr in _COMPUTED or
                                             n.attr in _COMPUTED_ATTRIBUTES):
            return True
    return False


def _returned(tree: ast.Module) -> list[ast.expr | None]:
    """What the answer's functions give back: each ``return``'s value and each lambda body."""
    found: list[ast.expr | None] = [n.value for n in ast.walk(tree) if isinstance(n, ast.Return)]
    return found + [n.body for n in ast.walk(tree) if isinstance(n, ast.Lambda)]


def _comprehension_bound(tree: ast.Module) -> set[str]:
    """Names assigned a list comprehension (``result = [...]``)."""
    return {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign)
            and isinstance(n.value, ast.ListComp) for t in n.targets if isinstance(t, ast.Name)}


def one_list_comprehension(tree: ast.Module) -> str | None:
    """q04: the list is built by exactly one list comprehension, with no loop statement, and
    that comprehension is what the function returns."""
    asked = "the question asks for the list to be built by a single list comprehension"
    if any(isinstance(n, ast.For | ast.AsyncFor | ast.While) for n in ast.walk(tree)):
        return f"{asked}; your answer uses a loop statement instead"
    if _computed_access(tree):
        return f"{asked}; your answer reaches a function by a computed name"
    count = sum(isinstance(n, ast.ListComp) for n in ast.walk(tree))
    if count == 0:
        return f"{asked}; your answer has none"
    if count > 1:
        return f"{asked}; your answer has {count}"
    bound = _comprehension_bound(tree)

    def built(r: ast.expr | None) -> bool:     # [..], a name bound to it, or list([..])
        if isinstance(r, ast.Call) and isinstance(r.func, ast.Name) and r.func.id == "list" \
                and len(r.args) == 1 and not r.keywords:
            r = r.args[0]
        return isinstance(r, ast.ListComp) or (isinstance(r, ast.Name) and r.id in bound)

    if not all(built(r) for r in _returned(tree)):
        return f"{asked}; the list your function gives back is not that comprehension"
    return None


def rank_from_shape(tree: ast.Module) -> str | None:
    """q06: the rank is counted from the shape (``len`` of it), not read from ``ndim``/``dim``
    (which give the rank ready-made)."""
    asked = "the question asks for the rank computed from the tensor's shape"
    if _computed_access(tree):
        return f"{asked}; your answer reaches an attribute by a computed name"
    read = _attributes(tree)
    if read & {"ndim", "dim", "ndimension"}:
        return f"{asked}; your answer reads the rank PyTorch already counted (ndim or dim)"
    if not read & {"shape", "size"}:
        return f"{asked}; your answer never reads the shape"
    return None


def uses_view(tree: ast.Module) -> str | None:
    """q27: the batch is reshaped with ``view`` (or ``view_as``), not ``reshape``/``flatten``."""
    asked = "the question asks you to do this with view"
    if _computed_access(tree):
        return f"{asked}; your answer reaches a method by a computed name"
    read = _attributes(tree)
    if read & {"reshape", "flatten", "unflatten", "resize", "resize_"}:
        return f"{asked}; your answer reshapes with another function (reshape or flatten)"
    if not read & {"view", "view_as"}:
        return f"{asked}; your answer never calls it"
    return None


# --------------------------------------------------------------------------- kernel helpers


def _need(name: str) -> str:
    """Setup line: an untouched value answer (still None) reads as not attempted."""
    return f"if {name} is None:\n    raise NotImplementedError\n"


# letters -> option texts, shuffled with this notebook's STUDENT_ID (as show_choices did)
_CHOICE = '''
from autograder.checks.choice import labelled as _ch4_labelled
from autograder.checks.questionnaire import options_of as _ch4_options

_ch4_answer = globals()[_ch4_item + "_answer"]
if _ch4_answer is None:
    raise NotImplementedError
_ch4_shown = dict(_ch4_labelled(_ch4_item, _ch4_options(_ch4_item),
                                globals().get("STUDENT_ID", "")))
if isinstance(_ch4_answer, (list, tuple)) and all(isinstance(_c, str) for _c in _ch4_answer):
    _ch4_answer = "".join(_ch4_answer)
_ch4_picked = None
if isinstance(_ch4_answer, str):
    _ch4_picked = [_ch4_shown.get(_c, "?") for _c in _ch4_answer.lower()
                   if _c not in " ,;()[]'\\"./-"]
    _ch4_picked = _ch4_picked or None      # no letter at all: not answered
'''

_Q25_ZERO = "set every parameter's gradient back to zero"
_Q25_BACKWARD = "loss.backward()"
_Q25_STEP = "p -= p.grad * lr for every parameter p (without tracking gradients)"

# q25: where the gradients are zeroed may vary; only "between backward and the step" is wrong


def _choice(n: int, what: str, hint: str, options: tuple[str, ...], ordering: bool = False,
            measure: Callable[[Any], Any] | None = None) -> Item:
    """A multiple-choice or ordering item: the kernel turns the student's letters back into
    the options' texts (``_CHOICE``), which are compared with the reference's, sealed."""
    item = f"q{n:02d}"
    label = (f"q{n:02d}_answer: the steps in the order of your letters" if ordering else
             f"q{n:02d}_answer: the option your letter stands for")
    return Item(item, (f"{item}_answer",), title=f"Question {n} ({what})",
                public=(Probe(label, "_ch4_picked", {"_ch4_item": item}, equal(sealed=True),
                              _CHOICE, hint, measure=measure),), tally=True,
                choices=Choices(options, "order" if ordering else "one"))


def _value(n: int, what: str, code: str, setup: str, hint: str, label: str = "",
           measure: Callable[[Any], Any] | None = None, parts: tuple[str, ...] = ()) -> Item:
    """A computed value: canonicalised (rounded, as float64), compared sealed; a property of it
    is computed in the grader by ``measure`` (wrapped in ``keeps_form``)."""
    item = f"q{n:02d}"
    return Item(item, (f"{item}_answer",), title=f"Question {n} ({what})",
                public=(Probe(label or f"{item}_answer", code, {},
                              equal(sealed=True), _need(f"{item}_answer") + setup, hint,
                              measure=measure, parts=parts),))


_F64 = '''
import torch as _ch4_torch


def _ch4_f64(v):
    return _ch4_torch.Tensor.double(v.detach()) if isinstance(v, _ch4_torch.Tensor) else v
'''

# the curve as data: a pair (xs, ys) of the plotted points, or (as before) the line drawn on
# an Axes / Figure that spans the widest x range; sorted by x
_LINES = '''
import numpy as _ch4_np
from matplotlib.axes import Axes as _ch4_Axes
from matplotlib.figure import Figure as _ch4_Figure

_ch4_drawn = globals()[_ch4_name]
if _ch4_drawn is None:
    raise NotImplementedError
_ch4_lines = []
if isinstance(_ch4_drawn, _ch4_Figure):
    _ch4_axes = list(_ch4_drawn.axes)
elif isinstance(_ch4_drawn, _ch4_Axes):
    _ch4_axes = [_ch4_drawn]
elif isinstance(_ch4_drawn, (tuple, list)) and len(_ch4_drawn) == 2:
    _ch4_axes = []
    _ch4_xy = _ch4_np.stack([_ch4_np.asarray(_ch4_v, dtype=float).reshape(-1)
                             for _ch4_v in _ch4_drawn], axis=1)
    _ch4_lines.append(_ch4_xy[_ch4_xy[:, 0].argsort(kind="stable")])
else:
    raise TypeError("not a pair (xs, ys)")
for _ch4_ax in _ch4_axes:
    for _ch4_line in _ch4_ax.get_lines():
        _ch4_xy = _ch4_np.asarray(_ch4_line.get_xydata(), dtype=float)
        if _ch4_xy.ndim == 2 and _ch4_xy.shape[0] >= 2:
            _ch4_lines.append(_ch4_xy[_ch4_xy[:, 0].argsort(kind="stable")])
_ch4_curve = max(_ch4_lines, key=lambda xy: xy[-1, 0] - xy[0, 0])
'''
def _plot_probe(name: str, lo: float, hi: float, grid: np.ndarray, atol: float, label: str,
                hint: str) -> Probe:
    """The plotted points come back raw; the span and the values on ``grid`` are read in the
    grader (``curve_on_grid``)."""
    return Probe(label, "_ch4_curve", {"_ch4_name": name}, close(atol=atol, rtol=0.0), _LINES,
                 hint, measure=functools.partial(curve_on_grid, lo=lo, hi=hi,
                                                 grid=grid.astype(np.float64)),
                 parts=("whether your plotted curve spans the range asked for",
                        "the values of your plotted curve"))


def _t(a) -> torch.Tensor:
    return torch.from_numpy(np.asarray(a, dtype=np.float32))


# --------------------------------------------------------------------------- q02


def _q02(paths: list, label: str) -> Probe:
    return Probe(label, "{str(_ch4_k): int(_ch4_v) "
                        "for _ch4_k, _ch4_v in dict(q02_answer(p)).items()}",
                 {"p": paths}, equal(),
                 hint="count only the held-out images, each under the folder that names its label")


def _q02_tree(rng: np.random.Generator, root: str, digits: list[str], n: int) -> list[str]:
    """``n`` image paths under ``root`` (both splits, the given digits), in a random order."""
    out = []
    for _ in range(n):
        split = ["train", "valid"][int(rng.integers(2))]
        digit = digits[int(rng.integers(len(digits)))]
        name = f"{digits[int(rng.integers(len(digits)))]}{int(rng.integers(1, 60000))}.png"
        out.append(f"{root}/{split}/{digit}/{name}")
    return out


_Q02_PUBLIC = ["/data/mnist_sample/train/3/7463.png", "/data/mnist_sample/valid/7/1234.png",
               "/data/mnist_sample/valid/3/10.png", "/data/mnist_sample/train/7/7.png",
               "/data/mnist_sample/valid/7/3.png", "/data/mnist_sample/train/3/3.png"]


def _q02_hidden(rng: np.random.Generator) -> list[Probe]:
    from pathlib import Path

    decoy = _q02_tree(rng, "/srv/valid/train", ["0", "4", "9"], 12)
    return [_q02(_q02_tree(rng, "x/y", ["3", "7"], 15), "q02_answer on a relative tree"),
            _q02([Path(q) for q in decoy],
                 "q02_answer on paths whose higher folders are also named like splits"),
            _q02(_q02_tree(rng, "mnist_sample", ["1", "2"], 4)
                 + ["mnist_sample/valid/5/5.png"], "q02_answer on other digits"),
            _q02(["mnist_sample/train/3/1.png"], "q02_answer with no validation image")]


# --------------------------------------------------------------------------- q03


def _q03_data(rng: np.random.Generator, rows: int, cols: int, count: int, n_x: int) -> dict:
    a, b = rng.random((rows, cols)), rng.random((rows, cols))
    noise = lambda: 0.02 * rng.standard_normal((rows, cols))  # noqa: E731
    # index 0 of each class is an atypical example that looks like the other class
    threes = np.stack([b] + [a + noise() for _ in range(count)])
    sevens = np.stack([a] + [b + noise() for _ in range(count)])
    picks = [a, b, b + 0.01, a - 0.01, b, a + 0.005][:n_x]
    return {"threes": _t(threes), "sevens": _t(sevens), "x": _t(np.stack(picks))}


def _q03(data: dict, label: str) -> Probe:
    return Probe(label, "q03_answer(threes, sevens, x)", data, equal(),
                 hint="compare each image with the average of each class, one answer per image")


def _q03_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_q03(_q03_data(rng, 5, 7, 6, 6), "q03_answer on 5x7 images"),
            _q03(_q03_data(rng, 4, 4, 3, 1), "q03_answer on a batch of one image"),
            _q03(_q03_data(rng, 28, 28, 10, 4), "q03_answer on 28x28 images")]


# --------------------------------------------------------------------------- q04 .. q07


def _q04(numbers: list[int], label: str) -> Probe:
    return Probe(label, "q04_answer(list(numbers))", {"numbers": numbers}, equal(),
                 hint="keep the odd numbers only, double them, keep their order, return a list",
                 whole="the list you return")


def _q04_hidden(rng: np.random.Generator) -> list[Probe]:
    nums = [int(v) for v in rng.integers(-50, 50, size=9)]
    return [_q04(nums, "q04_answer on numbers including negative ones"),
            _q04([], "q04_answer on an empty list"),
            _q04([int(v) * 2 for v in rng.integers(0, 20, size=4)], "q04_answer on even numbers"),
            _q04([int(rng.integers(1, 40)) * 2 + 1], "q04_answer on one odd number")]


def _q05(images: list[torch.Tensor], label: str) -> Probe:
    return Probe(label, "q05_answer(images)", {"images": images}, close(atol=0.0, rtol=0.0),
                 hint="one new first axis: (number of images, rows, columns), image i at index i")


def _q05_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_q05([_t(rng.random((3, 6))) for _ in range(7)], "q05_answer on seven 3x6 images"),
            _q05([_t(rng.random((28, 28)))], "q05_answer on a single image"),
            _q05([_t(rng.random((1, 5))) for _ in range(2)], "q05_answer on one-row images")]


def _q06(shape: tuple, label: str = "") -> Probe:
    return Probe(label or f"q06_answer on a tensor of shape {shape}", "q06_answer(t)",
                 {"t": torch.zeros(shape)}, equal(),
                 hint="the rank is the number of axes, a whole number")


def _q06_hidden(rng: np.random.Generator) -> list[Probe]:
    big = tuple(int(v) for v in rng.integers(1, 3, size=5))
    return [_q06(big, "q06_answer on a rank-5 tensor"),
            _q06((), "q06_answer on a scalar tensor"),
            _q06((int(rng.integers(2, 9)),), "q06_answer on a vector"),
            _q06((1, 1, 1, 1), "q06_answer on a tensor with axes of size 1")]


def _q07(a: torch.Tensor, b: torch.Tensor, label: str) -> Probe:
    return Probe(label, "(q07_answer(a, b), a, b)", {"a": a, "b": b}, close(atol=1e-5),
                 hint="L1: mean of the absolute differences; RMSE: root of the mean squared "
                      "difference; inputs left unchanged",
                 parts=(Part("the two distances you return (L1, then RMSE)"), unchanged("a"),
                        unchanged("b")))


def _q07_hidden(rng: np.random.Generator) -> list[Probe]:
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 6)))
    a, b = rng.standard_normal(shape), rng.standard_normal(shape) * 3
    big = rng.random(4) * 1000
    return [_q07(_t(a), _t(b), "q07_answer on random tensors"),
            _q07(_t([0.0, 0.0]), _t([3.0, -4.0]), "q07_answer on two small vectors"),
            _q07(_t(big), _t(big * 0.5), "q07_answer on large values"),
            _q07(_t(a), _t(a), "q07_answer on two equal tensors")]


# --------------------------------------------------------------------------- q08

# counts the Python lines the student's code runs (libraries and the grader excluded)
_COUNT = '''
import os as _ch4_os
import sys as _ch4_sys

import autograder as _ch4_pkg

_ch4_skip = tuple({_ch4_os.path.realpath(p) for p in (
    _ch4_sys.prefix, _ch4_sys.base_prefix, _ch4_sys.exec_prefix)}
    | {_ch4_os.path.dirname(_ch4_os.path.realpath(_ch4_pkg.__file__))})


def _ch4_lines(function, arg):
    counted, memo = [0], {}

    def mine(filename):
        if filename not in memo:
            memo[filename] = not (filename.startswith(("<frozen", "<probe"))
                                  or _ch4_os.path.realpath(filename).startswith(_ch4_skip))
        return memo[filename]

    def local(frame, event, _arg):
        if event == "line":
            counted[0] += 1
        return local

    def tracer(frame, event, _arg):
        return local if mine(frame.f_code.co_filename) else None

    previous = _ch4_sys.gettrace()
    _ch4_sys.settrace(tracer)
    try:
        function(arg)
    finally:
        _ch4_sys.settrace(previous)
    return counted[0]
'''


def _q08(x: torch.Tensor, label: str) -> Probe:
    return Probe(label, "q08_answer(x)", {"x": x}, close(atol=1e-5),
                 hint="square every value, then average along each row")


def _q08_loop() -> Probe:
    return Probe("the Python lines q08_answer runs for 400 rows beyond those for 4 rows",
                 "_ch4_lines(q08_answer, big) - _ch4_lines(q08_answer, small)",
                 {"small": torch.arange(12.0).view(4, 3),
                  "big": torch.linspace(-1, 1, 1200).view(400, 3)},
                 between(hi=100), _COUNT,
                 hint="a Python loop over the rows runs more lines for more rows: use "
                      "whole-tensor operations")


def _q08_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_q08(_t(rng.standard_normal((int(rng.integers(2, 9)), int(rng.integers(2, 9))))),
                 "q08_answer on a random matrix"),
            _q08(_t(rng.standard_normal((1, 5)) * 100), "q08_answer on one row of large values"),
            _q08(_t(rng.standard_normal((6, 1))), "q08_answer on a single column")]


# --------------------------------------------------------------------------- q11

_MEMORY = '''
import torch as _ch4_torch

_ch4_memory = {float(k): int(v) for k, v in zip(train_x.tolist(), train_y.tolist())}


def _ch4_predict(x):
    return _ch4_torch.tensor([_ch4_memory.get(float(v), 0) for v in x.reshape(-1).tolist()])
'''


def _q11(train_x, train_y, valid_x, valid_y, label: str) -> Probe:
    return Probe(label, "q11_answer(_ch4_predict, (train_x, train_y), (valid_x, valid_y))",
                 {"train_x": train_x, "train_y": train_y, "valid_x": valid_x,
                  "valid_y": valid_y}, close(atol=1e-6), _MEMORY,
                 hint="a model that memorised its training data is perfect there: measure it "
                      "on the data it never saw, and only there")


def _q11_hidden(rng: np.random.Generator) -> list[Probe]:
    n, m = int(rng.integers(6, 15)), int(rng.integers(3, 9))
    ty = torch.from_numpy(rng.integers(0, 2, size=n))
    vy = torch.from_numpy(np.array([0, 1] + [int(v) for v in rng.integers(0, 2, size=m)]))
    return [_q11(torch.arange(float(n)), ty, torch.arange(float(m + 2)) + 100.5, vy,
                 "q11_answer with a validation set of another size"),
            _q11(torch.arange(4.0), torch.tensor([1, 0, 1, 1]), torch.tensor([7.5]),
                 torch.tensor([1]), "q11_answer with one validation item")]


# --------------------------------------------------------------------------- q15

_Q15 = "_ch4_w = q15_answer(size, std=std) if std is not None else q15_answer(size)\n"
# the grad of w after w.sum().backward() (ones for a leaf that tracks gradients)
_GRAD_OF_SUM = "\nfrom autograder.items.fixtures import grad_of_sum as _ch4_grad_of_sum\n"
_Q15_DRAWS = 5000     # the sample std is within 1 % of std (10 % allowed), the mean within 0.014


def _q15_props(size, label: str) -> Probe:
    return Probe(label, "(_ch4_w, q15_answer(size), _ch4_grad_of_sum(_ch4_w))",
                 {"size": size, "std": None}, equal(), _Q15 + _GRAD_OF_SUM,
                 hint="fresh random weights on every call, that track gradients and are a leaf "
                      "(scale first, then ask for gradients)", measure=weights_form,
                 parts=("the shape of the weights you return", "whether they track gradients",
                        "whether they are a leaf", "whether two calls give different weights"))


def _q15_stat(stat: str, std: float, lo: float, hi: float, label: str) -> Probe:
    return Probe(label, "_ch4_w", {"size": (_Q15_DRAWS,), "std": std}, between(lo, hi), _Q15,
                 hint="centred on zero, spread given by std",
                 measure=spread if stat == "std" else centre)


def _q15_hidden(rng: np.random.Generator) -> list[Probe]:
    std = float(rng.choice([0.01, 0.5, 2.0]))
    return [_q15_props(int(rng.integers(2, 9)), "q15_answer with an int size"),
            _q15_stat("std", std, 0.9 * std, 1.1 * std, "the spread of q15_answer's weights "
                      "for another std"),
            _q15_stat("mean", std, -0.1 * std, 0.1 * std, "the mean of q15_answer's weights "
                      "for another std")]


# --------------------------------------------------------------------------- q17

# the learning rate itself is returned (sealed: many are right, the reference's must not ship)
# and the 30 steps are taken in the grader (``divergence``)
_Q17 = Compare("between", lo=2.001, sealed=True)

# --------------------------------------------------------------------------- q18

_Q18 = "_ch4_f = eval('lambda v: ' + expr)\n"


def _q18(expr: str, x, label: str) -> Probe:
    return Probe(label, "float(q18_answer(_ch4_f, x))", {"expr": expr, "x": x},
                 close(atol=1e-3, rtol=1e-3), _Q18,
                 hint="the slope of f at x (how fast f changes there), not its value")


def _q18_hidden(rng: np.random.Generator) -> list[Probe]:
    a, b = (round(float(v), 2) for v in rng.uniform(-3, 3, size=2))
    return [_q18(f"{a} * v ** 3 + {b} * v", round(float(rng.uniform(-2, 2)), 3),
                 "q18_answer on a cubic"),
            _q18("1 / (1 + v * v)", round(float(rng.uniform(-2, 2)), 3),
                 "q18_answer on a rational function"),
            _q18("4 * v * v", 0.5, "q18_answer on a parabola"),
            _q18("(v - 1) ** 2", 1.0, "q18_answer at the bottom of a parabola (slope 0)")]


# --------------------------------------------------------------------------- q23


def _q23(values, grad, lr: float, label: str, steps: int = 1) -> Probe:
    setup = ("import torch as _ch4_torch\n"
             "_ch4_p = _ch4_torch.tensor(values).requires_grad_()\n"
             "_ch4_p.grad = _ch4_torch.tensor(grad)\n") + _GRAD_OF_SUM
    if steps == 2:
        setup += "q23_answer(_ch4_p, lr)\n_ch4_p.grad = _ch4_torch.tensor(grad) * 2\n"
    return Probe(label, "(q23_answer(_ch4_p, lr), _ch4_p, "
                        "None if _ch4_p.grad is None else _ch4_p.grad.clone(), "
                        "_ch4_grad_of_sum(_ch4_p))[1:]",
                 {"values": np.asarray(values, np.float32), "grad": np.asarray(grad, np.float32),
                  "lr": lr}, close(atol=1e-5), setup, measure=step_form,
                 hint="change the given tensor itself, against its gradient times lr, without "
                      "tracking; then clear the gradient; the tensor still tracks gradients",
                 parts=("the parameter after your step", "whether its gradient was cleared",
                        "whether it still tracks gradients", "whether it is still a leaf"))


def _q23_hidden(rng: np.random.Generator) -> list[Probe]:
    v, g = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    return [_q23(v, g, float(rng.uniform(0.01, 1)), "q23_answer on a 2x3 parameter"),
            _q23([0.0], [2.0], 0.5, "q23_answer on a single parameter"),
            _q23(v[0], g[0], 0.1, "two steps of q23_answer in a row", steps=2)]


# --------------------------------------------------------------------------- q24

_Q24 = _need("q24_answer")
# four passes over the loader, batch by batch, as raw tensors (``passes_form`` reads them)
_Q24_CODE = "[[[_ch4_xb, _ch4_yb] for _ch4_xb, _ch4_yb in q24_answer] for _ch4_i in range(4)]"

# --------------------------------------------------------------------------- q26, q27, q29


def _q26(xs, ys, label: str) -> Probe:
    return Probe(label, "q26_answer(xs, ys)", {"xs": xs, "ys": ys}, equal(),
                 hint="a list of (x, y) tuples, x first", measure=pairs_form,
                 parts=("the kind of container you return", "the kind of each element",
                        "the pairs you return"))


def _q26_hidden(rng: np.random.Generator) -> list[Probe]:
    n = int(rng.integers(2, 6))
    return [_q26("xy", [5, 6], "q26_answer on a string and a list"),
            _q26(torch.arange(n), torch.from_numpy(rng.integers(0, 2, size=n)),
                 "q26_answer on two tensors"),
            _q26([], [], "q26_answer on empty sequences"),
            _q26([float(v) for v in rng.random(n)], list("abcdefg"[:n]),
                 "q26_answer on floats and letters")]


def _q27(shape: tuple, label: str) -> Probe:
    return Probe(label, "(lambda r: (r.clone(), x.add_(1), r))(q27_answer(x))[::2]",
                 {"x": torch.arange(float(np.prod(shape))).view(shape)}, close(atol=0.0),
                 measure=view_form,
                 hint="one row per image, one column per pixel, a view of the same memory; let "
                      "PyTorch infer one size",
                 parts=("the tensor you return",
                        "whether it is a view of your input (it follows a change of the input)"))


def _q27_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_q27((int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(2, 6))),
                 "q27_answer on a small batch"),
            _q27((1, 28, 28), "q27_answer on a batch of one image"),
            _q27((4, 1, 7), "q27_answer on one-row images")]


def _q29(xb, w, b, label: str) -> Probe:
    return Probe(label, "q29_answer(xb, w, b)", {"xb": xb, "w": w, "b": b}, close(atol=1e-4),
                 hint="a matrix product of the batch and the weights, plus the bias")


def _q29_hidden(rng: np.random.Generator) -> list[Probe]:
    n, k = int(rng.integers(2, 7)), int(rng.integers(2, 7))
    return [_q29(_t(rng.standard_normal((n, k))), _t(rng.standard_normal((k, 1))),
                 float(rng.standard_normal()), "q29_answer with a float bias"),
            _q29(_t(np.eye(2)), _t([[2.0], [3.0]]), _t([1.0]),
                 "q29_answer with a one-element bias"),
            _q29(_t(rng.standard_normal((1, k))), _t(rng.standard_normal((k, 1))), _t(0.0),
                 "q29_answer on a batch of one row")]


# --------------------------------------------------------------------------- q30

_Q30 = ('import torch as _ch4_torch\n'
        '_ch4_ps = [_ch4_torch.tensor(v).requires_grad_() for v in values]\n'
        '_ch4_loss = eval("lambda ps: " + expr)\n')


def _q30(values: list, expr: str, label: str) -> Probe:
    return Probe(label, "(q30_answer(_ch4_loss, _ch4_ps), [p.grad for p in _ch4_ps])",
                 {"values": [np.asarray(v, np.float32) for v in values], "expr": expr},
                 close(atol=1e-4), _Q30,
                 hint="one backward call on the loss fills every parameter's .grad; return "
                      "those, in order",
                 parts=("the gradients you return", "the .grad of each parameter"))


def _q30_hidden(rng: np.random.Generator) -> list[Probe]:
    v = [rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal(1)]
    return [_q30(v, "((ps[0] * ps[1]).sum() + ps[2] ** 2).sum()", "q30_answer on three "
                 "parameters"),
            _q30([[1.0, -2.0]], "(ps[0] ** 3).sum()", "q30_answer on one parameter"),
            _q30([rng.standard_normal((2, 2)), rng.standard_normal(2)],
                 "(ps[0] @ ps[1]).exp().sum()", "q30_answer on a matrix and a vector")]


# --------------------------------------------------------------------------- q32

# The stand-ins are plain strings (DataLoaders, model, optimiser, loss and metric are only
# passed along), the default optimiser included; the stand-in Learner keeps every instance it
# builds. The kernel returns, raw, whether the returned object is each of those instances (an
# identity, not a type read through a name the student can shadow) and the attributes it holds;
# the grader reads where each argument went (``learner_arguments``).
_Q32 = '''
_ch4_built = []


class _ch4_Learner:
    """Accepts exactly the arguments of fastai 2.8's Learner and records them."""

    def __init__(self, dls, model, loss_func=None, opt_func="fastai's default",
                 lr=0.001, splitter=None, cbs=None, metrics=None, path=None,
                 model_dir="models", wd=None, wd_bn_bias=False, train_bn=True,
                 moms=(0.95, 0.85, 0.95), default_cbs=True):
        self.dls, self.model, self.loss_func = dls, model, loss_func
        self.opt_func, self.metrics = opt_func, metrics
        _ch4_built.append(self)


def _ch4_record(learn):
    return [[made is learn for made in _ch4_built], learn.dls, learn.model, learn.loss_func,
            learn.opt_func, learn.metrics]
'''


def _argument(value: Any) -> str:
    """A stand-in's name; anything else by what it is."""
    if isinstance(value, str):
        return value
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    return f"a value of type {type(value).__name__}"


def learner_arguments(value: Any) -> dict:
    """q32, from ``[whether the result is each Learner built, its dls, model, loss_func,
    opt_func, metrics]``: whether a Learner came back, and the stand-in in each place (metrics
    as a sorted list, a single metric counting as a list of one)."""
    built, dls, model, loss_func, opt_func, metrics = value
    if not isinstance(built, list):
        raise TypeError("not a record of the Learners built")
    metrics = list(metrics) if isinstance(metrics, list | tuple) else [metrics]
    return {"a Learner": any(b is True for b in built), "dls": _argument(dls),
            "model": _argument(model), "loss_func": _argument(loss_func),
            "opt_func": _argument(opt_func), "metrics": sorted(_argument(m) for m in metrics)}


def _q32(names: list[str], label: str) -> Probe:
    return Probe(label, "_ch4_record(q32_answer(_ch4_Learner, *names))", {"names": names},
                 equal(), _Q32, measure=learner_arguments,
                 hint="DataLoaders and model first; loss function, optimiser function and "
                      "metrics by name; the number of epochs belongs to fit, not to the Learner")


# --------------------------------------------------------------------------- q33

_Q33 = '''
_ch4_log = []


def _ch4_train():
    _ch4_log.append("train")


def _ch4_validate():
    _ch4_log.append("validate")
    return 0.5 + 0.1 * _ch4_log.count("validate")
'''


def _q33(epochs: int, label: str) -> Probe:
    return Probe(label, "(q33_answer(_ch4_train, _ch4_validate, epochs), list(_ch4_log))",
                 {"epochs": epochs}, close(atol=1e-9), _Q33,
                 hint="every epoch: train, then validate; return what validate gave each epoch",
                 parts=("the values you return", "the order of the train and validate calls"))


# --------------------------------------------------------------------------- q35, q36


def _q35(rng: np.random.Generator, n_in: int, n_hidden: int, n_out: int, label: str) -> Probe:
    inputs = {"w1": _t(rng.standard_normal((n_in, n_hidden))),
              "b1": _t(rng.standard_normal(n_hidden)),
              "w2": _t(rng.standard_normal((n_hidden, n_out))),
              "b2": _t(rng.standard_normal(n_out))}
    x = rng.standard_normal((6, n_in)).astype(np.float32)
    return Probe(label, "q35_answer(w1, b1, w2, b2)", inputs, close(atol=1e-4),
                 measure=functools.partial(merged_layers, x=x),
                 hint="write the two layers as one expression and expand it: the first bias "
                      "also goes through the second weights",
                 parts=("the merged weights you return",
                        "the output of your merged layer on 6 inputs (it checks the bias)"))


def _q35_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_q35(rng, 3, 5, 1, "q35_answer for layers 3 -> 5 -> 1"),
            _q35(rng, 2, 2, 2, "q35_answer for layers 2 -> 2 -> 2"),
            _q35(rng, 6, 1, 3, "q35_answer with a one-unit middle layer")]


# The kernel copies the model, gives every parameter a fixed value in order (weight matrices
# linspace(-1, 1) times 1, 2, ..., biases 0.1) and returns raw data: the classes of the model
# (its whole MRO) and of its children, read through the real ``type`` bound at setup, the
# parameter shapes, the copy's output on x, and q36_forward's. The grader reads the layers
# from them (``layers_and_outputs``).
_Q36 = _need("q36_answer") + '''
import copy as _ch4_copy
from builtins import list as _ch4_list, type as _ch4_type

import torch as _ch4_torch


def _ch4_classes(cls):
    return [k.__module__ + "." + k.__qualname__ for k in cls.__mro__]


_ch4_m = q36_answer
_ch4_c = _ch4_copy.deepcopy(_ch4_m)
_ch4_params = _ch4_list(_ch4_c.parameters())
with _ch4_torch.no_grad():
    _ch4_k = 0
    for _ch4_p in _ch4_params:
        if _ch4_p.dim() > 1:
            _ch4_k += 1
            _ch4_p.copy_(_ch4_torch.linspace(-1, 1, _ch4_p.numel()).view_as(_ch4_p) * _ch4_k)
        else:
            _ch4_p.fill_(0.1)
    _ch4_out = _ch4_c(x)
_ch4_layers = [_ch4_classes(_ch4_type(_ch4_m)),
               [_ch4_classes(_ch4_type(_ch4_l))[0] for _ch4_l in _ch4_m.children()],
               [_ch4_list(_ch4_p.shape) for _ch4_p in _ch4_params]]
'''
_SEQUENTIAL = "torch.nn.modules.container.Sequential"


def layers_and_outputs(value: Any) -> tuple:
    """q36, from ``[[the model's classes, its children's classes, its parameter shapes], its
    output with fixed weights, q36_forward's output]``: whether it is an nn.Sequential, the
    kinds of its layers (None when it is not one), its parameter shapes, the two outputs."""
    (mro, children, shapes), out, forward = value
    if not all(isinstance(v, list) and all(isinstance(n, str) for n in v)
               for v in (mro, children)):
        raise TypeError("not a model's classes")
    sequential = _SEQUENTIAL in mro
    kinds = [name.rsplit(".", 1)[-1] for name in children] if sequential else None
    return (sequential, kinds, shapes, out, forward)


def _q36(x: torch.Tensor, label: str) -> Probe:
    return Probe(label, "(_ch4_layers, _ch4_out, q36_forward(_ch4_c, x))", {"x": x},
                 close(atol=1e-5), _Q36, measure=layers_and_outputs,
                 hint="the model holds its nonlinearity as a module object, in the order the "
                      "question lists; q36_forward reaches the same output with the function",
                 parts=("whether your model is an nn.Sequential", "the kinds of its layers",
                        "its parameter shapes", "its output with fixed weights",
                        "the output of q36_forward with fixed weights"))


# --------------------------------------------------------------------------- the spec

_RNG = np.random.default_rng(8)
_SIG_GRID = np.linspace(-4, 4, 33)
_RELU_GRID = np.linspace(-2, 2, 17)


def _plot_hidden(name: str, lo: float, hi: float, atol: float, what: str):
    def hidden(rng: np.random.Generator) -> list[Probe]:
        grid = np.sort(rng.uniform(lo, hi, size=9))
        return [_plot_probe(name, lo, hi, grid, atol, f"{what} at other points",
                            "the plotted curve between those points is not the asked function")]
    return hidden


# the options of the multiple-choice and ordering items (alphabetical order: no key here)

_Q12_OPTIONS = (
    'Compute the gradient of the accuracy once over all the data and jump to where it is zero',
    ('Solve for the best weights in one go with a closed-form formula, as least-squares '
     'regression does'),
    ('Step every weight again and again against the gradient of the loss, measured on a small '
     'random batch'),
    ('Try many random sets of weights, keep the one with the best accuracy, then search around '
     'it more finely'),
)

_Q13_OPTIONS = (
    ('A batch gives a less noisy gradient than one item, costs much less than the whole set, '
     'and keeps a GPU busy'),
    ('A step on the whole data set is the better step, and mini-batches are there to save '
     'memory on small GPUs'),
    ('The loss of a single item is not differentiable, so several items are averaged before a '
     'gradient exists'),
    ('With mini-batches the model sees each image fewer times per epoch, and that is what stops '
     'it from overfitting'),
)

_Q14_OPTIONS = (
    'compute the gradient of the loss for every weight',
    'go back and repeat the cycle',
    'initialise the weights',
    'measure the loss of those predictions',
    'predict with the current weights',
    'step: change each weight a little against its gradient',
    'stop when the model is good enough or time is up',
)

_Q16_OPTIONS = (
    ('A smooth function of the predictions and targets that gets lower as they improve, which '
     'SGD minimises'),
    ('The learning rate multiplied by the gradient, that is, the size of the step SGD takes at '
     'each update'),
    ('The memory and time that a training run costs, which SGD tries to make as small as '
     'possible at each step'),
    ('The percentage of validation items the model gets wrong, which SGD lowers a little at '
     'each of its steps'),
)

_Q22_OPTIONS = (
    ('SGD differentiates and minimises only the loss; people read a metric (say, accuracy) to '
     'judge a model'),
    ('The loss is computed on the validation set and the metric on the training set, so that '
     'the two never mix'),
    ('The metric is what SGD minimises, and the loss is what is reported to people at the end '
     'of each epoch'),
    ('They are two names for the same number, computed once per batch and then averaged over '
     'each epoch'),
)

_Q25_OPTIONS = (
    'loss = loss_func(preds, yb)',
    'loss.backward()',
    'p -= p.grad * lr for every parameter p (without tracking gradients)',
    'preds = model(xb)',
    "set every parameter's gradient back to zero",
    'take the next mini-batch xb, yb from the DataLoader',
)

_Q37_OPTIONS = (
    ('A network with a single nonlinearity can represent straight lines but not curves, so '
     'curves need more of them'),
    ('Deeper nets of smaller layers get good results with fewer parameters, and they train '
     'faster in practice'),
    ('Extra layers keep a model from overfitting, since each layer averages out part of the '
     'noise in the data'),
    ('The universal approximation theorem needs two or more nonlinearities and does not hold '
     'with one'),
)

_ONE_LETTER = "choose exactly one letter, as shown for your STUDENT_ID"

SPEC = CellSpec("08_questionnaire", (
    _value(1, "computation", "(_ch4_f64(_ch4_gray), _ch4_f64(_ch4_colour))", _F64 + '''
_ch4_gray, _ch4_colour = q01_answer
if tuple(_ch4_colour.shape) == (2, 4, 3):
    _ch4_colour = _ch4_colour.permute(2, 0, 1)
''', "tensors; white is the brightest 8-bit value; pure red is full red, no green or blue",
           "q01_answer: (gray, colour) images (colour channels put first)",
           parts=("your gray image", "your colour image")),
    Item("q02", ("q02_answer",), title="Question 2 (code)",
         public=(_q02(_Q02_PUBLIC, "q02_answer on six image paths"),
                 _q02([__import__("pathlib").Path(q.lstrip("/")) for q in _Q02_PUBLIC[::-1]],
                      "q02_answer on relative pathlib.Path objects")),
         hidden=_q02_hidden),
    Item("q03", ("q03_answer",), title="Question 3 (computation)",
         public=(_q03(_q03_data(np.random.default_rng(3), 6, 6, 4, 5),
                      "q03_answer on five 6x6 images"),),
         hidden=_q03_hidden),
    Item("q04", ("q04_answer",), title="Question 4 (code)",
         public=(_q04([1, 2, 3, 4, 5], "q04_answer([1, 2, 3, 4, 5])"),
                 _q04([10, 11, -3, 0, 8, 7], "q04_answer on mixed numbers")),
         hidden=_q04_hidden, source_rule=one_list_comprehension),
    Item("q05", ("q05_answer",), title="Question 5 (code)",
         public=(_q05([torch.full((4, 5), float(i)) for i in range(3)],
                      "q05_answer on three 4x5 images"),),
         hidden=_q05_hidden),
    Item("q06", ("q06_answer",), title="Question 6 (code)",
         public=(_q06((2, 3, 4)), _q06((7,)), _q06((5, 2))),
         hidden=_q06_hidden, source_rule=rank_from_shape),
    Item("q07", ("q07_answer",), title="Question 7 (code)",
         public=(_q07(_t([1, 2, 3, 4]), _t([1, 1, 1, 9]), "q07_answer on two vectors"),
                 _q07(torch.zeros(2, 2), _t([[1, -1], [3, 1]]), "q07_answer on 2x2 tensors")),
         hidden=_q07_hidden),
    Item("q08", ("q08_answer",), title="Question 8 (computation)",
         public=(_q08(torch.arange(12.0).view(4, 3), "q08_answer on a 4x3 matrix"),
                 _q08_loop()),
         hidden=_q08_hidden),
    _value(9, "code", "(_ch4_f64(_ch4_d), _ch4_f64(_ch4_c))",
           _F64 + "_ch4_d, _ch4_c = q09_answer\n",
           "tensors: the doubled 3x3 grid, then its last two rows and last two columns",
           "q09_answer: (doubled, corner)", parts=("your doubled grid", "your corner")),
    _value(10, "computation",
           "[None if s is None else tuple(int(v) for v in s) for s in q10_answer]", "",
           "line the shapes up from the right; None where they cannot broadcast",
           "q10_answer: the six predicted shapes"),
    Item("q11", ("q11_answer",), title="Question 11 (computation)",
         public=(_q11(torch.arange(10.0), torch.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0]),
                      torch.tensor([10.5, 11.5, 12.5, 13.5, 14.5]),
                      torch.tensor([0, 0, 0, 1, 1]), "q11_answer with a model that memorised "
                      "its training set"),),
         hidden=_q11_hidden),
    _choice(12, "multiple choice", _ONE_LETTER, _Q12_OPTIONS),
    _choice(13, "multiple choice", _ONE_LETTER, _Q13_OPTIONS),
    _choice(14, "ordering", "each letter once, in the order the steps happen", _Q14_OPTIONS,
            ordering=True),
    Item("q15", ("q15_answer",), title="Question 15 (code)",
         public=(_q15_props((784, 1), "q15_answer((784, 1)): shape, tracking, fresh values"),
                 _q15_stat("mean", 0.1, -0.01, 0.01,
                           f"the mean of q15_answer(({_Q15_DRAWS},), std=0.1)"),
                 _q15_stat("std", 0.1, 0.09, 0.11,
                           f"the spread of q15_answer(({_Q15_DRAWS},), std=0.1)")),
         hidden=_q15_hidden),
    _choice(16, "multiple choice", _ONE_LETTER, _Q16_OPTIONS),
    Item("q17", ("q17_answer",), title="Question 17 (computation)",
         public=(Probe("how far x is from the minimum after 30 steps with your learning rate "
                       "(it starts 2 away)", "q17_answer", {}, _Q17, _need("q17_answer"),
                       "a positive learning rate for which every step overshoots further "
                       "than the last", measure=divergence),)),
    Item("q18", ("q18_answer",), title="Question 18 (code)",
         public=(_q18("v ** 2", 3.0, "q18_answer(lambda v: v ** 2, 3.0)"),
                 _q18("v ** 3 - 2 * v", -2.0, "q18_answer on a cubic at -2")),
         hidden=_q18_hidden),
    _value(19, "computation", "round(float(q19_answer), 2)", "",
           "the slope of g at 0.7 (a number), not g's value; autograd does the chain rule",
           "q19_answer (to 2 decimals)"),
    _value(20, "computation", "(_ch4_acc, _ch4_grad)", "_ch4_acc, _ch4_grad = q20_answer\n",
           "a fraction between 0 and 1, and the gradient of accuracy itself (not of a smooth loss)",
           "q20_answer: (accuracy, whether its gradient is zero or missing)",
           measure=keeps_form(accuracy_and_zero_gradient)),
    Item("q21", ("q21_answer",), title="Question 21 (code (plot))",
         public=(_plot_probe("q21_answer", -4.0, 4.0, _SIG_GRID, 0.02,
                             "the curve plotted on q21_answer: spans -4..4, and its values",
                             "the sigmoid of the chapter, plotted over at least -4..4"),),
         hidden=_plot_hidden("q21_answer", -4.0, 4.0, 0.02, "the plotted sigmoid")),
    _choice(22, "multiple choice", _ONE_LETTER, _Q22_OPTIONS),
    Item("q23", ("q23_answer",), title="Question 23 (code)",
         public=(_q23([1.0, 2.0, 3.0], [0.5, -1.0, 2.0], 0.1,
                      "q23_answer on params [1, 2, 3], lr 0.1: params after, gradient "
                      "cleared, still tracking"),),
         hidden=_q23_hidden),
    Item("q24", ("q24_answer",), title="Question 24 (code)",
         public=(Probe("four passes over q24_answer: batch sizes, items seen, pairs kept, "
                       "shuffled, reshuffled", _Q24_CODE, {}, equal(), _Q24,
                       "mini-batches of 4 (x, y) pairs, every item once per pass, a fresh "
                       "random order each pass", measure=passes_form,
                       parts=("the batch sizes of each pass", "the items each pass saw",
                              "whether every pair kept its label",
                              "whether a pass came in a shuffled order",
                              "whether two passes came in different orders")),)),
    _choice(25, "ordering", "each letter once; where the gradients are cleared may vary, but "
                            "not between computing them and using them", _Q25_OPTIONS,
            ordering=True,
            measure=keeps_form(ordering_form)),
    Item("q26", ("q26_answer",), title="Question 26 (code)",
         public=(_q26([1, 2, 3, 4], "abcd", "q26_answer([1, 2, 3, 4], 'abcd')"),),
         hidden=_q26_hidden),
    Item("q27", ("q27_answer",), title="Question 27 (code)",
         public=(_q27((2, 4, 3), "q27_answer on a (2, 4, 3) batch"),
                 _q27((5, 28, 28), "q27_answer on a (5, 28, 28) batch")),
         hidden=_q27_hidden, source_rule=uses_view),
    _value(28, "computation", "(round(float(_ch4_w), 4), round(float(_ch4_b), 4))",
           "_ch4_w, _ch4_b = q28_answer\n",
           "at x = 0 the output is the bias alone", "q28_answer: (w, b)",
           parts=("your w", "your b")),
    Item("q29", ("q29_answer",), title="Question 29 (code)",
         public=(_q29(_t([[1, 2, 3], [4, 5, 6]]), _t([[1], [0], [-1]]), _t(0.5),
                      "q29_answer on a 2x3 batch"),
                 _q29(torch.ones(4, 5), torch.arange(5.0).view(5, 1), _t([1.0]),
                      "q29_answer on a 4x5 batch")),
         hidden=_q29_hidden),
    Item("q30", ("q30_answer",), title="Question 30 (code)",
         public=(_q30([[1.0, 2.0], [3.0, -1.0]], "(ps[0] ** 2).sum() + (ps[0] * ps[1]).sum()",
                      "q30_answer on two parameters: returned and stored gradients"),),
         hidden=_q30_hidden),
    _value(31, "computation", "(round(float(_ch4_a), 4), round(float(_ch4_b), 4))",
           "_ch4_a, _ch4_b = q31_answer\n",
           "what backward does to a gradient that is already there",
           "q31_answer: (after two backward calls, after zeroing and one more)",
           parts=("your gradient after two backward calls",
                  "your gradient after zeroing and one more backward call")),
    Item("q32", ("q32_answer",), title="Question 32 (code)",
         public=(_q32(["dls", "model", "opt_func", "loss_func", "metric"],
                      "q32_answer with a stand-in Learner: where each argument went"),),
         hidden=lambda rng: [_q32([f"{what} {int(rng.integers(100, 1000))}" for what in
                                   ("the loaders", "the net", "sgd", "mse", "accuracy")],
                                  "q32_answer with other arguments")]),
    Item("q33", ("q33_answer",), title="Question 33 (code)",
         public=(_q33(3, "q33_answer for 3 epochs: results and the order of the calls"),),
         hidden=lambda rng: [_q33(1, "q33_answer for one epoch"),
                             _q33(int(rng.integers(4, 7)), "q33_answer for more epochs"),
                             _q33(0, "q33_answer for zero epochs")]),
    Item("q34", ("q34_answer",), title="Question 34 (code (plot))",
         public=(_plot_probe("q34_answer", -1.99, 1.99, _RELU_GRID, 0.05,
                             "the curve plotted on q34_answer: spans -2..2, and its values",
                             "ReLU: 0 for negative inputs, the input itself for positive ones"),),
         hidden=_plot_hidden("q34_answer", -1.99, 1.99, 0.05, "the plotted ReLU")),
    Item("q35", ("q35_answer",), title="Question 35 (computation)",
         public=(_q35(np.random.default_rng(35), 4, 3, 2, "q35_answer for layers 4 -> 3 -> 2: "
                      "w, and x @ w + b"),),
         hidden=_q35_hidden),
    Item("q36", ("q36_answer", "q36_forward"), title="Question 36 (code)",
         public=(_q36(_t(_RNG.uniform(-1, 1, size=(5, 4))),
                      "q36_answer: its layers and its output with fixed weights"),),
         hidden=lambda rng: [_q36(_t(rng.uniform(-2, 2, size=(7, 4))),
                                  "q36_answer's output on other inputs")]),
    _choice(37, "multiple choice", _ONE_LETTER, _Q37_OPTIONS),
))


SPEC = SPEC.with_hints({
    "q01": (
        'Re-read "Pixels: The Foundations of Computer Vision": a grayscale image is a grid of '
        "brightness values, one number per pixel; a colour image needs one such grid per colour "
        "channel.",
        "In 8-bit images 0 is the darkest value and 255 the brightest, so a white image is 255 "
        "everywhere; a pixel is pure red when its red channel is at the maximum and the other "
        "two channels are 0. The dtype must be torch.uint8.",
        "Shapes to aim for: (rows, columns) for the gray image, (3, rows, columns) or (rows, "
        "columns, 3) for the colour one. torch.full and torch.zeros both take a dtype, and "
        "indexing one channel lets you fill it.",
    ),
    "q02": (
        'Re-read "Pixels: The Foundations of Computer Vision", where the data folder is listed: '
        "the images are split into a training part and a held-out part, and inside each part the "
        "folder name is the label.",
        "Only the held-out images count, and the label is the name of the folder that directly "
        "holds the file; the part is the folder above it. Searching the whole path string for a "
        "word is fragile: a folder such as valid_old, or a parent folder named valid, is counted "
        "too.",
        "For data/valid/7/123.png the label is 7 and the part is valid: a Path's .parent is its "
        "folder and .name the last component. Count with a dict that starts each label at 0.",
    ),
    "q03": (
        'Re-read "First Try: Pixel Similarity": each class is averaged into an ideal image, and '
        "a new image belongs to the class whose ideal is nearer.",
        "Average each training stack over its first axis (the images). Measure each image of x "
        "against each ideal with the mean absolute difference over the pixel axes only, so you "
        "get one distance per image, not one for the batch.",
        "For x of shape (5, 6, 6) the two distance tensors have shape (5,), and comparing them "
        "gives five bools. An image exactly as far from both ideals does not count as a 3.",
    ),
    "q04": (
        'Re-read "First Try: Pixel Similarity", where a list comprehension opens every image '
        "file: one bracketed expression builds a new list from a loop, with an optional filter.",
        "The expression at the front says what goes into the new list; the if part at the end "
        "decides which items are kept. Odd means a remainder of 1 when divided by 2, which in "
        "Python also holds for negative odd numbers.",
        "A similar comprehension that is not the answer: the squares of the numbers above 10, [v "
        "* v for v in values if v > 10], give [144, 400] for [3, 12, 20]. Keep the original "
        "order and return a list, not a generator.",
    ),
    "q05": (
        'Re-read "First Try: Pixel Similarity", where the images of one digit are stacked into a '
        "tensor with three axes: one counting the images, two for rows and columns.",
        "Stacking adds a new first axis, while concatenating joins along an axis that exists and "
        "gives one tall rank-2 image. Keep the list's order: image i at index i.",
        "Three 4x5 images become one tensor of shape (3, 4, 5) whose element [2] is the third "
        "image. Look up torch.stack.",
    ),
    "q06": (
        'Re-read "NumPy Arrays and PyTorch Tensors" and the "Jargon Recap": the shape lists the '
        "size of every axis, and the rank is how many axes there are.",
        "Rank is neither the number of elements nor the largest size: a (2, 3, 4) tensor has 24 "
        "elements, a largest size of 4 and rank 3. Compute it from the shape and return a plain "
        "int.",
        "A scalar tensor has shape () and rank 0; a vector of 9 values has shape (9,) and rank "
        "1. The shape behaves like a tuple: what tells you how many entries a tuple has?",
    ),
    "q07": (
        'Re-read "First Try: Pixel Similarity", where the distance between an image and an ideal '
        "digit is measured as a mean absolute difference and as a root mean squared error.",
        "RMSE squares before averaging and takes the root at the very end, so big differences "
        "weigh more than in L1. Return the two numbers in the order (l1, rmse) and leave a and b "
        "unchanged.",
        "Differences of 2, -2, 0 and 0 give L1 = 1.0 and RMSE = the square root of 2, about "
        "1.414. F.l1_loss and F.mse_loss can check your numbers, but the answer must compute "
        "them itself.",
    ),
    "q08": (
        'Re-read "NumPy Arrays and PyTorch Tensors": operations on whole tensors run in compiled '
        "code over all elements at once, while a Python loop runs the interpreter once per "
        "element.",
        "The check counts the Python lines your function runs: a loop or a comprehension over "
        "the rows runs more lines for 400 rows than for 4, one tensor expression does not. The "
        "result has one value per row, so reduce along the columns.",
        "For [[1, 2], [3, 4]] the row means of the squares are [2.5, 12.5]. Tensor.mean takes a "
        "dim argument: which one runs along a row?",
    ),
    "q09": (
        'Re-read "NumPy Arrays and PyTorch Tensors": making a tensor from a range, giving it a '
        "new shape, multiplying every element, and slicing rows and columns.",
        "Doubling multiplies every element. The bottom-right block of four numbers is the last "
        "two rows and the last two columns, a 2x2 tensor, not a flat list of four; a slice can "
        "start at a position and run to the end.",
        "With a 4x4 tensor of 1 to 16 instead, the bottom-right 2x2 block would be [[11, 12], "
        "[15, 16]]. Look up torch.arange (its end is excluded) and view to change the shape.",
    ),
    "q10": (
        'Re-read "Computing Metrics Using Broadcasting": two shapes are compared axis by axis '
        "from the right, and an axis of size 1, or a missing axis, stretches to match the other.",
        "Two sizes fit only if they are equal or one of them is 1, and a scalar fits anything. "
        "The result takes the larger size on every axis, and its rank is the larger of the two "
        "ranks.",
        "Worked pairs that are not in the list: (7, 1, 5) with (4, 1) gives (7, 4, 5); (3, 2) "
        "with (3,) cannot broadcast, because 2 and 3 differ on the last axis; (8, 1) with (1, 6) "
        "gives (8, 6).",
    ),
    "q11": (
        'Re-read "First Try: Pixel Similarity" and "Computing Metrics Using Broadcasting": the '
        "accuracy is measured on the validation set, images the model did not learn from.",
        "A model can memorise its training data and be perfect there while doing badly on new "
        "data; only the held-out part tells how it generalises. Leave train out of this number "
        "entirely.",
        "Accuracy is the share of predictions equal to the labels: 3 right out of 4 gives 0.75. "
        "Return a Python number between 0 and 1, not a tensor of bools.",
    ),
    "q12": (
        'Re-read "Stochastic Gradient Descent (SGD)" and "Summarizing Gradient Descent": what '
        "does the method repeat, and what does each repetition use?",
        "Ask of each option: does it use a gradient at all, does it improve the weights "
        "gradually or in one go, and does it follow the loss or the accuracy?",
        'The word "stochastic" is a clue: randomness enters through which examples each update '
        "looks at, not through random guesses of the weights.",
    ),
    "q13": (
        'Re-read "SGD and Mini-Batches": what happens to a gradient computed from one item, from '
        "the whole data set, and from a batch in between?",
        "Weigh three things in each option: how noisy the gradient estimate is, how much "
        "computation one update costs, and how well the hardware is used. Also check that its "
        "claims about single items and about epochs are true.",
        "Think of the extremes: one item per update gives many cheap but noisy steps; the whole "
        "set per update gives one careful but slow step per pass. A batch of 64 sits between, "
        "and a GPU handles those 64 items in parallel.",
    ),
    "q14": (
        'Re-read "Stochastic Gradient Descent (SGD)", where the seven steps are drawn as a loop.',
        "For each step ask what it needs as input and which other step produces that; the chain "
        "of dependencies fixes the order of everything except the repetition and the stop.",
        "Walk through a tiny model y = w * x with one data point: what must exist before you can "
        "say how wrong w is, and what before you can say which way to move it?",
    ),
    "q15": (
        'Re-read "The MNIST Loss Function", where the parameters start as random numbers that '
        "autograd is told to track.",
        "Fresh random values on every call (no fixed seed; zeros or ones would leave all units "
        "alike), scaled by std, and a leaf that requires grad: scale first, then switch "
        "gradients on.",
        "For 5000 draws with std=0.1, the mean should be close to 0 and the standard deviation "
        "close to 0.1, and .is_leaf and .requires_grad should both be True. Normal draws come "
        "from the torch function whose name ends in n.",
    ),
    "q16": (
        'Re-read "The MNIST Loss Function" and "Summarizing Gradient Descent": which number does '
        "SGD take the gradient of?",
        "For each option, ask whether SGD could use it: it must be computed from predictions and "
        "targets, change a little when a weight changes a little, and be lower when the model is "
        "better.",
        "Try those tests on a concrete change: nudge one weight of an MNIST model by 0.001. What "
        "happens to the number of misclassified images, and what to a number built smoothly from "
        "the sigmoid outputs?",
    ),
    "q17": (
        'Re-read "Stepping With a Learning Rate", where the figures show what happens to the '
        "steps when the learning rate is too small and too large.",
        "Each update moves x by lr times the slope. If a step jumps past the minimum to a point "
        "even further away on the other side, the next slope is bigger and the jumps grow: that "
        "is divergence, not just slow progress.",
        "Write the loop yourself and print x for a few learning rates (0.01, 0.1, then larger); "
        "here the slope at x is 6 * (x - 2). Find where x stops settling at 2 and starts "
        "swinging ever wider.",
    ),
    "q18": (
        'Re-read "Calculating Gradients": the gradient of a function at a point is its slope '
        "there, and autograd computes it for you.",
        "The usual slips are returning f(x) instead of its slope, and reading .grad of a tensor "
        "that never asked for gradients (it stays None). x arrives as a Python number, and "
        "autograd needs a floating-point tensor.",
        "For f(v) = v ** 3 at x = 2 the answer is 12.0, and for f(v) = 5 * v it is 5.0 wherever "
        "x is. .item() turns a one-element tensor into a Python float.",
    ),
    "q19": (
        'Re-read "Calculating Gradients": PyTorch differentiates any composition of its '
        "operations, so nobody needs to apply the chain rule by hand.",
        "The number asked for is the slope of q19_g at 0.7, not the value q19_g(0.7). Deriving "
        "it by hand is error-prone; let autograd do it on a tensor that tracks gradients.",
        "The steps are those of notebook 03's gradient exercise: a float tensor holding the "
        "point, gradients switched on, q19_g of it, backward, then the tensor's .grad as a "
        "Python float.",
    ),
    "q20": (
        'Re-read "The MNIST Loss Function", where it explains why accuracy cannot drive SGD: a '
        "tiny change in a prediction almost never changes the accuracy.",
        "Compute the accuracy from q20_preds itself with the 0.5 threshold. The comparison cuts "
        "the link to autograd, so the second value records what autograd can give you here, "
        "never the gradient of some smooth loss.",
        "Count by hand first: a prediction above 0.5 means 1, and the accuracy is the share of "
        "the five that match their targets. Then try backward on that accuracy and read the "
        "error message: it tells you which form the gradient takes.",
    ),
    "q21": (
        'Re-read "Sigmoid": the curve squashes every input into the range between 0 and 1, '
        "passes through 0.5 at 0, and rises smoothly everywhere.",
        "The check reads the points you plotted: xs must cover at least -4 to 4, and ys must be "
        "the sigmoid of exactly those xs (not of other points, and not tanh, which runs from -1 "
        "to 1).",
        "Values to find on your curve: about 0.881 at x = 2, about 0.119 at x = -2, and far out "
        "it flattens towards 0 and 1 without reaching them.",
    ),
    "q22": (
        'Re-read "The MNIST Loss Function", where the number that SGD optimises is told apart '
        "from the number people read to judge the model.",
        "For each option, ask who uses the number (the optimiser or a person) and what that user "
        "needs: the optimiser needs a useful gradient, a person needs something easy to "
        "interpret.",
        "Think of accuracy: easy to read, but flat under tiny weight changes. Could it drive "
        "training? And could a smooth sigmoid-based loss be what a person wants to read at the "
        "end of an epoch? fastai prints both.",
    ),
    "q23": (
        'Re-read "Stepping With a Learning Rate": the new weights are the old ones moved against '
        "the gradient, by a step that the learning rate scales.",
        "Change params itself, in place, inside a block that switches gradient tracking off "
        "(otherwise PyTorch refuses); then zero .grad so the next backward starts fresh. "
        "Assigning a new tensor to the name params changes nothing outside your function.",
        "With params [1.0, 2.0], gradient [4.0, -2.0] and lr 0.5, the values afterwards are "
        "[-1.0, 3.0], params.grad is all zeros (or None), and params still requires grad.",
    ),
    "q24": (
        'Re-read "SGD and Mini-Batches": a DataLoader takes a dataset and yields it in '
        "mini-batches, collating the (x, y) pairs of each batch into a tensor of xs and a tensor "
        "of ys.",
        "Two settings matter here: the batch size, and whether the order is reshuffled on every "
        "pass. A permutation made once, or a fixed list of batches, repeats the same order every "
        "pass.",
        "Over 10 items with batches of 4 you should see batch sizes 4, 4 and 2, every item once "
        "per pass, and two passes in different orders. Loop over your loader twice and print the "
        "xs to see it.",
    ),
    "q25": (
        'Re-read "Putting It All Together", where one epoch of training is written out as a loop '
        "over mini-batches.",
        "Follow the data: each line consumes something an earlier line produced (a batch, "
        "predictions, a loss, gradients). Clearing the gradients has some freedom, but think "
        "about what it would destroy at the wrong moment.",
        "Play it through for one batch of two images: what must exist before a loss can be "
        "computed, before backward can run, and before a parameter can move?",
    ),
    "q26": (
        'Re-read "The MNIST Loss Function", where inputs and labels are paired into the data set '
        "that a DataLoader reads.",
        "The result must be a list of tuples, input first, one per position: a zip object is not "
        "a list, and a list of lists is not a list of tuples.",
        'For [5, 6] and "xy" the answer is [(5, "x"), (6, "y")]. Python has a built-in that '
        "pairs sequences position by position; wrap its result to get a real list.",
    ),
    "q27": (
        'Re-read "The MNIST Loss Function", where each 28x28 image becomes a row of 784 numbers '
        "with view.",
        "view changes only the shape: the data are shared, not copied, so the number of elements "
        "stays the same. Keep the number of images as the first axis and let -1 stand for the "
        "number of pixels.",
        "A (6, 3, 5) batch becomes (6, 15). Which size do you know for sure (the count of "
        "images, from the shape), and which should PyTorch work out? Writing 784 into the code "
        "fails for images of another size.",
    ),
    "q28": (
        'Re-read "The MNIST Loss Function", where a bias is added to the weighted sum so that '
        "the output need not be zero when the input is zero.",
        "At x = 0 the term x * w vanishes, so the output there is b alone; the slope w is how "
        "much the output changes per unit of x between the two points.",
        "A line through (0, 4) and (1, 6) has b = 4 and w = (6 - 4) / (1 - 0) = 2. Do the same "
        "with the question's two points.",
    ),
    "q29": (
        'Re-read "The MNIST Loss Function", where the @ operator computes every score of a batch '
        "in one matrix multiplication.",
        "@ is matrix multiplication, not element-wise *: a (batch, features) matrix times a "
        "(features, 1) matrix gives a (batch, 1) column whose entries are sums of products. The "
        "bias is added afterwards, to every row.",
        "By hand: the rows [1, 0, 2] and [0, 1, 1] times the weights [[2], [5], [1]] give [[4], "
        "[6]]; with a bias of 1 the result is [[5], [7]].",
    ),
    "q30": (
        'Re-read "Calculating Gradients": backward starts from a single number and fills the '
        ".grad of every tensor that led to it and asked for gradients.",
        "One backward call fills the gradients of all the parameters at once; calling backward "
        "again, once per parameter, adds to them (or fails on a used graph). Return the "
        "gradients themselves, in the order of params.",
        "For a loss (p0 ** 2).sum() with p0 = [1.0, 3.0], the gradient of p0 is [2.0, 6.0]; a "
        "parameter that the loss does not use keeps .grad None.",
    ),
    "q31": (
        'Re-read "Putting It All Together", where the chapter explains why every step ends by '
        "zeroing the gradients.",
        "backward adds to whatever .grad already holds instead of replacing it, so two backward "
        "calls in a row leave the sum of two gradients, and only zeroing brings it back to a "
        "single one.",
        "With x = 5.0 instead, the slope of x**2 is 10: run the same sequence with that value "
        "and compare the two numbers you record before and after zeroing.",
    ),
    "q32": (
        "Re-read \"Creating an Optimizer\", where fastai's Learner is built from the data, the "
        "model, the function that makes the optimizer, the loss and the metrics.",
        "The DataLoaders and the model come first, by position; the optimizer function, the loss "
        "function and the metric go in by keyword, with the names fastai uses. Epochs and "
        "learning rate belong to fit, not to the Learner.",
        "Look up the signature of fastai's Learner: the keyword for the metric is plural, "
        "because it accepts several.",
    ),
    "q33": (
        'Re-read "Creating an Optimizer", where train_model repeats an epoch of training '
        "followed by a validation.",
        "Every epoch trains and then validates, in that order, and what validate returns is kept "
        "each time; zero epochs give an empty list. Validating only once at the end is the usual "
        "slip.",
        "For 2 epochs the calls go train, validate, train, validate, and the list you return has "
        "two entries, in epoch order. Stand-ins that print their names show the order.",
    ),
    "q34": (
        'Re-read "Adding a Nonlinearity": the ReLU replaces each negative value by zero and lets '
        "every other value through unchanged.",
        "The check samples your curve on -2..2, so xs must cover that range and ys must be the "
        "ReLU of exactly those xs: flat at 0 on the left, the identity line on the right, with "
        "the corner at 0.",
        "Spot values: ReLU(-1.5) = 0, ReLU(0) = 0, ReLU(1.2) = 1.2. Look up Tensor.clamp or "
        "torch.relu to compute it on the whole tensor of xs.",
    ),
    "q35": (
        'Re-read "Adding a Nonlinearity": without a nonlinearity between them, two linear layers '
        "act as one, which is why networks need activation functions.",
        "Adding the two biases is the usual slip: the first bias is also transformed by the "
        "second layer. Expand the nested expression with the distributive law and read off what "
        "multiplies x and what is left over.",
        "Shapes: with w1 of (6, 5) and w2 of (5, 2), the single weight matrix is (6, 2) and the "
        "bias has 2 values. For a random x of shape (3, 6), your single layer and the two layers "
        "should agree to about 1e-6.",
    ),
    "q36": (
        'Re-read "Adding a Nonlinearity", where the net is written once with functions and once '
        "as an nn.Sequential of modules.",
        "nn.Sequential holds module objects, so the nonlinearity there must be an instance of "
        "the class, not the class and not F.relu. q36_forward calls the two linear modules of "
        "the model with the function F.relu between them, without calling the model itself.",
        "Sizes: 4 inputs, 3 hidden units, 1 output, so the first linear module has a (3, 4) "
        "weight and the second a (1, 3) weight. model[1] is the ReLU module; model[0] and "
        "model[2] are the linear ones.",
    ),
    "q37": (
        'Re-read the end of "Adding a Nonlinearity" and "Going Deeper": the universal '
        "approximation theorem says what a network can represent, not what is practical to train.",
        "Separate theory from practice in each option: is its claim about what the theorem "
        "allows true, and is its claim about overfitting or curves something the chapter "
        "supports?",
        "Compare two nets that reach the same accuracy: one very wide hidden layer, or several "
        "narrow ones. Which needs more parameters and memory, and which does the chapter say "
        "trains faster in practice?",
    ),
})


# known misconceptions (instructor analysis only: ``ch4 insight``, the report's clusters)


def _q07_no_root(got: Any, want: Any, inputs: dict) -> bool:
    mine, theirs = first(got), first(want)
    return isinstance(mine, list | tuple) and isinstance(theirs, list | tuple) \
        and len(mine) == len(theirs) == 2 and same(mine[0], theirs[0]) \
        and squared(mine[1], theirs[1])


def _q08_columns(got: Any, want: Any, inputs: dict) -> bool:
    x = array(inputs.get("x"))
    return x is not None and x.ndim == 2 and same(got, (x * x).mean(axis=0))


SPEC = SPEC.with_misconceptions({
    "q07": (Misconception(
        "RMSE without the root", "the RMSE returned as the mean squared error",
        "RMSE has three steps: square, average, and one more that brings the units back.",
        _q07_no_root),),
    "q08": (Misconception(
        "mean over the wrong axis", "averaged down the columns instead of along each row",
        "One value per row: along which axis do you average so that the rows stay?",
        _q08_columns),),
})
