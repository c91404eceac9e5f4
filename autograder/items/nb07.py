"""Items of notebook 07 (adding a nonlinearity, going deeper with resnet18).

Functions are judged on given tensors (their outputs, their inputs after the call, the
gradients they let through). Random initialisers are judged by properties every correct
answer has (shapes, leaves, spread, hidden units that start different from each other), on a
seed set in the probe; the probes return the raw tensors and the grader computes the
properties (``Probe.measure``), since anything the kernel computes about itself can be forged.
Learners are judged by what they do: a short deterministic ``fit`` from given weights on given
batches, or, for resnet18, its behaviour: a copy of the model gets seeded weights and the
grader compares the output of its last residual block on given images, the gradients that
reach its trunk, its parameter shapes and its layers with the reference's (a model that only
looks like resnet18 computes something else); then the loss and metric on a given batch.
Nothing trains resnet18 here.

``quick_run`` (``$CH4_QUICK=1``) lets the test suite shorten the notebook's resnet18 run.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import torch

from autograder.items.cells import CellSpec
from autograder.items.spec import (
    Item,
    Part,
    Probe,
    between,
    close,
    equal,
    returns,
    unchanged,
)
from autograder.items.wire import Array

ENV_QUICK = "CH4_QUICK"


def quick_run() -> bool:
    """True when the test suite asks for a short resnet18 run ($CH4_QUICK=1), never for students."""
    return os.environ.get(ENV_QUICK) == "1"


def _t(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> torch.Tensor:
    return torch.from_numpy((rng.standard_normal(shape) * scale).astype(np.float32))


# Parameters of a two-layer net small enough to follow by hand: 3 inputs, 2 hidden units.
_SMALL = {"w1": torch.tensor([[1.0, -1.0], [2.0, 0.0], [0.0, 1.0]]),
          "b1": torch.tensor([0.5, -1.0]), "w2": torch.tensor([[2.0], [-3.0]]),
          "b2": torch.tensor([0.25])}
_PUBLIC = np.random.default_rng(707)


# -------------------------------------------------------------------- Exercise 1 (combine_linear)

def _combine_probe(label: str, params: dict, xb: torch.Tensor) -> Probe:
    return Probe(label, "(_w, xb @ _w + _b, w1, b1, w2, b2)", {**params, "xb": xb},
                 setup="_w, _b = combine_linear(w1, b1, w2, b2)", compare=close(atol=1e-3),
                 hint="the combined weights come from both weight matrices; the first bias also "
                      "goes through the second layer's weights",
                 parts=(Part("the combined weights you return",
                             "the combined weights come from both weight matrices"),
                        Part("the output of your combined layer on a batch (your weights, then "
                             "your bias)",
                             "the first bias also goes through the second layer's weights"),
                        *(unchanged(name) for name in ("w1", "b1", "w2", "b2"))))


def _combine_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = []
    for n_in, n_hid, n_out in ((784, 30, 1), (5, 7, 3), (4, 1, 2)):
        params = {"w1": _t(rng, n_in, n_hid), "b1": _t(rng, n_hid),
                  "w2": _t(rng, n_hid, n_out), "b2": _t(rng, n_out)}
        probes.append(_combine_probe(f"combine_linear for {n_in} -> {n_hid} -> {n_out}",
                                     params, _t(rng, 6, n_in)))
    return probes


# ------------------------------------------------------------------------------ Exercise 2 (relu)

def _relu_probe(label: str, x: torch.Tensor) -> Probe:
    return Probe(label, "(relu(x), x)", {"x": x}, close(atol=1e-6, rtol=1e-6, dtype="kind"),
                 hint="negative numbers become 0, the others stay as they are, the shape is "
                      "kept", parts=returns("output", "x"))


def _relu_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = [_relu_probe(f"relu on a tensor of shape {s}", _t(rng, *s, scale=5.0))
              for s in ((40,), (6, 30), (2, 3, 4))]
    mixed = torch.tensor([-1e30, -1e-30, 0.0, 1e-30, 1e30, -3.5, 2.25])
    probes.append(_relu_probe("relu on very large and very small numbers",
                              mixed[torch.from_numpy(rng.permutation(7))]))
    probes.append(_relu_probe("relu on a float64 tensor", _t(rng, 3, 5).double()))
    probes.append(_relu_probe("relu on a single number", torch.tensor(float(-rng.random()))))
    return probes


# ------------------------------------------------------------------- Exercise 3 (init_simple_net)

_INIT = """import torch as _torch
import warnings as _warnings
_torch.manual_seed({seed})
_p = init_simple_net({args})


def _grads_of_sums(ps):
    grads = []
    for q in ps:
        if not getattr(q, "requires_grad", False):
            grads.append(None)
            continue
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            q.sum().backward()
            grads.append(None if q.grad is None else q.grad.reshape(-1)[:4])
    return grads
"""


def _tensor(value: Any) -> np.ndarray:
    """The values of a tensor the kernel returned (anything else fails the probe)."""
    if not isinstance(value, Array) or not value.torch:
        raise TypeError("not a tensor")
    return value.values


def _log_spread(values: np.ndarray) -> float:
    spread = float(np.std(values.astype(np.float64)))
    return math.log(spread) if spread > 0 else -math.inf


def net_form(value: Any) -> list:
    """Grader side, from ``(params, the first entries of the .grad of each after its
    .sum().backward())``: per parameter its shape, float values, requires_grad (part of the raw
    tensor) and whether the backward pass reached it (a leaf gets a .grad of ones)."""
    params, grads = value
    if not isinstance(params, list | tuple) or not isinstance(grads, list | tuple) \
            or len(params) != len(grads):
        raise TypeError("not a list of tensors")
    form = []
    for tensor, grad in zip(params, grads, strict=True):
        values = _tensor(tensor)
        form.append({"its shape": list(values.shape),
                     "whether it holds floats": bool(np.issubdtype(values.dtype, np.floating)),
                     "whether it requires grad": bool(tensor.requires_grad),
                     "whether it is a leaf with its own .grad": isinstance(grad, Array)
                     and grad.values.size == min(4, values.size)
                     and bool(np.all(grad.values == 1))})
    return form


def first_layer_draws(value: Any) -> dict:
    """Grader side, from the raw w1: its spread (log scale), its centre in units of
    the spread, its share within one spread of the centre (normal, not uniform), and how much
    the hidden units (columns) differ from each other relative to the spread (0 when every
    unit starts equal)."""
    w1 = _tensor(value).astype(np.float64)
    if w1.ndim != 2 or w1.shape[1] < 2:
        raise ValueError("w1 is not a matrix of several hidden units")
    spread, centre = float(w1.std()), float(w1.mean())
    scale = spread if spread > 0 else math.nan       # a constant w1 gives NaN below
    return {"w1: log of the spread": math.log(spread) if spread > 0 else -math.inf,
            "w1: centre / spread": centre / scale,
            "w1: share within one spread": float(np.mean(np.abs(w1 - centre) < spread)),
            "w1: units differ": float(w1.std(axis=1, ddof=1).mean()) / scale}


def second_layer_draws(value: Any) -> dict:
    """Grader side, from the raw ``[b1, w2]``: the spread (log scale) of w2 and of b1."""
    b1, w2 = value
    return {"w2: log of the spread": _log_spread(_tensor(w2)),
            "b1: log of the spread": _log_spread(_tensor(b1))}


def _init_shapes(seed: int, args: str, label: str) -> Probe:
    return Probe(label, "(_p, _grads_of_sums(_p))",
                 setup=_INIT.format(seed=seed, args=args), compare=equal(),
                 hint="four float tensors w1, b1, w2, b2 of the shapes in the exercise, each a "
                      "leaf that requires gradients (scale first, then requires_grad_)",
                 measure=net_form,
                 parts=tuple(f"the {name} you return" for name in ("w1", "b1", "w2", "b2")))


def _init_probes(seed: int, n_hidden: int, big: int, sizes: str = "") -> list[Probe]:
    small = sizes or f"n_hidden={n_hidden}"
    large = sizes or f"n_hidden={big}"
    return [
        Probe(f"w1 of init_simple_net({small}): spread, centre, shape of the draws and how "
              "much the hidden units differ", "_p[0]",
              setup=_INIT.format(seed=seed, args=f"n_hidden={n_hidden}"),
              compare=close(atol=0.06, rtol=0), measure=first_layer_draws,
              hint="w1 holds normal random numbers centred on 0 with std 1/sqrt(784), every "
                   "hidden unit its own: units that start equal stay equal"),
        Probe(f"the spread of w2 and b1 of init_simple_net({large})", "[_p[1], _p[2]]",
              setup=_INIT.format(seed=seed, args=f"n_hidden={big}"),
              compare=close(atol=0.2, rtol=0), measure=second_layer_draws,
              hint="w2 should have std 1/sqrt(n_hidden), b1 std 1/sqrt(784) like w1"),
    ]


def _init_hidden(rng: np.random.Generator) -> list[Probe]:
    seed, small, big = int(rng.integers(1, 10_000)), int(rng.integers(20, 60)), \
        int(rng.integers(1000, 3000))
    return [_init_shapes(seed, f"n_hidden={small}",
                         "init_simple_net on a hidden n_hidden: shapes, floats, leaves"),
            *_init_probes(seed, small, big, "a hidden n_hidden")]


# ------------------------------------------------------------------------ Exercise 4 (simple_net)

def _net_probe(label: str, xb: torch.Tensor, ps: list[torch.Tensor]) -> Probe:
    return Probe(label, "(simple_net(xb, ps), xb, ps)", {"xb": xb, "ps": ps}, close(atol=1e-3),
                 parts=returns("scores", "xb", "ps"),
                 hint="the first linear layer, then the nonlinearity, then the second linear "
                      "layer: one score per image, shape (n, 1); use the parameters you are given")


def _grad_probe(label: str, xb: torch.Tensor, ps: list[torch.Tensor]) -> Probe:
    return Probe(label, "[q.grad for q in ps]",
                 {"xb": xb, "ps": [p.detach().clone().requires_grad_() for p in ps]},
                 setup="simple_net(xb, ps).sum().backward()", compare=close(atol=1e-3),
                 hint="gradients should flow back to all four parameters: keep every step "
                      "in torch, without detaching anything",
                 parts=tuple(f"the .grad of {name} after a backward pass of the scores' sum"
                             for name in ("w1", "b1", "w2", "b2")))


def _net_params(rng: np.random.Generator, k: int, h: int) -> list[torch.Tensor]:
    return [_t(rng, k, h), _t(rng, h), _t(rng, h, 1), _t(rng, 1)]


def _simple_net_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = []
    for n, k, h in ((7, 784, 30), (3, 10, 4), (1, 6, 5)):
        ps = _net_params(rng, k, h)
        probes.append(_net_probe(f"simple_net on {n} images of {k} values, {h} hidden units",
                                 _t(rng, n, k), ps))
    ps = _net_params(rng, 12, 6)
    probes.append(_grad_probe("the gradients after simple_net(...).sum().backward()",
                              _t(rng, 5, 12), ps))
    return probes


# ------------------------------------------------------------------- Exercise 5 (make_simple_net)

_SIZES = "[tuple(q.shape) for q in make_simple_net({args}).parameters()]"
_LOADED = """import torch as _torch
_net = make_simple_net(n_hidden={h})
with _torch.no_grad():
    for _q, _v in zip(_net.parameters(), weights):
        _q.copy_(_v)
_out = _net(xb)
_out.sum().backward()
"""


def _sizes_probe(args: str, label: str = "") -> Probe:
    return Probe(f"the parameter shapes of make_simple_net({label or args})",
                 _SIZES.format(args=args),
                 compare=equal(),
                 hint="784 pixels -> n_hidden units -> 1 score, both layers with a bias, "
                      "an nn.Sequential of module objects (instances, not classes)",
                 whole="the shapes of your model's parameters")


def _forward_probe(label: str, h: int, xb: torch.Tensor, rng: np.random.Generator) -> Probe:
    weights = [_t(rng, h, 784, scale=0.05), _t(rng, h), _t(rng, 1, h), _t(rng, 1)]
    return Probe(label, "(_out, [q.grad for q in _net.parameters()])",
                 {"xb": xb, "weights": weights}, setup=_LOADED.format(h=h),
                 compare=close(atol=1e-3),
                 hint="linear, ReLU, linear, in that order and nothing after; every layer "
                      "should train",
                 parts=("the scores of your model with the given weights",
                        "the gradients of your model's parameters after a backward pass"))


def unit_spread(value: Any) -> float:
    """Grader side, from the first layer's raw weights for the first inputs (hidden units x
    inputs): how much the hidden units differ from each other, times sqrt(784)."""
    weight = _tensor(value).astype(np.float64)
    if weight.ndim != 2 or weight.shape[0] < 2:
        raise ValueError("not a weight matrix of several units")
    return float(weight.std(axis=0, ddof=1).mean()) * 784 ** 0.5


def _units_probe(h: int, seed: int) -> Probe:
    return Probe(f"how much the {h} hidden units of make_simple_net({h})'s first layer differ "
                 "from each other (times sqrt(784))",
                 f"next(iter(make_simple_net(n_hidden={h}).parameters()))[:, :64]",
                 setup=f"import torch as _torch\n_torch.manual_seed({seed})",
                 compare=between(0.2, 3.0), measure=unit_spread,
                 hint="keep nn.Linear's own random start: hidden units that start equal stay "
                      "equal")


def _make_simple_hidden(rng: np.random.Generator) -> list[Probe]:
    h = int(rng.integers(2, 40))
    return [_sizes_probe(f"n_hidden={h}", "a hidden n_hidden"),
            _forward_probe("make_simple_net on a hidden n_hidden with given weights on 6 images",
                           h,
                           _t(rng, 6, 784), rng),
            _forward_probe("make_simple_net(3) with given weights on one image", 3,
                           _t(rng, 1, 784), rng),
            _units_probe(50, int(rng.integers(1, 10_000)))]


# ---------------------------------------------------------------------- Exercise 6 (make_learner)

_FIT = """import torch as _torch
from fastai.data.core import DataLoaders as _DataLoaders
from fastai.data.load import DataLoader as _DataLoader
_dls = _DataLoaders(_DataLoader(list(zip(x, y)), bs={bs}),
                    _DataLoader(list(zip(xv, yv)), bs={valid_bs}))
_model = _torch.nn.Linear(x.shape[1], {outputs})
with _torch.no_grad():
    _model.weight.copy_(w)
    _model.bias.copy_(b)
_learn = {build}
with _learn.no_bar(), _learn.no_logging():
    _learn.fit({epochs}, {lr})
"""


def _fit_inputs(rng: np.random.Generator, n: int, d: int) -> dict:
    x, xv = _t(rng, n, d), _t(rng, 24, d)
    return {"x": x, "y": (x[:, :1] + _t(rng, n, 1) > 0).long(), "xv": xv,
            "yv": (xv[:, :1] + _t(rng, 24, 1) > 0).long(), "w": _t(rng, 1, d, scale=0.3),
            "b": _t(rng, 1)}


def _learner_probe(label: str, inputs: dict, bs: int, epochs: int, lr: float) -> Probe:
    return Probe(label, "(_model.weight, _model.bias, "
                        "[[float(v) for v in row] for row in _learn.recorder.values])", inputs,
                 setup=_FIT.format(bs=bs, valid_bs=32, outputs=1, epochs=epochs, lr=lr,
                                   build="make_learner(_dls, _model)"),
                 compare=close(atol=1e-4),
                 hint="a Learner on the DataLoaders and the model it is given, with fastai's "
                      "SGD, mnist_loss and batch_accuracy",
                 parts=("the model's weights after fit", "the model's bias after fit",
                        "the losses and metric your learner recorded, epoch by epoch"))


def _make_learner_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_learner_probe("the model and the record after 2 epochs from given weights",
                           _fit_inputs(rng, 40, 12), 8, 2, round(float(rng.uniform(0.2, 1)), 3)),
            _learner_probe("one epoch on 784 pixels", _fit_inputs(rng, 64, 784), 16, 1, 0.5)]


# ----------------------------------------------------------------------- Exercise 7 (last_metric)

# A plain fastai Learner (library parts only: a linear model, cross-entropy, accuracy).
_METRIC_IMPORTS = """from fastai.learner import Learner as _Learner
from fastai.metrics import accuracy as _accuracy
from fastai.optimizer import SGD as _SGD
"""
_METRIC_LEARNER = ("_Learner(_dls, _model, opt_func=_SGD, "
                   "loss_func=_torch.nn.functional.cross_entropy, metrics=_accuracy)")


def _metric_inputs(seed: int, d: int = 6, n: int = 24, nv: int = 20) -> dict:
    """Noisy labels on few images: the validation accuracy goes up and down over the epochs
    (seeds below chosen so that the last epoch is neither the first nor the best one)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype(np.float32)
    y = (rng.standard_normal(n) + x[:, 0] > 0).astype(np.int64)
    xv = rng.standard_normal((nv, d)).astype(np.float32)
    yv = (rng.standard_normal(nv) + xv[:, 0] > 0).astype(np.int64)
    w = rng.standard_normal((2, d)).astype(np.float32)
    return {"x": torch.from_numpy(x), "y": torch.from_numpy(y), "xv": torch.from_numpy(xv),
            "yv": torch.from_numpy(yv), "w": torch.from_numpy(w), "b": torch.zeros(2)}


def _metric_probe(label: str, inputs: dict, epochs: int = 4) -> Probe:
    setup = _METRIC_IMPORTS + _FIT.format(bs=8, valid_bs=8, outputs=2, epochs=epochs, lr=1.0,
                                          build=_METRIC_LEARNER)
    return Probe(label, "last_metric(_learn)", inputs, setup=setup, compare=close(atol=1e-5),
                 hint="the metric (the last column) of the last epoch, as a number")


_METRIC_SEEDS = (0, 12, 22, 26)      # checked: last epoch below the best, unlike the first


def _last_metric_hidden(rng: np.random.Generator) -> list[Probe]:
    seed = int(rng.choice(_METRIC_SEEDS[1:]))
    return [_metric_probe("last_metric of a real Learner after 4 epochs", _metric_inputs(seed)),
            # 23 validation items: accuracies are not round numbers, so an answer that rounds
            # (or truncates) the metric differs from it
            _metric_probe("last_metric after 2 epochs on other data",
                          _metric_inputs(int(rng.integers(100, 10_000)), nv=23), epochs=2)]


# --------------------------------------------------------------- Exercise 8 (make_resnet_learner)

_RESNET = """from autograder.items import fixtures as _fx
from fastai.vision.data import ImageDataLoaders as _ImageDataLoaders
import torch as _torch
_dls = _ImageDataLoaders.from_folder(_fx.files_tree(layout), bs=4, num_workers=0)
_learn = make_resnet_learner(_dls)
"""
# Kernel side (library code only): a deep copy of the model gets weights and buffers drawn
# from a grader-chosen seed (one seed per tensor, in parameter or buffer order) and runs in eval
# mode (batch norm uses the seeded running statistics, so the outputs are deterministic). What
# comes back is raw: the outputs on the given images, the output of the last residual block (a
# torchvision BasicBlock, what fastai's resnet18 body and torchvision's resnet18 are made of),
# the gradient a fixed function of that output sends to the first entries of every parameter,
# the first entry of every parameter (its requires_grad flag travels with it), every
# parameter's shape and the class name of every module, in order. The grader compares these
# with the reference's; heads differ between correct answers, so only the output's shape is.
BEHAVIOUR = """
import copy as _ch4_copy
import torch as _ch4_torch


def _ch4_behaviour(model, seed, images):
    net = _ch4_copy.deepcopy(model).cpu()
    gen = _ch4_torch.Generator()
    with _ch4_torch.no_grad():
        for i, q in enumerate(net.parameters()):
            draw = _ch4_torch.randn(q.shape, generator=gen.manual_seed(int(seed) + i))
            q.copy_(draw / q[0].numel() ** 0.5 if q.dim() > 1 else 1 + 0.1 * draw)
        for i, b in enumerate(net.buffers()):
            if b.is_floating_point():
                gen.manual_seed(int(seed) + 100_000 + i)
                b.copy_(0.75 + 0.5 * _ch4_torch.rand(b.shape, generator=gen))
    net.eval()
    blocks = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: blocks.append(out))
             for m in net.modules() if type(m).__name__ == "BasicBlock"]
    out = net(images)
    for hook in hooks:
        hook.remove()
    params = list(net.parameters())
    last = blocks[-1] if blocks else None
    if last is not None and last.requires_grad:
        last.square().mean().backward()
    return [out.detach(), None if last is None else last.detach(),
            [None if q.grad is None else q.grad.reshape(-1)[:4] for q in params],
            [q.reshape(-1)[:1] for q in params], [list(q.shape) for q in params],
            [type(m).__name__ for m in net.modules()]]
"""
RESNET18_TRUNK_PARAMS = 60      # conv1, bn1 and the four layers of resnet18 (weights, biases)


def resnet_behaviour(value: Any) -> dict:
    """Grader side, from ``_ch4_behaviour``'s raw values: the output's shape (one score per
    category; heads differ, so not their values), the last residual block's output under
    seeded weights, the gradients reaching the trunk's parameters, whether every parameter
    trains, the trunk's parameter shapes and its layers (from the first convolution to the
    last 2-d batch norm)."""
    out, last, grads, firsts, shapes, names = value
    outputs = _tensor(out)
    if not all(isinstance(v, list) for v in (grads, firsts, shapes, names)) \
            or not all(isinstance(n, str) for n in names):
        raise TypeError("not a model's description")
    trunk = []
    if "Conv2d" in names and "BatchNorm2d" in names:
        end = len(names) - names[::-1].index("BatchNorm2d")
        trunk = names[names.index("Conv2d"):end]
    return {"output shape": list(outputs.shape),
            "last residual block's output": last if isinstance(last, Array) else None,
            "gradients reaching the trunk": grads[:RESNET18_TRUNK_PARAMS],
            "every parameter trains": bool(firsts) and all(
                isinstance(f, Array) and f.requires_grad for f in firsts),
            "trunk parameter shapes": shapes[:RESNET18_TRUNK_PARAMS],
            "trunk layers": trunk}


_MODEL = "\n_out = _ch4_behaviour(_learn.model, seed, images)\n"
_LOSS_METRIC = """
_learn.pred, _learn.yb = scores, (targets,)
_metric_values = []
for _m in _learn.metrics:
    _m.reset()
    _m.accumulate(_learn)
    _metric_values.append(float(_m.value))
"""


def _layout(names: list[str], per_class: int) -> dict[str, list[str]]:
    layout = {}
    for split, count in (("train", per_class), ("valid", 1)):
        for name in names:
            layout[f"{split}/{name}"] = [f"{i}.png" for i in range(count)]
    return layout


def _resnet_probes(layout: dict, names: list[str], rng: np.random.Generator,
                   batch: int) -> list[Probe]:
    """Two probes (building a resnet18 learner is the slow part): the model, then the loss and
    the metrics."""
    c = len(names)
    images = torch.from_numpy(rng.random((2, 3, 32, 32)).astype(np.float32))
    scores = _t(rng, batch, c, scale=2.0)
    targets = torch.from_numpy(rng.integers(0, c, size=batch))
    model = Probe(f"the model for {c} categories under seeded weights (its outputs on 2 images, "
                  "the gradients through its trunk, what trains, its layers)",
                  "_out", {"layout": layout, "images": images,
                           "seed": int(rng.integers(1, 2**31))},
                  setup=_RESNET + BEHAVIOUR + _MODEL, compare=close(atol=1e-4, rtol=1e-3),
                  measure=resnet_behaviour,
                  hint="the resnet18 architecture (20 convolutions, 64 up to 512 channels), "
                       "built for the DataLoaders it is given (one output per category), "
                       "every layer trained from random weights with nothing frozen")
    loss = Probe(f"the learner's loss and metrics on {batch} given scores for {c} categories",
                 "(float(_learn.loss_func(scores, targets)), _metric_values)",
                 {"layout": layout, "scores": scores, "targets": targets},
                 setup=_RESNET + _LOSS_METRIC, compare=close(atol=1e-5),
                 hint="a loss made for several categories (the one fastai picks by default for "
                      "them), and fastai's accuracy as the only metric",
                 parts=(Part("the loss your learner computes on the given scores",
                             "a loss made for several categories (the one fastai picks by "
                             "default for them)"),
                        Part("the values of your learner's metrics",
                             "fastai's accuracy as the only metric")))
    return [model, loss]


_PUBLIC_LAYOUT = _layout(["3", "5", "7"], 2)


def _resnet_hidden(rng: np.random.Generator) -> list[Probe]:
    names = [str(n) for n in sorted(rng.choice(10, size=4, replace=False))]
    return _resnet_probes(_layout(names, 2), names, rng, 7)


# --------------------------------------------------------------------------------------- the spec

def _public_fit() -> dict:
    return _fit_inputs(np.random.default_rng(702), 32, 10)


SPEC = CellSpec("07_nonlinearity_and_resnet", (
    Item("ex_combine_linear", ("combine_linear",), title="Exercise 1 (combine_linear)",
         public=(_combine_probe("combine_linear on the small worked example (3 -> 2 -> 1)",
                                _SMALL, torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]])),
                 _combine_probe("combine_linear for 4 -> 3 -> 2 (two outputs)",
                                {"w1": _t(_PUBLIC, 4, 3), "b1": _t(_PUBLIC, 3),
                                 "w2": _t(_PUBLIC, 3, 2), "b2": _t(_PUBLIC, 2)},
                                _t(_PUBLIC, 5, 4))),
         hidden=_combine_hidden),
    Item("ex_relu", ("relu",), title="Exercise 2 (relu)",
         public=(_relu_probe("relu on a (2, 3) tensor",
                             torch.tensor([[-2.0, -0.5, 0.0], [0.5, 3.0, -7.0]])),),
         hidden=_relu_hidden),
    Item("ex_init_simple_net", ("init_simple_net",), title="Exercise 3 (init_simple_net)",
         public=(_init_shapes(7, "", "init_simple_net() with the default size: shapes, "
                                     "floats, leaves"),
                 _init_shapes(7, "n_hidden=5", "init_simple_net(n_hidden=5): shapes, floats, "
                                               "leaves"),
                 *_init_probes(7, 20, 400)),
         hidden=_init_hidden),
    Item("ex_simple_net", ("simple_net",), title="Exercise 4 (simple_net)",
         public=(_net_probe("simple_net on 3 images of the small worked example",
                            torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0]]),
                            list(_SMALL.values())),
                 _grad_probe("the gradients of simple_net on 4 images (3 inputs, 5 hidden)",
                             _t(_PUBLIC, 4, 3), _net_params(_PUBLIC, 3, 5))),
         hidden=_simple_net_hidden),
    Item("ex_make_simple_net", ("make_simple_net",), title="Exercise 5 (make_simple_net)",
         public=(_sizes_probe(""), _sizes_probe("n_hidden=12"),
                 _forward_probe("make_simple_net(4) with given weights on 3 images", 4,
                                _t(_PUBLIC, 3, 784), _PUBLIC),
                 _units_probe(30, 7)),
         hidden=_make_simple_hidden),
    Item("ex_make_learner", ("make_learner",), title="Exercise 6 (make_learner)",
         public=(_learner_probe("the model and the record after one epoch from given weights",
                                _public_fit(), 8, 1, 0.5),),
         hidden=_make_learner_hidden),
    Item("ex_last_metric", ("last_metric",), title="Exercise 7 (last_metric)",
         public=(_metric_probe("last_metric of a real Learner after 4 epochs",
                               _metric_inputs(_METRIC_SEEDS[0])),),
         hidden=_last_metric_hidden),
    Item("ex_make_resnet_learner", ("make_resnet_learner",),
         title="Exercise 8 (make_resnet_learner)",
         public=tuple(_resnet_probes(_PUBLIC_LAYOUT, ["3", "5", "7"], _PUBLIC, 5)),
         hidden=_resnet_hidden),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    "ex_combine_linear": (
        'Re-read the start of "Adding a Nonlinearity": two linear layers with nothing between '
        "them collapse into one, and this exercise asks for that one layer.",
        "Expand the nested expression with the distributive law: the second weights multiply the "
        "first weights and also the first bias, and the second bias is added unchanged. Adding "
        "the two biases directly is the usual slip.",
        "Let the shapes guide you: for layers 5 -> 4 -> 2 the weights are (5, 4) and (4, 2), so "
        "the single layer has weights of shape (5, 2) and a bias of 2 values. Check it on a "
        "random batch against the two layers applied in turn.",
    ),
    "ex_relu": (
        'Re-read "Adding a Nonlinearity": the rectified linear unit is the simplest '
        "nonlinearity, zero for negative inputs and the input itself otherwise.",
        "Work on a new tensor: in-place methods (a trailing underscore) or assigning into x "
        "change the caller's tensor. The result keeps x's shape; max over an axis is a "
        "reduction, not the element-wise maximum with 0.",
        "On [[-1.5, 0.0, 2.0], [3.0, -0.1, 0.5]] the result is [[0.0, 0.0, 2.0], [3.0, 0.0, "
        "0.5]], shape (2, 3). Look up torch.maximum or Tensor.clamp_min.",
    ),
    "ex_init_simple_net": (
        'Re-read "Adding a Nonlinearity": the two-layer net has weights and a bias for each '
        "layer, created with the same init_params as the linear model.",
        "Each layer gets its own scale, one over the square root of its number of inputs: 784 "
        "for the first weights and bias, n_hidden for the second. Equal starting weights (zeros, "
        "ones, one number repeated) keep every hidden unit identical forever.",
        "For n_hidden = 20 the four shapes are (784, 20), (20,), (20, 1) and (1,); the first two "
        "have a spread of about 0.036 and the last two about 0.224, and each is a leaf that "
        "requires grad.",
    ),
    "ex_simple_net": (
        'Re-read "Adding a Nonlinearity", where simple_net applies a linear layer, the ReLU and '
        "a second linear layer, one after the other.",
        "Unpack the parameters in their order (first weights, first bias, second weights, second "
        "bias) from the list passed in, not from global names. Keep every stage a torch "
        "operation: .item(), .detach() or NumPy cut the gradient path.",
        "Shapes to expect: a batch (n, 784) becomes (n, n_hidden) after the first layer, keeps "
        "that shape through ReLU, and ends as (n, 1). After backward on the sum of the output, "
        "all four parameters should hold a .grad.",
    ),
    "ex_make_simple_net": (
        'Re-read "Adding a Nonlinearity", where the hand-written simple_net is rebuilt from '
        "PyTorch modules inside nn.Sequential.",
        "nn.Sequential needs module objects: the class nn.ReLU without parentheses is not a "
        "module, and F.relu is a plain function. Nothing comes after the second linear layer (no "
        "sigmoid: the loss applies it).",
        "For n_hidden = 12 the parameter shapes are (12, 784), (12,), (1, 12) and (1,): "
        "nn.Linear stores its weight as (outputs, inputs). Keep the layers' own random start "
        "rather than filling the weights with a constant.",
    ),
    "ex_make_learner": (
        'Re-read "Adding a Nonlinearity", where the two-layer model is trained with the same '
        "kind of fastai Learner as the linear model before it.",
        "Use the model passed in as it is (building a new one throws the given weights away), "
        "with the same loss function, optimizer function and metric as the linear model of "
        "notebook 06.",
        "After learn.fit(1, lr), learn.recorder.values has one row: the training loss, the "
        "validation loss and the metric. Other columns, or a metric outside 0..1, mean one of "
        "the keyword arguments is wrong.",
    ),
    "ex_last_metric": (
        'Re-read "Adding a Nonlinearity", where the accuracy over training is plotted from what '
        "the Learner recorded in learn.recorder.values.",
        "recorder.values has one row per epoch and the metric is the last column of a row; the "
        "last row is the final epoch. Return a Python float, not a list or a tensor.",
        "If the rows were [[0.30, 0.28, 0.91], [0.20, 0.19, 0.95], [0.15, 0.14, 0.97]], the "
        "answer would be 0.97. Negative indices count from the end.",
    ),
    "ex_make_resnet_learner": (
        'Re-read "Going Deeper": fastai builds a whole resnet18 learner from the DataLoaders, '
        "with the loss and the metric given as keywords.",
        "Without pretrained weights nothing is frozen and every layer trains; with them fastai "
        "would download and freeze the body. The loss is cross-entropy because there are several "
        "categories, and the metric is fastai's accuracy, not batch_accuracy.",
        "Both cnn_learner and vision_learner are accepted; pass the architecture function itself "
        "(resnet18, not called). The model should end with one output per category of the "
        "DataLoaders, 3 outputs for 3 categories.",
    ),
})
