"""Items of notebook 05 (mini-batches and the training loop written by hand).

The training functions of this notebook read the loaders from the notebook's variables
(``dl``, ``valid_dl``): the probes bind small, fixed lists of batches under those names, so every
run is deterministic and is compared with the reference on the parameters it leaves behind.
The validation batches given alongside would move the parameters if they were trained on.
Probes that draw random numbers (the shuffled loader) seed the generators first and put them
back afterwards, so the notebook's own figures do not depend on whether a check ran. The kernel
only returns raw values (the batches the loaders hand out, parameters, raw ``.grad`` tensors);
batch sizes, orders, cleared gradients and leaf checks are computed here, in the grader, by the
probes' ``measure``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.items import wire
from autograder.items.cells import CellSpec
from autograder.items.misconceptions import array, entry, same
from autograder.items.spec import (
    KEEP_INPUTS,
    Item,
    Misconception,
    Part,
    Probe,
    close,
)

# Runs a call with Python's and PyTorch's generators seeded, then restores them.
_KEPT = '''
import torch as _ch4_torch

from autograder.items.fixtures import seeded as _ch4_seeded


def _ch4_kept(call):
    return _ch4_seeded(call, 5)
'''

# make_loaders on (x, y) pairs whose first feature is an id: the raw batches the loaders hand
# out (valid_dl once, dl once per epoch); ``loaders_form`` reads them in the grader.
_LOADERS = _KEPT + '''

def _ch4_loaders(train_x, train_y, valid_x, valid_y, bs, epochs):
    def call():
        args = (list(zip(train_x, train_y)), list(zip(valid_x, valid_y)))
        dl, valid_dl = make_loaders(*args) if bs is None else make_loaders(*args, bs)
        return ([[xb, yb] for xb, yb in valid_dl],
                [[[xb, yb] for xb, yb in dl] for _ in range(epochs)])
    return _ch4_kept(call)
'''

# calc_grad on a linear model whose parameters are fresh copies of w0 and b0.
_GRADS = '''
import torch as _ch4_torch


def _ch4_grad_of(p):
    return None if p.grad is None else p.grad.detach().clone()


def _ch4_grads(w0, b0, xb, yb, calls, module=False):
    if module:
        model = _ch4_torch.nn.Linear(w0.shape[1], 1)
        with _ch4_torch.no_grad():
            model.weight.copy_(w0)
            model.bias.copy_(b0)
        w, b = model.weight, model.bias
    else:
        w, b = w0.clone().requires_grad_(), b0.clone().requires_grad_()
        model = lambda x: x @ w + b  # noqa: E731
    seen = []
    for _ in range(calls):
        calc_grad(xb, yb, model)
        seen.append({"weights": _ch4_grad_of(w), "bias": _ch4_grad_of(b)})
    return {"gradients after each call": seen, "weights after": w.detach().clone(),
            "bias after": b.detach().clone()}
'''

# train_epoch with dl (and valid_dl) bound as inputs: after each epoch the parameters and their
# raw .grad (or None); at the end the weights' .grad after a fresh w.sum().backward() (ones for
# a leaf that requires grad, None where backward fails). ``epochs_form`` reads them.
_EPOCH = '''
import torch as _ch4_torch

from autograder.items.fixtures import grad_copy as _ch4_grad
from autograder.items.fixtures import grad_of_sum as _ch4_grad_of_sum


def _ch4_epochs(w0, b0, lr, calls):
    w, b = w0.clone().requires_grad_(), b0.clone().requires_grad_()
    model = lambda x: x @ w + b  # noqa: E731
    after = []
    for _ in range(calls):
        train_epoch(model, lr, (w, b))
        after.append([w.detach().clone(), b.detach().clone(), _ch4_grad(w), _ch4_grad(b)])
    return after, _ch4_grad_of_sum(w)
'''


def _tensor(value: Any) -> np.ndarray:
    """The values of a tensor the kernel returned (anything else fails the probe)."""
    if not isinstance(value, wire.Array) or not value.torch:
        raise TypeError("not a tensor")
    return value.values


def _grad_size(grad: Any) -> float:
    """The size of a raw gradient: the sum of its absolute values, 0 for None."""
    return 0.0 if grad is None else float(np.abs(_tensor(grad).astype(np.float64)).sum())


def _t(array: np.ndarray, dtype: type = np.float32) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array, dtype=dtype))


# ------------------------------------------------------------------ exercise 1: make_loaders


def _pairs(rng: np.random.Generator, n: int, features: int, offset: float = 0.0):
    x = rng.random((n, features)).astype(np.float32)
    x[:, 0] = np.arange(n) + offset                       # an id, to sort the items back
    y = rng.integers(0, 2, size=(n, 1))
    return _t(x), _t(y, np.int64)


def loaders_form(value: Any) -> dict:
    """Grader side, from ``(valid_dl's batches, dl's batches per epoch)``: the validation
    batches as they are; per epoch of dl the batch sizes, the inputs sorted back by their id
    (the first feature) and their labels; and how many different orders dl handed out."""
    valid, epochs = value
    train, orders = [], set()
    for batches in epochs:
        xs = [_tensor(xb) for xb, _ in batches]
        ys = [_tensor(yb) for _, yb in batches]
        x, y = np.concatenate(xs), np.concatenate(ys)
        by_id = np.argsort(x[:, 0], kind="stable")
        train.append({"batch sizes": [int(xb.shape[0]) for xb in xs],
                      "inputs sorted back": wire.Array(x[by_id], True),
                      "labels of those inputs": wire.Array(y[by_id], True)})
        orders.add(tuple(x[:, 0].tolist()))
    return {"valid_dl batches": valid, "dl epochs": train, "different dl orders": len(orders)}


def _loaders_probe(label: str, n: int, n_valid: int, bs: int | None, epochs: int,
                   rng: np.random.Generator, hint: str) -> Probe:
    tx, ty = _pairs(rng, n, 3)
    vx, vy = _pairs(rng, n_valid, 3, offset=1000.0)
    code = f"_ch4_loaders(_ch4_tx, _ch4_ty, _ch4_vx, _ch4_vy, {bs!r}, {epochs})"
    return Probe(label, code, {"_ch4_tx": tx, "_ch4_ty": ty, "_ch4_vx": vx, "_ch4_vy": vy},
                 close(atol=1e-6, dtype="kind"), setup=_LOADERS, hint=hint,
                 measure=loaders_form)


_LOADERS_HINT = ("dl: the training pairs in batches of bs, in a new random order every epoch; "
                 "valid_dl: the validation pairs in batches of bs, always in the same order")


def _loaders_hidden(rng: np.random.Generator) -> list[Probe]:
    return [
        _loaders_probe("make_loaders with 23 training and 17 validation pairs, bs=7",
                       23, 17, 7, 4, rng, _LOADERS_HINT),
        _loaders_probe("make_loaders with the default batch size on 300 pairs",
                       300, 260, None, 2, rng, "the default batch size is 256, for both loaders"),
        _loaders_probe("make_loaders when bs is larger than the training set",
                       12, 5, 16, 4, rng, "a batch can hold the whole set; dl still shuffles"),
    ]


# ------------------------------------------------------------------ exercise 2: calc_grad

_GRAD_HINT = ("the loss is mnist_loss of the model's predictions against the targets, then "
              "backward; gradients add up from one call to the next, and the parameters "
              "themselves stay unchanged")


_SAME = "calc_grad only fills the gradients: the parameters themselves stay as they were"


def _grad_probe(label: str, w0: torch.Tensor, b0: torch.Tensor, xb: torch.Tensor,
                yb: torch.Tensor, calls: int = 2, module: bool = False) -> Probe:
    return Probe(label, f"_ch4_grads(_ch4_w0, _ch4_b0, _ch4_xb, _ch4_yb, {calls}, {module})",
                 {"_ch4_w0": w0, "_ch4_b0": b0, "_ch4_xb": xb, "_ch4_yb": yb},
                 close(atol=1e-6, rtol=1e-5),
                 setup=_GRADS, hint=_GRAD_HINT,
                 parts=(Part("the gradients after each call", key="gradients after each call"),
                        Part("the weights after the calls", _SAME, key="weights after"),
                        Part("the bias after the calls", _SAME, key="bias after")))


def _grad_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = []
    for n, k in ((7, 5), (2, 784), (1, 3)):
        probes.append(_grad_probe(
            f"calc_grad on a batch of {n} items with {k} features (called twice)",
            _t(rng.standard_normal((k, 1))), _t(rng.standard_normal(1)),
            _t(rng.random((n, k))), _t(rng.integers(0, 2, size=(n, 1)), np.int64)))
    probes.append(_grad_probe(
        "calc_grad with an nn.Linear model", _t(rng.standard_normal((1, 4))),
        _t(rng.standard_normal(1)), _t(rng.random((6, 4))),
        _t(rng.integers(0, 2, size=(6, 1)), np.int64), calls=1, module=True))
    return probes


# ------------------------------------------------------------------ exercise 3: train_epoch

_EPOCH_HINT = ("for every batch of dl, and only dl: the gradients, then every parameter in "
               "params moves in place against its gradient times lr, then its gradient is zeroed")


def _batches(rng: np.random.Generator, sizes: tuple[int, ...], k: int) -> list:
    return [(_t(rng.random((n, k))), _t(rng.integers(0, 2, size=(n, 1)), np.int64))
            for n in sizes]


def epochs_form(value: Any) -> dict:
    """Grader side, from ``(per epoch [weights, bias, their raw .grad or None], the weights'
    .grad after a fresh w.sum().backward())``: per epoch the parameters and the size of their
    gradients (0 for None), and whether the weights are still a leaf that requires grad (the
    backward pass of their sum reached them: a .grad of ones)."""
    after, grad_of_sum = value
    epochs = [{"weights": w, "bias": b, "size of the weights' gradient": _grad_size(gw),
               "size of the bias' gradient": _grad_size(gb)} for w, b, gw, gb in after]
    last = _tensor(after[-1][0])
    leaf = isinstance(grad_of_sum, wire.Array) and grad_of_sum.values.shape == last.shape \
        and bool(np.all(grad_of_sum.values == 1))
    return {"after each epoch": epochs, "weights still a leaf that requires grad": leaf}


def _epoch_probe(label: str, w0, b0, batches: list, valid: list, lr: float, calls: int,
                 hint: str = _EPOCH_HINT) -> Probe:
    return Probe(label, f"_ch4_epochs(_ch4_w0, _ch4_b0, {lr!r}, {calls})",
                 {"_ch4_w0": w0, "_ch4_b0": b0, "dl": batches, "valid_dl": valid},
                 close(atol=1e-5, rtol=1e-5), setup=_EPOCH, hint=hint, measure=epochs_form)


def _epoch_hidden(rng: np.random.Generator) -> list[Probe]:
    k = int(rng.integers(3, 7))
    w0, b0 = _t(rng.standard_normal((k, 1))), _t(rng.standard_normal(1))
    train = _batches(rng, (4, 4, 2), k)
    valid = _batches(rng, (5, 3), k)
    lr_small, lr_big = float(rng.uniform(0.1, 0.5)), float(rng.uniform(1.5, 3.0))
    return [
        _epoch_probe("train_epoch on 3 batches of sizes 4, 4, 2 with a hidden small lr",
                     w0, b0, train, valid, lr_small, 1),
        _epoch_probe("train_epoch twice in a row with a hidden large lr", w0, b0, train, valid,
                     lr_big, 2, "each call trains one more epoch from where the parameters are; "
                     "gradients must not pile up from one batch to the next"),
        _epoch_probe("train_epoch on a single batch of one item", w0, b0,
                     _batches(rng, (1,), k), valid, 1.0, 1),
    ]


# ------------------------------------------------------------------ exercise 4: batch_accuracy

_ACC_HINT = ("the inputs are raw scores: sigmoid, then a prediction above 0.5 counts as a 3; the "
             "share of predictions equal to the targets, with the inputs left unchanged")


def _acc_probe(label: str, scores: torch.Tensor, targets: torch.Tensor) -> Probe:
    return Probe(label, '{"accuracy": batch_accuracy(_ch4_s, _ch4_t), "scores after": _ch4_s, '
                 '"targets after": _ch4_t}', {"_ch4_s": scores, "_ch4_t": targets},
                 close(atol=1e-6), hint=_ACC_HINT,
                 parts=(Part("the accuracy you return", key="accuracy"),
                        Part("your input xb after the call", KEEP_INPUTS, key="scores after"),
                        Part("your input yb after the call", KEEP_INPUTS, key="targets after")))


def _acc_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = []
    for n in (40, 9):
        probes.append(_acc_probe(f"batch_accuracy on {n} random scores",
                                 _t(rng.standard_normal((n, 1)) * 0.6),
                                 _t(rng.integers(0, 2, size=(n, 1)), np.int64)))
    edge = np.array([[0.0], [0.0], [1e-3], [-1e-3], [8.0], [-8.0], [0.0]])
    probes.append(_acc_probe("batch_accuracy with scores of exactly 0 (a probability of 0.5)",
                             _t(edge), _t(rng.integers(0, 2, size=(7, 1)), np.int64)))
    probes.append(_acc_probe("batch_accuracy on a batch of one", _t([[0.7]]),
                             _t([[0]], np.int64)))
    return probes


# ------------------------------------------------------------------ exercise 5: validate_epoch

def _reported(value: object) -> dict:
    """Grader side: the number validate_epoch returned and what it was (a Python float, a
    tensor or a NumPy number), read from the raw value (never from the kernel's word)."""
    if type(value) is float:
        return {"the accuracy you return": value, "its type": "float"}
    if isinstance(value, wire.Array) and value.values.size == 1:
        return {"the accuracy you return": float(value.values.reshape(-1)[0]),
                "its type": "tensor" if value.torch else "NumPy number"}
    raise TypeError("not a single number")

_VALID_HINT = ("the plain mean of the batch accuracies over valid_dl (each batch counts once, "
               "whatever its size), as a Python float rounded to 4 decimal places")


def _valid_probe(label: str, w: torch.Tensor, valid: list, train: list,
                 hint: str = _VALID_HINT) -> Probe:
    return Probe(label, "validate_epoch(lambda _ch4_x: _ch4_x @ _ch4_w)",
                 {"_ch4_w": w, "valid_dl": valid, "dl": train},
                 close(atol=1e-9, rtol=0.0), hint=hint, measure=_reported)


def _valid_hidden(rng: np.random.Generator) -> list[Probe]:
    k = 3
    w = _t(rng.standard_normal((k, 1)))

    def batches(sizes):
        return [(_t(rng.standard_normal((n, k))), _t(rng.integers(0, 2, size=(n, 1)), np.int64))
                for n in sizes]

    return [_valid_probe("validate_epoch on 4 batches of 5", w, batches((5, 5, 5, 5)),
                         batches((5, 5))),
            _valid_probe("validate_epoch on batches of sizes 7, 3 and 5", w, batches((7, 3, 5)),
                         batches((6,))),
            _valid_probe("validate_epoch on a single batch", w, batches((6,)), batches((3, 3)))]


# ------------------------------------------------------------------ public inputs

_ID_X = torch.cat([torch.arange(10.0).view(10, 1), torch.rand(10, 2,
                   generator=torch.Generator().manual_seed(50))], dim=1)
_ID_Y = (torch.arange(10) % 2).view(10, 1)
_LOADERS_PUBLIC = Probe(
    "make_loaders on 10 training and 10 validation pairs with bs=4",
    "_ch4_loaders(_ch4_tx, _ch4_ty, _ch4_vx, _ch4_vy, 4, 6)",
    {"_ch4_tx": _ID_X, "_ch4_ty": _ID_Y, "_ch4_vx": _ID_X + torch.tensor([100.0, 0, 0]),
     "_ch4_vy": 1 - _ID_Y},
    close(atol=1e-6, dtype="kind"), setup=_LOADERS, hint=_LOADERS_HINT, measure=loaders_form)
_DEFAULT_BS = Probe(
    "make_loaders with its default batch size on 300 pairs",
    "_ch4_loaders(_ch4_tx, _ch4_ty, _ch4_vx, _ch4_vy, None, 1)",
    {"_ch4_tx": torch.cat([torch.arange(300.0).view(300, 1), torch.zeros(300, 1)], dim=1),
     "_ch4_ty": torch.zeros(300, 1, dtype=torch.int64),
     "_ch4_vx": torch.cat([torch.arange(300.0).view(300, 1), torch.ones(300, 1)], dim=1),
     "_ch4_vy": torch.ones(300, 1, dtype=torch.int64)},
    close(atol=1e-6, dtype="kind"), setup=_LOADERS, hint="the default batch size is 256",
    measure=loaders_form)

_W2 = torch.tensor([[1.0], [-1.0]])
_XB = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_YB = torch.tensor([[1], [0], [1]])
_EPOCH_TRAIN = [(torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), torch.tensor([[1], [1], [0]])),
                (torch.tensor([[2.0, 1.0]]), torch.tensor([[0]]))]
_EPOCH_VALID = [(torch.tensor([[3.0, -1.0], [0.5, 0.5]]), torch.tensor([[0], [1]]))]
_SCORES = torch.tensor([[0.3], [0.2], [-0.4], [1.0], [-2.0], [-0.1]])
_TARGETS = torch.tensor([[1], [1], [0], [1], [1], [0]])
# the weight passes each input through as its score
_VALID_PUBLIC = [(torch.tensor([[1.0], [-1.0], [2.0]]), torch.tensor([[1], [0], [1]])),
                 (torch.tensor([[1.0], [1.0]]), torch.tensor([[0], [0]])),
                 (torch.tensor([[1.0], [1.0], [-3.0]]), torch.tensor([[1], [0], [1]]))]
_TRAIN_PUBLIC = [(torch.tensor([[5.0], [-5.0]]), torch.tensor([[1], [0]]))]

SPEC = CellSpec("05_minibatches_and_training_loop", (
    Item("ex_make_loaders", ("make_loaders",), title="Exercise 1 (make_loaders)",
         public=(_LOADERS_PUBLIC, _DEFAULT_BS), hidden=_loaders_hidden),
    Item("ex_calc_grad", ("calc_grad",), title="Exercise 2 (calc_grad)",
         public=(_grad_probe("calc_grad on a batch of 3 (called twice)", _W2,
                             torch.tensor([0.0]), _XB, _YB),),
         hidden=_grad_hidden),
    Item("ex_train_epoch", ("train_epoch",), needs=("ex_calc_grad",), redefine=True,
         title="Exercise 3 (train_epoch)",
         public=(_epoch_probe("train_epoch on two small batches with lr 1.5",
                              torch.tensor([[0.5], [-0.5]]), torch.tensor([0.0]), _EPOCH_TRAIN,
                              _EPOCH_VALID, 1.5, 1),),
         hidden=_epoch_hidden),
    Item("ex_batch_accuracy", ("batch_accuracy",), title="Exercise 4 (batch_accuracy)",
         public=(_acc_probe("batch_accuracy on six scores", _SCORES, _TARGETS),
                 _acc_probe("batch_accuracy on two correct scores", torch.tensor([[4.0], [-4.0]]),
                            torch.tensor([[1], [0]]))),
         hidden=_acc_hidden),
    Item("ex_validate_epoch", ("validate_epoch",), needs=("ex_batch_accuracy",), redefine=True,
         title="Exercise 5 (validate_epoch)",
         public=(_valid_probe("validate_epoch on three batches of sizes 3, 2 and 3",
                              torch.tensor([[1.0]]), _VALID_PUBLIC, _TRAIN_PUBLIC),),
         hidden=_valid_hidden),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    "ex_make_loaders": (
        'Re-read "SGD and Mini-Batches": a DataLoader cuts a dataset into batches of a given '
        "size and can reshuffle the items at the start of every pass.",
        "Shuffle the training loader only: the validation loader keeps its order, so that its "
        "accuracy can be compared between epochs. Both use the batch size passed in, and the "
        "default belongs in the signature.",
        "With 10 pairs and bs=4 each loader yields batches of 4, 4 and 2; two passes over dl "
        "should come in different orders, two passes over valid_dl in the same one. Look up the "
        "shuffle argument of fastai's DataLoader.",
    ),
    "ex_calc_grad": (
        'Re-read "Putting It All Together", where the gradients of one mini-batch come from '
        "three steps: predictions, their loss against the targets, and backward.",
        "calc_grad only fills .grad: it neither moves the parameters nor clears the gradients, "
        "so calling it twice on the same batch doubles them. Use mnist_loss, the model you are "
        "given and the targets yb.",
        "For a model with one parameter whose gradient on a batch is 0.25, one call leaves .grad "
        "at 0.25 and a second call at 0.5, while the parameter keeps its value. Nothing needs to "
        "be returned.",
    ),
    "ex_train_epoch": (
        'Re-read "Putting It All Together": one epoch loops over every mini-batch of the '
        "training loader, gets the gradients with calc_grad, then steps every parameter and "
        "clears its gradient.",
        "The update must change each parameter in place with tracking switched off; p = p - ... "
        "only rebinds a local name. Clear after every step, because gradients add up across "
        "batches, and loop over dl only, never the validation loader.",
        "A parameter at 1.0 with a gradient of 0.2 and lr 1.5 should be 0.7 after the step, with "
        "its .grad all zeros before the next batch. Two batches mean two such steps.",
    ),
    "ex_batch_accuracy": (
        'Re-read "Putting It All Together", where batch_accuracy turns raw scores into decisions '
        "with the sigmoid and a threshold of 0.5, then compares them with the targets.",
        "The first argument holds scores, not probabilities: squash them first (a raw score "
        "above 0 says the same). The targets are a column of shape (n, 1): keep the decisions in "
        "that shape so the comparison does not broadcast into a grid.",
        "Scores [[2.0], [-1.0], [0.3]] with targets [[1], [1], [0]]: the sigmoids are about "
        "0.88, 0.27 and 0.57, so the decisions are 3, 7, 3 and one of three is right, about "
        "0.333.",
    ),
    "ex_validate_epoch": (
        'Re-read "Putting It All Together", where the validation accuracy of an epoch is the '
        "average of the batch accuracies over the validation loader.",
        "Every batch counts once, even the shorter last one: a plain mean of the batch "
        "accuracies, not a mean over all images. Use valid_dl (not dl), then turn the 0-d tensor "
        "into a Python number rounded to 4 places.",
        "Three batches with accuracies 1.0, 0.5 and 2/3 give (1.0 + 0.5 + 0.6667) / 3 = 0.7222. "
        "Collect the batch accuracies in a list, and look up torch.stack to average them as one "
        "tensor.",
    ),
})


# known misconceptions (instructor analysis only: ``ch4 insight``, the report's clusters)


def _raw_half(got: Any, want: Any, inputs: dict) -> bool:
    scores, targets = array(inputs.get("_ch4_s")), array(inputs.get("_ch4_t"))
    if scores is None or targets is None:
        return False
    return same(entry(got, "accuracy"), ((scores > 0.5) == targets).mean())


def _grads_pile_up(got: Any, want: Any, inputs: dict) -> bool:
    mine, theirs = entry(got, "after each epoch"), entry(want, "after each epoch")
    if not isinstance(mine, list) or not isinstance(theirs, list):
        return False
    key = "size of the weights' gradient"
    return any(isinstance(g, dict) and isinstance(w, dict)
               and float(g.get(key) or 0) > 0 and float(w.get(key) or 0) == 0
               for g, w in zip(mine, theirs, strict=False))


SPEC = SPEC.with_misconceptions({
    "ex_batch_accuracy": (Misconception(
        "threshold on raw scores", "raw scores compared with 0.5 (no sigmoid first)",
        "0.5 is a threshold for probabilities: what turns a raw score into one? (Or which "
        "raw score corresponds to 0.5?)", _raw_half),),
    "ex_train_epoch": (Misconception(
        "gradients never zeroed", "the gradients are never cleared between batches",
        "After each step, what is left in .grad, and what will the next backward pass do "
        "with it?", _grads_pile_up),),
})
