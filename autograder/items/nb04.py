"""Items of notebook 04 (the MNIST data as vectors, the MNIST loss and sigmoid).

Random initialisation is judged by properties, not values: the probes seed torch's generator in
their setup (so a run is repeatable) and put its state back afterwards, then look at shapes,
``requires_grad``/leaf status, the spread and centre of many draws, and whether two calls in a
row differ (a seed set inside ``init_params`` makes them equal). The functions passed to
``grad_wrt_preds`` are small torch lambdas written in the probe's setup, none of them the
answer to another exercise.
"""

from __future__ import annotations

import numpy as np
import torch

from autograder.items.spec import Item, NotebookSpec, Probe, between, close, equal

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
                      "for a 7; use the images you are given")


def _faint(rng: np.random.Generator, count: int) -> torch.Tensor:
    return _f32(rng.random((count, 28, 28)) * 0.8)


def _make_xy_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_make_xy(_faint(rng, 4), _faint(rng, 6), "4 threes and 6 sevens"),
            _make_xy(_faint(rng, 1), _faint(rng, 6), "a single 3 and 6 sevens"),
            _make_xy(_faint(rng, 3), _faint(rng, 1), "3 threes and a single 7")]


# ------------------------------------------------------------------ exercise 2: make_dataset

def _make_dataset(x: torch.Tensor, y: torch.Tensor, what: str) -> Probe:
    return Probe(f"make_dataset on {what}",
                 "(type(_d).__name__, [type(_e).__name__ for _e in _d], _d)",
                 {"x": x, "y": y}, close(atol=0, rtol=0, dtype="kind"),
                 setup="_d = make_dataset(x, y)\n",
                 hint="a list with one tuple (x[i], y[i]) per row, in order")


def _make_dataset_hidden(rng: np.random.Generator) -> list[Probe]:
    return [_make_dataset(_f32(rng.random((9, 5))), _labels(rng, (9, 1)), "9 rows"),
            _make_dataset(_f32(rng.random((4, 784))), _labels(rng, (4, 1)),
                          "4 flattened images"),
            _make_dataset(_f32(rng.random((1, 3))), _labels(rng, (1, 1)), "a single row")]


# ------------------------------------------------------------------ exercise 3: init_params

def _seeded(expr: str, seed: int) -> tuple[str, str]:
    """Setup and code that run ``expr`` from a known torch seed and restore the RNG after."""
    setup = _TORCH + f"_state = _torch.get_rng_state()\n_torch.manual_seed({seed})\n"
    return setup, f"(lambda _r: (_torch.set_rng_state(_state), _r)[1])({expr})"


def _init_props(call: str, seed: int) -> Probe:
    setup, code = _seeded(f"(lambda _p: (tuple(_p.shape), _p.requires_grad, _p.is_leaf, "
                          f"_p.is_floating_point()))({call})", seed)
    return Probe(f"{call}: shape, requires_grad, leaf, floats", code, compare=equal(),
                 setup=setup, hint="a float tensor of the given size that requires grad and "
                                   "is a leaf: scale first, then switch on gradients")


def _init_spread(call: str, std: float, seed: int) -> Probe:
    setup, code = _seeded(f"float({call}.detach().double().std()) / {std!r}", seed)
    return Probe(f"the spread of {call} divided by std", code, compare=between(0.95, 1.05),
                 setup=setup, hint="normal random numbers multiplied by std")


def _init_centre(call: str, std: float, seed: int) -> Probe:
    setup, code = _seeded(f"float({call}.detach().double().mean()) / {std!r}", seed)
    return Probe(f"the mean of {call} divided by std", code, compare=between(-0.05, 0.05),
                 setup=setup, hint="centred on 0: draws from a normal distribution, "
                      "not a uniform one")


def _init_fresh(call: str, seed: int) -> Probe:
    setup, code = _seeded(f"(lambda _a, _b: float((_a.detach() - _b.detach()).abs().max()))"
                          f"({call}, {call})", seed)
    return Probe(f"two calls of {call} in a row: their largest difference", code,
                 compare=between(1e-3), setup=setup,
                 hint="every call draws new random numbers: do not set a seed inside")


def _init_grad(call: str, seed: int) -> Probe:
    setup, code = _seeded(f"(lambda _p: (_p.sum().backward(), _p.grad)[1])({call})", seed)
    return Probe(f"the .grad of {call} after backward", code, compare=close(scalar=False),
                 setup=setup, hint="the result must be a leaf that requires grad")


def _init_hidden(rng: np.random.Generator) -> list[Probe]:
    seed = int(rng.integers(0, 2**31))
    std1 = float(np.round(rng.uniform(1.5, 4.0), 3))
    std2 = float(np.round(rng.uniform(0.005, 0.05), 4))
    big, grid = f"init_params((30000,), {std1})", f"init_params((200, 150), std={std2})"
    return [_init_props(big, seed), _init_props(grid, seed + 1),
            _init_props("init_params(5)", seed + 2),
            _init_spread(big, std1, seed + 3), _init_spread(grid, std2, seed + 4),
            _init_centre(big, std1, seed + 5), _init_centre(grid, std2, seed + 6),
            _init_fresh(f"init_params((3, 4), {std2})", seed + 7),
            _init_fresh("init_params(300)", seed + 8),
            _init_grad("init_params((3, 4), 0.5)", seed + 9)]


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
        hint="use the weights and bias themselves so that training can change them"))
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

def _grads(fn: str, preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    return Probe(f"grad_wrt_preds of {what}, called twice",
                 "(grad_wrt_preds(_fn, preds, targets), grad_wrt_preds(_fn, preds, targets), "
                 "preds.requires_grad)", {"preds": preds, "targets": targets},
                 close(atol=1e-5, rtol=1e-5), setup=_TORCH + f"_fn = lambda p, t: {fn}\n",
                 hint="the gradient with respect to a fresh copy of preds: the same on every "
                      "call, and the caller's preds left alone")


def _no_grad(fn: str, preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    return Probe(f"grad_wrt_preds of {what} (a result autograd cannot follow)",
                 "(lambda _g: _torch.zeros_like(preds) if _g is None else _g)"
                 "(grad_wrt_preds(_fn, preds, targets))", {"preds": preds, "targets": targets},
                 close(atol=0, rtol=0), setup=_TORCH + f"_fn = lambda p, t: {fn}\n",
                 hint="when the result does not require grad, return None instead of "
                      "calling backward()")


def _returns_none(fn: str, preds: torch.Tensor, targets: torch.Tensor, what: str) -> Probe:
    """The prose asks for None where autograd cannot follow: a tensor of zeros would claim a
    gradient that was never computed (hidden only: the public probe's recorded value stays)."""
    return Probe(f"grad_wrt_preds of {what} (a result autograd cannot follow): returns None",
                 "grad_wrt_preds(_fn, preds, targets) is None", {"preds": preds,
                                                                  "targets": targets},
                 equal(), setup=_TORCH + f"_fn = lambda p, t: {fn}\n",
                 hint="when the result does not require grad, return None (not zeros) instead "
                      "of calling backward()")


def _grad_hidden(rng: np.random.Generator) -> list[Probe]:
    p = _f32(rng.standard_normal((8, 1)))
    t = _labels(rng, (8, 1)).float()
    base = _f32(rng.standard_normal((5, 1))).requires_grad_()
    return [_grads("((p - t) ** 2).mean()", p, t, "the squared error"),
            _grads("_torch.sigmoid(p * 3).sum()", p, t, "a sum of sigmoids"),
            _no_grad("(p.abs() > 1).float().sum()", p, t, "a count of large scores"),
            _returns_none("(p > 0).float().mean()", p, t, "a share of positive scores"),
            Probe("grad_wrt_preds on predictions computed from a tracked tensor",
                  "(grad_wrt_preds(_fn, preds, targets), _base.grad is None)",
                  {"_base": base, "targets": _f32(rng.standard_normal((5, 1)))},
                  close(atol=1e-5, rtol=1e-5),
                  setup=_TORCH + "_fn = lambda p, t: (p * t).sum()\npreds = _base * 2\n",
                  hint="differentiate with respect to preds itself (a detached copy), not "
                       "with respect to whatever it was computed from")]


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
                              "shape as x; the input left unchanged")


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
                  hint="compute with torch operations so autograd can follow")]


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
                       "so autograd can follow")]


_THREES = torch.arange(2 * 784, dtype=torch.float32).view(2, 28, 28) / 2000
_SEVENS = torch.arange(3 * 784, dtype=torch.float32).flip(0).view(3, 28, 28) / 5000

SPEC = NotebookSpec("04_mnist_loss_and_sigmoid", (
    Item("ex_make_xy", ("make_xy",), title="Exercise 1 (make_xy)",
         public=(_make_xy(_THREES, _SEVENS, "2 threes and 3 sevens"),),
         hidden=_make_xy_hidden),
    Item("ex_make_dataset", ("make_dataset",), title="Exercise 2 (make_dataset)",
         public=(_make_dataset(torch.arange(6.0).view(3, 2), torch.tensor([[1], [0], [1]]),
                               "3 rows"),),
         hidden=_make_dataset_hidden),
    Item("ex_init_params", ("init_params",), title="Exercise 3 (init_params)",
         public=(_init_props("init_params((784, 1))", 1), _init_props("init_params(1)", 2),
                 _init_spread("init_params(20000, std=0.1)", 0.1, 3),
                 _init_centre("init_params(20000)", 1.0, 4),
                 _init_fresh("init_params(500)", 5)),
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
    'ex_make_xy': (
        'Every image becomes one row of 784 numbers; 3s first, then 7s.',
        'Labels are a column: one row per image, 1 for a 3 and 0 for a 7.',
        'Joining two stacks of rows and reshaping keeps the pixel values as they are.',
    ),
    'ex_make_dataset': (
        'A dataset here is a plain list of (input, label) pairs.',
        "Python's zip pairs up two sequences element by element.",
    ),
    'ex_init_params': (
        'Random numbers from a normal distribution, scaled by std.',
        'Scale first, then ask for gradients: the result must be a leaf tensor.',
        'Do not fix a seed inside the function: every call should give new numbers.',
    ),
    'ex_linear1': (
        'A linear model computes one score per image from all its pixels.',
        'The score is a weighted sum of the pixels plus the bias: a matrix product does all rows '
        'at once.',
        'Use the global weights and bias themselves so that training can change them.',
    ),
    'ex_accuracy_from_preds': (
        "A prediction is a score; decide 'is a 3' from its sign.",
        'Compare the decisions with the targets, turn the bools into floats and average.',
    ),
    'ex_grad_wrt_preds': (
        'The gradient asked for is with respect to the predictions themselves.',
        'Work on a detached copy that tracks gradients, so earlier computations are not involved.',
        'When the result does not track gradients, there is nothing to differentiate: return '
        'None.',
    ),
    'ex_mnist_loss_v1': (
        'The loss measures, per image, how far the prediction is from the right answer.',
        'A 3 wants a prediction near 1, a 7 a prediction near 0; choose per image with the '
        'target, then average.',
    ),
    'ex_sigmoid': (
        'Sigmoid squashes any score into (0, 1), element by element.',
        'Use torch operations so autograd can follow.',
        'For very large scores one of the exponentials overflows: find a way to write the same '
        'value without it.',
    ),
    'ex_mnist_loss': (
        'This is mnist_loss_v1 applied to squashed scores.',
        'Squash first, then apply the same per-image rule and average.',
        'Confident right answers should give a loss near 0, confident wrong ones near 1, never '
        'NaN.',
    ),
})
