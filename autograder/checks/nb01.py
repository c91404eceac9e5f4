"""Public checks for notebook 01 (pixels and pixel similarity).

They test properties and fixed numbers measured on the visible examples; the hidden tests in
the grade cells compare with a reference on other inputs.
"""

from __future__ import annotations

from pathlib import Path

import torch

from autograder.checks._common import (
    expect,
    expect_callable,
    expect_close,
    expect_number,
    expect_tensor,
    fail,
)

# Image counts of the genuine MNIST_SAMPLE (every 3 and 7 of MNIST's train and test sets).
GENUINE_COUNTS = {("train", "3"): 6131, ("train", "7"): 6265,
                  ("valid", "3"): 1010, ("valid", "7"): 1028}
# The book's figures for its sample 3 (the second file of train/3 in sorted order).
BOOK_DISTANCES = {"l1_to_3": 0.1114, "rmse_to_3": 0.2021,
                  "l1_to_7": 0.1586, "rmse_to_7": 0.3021}
SAMPLE_3_PIXEL_SUM = 28465  # sum of the 0-255 pixel values of train/3/10000.png


def is_genuine_sample(path: Path) -> bool:
    """True when ``path`` holds the complete, genuine MNIST_SAMPLE (not the reduced fallback)."""
    path = Path(path)
    for (split, digit), count in GENUINE_COUNTS.items():
        folder = path / split / digit
        if not folder.is_dir() or sum(1 for _ in folder.glob("*.png")) != count:
            return False
    return True


def check_digit_files(digit_files, path: Path) -> None:
    expect_callable(digit_files, "digit_files")
    genuine = is_genuine_sample(path)
    for split, digit in (("train", "3"), ("valid", "7")):
        files = digit_files(path, split, digit)
        name = f"digit_files(path, {split!r}, {digit!r})"
        expect(isinstance(files, list), f"{name} should return a list, got {type(files).__name__}")
        expect(len(files) > 0, f"{name} returned no files: look in path/{split}/{digit}")
        expect(all(isinstance(f, Path) for f in files),
               f"{name} should hold pathlib.Path objects (Path.glob or Path.iterdir give them)")
        expect(all(f.suffix == ".png" for f in files), f"{name} should list only .png files")
        expect(all(f.parent.name == digit and f.parent.parent.name == split for f in files),
               f"{name} should list the files of the folder {split}/{digit}, and only those")
        expect(files == sorted(files),
               f"{name} should be sorted (the folder listing comes in no particular order)")
        if genuine:
            want = GENUINE_COUNTS[(split, digit)]
            expect(len(files) == want, f"{name} should list all {want} images, got {len(files)}")


def check_image_tensor(image_tensor, file: Path) -> None:
    expect_callable(image_tensor, "image_tensor")
    image = expect_tensor(image_tensor(file), "image_tensor(file)", (28, 28))
    expect(image.dtype == torch.uint8,
           f"image_tensor should keep the file's 0-255 integers (torch.uint8), got {image.dtype}")
    expect(int(image.max()) > 100, "the image looks empty or rescaled: keep the raw 0-255 values")
    if file.name == "10000.png" and file.parent.name == "3":
        expect(int(image.sum()) == SAMPLE_3_PIXEL_SUM,
               "the pixel values of the sample 3 are not the file's values "
               "(did you transpose or convert the image?)")


def check_crop(crop) -> None:
    expect_callable(crop, "crop")
    grid = torch.arange(100).view(10, 10)  # the value at row r, column c is 10*r + c
    got = expect_tensor(crop(grid, 2, 3, 2), "crop(grid, 2, 3, 2)", (2, 2))
    expect_close(got, [[23, 24], [33, 34]], "crop(grid, 2, 3, 2)",
                 hint="rows come first (top), then columns (left)")
    whole = crop(grid, 0, 0, 10)
    expect_close(whole, grid, "crop(grid, 0, 0, 10)", hint="a full-size crop is the whole grid")


def check_stack_digits(stack_digits, files: list) -> None:
    expect_callable(stack_digits, "stack_digits")
    files = list(files)[:3]
    stacked = expect_tensor(stack_digits(files), "stack_digits(files[:3])", (3, 28, 28))
    expect(stacked.dtype == torch.float32,
           f"the stack should hold float32 values, got {stacked.dtype} (use .float())")
    low, high = float(stacked.min()), float(stacked.max())
    expect(low >= 0 and high <= 1,
           f"values should lie between 0 and 1, got {low:.3g} to {high:.3g}: divide by 255")
    expect(high > 0.9, "the brightest pixel should be close to 1: divide by 255, not more")
    steps = stacked * 255
    expect(bool(torch.all((steps - steps.round()).abs() < 1e-3)),
           "every value should be a 0-255 integer divided by 255 (did you divide by 256?)")
    if files and files[0].name == "10.png" and files[0].parent.name == "3":
        expect_close(stacked.sum((1, 2)), [111.9529, 111.6274, 112.4549],
                     "the total ink of the first three 3s", atol=1e-2,
                     hint="keep the files in the order given")


def check_mean_digit(mean_digit) -> None:
    expect_callable(mean_digit, "mean_digit")
    stack = torch.tensor([[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]],
                          [[8.0, 9.0], [10.0, 11.0]]])
    got = expect_tensor(mean_digit(stack), "mean_digit(stack)")
    if tuple(got.shape) != (2, 2):
        fail(f"mean_digit of a stack of shape (3, 2, 2) should have shape (2, 2), got "
             f"{tuple(got.shape)}: did you average over axis 0, the stack of images?")
    expect_close(got, [[4.0, 5.0], [6.0, 7.0]], "mean_digit(stack)",
                 hint="average pixel by pixel across the images (axis 0)")


def check_mean_images(mean3: object, mean7: object) -> None:
    for name, value in (("mean3", mean3), ("mean7", mean7)):
        image = expect_tensor(value, name)
        if tuple(image.shape) != (28, 28):
            fail(f"{name} should have shape (28, 28), got {tuple(image.shape)}: "
                 "did you average over axis 0, the stack of images?")


def check_distances(l1_distance, rmse_distance, a_3, mean3, mean7, genuine: bool) -> None:
    """Compare with torch's own losses on the sample 3, and with the book's figures."""
    import torch.nn.functional as F

    expect_callable(l1_distance, "l1_distance")
    expect_callable(rmse_distance, "rmse_distance")
    for ideal_name, ideal in (("mean3", mean3), ("mean7", mean7)):
        l1 = expect_number(l1_distance(a_3, ideal), f"l1_distance(a_3, {ideal_name})")
        rmse = expect_number(rmse_distance(a_3, ideal), f"rmse_distance(a_3, {ideal_name})")
        expect_close(l1, F.l1_loss(a_3.float(), ideal), f"l1_distance(a_3, {ideal_name})",
                     hint="the mean of the absolute differences; it should agree with F.l1_loss")
        expect_close(rmse, F.mse_loss(a_3.float(), ideal).sqrt(),
                     f"rmse_distance(a_3, {ideal_name})",
                     hint="square the differences, average, then take the square root")
        if genuine:
            digit = ideal_name[-1]
            expect_close(l1, BOOK_DISTANCES[f"l1_to_{digit}"], f"L1 to the ideal {digit}",
                         atol=1e-4, rtol=0)
            expect_close(rmse, BOOK_DISTANCES[f"rmse_to_{digit}"], f"RMSE to the ideal {digit}",
                         atol=1e-4, rtol=0)
    one = torch.ones(4, 4)
    expect_close(l1_distance(one, one * 0.5), 0.5, "l1_distance(ones, halves)")
    expect_close(rmse_distance(one, one * 0.5), 0.5, "rmse_distance(ones, halves)")
