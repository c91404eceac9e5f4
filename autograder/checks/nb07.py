"""Public checks for notebook 07 (adding a nonlinearity, going deeper with resnet18).

They use worked examples small enough to follow by hand and properties every correct answer
has. The hidden tests in the grade cells compare with a reference on other inputs.
"""

from __future__ import annotations

import math
import os
import types

import torch
from torch import nn

from autograder.checks._common import (
    expect,
    expect_callable,
    expect_close,
    expect_number,
    expect_tensor,
    fail,
)

# Parameters of a two-layer net small enough to follow by hand: 3 inputs, 2 hidden units.
_W1 = [[1.0, -1.0], [2.0, 0.0], [0.0, 1.0]]
_B1 = [0.5, -1.0]
_W2 = [[2.0], [-3.0]]
_B2 = [0.25]


def _small_params():
    return [torch.tensor(_W1), torch.tensor(_B1), torch.tensor(_W2), torch.tensor(_B2)]


def check_combine_linear(combine_linear) -> None:
    expect_callable(combine_linear, "combine_linear")
    w1, b1, w2, b2 = _small_params()
    result = combine_linear(w1, b1, w2, b2)
    expect(isinstance(result, tuple) and len(result) == 2,
           "combine_linear should return a tuple (w, b)")
    w, b = result
    expect_tensor(w, "w", (3, 1))
    expect_close(w, [[5.0], [4.0], [-3.0]], "w", hint="one matrix that does w1 and then w2")
    expect_close(as_flat(b, "b"), [4.25], "b",
                 hint="the first bias also goes through the second layer's weights")
    xb = torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]])
    expect_close(xb @ w + b, (xb @ w1 + b1) @ w2 + b2, "xb @ w + b",
                 hint="the single layer should give the same outputs as the two layers")


def as_flat(value, name: str) -> torch.Tensor:
    return expect_tensor(value, name).reshape(-1)


def check_relu(relu) -> None:
    expect_callable(relu, "relu")
    x = torch.tensor([[-2.0, -0.5, 0.0], [0.5, 3.0, -7.0]])
    got = expect_tensor(relu(x), "relu(x)", (2, 3))
    expect_close(got, [[0.0, 0.0, 0.0], [0.5, 3.0, 0.0]], "relu(x)",
                 hint="negative numbers become 0, the others stay as they are")
    expect(got.is_floating_point(), "relu should keep the numbers as floats")


def check_init_simple_net(init_simple_net) -> None:
    expect_callable(init_simple_net, "init_simple_net")
    state = torch.get_rng_state()
    try:
        params = init_simple_net()
        expect(isinstance(params, (list, tuple)) and len(params) == 4,
               "init_simple_net should return the four parameters w1, b1, w2, b2")
        names = ("w1", "b1", "w2", "b2")
        shapes = ((784, 30), (30,), (30, 1), (1,))
        for p, name, shape in zip(params, names, shapes, strict=True):
            expect_tensor(p, name, shape)
            expect(p.is_floating_point(), f"{name} should hold floats")
            expect(p.requires_grad, f"{name} should require gradients")
            expect(p.is_leaf, f"{name} should be a leaf tensor: scale first, then call "
                   ".requires_grad_() on the result")
        w1 = params[0].detach()
        expect(abs(float(w1.mean())) < 0.005,
               "the weights of w1 should be centred on 0 (normal random numbers, torch.randn)")
        spread, want = float(w1.std()), 1 / math.sqrt(784)
        expect(abs(spread / want - 1) < 0.1,
               f"w1 should have a spread of about 1/sqrt(784) = {want:.4f}, got {spread:.4f}")
        expect(params[0].data_ptr() != params[2].data_ptr(), "w1 and w2 should be two tensors")
        bigger = init_simple_net(n_hidden=50)
        expect(tuple(bigger[0].shape) == (784, 50) and tuple(bigger[2].shape) == (50, 1),
               "init_simple_net(n_hidden=50) should give w1 of shape (784, 50) and w2 of "
               "shape (50, 1)")
    finally:
        torch.set_rng_state(state)


def check_simple_net(simple_net) -> None:
    expect_callable(simple_net, "simple_net")
    xb = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    got = expect_tensor(simple_net(xb, _small_params()), "simple_net(xb, params)")
    if tuple(got.shape) != (3, 1):
        fail(f"for 3 images simple_net should give shape (3, 1), one score per image; got "
             f"{tuple(got.shape)}")
    # hidden before ReLU: [1.5, -2], [0.5, 0], [3.5, -1]; after: [1.5, 0], [0.5, 0], [3.5, 0]
    expect_close(got, [[3.25], [1.25], [7.25]], "simple_net(xb, params)",
                 hint="first layer xb @ w1 + b1, then ReLU (negatives to 0), then @ w2 + b2")


def _modules(model, name: str) -> list:
    expect(isinstance(model, nn.Sequential), f"{name} should be an nn.Sequential, got "
           f"{type(model).__name__}")
    return list(model.children())


def check_make_simple_net(make_simple_net) -> None:
    expect_callable(make_simple_net, "make_simple_net")
    try:
        model = make_simple_net()
    except TypeError as exc:
        fail(f"make_simple_net() raised TypeError ({exc}): nn.Sequential needs module "
             "objects, so write nn.ReLU() with parentheses")
    layers = _modules(model, "make_simple_net()")
    kinds = [type(m).__name__ for m in layers]
    expect(kinds == ["Linear", "ReLU", "Linear"],
           f"the layers should be Linear, ReLU, Linear; got {', '.join(kinds) or 'none'}")
    first, _relu, second = layers
    expect(first.in_features == 784 and first.out_features == 30,
           f"the first layer should go from 784 pixels to 30 hidden units, got "
           f"{first.in_features} -> {first.out_features}")
    expect(second.in_features == 30 and second.out_features == 1,
           f"the second layer should go from 30 hidden units to 1 score, got "
           f"{second.in_features} -> {second.out_features}")
    expect(first.bias is not None and second.bias is not None,
           "both linear layers should have a bias (leave bias=True, the default)")
    out = model(torch.rand(5, 784))
    expect_tensor(out, "the model's output", (5, 1))
    wider = _modules(make_simple_net(n_hidden=12), "make_simple_net(n_hidden=12)")
    expect(len(wider) == 3 and getattr(wider[0], "out_features", None) == 12
           and getattr(wider[2], "in_features", None) == 12,
           "make_simple_net(n_hidden=12) should have 12 hidden units")


def _fake_learner(values) -> types.SimpleNamespace:
    return types.SimpleNamespace(recorder=types.SimpleNamespace(values=values))


def check_last_metric(last_metric) -> None:
    expect_callable(last_metric, "last_metric")
    rows = [[0.30, 0.25, 0.90], [0.20, 0.15, 0.95], [0.10, 0.12, 0.97]]
    got = expect_number(last_metric(_fake_learner(rows)), "last_metric(learn)")
    expect_close(got, 0.97, "last_metric(learn)",
                 hint="each row of learn.recorder.values is [train_loss, valid_loss, metric]; "
                      "take the metric of the last row")


def check_make_learner(make_learner, dls, mnist_loss, batch_accuracy) -> None:
    from fastai.learner import Learner
    from fastai.optimizer import SGD

    expect_callable(make_learner, "make_learner")
    model = nn.Linear(784, 1)
    learn = make_learner(dls, model)
    expect(isinstance(learn, Learner), f"make_learner should return a fastai Learner, got "
           f"{type(learn).__name__}")
    expect(learn.model is model, "the Learner should train the model it was given")
    expect(learn.dls is dls, "the Learner should use the DataLoaders it was given")
    expect(learn.opt_func is SGD, "the optimizer should be fastai's SGD (opt_func=SGD)")
    expect(learn.loss_func is mnist_loss, "the loss should be the notebook's mnist_loss")
    metrics = list(learn.metrics)
    expect(len(metrics) == 1 and getattr(metrics[0], "func", None) is batch_accuracy,
           "the only metric should be the notebook's batch_accuracy (metrics=batch_accuracy)")


def _resnet_parts(model) -> tuple[list, list]:
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return convs, linears


def check_make_resnet_learner(make_resnet_learner, dls) -> None:
    import torch.nn.functional as F
    from fastai.learner import Learner
    from fastai.metrics import accuracy

    expect_callable(make_resnet_learner, "make_resnet_learner")
    learn = make_resnet_learner(dls)
    expect(isinstance(learn, Learner), f"make_resnet_learner should return a fastai Learner, "
           f"got {type(learn).__name__}")
    expect(learn.dls is dls, "the Learner should use the DataLoaders it was given")
    convs, linears = _resnet_parts(learn.model)
    expect(len(convs) == 20, f"resnet18 has 20 convolutions (17 in its blocks and 3 on the "
           f"shortcuts), got {len(convs)}: use the resnet18 architecture")
    expect(convs[-1].out_channels == 512, "resnet18's last convolution has 512 channels")
    expect(bool(linears) and linears[-1].out_features == dls.c,
           f"the last layer should give one output per category ({dls.c}), got "
           f"{linears[-1].out_features if linears else 'no linear layer'}")
    scores, targets = torch.tensor([[2.0, -1.0], [0.5, 1.5], [0.0, 0.0]]), torch.tensor([0, 0, 1])
    try:
        loss = expect_number(learn.loss_func(scores, targets), "the learner's loss")
    except (RuntimeError, ValueError, TypeError) as exc:
        fail(f"the learner's loss fails on two scores per image ({type(exc).__name__}): "
             "use loss_func=F.cross_entropy")
    expect_close(loss, F.cross_entropy(scores, targets), "the learner's loss",
                 hint="the loss should be cross-entropy: loss_func=F.cross_entropy")
    metrics = list(learn.metrics)
    expect(len(metrics) == 1 and getattr(metrics[0], "func", None) is accuracy,
           "the only metric should be fastai's accuracy (metrics=accuracy)")


ENV_QUICK = "CH4_QUICK"


def quick_run() -> bool:
    """True when the test suite asks for a short resnet18 run ($CH4_QUICK=1), never for students."""
    return os.environ.get(ENV_QUICK) == "1"
