"""Judge a probe's value against the reference's: one verdict and a plain-words reason.

Runs in the grader (``ch4 grade``) and, for public probes, in the student's own notebook
(``ch4 check``): the same function, so the two commands always agree on a public case. Every
message is written here from the probe's label, its hint and numbers (shapes, dtypes, the
largest difference); nothing the student's kernel printed is ever copied into it, and expected
values are never shown (only their shape).
"""

from __future__ import annotations

import builtins
import contextvars
import inspect
import math
import re
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.items.spec import Compare, Item, Part, Probe
from autograder.items.wire import Array, Opaque, PathValue

_SAFE_NAME = re.compile(r"^[A-Za-z_][\w.]{0,60}$")
# Exception names a message may show: Python's own (a probe's exception class is the student's
# to name, so any other name could carry text the probe saw, e.g. a hidden input).
_KNOWN_ERRORS = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException))
_BUILTIN_TYPES = frozenset(
    [name for name, value in vars(builtins).items() if isinstance(value, type)]
    + [value.__name__ for value in vars(types).values() if isinstance(value, type)])
# True while judging a hidden probe: describe what the student returned by its kind only
# (shapes, lengths and numbers the student chose could encode the hidden inputs).
_HIDDEN = contextvars.ContextVar("ch4_hidden_probe", default=False)


@dataclass(frozen=True)
class Outcome:
    """What one probe produced: a value, an exception's type name, or why nothing came back."""

    value: Any = None
    raised: str | None = None
    missing: str | None = None

    @property
    def ok(self) -> bool:
        return self.raised is None and self.missing is None


@dataclass(frozen=True)
class Verdict:
    """A probe's (or an item's) verdict; ``look_at`` is the hint the message ends with, if
    any (the check cell shows it on a line of its own)."""

    passed: bool
    message: str = ""
    look_at: str = ""

    @property
    def reason(self) -> str:
        """The message without its trailing hint."""
        return self.message.removesuffix(f" ({self.look_at})") if self.look_at \
            else self.message


NOT_ATTEMPTED = "not attempted yet (the stub still raises NotImplementedError)"


def unanswered(names: tuple[str, ...], outcomes: list[Outcome]) -> Verdict | None:
    """The verdict when every probe of an item hit the stub or a missing name, else None
    (one rule for ``ch4 check`` and ``ch4 grade``)."""
    if outcomes and all(o.raised == "NotImplementedError" for o in outcomes):
        return Verdict(False, NOT_ATTEMPTED)
    if outcomes and all(o.raised == "NameError" for o in outcomes):
        return Verdict(False, f"{', '.join(names)} not defined when the checks ran "
                              "(did its answer cell run without an error?)")
    return None


def knock_on(needed: Item) -> str:
    """The note a failing item gets when an item it uses (``Item.needs``) fails too: one
    wording for the check cell, ``ch4 check`` and ``ch4 grade``."""
    names = " and ".join(needed.names)
    what = needed.display if all(name in needed.display for name in needed.names) \
        else f"{names} from {needed.display}"
    return f" (this exercise uses {what}, which does not pass yet: fix that one first)"


def reported(item: Item, probes: Sequence[Probe], verdicts: Sequence[Verdict]) -> list[int]:
    """The failures an item reports, by index: the first one, and for an item of several
    functions the first failure of each function (so every broken function is named)."""
    shown: dict[str, int] = {}
    for index, (probe, verdict) in enumerate(zip(probes, verdicts, strict=True)):
        if not verdict.passed:
            shown.setdefault(item.function_of(probe) if len(item.names) > 1 else "", index)
    return sorted(shown.values())


class _Differs(Exception):
    """Internal: the first difference found, in plain words (and the named part's hint)."""

    def __init__(self, text: str, hint: str = "") -> None:
        super().__init__(text)
        self.hint = hint


def safe_name(name: object) -> str:
    """An exception or type name fit for feedback (anything odd becomes 'an error')."""
    text = str(name)
    return text if _SAFE_NAME.match(text) else "an error"


def shown_error(name: object) -> str:
    """An exception's type name as feedback shows it: Python's own exception names only."""
    text = str(name)
    return text if text in _KNOWN_ERRORS else "an error"


def shown_type(type_name: str) -> str | None:
    """The class name of an opaque value, when it names a real class the grader knows
    (looked up statically, nothing imported or called); None for anything else."""
    module, _, qualname = str(type_name).rpartition(".")
    if module == "builtins":
        return qualname if qualname in _BUILTIN_TYPES else None
    owner: Any = sys.modules.get(module)
    if owner is None or not _SAFE_NAME.match(qualname):
        return None
    for part in qualname.split("."):
        owner = inspect.getattr_static(owner, part, None)
        if owner is None:
            return None
    if isinstance(owner, type) and owner.__qualname__ == qualname:
        return qualname.rsplit(".", 1)[-1]
    return None


def _got(value: Any) -> str:
    """``describe`` for what the student returned: on a hidden probe, its kind only."""
    if not _HIDDEN.get():
        return describe(value)
    if isinstance(value, Array):
        return f"a {'tensor' if value.torch else 'NumPy array'} ({value.dtype})"
    if isinstance(value, list | tuple):
        return f"a {type(value).__name__}"
    if isinstance(value, dict):
        return "a dict"
    return describe(value)


def _want(value: Any) -> str:
    """``describe`` for the expected value: on a hidden probe, its kind only (its shape or
    length is derived from the hidden inputs)."""
    if not _HIDDEN.get():
        return describe(value)
    if isinstance(value, Array):
        return f"a {'tensor' if value.torch else 'NumPy array'}"
    if isinstance(value, list | tuple):
        return f"a {type(value).__name__}"
    if isinstance(value, dict):
        return "a dict"
    return describe(value)


def describe(value: Any) -> str:
    """A short description of a value's kind (never its contents)."""
    if isinstance(value, Array):
        what = "tensor" if value.torch else "NumPy array"
        if value.values.ndim == 0:
            return f"a 0-d {what} ({value.dtype})"
        return f"a {what} of shape {tuple(value.values.shape)} ({value.dtype})"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, PathValue):
        return "a path"
    if isinstance(value, list | tuple):
        return f"a {type(value).__name__} of {len(value)} elements"
    if isinstance(value, dict):
        return f"a dict of {len(value)} entries"
    if isinstance(value, Opaque):
        name = shown_type(value.type_name)
        return f"a {name} object" if name else "an object of another type"
    if value is None:
        return "None"
    return "a value"


def _as_array(value: Any) -> np.ndarray | None:
    if isinstance(value, Array):
        return value.values
    if isinstance(value, bool):
        return np.asarray(value)
    if isinstance(value, int | float):
        return np.asarray(value, dtype=np.float64 if isinstance(value, float) else np.int64)
    return None


def _kind(array: np.ndarray) -> str:
    if array.dtype == np.bool_:
        return "bool"
    if np.issubdtype(array.dtype, np.integer):
        return "integer"
    return "floating"


def _scalar(value: Any) -> float | None:
    array = _as_array(value)
    if array is None or array.size != 1:
        return None
    return float(array.reshape(-1)[0])


UNNAMED = "the result"
_WORDS = re.compile(r"[A-Za-z_][\w ():/.,'-]{0,80}")   # a dict key that reads as words


def _step(where: str, index: str) -> str:
    """The words for an element inside a named part: "your predictions, element [3] ", then
    "your predictions, element [3][1] " one level down (never a bare index)."""
    base = where.rstrip() or UNNAMED
    return f"{base}{index} " if base.endswith("]") else f"{base}, element {index} "


def _key_step(where: str, key: Any) -> str:
    """The words for a dict entry: a key in words names it ("the accuracy you return")."""
    if isinstance(key, str) and _WORDS.fullmatch(key):
        return f"{where.rstrip()}, {key} " if where else f"{key} "
    return _step(where, f"[{key!r}]"[:40])


def _by_parts(check: Callable[[Any, Any, str], None], got: Any, want: Any,
              parts: Sequence[Part], whole: str) -> None:
    """Compare part by part, each top-level part named in words (``Probe.parts``: elements by
    position, or dict entries by ``Part.key``), or the whole value under its name
    (``Probe.whole``); a part's own hint goes with its failure."""
    keyed = {part.key: part for part in parts if part.key}
    if keyed and isinstance(want, dict) and isinstance(got, dict) and set(got) == set(want):
        pairs = [(keyed.get(key), got[key], want[key], key) for key in want]
    elif parts and not keyed and isinstance(want, list | tuple) \
            and isinstance(got, list | tuple) and len(got) == len(want) == len(parts):
        pairs = [(part, g, w, None) for part, g, w in zip(parts, got, want, strict=True)]
    else:
        check(got, want, f"{whole} " if whole else "")
        return
    for part, g, w, key in pairs:
        try:
            check(g, w, f"{part.name} " if part else _key_step("", key))
        except _Differs as exc:
            exc.hint = exc.hint or (part.hint if part else "")
            raise


def _close(rule: Compare, got: Any, want: Any, where: str) -> None:
    want_array, got_array = _as_array(want), _as_array(got)
    if want_array is not None:
        if got_array is None:
            raise _Differs(f"{where}is {_got(got)}, expected {_want(want)}")
        _close_arrays(rule, got, want, got_array, want_array, where)
        return
    if isinstance(want, list | tuple):
        if not isinstance(got, list | tuple):
            raise _Differs(f"{where}is {_got(got)}, expected {_want(want)}")
        if len(got) != len(want):
            raise _Differs(f"{where}has the wrong number of elements"
                           if _HIDDEN.get() else
                           f"{where}has {len(got)} elements, expected {len(want)}")
        for index, (g, w) in enumerate(zip(got, want, strict=True)):
            _close(rule, g, w, _step(where, f"[{index}]"))
        return
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            raise _Differs(f"{where}is {_got(got)}, expected a dict with other keys")
        for key in want:
            _close(rule, got[key], want[key], _key_step(where, key))
        return
    if got != want:
        raise _Differs(f"{where}is not the expected value" if type(got) is type(want)
                       else f"{where}is {_got(got)}, expected {_want(want)}")


def _close_arrays(rule: Compare, got: Any, want: Any, g: np.ndarray, w: np.ndarray,
                  where: str) -> None:
    scalar = rule.scalar and g.size == 1 and w.size == 1
    if not scalar:
        if isinstance(want, Array) and want.torch and not (isinstance(got, Array) and got.torch):
            raise _Differs(f"{where}is {_got(got)}, expected a torch tensor")
        if g.shape != w.shape:
            raise _Differs(f"{where}has the wrong shape"
                           if _HIDDEN.get() else
                           f"{where}has shape {tuple(g.shape)}, expected {tuple(w.shape)}")
    if rule.dtype == "exact" and isinstance(want, Array) and isinstance(got, Array) \
            and got.dtype != want.dtype:
        raise _Differs(f"{where}has dtype {got.dtype}, expected {want.dtype}")
    if rule.dtype == "kind" and _kind(g) != _kind(w):
        raise _Differs(f"{where}holds {_kind(g)} values, expected {_kind(w)} values")
    g64, w64 = g.astype(np.float64).reshape(-1), w.astype(np.float64).reshape(-1)
    if g64.size == 0:
        return
    finite = np.isfinite(w64)
    if _HIDDEN.get() and not _agree(rule, g64, w64, finite):
        raise _Differs(f"{where}differs from the expected result")
    if bool(np.any(~np.isfinite(g64) & finite)):
        raise _Differs(f"{where}contains NaN or infinite values where the expected result "
                       "is finite")
    if bool(np.any(~finite & (g64 != w64) & ~(np.isnan(g64) & np.isnan(w64)))):
        raise _Differs(f"{where}differs from the expected result (non-finite values)")
    error = np.abs(g64[finite] - w64[finite])
    if error.size and bool(np.any(error > rule.atol + rule.rtol * np.abs(w64[finite]))):
        raise _Differs(f"{where}differs from the expected result" if _HIDDEN.get() else
                       f"{where}differs from the expected result "
                       f"(largest difference {float(error.max()):.3g})")


def _agree(rule: Compare, g64: np.ndarray, w64: np.ndarray, finite: np.ndarray) -> bool:
    """Every element within tolerance, non-finite ones equal (NaN matching NaN)."""
    if bool(np.any(~np.isfinite(g64) & finite)):
        return False
    if bool(np.any(~finite & (g64 != w64) & ~(np.isnan(g64) & np.isnan(w64)))):
        return False
    error = np.abs(g64[finite] - w64[finite])
    return not (error.size and bool(np.any(error > rule.atol + rule.rtol * np.abs(w64[finite]))))


def _equal(got: Any, want: Any, where: str) -> None:
    if isinstance(want, Array):
        if not isinstance(got, Array) or got.values.shape != want.values.shape or \
                _kind(got.values) != _kind(want.values) or \
                not np.array_equal(got.values, want.values, equal_nan=True):
            raise _Differs(f"{where}is not the expected value"
                           + (f" (got {_got(got)}, expected {_want(want)})"
                              if not isinstance(got, Array)
                              or got.values.shape != want.values.shape else ""))
        return
    _close(Compare("close", atol=0.0, rtol=0.0, dtype="kind", scalar=False), got, want, where)


def hidden_probe() -> bool:
    return _HIDDEN.get()


FORM_PREFIX = "form:"


def answer_form(value: Any) -> str:
    """The form of an answer, never its contents: ``number``, ``bool``, ``text``, ``tensor``,
    ``tuple``, ... A sealed public value is stored as its form only (any digest
    of a small answer space is inverted faster than the question is answered)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text" if value.strip() else "empty text"
    if value is None:
        return "None"
    if isinstance(value, Array):
        return "tensor" if value.torch else "array"
    if isinstance(value, list | tuple | dict):   # not its length or its elements' kinds: a
        kind = type(value).__name__               # list of shapes would show the ranks asked
        return kind if value else f"empty {kind}"
    if isinstance(value, PathValue):
        return "path"
    return "object"


def sealed(outcome: Outcome) -> Outcome:
    """A public outcome as a sealed item stores and compares it: its form only (an outcome
    sealed already stays as it is)."""
    if outcome.ok and isinstance(outcome.value, str) and outcome.value.startswith(FORM_PREFIX):
        return outcome
    return Outcome(value=FORM_PREFIX + answer_form(outcome.value)) if outcome.ok else outcome


WRONG_KIND = "returned a value of another kind than the exercise asks for"


def measured(measure: Callable[[Any], Any] | None, outcome: Outcome | None) -> Outcome | None:
    """``outcome`` with the probe's grader-side ``measure`` applied to its value (a value the
    measure cannot take fails the probe, in words that say nothing of what was expected)."""
    if measure is None or outcome is None or not outcome.ok:
        return outcome
    try:
        return Outcome(value=measure(outcome.value))
    except Exception:  # noqa: BLE001 - data from the kernel the measure did not foresee
        return Outcome(missing=WRONG_KIND)


def judge(rule: Compare, got: Outcome, want: Outcome | None, label: str,
          hint: str = "", hidden: bool = False,
          measure: Callable[[Any], Any] | None = None,
          parts: Sequence[Part] = (), whole: str = "") -> Verdict:
    """The verdict on one probe. ``want`` is the reference's outcome (None where the rule
    needs none); a reference that failed is a grader problem, reported as such. ``measure``
    (``Probe.measure``) is applied to both values first; ``parts`` and ``whole`` name what
    is compared (``Probe.parts``, ``Probe.whole``). On a ``hidden`` probe the message
    describes the student's value by its kind only and carries no number derived from the
    expected value (no difference, shape or length: each would be an oracle)."""
    token = _HIDDEN.set(hidden)
    try:
        return _judge(rule, measured(measure, got), measured(measure, want), label, hint,
                      parts, whole)
    except Exception:  # noqa: BLE001 - data from the kernel the rules did not foresee
        return Verdict(False, f"{label}: returned data the grader cannot compare")
    finally:
        _HIDDEN.reset(token)


def judge_probe(probe: Probe, got: Outcome, want: Outcome | None,
                hidden: bool = False) -> Verdict:
    """``judge`` with everything the probe declares (rule, label, hint, measure, names)."""
    parts = [part for i in range(len(probe.parts)) if (part := probe.part(i)) is not None]
    return judge(probe.compare, got, want, probe.label, probe.hint, hidden, probe.measure,
                 parts, probe.whole)


def _judge(rule: Compare, got: Outcome, want: Outcome | None, label: str,
           hint: str, parts: Sequence[Part] = (), whole: str = "") -> Verdict:
    def fail(text: str, own_hint: str = "") -> Verdict:
        look_at = own_hint or hint
        return Verdict(False, f"{label}: {text}" + (f" ({look_at})" if look_at else ""),
                       look_at)

    if got.missing is not None:
        return Verdict(False, f"{label}: {got.missing}")
    if got.raised is not None:
        return fail(f"raised {shown_error(got.raised)}")
    if rule.kind == "runs":
        return Verdict(True)
    if rule.kind in ("between", "near_reference"):
        number = _scalar(got.value)
        if number is None:
            return fail(f"should be a single number, got {_got(got.value)}")
        if not math.isfinite(number):
            return fail("is not a finite number")
        low = rule.lo
        if rule.kind == "near_reference":
            reference = None if want is None or not want.ok else _scalar(want.value)
            if reference is None:
                return Verdict(False, f"{label}: the reference result is missing "
                                      "(a grader problem: tell your instructor)")
            low = reference - rule.margin
        if not low <= number <= rule.hi:
            return fail("is outside the expected range" if hidden_probe() else
                        f"{number:.4g} is outside the expected range")
        return Verdict(True)
    if want is None or not want.ok:
        return Verdict(False, f"{label}: the reference result is missing "
                              "(a grader problem: tell your instructor)")
    try:
        if rule.kind == "equal":
            if rule.sealed and isinstance(want.value, str) and want.value.startswith(
                    FORM_PREFIX):
                # the public check of a sealed item sees the answer's form; its value is
                # judged at grading, against the reference's raw value
                if FORM_PREFIX + answer_form(got.value) != want.value:
                    raise _Differs("is not the kind of answer asked for (expected "
                                   f"{want.value[len(FORM_PREFIX):]})")
            else:
                _by_parts(_equal, got.value, want.value, parts, whole)
        else:
            _by_parts(lambda g, w, where: _close(rule, g, w, where), got.value, want.value,
                      parts, whole)
    except _Differs as exc:
        return fail(str(exc), exc.hint)
    return Verdict(True)
