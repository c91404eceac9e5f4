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

from autograder.items.cells import CellSpec
from autograder.items.misconceptions import negated_step
from autograder.items.spec import Item, Misconception, Part, Probe, close, returns
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


_ALONE = "work on a fresh copy of x that tracks gradients, and leave the caller's x alone"
GRADIENT_PARTS = (
    Part("the gradient your first call returns"),
    Part("the gradient a second call returns",
         "gradients add up in .grad: each call needs its own fresh copy of x"),
    Part("your input x after the calls", _ALONE),
    Part("whether your input x requires grad after the calls", _ALONE),
    Part("whether your input x is left without a .grad", _ALONE),
)


def _gradient(fn: str, x: torch.Tensor, what: str, hint: str = "") -> Probe:
    return Probe(f"gradient of {what}, called twice",
                 "(gradient(_f, x), gradient(_f, x), x, x.grad)", {"x": x},
                 close(atol=1e-4, rtol=1e-4), setup=_TORCH + f"_f = lambda v: {fn}\n",
                 hint=hint or "the derivative computed by autograd on a fresh copy of x: the "
                              "same answer on every call, and the caller's x left alone",
                 measure=gradient_form, parts=GRADIENT_PARTS)


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
                  hint="compute with the parameters as tensors so autograd can follow them",
                  parts=("the values quadratic returns",
                         "params.grad after a backward pass of their sum"))]


# ------------------------------------------------------------------ exercise 3: mse

def _mse(preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    return Probe(f"mse on {what}", "(mse(preds, targets), preds, targets)",
                 {"preds": preds, "targets": targets}, close(atol=1e-4, rtol=1e-4),
                 hint="square the differences, then their mean over every element "
                      "(no square root)", parts=returns("loss", "preds", "targets"))


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
                             "follow it",
                        parts=("the loss mse returns",
                               "preds.grad after a backward pass of that loss")))
    return probes


# ------------------------------------------------------------------ exercise 4: apply_step

def steps_form(value: Any) -> list:
    """Grader side, from ``(per step (loss, params, raw .grad or None), params.grad after a
    fresh params.sum().backward())``: step after step the loss, the parameters and the size
    of their gradient (0 for None), then whether params is still a leaf that requires grad
    (the backward pass of its sum reached it: a .grad of ones). One flat list, so that a
    message names the step and the check that failed (``steps_parts``)."""
    steps, grad_of_sum = value
    out: list = []
    for loss, params, grad in steps:
        out += [loss, params, 0.0 if grad is None else float(np.abs(_tensor(grad)).sum())]
    last = _tensor(steps[-1][1])
    leaf = isinstance(grad_of_sum, Array) and grad_of_sum.values.shape == last.shape \
        and bool(np.all(grad_of_sum.values == 1))
    return [*out, leaf]


def steps_parts(count: int) -> tuple[Part, ...]:
    """The names of ``steps_form``'s parts for ``count`` steps, each with the one thing of
    the step's checklist it tests."""
    parts: list[Part] = []
    for step in range(1, count + 1):
        parts += [Part(f"the loss step {step} returns",
                       "the loss of the predictions for the t and y you are given, "
                       "computed before the update"),
                  Part(f"params after step {step}",
                       "move params in place against their gradient scaled by lr, using the "
                       "t and y you are given"),
                  Part(f"the size of params.grad after step {step}",
                       "clear the gradient after the update, so the next step starts from "
                       "zero")]
    return (*parts, Part("whether params is still a leaf that requires grad after the steps",
                         "update params in place with gradient tracking switched off"))


def _steps(t: torch.Tensor, y: torch.Tensor, start: torch.Tensor, lr: float, count: int,
           what: str, keyword: bool = False) -> Probe:
    return Probe(f"apply_step, {count} steps from given parameters on {what}",
                 f"_ch4_steps(params, t, y, {lr!r}, {count}, {keyword})",
                 {"t": t, "y": y, "params": start.clone().requires_grad_()},
                 close(atol=1e-4, rtol=1e-4), setup=_STEPS, measure=steps_form,
                 parts=steps_parts(count),
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


SPEC = CellSpec("03_sgd_by_hand", (
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
    "ex_gradient": (
        'Re-read "Calculating Gradients": a tensor asks for gradients, a single number is '
        "computed from it, backward is called on that number, and the gradient waits in the "
        "tensor's .grad.",
        "The check calls your function twice with the same x. If you mark the caller's tensor "
        "and call backward on it each time, .grad adds up and the second answer comes out "
        "doubled: work on a detached clone, never on x itself.",
        "For f(x) = (x**3).sum() at [1, 2] the gradient is [3, 12], and a second call must give "
        "[3, 12] again, not [6, 24]. Return the copy's .grad: a tensor with the shape of x.",
    ),
    "ex_quadratic": (
        'Re-read "An End-to-End SGD Example": the model is a quadratic in t whose three '
        "coefficients are the parameters to learn, computed for every time step at once.",
        "The parameters arrive as one sequence in the order (a, b, c): the first multiplies the "
        "square, the second multiplies t, the third is added on its own. Mixing up that order, "
        "or squaring the wrong term, is the usual mistake.",
        "Check by hand with params (2, -1, 0.5) at t = [0, 1, 3]: the values are 0.5, 1.5 and "
        "15.5. Tensor arithmetic applies element by element, so one expression covers every t.",
    ),
    "ex_mse": (
        'Re-read "An End-to-End SGD Example", where the loss of the quadratic is the mean '
        "squared error between its predictions and the measured speeds.",
        "Mean squared error is not RMSE: there is no root at the end. It is one number for the "
        "whole batch (the mean runs over every element), built from tensor operations so that "
        "backward can follow it.",
        "Predictions [2, 0, 5] against targets [1, 2, 5] give differences 1, -2 and 0, squares "
        "1, 4 and 0, and a loss of 5/3, about 1.667.",
    ),
    "ex_apply_step": (
        'Re-read "Stepping With a Learning Rate" and "An End-to-End SGD Example": one step '
        "predicts, measures the loss, gets the gradients, moves each parameter against its "
        "gradient, then forgets the gradient.",
        "Three slips are common: updating while gradients are tracked (PyTorch refuses), making "
        "a new tensor instead of changing params in place, and leaving .grad filled so the next "
        "step adds to it. Return the loss from before the update, and use the t and y arguments.",
        "A one-parameter check: a loss of 4 with a gradient of 2 and a learning rate of 0.1 "
        "moves a parameter from 3.0 to 2.8, and the function returns 4. Afterwards params.grad "
        "is None or zeros, and params is still the same tensor, tracking gradients.",
    ),
})


# known misconceptions (instructor analysis only: ``ch4 insight``, the report's clusters)


def _uphill(got: Any, want: Any, inputs: dict) -> bool:
    return isinstance(got, list) and isinstance(want, list) and len(got) > 1 \
        and len(want) > 1 and negated_step(got[1], want[1], inputs.get("params"))


def _grad_kept(got: Any, want: Any, inputs: dict) -> bool:
    if not (isinstance(got, list) and isinstance(want, list) and len(got) == len(want)):
        return False
    sizes = [(g, w) for index, (g, w) in enumerate(zip(got, want, strict=True))
             if index % 3 == 2 and index < len(got) - 1]
    return any(isinstance(g, float | int) and g > 0 and w == 0 for g, w in sizes)


SPEC = SPEC.with_misconceptions({
    "ex_apply_step": (
        Misconception("step uphill", "parameters moved along the gradient instead of against "
                      "it", "The gradient points to where the loss grows: which way should the "
                      "parameters move to make it smaller?", _uphill),
        Misconception("gradient not cleared", "the gradient is never set back to zero, so "
                      "steps pile up", "PyTorch adds each new gradient to .grad: what must "
                      "happen to it after the step?", _grad_kept)),
})
