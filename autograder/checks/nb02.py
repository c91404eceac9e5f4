"""Public checks for notebook 02 (tensors, broadcasting and the pixel-similarity metric)."""

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

# The book's validation accuracy of pixel similarity on the genuine MNIST_SAMPLE.
BOOK_ACCURACY = {"3s": 0.9168, "7s": 0.9854, "mean": 0.9511}


def check_tensor_basics(column, bottom_right, add_to_each_row, halve) -> None:
    for name, fn in (("column", column), ("bottom_right", bottom_right),
                     ("add_to_each_row", add_to_each_row), ("halve", halve)):
        expect_callable(fn, name)
    t = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    before = t.clone()
    got = expect_tensor(column(t, 1), "column(t, 1)", (3,))
    expect_close(got, [2, 5, 8], "column(t, 1)", hint="a column is t[:, j]: every row, column j")
    got = expect_tensor(bottom_right(t, 2), "bottom_right(t, 2)", (2, 2))
    expect_close(got, [[5, 6], [8, 9]], "bottom_right(t, 2)",
                 hint="negative indices count from the end: the last n rows and columns")
    got = expect_tensor(add_to_each_row(t, torch.tensor([10, 20, 30])),
                        "add_to_each_row(t, tensor([10, 20, 30]))", (3, 3))
    expect_close(got, [[11, 22, 33], [14, 25, 36], [17, 28, 39]],
                 "add_to_each_row(t, tensor([10, 20, 30]))",
                 hint="t + v broadcasts v over every row")
    got = expect_tensor(halve(t), "halve(t)", (3, 3))
    expect(got.is_floating_point(),
           f"halve(t) should give floating-point values, got {got.dtype}: 7 / 2 is 3.5, not 3")
    expect_close(got, [[0.5, 1, 1.5], [2, 2.5, 3], [3.5, 4, 4.5]], "halve(t)")
    expect(bool(torch.equal(t, before)),
           "one of your functions changed its input tensor in place: return a new tensor instead")


def check_mnist_distance(mnist_distance) -> None:
    expect_callable(mnist_distance, "mnist_distance")
    a, b = torch.zeros(2, 2), torch.full((2, 2), 0.25)
    one = expect_tensor(mnist_distance(a, b), "mnist_distance(one image, another)")
    if one.ndim != 0:
        fail(f"for two single images the distance should be one number (shape ()), got shape "
             f"{tuple(one.shape)}: average over the last two axes")
    expect_close(one, 0.25, "mnist_distance(zeros, 0.25s)", hint="the mean absolute difference")
    batch = torch.stack([torch.zeros(2, 2), torch.full((2, 2), 0.5), torch.ones(2, 2)])
    many = expect_tensor(mnist_distance(batch, torch.zeros(2, 2)), "mnist_distance(batch, image)")
    if tuple(many.shape) != (3,):
        fail(f"for a batch of 3 images the result should have shape (3,), one distance per image; "
             f"got {tuple(many.shape)}: average over the axes (-1, -2) only")
    expect_close(many, [0.0, 0.5, 1.0], "mnist_distance(batch, zeros)")
    expect_close(mnist_distance(torch.zeros(2, 2), torch.full((2, 2), -0.5)), 0.5,
                 "mnist_distance(zeros, -0.5s)", hint="take the absolute value of the differences")


def check_is_3(is_3, a_3, a_7, valid_3_tens) -> None:
    expect_callable(is_3, "is_3")
    verdict = expect_tensor(is_3(a_3), "is_3(a_3)", ())
    expect(verdict.dtype == torch.bool, f"is_3 should return booleans, got {verdict.dtype}")
    expect(bool(verdict), "is_3(a_3) should be True: the sample 3 is nearer the ideal 3")
    expect(not bool(is_3(a_7)), "is_3(a_7) should be False: the sample 7 is nearer the ideal 7")
    batch = expect_tensor(is_3(valid_3_tens[:10]), "is_3(valid_3_tens[:10])", (10,))
    expect(batch.dtype == torch.bool, f"is_3 should return booleans, got {batch.dtype}")


def check_validation_accuracy(validation_accuracy, is_3, valid_3_tens, valid_7_tens,
                              genuine: bool) -> None:
    expect_callable(validation_accuracy, "validation_accuracy")
    result = validation_accuracy(is_3, valid_3_tens, valid_7_tens)
    expect(isinstance(result, tuple) and len(result) == 3,
           "validation_accuracy should return a tuple (accuracy on 3s, on 7s, their mean)")
    acc3, acc7, mean = (expect_number(v, n) for v, n in zip(
        result, ("the accuracy on 3s", "the accuracy on 7s", "the mean accuracy"), strict=True))
    for value, name in ((acc3, "the accuracy on 3s"), (acc7, "the accuracy on 7s")):
        expect(0 <= value <= 1, f"{name} should be a fraction between 0 and 1, got {value}")
    expect(acc7 > 0.5, f"the accuracy on 7s is {acc7:.4f}: a 7 is classified correctly when "
           "is_3 says False")
    expect_close(mean, (acc3 + acc7) / 2, "the mean accuracy",
                 hint="the average of the two accuracies")
    if genuine:
        expect_close(acc3, BOOK_ACCURACY["3s"], "the accuracy on 3s", atol=1e-4, rtol=0)
        expect_close(acc7, BOOK_ACCURACY["7s"], "the accuracy on 7s", atol=1e-4, rtol=0)
        expect_close(mean, BOOK_ACCURACY["mean"], "the mean accuracy", atol=1e-4, rtol=0)
    else:
        expect(mean > 0.8, f"the mean accuracy {mean:.4f} is too low for pixel similarity")
