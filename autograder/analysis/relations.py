"""Generic relations between a failed probe's value and the reference's, in a few words.

Run in the grader on the decoded values (the trust rule: nothing here comes from the kernel
but the raw value). Each tag names how the student's value relates to the reference's
("scaled x255", "transposed", "negated", "shifted by one", "NaN", "input changed"), so that
submissions that failed the same way can be grouped even where no spec names the mistake.
Tags name a kind of mistake and never carry a number computed from a value (a hidden input
or a reference value): they are shown in ``ch4 insight``'s page, which may be shared with the
class. Exception names are shown only when they are Python's own (``compare.shown_error``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograder.items.compare import Outcome, shown_error
from autograder.items.misconceptions import array
from autograder.items.spec import Part

TOL = 1e-4
ROUND_FACTORS = (255.0, 1 / 255.0, 256.0 / 255.0, 255.0 / 256.0, 2.0, 0.5, 10.0, 0.1, 100.0,
                 0.01)


def _close(a: np.ndarray, b: np.ndarray, tol: float = TOL) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True))


def _factor(g: np.ndarray, w: np.ndarray) -> str:
    """"scaled x255" (a round factor of ``ROUND_FACTORS``) or "scaled by a constant" when
    ``g`` is ``w`` times one constant, else "". Other factors are never printed: they are
    computed from hidden values, and tags reach the page ``ch4 insight --html`` shares."""
    norm = float(np.sum(w * w))
    if norm == 0 or not np.all(np.isfinite(g)):
        return ""
    c = float(np.sum(g * w) / norm)
    if c == 0 or abs(c - 1) < TOL or not _close(g, c * w, 1e-3):
        return ""
    named = next((f for f in ROUND_FACTORS if abs(c / f - 1) < 1e-3), None)
    if named is None and w.size < 2:
        return ""          # any two numbers are "scaled": only a telling factor says more
    if named is not None and named < 1:
        return f"scaled x1/{1 / named:.4g}"
    return f"scaled x{named:.4g}" if named is not None else "scaled by a constant"


def _same_shape(g: np.ndarray, w: np.ndarray) -> str:
    if np.any(~np.isfinite(g) & np.isfinite(w)):
        return "NaN or infinite"
    if w.size > 1 and np.all(g == g.reshape(-1)[0]) and not np.all(w == w.reshape(-1)[0]):
        return "always the same value"
    if _close(g, -w):
        return "negated"
    scaled = _factor(g, w)
    if scaled:
        return scaled
    diff = g - w
    if diff.size > 1 and np.all(np.isclose(diff, diff.reshape(-1)[0], atol=TOL)):
        return "offset by a constant"
    if g.ndim == 2 and g.shape[0] == g.shape[1] and _close(g, w.T):
        return "transposed"
    if g.ndim >= 1 and any(_close(g, np.roll(w, s, axis=a)) for a in range(g.ndim)
                           for s in (1, -1)):
        return "shifted by one position"
    if _close(np.sort(g, axis=None), np.sort(w, axis=None)):
        return "same values, other order"
    if _close(g, w, 1e-2):
        return "close but outside tolerance"
    return "different values"


def _other_shape(g: np.ndarray, w: np.ndarray) -> str:
    if g.ndim == 2 and g.T.shape == w.shape and _close(g.T, w):
        return "transposed"
    if g.size == w.size and _close(g.reshape(w.shape), w):
        return "same values, other shape"
    if g.size == 1 and w.size > 1:
        return "one number instead of many"
    if g.ndim != w.ndim:
        return "another rank"
    return "wrong shape"


def relation(got: Any, want: Any) -> str:
    """How one value relates to the reference's, as a short tag."""
    g, w = array(got), array(want)
    if g is not None and w is not None:
        return _same_shape(g, w) if g.shape == w.shape else _other_shape(g, w)
    if w is not None or g is not None:
        return "another kind of value"
    if isinstance(want, list | tuple) and isinstance(got, list | tuple):
        if len(got) != len(want):
            return "other number of elements"
        tags = [relation(a, b) for a, b in zip(got, want, strict=True) if not _equal(a, b)]
        return tags[0] if tags else "different values"
    if isinstance(want, dict) and isinstance(got, dict):
        if set(got) != set(want):
            return "other keys"
        tags = [relation(got[k], want[k]) for k in want if not _equal(got[k], want[k])]
        return tags[0] if tags else "different values"
    if type(got) is not type(want):
        return "another kind of value"
    return "different value"


def _equal(a: Any, b: Any) -> bool:
    x, y = array(a), array(b)
    if x is not None and y is not None:
        return _close(x, y)
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - plain decoded data; anything odd counts as different
        return False


def outcome_relation(got: Outcome, want: Outcome, parts: Sequence[Part] = ()) -> str:
    """The tag of one failed probe: why nothing came back, the exception, an input the call
    changed (a part named "your input ... after the call"), or ``relation`` of the value."""
    if got.missing is not None:
        return "no value"
    if got.raised is not None:
        return f"raised {shown_error(got.raised)}"
    if want is None or not want.ok:
        return "no reference"
    value, expected = got.value, want.value
    if parts and isinstance(value, list | tuple) and isinstance(expected, list | tuple) \
            and len(value) == len(expected) == len(parts):
        for part, g, w in zip(parts, value, expected, strict=True):
            if part.name.startswith("your input") and not _equal(g, w):
                return "input changed"
        changed = [(g, w) for g, w in zip(value, expected, strict=True) if not _equal(g, w)]
        return relation(*changed[0]) if changed else "different values"
    return relation(value, expected)
