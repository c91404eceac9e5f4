"""Items of notebook 01 (pixels and pixel similarity)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.items.cells import CellSpec
from autograder.items.misconceptions import array, first, same, scaled, squared
from autograder.items.spec import (
    Item,
    Misconception,
    Probe,
    close,
    equal,
    returns,
)

FX = "from autograder.items import fixtures as _fx\n"


def named_files(value: Any) -> list[dict]:
    """Grader side: each ``[kind, relative path]`` pair (``fixtures.relative``) as its type
    and its path, so that a message names which of the two differs."""
    return [{"its type": kind, "its path in the folder": path} for kind, path in value]


def _tree_probe(label: str, layout: dict, split: str, digit: str, hint: str = "") -> Probe:
    return Probe(label, f"_fx.relative(digit_files(_root, {split!r}, {digit!r}), _root)",
                 inputs={"_layout": layout}, setup=FX + "_root = _fx.files_tree(_layout)",
                 compare=equal(), hint=hint, measure=named_files,
                 whole="the list of files you return")


def _digit_files_hidden(rng: np.random.Generator) -> list[Probe]:
    names = [f"{n}.png" for n in rng.choice(500, size=7, replace=False)]
    layout = {"train/4": names[:5] + ["labels.csv", "README.txt"],
              "valid/4": names[5:] + [".DS_Store"], "train/9": names[:2]}
    return [_tree_probe("digit_files on a folder that also holds non-image files", layout,
                        "train", "4", "list only the .png files"),
            _tree_probe("digit_files on the other split", layout, "valid", "4",
                        "use the split and digit you are given"),
            _tree_probe("digit_files on an empty folder", {"train/2": []}, "train", "2")]


def _pngs(arrays: list[np.ndarray], code: str, label: str, hint: str = "",
          dtype: str = "exact") -> Probe:
    return Probe(label, code, inputs={"_images": [a.astype(np.uint8) for a in arrays]},
                 setup=FX + "_files = _fx.png_files(_images)",
                 compare=close(atol=1e-6, dtype=dtype), hint=hint)  # type: ignore[arg-type]


def _image_tensor_hidden(rng: np.random.Generator) -> list[Probe]:
    shapes = [(int(rng.integers(3, 9)), int(rng.integers(10, 20))), (28, 28), (1, 6)]
    return [_pngs([rng.integers(0, 256, size=s)], "image_tensor(_files[0])",
                  "image_tensor on a grader-chosen image",
                  "rows first, raw 0-255 values, uint8") for s in shapes]


def _crop_hidden(rng: np.random.Generator) -> list[Probe]:
    t = torch.from_numpy(rng.integers(0, 256, size=(13, 9)))
    cases = [(0, 0, 3), (int(rng.integers(2, 8)), int(rng.integers(1, 4)), 4), (9, 5, 4),
             (3, 7, 1)]
    return [Probe("crop on a hidden 13x9 tensor",
                  f"crop(t, {top}, {left}, {size})", {"t": t}, equal(),
                  hint="rows come first, then columns")
            for top, left, size in cases]


def _stack_hidden(rng: np.random.Generator) -> list[Probe]:
    dim = rng.integers(0, 200, size=(5, 28, 28))      # darker images: max below 255
    bright = rng.integers(0, 256, size=(3, 28, 28))
    one = rng.integers(0, 256, size=(1, 28, 28))
    hint = "divide by 255, keep the files' order"
    return [_pngs(list(dim), "stack_digits(_files[::-1])",
                  "stack_digits of 5 faint images (given in reverse order)", hint, "kind"),
            _pngs(list(bright), "stack_digits(_files)", "stack_digits of 3 images", hint,
                  "kind"),
            _pngs(list(one), "stack_digits(_files)", "stack_digits of a single image",
                  "one file still gives a rank-3 stack", "kind")]


def _mean_hidden(rng: np.random.Generator) -> list[Probe]:
    # the stack comes back too: averaging must leave the student's data as it was
    return [Probe(f"mean_digit of a stack of shape {s}", "(mean_digit(stack), stack)",
                  {"stack": torch.from_numpy(rng.random(s, dtype=np.float32))},
                  close(atol=1e-5), hint="average across the images, not across the pixels",
                  parts=returns("mean image", "stack"))
            for s in ((6, 28, 28), (2, 3, 5), (1, 4, 4), (40, 28, 28))]


def _distance_probes(a: torch.Tensor, b: torch.Tensor, what: str) -> list[Probe]:
    return [Probe(f"l1_distance on {what}", "(l1_distance(a, b), a, b)", {"a": a, "b": b},
                  close(atol=1e-4, rtol=1e-4), hint="mean of the absolute differences",
                  parts=returns("L1 distance", "a", "b")),
            Probe(f"rmse_distance on {what}", "(rmse_distance(a, b), a, b)", {"a": a, "b": b},
                  close(atol=1e-4, rtol=1e-4), hint="square, average, then square root",
                  parts=returns("RMSE distance", "a", "b"))]


def _distances_hidden(rng: np.random.Generator) -> list[Probe]:
    probes = []
    for shape in ((3, 5), (28, 28), (7,)):
        a = torch.from_numpy(rng.standard_normal(shape).astype(np.float32))
        b = torch.from_numpy((rng.standard_normal(shape) * 2 + 0.3).astype(np.float32))
        probes += _distance_probes(a, b, f"tensors of shape {shape}")
    big = torch.from_numpy((rng.random((4, 4)) * 1000).astype(np.float32))
    probes += _distance_probes(big, big * 0.5, "large values")
    probes += _distance_probes(torch.zeros(2, 3), torch.zeros(2, 3), "two equal tensors")
    return probes


_TREE = {"train/3": ["12.png", "3.png", "100.png", "notes.txt"], "valid/3": ["5.png"],
         "train/7": ["1.png"]}
_GRID = torch.arange(100).view(10, 10)
_STACK = torch.arange(12, dtype=torch.float32).view(3, 2, 2)
_ONES = torch.ones(4, 4)
_PUBLIC_PIXELS = [np.full((28, 28), 255, dtype=np.uint8), np.arange(784).reshape(28, 28) % 256]

SPEC = CellSpec("01_pixels_and_similarity", (
    Item("ex_digit_files", ("digit_files",), title="Exercise 1 (digit_files)",
         public=(_tree_probe("digit_files(root, 'train', '3') on a small folder", _TREE,
                             "train", "3", "a sorted list of the folder's .png Path objects"),),
         hidden=_digit_files_hidden),
    Item("ex_image_tensor", ("image_tensor",), title="Exercise 2 (image_tensor)",
         public=(_pngs([_PUBLIC_PIXELS[1][:5, :7]], "image_tensor(_files[0])",
                       "image_tensor on a 5x7 image", "rows first, raw 0-255 values, uint8"),),
         hidden=_image_tensor_hidden),
    Item("ex_crop", ("crop",), title="Exercise 3 (crop)",
         public=(Probe("crop(grid, 2, 3, 2) of a 10x10 grid", "crop(grid, 2, 3, 2)",
                       {"grid": _GRID}, equal(), hint="rows come first (top), then columns"),
                 Probe("crop(grid, 0, 0, 10)", "crop(grid, 0, 0, 10)", {"grid": _GRID},
                       equal(), hint="a full-size crop is the whole grid")),
         hidden=_crop_hidden),
    Item("ex_stack_digits", ("stack_digits",), needs=("ex_image_tensor",),
         title="Exercise 4 (stack_digits)",
         public=(_pngs(_PUBLIC_PIXELS, "stack_digits(_files)", "stack_digits of 2 images",
                       "float values between 0 and 1: divide by 255", "kind"),),
         hidden=_stack_hidden),
    Item("ex_mean_digit", ("mean_digit",), title="Exercise 5 (mean_digit)",
         public=(Probe("mean_digit of a stack of shape (3, 2, 2)", "mean_digit(stack)",
                       {"stack": _STACK}, close(),
                       hint="one average per pixel position, taken across the images"),),
         hidden=_mean_hidden),
    Item("ex_distances", ("l1_distance", "rmse_distance"), title="Exercise 6 (distances)",
         public=tuple(_distance_probes(_ONES, _ONES * 0.5, "ones and halves")
                      + _distance_probes(_STACK, _STACK.flip(0), "two (3, 2, 2) stacks")),
         hidden=_distances_hidden),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    "ex_digit_files": (
        'Re-read "Pixels: The Foundations of Computer Vision", where the data set is opened: '
        "every digit has its own folder, and pathlib builds a folder path out of its parts with "
        "the / operator.",
        "Two things go wrong most often: the files come back in whatever order the file system "
        "lists them (the check compares the order), and the names are turned into strings when "
        "Path objects are wanted.",
        "Look up Path.glob with a pattern that matches one file extension, and Python's built-in "
        "sorted: for a folder holding b.png, a.png and notes.txt the answer is the Path of "
        "a.png, then the Path of b.png.",
    ),
    "ex_image_tensor": (
        'Re-read "Pixels: The Foundations of Computer Vision": an opened image is first turned '
        "into a NumPy array of numbers, and PyTorch can take such an array over as a tensor.",
        "The usual slip is changing the numbers on the way: dividing by 255 or asking for "
        "floats. This exercise wants the raw 8-bit values, exactly as the file stores them.",
        "For a picture 5 pixels tall and 7 wide the tensor has shape (5, 7) and dtype "
        "torch.uint8. Look up torch.from_numpy (or torch.tensor) and print the .shape and .dtype "
        "of what you return.",
    ),
    "ex_crop": (
        'Re-read how a tensor is sliced in "Pixels: The Foundations of Computer Vision" and '
        '"NumPy Arrays and PyTorch Tensors": one start:stop range per axis, rows before columns.',
        "A slice stops just before its end value, so a patch of size k that starts at position s "
        "ends at s + k, not at k. Swapping rows and columns, or using the size as the end, gives "
        "the right shape with the wrong pixels.",
        "Work one out by hand: on a 6x6 grid, the 3x3 patch whose top-left pixel is at row 1, "
        "column 2 covers rows 1 to 3 and columns 2 to 4. Try your function on a 6x6 tensor of "
        "the numbers 0 to 35 and compare.",
    ),
    "ex_stack_digits": (
        'Re-read "First Try: Pixel Similarity": all the images of one digit become one rank-3 '
        "tensor whose first axis counts the images, with pixel values rescaled to lie between 0 "
        "and 1.",
        "Stacking is not concatenating: concatenating 28x28 images along their first axis gives "
        "one tall image, while stacking adds a new first axis. Keep the files in the order "
        "given, and return floats, not the 8-bit integers.",
        "Look up torch.stack: three 28x28 tensors give shape (3, 28, 28). In PyTorch, dividing a "
        "uint8 tensor by 255 is true division and already gives float32 (a pixel of 51 becomes "
        "0.2); print the min, max and dtype of your result.",
    ),
    "ex_mean_digit": (
        'Re-read "First Try: Pixel Similarity", where the ideal 3 is built: every pixel position '
        "is averaged over all the images, which gives one image-sized result.",
        "A mean without an axis gives one number for the whole stack; a mean over the wrong axis "
        "gives one number per image or per row. Only the axis that counts the images should "
        "disappear.",
        "For a stack of shape (5, 4, 4) the result has shape (4, 4), and its value at row 2, "
        "column 3 is the average of the five values found at row 2, column 3. Look up the dim "
        "argument of Tensor.mean.",
    ),
    "ex_distances": (
        'Re-read "First Try: Pixel Similarity", where an image is compared with an ideal digit '
        "in two ways: both start from the pixel-by-pixel differences and stop positive and "
        "negative differences from cancelling out.",
        "L1 uses absolute values and has no root; RMSE squares first, averages, and takes the "
        "root last. Common slips: a root of every squared difference (which is L1 again), or "
        "averaging before squaring.",
        "Try differences of 1, -1, 3 and -3: their plain mean is 0 (useless), L1 gives 2, and "
        "RMSE gives the square root of 5, about 2.24. Look up Tensor.abs and Tensor.sqrt, and "
        "build new tensors instead of changing a or b in place.",
    ),
})


# known misconceptions (instructor analysis only: ``ch4 insight``, the report's clusters)


def _unscaled(got: Any, want: Any, inputs: dict) -> bool:
    return scaled(got, want, 255.0)


def _mean_other_axis(got: Any, want: Any, inputs: dict) -> bool:
    stack = array(inputs.get("stack"))
    return stack is not None and stack.ndim == 3 and any(
        same(first(got), stack.mean(axis=axis)) for axis in (1, 2))


def _no_root(got: Any, want: Any, inputs: dict) -> bool:
    return squared(first(got), first(want))


SPEC = SPEC.with_misconceptions({
    "ex_stack_digits": (Misconception(
        "no /255", "pixels left as 0-255 values (not divided by 255)",
        "The stack should hold values between 0 and 1: think about what the brightest pixel "
        "becomes.", _unscaled),),
    "ex_mean_digit": (Misconception(
        "mean over a pixel axis", "averaged along a pixel axis instead of across the images",
        "Which axis numbers the images? Average along that one only, so that one value per "
        "pixel position remains.", _mean_other_axis),),
    "ex_distances": (Misconception(
        "RMSE without the root", "the RMSE distance returned as the mean squared error",
        "RMSE has three steps: square, average, and one more that brings the units back.",
        _no_root),),
})
