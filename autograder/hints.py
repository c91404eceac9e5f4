"""``ch4 hint``: graded hints per item, each level more specific, never the solution.

A failed check cell names the hint to read next (``hint_line``); the student asks for it with
``ch4 hint NOTEBOOK ITEM [--level N]`` in a terminal or ``SPEC.hint("ITEM", N)`` in a cell.
Levels come from the item spec (``Item.hints``): every item of notebooks 01 to 10 has its own
(``tests/test_hints.py``). Only a spec without written hints (the tiny test course) gets the one
``FALLBACK`` line, which says so plainly. Which level the check line suggests depends only on how
often that check failed in the running kernel: hints never touch a score.

``usual_cause`` maps a few raw PyTorch error messages to the mistake that usually causes them.
"""

from __future__ import annotations

import importlib
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from autograder.items.spec import Item, NotebookSpec

# Only for a spec whose items have no written hints (the tiny test course); no course item
# uses it.
FALLBACK = ("No hints are written for this item. Ask your study group or instructor, and say "
            "which check failed and what you tried.")


WIDTH = 96  # a hint is printed as a paragraph of at most this many columns


class HintError(ValueError):
    """A notebook or item that ``ch4 hint`` cannot find (the message lists what exists)."""


@dataclass(frozen=True)
class Cause:
    """A raw error message pattern and the mistake that usually produces it."""

    pattern: str
    cause: str


USUAL_CAUSES = (
    Cause(r"does not require grad and does not have a grad_fn",
          "the value you called backward on was not computed from a tensor that tracks "
          "gradients (was requires_grad set on the parameters, and was nothing detached or "
          "computed under no_grad on the way?)"),
    Cause(r"Dimension out of range",
          "you named an axis the tensor does not have: print its shape and count its axes"),
    Cause(r"shapes cannot be multiplied",
          "in a matrix product the inner sizes must agree: print both shapes"),
    Cause(r"must match the size of tensor b",
          "two shapes do not broadcast: line them up from the right and compare each axis"),
    Cause(r"leaf Variable that requires grad is being used in an in-place operation",
          "a parameter was changed in place while gradients were being tracked: updates "
          "belong in a block where tracking is switched off"),
    Cause(r"backward through the graph a second time",
          "the same computation was used for two backward passes: recompute the loss for "
          "each step"),
    Cause(r"expected scalar type|found dtype|Expected object of scalar type",
          "two tensors have different dtypes: check which one is not floating point"),
    Cause(r"view size is not compatible with input tensor",
          "the tensor is not contiguous in memory: reshape copies when it must, view never does"),
    Cause(r"can't convert .* to numpy|Can't call numpy\(\) on Tensor that requires grad",
          "a tensor that tracks gradients (or lives on a GPU) was handed to NumPy"),
)


def usual_cause(error_text: str) -> str | None:
    """The usual cause of a raw library error, in plain words; None when none is known."""
    for known in USUAL_CAUSES:
        if re.search(known.pattern, error_text):
            return known.cause
    return None


def levels(item: Item) -> tuple[str, ...]:
    """The item's hint levels; the single ``FALLBACK`` line for an item without any."""
    return item.hints or (FALLBACK,)


def short_name(spec: NotebookSpec) -> str:
    """How ``ch4 hint`` names a notebook: its number ("01"), else its file stem."""
    prefix = spec.notebook.split("_", 1)[0]
    return prefix if prefix.isdigit() else spec.notebook


def hint_line(spec: NotebookSpec, item: Item, failures: int = 1) -> str:
    """The line under a failed check: which hint to read, more specific after repeated tries."""
    level = max(1, min(failures, len(levels(item))))
    option = f" --level {level}" if level > 1 else ""
    call = f'SPEC.hint("{item.grade_id}"' + (f", {level})" if level > 1 else ")")
    return (f"hint: run `ch4 hint {short_name(spec)} {item.grade_id}{option}` in a terminal "
            f"(or {call} in a cell)")


def hint_text(spec: NotebookSpec, item: Item, level: int = 1) -> str:
    """Hint ``level`` (1 = most general) for ``item``, with the command for the next one."""
    if level < 1:
        raise HintError(f"--level must be 1 or more, got {level}")
    hints = levels(item)
    shown = min(level, len(hints))
    lines = [f"{item.display}, hint {shown} of {len(hints)}:",
             textwrap.fill(hints[shown - 1], WIDTH, initial_indent="  ",
                           subsequent_indent="  ", break_on_hyphens=False)]
    if shown < len(hints):
        lines.append(f"  more specific: ch4 hint {short_name(spec)} {item.grade_id} "
                     f"--level {shown + 1}")
    else:
        lines.append("  that is the most specific hint: if you are still stuck, bring your "
                     "attempt to your study group or instructor")
    return "\n".join(lines)


def resolve(notebook: str) -> NotebookSpec:
    """The spec of a notebook named by number ("1", "01"), file stem or path."""
    stem = Path(notebook).stem
    prefix = stem.split("_", 1)[0]
    if prefix.isdigit() and 1 <= int(prefix) <= 99:
        module = f"autograder.items.nb{int(prefix):02d}"
    elif stem in ("tiny", "01_tiny"):
        module = "autograder.items.tiny"
    else:
        raise HintError(f"no notebook {notebook!r}: name it by number (01 to 10) or file")
    try:
        spec = importlib.import_module(module).SPEC
    except ModuleNotFoundError:
        raise HintError(f"no notebook {notebook!r}: name it by number (01 to 10) or file") \
            from None
    return spec


def find_item(spec: NotebookSpec, name: str) -> Item:
    """An item by grade id ("ex_crop", "q02"), by the name it defines ("crop"), or by its
    exercise number within the notebook ("3")."""
    for item in spec.items:
        if name in (item.grade_id, f"ex_{name}") or name in item.names:
            return item
    if name.isdigit():
        for item in spec.items:
            if item.title.split(" (")[0].split()[-1:] == [name] or \
                    item.grade_id == f"q{int(name):02d}":
                return item
    known = ", ".join(item.grade_id for item in spec.items)
    raise HintError(f"{spec.notebook} has no item {name!r}; its items are: {known}")


def main(notebook: str, item: str, level: int) -> int:
    """Print one hint; exit 2 with the list of names when the notebook or item is unknown."""
    try:
        spec = resolve(notebook)
        print(hint_text(spec, find_item(spec, item), level))
    except HintError as exc:
        print(f"ch4 hint: {exc}")
        return 2
    return 0
