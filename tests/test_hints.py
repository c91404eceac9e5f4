"""Graded hints: every autograded item has its own levels, each teaching more than the failure
message, more specific than the one before, never shared with another item, never the code of
the solution, and never naming the right option of a multiple-choice item."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder import notebook as nbk
from autograder.hints import FALLBACK, hint_text, levels, main
from autograder.items.spec import Item, NotebookSpec

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = tuple(range(1, 11))
# the chapter's sections, by the book's names (level 1 names the one to re-read)
SECTIONS = ("Pixels: The Foundations of Computer Vision", "First Try: Pixel Similarity",
            "NumPy Arrays and PyTorch Tensors", "Computing Metrics Using Broadcasting",
            "Stochastic Gradient Descent (SGD)", "Calculating Gradients",
            "Stepping With a Learning Rate", "An End-to-End SGD Example",
            "Summarizing Gradient Descent", "The MNIST Loss Function", "Sigmoid",
            "SGD and Mini-Batches", "Putting It All Together", "Creating an Optimizer",
            "Adding a Nonlinearity", "Going Deeper", "Jargon Recap")
MIN_LINE = 12        # a solution line this long (whitespace removed) is code, never hint text
MIN_EXPR = 5         # the shortest solution expression (whitespace removed) that is checked
MIN_SHOWN = 20       # a failure text this long must not reappear inside a hint
SHARED_WORDS = 5     # this many consecutive words shared with an option name that option


def _spec(number: int) -> NotebookSpec:
    return importlib.import_module(f"autograder.items.nb{number:02d}").SPEC


SPECS = {number: _spec(number) for number in NOTEBOOKS}
ITEMS = [(number, item) for number, spec in SPECS.items() for item in spec.items]
IDS = [f"{number:02d}:{item.grade_id}" for number, item in ITEMS]


def _squeeze(text: str) -> str:
    """Text without whitespace and with one kind of quote, for comparing code however it is
    spaced and quoted."""
    return re.sub(r"\s+", "", text).replace('"', "'")


def _plain(text: str) -> str:
    """Lower-case words separated by single spaces, trailing punctuation dropped."""
    return re.sub(r"\s+", " ", text).strip().strip(".;:,").lower()


# ---------------------------------------------------------------- the solutions, per item

@dataclass
class Solution:
    """What the solution notebook holds for one item: its code and the exercise's own text."""

    code: list[str]          # the regions between BEGIN and END SOLUTION, in order
    given: str               # markdown and code outside those regions, since the last item


def _split(source: str) -> tuple[list[str], str]:
    """The solution regions of a cell and the rest of its text."""
    regions, rest, current = [], [], None
    for line in source.splitlines():
        if "### BEGIN SOLUTION" in line:
            current = []
        elif "### END SOLUTION" in line and current is not None:
            regions.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
        else:
            rest.append(line)
    return regions, "\n".join(rest)


def _solutions(number: int) -> dict[str, Solution]:
    """Each item's solution regions and exercise text: the cells since the previous grade
    cell, up to and including this item's grade cell."""
    path = next((REPO / "solutions").glob(f"{number:02d}_*.ipynb"))
    grade_ids = {item.grade_id for item in SPECS[number].items}
    found: dict[str, Solution] = {}
    code: list[str] = []
    given: list[str] = []
    for cell in nbk.read(path).cells:
        regions, rest = _split(cell.source)
        code += regions
        given.append(rest)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in grade_ids:
            found[grade_id] = Solution(code, "\n".join(given))
            code, given = [], []
    return found


SOLUTIONS = {number: _solutions(number) for number in NOTEBOOKS}


def _solution_lines() -> set[str]:
    """Every line of every solution region, whitespace removed, at least MIN_LINE long."""
    return {_squeeze(line) for solutions in SOLUTIONS.values() for sol in solutions.values()
            for region in sol.code for line in region.splitlines()
            if not line.strip().startswith("#") and len(_squeeze(line)) >= MIN_LINE}


def _code_expressions(region: str) -> set[str]:
    """The expressions of a solution region that are code: calls, operators, indexing,
    comprehensions, tuples and lists (not bare names, constants or dotted names), as the
    parser writes them back, whitespace removed; nothing for a region that is prose."""
    try:
        tree = ast.parse(textwrap.dedent(region))
    except SyntaxError:
        return set()
    plain = (ast.Name, ast.Constant, ast.Attribute, ast.Starred, ast.keyword)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.expr) and not isinstance(node, plain):
            found.add(_squeeze(ast.unparse(node)))
        # a method called with the solution's arguments (".mean((-1, -2))"), whatever it is
        # called on; naming a method to look up (".float()", "Tensor.mean") stays allowed
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                (node.args or node.keywords):
            arguments = ", ".join(ast.unparse(a) for a in [*node.args, *node.keywords])
            found.add(_squeeze(f".{node.func.attr}({arguments})"))
    return {text for text in found if len(text) >= MIN_EXPR}


def _given_expressions(given: str) -> str:
    """The exercise's own text, whitespace removed, with code as the parser writes it back
    too (so ``x.view(-1, 784)`` in a sentence also counts as given in its parsed form)."""
    parts = [_squeeze(given)]
    for snippet in re.findall(r"`([^`]+)`", given):
        try:
            parts.append(_squeeze(ast.unparse(ast.parse(snippet, mode="eval"))))
        except SyntaxError:
            continue
    return "\n".join(parts)


# ---------------------------------------------------------------- what a failure shows

def _option_texts(grade_id: str) -> list[str]:
    """A multiple-choice or ordering item's options ([] for any other item)."""
    from autograder.checks import questionnaire as qz

    return qz.options_of(grade_id) if grade_id in qz.choice_items() else []


def _probe_texts(probe) -> list[str]:
    """What a failed probe can say: its label, its hint, and the words naming what it returns
    (``whole``, and each of ``parts`` with its own hint)."""
    texts = [probe.label, probe.hint, getattr(probe, "whole", "")]
    for part in getattr(probe, "parts", ()):
        texts += [part] if isinstance(part, str) else [part.name, part.hint]
    return texts


def _shown(item: Item) -> list[str]:
    """Every text a failed check of the item can show: its title and what its probes (public
    and hidden) say."""
    texts = [item.display]
    for probe in [*item.public, *item.hidden_probes("hint-scan")]:
        texts += _probe_texts(probe)
    return [text for text in texts if text]


# ---------------------------------------------------------------- the rules
#
# Each rule is a function from an item (and its hint levels) to its violations, so that the
# tests below can also show that a rule catches a planted bad hint.

def repeats(item: Item, hints: tuple[str, ...]) -> list[tuple[int, str]]:
    """Levels that say what a failed check already shows: a level that is part of a shown
    text, or one that contains a whole shown text of MIN_SHOWN characters or more."""
    shown = [_plain(text) for text in _shown(item)]
    return [(level, text) for level, hint in enumerate(hints, 1) for text in shown
            if _plain(hint) in text or (len(text) >= MIN_SHOWN and text in _plain(hint))]


def stale(hints: tuple[str, ...]) -> list[tuple[int, int]]:
    """Pairs (earlier, later) where the later level is the earlier one or a part of it."""
    plain = [_plain(text) for text in hints]
    return [(i + 1, j + 1) for j in range(len(plain)) for i in range(j)
            if plain[j] in plain[i]]


def leaks(number: int, item: Item, hints: tuple[str, ...]) -> list[tuple[int, str]]:
    """Solution code in a level: a line of any solution (MIN_LINE characters or more), or an
    expression or method call of this item's solution that its exercise text does not give."""
    solution = SOLUTIONS[number][item.grade_id]
    given = _given_expressions(solution.given)
    code = {expr for region in solution.code for expr in _code_expressions(region)
            if expr not in given}
    found = []
    for level, hint in enumerate(hints, 1):
        squeezed = _squeeze(hint)
        found += [(level, line) for line in LINES if line in squeezed]
        found += [(level, expr) for expr in code if expr in squeezed]
    return found


def _runs(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def quotes_an_option(item: Item, hints: tuple[str, ...]) -> list[tuple[int, str]]:
    """Levels of a choice item that quote an option (right or wrong) or share a run of
    SHARED_WORDS words with one: a hint reasons about the concept, it never points at a
    letter."""
    return [(level, option) for option in _option_texts(item.grade_id)
            for level, hint in enumerate(hints, 1)
            if _plain(option) in _plain(hint)
            or _runs(option, SHARED_WORDS) & _runs(hint, SHARED_WORDS)]


LINES = _solution_lines()
CHOICES = [(n, i) for n, i in ITEMS if _option_texts(i.grade_id)]


def test_the_scan_sees_every_item_and_its_solution():
    assert len(ITEMS) >= 80 and len(CHOICES) >= 7
    missing = [f"{n:02d}:{i.grade_id}" for n, i in ITEMS if i.grade_id not in SOLUTIONS[n]
               or not SOLUTIONS[n][i.grade_id].code]
    assert missing == []
    assert len(LINES) > 100


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_every_item_has_its_own_two_or_more_levels(number, item):
    assert len(item.hints) >= 2
    assert levels(item) == item.hints and FALLBACK not in item.hints
    assert all(len(text.split()) >= 6 for text in item.hints), "a level teaches in a sentence"


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_level_one_names_a_section_of_the_chapter(number, item):
    assert any(f'"{section}"' in item.hints[0] for section in SECTIONS)


def test_the_stack_digits_hint_gets_division_right():
    """Dividing a uint8 tensor by 255 is true division in PyTorch: it gives floats."""
    import torch

    assert (torch.tensor([51], dtype=torch.uint8) / 255).dtype == torch.float32
    text = " ".join(SPECS[1].item("ex_stack_digits").hints).lower()
    assert "truncat" not in text and "true division" in text


def test_no_two_items_share_a_level():
    """No level of one item is the same text as, or part of, a level of another item."""
    texts = [(f"{number:02d}:{item.grade_id}", level, _plain(text)) for number, item in ITEMS
             for level, text in enumerate(item.hints, 1)]
    shared = [(a, i, b, j) for a, i, one in texts for b, j, other in texts
              if a != b and one in other]
    assert shared == []


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_no_level_repeats_what_the_failure_already_says(number, item):
    assert repeats(item, item.hints) == []


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_levels_grow_more_specific(number, item):
    assert stale(item.hints) == []


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_no_level_is_code_of_the_solution(number, item):
    assert leaks(number, item, item.hints) == []


@pytest.mark.parametrize("number, item", CHOICES, ids=[f"{n:02d}:{i.grade_id}" for n, i in CHOICES])
def test_choice_hints_name_no_option(number, item):
    assert quotes_an_option(item, item.hints) == []


# ---------------------------------------------------------------- the rules catch bad hints

def test_the_rules_catch_planted_bad_hints():
    """Each rule flags the kind of hint the issue found: one that restates the probe's own
    hint, one that repeats an earlier level, one that pastes the solution, one that names an
    option."""
    crop = SPECS[1].item("ex_crop")
    assert repeats(crop, (crop.public[0].hint, "Slice the rows, then the columns, in one go."))
    assert repeats(crop, (f"Hint: {crop.public[0].label} should give the patch.",))
    assert stale(("Rows first, then columns, both as ranges.", "rows first, then columns"))
    assert leaks(1, crop, ("Write return t[top:top + size, left:left + size].",))
    distance = SPECS[2].item("ex_mnist_distance")
    assert leaks(2, distance, ("Call .mean((-1, -2)) on the differences.",))
    assert leaks(2, distance, ("Average (a - b).abs() over the pixels.",))
    basics = SPECS[2].item("ex_tensor_basics")
    assert leaks(2, basics, ('Halve with t.float() / 2, and use "t[:, j]".',))
    q12 = SPECS[8].item("q12")
    option = _option_texts("q12")[-1]
    assert quotes_an_option(q12, (f"Think about it: {option.lower()}.",))
    assert quotes_an_option(q12, (" ".join(option.split()[2:8]) + " is the key idea.",))


def test_the_rules_let_plain_teaching_through():
    """...and none flags a hint that names a method to look up or works a different example."""
    distance = SPECS[2].item("ex_mnist_distance")
    fine = ("Look up the dim argument of Tensor.mean, and .abs().",
            "A (4, 9, 9) batch against one (9, 9) image gives 4 distances.")
    assert not leaks(2, distance, fine) and not repeats(distance, fine) and not stale(fine)
    assert _code_expressions("This is prose, not code.") == set()
    assert "t[:,j]" not in _given_expressions(SOLUTIONS[2]["ex_tensor_basics"].given)


# ---------------------------------------------------------------- ch4 hint prints each level

@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_ch4_hint_prints_each_level(number, item, capsys):
    for level, text in enumerate(item.hints, 1):
        assert main(f"{number:02d}", item.grade_id, level) == 0
        out = capsys.readouterr().out
        assert f"hint {level} of {len(item.hints)}" in out
        assert " ".join(text.split()) in " ".join(out.split())
        assert max(len(line) for line in out.splitlines()[1:-1]) <= 96
        assert out == hint_text(SPECS[number], item, level) + "\n"


def test_ch4_hint_level_option_from_a_terminal():
    item = SPECS[8].item("q12")
    result = subprocess.run([sys.executable, "-m", "autograder.cli", "hint", "08", "q12",
                             "--level", "2"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert f"hint 2 of {len(item.hints)}" in result.stdout
    assert " ".join(item.hints[1].split()) in " ".join(result.stdout.split())


def test_an_item_without_written_hints_says_so():
    from autograder.items.tiny import SPEC as TINY

    assert levels(TINY.items[0]) == (FALLBACK,)
    assert "No hints are written" in hint_text(TINY, TINY.items[0], 1)
