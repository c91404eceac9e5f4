"""Small grader-side comparisons for naming a misconception (``spec.Misconception``).

A misconception's test looks at a failed probe's value (what the student's code returned, as
the grader decoded it) beside the reference's value and the probe's inputs, and says whether
the failure is the known mistake: the values were not divided by 255, the mean was taken
over another axis, the step went uphill. These helpers turn wire values into arrays and
compare them; they run in the grader only, and never change a score or a message.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.items.wire import Array


def array(value: Any) -> np.ndarray | None:
    """A wire value (an ``Array``, a number, a bool), or a torch tensor / NumPy array given as
    a probe input, as a float64 array; None for anything else."""
    if isinstance(value, Array):
        value = value.values
    elif hasattr(value, "detach") and hasattr(value, "numpy"):     # a probe's torch input
        value = value.detach().cpu().numpy()
    if isinstance(value, bool | int | float | np.ndarray | np.generic):
        try:
            return np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
    return None


def first(value: Any) -> Any:
    """The first part of a probe's value when it returns ``(result, input, ...)``, else the
    value itself."""
    if isinstance(value, list | tuple) and value:
        return value[0]
    return value


def entry(value: Any, key: str) -> Any:
    """The dict entry ``key`` of a probe's value (None when it is not a dict with it)."""
    return value.get(key) if isinstance(value, dict) else None


def same(got: Any, expected: Any, tol: float = 1e-4) -> bool:
    """``got`` equals ``expected`` (arrays or numbers) in shape and, within ``tol``, value."""
    g, e = array(got), array(expected)
    if g is None or e is None or g.shape != e.shape:
        return False
    return bool(np.allclose(g, e, rtol=tol, atol=tol, equal_nan=True))


def scaled(got: Any, want: Any, factor: float, tol: float = 1e-4) -> bool:
    """``got`` is the reference's value times ``factor`` (and differs from it)."""
    w = array(want)
    return w is not None and bool(np.any(w != 0)) and same(got, w * factor, tol)


def squared(got: Any, want: Any, tol: float = 1e-4) -> bool:
    """``got`` is the square of the reference's value (a root left out)."""
    w = array(want)
    return w is not None and same(got, w * w, tol)


def negated_step(got: Any, want: Any, start: Any, tol: float = 1e-4) -> bool:
    """Starting from ``start``, the student moved by minus the reference's move (a step in the
    wrong direction)."""
    g, w, s = array(got), array(want), array(start)
    if g is None or w is None or s is None or g.shape != s.shape or w.shape != s.shape:
        return False
    return bool(np.any(w != s)) and same(g - s, s - w, tol)
