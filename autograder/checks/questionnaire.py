"""Public checks for the chapter's questionnaire (notebook 08): one ``check_qNN`` per item.

Each check tests the idea behind the question with a small computation, a demonstration, an
ordering or a multiple-choice answer, and fails with a plain-words message that names the
likely misconception. Nothing here depends on another item: a broken answer costs one point.
Multiple-choice and ordering keys are sealed (see ``autograder.checks.choice``).
"""

from __future__ import annotations

import math
import sys

import torch

from autograder.checks import choice
from autograder.checks._common import (
    CheckFailed,
    as_array,
    expect,
    expect_close,
    expect_number,
    expect_tensor,
    fail,
    is_tensor,
)

__all__ = ["show_choices"] + [f"check_q{n:02d}" for n in range(1, 38)]


# ---------------------------------------------------------------- helpers


def _need(answer: object, name: str) -> None:
    """Fail when the answer is missing or empty."""
    if answer is None or (isinstance(answer, (str, list, tuple, dict)) and len(answer) == 0):
        fail(f"{name} is empty: write your answer in the cell above and run it")


def _need_function(answer: object, name: str) -> None:
    _need(answer, name)
    if not callable(answer):
        fail(f"{name} should be a function (def ...), got {type(answer).__name__}")


def _call(function, name: str, *args, **kwargs):
    """Call the student's function; turn its exceptions into a plain-words failure."""
    try:
        return function(*args, **kwargs)
    except CheckFailed:
        raise
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any error in student code is reported
        fail(f"{name} raised {type(exc).__name__}: {exc}")


def _pair(answer: object, name: str, what: str) -> tuple:
    _need(answer, name)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        fail(f"{name} should be a pair ({what})")
    return tuple(answer)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape(value: object, name: str) -> tuple | None:
    if value is None:
        return None
    if isinstance(value, (tuple, list, torch.Size)) and all(_is_int(v) for v in value):
        return tuple(value)
    fail(f"{name} should be a shape such as (5, 4) (or None for an error), got {value!r}")


def show_choices(item: str, student_id: object = "") -> None:
    """Print the options of a multiple-choice or ordering item, lettered for this student."""
    for group, kind in ((_SINGLE, {}), (_MULTI, {"multi": True}), (_ORDER, {"ordering": True})):
        if item in group:
            choice.show(item, list(group[item]), student_id, **kind)
            return
    raise KeyError(f"{item} has no options to show")


def letter_of(item: str, student_id: object, text: str) -> str:
    """The letter under which a student sees option ``text`` (for tests and instructors)."""
    for group in (_SINGLE, _MULTI, _ORDER):
        if item in group:
            return choice.letter_of(item, list(group[item]), student_id, text)
    raise KeyError(f"{item} has no options")


def options_of(item: str) -> list[str]:
    """The option texts of an item, in no particular order."""
    for group in (_SINGLE, _MULTI, _ORDER):
        if item in group:
            return list(group[item])
    raise KeyError(f"{item} has no options")


def _lines(answer: object, name: str) -> list:
    """(x, y) NumPy arrays of every line drawn on a matplotlib Axes or Figure."""
    _need(answer, name)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(answer, Figure):
        axes = list(answer.axes)
    elif isinstance(answer, Axes):
        axes = [answer]
    else:
        fail(f"{name} should be the matplotlib Axes (or Figure) you drew on, e.g. from "
             f"`fig, ax = plt.subplots()`, got {type(answer).__name__}")
    out = []
    for ax in axes:
        for line in ax.get_lines():
            xy = as_array(line.get_xydata(), f"{name}'s plotted data")
            if xy.ndim == 2 and xy.shape[0] >= 2:
                order = xy[:, 0].argsort()
                out.append((xy[order, 0], xy[order, 1]))
    if not out:
        fail(f"{name} has no plotted line: draw the curve with ax.plot(x, y)")
    return out


def _interp(x, y, at: float) -> float:
    import numpy

    return float(numpy.interp(at, x, y))


# ---------------------------------------------------------------- the 37 items


def check_q01(answer: object) -> None:
    """A white 2x4 grayscale image and a pure red 2x4 colour image, as 0-255 tensors."""
    gray, colour = _pair(answer, "q01_answer", "(gray, colour)")
    expect_tensor(gray, "the grayscale image")
    expect_tensor(colour, "the colour image")
    g = as_array(gray, "the grayscale image")
    if g.shape != (2, 4):
        fail(f"the grayscale image should be a 2-D grid of 2 rows and 4 columns, got shape "
             f"{g.shape}: one number per pixel, no channel axis")
    if float(g.max()) <= 1.0 and float(g.min()) >= 0.0 and float(g.max()) > 0:
        fail("8-bit images store each pixel as a whole number from 0 to 255; "
             "white is 255, not 1")
    if float(g.min()) == 0 and float(g.max()) == 0:
        fail("0 is black; a white pixel is the brightest value, 255")
    expect(bool((g == 255).all()), "every pixel of a white 8-bit grayscale image is 255")
    c = as_array(colour, "the colour image")
    if c.ndim != 3:
        fail(f"a colour image has three axes (one extra for the red, green and blue channels), "
             f"got {c.ndim}")
    if c.shape == (3, 2, 4):
        red, rest = c[0], c[1:]
    elif c.shape == (2, 4, 3):
        red, rest = c[..., 0], c[..., 1:]
    else:
        fail(f"a 2x4 colour image should have shape (3, 2, 4) or (2, 4, 3), got {c.shape}")
    if float(c.max()) <= 1.0 and float(c.max()) > 0:
        fail("each colour channel also holds 0-255 values; full red is 255")
    expect(bool((red == 255).all()) and bool((rest == 0).all()),
           "pure red is 255 in the red channel and 0 in the green and blue channels")


def check_q02(answer: object) -> None:
    """``q02_answer(path)`` -> (split, label) from a MNIST_SAMPLE image path."""
    _need_function(answer, "q02_answer")
    from pathlib import Path

    cases = [("/data/mnist_sample/train/3/7463.png", "train", "3"),
             ("mnist_sample/valid/7/1234.png", "valid", "7"),
             (Path("/home/me/.fastai/data/mnist_sample/valid/3/21.png"), "valid", "3"),
             (Path("train/7/3.png"), "train", "7")]
    for path, split, label in cases:
        got = _call(answer, "q02_answer", path)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail(f"q02_answer({str(path)!r}) should return a pair (split, label), got {got!r}")
        got_split, got_label = (str(v) for v in got)
        if got_label == Path(path).stem and got_label != label:
            fail("the file name is just the image's number in the original MNIST file; the "
                 "label is the name of the folder the image sits in")
        if (got_split, got_label) == (label, split):
            fail("the pair is the wrong way round: the split comes first, then the label")
        expect(got_split == split, f"for {str(path)!r} the split should be {split!r} "
               f"(the folder above the label folder), got {got_split!r}")
        expect(got_label == label, f"for {str(path)!r} the label should be {label!r} "
               f"(the image's folder), got {got_label!r}")


def check_q03(answer: object) -> None:
    """``q03_answer(threes, sevens, x)`` -> True where x is nearer the mean 3 (per image)."""
    _need_function(answer, "q03_answer")
    gen = torch.Generator().manual_seed(3)
    a = torch.rand(6, 6, generator=gen)
    b = torch.rand(6, 6, generator=gen)
    # index 0 of each class is an atypical example that looks like the other class
    threes = torch.stack([b] + [a + 0.02 * torch.randn(6, 6, generator=gen) for _ in range(4)])
    sevens = torch.stack([a] + [b + 0.02 * torch.randn(6, 6, generator=gen) for _ in range(4)])
    x = torch.stack([a, b, b + 0.01, a - 0.01, b])
    want = [True, False, False, True, False]
    got = _call(answer, "q03_answer", threes.clone(), sevens.clone(), x.clone())
    expect_tensor(got, "q03_answer(...)")
    if got.dim() == 0:
        fail("got a single value for a batch of 5 images: take the distance over the last "
             "two axes only (mean over (-1, -2)) so each image gets its own answer")
    expect(tuple(got.shape) == (5,), f"for 5 images the result should have shape (5,), got "
           f"{tuple(got.shape)}")
    got_list = [bool(v) for v in got.reshape(-1).tolist()]
    if got_list == [not v for v in want]:
        fail("the answers are inverted: did you compare with one example image (e.g. the "
             "first 3 and the first 7)? Average each class into its 'ideal' image first")
    expect(got_list == want, f"expected {want}, got {got_list}: average all 3s and all 7s "
           "into two ideal images and pick the nearer ideal for each image")


def check_q04(answer: object) -> None:
    """``q04_answer(numbers)`` keeps the odd numbers and doubles them, as a list."""
    _need_function(answer, "q04_answer")
    for numbers, want in (([1, 2, 3, 4, 5], [2, 6, 10]), ([10, 11, -3, 0, 8, 7], [22, -6, 14]),
                          ([2, 4], []), ([], [])):
        got = _call(answer, "q04_answer", list(numbers))
        if not isinstance(got, list):
            fail(f"q04_answer should return a list (use square brackets around the "
                 f"comprehension), got {type(got).__name__}")
        if got == want:
            continue
        if numbers and got == [2 * n for n in numbers if n % 2 == 0]:
            fail("these are the even numbers doubled: keep the odd ones (n % 2 == 1)")
        if numbers and got == [2 * n for n in numbers]:
            fail("every number was doubled: add an `if` clause that keeps only the odd ones")
        if numbers and got == [n for n in numbers if n % 2]:
            fail("the odd numbers are selected but not doubled")
        expect(got == want, f"q04_answer({numbers}) should be {want}, got {got}")


def check_q05(answer: object) -> None:
    """``q05_answer(images)`` stacks 2-D images into one rank-3 tensor."""
    _need_function(answer, "q05_answer")
    images = [torch.full((4, 5), float(i)) for i in range(3)]
    got = _call(answer, "q05_answer", [im.clone() for im in images])
    expect_tensor(got, "q05_answer(images)")
    if tuple(got.shape) == (12, 5):
        fail("torch.cat glued the images end to end into one tall rank-2 tensor; "
             "stacking adds a new first axis: (number of images, rows, columns)")
    if got.dim() == 4:
        fail("that is a rank-4 tensor: stacking 2-D images adds exactly one axis")
    expect(tuple(got.shape) == (3, 4, 5), f"3 images of 4x5 should give shape (3, 4, 5), got "
           f"{tuple(got.shape)}")
    expect_close(got, torch.stack(images), "the stacked images",
                 hint="image i should be at index i of the first axis")


def check_q06(answer: object) -> None:
    """``q06_answer(t)`` returns the rank of any tensor (its number of axes)."""
    _need_function(answer, "q06_answer")
    for shape in ((2, 3, 4), (7,), (), (1, 1, 1, 1), (5, 2)):
        t = torch.zeros(shape)
        got = _call(answer, "q06_answer", t)
        if is_tensor(got) and got.numel() == 1:
            got = int(got.item())
        if not _is_int(got):
            fail(f"the rank is a whole number (int), got {type(got).__name__}: {got!r}")
        rank = len(shape)
        if got != rank and shape and got == shape[0]:
            fail("that is the length of the first axis; the rank is the number of axes, "
                 "len(t.shape)")
        if got != rank and got == t.numel():
            fail("that is the number of elements; the rank is the number of axes, "
                 "len(t.shape)")
        expect(got == rank, f"a tensor of shape {shape} has rank {rank}, got {got}")


def check_q07(answer: object) -> None:
    """``q07_answer(a, b)`` -> (L1 norm, RMSE) as mean absolute / root mean squared error."""
    _need_function(answer, "q07_answer")
    cases = [(torch.tensor([1., 2., 3., 4.]), torch.tensor([1., 1., 1., 9.]), 2.0,
              math.sqrt(7.5)),
             (torch.zeros(2, 2), torch.tensor([[1., -1.], [3., 1.]]), 1.5, math.sqrt(3.0))]
    for a, b, l1, rmse in cases:
        got = _call(answer, "q07_answer", a.clone(), b.clone())
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail("q07_answer should return a pair (l1, rmse)")
        got_l1 = expect_number(got[0], "the L1 norm")
        got_rmse = expect_number(got[1], "the RMSE")
        n = a.numel()
        if math.isclose(got_l1, l1 * n, rel_tol=1e-4) and n > 1:
            fail("the L1 norm here is the MEAN absolute difference: divide the sum by the "
                 "number of values")
        if math.isclose(got_l1, float((a - b).mean()), rel_tol=1e-4, abs_tol=1e-6):
            fail("take the absolute value of the differences before averaging, or positive "
                 "and negative errors cancel out")
        expect(math.isclose(got_l1, l1, rel_tol=1e-4), f"L1 norm should be {l1:.4f}, "
               f"got {got_l1:.4f}")
        if math.isclose(got_rmse, rmse ** 2, rel_tol=1e-4):
            fail("that is the mean squared error: RMSE must take the square root of the mean "
                 "squared difference")
        if math.isclose(got_rmse, math.sqrt(rmse ** 2 * n), rel_tol=1e-4):
            fail("RMSE takes the root of the MEAN squared difference, not of the sum")
        expect(math.isclose(got_rmse, rmse, rel_tol=1e-4), f"RMSE should be {rmse:.4f}, "
               f"got {got_rmse:.4f}")


def _count_lines(function, *args) -> tuple[object, int]:
    """Run ``function`` and count the Python lines it executes outside libraries."""
    import os

    skip = tuple({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
                 | {os.path.dirname(os.path.dirname(os.path.abspath(__file__)))})
    counted = [0]
    memo: dict[str, bool] = {}

    def mine(filename: str) -> bool:
        if filename not in memo:
            real = os.path.realpath(filename)
            memo[filename] = not (filename.startswith("<frozen") or real.startswith(skip))
        return memo[filename]

    def local(frame, event, arg):
        if event == "line":
            counted[0] += 1
        return local

    def tracer(frame, event, arg):
        return local if mine(frame.f_code.co_filename) else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = function(*args)
    finally:
        sys.settrace(previous)
    return result, counted[0]


def check_q08(answer: object) -> None:
    """``q08_answer(x)``: mean of squares of each row, with whole-tensor operations."""
    _need_function(answer, "q08_answer")
    small = torch.arange(12.).view(4, 3)
    try:
        got, lines_small = _count_lines(answer, small.clone())
        big = torch.linspace(-1, 1, 400 * 3).view(400, 3)
        got_big, lines_big = _count_lines(answer, big.clone())
    except (CheckFailed, NotImplementedError):
        raise
    except Exception as exc:  # noqa: BLE001
        fail(f"q08_answer raised {type(exc).__name__}: {exc}")
    expect_tensor(got, "q08_answer(x)")
    expect_close(got, [5 / 3, 50 / 3, 149 / 3, 302 / 3], "q08_answer(x)",
                 hint="square every value, then average along each row (dim=1)")
    expect_tensor(got_big, "q08_answer(x)", shape=(400,))
    if lines_big > lines_small + 100:
        fail(f"your function ran {lines_big} Python lines for 400 rows but {lines_small} for 4: "
             "it loops in Python. Use whole-tensor operations (x**2, .mean(dim=1)), which run "
             "as compiled code, often hundreds of times faster")


def check_q09(answer: object) -> None:
    """(doubled 3x3 tensor of 1..9, its bottom-right 2x2 block)."""
    doubled, corner = _pair(answer, "q09_answer", "(doubled, corner)")
    expect_tensor(doubled, "the doubled tensor")
    expect_tensor(corner, "the bottom-right block")
    grid = [[2, 4, 6], [8, 10, 12], [14, 16, 18]]
    if tuple(doubled.shape) != (3, 3):
        fail(f"the doubled tensor should be 3x3, got shape {tuple(doubled.shape)}: "
             "arrange 1..9 in 3 rows of 3")
    if bool((as_array(doubled, "d") == as_array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], "g")).all()):
        fail("the tensor holds 1..9 but was not doubled")
    expect_close(doubled, grid, "the doubled tensor")
    if tuple(corner.shape) == (4,):
        fail("the bottom-right four numbers of a grid form a 2x2 block (last two rows, last "
             "two columns), not the last four values of the flattened tensor")
    if tuple(corner.shape) == (1, 1):
        fail("slicing from index 2 keeps one row and column; the last two start at index 1")
    expect(tuple(corner.shape) == (2, 2), f"the block should have shape (2, 2), got "
           f"{tuple(corner.shape)}")
    if bool((as_array(corner, "c") == as_array([[5, 6], [8, 9]], "g")).all()):
        fail("that block was taken before doubling: select it from the doubled tensor")
    expect_close(corner, [[10, 12], [16, 18]], "the bottom-right block",
                 hint="the last two rows and the last two columns")


_Q10_PAIRS = [((3, 28, 28), (28, 28)), ((5, 1), (4,)), ((2, 3), (2,)), ((6,), ()),
              ((4, 1, 3), (5, 1)), ((2, 3), (2, 1))]


def check_q10(answer: object) -> None:
    """Predicted broadcast shapes of six pairs (None where broadcasting fails)."""
    _need(answer, "q10_answer")
    if not isinstance(answer, (list, tuple)) or len(answer) != len(_Q10_PAIRS):
        fail(f"q10_answer should be a list of {len(_Q10_PAIRS)} predictions, one per pair")
    for number, ((left, right), guess) in enumerate(zip(_Q10_PAIRS, answer, strict=True), 1):
        guess = _shape(guess, f"prediction {number}")
        try:
            truth = tuple((torch.zeros(left) + torch.zeros(right)).shape)
        except RuntimeError:
            truth = None
        if guess == truth:
            continue
        if truth is None:
            fail(f"pair {number} {left} and {right}: shapes line up from the LAST axis; "
                 f"{left[-1]} and {right[-1]} differ and neither is 1, so this is an error "
                 "(None)")
        if guess is None:
            fail(f"pair {number} {left} and {right} does broadcast: compare axes from the "
                 "right; a missing axis or a size of 1 stretches to match")
        if guess in (left, right) and truth not in (left, right):
            fail(f"pair {number} {left} and {right}: the result is not either input's shape; "
                 "every axis of size 1 (or missing) is stretched to the other's size")
        fail(f"pair {number} {left} and {right}: predicted {guess}, which is not the "
             "broadcast shape; line the shapes up from the right")


def check_q11(answer: object) -> None:
    """``q11_answer(predict, train, valid)``: the accuracy that tells how well it generalises."""
    _need_function(answer, "q11_answer")
    train_x = torch.arange(10.)
    train_y = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0])
    memory = {float(x): int(y) for x, y in zip(train_x, train_y, strict=True)}

    def predict(x):  # a model that memorised its training set
        return torch.tensor([memory.get(float(v), 0) for v in x.reshape(-1)])

    valid_x = torch.tensor([10.5, 11.5, 12.5, 13.5, 14.5])
    valid_y = torch.tensor([0, 0, 0, 1, 1])
    got = expect_number(_call(answer, "q11_answer", predict, (train_x.clone(), train_y.clone()),
                              (valid_x.clone(), valid_y.clone())), "q11_answer(...)")
    if math.isclose(got, 1.0):
        fail("that is the training-set accuracy: a model that memorised its training data "
             "scores 100% there. Measure on the validation set, which the model never saw")
    if math.isclose(got, 13 / 15, rel_tol=1e-4):
        fail("that mixes the training and validation sets; use the validation set only")
    expect(math.isclose(got, 0.6, rel_tol=1e-4), f"the validation accuracy is 0.6, got {got}")


def _single(item: str):
    def check(answer: object, student_id: object = "") -> None:
        choice.check_single(item, answer, _SINGLE[item], student_id, f"{item}_answer")
    check.__name__ = f"check_{item}"
    check.__doc__ = f"Multiple choice (one letter) for {item}, shuffled per student."
    return check


check_q12 = _single("q12")
check_q13 = _single("q13")


def check_q14(answer: object, student_id: object = "") -> None:
    """Letters of the seven SGD steps in order."""
    choice.check_order("q14", answer, _ORDER["q14"], student_id, "q14_answer")


def check_q15(answer: object) -> None:
    """``q15_answer(size, std=1.0)``: random weights scaled by std, tracked by autograd."""
    _need_function(answer, "q15_answer")
    w = _call(answer, "q15_answer", (784, 1))
    expect_tensor(w, "q15_answer((784, 1))", shape=(784, 1))
    if not w.requires_grad:
        fail("the weights must track gradients: call .requires_grad_() on them")
    if not w.is_leaf:
        fail("the weights are the result of an operation on a tracked tensor, so their "
             ".grad will stay None: scale first, then call .requires_grad_()")
    values = as_array(w, "the weights")
    if float(values.std()) == 0.0:
        fail("every weight has the same value: start from random numbers (torch.randn), or "
             "all units compute the same thing and receive the same gradient")
    again = as_array(_call(answer, "q15_answer", (784, 1)), "a second call")
    expect(bool((again != values).any()), "two calls gave the same weights: draw fresh "
           "random numbers on every call")
    wide = as_array(_call(answer, "q15_answer", (20000,), std=0.1), "q15_answer(..., std=0.1)")
    expect(wide.shape == (20000,), "q15_answer((20000,), std=0.1) should have shape (20000,)")
    if abs(float(wide.mean()) - 0.5 * 0.1) < 0.01 or abs(float(wide.mean()) - 0.5) < 0.05:
        fail("the weights are all positive (torch.rand is uniform on [0, 1)); use torch.randn, "
             "centred on zero")
    if abs(float(wide.std()) - 1.0) < 0.05:
        fail("the std argument is ignored: multiply the random numbers by std")
    expect(abs(float(wide.mean())) < 0.01 and abs(float(wide.std()) - 0.1) < 0.01,
           f"with std=0.1 the weights should have mean about 0 and spread 0.1, got mean "
           f"{float(wide.mean()):.3f} and spread {float(wide.std()):.3f}")


check_q16 = _single("q16")


def check_q17(answer: object) -> None:
    """A learning rate for which gradient descent on f(x) = 3(x-2)^2 from x=0 diverges."""
    _need(answer, "q17_answer")
    if isinstance(answer, str):
        fail("q17_answer should be a number (a learning rate), not text")
    lr = expect_number(answer, "q17_answer")
    if lr <= 0:
        fail("a learning rate is positive: a negative one walks uphill, whatever its size")
    x = 0.0
    for _ in range(30):
        x = x - lr * 6 * (x - 2)  # the slope of 3(x-2)^2 is 6(x-2)
        if not math.isfinite(x) or abs(x) > 1e12:
            return
    if abs(x - 2) < 2 - 1e-6:
        fail(f"with lr={lr} gradient descent still gets closer to the minimum at x=2 (it may "
             "overshoot and bounce, but each jump is smaller); try a larger learning rate")
    if abs(x - 2) <= 2 + 1e-6:
        fail(f"with lr={lr} x bounces between the same two points forever: that is the edge. "
             "A little larger and every overshoot grows")


def check_q18(answer: object) -> None:
    """``q18_answer(f, x)``: the gradient (slope) of f at the number x."""
    _need_function(answer, "q18_answer")
    cases = [(lambda v: v ** 2, 3.0, 6.0), (lambda v: v ** 3 - 2 * v, -2.0, 10.0),
             (lambda v: 1 / (1 + v * v), 1.0, -0.5), (lambda v: 5 * v + 1, 0.3, 5.0)]
    for f, x, slope in cases:
        got = expect_number(_call(answer, "q18_answer", f, x), "q18_answer(f, x)")
        if math.isclose(got, f(x), rel_tol=1e-3) and not math.isclose(f(x), slope):
            fail("that is the value of f at x; the gradient is how fast f changes there "
                 "(the slope)")
        if not math.isclose(got, slope, rel_tol=1e-3, abs_tol=1e-3):
            fail(f"the gradient at x={x} should be {slope}, got {got:.5g}: use autograd, or "
                 "a rise over run with a tiny step on both sides of x")


def _q19_g(x: float) -> float:
    return math.log(1 / (1 + math.exp(-(math.sin(x) * x ** 2))))


def check_q19(answer: object) -> None:
    """The slope of the item's function g at x = 0.7 (via autograd, no calculus by hand)."""
    _need(answer, "q19_answer")
    got = expect_number(answer, "q19_answer")
    h = 1e-6
    slope = (_q19_g(0.7 + h) - _q19_g(0.7 - h)) / (2 * h)
    if math.isclose(got, _q19_g(0.7), rel_tol=1e-3):
        fail("that is g(0.7), the value of the function; the question asks for its slope")
    inner = math.cos(0.7) * 0.49 + 2 * 0.7 * math.sin(0.7)
    if math.isclose(got, inner, rel_tol=1e-3):
        fail("that is only the slope of the inner part; autograd applies the chain rule "
             "through every operation for you: call backward on g(x) itself")
    expect(math.isclose(got, slope, rel_tol=1e-3), f"the slope of g at 0.7 is not {got:.5g}: "
           "make x a tensor with requires_grad, call g(x).backward() and read x.grad")


def check_q20(answer: object) -> None:
    """(accuracy of the given predictions, the gradient of that accuracy w.r.t. preds)."""
    accuracy, grad = _pair(answer, "q20_answer", "(accuracy, gradient)")
    acc = expect_number(accuracy, "the accuracy")
    expect(math.isclose(acc, 0.6, rel_tol=1e-4), f"the accuracy of those predictions at a "
           f"0.5 threshold is 0.6, got {acc}")
    if grad is None:
        return
    g = as_array(grad, "the gradient")
    if g.shape != (5,):
        fail(f"the gradient has one value per prediction (shape (5,)), got shape {g.shape}")
    if bool((g != 0).any()):
        fail("accuracy only changes when a prediction crosses the threshold, so nudging a "
             "prediction a little does not change it: its gradient is zero (or autograd "
             "has none at all). A non-zero gradient here is that of a smooth loss, not of "
             "accuracy")


def _check_curve(answer: object, name: str, test) -> None:
    problems = []
    for x, y in _lines(answer, name):
        problem = test(x, y)
        if problem is None:
            return
        problems.append(problem)
    fail(problems[0])


def check_q21(answer: object) -> None:
    """The Axes (or Figure) on which the sigmoid is plotted, over at least -4..4."""
    import numpy

    def test(x, y):
        if x.min() > -4 or x.max() < 4:
            return f"plot over at least -4..4 to see the whole S (got {x.min():.3g}..{x.max():.3g})"
        if not numpy.isfinite(y).all():
            return "the plotted values contain NaN or infinity"
        if y.min() < -0.5:
            return "sigmoid never goes below 0 (tanh goes down to -1)"
        if y.min() < 0 or y.max() > 1:
            return "sigmoid's output always stays between 0 and 1"
        if y[-1] < y[0]:
            return "the curve goes down: sigmoid is 1/(1+exp(-x)), with a minus sign in exp"
        if (numpy.diff(y) < -1e-9).any():
            return "sigmoid rises everywhere (it is increasing)"
        if abs(_interp(x, y, 0.0) - 0.5) > 0.01:
            return f"sigmoid(0) is 0.5, the plotted curve gives {_interp(x, y, 0.0):.3g}"
        if abs(_interp(x, y, 2.0) - 0.8808) > 0.01 or abs(_interp(x, y, -3.0) - 0.0474) > 0.01:
            return "the curve is S-shaped but is not the sigmoid 1/(1+exp(-x))"
        return None

    _check_curve(answer, "q21_answer", test)


check_q22 = _single("q22")


def check_q23(answer: object) -> None:
    """``q23_answer(params, lr)``: one SGD step on params in place, then zero the gradient."""
    _need_function(answer, "q23_answer")
    params = torch.tensor([1.0, 2.0, 3.0]).requires_grad_()
    params.grad = torch.tensor([0.5, -1.0, 2.0])
    try:
        result = answer(params, 0.1)
    except NotImplementedError:  # the untouched stub (a subclass of RuntimeError)
        raise
    except RuntimeError as exc:
        if "in-place" in str(exc):
            fail("PyTorch refuses to change a tracked tensor in place: do the update inside "
                 "`with torch.no_grad():` (or on params.data)")
        fail(f"q23_answer raised RuntimeError: {exc}")
    except Exception as exc:  # noqa: BLE001
        fail(f"q23_answer raised {type(exc).__name__}: {exc}")
    got = as_array(params, "params")
    if result is not None and result is not params and bool((got == [1.0, 2.0, 3.0]).all()):
        fail("the parameters you were given are unchanged: update them in place "
             "(params -= ..., or params.data -= ...), the model keeps using that tensor")
    if bool((abs(got - [1.05, 1.9, 3.2]) < 1e-5).all()):
        fail("the step went uphill: subtract the gradient times the learning rate")
    if bool((abs(got - [0.5, 3.0, 1.0]) < 1e-5).all()):
        fail("the step ignored the learning rate: subtract grad * lr")
    if bool((got == [1.0, 2.0, 3.0]).all()):
        fail("the parameters did not change: subtract grad * lr from them in place")
    expect_close(params, [0.95, 2.1, 2.8], "params after the step",
                 hint="new = old - grad * lr")
    expect(params.requires_grad and params.is_leaf,
           "after the step the parameters must still track gradients")
    if params.grad is not None and bool((params.grad != 0).any()):
        fail("zero the gradient after the step (params.grad.zero_()), or the next backward "
             "adds to the old one")


def check_q24(answer: object) -> None:
    """A DataLoader over q24_dataset: batches of 4 (x, y) tensors, reshuffled every pass."""
    _need(answer, "q24_answer")
    try:
        iter(answer)
    except TypeError:
        fail(f"q24_answer should be a DataLoader (something you can loop over), got "
             f"{type(answer).__name__}")
    orders = []
    for _ in range(4):
        seen = []
        sizes = []
        for batch in _call(lambda: list(answer), "iterating q24_answer"):
            if not isinstance(batch, (list, tuple)) or len(batch) != 2:
                fail("each batch should be a pair (xb, yb): the DataLoader collates the "
                     "dataset's (x, y) tuples into a tensor of xs and a tensor of ys")
            xb, yb = batch
            expect_tensor(xb, "a batch's xb")
            expect_tensor(yb, "a batch's yb")
            expect(xb.shape[0] == yb.shape[0], "xb and yb should hold the same number of items")
            sizes.append(int(xb.shape[0]))
            xs = [int(v) for v in xb.reshape(-1).tolist()]
            ys = [int(v) for v in yb.reshape(-1).tolist()]
            expect(ys == [v % 2 for v in xs], "each x must stay with its own y")
            seen += xs
        if sorted(seen) != list(range(10)):
            fail(f"one pass should visit each of the 10 items exactly once, got {sorted(seen)}"
                 + (" (drop_last drops the smaller final batch)" if len(seen) == 8 else ""))
        expect(sizes == [4, 4, 2], f"with batch size 4 the batches of 10 items have sizes "
               f"[4, 4, 2], got {sizes}")
        orders.append(seen)
    if all(order == list(range(10)) for order in orders):
        fail("the items always come out in their original order: pass shuffle=True")
    if all(order == orders[0] for order in orders):
        fail("every pass gives the same order: a DataLoader reshuffles at the start of each "
             "pass, so build a DataLoader (not a fixed list of batches)")


def check_q25(answer: object, student_id: object = "") -> None:
    """Letters of the six lines of one SGD epoch's loop body, in order."""
    choice.check_order("q25", answer, _ORDER["q25"], student_id, "q25_answer",
                       accepted=_ACCEPTED["q25"])


def check_q26(answer: object) -> None:
    """``q26_answer(xs, ys)`` -> a list of (x, y) tuples, the shape of a dataset."""
    _need_function(answer, "q26_answer")
    got = _call(answer, "q26_answer", [1, 2, 3, 4], "abcd")
    if isinstance(got, zip) or (hasattr(got, "__next__") and not isinstance(got, list)):
        fail("zip gives a one-shot iterator: wrap it in list() so the dataset has a length "
             "and can be indexed")
    if not isinstance(got, list):
        fail(f"q26_answer should return a list, got {type(got).__name__}")
    if got == [(b, a) for a, b in zip([1, 2, 3, 4], "abcd", strict=True)]:
        fail("the pairs are reversed: the independent variable x comes first, then y")
    if got == [[a, b] for a, b in zip([1, 2, 3, 4], "abcd", strict=True)]:
        fail("each item should be a tuple (x, y), not a list")
    expect(got == [(1, "a"), (2, "b"), (3, "c"), (4, "d")],
           f"expected [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')], got {got!r}")
    xs, ys = torch.arange(3), torch.tensor([0, 1, 0])
    got = _call(answer, "q26_answer", xs, ys)
    expect(isinstance(got, list) and len(got) == 3, "q26_answer should also work on tensors, "
           "giving one (x, y) tuple per item")
    expect(all(isinstance(item, tuple) and len(item) == 2 for item in got),
           "each item should be an (x, y) tuple")
    expect(int(got[2][0]) == 2 and int(got[2][1]) == 0, "item 2 should be (x[2], y[2])")


def check_q27(answer: object) -> None:
    """``q27_answer(x)``: a (N, H, W) batch seen as (N, H*W) with view, no copy."""
    _need_function(answer, "q27_answer")
    for shape in ((2, 4, 3), (5, 28, 28)):
        x = torch.arange(math.prod(shape), dtype=torch.float32).view(shape)
        try:
            got = answer(x)
        except NotImplementedError:  # the untouched stub (a subclass of RuntimeError)
            raise
        except RuntimeError as exc:
            if "invalid for input of size" in str(exc):
                fail(f"q27_answer fails on a batch of shape {shape}: do not hard-code 28*28; "
                     "let view infer one size with -1, e.g. x.view(x.shape[0], -1)")
            fail(f"q27_answer raised RuntimeError: {exc}")
        except Exception as exc:  # noqa: BLE001
            fail(f"q27_answer raised {type(exc).__name__}: {exc}")
        expect_tensor(got, "q27_answer(x)")
        want = (shape[0], shape[1] * shape[2])
        if got.dim() == 1:
            fail("view(-1) flattens everything into one long vector; keep the first axis "
                 "(one row per image): view(-1, rows*columns) or view(n, -1)")
        if tuple(got.shape) == (want[1], want[0]):
            fail(f"shape {tuple(got.shape)} has the axes the wrong way round: one row per "
                 "image, one column per pixel")
        expect(tuple(got.shape) == want, f"a batch of shape {shape} should become {want}, "
               f"got {tuple(got.shape)}")
        expect_close(got[1], torch.arange(want[1], 2 * want[1]), "row 1",
                     hint="row i should hold image i's pixels, row after row")
        expect(got.data_ptr() == x.data_ptr(), "the result is a copy: view gives a new shape "
               "over the same memory, without copying any numbers")


def check_q28(answer: object) -> None:
    """(w, b) of a one-input linear model x*w + b through (0, 1.5) and (2, 0.5)."""
    w, b = _pair(answer, "q28_answer", "(w, b)")
    w = expect_number(w, "w")
    b = expect_number(b, "b")
    if b == 0:
        fail("with no bias an input of 0 always gives 0, whatever the weight, so the line "
             "cannot pass through (0, 1.5): the bias sets the output at zero input")
    expect(math.isclose(b, 1.5, abs_tol=1e-4), f"at x=0 the output is just b, so b must be "
           f"1.5, got {b}")
    expect(math.isclose(2 * w + b, 0.5, abs_tol=1e-4), f"at x=2 the output 2*w + b should be "
           f"0.5, got {2 * w + b:.4g}")


def check_q29(answer: object) -> None:
    """``q29_answer(xb, w, b)``: a linear layer, xb @ w + b, for a batch."""
    _need_function(answer, "q29_answer")
    xb = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = torch.tensor([[1.0], [0.0], [-1.0]])
    got = _call(answer, "q29_answer", xb, w, torch.tensor(0.5))
    expect_tensor(got, "q29_answer(xb, w, b)")
    if tuple(got.shape) != (2, 1):
        fail(f"a batch of 2 rows of 3 features times 3x1 weights gives shape (2, 1), got "
             f"{tuple(got.shape)}: use @ (matrix multiplication), not * (element by element)")
    expect_close(got, [[-1.5], [-1.5]], "q29_answer(xb, w, b)",
                 hint="each row's features times the weights, summed, plus the bias")
    xb = torch.ones(4, 5)
    w = torch.arange(5.0).view(5, 1)
    got = _call(answer, "q29_answer", xb, w, torch.tensor([1.0]))
    expect_close(got, [[11.0]] * 4, "q29_answer on a 4x5 batch")


def check_q30(answer: object) -> None:
    """``q30_answer(loss_fn, params)``: one backward call, return [p.grad for p in params]."""
    _need_function(answer, "q30_answer")
    params = [torch.tensor([1.0, 2.0]).requires_grad_(), torch.tensor([3.0, -1.0]).requires_grad_()]

    def loss_fn(ps):
        return (ps[0] ** 2).sum() + (ps[0] * ps[1]).sum()

    got = _call(answer, "q30_answer", loss_fn, params)
    _need(got, "q30_answer(...)")
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("return one gradient per parameter, as a list")
    if any(p.grad is None for p in params):
        fail("backward stores each gradient in the parameter's .grad; call "
             "loss_fn(params).backward() on the parameters you were given")
    if bool((abs(as_array(params[0].grad, "g") - [10.0, 6.0]) < 1e-5).all()):
        fail("the gradients are doubled: backward already fills in every parameter's "
             "gradient at once; calling it once per parameter adds them up twice")
    expect_close(got[0], [5.0, 3.0], "the first gradient", hint="d loss / d params[0]")
    expect_close(got[1], [1.0, 2.0], "the second gradient", hint="d loss / d params[1]")


def check_q31(answer: object) -> None:
    """(x.grad after two backward calls, x.grad after zeroing and one more backward)."""
    twice, after_zero = _pair(answer, "q31_answer", "(after two backward calls, after "
                              "zeroing and one more)")
    twice = expect_number(twice, "the gradient after two backward calls")
    after_zero = expect_number(after_zero, "the gradient after zeroing")
    if math.isclose(twice, 6.0):
        fail("backward does not replace x.grad, it ADDS to it: after two calls it holds "
             "6 + 6")
    expect(math.isclose(twice, 12.0), f"after two backward calls x.grad should be 12, got "
           f"{twice}")
    expect(math.isclose(after_zero, 6.0), f"after zeroing, one more backward gives a fresh "
           f"6, got {after_zero}")


class _Stand:
    """A named placeholder passed for one argument (so the check can see where it went)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __call__(self, *args, **kwargs):  # loss, metric and optimiser functions are callables
        return 0.0


_ADAM = _Stand("Adam (fastai's default optimiser)")


class _LearnerStandIn:
    """Accepts exactly the arguments of fastai 2.8's ``Learner`` and records them."""

    def __init__(self, dls, model, loss_func=None, opt_func=_ADAM, lr=0.001, splitter=None,
                 cbs=None, metrics=None, path=None, model_dir="models", wd=None,
                 wd_bn_bias=False, train_bn=True, moms=(0.95, 0.85, 0.95), default_cbs=True):
        self.dls, self.model, self.loss_func, self.opt_func = dls, model, loss_func, opt_func
        self.metrics = metrics


def check_q32(answer: object) -> None:
    """``q32_answer(Learner, dls, model, opt_func, loss_func, metric)`` builds a Learner with
    everything it needs (checked with a stand-in that has fastai's ``Learner`` signature)."""
    _need_function(answer, "q32_answer")
    dls, model = _Stand("dls"), _Stand("model")
    opt, loss, metric = _Stand("opt_func"), _Stand("loss_func"), _Stand("metric")
    try:
        got = answer(_LearnerStandIn, dls, model, opt, loss, metric)
    except TypeError as exc:
        text = str(exc)
        if "epoch" in text:
            fail("the number of epochs is not part of the Learner: it is given when training, "
                 "to fit (e.g. learn.fit(10, lr))")
        fail(f"q32_answer raised TypeError: {text}. Learner takes (dls, model, loss_func=..., "
             "opt_func=..., metrics=..., ...)")
    except (CheckFailed, NotImplementedError):
        raise
    except Exception as exc:  # noqa: BLE001 - any error in student code is reported
        fail(f"q32_answer raised {type(exc).__name__}: {exc}")
    if not isinstance(got, _LearnerStandIn):
        fail("return the Learner you built (the object Learner(...) gives back), got "
             f"{type(got).__name__}")
    if got.dls is not dls or got.model is not model:
        fail("a Learner starts from the DataLoaders (first) and the model (second); got "
             f"dls={got.dls!r}, model={got.model!r}")
    if got.loss_func is opt and got.opt_func is loss:
        fail("the loss function and the optimiser function were swapped: Learner's third "
             "parameter is loss_func, the fourth opt_func, so pass them by name")
    if got.loss_func is metric:
        fail("the metric was given as the loss: the loss is the smooth number SGD minimises, "
             "the metric (e.g. accuracy) is what people read; a metric's gradient is mostly zero")
    if got.loss_func is not loss:
        fail("the Learner needs the loss function to minimise (loss_func=...); without it "
             f"fastai can only guess one from the data. Got loss_func={got.loss_func!r}")
    if got.opt_func is not opt:
        fail("give the Learner the optimiser function too (opt_func=..., e.g. SGD); left out, "
             f"fastai quietly uses its default. Got opt_func={got.opt_func!r}")
    metrics = got.metrics
    listed = list(metrics) if isinstance(metrics, (list, tuple)) else [metrics]
    if not any(m is metric for m in listed):
        fail("pass the metric as metrics=... (it is printed after every epoch); got "
             f"metrics={metrics!r}")


def check_q33(answer: object) -> None:
    """``q33_answer(train_epoch, validate, epochs)``: train then validate, every epoch."""
    _need_function(answer, "q33_answer")
    log: list[str] = []

    def train_epoch():
        log.append("train")

    def validate():
        log.append("validate")
        return 0.5 + 0.1 * log.count("validate")

    got = _call(answer, "q33_answer", train_epoch, validate, 3)
    want = ["train", "validate"] * 3
    if log.count("train") != 3:
        fail(f"train_epoch should run once per epoch (3 times for 3 epochs), ran "
             f"{log.count('train')} times")
    if log.count("validate") == 1 and log[-1] == "validate":
        fail("validate after EVERY epoch, so you can watch the metric improve (or stop "
             "improving)")
    if log and log[0] == "validate":
        fail("each epoch trains first, then measures on the validation set")
    expect(log == want, f"calls should go train, validate, train, validate, ...; got {log}")
    expect(isinstance(got, list) and len(got) == 3, "return the list of the 3 validation "
           "results, one per epoch")
    expect_close([float(v) for v in got], [0.6, 0.7, 0.8], "the returned results")


def check_q34(answer: object) -> None:
    """The Axes (or Figure) on which ReLU is plotted over -2..2."""
    import numpy

    def test(x, y):
        if x.min() > -1.99 or x.max() < 1.99:
            return f"plot ReLU over -2..2 (got {x.min():.3g}..{x.max():.3g})"
        neg, pos = x < -1e-6, x > 1e-6
        if numpy.allclose(y[neg], x[neg], atol=1e-4) and numpy.allclose(y[pos], 0, atol=1e-4):
            return "that is min(x, 0): ReLU keeps positive values and turns negatives into 0"
        if numpy.allclose(y, numpy.abs(x), atol=1e-4):
            return "that is abs(x): ReLU turns negatives into 0, it does not flip them"
        if not numpy.allclose(y[neg], 0, atol=1e-4):
            return "for negative inputs ReLU outputs 0"
        if not numpy.allclose(y[pos], x[pos], atol=1e-4):
            return "for positive inputs ReLU passes the value through unchanged"
        return None

    _check_curve(answer, "q34_answer", test)


def check_q35(answer: object) -> None:
    """``q35_answer(w1, b1, w2, b2)`` -> (w, b) of ONE linear layer equal to the two."""
    _need_function(answer, "q35_answer")
    gen = torch.Generator().manual_seed(35)
    w1, b1 = torch.randn(4, 3, generator=gen), torch.randn(3, generator=gen)
    w2, b2 = torch.randn(3, 2, generator=gen), torch.randn(2, generator=gen)
    got = _call(answer, "q35_answer", w1.clone(), b1.clone(), w2.clone(), b2.clone())
    w, b = _pair(got, "q35_answer(...)", "(w, b)")
    expect_tensor(w, "w", shape=(4, 2))
    expect_tensor(b, "b")
    x = torch.randn(6, 4, generator=gen)
    two = (x @ w1 + b1) @ w2 + b2
    try:
        one = x @ w + b
    except RuntimeError as exc:
        fail(f"x @ w + b fails with your w and b: {exc}")
    if not torch.allclose(one, two, atol=1e-4) and torch.allclose(x @ w, x @ w1 @ w2,
                                                                  atol=1e-4):
        fail("w is right but the bias is not: the first layer's bias also passes through "
             "the second layer's weights (b1 @ w2), then b2 is added")
    expect_close(one, two, "x @ w + b", hint="two stacked linear layers are still one "
                 "linear layer: expand (x @ w1 + b1) @ w2 + b2")


def check_q36(answer: object) -> None:
    """nn.Sequential: Linear(4, 3), a ReLU *module*, Linear(3, 1)."""
    _need(answer, "q36_answer")
    from torch import nn

    if not isinstance(answer, nn.Sequential):
        fail(f"q36_answer should be an nn.Sequential model, got {type(answer).__name__}")
    layers = list(answer)
    kinds = [type(layer).__name__ for layer in layers]
    if len(layers) == 2:
        fail("with no nonlinearity between them, two linear layers are just one linear "
             "layer: put nn.ReLU() in the middle")
    expect(len(layers) == 3, f"expected three layers (linear, ReLU, linear), got {kinds}")
    first, middle, last = layers
    expect(isinstance(first, nn.Linear) and first.in_features == 4
           and first.out_features == 3, "the first layer should be nn.Linear(4, 3)")
    expect(isinstance(last, nn.Linear) and last.in_features == 3 and last.out_features == 1,
           "the last layer should be nn.Linear(3, 1)")
    if not isinstance(middle, nn.ReLU):
        fail(f"the middle layer is {kinds[1]}, not ReLU: nn.Sequential needs a module "
             "instance, nn.ReLU() (F.relu is a plain function)")
    out = _call(answer, "the model", torch.randn(5, 4))
    expect_tensor(out, "the model's output", shape=(5, 1))


check_q37 = _single("q37")


# Sealed keys (see autograder.checks.choice): option text -> sealed payload.
_SINGLE = {
    'q12': {
        ('Compute the gradient of the accuracy on the whole data set once and jump straight to '
         'the minimum'):
            ('9xa3NxQ5KXT/zNIqvmgjWBvmZgCcOtpYU9cMseun220W2lZR8EHkIFDLiwnkaR95IxCz1l2UmAiCMSq/Zn'
             'JvX5vmI13BjTeAyBN+Q/t1pjbXCJmTU+xoKdBM3uxs4m38QAUNs2GNj4xlsvtNBoaeV0t+0Tdjo7avoRQS'
             'oDt8hCevIhMKJo66955Bu5PKUGgQ1JzvTGN/KMz6ilMloYzvsjgUSGKoxBE+Ltbz1GaxxzCDM+HtwPmnpL'
             '6+A59izrMuz5VJ8nScMOWbLFUlZ5aSMNTjFb7G1OVKHMqM5xFeVAUmvmgNAvx+T/GeCj5mZLupbExCJ9iM'
             '56hQQqE8exCQjg=='),
        ('Repeatedly nudge the parameters a small step against the gradient of the loss, using '
         'the gradient measured on a small random batch of data each time'):
            ('GU31Zkm/IJ1/RKtFVlZwrqVQpFPCysYJjs4OOVJPDRuLps9qO+kvk5vNMUvT8MwPwiXfcDcLuOQaCbqjoZ'
             'EZuo9syYEBXr6h7I4BY+cA3fLm96R2SJXVtmWZejlHUvt05qel5s0RES7WvJatGX+Y7KRr/mT3ZDoDqtVW'
             'uQFjgxb+9h6Kbb1IiDmkDQ8ZkBK90FKQYzhyjMec7FcYEzqmqTNOMqt4Kb9b8sAX8/1W73t26YuHYqO99j'
             'v3o5TQMDzGQUSiWXmprL32njZVDVdPqdu/i7QDn9qzpbJmRzmXQuINy5fQT2WSihGGTDY1D2xkt1iRvFc2'
             '/qJPOFuxArkKXg=='),
        'Solve for the best weights in one go with a closed-form formula, then stop':
            ('rmctfq6A6GAZTbXnU+6XBWFTy0+JSN+rhsylpj2dvnEvA1xs8xC+3Hse4Uz3H2KKI/kQA78waLIYfu7sPU'
             '5wtPySH6VVbQFNJDytEmpDq2cCRxdEDKm2NdVYkZtdp0PDqF1euZ6JIL0SoWdYTy/UjUkdUikEbks9IhXG'
             'fuj8Z4ck7xHI82+ZtVBbrKyUDv0fUMDTDfJ7Nx92Am4NQp9limK3fuYuAVaTUWja8rQnEw2wekZlKkRQ+W'
             'RkNhrRk5UzsTfTTNHhEDekYzIryta3AEj0FJQ/CP62tOYmUMqdViypgssnMjbF8Ndnf7Z5JHu4DXGmip8R'
             '1o/JXY2of7z4Hw=='),
        'Try many random sets of weights and keep whichever scores the best accuracy':
            ('YZ3LqbrklQi1h2lZTHIkt7Oi27KUcTe1GyxFohBz4egO8yj+BPktv1pPT1QYW33Z99XkscpGrB4XHG7QmW'
             'uvsngtAljxDBk+UwZQ+O2m+uc2IGVAUz6AOTNLtT587MfXGgiTeRwEoa+5RnaHIsdK4OlrQAvA4tRw0ZM8'
             'ODYBuC+gEVH1yTyCQDtpgi66gjrFJkCD4fQU34MF5NdZ+o9T+1nGFWDmEcucxBUMpqc94c9T1HrLWCWghn'
             'L2GGSp1MwOzuojw1S8kEXk/TZJiqZzqLLleTG3E4Uf09Aq+HNxToKyz7tnBtNtJHP6hhXRklbiqUlFUrbM'
             'BMneENON+2nsBA=='),
    },
    'q13': {
        ("A mini-batch gives a gradient that is far less noisy than one item's yet much cheaper "
         "than the whole data set's, and it keeps a GPU's parallel units busy"):
            ('pew9KXyu0tUqLgbdKuroEUpOFFtBRtby9XmxP6SQXcW/8LTMiWE1ZPEesTckCZB0RNwpn0tXZYmEsGpaQi'
             'TGbtdS0FJlQozZBvF24ikIJele8Xp9kz/fQBxJc7hHyBIyEAMxDCgqVXrGGW1q6/xeBbrx9y6wKAbtId5T'
             'ovq/SM4ZGl8dVj9xGEQhKSR6oXKmisflvYAhafb14lNWy7b5AWCiWC32wGoWfwNPnY+4iz5Rg8ZuYvhFRs'
             '4lrdwtUPftpdyIAbIoBXInze3ICHtjOzM5UApv8Imkm0gRhUiv637xKHdSFHTPAtvuxmEMuZT6pERFKvI7'
             'PlvUs8bDony+XA=='),
        'Mini-batches are needed because the loss of a single item cannot be differentiated':
            ('HFkuuZAxBrkMHhVzTuQ1lihZ4o+VyuXT0TsP1CtrlINDs2wvn/JDCzKQFomLRzRoFNnT9kquZpc9JiIzEQ'
             'TgO7FNRVh9BNPeW50qGaq3YjdYnkJPxfKm/1o8SKOC/lMQEkY8GcM8O41Do5HqMFXyffRNDskLkBldpPLb'
             'IGDHC04NPdwot2G2TXvB0n8HpUFAEPMg+OSKTkeodGKgB2SMGCrkuDFKnEQQR1szKl+ksIhEOagSbIcX7C'
             'LSk3cpHSYoIXXhSI++uJBpltE2PYQYW3Lwh5vUUOqnJ5jaMMrK2WKVNDkw08EGCuPJUjqsdLflHVyqYblR'
             'F08F2ulrmai4kw=='),
        'Mini-batches make the model see each image fewer times, so it cannot overfit':
            ('l8nbgGB+YR9XURyrKH9cjU98cltU1JPmKOYFg4JL4dJD7Ty9CdlgO8jq/ZaIIUvk6gh0//CcYF9pRxAveZ'
             '6Bzzllo/dssX4eXHvv/pxQUpqPQFA4jXkwFAfZip86UbPUq3q/jC2APz2ZQNIcPvE90f0R/0LyappBERCc'
             'j1zotE/B2Eq5lIPsge0iVM8ZejqDQbuHKE9TRiOxpI5UH4hBTWYusEURo7upWllUqFDD5T0/cj1i5dGFG0'
             'WW2349xtiQLJyuQkXe3gvIyJbd1U1GIKHM0wRM97nqgUfbvc0ycDxcpWCrlVi260qyP2IJNdfdXKO6Lmi1'
             'ACYu8onY6W4wHg=='),
        'Using the whole data set for every step is always best, mini-batches only save memory':
            ('l3lMXDJ5NmgScn7VjrZRPAvlbxKN3mUo7I0PxSQpNVkErcKg8w/iHz/mHXXlLJvHEAfseRgjDZq/Lc85eY'
             'VIwexs2zFt2T82QpoSn/Z6avHVLcYKPPwt5++KaRCotrWKW7RVqcaWS+y2ceMu3nXGYufdmDHdtmkJicNQ'
             'w8kvZqRLqfPebekTokeplSkdeAjGmAhD6cqR5TiwAT9cp40o3G7VdRQ7cfBomp51BTxK1lq7DQ06iTk5JM'
             'QKOkSP+2NOMgcQNZMrJvMGX7z2jhB/hYH4sKI9/HzevWqcw6asFz2gxBmjwESnv/7B6ihcLc/pvT+IUo/0'
             '0wiH0xmOG60Rfw=='),
    },
    'q16': {
        ('A function of the predictions and the targets that is smooth enough to have a useful '
         'gradient and gets lower as predictions improve; SGD minimises it'):
            ('Qjc9xn0JqCMyjse9rWsa3VAnO47d8pSLy8LBwTGASGrbmifCIoMzlu+8MJq5UkxmHUgNdg52L7IfhgLw/l'
             '8QC7pd0r76QqGbH3R+1pAolU9fDWl30TEYS2TglnJ6Uks2tyIHmOGk46hC+FIIa5mrxHKJO0tCsVGiOJe/'
             'hMzQ0yTBX7YVCOhRbx1vW27VOtq6kUFdWoQEq+ZhD0UdKlQdeT4TmR4pcI1JwbNeiP51TA2Bq47A/B/4Ty'
             '5VA83/Fx9RVRJjbJX2/zE6JQrjOK7107XbvLKosbZOx7rG6LP8jwK2cw1sv1OvJTwtC3ZwREQK2KElSBNZ'
             'n+MQcdgZqJ3NnQ=='),
        'The amount of memory and time training costs, which SGD tries to reduce':
            ('dR+7vUxDfwfCLHrYzQJW29kXmYyN32sIJDBTAcewEQWuFG3ZTvNVSQkVM0pT/5LPeIiu8zTjW3//NMqq9I'
             '01SLSOSpZJqzG3HSUATEf/FqgiKctJ0e1r+ZLYNMgc2Cu/fyrNN6mVCfiVXRF55mUmCaBNCrK/ql3EAvAG'
             'WuiMQwFYlx48/l8M1aNvzQh4QSqcgAvvIgWBpdZRJyRyTsLbIiqnUbdHpXV4SwC6P2+N2wAa3W7Le3CxX9'
             'ORUkftJuQNZi8Ix3pD+C3bMTDJYfoblj0Y9i8U8vDa7JhYOXi8zrQS+nMsU52OKQgt332DWnNRQpEcObND'
             'HsbWBNsN10b3Ng=='),
        'The learning rate multiplied by the gradient, i.e. the size of each step':
            ('9t4jg5oeXY/NBN47HafdYTdqHYrQaHSKgRCiWoebNnW501/vK65h+3rp6DMa2yeUS8SRFrjF77Vai7RlKH'
             'dX/7rz/Hh5dhUqkC0nVvOjXJo3Tio0b6LbIE0v4cP4nNrA/q4x66/82JOH+rsRrQuILRp+mjqy8md7DYkc'
             'wAQYku4ZYk8E9wOE2Hw+A+DBEgO/WiJ0khPs05Pah2EuGwzcP3mMSFgMPuCf6GPKSvMuCLdqrRJs59bTzz'
             'G4jd8vr2VbR8AtcaUEFo2Maf30NasbHvA8tjLXY6QcfXxjiyITzEYEEewYXOLjksjGWfmDtljh4zNSDMwG'
             'Tx2/FvFdVGvmdw=='),
        'The percentage of items the model gets wrong on the validation set':
            ('KY6a4jnEaWF+evxNSzEdBIc1qtoMJlpULwkhs2JbUy3qL5eXMW+WVuDfd2yDoFOlSdvgNlm6kuluEdmatP'
             'vf9DAVfo+XITAPhjCqjlE6wVkX65f1zaZsLMCxQl3zg9Xf1zkjVGnhceB9wFvq8nQTIuu5G4sKecqRpiMs'
             'q+5kJN5oJ+u/5MOQSuVuUQP3wjHWCSetSeIyTjkEm6zIZqFUSQ0M7QBjRIWV7cVP7FUfkOhELWIm1desLa'
             'NDXxRi7vpKDfBl4tnd4sqGiHPeLQqWIcTSpoKCgUVtXyQAf1/79r8D3WLZ92wb6utfGUjqFdq2AuH9MXsJ'
             '+YmeQgBzzrPwqA=='),
    },
    'q22': {
        'The loss is measured on the validation set and the metric on the training set':
            ('0bxcv6GM1TKbvyMEOZnvelzCza5cPObwwHVNowMtajLinMfkw+vvFQWIpa9p37Y6SZCvpzYv+odezOXDpI'
             'fYN00kBoEjvg+m6/C5ADJEn/lXewJKiZd3fYwhLD5pn3/PUwtZ3A9kZ0D0F04HRRlGA9eIEQQH3dG7hj4p'
             'Bf8gpp9J2ZaynAwz/YaCG0e7ep/fgv5Clif1d2v5wNylTnnfKIUmw1nWlbeX1aDNTaA2buQEEvQfcxwq5p'
             'Xa59A1I9c3SqhrV3r34IykYgXk+AXe4u2/1iLqqwM8aY1j6KxJacQjGcD/H3rRCOEDX85y67CXag+Lw/+T'
             '7ReMJcyrcm8u0g=='),
        ('The loss is what SGD differentiates and minimises, so it must have a useful gradient; '
         'the metric is what we people read to judge the model, such as accuracy'):
            ('pelMAqwQoEVcZrENpSW/YRhDHIF38UVNwdp7UnS0n6ZgKbw0V2BCQa5aMjcdN2zA7zdupUQcUwBfSrVOIA'
             'T0YHtWMhZdHnkBFUXK7JBIJgSV0fLryg1jZ1uwt/Ejhz7Syv7VLJsvcYats0QqvFT+iL/UrfKQoCVypC/c'
             'ZRii0R2hIhK0A6nXobNVBMBLLRJKBxlbGCwJuWQU0tFPXEzflUUnUNRNr0MAGYU/vZjmHRP5BMtMytZPOD'
             'clje5vJ1z0tVGiOe085usJirxzAJ0VGbrBtAuo5TN12i5urG/bXiatzblFTxajYkH9ltymRwX4VM+k3CjU'
             '3i1Oe0f320vKrA=='),
        ('The metric is what SGD minimises, and the loss is reported to people at the end of '
         'each epoch'):
            ('ki4E7vWWqlVKP46FrSObuOZklExM1XH/jzMGgsWu2z2ds/Ra1lT/CIPBeNkrEieqPmMJNbR9fw7lRrRvU5'
             'bcElsTYE4068k/z9zJr6WicwAPXPlrrpVW26eYoAatyimkMietCZqg/Cgr5lxMcF+CDz9w0p2/TUhPYfgV'
             'V9GNnXQODIBGXmxXW7oThjvq/o1unLuClNNbmkA09BexqJpgIbGppM9TGTzWpCTf1WXH+TB6f912OwVtW0'
             'tWqjbiZfSh1ZftSX/02iqmcQDvo0BTBPMOjx79y5HfiJ6tKZPOa7RBReUnGfuWWvX+0828EtxzAx6+Fgom'
             'OLE9l3ZwkuyoPQ=='),
        'They are two names for the same number':
            ('WamUGJ5W4KJxYk41D5EHv2xMW8RoJuC975Ul8+0iCzrvfBwDxEOEib5zwwA6ElEEJVSsqZTgBIdFDe5RKG'
             'i8C4jawhKPPQWDkulz7lcpXsPj5uVBgM95tLfhL+uV7nJlnRfYcL8oCHyuzaYxhx4BdGEEJiirMSrAYFFG'
             'JVjvFVSjjpMGSQBJmr3fWcmFbjuFmfoh3SuE1aCWyYLHdH4+P8HOq7RVqY90mB5dRo177cgRNS3TeYeSFO'
             'Vbajb4sH7hiNkaWgvjDAWt/Qqe+bMKi9tqTXPLzggOlRJyGE6lbuXgH4QrobZKPywOnRsYPmtFkYeR1/ya'
             'pipSrQLItbNFzQ=='),
    },
    'q37': {
        'A network with a single nonlinearity can only represent straight lines':
            ('RSHBygiYD8oFaSeM39MICui7IMqEw1D9D+5+NcsZNZ6idPs/en7u1+2oh9P1+QpcXjaTunD+sgohamzsCL'
             'uefklb14fO/Y2BLLhkwKFxlFyfSt3kxgTZ4VKX6Mnul0LIHiLu5A4v2VKPDeyoSzw4j06Y81FI6rAv/XTj'
             'kW4SpQGuJbNwcj9sNVYI7gLjSejziM2r+x7xCHh0eYZzKTDXJPWu1PsB3oSleilGRscUoaoKMpGa2Et0qd'
             'nWK70Iqt7mY73oyLQ02Szw3XkI7wz4kxTJGs88SINsFos5aehOMA7QyyE6vFonF+X7uafYgkcfu3sBbpuR'
             'E293e8MCe0Be7w=='),
        'Extra layers stop the model from overfitting, whatever its size':
            ('KVG/R3LYIwqljiFbZZB81uEUzylvLc2A1BwciCwlFit2XTO3PBLgXpqbJYCm91q0S7vPwmGwg87pjTWmEN'
             'Dk4a7Mk4V4ZlxNJ61AnG3/0WWlhGP50cF4w2rXB4x3d9wUwntnkg8KEpcUvk89JNp23zRjKIEbxsPDx+yg'
             'BeRF8g1h2Q4SsTxB4q1blJMGgOTdDyX5iJERmAfuIhrS+/rFZwYCKmBByUpxxwgkf/MlnV5FkH/E7ygCwI'
             'Yi/f9gH/S9xYgzKiZX3O0DhHM1OnWbp0MYiFOYqE/tQLsWUvRPTF6aOXT90ZjkR74YLn0tD6+jp/Iyr5TC'
             'mTA2Qz3d+dZlTQ=='),
        ('In practice deeper models with smaller layers reach good accuracy with fewer '
         'parameters, train faster and use less memory; the theorem only says a wide enough '
         'single-nonlinearity net exists, not that it is practical'):
            ('jj5edg5aZcPSOMbEyc/WR2U69V+/44ktHc4OsNKNoNFwNyojlYKfRJHgWQszjzf0O0WlC5KDmpKTK5MXZ6'
             'TXdRm8a1ksQED05KclUp2FdwiqmXfEYHsuS8ffRA6X8lLwcB5NgSaCEO+uDfAsGumUAirFrLfySRruxmY2'
             '7u77a+7XGsx4LVqb3CONHa7bsAuRq8EGzPwM4Qyf+4RQ38TShhB5pnE7ErGo/BBBhZXxrD+1LwhFrMddhz'
             '8GVV7OrssC0TACgD3HLHyWhs2v8xYA7Qp7hz6ruA3fOQcTl79eigNWB4W86gEYo6e6eCI3ZUr4UgAKt2BR'
             'Cf/MGgb+tNSrGQ=='),
        'The universal approximation theorem only holds with two or more nonlinearities':
            ('rttmUqPuTI0kpa43r+ZjmSecvPsBVEZjLz7AU83GlRC3RqrvKx9TO5Yxc0ywsoBceQIC4xICBzkvLVxEwu'
             'HA1txUltkWGSrlzmVLFQYsh2XVmuFM0ovjkkxYPkxM+Uj/h9LGC1b4KpUkKrtMB0MR6o8acT0Bf6FNmfZF'
             '/bRMLK4NoNgACsGZtZCPm2Fd1DBCqYiCC8JrE/ou9cBwvRjBdYT8vBrdAfPvvyIs+SXGyU2V/ffUo+el/9'
             'NBlKB3UEWiVSvJVqkUJUmzsPutO/TyyKhDTwXUpKxceTCoENEIiw/A1XcrcK4OoVLL8KpVxq5w/YmAM9+I'
             'SnoSG3SvP9CPxg=='),
    },
}
_MULTI: dict[str, dict[str, str]] = {}
_ORDER = {
    'q14': {
        'compute the gradient of the loss for every weight':
            ('6Ak3b3LNc8wIwBDzhdbMhdbJyEqOScrOES0z1fyiOUJbtGbxkILHsf39sRT6c7t8Pp4JL2dQ8HmU5KLJBx'
             'lwpOf1W4shB059yRVlAuofXjfuvvAemRaDyb3M8EnHb4ChdwbTNjX7anA5BDWLId2ZsV4aMmJckHVWeKmt'
             'Iw7q9HLTbrAeyqNkKahf/9dBDXzunOZbGlOE17dt5N2aklV31SG+9SVcPfwniQQgwmsiz3sYU3hfO2YOdC'
             'yBLUywSMFlvrOizog9nADFBjJpJzA3brO9Gp2uIPeNxlSpA8/R6s7LLckuRvMLC1t7hlANi3b5fNvkaMS5'
             'mDxbrBPub/se0Q=='),
        'go back and repeat the cycle':
            ('TjyvewLVA/o9hO7OhAnfB8LPsoqa0Th8FRr+05Dd1gEgNbMuYj8TaJA33oSGIGEBOKqKMBB3OYTUhPQoAd'
             'eoB2ZdBnmsKnWMH5+Bx7XrmNOdL8BVhC5wDarbJz4+OZKk2iY3nE2DLuAIGiqr7UDiWmvO3GH5p3yMgsDP'
             'aAhUCN1i/qTqNJYAaA+femtsHpamXUagZxHVNe025zLoqJJNC1qfoRURlw5CI4I2MTqEQEpAtY+Z4Nh+f8'
             'oDB6ZmVdW6ayOim9avCViSZKF684NJkG2/RudJCwOcNwv2jBNUT/NvKTLaSiUpBjq5nF2BiAEJS7CDjCNt'
             '4jS1DjC49f6lLg=='),
        'initialise the weights':
            ('IfxAeUd/dHTJq1BAhZUXWKpJ/iV5KL2yMTEar4opaKpz/vg9Nq7kR9eeTOGHbDzJ/yJfuxb0SILSVab2pP'
             'abl3UVVMUzOTZmDUxcxfjlODImdnmWOoX3EMyVBKUMg40b45vfUd3bcr4bV9Sgl/yFnAgS+wR0WlRDLs5z'
             'N6NF5q4iafS1FOoey0gVESGS8M7lv3YN/Sni3sxloLbbjg0rXmX9EdnPLH+K3NxvwMTKGt/uEdhJeCjW3T'
             'GGOrRtlW1Q0ZKozB0H4QssBp/+0hwlSYYpUz/kgTC795DtRoyc/+i5MuQkA++nHKMY4tGn+aAf3jGs7w9b'
             '73UUWOnjo0lK9w=='),
        'measure the loss of those predictions':
            ('uPmPJ7q+p90OY0VwhN6uHna4OC4vyDnLQwpD2Oob6D/dPPuZGPUZQPVm4U92z2KTpbfXrcYwK/GueGeGir'
             'FedXE48/u4W9XDZVN/YkATwBTPwdKVAnXYcuSJfzlpCe/ZpKosgg04txxSyE5eugpCRF427RMuwk1gBp9q'
             '5Dev4pixgcHUhL1Xj3uMrQcIdteIkVXtPHmjKf9FYAQYbIn6Ue3v9GbkPK31MATz77zqTto6mR6Oiey0Ks'
             '4hhQGwGvjC76XXgWPxDakg9KzD5xOgmwNg0SNaNM/qztpJy22cJnziRbSOLH+VVPlbHt16vvuMo0NkEK/j'
             'Sb1s+zVPb1bUKw=='),
        'predict with the current weights':
            ('yPbE5MqzcAN3FG8O/gzDiJWFigpaNuYPJ16ySYp3oXZL+ND6FjG12xGNgPr/uIm7pd5kbpCIADW/FG52AF'
             'i0mwRzOVtZO/waOrxeJMAKYle/amvK112JyO+kkKgnYYKgPEPJe+O1gzUja+qHDgkSp3CW/QxgeT2Jh8B3'
             'obSRikrI4pODzoVw9ozE3PeplQzibKdSnhF13l4zQU/4umQz/768jdKp08MTkh4/w6h2LS8CE7x/hZ5xey'
             'CGIZUHcXoq/Rhnr/7lb8dK7Uv1mLrFnJ7NssHHGBVJIcmNHDJULhkMsa71u6H12NsGivamWab7JhMuYAW7'
             'MK0UlvdVWVj2Tg=='),
        'step: change each weight a little against its gradient':
            ('rQSSOCtpSMlKzHKhJO3bMcSfMUtAmoT0fcvHUO/gwT8tK/79xEC0fue1IuizjvY0GcuDj+B/JTSWflDKz6'
             'LwekdAHDKEkbOQ/rdydk58FnhORQmPttCHvOrSvn4ijOl750IChsEz7YBW8P+OjPQe2DHv6cBGGDhLk7Y+'
             'H4nL+swrreKEPbSyYQjmS6oSDMvB1J3zyPhT7L7BT3ya1/oUDbuFxgQURhJBYMGxBOjcVHw/fpPQvTl5Zo'
             'UhK1QUwa/bCI0B+j6Hk2ntpg2nivzzozRkTiQMOs/vWuyV3vqVMeHpFaHUPLkIg7fK0mXqXvFuaJciY9Mr'
             '4O87z8gLLq2qOA=='),
        'stop when the model is good enough or time is up':
            ('2WXj47epg9bVdJcXlDLxh6tnxWRVQ7DSyeMHQKCLeIseuSJxcC21vgIW8hz021XAhwIsThwupd+4TqG0kf'
             'WaAA4uyGd6ckLGSaqVxb5jMMa/MBHcQmqJ2w8mW1DAWucL3p7qjX9n+UyBhyDv0bWt6UQivGy8Z05JXsT9'
             '5k4sCZiCPOS5SxxoAIYjn+/+NF2FtFSWx9NnYvLrVUQG4Yay6bY5125K+ppkyWQ6tZsiDQMc3kJE/wo3Ze'
             'KOyVT1+jQsrOh5eHIQfgTHgz6u+7yEnTA5uRvsClbomIRGsT1BYDd05YmgJlfgxOtzmJ6iwnVwPDqIJ9Hv'
             'ddTc7iqhC16ZqQ=='),
    },
    'q25': {
        'loss = loss_func(preds, yb)':
            ('xOO59wQ4o3uVgpzJLi9QtMgmWR50DmzQt1gsLyFyO1du7tb1mjA2YCN85AeIGTLS3ef5WpX9jB2HW1WQvU'
             'QFoLqUVK/4h4ntMc6iaEXL6TLREI8aBG3r2qsEdphkdnBPAvKANrVvRV40cVqHbhSlL03ovcw4+IFpDO5S'
             'TgKFTxfMph+jnwwX9AKqqJ98+5apPPU3PX/iBIU/lwsO7vfkqglh00sU6Nitol2c0BiaEtKWJtuu9Fpzad'
             '2R6JMtx9sH+S3IRh1bjRpWHBNVV9evu9RTNsikoTgmyqydGODSxefvwnGHJQ6JFM+WTVwWi+5+IpMz/9QW'
             'JYo0QLwLOxNv2A=='),
        'loss.backward()':
            ('zC8lv4DAeBZ1jYtLv/DlPoNSI6LiWFsDT//85KEJQbAFkhMBP2tq0+3Hvt/Poue9Y8HKCaAeE63ITyhYhR'
             'ESm1uPsI27rpomsDVDpOoAzLmhfcZuxTziBSs021mtjXz+GWxqEtmUFj5fhe9iXT9fK7xWwxDpCKs9MqZ+'
             'ysaNd6SEN9ZMg3IKtF/4n1Ig8DkI/s0spGKBkU7dI+1esdNv7Z3k8Oqvzvr5w/Li4DwGx5sqPPoVRnWrHT'
             '8kqB32pbCkNSMJf7ubFSirGyzRMxtiSLwj3WmsW6d5HZEUmIL1EVtdpXPaHQ/C6Q7SUuo3EeIRN/pZLC7t'
             'LxvPfpsHMQw5YA=='),
        'p -= p.grad * lr for every parameter p (without tracking gradients)':
            ('9k3qN35gp49jUr5PgtF0YMw7e7h0BF5eNDo5dk04bAfxaX2vb6oBdq5rpUCrIBFe1tjRoHycIWB5f0mboD'
             'NPNM1y6Bok944cmDhkVYt3JODKesWFnDjrJXzAziDqUpOCv9P32a6gvS3RR2GcWqPj1cW1q7RDCVXsB+yK'
             'L3ml4Pl7D8aZIzTq0R3XQM//bcaW3H+qBmZc+mx+LpyWi2FaUyNwsXdTtBpUnAprCPO+zGnYPCU+MjViGP'
             'Z2tlmTV6ohq+S4Q4O9RPnuf2YcbCm43sxxWJsGG2vm8W9k/P0o7dC0nL6GzUQF9IlQKQLn8ZfSDbbdJiMo'
             'p4RwifkQX8zAtA=='),
        'preds = model(xb)':
            ('9coSRILF/WKU7NXIbswwtcbZHai/zjvpkvif8cVQ6gl4tYtSGoX9JSxIkeI+T0qJv2jg0+812FHo1TlK23'
             'E8ZteapUUiV7lm+wdklSsqnx/X88L6vesFsth55Ihv6dgWiYGwvu6zaXimFpVRdEz2t70wQtxD4UVG48Wa'
             'XYnrrANF9tareLdWthrwvYs0vAb9PgJSPmrsme6NkLAFI+n9lRUg4mtE5cQFfwFVZCxve/Ic3c8ggopBOJ'
             '/QO2gHUg+mWB84itG44wDejxe4tVxgv7RA+DJ469v1oqriT/jD9tZPWlj4K5hkGcz5EsxXKWP/n7ucOiOS'
             '+jyHcZEQuXPCNQ=='),
        "set every parameter's gradient back to zero":
            ('IbEOeFBfU/HQ69AWCLx+R7yE/dvoWaeytH+SPhKpBjcvUs1lk9r3sG7UujUXOvd3yUftNUL6ebhMcuJxDW'
             'yQ8U/Y3tww4mVu3Wzs1b1cM9AzqOUMCl/R1TNYWNVA6MQ23IdSwrBNpJXKgtvGiRJT+XrvAXnhCNyUSRHr'
             'Kzs/XY76omuYOP5P+G2WGqaPj3zpyzBW3L+G4K19eQXqGuONCTybiTEfrBdRewCsU1phsW5qcWhQnxw4tq'
             '/JW+5yaub52NI1/b8ys5k955rPx/nzXYCkIuRW3VKL+MCryLcmpjszdY/5QVFDOoh1G0x7O2A0sW9xexVZ'
             'Mxa9PazQAwPGIQ=='),
        'take the next mini-batch xb, yb from the DataLoader':
            ('05VLJu8+lTeQB5pbMENq9Grp7bMyS3CUynrH8MS4LxuL4kB18vWN6Zt/cJgQGZpjw8DI+SWTdtLEZVxQFg'
             'xlFtiKVXR9WWzvB0poWHM2iRW5bgcwUcNrhH/Wbt0Kp7hYWxeP8IvewbB1lX/wj58TwiPAz9FkSfgKTW16'
             'eDQ7Sf1jwgOykn0LkEHe+Z4ms57AvuKjohVW1yy705Bfsk/MYn+DvSVmmBDWpOsTw17Ct1KXosTxp9wpz9'
             'Jww2GJIesEeyp7HDeYyuzoJWe0bNz42qQj5vNIqVQVv/QtRq9QDY7fVxEqgoQuu/WGtKMeE5oPzyTYaULx'
             'b+EemKD0RB8sRg=='),
    },
}
# digests of the valid complete orders of q25 (where the gradients are cleared varies)
_ACCEPTED = {
    'q25': {
        '1ae0496a12cba0316a8d3311',
        '1eddf2252ce1ef6513c793cd',
        '2a7452c6cefac1c85ad9e9ee',
        '50e147e8b258607c2c905b27',
        'bf7cf56dc3cb8c0a6327335e',
    },
}
