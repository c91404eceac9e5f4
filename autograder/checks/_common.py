"""Building blocks for public checks: plain-words failures and tamper-resistant comparisons.

The functions here keep private references to the library functions they rely on, taken at
import time, and refuse to judge when a submission has replaced them (for example patched
``torch.allclose`` or ``numpy.testing``). Values are compared as fresh float64 NumPy arrays,
so an object whose ``__eq__`` always says True gains nothing.
"""

from __future__ import annotations

import builtins
import math

import numpy
import numpy.testing
import torch

_ORIGINALS = {
    (torch, "allclose"): torch.allclose,
    (torch, "equal"): torch.equal,
    (torch, "isclose"): torch.isclose,
    (torch, "tensor"): torch.tensor,
    (torch.Tensor, "__eq__"): torch.Tensor.__eq__,
    (torch.Tensor, "numpy"): torch.Tensor.numpy,
    (torch.Tensor, "detach"): torch.Tensor.detach,
    (numpy, "allclose"): numpy.allclose,
    (numpy, "array_equal"): numpy.array_equal,
    (numpy, "asarray"): numpy.asarray,
    (numpy.testing, "assert_allclose"): numpy.testing.assert_allclose,
    (numpy.testing, "assert_array_equal"): numpy.testing.assert_array_equal,
    (builtins, "isinstance"): builtins.isinstance,
    (builtins, "len"): builtins.len,
    (builtins, "abs"): builtins.abs,
}
_asarray = numpy.asarray
_float64 = numpy.float64
_isinstance = builtins.isinstance
_type = builtins.type
_tensor_type = torch.Tensor
_detach = torch.Tensor.detach
_to_numpy = torch.Tensor.numpy
_cpu = torch.Tensor.cpu


class CheckFailed(AssertionError):
    """A check did not pass; the message tells the student what is wrong in plain words."""


def fail(message: str) -> None:
    """Stop the check with a plain-words message."""
    raise CheckFailed(message)


def expect(condition: object, message: str) -> None:
    """Fail with ``message`` unless ``condition`` is a true bool (or a one-element bool tensor)."""
    verify_untouched()
    if is_tensor(condition) and condition.dtype == torch.bool and condition.numel() == 1:
        condition = bool(condition.item())
    if _type(condition) not in (bool, numpy.bool_) or not condition:
        raise CheckFailed(message)


def verify_untouched() -> None:
    """Fail if library functions the checks rely on were replaced by the notebook's code."""
    for (owner, name), original in _ORIGINALS.items():
        if getattr(owner, name, None) is not original:
            owner_name = getattr(owner, "__name__", str(owner))
            raise CheckFailed(
                f"{owner_name}.{name} was replaced by the notebook's code; checks cannot run "
                "(restart the kernel and do not patch library functions)")


def is_tensor(value: object) -> bool:
    """True for real torch tensors and parameters (not look-alike objects)."""
    return _type(value) is _tensor_type or _type(value) is torch.nn.Parameter


def as_array(value: object, name: str) -> numpy.ndarray:
    """A float64 copy of a tensor, array or number; fail clearly for anything else."""
    verify_untouched()
    if is_tensor(value):
        return _asarray(_to_numpy(_cpu(_detach(value))), dtype=_float64).copy()
    if _type(value) in (int, float, bool, numpy.ndarray, numpy.float64, numpy.float32,
                        numpy.int64, numpy.int32):
        return _asarray(value, dtype=_float64).copy()
    if _type(value) in (list, tuple):
        return _asarray([as_array(v, name) for v in value], dtype=_float64)
    raise CheckFailed(f"{name} should be a tensor or a number, got {_type(value).__name__}")


def expect_tensor(value: object, name: str, shape: tuple | None = None) -> torch.Tensor:
    """Fail unless ``value`` is a tensor (of ``shape``, when given); return it."""
    verify_untouched()
    if not is_tensor(value):
        fail(f"{name} should be a torch tensor, got {_type(value).__name__}")
    if shape is not None and tuple(value.shape) != tuple(shape):
        fail(f"{name} should have shape {tuple(shape)}, got {tuple(value.shape)}")
    return value


def expect_close(actual: object, expected: object, name: str, atol: float = 1e-4,
                 rtol: float = 1e-4, hint: str = "") -> None:
    """Fail unless ``actual`` matches ``expected`` in shape and value (within tolerances)."""
    got = as_array(actual, name)
    want = as_array(expected, "the expected value")
    if got.shape != want.shape:
        fail(f"{name} should have shape {tuple(want.shape)}, got {tuple(got.shape)}"
             + (f" ({hint})" if hint else ""))
    if got.size == 0:
        return
    if not bool(numpy.all(numpy.isfinite(got))):
        fail(f"{name} contains NaN or infinite values" + (f" ({hint})" if hint else ""))
    error = numpy.abs(got - want)
    limit = atol + rtol * numpy.abs(want)
    if bool(numpy.any(error > limit)):
        worst = float(numpy.max(error))
        fail(f"{name} is not what was expected (largest difference {worst:.4g})"
             + (f": {hint}" if hint else ""))


def expect_number(value: object, name: str) -> float:
    """Fail unless ``value`` is a single finite number (Python, NumPy or one-element tensor)."""
    array = as_array(value, name)
    if array.size != 1:
        fail(f"{name} should be a single number, got shape {tuple(array.shape)}")
    number = float(array.reshape(-1)[0])
    if not math.isfinite(number):
        fail(f"{name} should be a finite number, got {number}")
    return number


def expect_callable(value: object, name: str) -> None:
    if not callable(value):
        fail(f"{name} should be a function")
