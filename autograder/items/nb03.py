"""Items of notebook 03 (gradients and SGD by hand on a quadratic).

The functions handed to ``gradient`` are small lambdas written with torch in the probe's setup
(library code, not anyone's answer). ``apply_step`` is probed from given starting parameters on
given data for a few steps: the loss it returns, the parameters after each step and the state
of their gradient are the values compared, so a forgotten reset, a wrong sign or an update that
never reaches the caller's tensor all show.

The kernel only returns raw values (results, tensors, raw ``.grad`` tensors or None); whether the
caller's tensor still requires grad, got a ``.grad`` or is still a leaf is read here, in the
grader, by each probe's ``measure``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.items.spec import Item, NotebookSpec, Probe, close
from autograder.items.wire import Array

_TORCH = "import torch as _torch\n"
# apply_step called ``count`` times on the caller's params: after each step the loss, a copy of
# params and a copy of its raw .grad (or None); at the end params.grad after a fresh
# params.sum().backward() (ones for a leaf that requires grad, None where backward fails)
_STEPS = """from autograder.items.fixtures import grad_copy as _ch4_grad
from autograder.items.fixtures import grad_of_sum as _ch4_grad_of_sum


def _ch4_steps(params, t, y, lr, count, keyword):
    steps = []
    for _ in range(count):
        loss = apply_step(params, t, y, lr=lr) if keyword else apply_step(params, t, y, lr)
        steps.append((loss, params.detach().clone(), _ch4_grad(params)))
    return steps, _ch4_grad_of_sum(params)
"""


def _f32(values: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(values, dtype=np.float32))


def _tensor(value: Any) -> np.ndarray:
    """The values of a tensor the kernel returned (anything else fails the probe)."""
    if not isinstance(value, Array) or not value.torch:
        raise TypeError("not a tensor")
    return value.values


# ------------------------------------------------------------------ exercise 1: gradient

def gradient_form(value: Any) -> list:
    """Grader side, from ``(first call, second call, the caller's x, its raw .grad)``: the two
    results, x's values, whether x requires grad (part of the raw tensor) and whether x was
    left without a .grad."""
    first, second, x, grad = value
    _tensor(x)
    return [first, second, x, x.requires_grad, grad is None]


def _gradient(fn: str, x: torch.Tensor, what: str, hint: str = "") -> Probe:
    return Probe(f"gradient of {what}, called twice",
                 "(gradient(_f, x), gradient(_f, x), x, x.grad)", {"x": x},
                 close(atol=1e-4, rtol=1e-4), setup=_TORCH + f"_f = lambda v: {fn}\n",
                 hint=hint or "the derivative computed by autograd on a fresh copy of x: the "
                              "same answer on every call, and the caller's x left alone",
                 measure=gradient_form)


def _gradient_hidden(rng: np.random.Generator) -> list[Probe]:
    tracked = _f32(rng.standard_normal(3)).requires_grad_()
    return [_gradient("(v ** 3).sum()", _f32(rng.standard_normal(5)), "the sum of cubes"),
            _gradient("_torch.sin(v).sum()", _f32(rng.standard_normal((2, 3))),
                      "the sum of sines of a 2x3 tensor"),
            _gradient("4 * v ** 2 - 3 * v + 1", _f32(rng.standard_normal(())),
                      "a quadratic at a scalar point"),
            _gradient("(v * _torch.arange(4.0)).sum() + 7", _f32(rng.standard_normal(4)),
                      "a linear function"),
            _gradient("(2 * v ** 2).sum()", tracked, "a function at a point that already "
                      "requires grad", "detach the copy from the caller's tensor: the caller's "
                      "x should get no .grad")]


# ------------------------------------------------------------------ exercise 2: quadratic

def _quadratic(t: torch.Tensor, params: torch.Tensor, what: str) -> Probe:
    return Probe(f"quadratic on {what}", "quadratic(t, params)", {"t": t, "params": params},
                 close(atol=1e-4, rtol=1e-4, scalar=False),
                 hint="the quadratic with the three coefficients in params, evaluated for "
                      "every element")


def _quadratic_hidden(rng: np.random.Generator) -> list[Probe]:
    tracked = _f32(rng.standard_normal(3)).requires_grad_()
    return [_quadratic(_f32(rng.standard_normal(9) * 5), _f32(rng.standard_normal(3)),
                       "9 random times"),
            _quadratic(_f32(rng.standard_normal((2, 5))), _f32(rng.standard_normal(3) * 4),
                       "a 2x5 tensor of times"),
            _quadratic(_f32([0.0]), _f32(rng.standard_normal(3)), "t = 0 only"),
            Probe("the gradient of quadratic's sum with respect to the parameters",
                  "(_out, params.grad)",
                  {"t": _f32(rng.standard_normal(7) * 3), "params": tracked},
                  close(atol=1e-3, rtol=1e-4, scalar=False),
                  setup="_out = quadratic(t, params)\n_out.sum().backward()\n",
                  hint="compute with the parameters as tensors so autograd can follow them")]


# ------------------------------------------------------------------ exercise 3: mse

def _mse(preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    return Probe(f"mse on {what}", "(mse(preds, targets), preds, targets)",
                 {"preds": preds, "targets": targets}, close(atol=1e-4, rtol=1e-4),
                 hint="square the differences, then their mean over every element "
                      "(no square root); inputs left unchanged")


def _mse_hidden(rng: np.random.Generator) -> list[Probe]:
    tracked = _f32(rng.standard_normal(6)).requires_grad_()
    probes = [_mse(_f32(rng.standard_normal(s)), _f32(rng.standard_normal(s) * 3),
                   f"tensors of shape {s}") for s in ((20,), (4, 5), (1,))]
    probes.append(Probe("the gradient of mse with respect to the predictions",
                        "(_loss, preds.grad)", {"preds": tracked,
                                                "targets": _f32(rng.standard_normal(6))},
                        close(atol=1e-5, rtol=1e-4),
                        setup="_loss = mse(preds, targets)\n_loss.backward()\n",
                        hint="compute the loss with tensor operations so autograd can "
                             "follow it"))
    return probes


# ------------------------------------------------------------------ exercise 4: apply_step

def steps_form(value: Any) -> dict:
    """Grader side, from ``(per step (loss, params, raw .grad or None), params.grad after a
    fresh params.sum().backward())``: per step the loss, the parameters and the size of their
    gradient (0 for None), and whether params is still a leaf that requires grad (the backward
    pass of its sum reached it: a .grad of ones)."""
    steps, grad_of_sum = value
    out = [[loss, params, 0.0 if grad is None else float(np.abs(_tensor(grad)).sum())]
           for loss, params, grad in steps]
    last = _tensor(steps[-1][1])
    leaf = isinstance(grad_of_sum, Array) and grad_of_sum.values.shape == last.shape \
        and bool(np.all(grad_of_sum.values == 1))
    return {"after each step (loss, params, size of params.grad)": out,
            "params still a leaf that requires grad": leaf}


def _steps(t: torch.Tensor, y: torch.Tensor, start: torch.Tensor, lr: float, count: int,
           what: str, keyword: bool = False) -> Probe:
    return Probe(f"apply_step, {count} steps from given parameters on {what}",
                 f"_ch4_steps(params, t, y, {lr!r}, {count}, {keyword})",
                 {"t": t, "y": y, "params": start.clone().requires_grad_()},
                 close(atol=1e-4, rtol=1e-4), setup=_STEPS, measure=steps_form,
                 hint="return the loss from before the step; move params in place against its "
                      "gradient scaled by lr, with gradient tracking switched off, then clear the "
                      "gradient; use the t and y you are given")


def _apply_step_hidden(rng: np.random.Generator) -> list[Probe]:
    t = torch.linspace(-2, 3, 11)
    y = 0.5 * t ** 2 - t + _f32(rng.standard_normal(11) * 0.1)
    t2 = _f32(rng.random(6) * 4)
    y2 = _f32(rng.standard_normal(6) * 2 + 3)
    return [_steps(t, y, _f32(rng.standard_normal(3)), 0.03, 3, "11 points"),
            _steps(t2, y2, _f32(rng.standard_normal(3)), 0.01, 4, "6 other points",
                   keyword=True),
            _steps(t, y, torch.zeros(3), 0.05, 1, "11 points, starting at zero")]


SPEC = NotebookSpec("03_sgd_by_hand", (
    Item("ex_gradient", ("gradient",), title="Exercise 1 (gradient)",
         public=(_gradient("v ** 2", torch.tensor(3.0), "x**2 at 3", "the slope of the square "
                           "at 3, as autograd computes it on a fresh copy of x"),
                 _gradient("(v ** 2).sum()", torch.tensor([3.0, 4.0, 10.0]),
                           "(x**2).sum() at [3, 4, 10]", "gradients add up in .grad: work on "
                           "a fresh copy of x each time, and leave the caller's x alone")),
         hidden=_gradient_hidden),
    Item("ex_quadratic", ("quadratic",), title="Exercise 2 (quadratic)",
         public=(_quadratic(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([1.0, 2.0, 3.0]),
                            "t = [0, 1, 2] with params (1, 2, 3)"),),
         hidden=_quadratic_hidden),
    Item("ex_mse", ("mse",), title="Exercise 3 (mse)",
         public=(_mse(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 4.0, 0.0]),
                      "[1, 2, 3] against [1, 4, 0]"),),
         hidden=_mse_hidden),
    Item("ex_apply_step", ("apply_step",), needs=("ex_quadratic", "ex_mse"),
         title="Exercise 4 (apply_step)",
         public=(_steps(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([1.0, 3.0, 7.0]),
                        torch.zeros(3), 0.01, 2, "three points"),),
         hidden=_apply_step_hidden),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    'ex_gradient': (
        'Autograd fills .grad of a tensor that asked for gradients, after backward on a scalar.',
        "Work on a fresh copy that tracks gradients, so the caller's tensor is never touched.",
        'Gradients add up between backward calls: a fresh copy each call gives the same answer '
        'every time.',
    ),
    'ex_quadratic': (
        'Unpack the three parameters and combine them with t using tensor arithmetic.',
        'Keep the parameters as tensors in the formula so autograd can follow them back.',
    ),
    'ex_mse': (
        'Square the differences, then average them over every element.',
        'Mean squared error has no square root; use tensor operations so autograd can follow.',
    ),
    'ex_apply_step': (
        'One step: predictions, loss, gradients, then an update of the parameters.',
        'The update changes the parameters in place, in a block where gradient tracking is '
        'switched off.',
        'After the update, clear the gradient so the next step starts from zero; return the loss '
        'computed before the update.',
    ),
})
