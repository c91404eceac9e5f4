"""Item specs: each autograded item described once, as probes and comparisons.

A **probe** is one call of the student's code on given inputs: ``code`` is an expression
evaluated in the notebook's namespace while ``inputs`` are bound as names. What it returns
crosses back to the grader as plain data (``wire``) and is compared there with what the
reference solution returned on the same inputs (``compare``). An **item** has public probes
(fixed inputs; they drive the locked check cell and ``ch4 check``) and hidden probes, made by a
function from a random generator whose seed only the grader knows (``ch4 grade``).

Probe inputs are built in the grader and sent as data; ``setup`` may add statements that run
first in the kernel (e.g. writing image files), using only library code and
``autograder.items.fixtures``: a probe never ships a reference implementation.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

CompareKind = Literal["close", "equal", "between", "near_reference", "runs"]
DtypePolicy = Literal["any", "kind", "exact"]


@dataclass(frozen=True)
class Compare:
    """How a probe's value is judged against the reference's value.

    - ``close``: same structure and shape, numbers within ``atol + rtol * |expected|``;
    - ``equal``: exactly the same plain value (lists, strings, ints, paths, exact arrays);
    - ``between``: a single number in ``[lo, hi]``, no reference needed (stochastic results);
    - ``near_reference``: a single number at least ``reference - margin`` (and <= ``hi``);
    - ``runs``: only that the call returned without raising.

    ``dtype``: ``any`` accepts any numeric dtype (float64 inside is fine), ``kind`` requires
    the same kind (bool / integer / floating), ``exact`` the same dtype. ``scalar`` lets a
    one-element tensor, a 0-d tensor and a Python number stand for each other. ``sealed``
    stores only a digest of the public expected value (answers that must not be readable).
    """

    kind: CompareKind = "close"
    atol: float = 1e-4
    rtol: float = 1e-4
    dtype: DtypePolicy = "any"
    scalar: bool = True
    lo: float = -np.inf
    hi: float = np.inf
    margin: float = 0.0
    sealed: bool = False


def close(atol: float = 1e-4, rtol: float = 1e-4, dtype: DtypePolicy = "any",
          scalar: bool = True) -> Compare:
    return Compare("close", atol=atol, rtol=rtol, dtype=dtype, scalar=scalar)


def equal(sealed: bool = False) -> Compare:
    return Compare("equal", sealed=sealed)


def between(lo: float = -np.inf, hi: float = np.inf) -> Compare:
    return Compare("between", lo=lo, hi=hi)


def near_reference(margin: float, hi: float = np.inf) -> Compare:
    return Compare("near_reference", margin=margin, hi=hi)


def runs() -> Compare:
    return Compare("runs")


@dataclass(frozen=True)
class Part:
    """One top-level part of what a probe returns, in words ("your input t after the call"),
    and, where this part points at one thing to look at, its own hint. ``key``: the dict
    entry it names when the compared value is a dict (else parts name elements by position)."""

    name: str
    hint: str = ""
    key: str = ""


@dataclass(frozen=True)
class Probe:
    """One call of the student's code and how to judge what it returns.

    ``parts`` names the top-level parts of the compared value (after ``measure``) when it is a
    tuple or list of separate things; ``whole`` names a value that is one list of same-kind
    things ("your predictions"). Messages say these words, never a bare index."""

    label: str                       # plain words for feedback: "l1_distance on (3, 5) tensors"
    code: str                        # expression evaluated in the notebook's namespace
    inputs: dict[str, Any] = field(default_factory=dict)   # bound while ``code`` runs
    compare: Compare = field(default_factory=close)
    setup: str = ""                  # statements run before ``code`` (same namespace)
    hint: str = ""                   # the property or misconception to look at, never code
    # grader-side: turns the raw value the kernel returned (and the reference's) into what is
    # compared: statistics of a tensor, the accuracy of exported weights on held-out data, a
    # structure rebuilt from a state dict. The kernel only ever returns raw values; properties
    # are computed here, where the student's code cannot reach (the trust rule).
    measure: Callable[[Any], Any] | None = None
    parts: tuple[str | Part, ...] = ()
    whole: str = ""

    def part(self, index: int) -> Part | None:
        """The name (and hint) of top-level part ``index``; None when it has none."""
        if index >= len(self.parts):
            return None
        part = self.parts[index]
        return part if isinstance(part, Part) else Part(part)


KEEP_INPUTS = ("leave the inputs as they were: compute new tensors instead of changing the "
               "ones you are given")


def unchanged(name: str) -> Part:
    """The part of a probe that returns the caller's input ``name`` after the call."""
    return Part(f"your input {name} after the call", KEEP_INPUTS)


def returns(what: str, *inputs: str, hint: str = "") -> tuple[Part, ...]:
    """The parts of a probe ``(f(...), input1, input2, ...)``: what the function returns
    ("the distance you return"), then each input after the call."""
    return (Part(f"the {what} you return", hint), *(unchanged(name) for name in inputs))


# grader-side: (the student's value, the reference's value, the probe's inputs) -> whether a
# failed probe shows the misconception; both values as compared (after ``Probe.measure``)
MisconceptionTest = Callable[[Any, Any, dict[str, Any]], bool]


@dataclass(frozen=True)
class Misconception:
    """A known way to get an item wrong, recognised in the grader on the values of its failed
    probes (instructor analysis only: it never changes a score or a student's message).
    ``name``: a short id ("no /255"); ``what``: the mistake in words for the instructor;
    ``hint``: what to tell a student who made it (no code); ``test``: true when a failed
    probe's value shows it. It matches an item when it holds on every failed probe that
    returned a value (``every=True``) or on at least one (``every=False``)."""

    name: str
    what: str
    hint: str
    test: MisconceptionTest
    every: bool = True


ChoiceKind = Literal["one", "several", "order"]


@dataclass(frozen=True)
class Choices:
    """The options of a multiple-choice (``one`` letter, or ``several``) or ordering item, as
    the notebook shows them: lettered in an order shuffled per student
    (``autograder.checks.choice``). The spec holds no key: the reference solution's answer is
    the key, and the options are written in alphabetical order so that their order gives
    nothing away (``tests/test_questionnaire.py`` checks it)."""

    options: tuple[str, ...]
    kind: ChoiceKind = "one"


HiddenProbes = Callable[[np.random.Generator], Sequence[Probe]]
# reads the answer's source (parsed) and says which asked-for construct it lacks, or None
SourceRule = Callable[[ast.Module], "str | None"]


@dataclass(frozen=True)
class Item:
    """One autograded item: the names it tests, its public and its hidden probes."""

    grade_id: str
    names: tuple[str, ...]            # the student's names the probes call
    public: tuple[Probe, ...] = ()
    hidden: HiddenProbes | None = None
    needs: tuple[str, ...] = ()       # earlier items whose names the probes also use
    title: str = ""                   # e.g. "Exercise 3 (crop)"; defaults to the grade id
    hints: tuple[str, ...] = ()       # graded hints, each more specific, never the solution
    # the probes bind notebook names the function reads (not its arguments, e.g. ``mean3``);
    # a student may capture them when defining it (default arguments, a closure, a callable
    # object), so each probe first re-runs the answer's definitions of ``names`` (see
    # ``definitions``) under the probe's bindings
    redefine: bool = False
    # grader-side, where the question asks for a construct (a list comprehension, ``view``):
    # judged on the answer cell's source in the submitted notebook, never on the kernel's word
    # (``construct_failure``)
    source_rule: SourceRule | None = None
    # grader-side, instructor analysis only: known misconceptions, tried in order on the
    # failed probes' values; ``tally``: count the option(s) each student chose (choice items)
    misconceptions: tuple[Misconception, ...] = ()
    tally: bool = False
    # a multiple-choice or ordering item: the option texts the notebook shows (by letter)
    choices: Choices | None = None

    @property
    def display(self) -> str:
        return self.title or self.grade_id

    def function_of(self, probe: Probe) -> str:
        """Which of ``names`` the probe calls (the first one its code, else its setup,
        mentions), so that an exercise of several functions reports each one; "" if none."""
        for source, mode in ((probe.code, "eval"), (probe.setup, "exec")):
            try:
                tree = ast.parse(source, mode=mode)
            except SyntaxError:
                continue
            mentioned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            found = next((name for name in self.names if name in mentioned), "")
            if found:
                return found
        return ""

    def hidden_probes(self, key: str) -> list[Probe]:
        """The hidden probes for a grading key (a secret only the grader knows)."""
        if self.hidden is None:
            return []
        seed = int.from_bytes(hashlib.sha256(f"{key}|{self.grade_id}".encode()).digest()[:8],
                              "little")
        return list(self.hidden(np.random.default_rng(seed)))


@dataclass(frozen=True)
class NotebookSpec:
    """All items of one notebook, in notebook order (data only: what a notebook's locked cells
    call, ``SPEC.check`` and ``SPEC.hint``, is ``autograder.items.cells.CellSpec``)."""

    notebook: str                     # file stem, e.g. "01_pixels_and_similarity"
    items: tuple[Item, ...]

    def item(self, grade_id: str) -> Item:
        for item in self.items:
            if item.grade_id == grade_id:
                return item
        raise KeyError(f"{self.notebook} has no item {grade_id!r}")

    def with_hints(self, hints: dict[str, tuple[str, ...]]) -> NotebookSpec:
        """The same spec with graded hint levels attached to the named items."""
        unknown = set(hints) - {item.grade_id for item in self.items}
        if unknown:
            raise KeyError(f"{self.notebook} has no item(s) {sorted(unknown)}")
        return replace(self, items=tuple(
            replace(item, hints=tuple(hints.get(item.grade_id, item.hints)))
            for item in self.items))

    def with_misconceptions(self, known: dict[str, tuple[Misconception, ...]]) -> NotebookSpec:
        """The same spec with known misconceptions attached to the named items."""
        unknown = set(known) - {item.grade_id for item in self.items}
        if unknown:
            raise KeyError(f"{self.notebook} has no item(s) {sorted(unknown)}")
        return replace(self, items=tuple(
            replace(item, misconceptions=tuple(known.get(item.grade_id, item.misconceptions)))
            for item in self.items))


def _bound(node: ast.stmt) -> set[str]:
    """The names a top-level statement binds (definitions and assignments only)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def definitions(source: str, names: tuple[str, ...]) -> str:
    """The parts of an answer cell that (re)define ``names``: top-level imports, function and
    class definitions, and assignments to one of ``names`` (``is_3 = Is3(mean3, mean7)``).
    Nothing else (no call that trains or prints). "" when the cell does not parse or binds
    none of ``names``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ""
    kept = [node for node in tree.body
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                 ast.AsyncFunctionDef, ast.ClassDef))
            or _bound(node) & set(names)]
    if not any(_bound(node) & set(names) for node in kept):
        return ""
    try:
        return ast.unparse(ast.Module(body=kept, type_ignores=[]))
    except (ValueError, RecursionError):
        return ""


def defining_source(sources: Sequence[str], names: tuple[str, ...]) -> str:
    """Of the cell sources run in order, the last one that defines ``names`` (the definition
    the kernel ends up with); "" when none does."""
    return next((source for source in reversed(list(sources))
                 if isinstance(source, str) and definitions(source, names)), "")


def construct_failure(item: Item, source: str) -> str | None:
    """Why the answer lacks the construct its question asks for, in plain words (None: it
    has it, or the item asks for none). ``source``: the answer cell that defines the item's
    names; only its definitions are read (a test loop under them is not the answer)."""
    if item.source_rule is None:
        return None
    kept = definitions(source, item.names)
    if not kept:
        return (f"{item.names[0]} is not defined in its answer cell: the grader reads the "
                "answer there")
    return item.source_rule(ast.parse(kept))
