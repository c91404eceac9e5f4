"""``docs/questionnaire.md``, written from the questionnaire's item specs and its solution
notebook, so that the page cannot drift from what is graded (``ch4 docs`` writes it,
``ch4 docs --check`` compares; a test compares the committed file).

What each item asks comes from the notebook's own words (the question and its "Autograded
part"), what is checked from the spec (``autograder/items/nb08.py``): its kind, the names it
tests, how many public and hidden probes it runs, the construct read from the answer's source.
The prose around them describes the machinery and changes only when that does.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

from autograder import notebook as nbk
from autograder.items.spec import Item, NotebookSpec

REPO = Path(__file__).resolve().parent.parent
SOLUTION = REPO / "solutions" / "08_questionnaire.ipynb"
PAGE = REPO / "docs" / "questionnaire.md"
_TITLE = re.compile(r"^## Question (\d+) \((.+)\)$", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_KIND = re.compile(r"\((.+)\)$")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def questions(nb) -> dict[str, tuple[str, str]]:
    """grade id -> (the question, what its autograded part asks), from the notebook's
    "## Question N (kind)" cells."""
    out = {}
    for cell in nb.cells:
        match = _TITLE.match(cell.source) if cell.cell_type == "markdown" else None
        if match is None:
            continue
        body = cell.source[match.end():]
        bold = _BOLD.search(body)
        question = _one_line(bold.group(1)) if bold else ""
        rest = body[bold.end():] if bold else body
        start = rest.find("Autograded part:")
        asked = rest[start:] if start >= 0 else rest
        out[f"q{int(match.group(1)):02d}"] = (question, asked.strip())
    return out


def recap_terms(nb) -> list[str]:
    """The terms of the notebook's Jargon Recap (its bold lead-ins), in order."""
    cells = [c for c in nb.cells if str(c.get("id", "")).startswith("jargon-recap")]
    return [_one_line(m.group(1)).rstrip(".") for c in cells
            for m in re.finditer(r"^\*\*(.+?)\*\*", c.source, re.M)
            if not m.group(1).startswith("The recap")]


def kind_of(item: Item) -> str:
    match = _KIND.search(item.display)
    return match.group(1) if match else "?"


def _checks(item: Item) -> str:
    public, hidden = len(item.public), len(item.hidden_probes("docs"))
    text = f"{public} public probe{'s' * (public != 1)}"
    return text + (f" and {hidden} hidden one{'s' * (hidden != 1)}" if hidden else
                   ", no hidden one")


def _options(item: Item) -> str:
    if item.choices is None:
        return ""
    return f"{len(item.choices.options)} options, shuffled per student"


def item_section(item: Item, question: str, asked: str) -> str:
    """One item: the notebook's question and autograded part, then what the spec checks."""
    names = ", ".join(f"`{name}`" for name in item.names)
    lines = [f"### {item.grade_id}: {item.display}", "", f"**{question}**", "", asked, "",
             f"- answer: {names}; checked by {_checks(item)}"]
    options = _options(item)
    if options:
        lines.append(f"- {options}; graded by the option's text, not its letter")
    if item.source_rule is not None:
        doc = _one_line((item.source_rule.__doc__ or "").split(":", 1)[-1]).replace("``", "`")
        lines.append(f"- read from the answer's source in the submitted notebook: {doc}")
    return "\n".join(lines)


def questionnaire_page(spec: NotebookSpec | None = None, nb=None) -> str:
    """The text of ``docs/questionnaire.md``."""
    if spec is None:
        from autograder.items.nb08 import SPEC as spec
    nb = nb if nb is not None else nbk.read(SOLUTION)
    asked = questions(nb)
    total = len(spec.items)
    kinds = Counter(kind_of(item) for item in spec.items)
    count = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    table = ["| item | kind | the question, as the notebook asks it |", "|---|---|---|"]
    table += [f"| {item.grade_id} | {kind_of(item)} | {asked.get(item.grade_id, ('', ''))[0]} |"
              for item in spec.items]
    sections = [item_section(item, *asked.get(item.grade_id, ("", ""))) for item in spec.items]
    terms = ", ".join(recap_terms(nb))
    return "\n".join([
        HEADER.format(total=total, points=2 * total),
        "## The Jargon Recap\n",
        textwrap.fill(_one_line(RECAP.format(terms=terms, total=total)), 96) + "\n",
        f"## The {total} items\n",
        f"In total: {count}.\n",
        *table, "",
        "## Item by item\n",
        "\n\n".join(sections), "",
        JUDGING.strip(), ""])


def main(check: bool = False, page: Path = PAGE) -> int:
    """Write the page (or, with ``check``, say whether the committed one is current)."""
    text = questionnaire_page()
    if check:
        current = page.read_text(encoding="utf-8") if page.exists() else ""
        if current != text:
            print(f"{page} is out of date: run `ch4 docs` and commit it")
            return 1
        print(f"{page} is up to date")
        return 0
    page.write_text(text, encoding="utf-8")
    print(f"wrote {page}")
    return 0


HEADER = """# Questionnaire notebook (`08_questionnaire`)

<!-- Generated by `ch4 docs` (autograder/docs.py) from autograder/items/nb08.py and
solutions/08_questionnaire.ipynb: edit those, then run `ch4 docs`. -->

The chapter ends with {total} questions. `solutions/08_questionnaire.ipynb` asks each of them in
our own words, one section per item, and `course/08_questionnaire.ipynb` is the student release
generated from it by `ch4 release`.

## What each item contains

| cell (grade id) | what it is | points | graded by |
|---|---|---|---|
| `qNN_answer` | the autograded answer (code between `### BEGIN/END SOLUTION`) | – | – |
| `qNN` | locked grade cell: `SPEC.check("qNN")` | 1 | probes (hidden ones at grading) |
| `qNN_free` | written answer in the student's words (a model answer here) | 1 | an instructor |
| `qNN_scheme` | task cell: key points between `### BEGIN/END MARK SCHEME` | 0 | – (not released) |

The second code cell, `STUDENT_ID` (grade id `student_id`), is an answer cell worth no points:
the student's id is carried into grading like any answer. While it is blank, every check cell of
the notebook and `ch4 check` print a warning (the options are then shown in the default order).

So the notebook is worth {points} points: {total} autograded, {total} marked by hand. Every item
tests the idea behind its question rather than a wording, fails with a message that names the
property to look at, and depends on no other item: an exception in one answer costs that item
only. An empty answer (`None`, `""`, `[]`, `()`) or the untouched stub never scores. Answers
that are values rather than functions start from `qNN_answer = None` above the student's code;
a probe that finds `None` there raises `NotImplementedError`, so an untouched item reads "not
attempted yet", like an untouched function, instead of a `NameError`.
"""

RECAP = """
The notebook ends with the chapter's Jargon Recap as an ungraded self-check: a prompt per term, to
answer in one's own words before opening a box with ours, and the questions that use the
term. Terms: {terms}. It is not graded because the {total} items already exercise every term
on something to compute, and a graded recap would only test recall of definitions; keeping the
item count also keeps gradebooks and LMS exports of classes already collected valid.
"""

JUDGING = """
## How the items are judged

Every item is an `Item` of `autograder/items/nb08.py`; the student's kernel only sends data
back (the probes' values) and the grader compares it with what the solution sent on the same
probes (`ch4 check` runs the public probes against recorded values; `ch4 grade` runs public and
hidden probes against the reference, out of process).

- **code**: the function is called on probe inputs, public ones and hidden ones drawn from a
  seed only the grader knows (edge cases: one image, empty lists, whole-number inputs, repeated
  calls, ...). Callables the function needs (a model that memorised its training set for q11,
  the loss for q30, a stand-in with fastai's `Learner` signature for q32, the train/validate
  callbacks of q33) are built by the probe's setup from library code, never from a solution.
- **computation**: the value is canonicalised in the kernel so every correct form sends the
  same data, and compared against a sealed public value (only its form ships in
  `autograder/items/expected/`). Where many answers are right, the kernel sends raw values and
  the grader measures the property (`Probe.measure`): how far 30 steps with the student's
  learning rate end up (q17), the shape, tracking and spread of fresh weights (q15), what four
  passes over a loader gave (q24).
- **plot** (q21, q34): the plotted points come back raw; the grader checks that they span the
  asked range and compares the curve's values on a grid.
- **a construct the question asks for** (a list comprehension, the rank from the shape,
  `view`): read from the answer cell's source in the submitted notebook (`Item.source_rule`),
  never from the kernel: the last answer cell that defines the item's names, its definitions
  only (a test loop under them does not count). The message says what is asked for, not the
  code. The check cell reads the same rule from the cells run in the kernel, as feedback.

## Multiple choice and ordering

- The options are shuffled per student by a stable seed: a hash of `STUDENT_ID`, the item id and
  the option text (`autograder/checks/choice.py`; `show_choices` prints them). An empty id falls
  back to a fixed default, which is what the solution notebook uses.
- The items are graded by the OPTION chosen, not by the letter: the probe turns the letters into
  the option texts in the kernel, with the notebook's own `STUDENT_ID`, and the grader compares
  those texts with the reference's. For q25 (one SGD epoch) every valid place for zeroing the
  gradients gives the same data.
- Neither length nor wording gives the answer away: the correct option is never the longest
  nor the shortest, and absolute words ("always", "never", "only", ...) are at least as common
  in correct options as in wrong ones, with no item answerable by them alone
  (`tests/test_questionnaire.py` measures both).
- The option texts are declared with their items in `autograder/items/nb08.py`
  (`Item.choices`, in alphabetical order) and nothing marks the right one: the key is the
  solution notebook's answer, inside a `### BEGIN SOLUTION` region, which the release removes,
  so neither the package nor `course/08_questionnaire.ipynb` contains it.

## Wrong answers

`tests/mutants/questionnaire.py` holds at least two realistic wrong answers per item, taken
from the misconceptions a grader looks for (a `for` loop where a comprehension is asked, `ndim`
where the rank is to be computed, `reshape` where `view` is asked, accuracy on the training set,
a step before the gradient, gradients not zeroed, ...). Each one is graded through `ch4 grade`
(tests/corpus/grade_cases.py) and must lose its item; the correct alternatives in
`tests/corpus/correct/nb08.py` must keep it.

## `ch4 check`

`ch4 check course/08_questionnaire.ipynb` (or `--json`) runs the notebook in a fresh kernel with
the hidden tests stripped, prints `Questionnaire: N/M (autograded)` with a warning while
`STUDENT_ID` is blank and one line per failed item, and says that hidden tests and hand-marked
answers are not included. The solution scores full marks and the untouched release 0. Warnings
and text on stderr never cost a point.
"""
