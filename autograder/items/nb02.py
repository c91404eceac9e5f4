"""Items of notebook 02 (tensors, broadcasting and the pixel-similarity metric).

Every probe brings its own tensors: ``is_3`` gets small made-up ideal digits bound as
``mean3``/``mean7`` (and one-image "training stacks" whose mean is that ideal, so an answer that
recomputes the ideal from the stacks still agrees), and ``validation_accuracy`` gets a simple
threshold rule as its classifier, so no probe depends on the notebook's data or on another
exercise's answer except where ``needs`` says so.
"""

from __future__ import annotations

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

_RULE = "_rule = lambda _x: _x.mean((-1, -2)) > 0.5\n"


def _int(rng: np.random.Generator, shape: tuple[int, ...], lo: int = -50,
         hi: int = 50) -> torch.Tensor:
    return torch.from_numpy(rng.integers(lo, hi, size=shape).astype(np.int64))


def _float(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0) -> torch.Tensor:
    return torch.from_numpy((rng.standard_normal(shape) * scale).astype(np.float32))


# ------------------------------------------------------------------ exercise 1: tensor basics

def _basics_probes(t: torch.Tensor, j: int, n: int, v: torch.Tensor, what: str) -> list[Probe]:
    cols = t.shape[1]
    return [
        Probe(f"column(t, {j}) of {what}", f"(column(t, {j}), t)", {"t": t}, equal(),
              hint="a column is one value from every row, as a rank-1 tensor",
              parts=returns("column", "t")),
        Probe(f"bottom_right(t, {n}) of {what}", f"(bottom_right(t, {n}), t)", {"t": t},
              equal(), hint="the last n rows and the last n columns (count from the end)",
              parts=returns("corner", "t")),
        Probe(f"add_to_each_row(t, v) of {what} and a vector of {cols}",
              "(add_to_each_row(t, v), t, v)", {"t": t, "v": v},
              close(atol=1e-6, rtol=0, scalar=False),
              hint="v is added to every row (broadcasting)",
              parts=returns("sum", "t", "v")),
        Probe(f"halve(t) of {what}", "(halve(t), t)", {"t": t},
              close(atol=1e-6, rtol=1e-6, dtype="kind", scalar=False),
              hint="floating-point results: 7 halved is 3.5", parts=returns("halves", "t")),
    ]


def _basics_hidden(rng: np.random.Generator) -> list[Probe]:
    wide = _int(rng, (4, 6))
    odd = _int(rng, (5, 5), -99, 100) | 1                    # odd numbers: halves end in .5
    floats = _float(rng, (3, 4), 10.0)
    one_row = _int(rng, (1, 7))
    probes = _basics_probes(wide, 5, 3, _int(rng, (6,), -9, 9), "a 4x6 integer tensor")
    probes += _basics_probes(odd, 0, 5, _int(rng, (5,)), "a 5x5 tensor of odd numbers")
    probes += _basics_probes(floats, 2, 1, _float(rng, (4,)), "a 3x4 float tensor")
    probes += _basics_probes(one_row, 6, 1, _int(rng, (7,)), "a tensor with a single row")
    return probes


# ------------------------------------------------------------------ exercise 2: mnist_distance

def _distance(a: torch.Tensor, b: torch.Tensor, what: str, hint: str = "") -> Probe:
    return Probe(f"mnist_distance on {what}", "(mnist_distance(a, b), a, b)", {"a": a, "b": b},
                 close(atol=1e-5, rtol=1e-5, scalar=False),
                 hint=hint or "the mean absolute difference over the last two axes only, "
                              "one value per image",
                 parts=returns("distance", "a", "b"))


def _distance_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = []
    for sa, sb in (((5, 7, 9), (7, 9)), ((2, 3, 4, 4), (4, 4)), ((4, 4), (4, 4)),
                   ((6, 28, 28), (6, 28, 28)), ((1, 28, 28), (28, 28))):
        probes.append(_distance(_float(rng, sa), _float(rng, sb),
                                f"inputs of shapes {sa} and {sb}"))
    probes.append(_distance(_float(rng, (3, 5)) - 4, _float(rng, (3, 5)) + 4,
                            "images whose differences are all negative",
                            "take the absolute value of the differences"))
    return probes


# ------------------------------------------------------------------ exercise 3: is_3

def _is_3(x: torch.Tensor, mean3: torch.Tensor, mean7: torch.Tensor, what: str) -> Probe:
    return Probe(f"is_3 on {what}", "is_3(x)",
                 {"x": x, "mean3": mean3, "mean7": mean7, "stacked_threes": mean3[None],
                  "stacked_sevens": mean7[None]}, equal(),
                 hint="True where an image is nearer the ideal 3 than the ideal 7 (by "
                      "mnist_distance); one bool per image, a single bool for one image")


def _ideals(rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    m3 = torch.from_numpy(rng.random((28, 28)).astype(np.float32))
    m7 = torch.from_numpy(rng.random((28, 28)).astype(np.float32))
    return m3, m7


def _near(rng: np.random.Generator, ideal: torch.Tensor, count: int) -> torch.Tensor:
    noise = rng.standard_normal((count, *ideal.shape)).astype(np.float32) * 0.35
    return (ideal + torch.from_numpy(noise)).clamp(0, 1)


def _is_3_hidden(rng: np.random.Generator) -> list[Probe]:
    m3, m7 = _ideals(rng)
    threes, sevens = _near(rng, m3, 12), _near(rng, m7, 12)
    mixed = torch.cat([sevens[:6], threes[:6]])[torch.from_numpy(rng.permutation(12))]
    noise = torch.from_numpy(rng.random((20, 28, 28)).astype(np.float32))
    # ideals 0.2 apart everywhere; images equal to the ideal 3 except for a few hundred pixels
    # that are 0.6 brighter: nearer the 3 by mean absolute difference, not by squared distance
    base = torch.from_numpy(rng.random((28, 28)).astype(np.float32) * 0.4)
    spotted = base.repeat(6, 1, 1)
    for image in spotted:
        image.view(-1)[torch.from_numpy(rng.choice(784, int(rng.integers(190, 260)),
                                                   replace=False))] += 0.6
    return [_is_3(spotted, base, base + 0.2, "images with a few very different pixels"),
            _is_3(threes, m3, m7, "images drawn near the ideal 3"),
            _is_3(sevens, m3, m7, "images drawn near the ideal 7"),
            _is_3(mixed, m3, m7, "a shuffled batch of both"),
            _is_3(noise, m3, m7, "random noise images"),
            _is_3(sevens[:1], m3, m7, "a batch holding one image"),
            _is_3(sevens[3], m3, m7, "a single image near the ideal 7"),
            _is_3(threes[5], m3, m7, "a single image near the ideal 3")]


# ------------------------------------------------------------------ exercise 4: accuracy

def _accuracy(threes: torch.Tensor, sevens: torch.Tensor, what: str,
              rule: str = _RULE) -> Probe:
    return Probe(f"validation_accuracy with {what}", "validation_accuracy(_rule, threes, sevens)",
                 {"threes": threes, "sevens": sevens}, close(atol=1e-5, rtol=1e-5),
                 setup=rule,
                 hint="use the classifier and the images you are given; the share of 3s "
                      "called a 3, the share of 7s not called a 3, and the mean of the two",
                 parts=(Part("the accuracy on the 3s you return",
                             "the share of the 3s the classifier calls a 3"),
                        Part("the accuracy on the 7s you return",
                             "the share of the 7s the classifier does not call a 3"),
                        Part("the overall accuracy you return",
                             "the mean of the two accuracies")))


def _accuracy_hidden(rng: np.random.Generator) -> list[Probe]:
    n3, n7 = int(rng.integers(25, 45)), int(rng.integers(70, 110))
    threes = torch.from_numpy(rng.random((n3, 5, 5)).astype(np.float32) * 0.9 + 0.06)
    sevens = torch.from_numpy(rng.random((n7, 5, 5)).astype(np.float32) * 0.9 + 0.02)
    return [_accuracy(threes, sevens, "hidden images of 3s and 7s (a threshold rule)"),
            _accuracy(sevens[:17], threes[:5], "17 images of 3s and 5 of 7s"),
            _accuracy(threes, sevens, "a classifier that always says 3",
                      "_rule = lambda _x: _x.sum((-1, -2)) > -1\n"),
            _accuracy(threes[:1], sevens[:1], "one image of each")]


_T = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
_M3 = torch.zeros(4, 4)
_M3[:, 1] = 1.0
_M7 = torch.zeros(4, 4)
_M7[0, :] = 1.0
_M7[:, 3] = 1.0
_BATCH = torch.stack([_M3 * 0.9, _M7 * 0.8, (_M3 + _M7).clamp(max=1) * 0.3, _M7 + 0.1])
_THREES = torch.tensor([0.9, 0.7, 0.2, 0.6]).view(4, 1, 1).expand(4, 3, 3).contiguous()
_SEVENS = torch.tensor([0.1, 0.8, 0.3, 0.2, 0.4]).view(5, 1, 1).expand(5, 3, 3).contiguous()

SPEC = CellSpec("02_tensors_and_metrics", (
    Item("ex_tensor_basics", ("column", "bottom_right", "add_to_each_row", "halve"),
         title="Exercise 1 (tensor basics)",
         public=tuple(_basics_probes(_T, 1, 2, torch.tensor([10, 20, 30]), "a 3x3 tensor")),
         hidden=_basics_hidden),
    Item("ex_mnist_distance", ("mnist_distance",), title="Exercise 2 (mnist_distance)",
         public=(_distance(torch.zeros(2, 2), torch.full((2, 2), 0.25), "two single images",
                           "for two single images the result is one number (shape ()): "
                           "average over the last two axes"),
                 _distance(torch.stack([torch.zeros(2, 2), torch.full((2, 2), 0.5),
                                        torch.ones(2, 2)]), torch.zeros(2, 2),
                           "a batch of 3 images and one image",
                           "one distance per image: shape (3,), averaging over the pixel axes "
                           "only, never across images"),
                 _distance(torch.tensor([[0.0, 1.0], [0.0, 0.0]]), torch.zeros(2, 2),
                           "an image with one bright pixel and a blank one",
                           "the mean of the absolute differences (not squared, no root)"),
                 _distance(torch.zeros(2, 2), torch.full((2, 2), -0.5), "zeros and -0.5s",
                           "take the absolute value of the differences")),
         hidden=_distance_hidden),
    Item("ex_is_3", ("is_3",), needs=("ex_mnist_distance",), title="Exercise 3 (is_3)",
         redefine=True,
         public=(_is_3(_M3 * 0.9, _M3, _M7, "an image like the ideal 3"),
                 _is_3(_M7 * 0.8, _M3, _M7, "an image like the ideal 7"),
                 _is_3(_BATCH, _M3, _M7, "a batch of 4 images")),
         hidden=_is_3_hidden),
    Item("ex_validation_accuracy", ("validation_accuracy",),
         title="Exercise 4 (validation_accuracy)",
         public=(_accuracy(_THREES, _SEVENS, "4 images of 3s and 5 of 7s (a threshold rule)"),),
         hidden=_accuracy_hidden),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    "ex_tensor_basics": (
        'Re-read "NumPy Arrays and PyTorch Tensors": indexing with a colon, negative positions, '
        "adding tensors of different ranks and changing the type. Each of the four functions is "
        "one such expression on the whole tensor.",
        "Find which function fails first. column: a colon keeps every row while one number picks "
        "the column. bottom_right: a negative start counts from the end. add_to_each_row: the "
        "vector lines up with the last axis. halve: floor division (//) loses the half. And no "
        "in-place operation (+=, /=) may change the input.",
        "A worked example on [[1, 2, 3], [4, 5, 6]]: column 2 is [3, 6]; the bottom-right 1x1 "
        "block is [[6]]; adding [10, 20, 30] to each row gives [[11, 22, 33], [14, 25, 36]]; "
        "halving gives [[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]]. The tensor you were given must still "
        "hold [[1, 2, 3], [4, 5, 6]] afterwards.",
    ),
    "ex_mnist_distance": (
        'Re-read "Computing Metrics Using Broadcasting": the distance is written once and works '
        "for one image or a whole batch, because the averaging runs over the two pixel axes only.",
        "A mean with no axis also averages across the images of a batch and returns one number; "
        "a mean over axes 1 and 2 suits a batch but fails on a single image, which has no axis "
        "2. Counting axes from the end works for both ranks.",
        "For a batch of shape (6, 28, 28) against one (28, 28) image, the difference broadcasts "
        "to (6, 28, 28) and the result must have shape (6,). Tensor.mean accepts a tuple of "
        "axes, and negative axis numbers count from the last one.",
    ),
    "ex_is_3": (
        'Re-read "Computing Metrics Using Broadcasting", where every validation image is '
        "classified at once: an image counts as a 3 when it is nearer the ideal 3 than the ideal "
        "7.",
        "mnist_distance already returns one distance per image, so one comparison of two such "
        "results answers for the whole batch: no loop and no floats. If a correct-looking is_3 "
        "fails, check mnist_distance first, since is_3 relies on it.",
        "For a batch of 4 images expect a bool tensor of shape (4,), for example [True, False, "
        "False, True]; for one 28x28 image, a single bool of shape (). Comparison operators work "
        "element by element on tensors.",
    ),
    "ex_validation_accuracy": (
        'Re-read the end of "Computing Metrics Using Broadcasting", where the accuracy on the '
        "validation 3s and the accuracy on the validation 7s are measured separately, then "
        "averaged.",
        "For a 7 the right answer is False, so the accuracy on the 7s is the share of images NOT "
        "called a 3. Use the classify function and the images passed in, not the notebook's is_3 "
        "or its validation tensors.",
        "Example: if classify gives [True, True, False, True] on four 3s and [False, True, "
        "False] on three 7s, the three numbers are 0.75, about 0.667, and their mean, about "
        "0.708. Bools become 1.0 and 0.0 with .float(), and ~ flips a bool tensor.",
    ),
})


# known misconceptions (instructor analysis only: ``ch4 insight``, the report's clusters)


def _mean_of_everything(got: Any, want: Any, inputs: dict) -> bool:
    a, b = array(inputs.get("a")), array(inputs.get("b"))
    return a is not None and b is not None and a.ndim > 2 \
        and same(first(got), np.abs(a - b).mean())


SPEC = SPEC.with_misconceptions({
    "ex_mnist_distance": (Misconception(
        "mean over every axis", "one number for the whole batch: averaged over all axes",
        "With a batch of images, you need one distance per image: average over the two pixel "
        "axes only (counted from the end, so a single image works too).",
        _mean_of_everything),),
})
