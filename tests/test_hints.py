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
            text = _squeeze(ast.unparse(node))
            if len(text) >= MIN_EXPR:
                found.add(text)
    return found


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

def _option_texts(grade_id: str) -> dict[str, dict]:
    """A multiple-choice or ordering item's options and what the grader knows of each."""
    from autograder.checks import choice
    from autograder.checks import questionnaire as qz

    for group in (qz._SINGLE, qz._ORDER):
        if grade_id in group:
            return {option: choice.unseal(grade_id, option, sealed)
                    for option, sealed in group[grade_id].items()}
    return {}


def _probe_texts(probe) -> list[str]:
    """What a failed probe can say: its label, its hint, and the words naming what it returns
    (``whole``, and each of ``parts`` with its own hint)."""
    texts = [probe.label, probe.hint, getattr(probe, "whole", "")]
    for part in getattr(probe, "parts", ()):
        texts += [part] if isinstance(part, str) else [part.name, part.hint]
    return texts


def _shown(item: Item) -> list[str]:
    """Every text a failed check of the item can show: its title, what its probes (public and
    hidden) say, and the hints of its options."""
    texts = [item.display]
    for probe in [*item.public, *item.hidden_probes("hint-scan")]:
        texts += _probe_texts(probe)
    texts += [o.get("hint", "") for o in _option_texts(item.grade_id).values()]
    return [text for text in texts if text]


# ---------------------------------------------------------------- the rules

def test_the_scan_sees_every_item_and_its_solution():
    assert len(ITEMS) >= 80
    missing = [f"{n:02d}:{i.grade_id}" for n, i in ITEMS if i.grade_id not in SOLUTIONS[n]
               or not SOLUTIONS[n][i.grade_id].code]
    assert missing == []
    assert len(_solution_lines()) > 100


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
    seen: dict[str, str] = {}
    shared = []
    for number, item in ITEMS:
        for level, text in enumerate(item.hints, 1):
            where = f"{number:02d}:{item.grade_id} level {level}"
            if _plain(text) in seen:
                shared.append((seen[_plain(text)], where))
            seen.setdefault(_plain(text), where)
    assert shared == []


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_no_level_repeats_what_the_failure_already_says(number, item):
    shown = [_plain(text) for text in _shown(item)]
    repeats = [(level, text) for level, hint in enumerate(item.hints, 1) for text in shown
               if _plain(hint) in text or (len(text) >= MIN_SHOWN and text in _plain(hint))]
    assert repeats == []


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_levels_grow_more_specific(number, item):
    plain = [_plain(text) for text in item.hints]
    stale = [(i + 1, j + 1) for j in range(len(plain)) for i in range(j)
             if plain[j] == plain[i] or plain[j] in plain[i]]
    assert stale == []


@pytest.mark.parametrize("number, item", ITEMS, ids=IDS)
def test_no_level_is_code_of_the_solution(number, item):
    solution = SOLUTIONS[number][item.grade_id]
    given = _given_expressions(solution.given)
    code = {expr for region in solution.code for expr in _code_expressions(region)
            if expr not in given}
    lines = _solution_lines()
    leaks = []
    for level, hint in enumerate(item.hints, 1):
        squeezed = _squeeze(hint)
        leaks += [(level, line) for line in lines if line in squeezed]
        leaks += [(level, expr) for expr in code if expr in squeezed]
    assert leaks == []


def _runs(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.parametrize("number, item", [(n, i) for n, i in ITEMS if _option_texts(i.grade_id)],
                         ids=[f"{n:02d}:{i.grade_id}" for n, i in ITEMS
                              if _option_texts(i.grade_id)])
def test_choice_hints_name_no_option(number, item):
    """A hint reasons about the concept: it neither quotes an option (right or wrong) nor
    shares a run of SHARED_WORDS words with one, so it cannot point at the right letter."""
    quoted = []
    for option in _option_texts(item.grade_id):
        for level, hint in enumerate(item.hints, 1):
            if _plain(option) in _plain(hint) or \
                    _runs(option, SHARED_WORDS) & _runs(hint, SHARED_WORDS):
                quoted.append((level, option))
    assert quoted == []


def test_the_code_check_catches_a_pasted_solution():
    """The rules above really bite: a hint made of solution code fails them."""
    solution = SOLUTIONS[2]["ex_tensor_basics"]
    code = {expr for region in solution.code for expr in _code_expressions(region)}
    assert "t[:,j]" in code and "t.float()/2" in code
    assert "t[:,j]" not in _given_expressions(solution.given)
    assert _code_expressions("This is prose, not code.") == set()


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
