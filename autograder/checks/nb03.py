"""Public checks for notebook 03 (gradients and SGD by hand on a quadratic)."""

from __future__ import annotations

import torch

from autograder.checks._common import (
    expect,
    expect_callable,
    expect_close,
    expect_number,
    expect_tensor,
)

# One and two steps of SGD (lr 0.01, params starting at zero) on the three points below,
# measured once: the loss before each step and the parameters after it.
TINY_T = (0.0, 1.0, 2.0)
TINY_Y = (1.0, 3.0, 7.0)
TINY_STEPS = (
    (19.666666, (0.2066667, 0.1133333, 0.0733333)),
    (14.049821, (0.3806667, 0.2090222, 0.1360444)),
)


def check_gradient(gradient) -> None:
    expect_callable(gradient, "gradient")
    g = expect_tensor(gradient(lambda x: x ** 2, torch.tensor(3.0)), "gradient(x**2 at 3)", ())
    expect_close(g, 6.0, "the gradient of x**2 at 3", hint="the slope of x**2 is 2*x")
    x = torch.tensor([3.0, 4.0, 10.0])
    first = expect_tensor(gradient(lambda v: (v ** 2).sum(), x), "gradient at [3, 4, 10]", (3,))
    first = first.detach().clone()
    expect_close(first, [6.0, 8.0, 20.0], "the gradient of (x**2).sum() at [3, 4, 10]")
    second = gradient(lambda v: (v ** 2).sum(), x)
    expect_close(second, [6.0, 8.0, 20.0], "a second call on the same tensor",
                 hint="gradients add up in .grad; work on a fresh copy of x each time")
    expect(not x.requires_grad, "gradient should not switch on requires_grad on the caller's x: "
           "use x.detach().clone().requires_grad_()")


def check_quadratic(quadratic) -> None:
    expect_callable(quadratic, "quadratic")
    t = torch.tensor([0.0, 1.0, 2.0])
    got = expect_tensor(quadratic(t, torch.tensor([1.0, 2.0, 3.0])), "quadratic(t, [1, 2, 3])",
                        (3,))
    expect_close(got, [3.0, 6.0, 11.0], "quadratic([0, 1, 2], params=[1, 2, 3])",
                 hint="a * t**2 + b * t + c with (a, b, c) = params")


def check_mse(mse) -> None:
    expect_callable(mse, "mse")
    got = expect_number(mse(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 4.0, 0.0])),
                        "mse([1, 2, 3], [1, 4, 0])")
    expect_close(got, 13 / 3, "mse([1, 2, 3], [1, 4, 0])",
                 hint="square the differences, then take their mean (no square root)")


def check_apply_step(apply_step) -> None:
    expect_callable(apply_step, "apply_step")
    t, y = torch.tensor(TINY_T), torch.tensor(TINY_Y)
    params = torch.zeros(3).requires_grad_()
    for number, (loss_before, after) in enumerate(TINY_STEPS, start=1):
        loss = expect_number(apply_step(params, t, y, 0.01), f"the loss returned by step {number}")
        expect_close(loss, loss_before, f"the loss returned by step {number}", atol=1e-3,
                     hint="return the loss computed before the parameters change")
        expect_tensor(params, "params")
        expect_close(params, after, f"params after step {number}", atol=1e-4,
                     hint="params -= lr * params.grad, inside torch.no_grad(), then clear the "
                          "gradient" if number == 1 else
                          "did you reset params.grad after the first step? gradients add up")
        expect(params.grad is None or not bool(params.grad.abs().sum() > 0),
               "after a step params.grad should be reset (params.grad = None or .zero_())")
        expect(params.requires_grad and params.is_leaf,
               "params should still be a leaf tensor that requires grad after a step")
