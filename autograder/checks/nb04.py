"""Public checks for notebook 04 (the MNIST data as vectors, the MNIST loss and sigmoid)."""

from __future__ import annotations

import torch

from autograder.checks._common import (
    expect,
    expect_callable,
    expect_close,
    expect_number,
    expect_tensor,
    fail,
)


def check_make_xy(make_xy) -> None:
    expect_callable(make_xy, "make_xy")
    threes, sevens = torch.ones(2, 28, 28), torch.zeros(3, 28, 28)
    result = make_xy(threes, sevens)
    expect(isinstance(result, tuple) and len(result) == 2, "make_xy should return a tuple (x, y)")
    x, y = result
    expect_tensor(x, "x", (5, 784))
    expect_close(x.sum(1), [784, 784, 0, 0, 0], "the rows of x",
                 hint="the 3s first, then the 7s, each image flattened with view(-1, 28*28)")
    if tuple(expect_tensor(y, "y").shape) != (5, 1):
        fail(f"y should have shape (5, 1), one column, got {tuple(y.shape)}: use unsqueeze(1)")
    expect_close(y, [[1], [1], [0], [0], [0]], "y", hint="1 for a 3 and 0 for a 7")


def check_make_dataset(make_dataset) -> None:
    expect_callable(make_dataset, "make_dataset")
    x, y = torch.arange(6.0).view(3, 2), torch.tensor([[1], [0], [1]])
    dset = make_dataset(x, y)
    expect(isinstance(dset, list), f"make_dataset should return a list, got {type(dset).__name__}")
    expect(len(dset) == 3, f"the dataset should hold one item per row, got {len(dset)}")
    item = dset[1]
    expect(isinstance(item, tuple) and len(item) == 2, "each item should be a tuple (x, y)")
    expect_close(item[0], [2.0, 3.0], "the x of item 1", hint="items are (x, y), in that order")
    expect_close(item[1], [0], "the y of item 1")


def check_init_params(init_params) -> None:
    expect_callable(init_params, "init_params")
    state = torch.get_rng_state()
    try:
        w = expect_tensor(init_params((784, 1)), "init_params((784, 1))", (784, 1))
        expect(w.requires_grad, "the parameters should require gradients (requires_grad_())")
        expect(w.is_leaf, "the parameters should be a leaf tensor: multiply by std first, then "
               "call .requires_grad_() on the result")
        expect(w.is_floating_point(), "the parameters should be floats")
        expect_tensor(init_params(1), "init_params(1)", (1,))
        big = init_params(20_000, std=0.1).detach()
        expect(abs(float(big.mean())) < 0.01, "random parameters should be centred on 0 "
               "(torch.randn, not torch.rand)")
        spread = float(big.std())
        expect(0.09 < spread < 0.11, f"with std=0.1 the spread should be about 0.1, got "
               f"{spread:.3f}: multiply the normal random numbers by std")
    finally:
        torch.set_rng_state(state)


def check_linear1(linear1) -> None:
    expect_callable(linear1, "linear1")
    xb = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    w, b = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0.5])
    got = expect_tensor(linear1(xb, w, b), "linear1(xb, weights, bias)")
    if tuple(got.shape) != (2, 1):
        fail(f"for 2 images and weights of shape (3, 1) the result should have shape (2, 1), got "
             f"{tuple(got.shape)}: use matrix multiplication, xb @ weights")
    expect_close(got, [[1.5], [5.5]], "linear1(xb, weights, bias)", hint="xb @ weights + bias")


def check_accuracy_from_preds(accuracy_from_preds) -> None:
    expect_callable(accuracy_from_preds, "accuracy_from_preds")
    preds = torch.tensor([[2.0], [-1.0], [0.5], [-3.0]])
    targets = torch.tensor([[1], [0], [0], [0]])
    got = expect_number(accuracy_from_preds(preds, targets), "accuracy_from_preds(preds, targets)")
    expect_close(got, 0.75, "accuracy_from_preds(preds, targets)",
                 hint="a prediction above 0 means 'a 3' (target 1); three of the four are right")


def check_grad_wrt_preds(grad_wrt_preds, accuracy_from_preds) -> None:
    expect_callable(grad_wrt_preds, "grad_wrt_preds")
    preds = torch.tensor([[2.0], [-1.0], [0.5]])
    targets = torch.tensor([[1], [0], [0]])
    for attempt in (1, 2):
        got = grad_wrt_preds(lambda p, t: (3 * p).sum(), preds, targets)
        expect_close(got, [[3.0], [3.0], [3.0]], f"the gradient of (3*p).sum() (call {attempt})",
                     hint="work on a fresh copy of preds that requires grad")
    flat = grad_wrt_preds(accuracy_from_preds, preds, targets)
    if flat is not None:
        expect_close(flat, torch.zeros(3, 1), "the gradient of the accuracy",
                     hint="return None when the result does not require grad")
    expect(not preds.requires_grad, "grad_wrt_preds should not change the caller's preds")


def check_mnist_loss_v1(mnist_loss_v1) -> None:
    expect_callable(mnist_loss_v1, "mnist_loss_v1")
    preds = torch.tensor([0.9, 0.4, 0.2])
    targets = torch.tensor([1, 0, 1])
    got = expect_number(mnist_loss_v1(preds, targets), "mnist_loss_v1(preds, targets)")
    expect_close(got, 1.3 / 3, "mnist_loss_v1([0.9, 0.4, 0.2], [1, 0, 1])",
                 hint="for a 3 (target 1) the loss is 1 - prediction, for a 7 the prediction; "
                      "then the mean")


def check_sigmoid(sigmoid) -> None:
    expect_callable(sigmoid, "sigmoid")
    got = expect_tensor(sigmoid(torch.tensor([-2.0, 0.0, 2.0])), "sigmoid([-2, 0, 2])", (3,))
    expect_close(got, [0.1192, 0.5, 0.8808], "sigmoid([-2, 0, 2])", atol=1e-4,
                 hint="1 / (1 + exp(-x))")


def check_mnist_loss(mnist_loss) -> None:
    expect_callable(mnist_loss, "mnist_loss")
    got = expect_number(mnist_loss(torch.tensor([2.0, -1.0, 0.5]), torch.tensor([1, 0, 0])),
                        "mnist_loss(preds, targets)")
    expect_close(got, 0.3369, "mnist_loss([2, -1, 0.5], [1, 0, 0])", atol=1e-4,
                 hint="squash the predictions with sigmoid first, then the torch.where loss")
    extreme = expect_number(mnist_loss(torch.tensor([50.0, -50.0]), torch.tensor([1, 0])),
                            "mnist_loss on very confident, correct predictions")
    expect(0 <= extreme < 1e-3, "very confident correct predictions should give a loss near 0")
