"""A generated class for the similarity hints: honest students plus planted copies.

Honest code answers start from the correct alternatives of notebook 05
(tests/corpus/correct/nb05.py) and the reference solution, one style drawn per item, then get
the small personal touches real students add (a temporary variable before ``return``, an input
check, a debug line, a comment, their own names). Honest free-text answers to four questionnaire
items are assembled from phrase choices, so students share the domain words but not whole
sentences. The planted copies take one honest student's notebook at three levels: verbatim,
renamed and reformatted, and reordered with dead code added. In ring mode two copy rings are
added as well: three and four students who all hand in one honest student's answers (both
notebooks), each member disguised differently.
"""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder import notebook as nbk
from corpus.correct.nb05 import CORRECT as NB05

REPO = Path(__file__).resolve().parents[2]
CODE_NB = "05_minibatches_and_training_loop"
TEXT_NB = "08_questionnaire"
LEVELS = ("verbatim", "renamed_reformatted", "reordered_dead_code")


@dataclass(frozen=True)
class Planted:
    """A copy planted in the class: ``copier`` took ``original``'s answers in ``notebook``."""

    notebook: str
    kind: str
    copier: str
    original: str
    level: str


def _solution_cells(notebook: str) -> dict[str, str]:
    nb = nbk.read(REPO / "solutions" / f"{notebook}.ipynb")
    out = {}
    for cell in nb.cells:
        if nbk.is_solution(cell) and cell.cell_type == "code" and nbk.grade_id(cell):
            lines = [line for line in cell.source.splitlines() if "### " not in line]
            out[nbk.grade_id(cell)] = "\n".join(lines)
    return out


def code_styles() -> dict[str, list[str]]:
    """Correct answers of notebook 05 by answer cell: the reference and its alternatives."""
    styles: dict[str, list[str]] = {k: [v] for k, v in _solution_cells(CODE_NB).items()}
    for cell, _, _, source in NB05:
        styles.setdefault(cell, []).append(source.strip("\n"))
    return styles


_PERSONAL = [  # {n}: a number of the student's own choosing
    "assert {a} is not None",
    "assert len({a}) > {n}",
    "if {a} is None:\n{i}    raise ValueError('no input given')",
    "print('debug', {a})",
    "print({a}.shape[{n}])",
    "checked = {n}",
    "started = time.time()",
    "n_seen = [{n}] * {n}",
    "for _ in range({n}):\n{i}    pass",
    "limit = {n} * 10 + 1",
    "torch.set_printoptions(precision={n})",
    "warnings.simplefilter('ignore')",
    "log = []",
    "if {n} > 100:\n{i}    print('never happens')",
    "_step = {n} // 2",
    "verbose = {n} == 1",
]
_TEMP_NAMES = ["result", "out", "answer", "value", "res", "ret"]


def _first_arg(source: str) -> str:
    match = re.search(r"def \w+\((\w+)", source)
    return match.group(1) if match else "x"


def honest_touches(source: str, rng: random.Random) -> str:
    """The small personal differences an honest student's version of a style has."""
    lines = source.splitlines()
    out = []
    arg = _first_arg(source)
    for line in lines:
        indent = line[: len(line) - len(line.lstrip())]
        stripped = line.strip()
        if stripped.startswith("return ") and indent and rng.random() < 0.5:
            name = rng.choice(_TEMP_NAMES)
            out += [f"{indent}{name} = {stripped[len('return '):]}", f"{indent}return {name}"]
            continue
        out.append(line)
        if stripped.startswith("def ") and stripped.endswith(":"):
            inner = indent + "    "
            for template in rng.sample(_PERSONAL, rng.choice([1, 1, 2])):
                out.append(inner + template.format(a=arg, i=inner, n=rng.randint(0, 9)))
            if rng.random() < 0.5:
                out.append(inner + rng.choice(["# my version", "# worked this out in class",
                                               "# see the book, section on SGD"]))
    return "\n".join(out)


# ---------------------------------------------------------------- free text

_TEXT_PARTS = {
    "q03_free": [
        ["We average", "I take the mean of", "The baseline averages", "First compute the mean of",
         "Average together"],
        ["every training 3 and every training 7", "all the threes and all the sevens",
         "the 3 images and separately the 7 images", "each class's training pictures"],
        ["into an ideal digit per class.", "to get a typical image for each digit.",
         "pixel by pixel, giving two template images.", "so each digit gets a reference picture."],
        ["A new image is labelled by whichever template is closer,",
         "Then an unknown image goes to the nearest mean,",
         "To predict, compare the image with both averages",
         "Classification picks the class whose average differs least,"],
        ["using the mean absolute or squared difference.", "measured with L1 or RMSE distance.",
         "by pixel distance.", "with an L1 norm over the pixels."],
        ["No parameters are learned.", "It is only a baseline.", "There is no training at all.",
         "It gives a number any real model must beat.", ""],
    ],
    "q10_free": [
        ["Broadcasting lets", "With broadcasting PyTorch allows", "Broadcasting is when",
         "Thanks to broadcasting,"],
        ["tensors of different shapes", "a small tensor and a bigger one",
         "operands with mismatched ranks", "two arrays whose sizes differ"],
        ["to be combined element by element;", "to be added or subtracted directly;",
         "to work together in one operation;", "to meet in arithmetic;"],
        ["the smaller one is treated as if repeated along the missing axes",
         "missing dimensions are expanded virtually",
         "axes of size one are stretched to match",
         "shapes are aligned from the right and size-1 axes repeat"],
        ["without copying memory.", "but no data is actually duplicated.",
         "and it all runs in C, fast.", "so no loop is needed."],
    ],
    "q17_free": [
        ["If the learning rate is too high", "With a huge step size", "A learning rate that is "
         "too large", "When lr is set too big"],
        ["the update jumps past the minimum", "each step overshoots the bottom of the loss",
         "the parameters leap over the valley", "we move much further than the slope justifies"],
        ["and the loss bounces around", "so the loss oscillates", "and the loss may blow up",
         "so training diverges"],
        ["instead of going down.", "rather than shrinking.", "and never settles.",
         "and the model learns nothing useful."],
    ],
    "q23_free": [
        ["Each weight is moved", "For every parameter we step", "The optimiser updates weights",
         "We change each parameter"],
        ["against its gradient,", "opposite to the gradient direction,",
         "by minus the gradient", "downhill along the gradient,"],
        ["scaled by the learning rate,", "times lr,", "multiplied by a small step size,",
         "weighted by the learning rate,"],
        ["inside no_grad so autograd does not record it,",
         "using .data so the step is not tracked,", "outside of the autograd graph,", ""],
        ["then the gradients are zeroed.", "and afterwards grad is reset to zero.",
         "then we clear the gradients for the next batch.",
         "and the old gradients are set to None."],
    ],
}
_PERSONAL_TEXT = ["In my notebook this took a while to see.", "I checked this on a small example.",
                  "This matches what the chapter shows.", "I think this is the key idea here.",
                  "My plot made it clear.", ""]


def honest_text(cell: str, rng: random.Random) -> str:
    words = [rng.choice(options) for options in _TEXT_PARTS[cell]]
    if rng.random() < 0.5:
        words.append(rng.choice(_PERSONAL_TEXT))
    return " ".join(w for w in words if w)


# ---------------------------------------------------------------- copies

_RENAMES = {"xb": "inputs", "yb": "labels", "p": "w", "total": "acc_sum", "count": "n_batches",
            "accs": "scores", "preds": "predictions", "loss": "objective", "opt": "optimiser",
            "lr": "rate", "params": "weights", "model": "net", "right": "hits", "probs": "prob",
            "dl": "train_loader", "valid_dl": "valid_loader", "loaders": "both", "result": "r",
            "out": "o", "answer": "ans", "value": "val", "res": "rr", "ret": "rv", "arg": "a0"}


def rename(source: str) -> str:
    """Rename identifiers (not attributes) the way a copier hides a copy."""
    def swap(match: re.Match) -> str:
        return _RENAMES.get(match.group(0), match.group(0))
    return re.sub(r"(?<![.\w])[A-Za-z_]\w*", swap, source)


def reformat(source: str) -> str:
    """Reformat: ast round trip (layout, quotes, parentheses), two-space indents, comments."""
    try:
        text = ast.unparse(ast.parse(source))
    except SyntaxError:
        return source
    lines = []
    for line in text.splitlines():
        body = line.lstrip(" ")
        depth = (len(line) - len(body)) // 4
        lines.append("  " * depth + body)
        if body.startswith("def "):
            lines.append("  " * (depth + 1) + "# compute it step by step")
    return "\n".join(lines)


_DEAD = ("def _helper_unused(values):\n    total_unused = 0\n    for v in values:\n"
         "        total_unused += v * 2\n    return total_unused\n")


# other copiers' dead code: a helper and the statements put at the top of every function
_RING_DEAD = [
    ("def _spare(items):\n    seen = {}\n    while items:\n        seen[len(seen)] = items.pop()"
     "\n    return seen\n", "debug_mode = 0\nwhile debug_mode:\n    debug_mode -= 1"),
    ("class _Unused:\n    def __init__(self, size):\n        self.size = size or 1\n"
     "    def area(self):\n        return self.size ** 2\n",
     "try:\n    _tmp = None\nexcept Exception:\n    _tmp = ()"),
    ("def _never_called(a, b=3):\n    if a > b:\n        return [a] * b\n    return {'a': a}\n",
     "assert True, 'sanity'\n_ = [i for i in range(0)]"),
    ("import math as _m\n\ndef _area(r):\n    return _m.pi * r * r\n",
     "with open(__file__) as _fh:\n    pass"),
]


def reorder_with_dead_code(source: str, dead: tuple[str, str] | None = None) -> str:
    """Top-level definitions reversed, an unused helper and dead statements added (``dead``:
    another helper and statements than the default ones)."""
    helper, lines = dead or (_DEAD, "unused_flag = False\nif unused_flag:\n    print('never')")
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return helper + "\n" + source
    imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    rest = [s for s in tree.body if s not in imports]
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            node.body = [*ast.parse(lines).body, *node.body]
    tree.body = imports + list(reversed(rest))
    return helper + "\n" + ast.unparse(tree)


def copy_text(source: str, level: str, rng: random.Random,
              padding: tuple[str, str] = ("To be honest I found this hard.",
                                          "That is my understanding after reading the chapter "
                                          "twice.")) -> str:
    if level == "verbatim":
        return source
    sentences = re.split(r"(?<=[.;,])\s+", source)
    if level == "renamed_reformatted":       # a few words swapped, case and punctuation changed
        swaps = {"the": "each", "is": "gets", "a": "one", "and": "plus", "to": "so as to"}
        return " ".join(swaps.get(w, w) for w in source.lower().split())
    rng.shuffle(sentences)                   # reordered, padding added
    return f"{padding[0]} {' '.join(sentences)} {padding[1]}"


def copy_code(source: str, level: str) -> str:
    if level == "verbatim":
        return source
    if level == "renamed_reformatted":
        return reformat(rename(source))
    return reorder_with_dead_code(rename(source))


# ---------------------------------------------------------------- the class


@dataclass(frozen=True)
class Ring:
    """A copy ring: ``members`` (the original first) hand in one answer, each disguised."""

    notebook: str
    kind: str
    members: tuple[str, ...]


# how the copiers of a ring disguise the original, one level per copier (code and free text)
RING_DISGUISES = ("renamed_reformatted", "reordered_dead_code", "all")
_RING_PADDING = [("I went over this with the lecture slides.", "So that is how I see it."),
                 ("This part took me some time.", "I hope this answers the question."),
                 ("Short version below.", "Happy to discuss this in the lab."),
                 ("Here is what I understood.", "Worked it out with pen and paper.")]


def ring_copy(source: str, kind: str, disguise: str, rng: random.Random, own: int) -> str:
    """A ring member's disguised copy, with dead code or padding of its own (``own`` picks
    them; ``all``: renamed, reformatted and commented, reordered, dead code, padding)."""
    dead, padding = _RING_DEAD[own % len(_RING_DEAD)], _RING_PADDING[own % len(_RING_PADDING)]
    if kind == "code":
        if disguise == "renamed_reformatted":
            return copy_code(source, disguise)
        if disguise == "all":
            return reorder_with_dead_code(reformat(rename(source)), dead)
        return reorder_with_dead_code(rename(source), dead)
    if disguise == "renamed_reformatted":
        return copy_text(source, disguise, rng)
    if disguise == "all":
        return copy_text(copy_text(source, "renamed_reformatted", rng), "reordered_dead_code",
                         rng, padding)
    return copy_text(source, disguise, rng, padding)


@dataclass
class ClassCorpus:
    """answers[student][notebook][answer cell] = source; the planted copies and rings."""

    answers: dict[str, dict[str, dict[str, str]]]
    planted: list[Planted]
    rings: list[Ring] = field(default_factory=list)

    def planted_pairs(self) -> set[tuple[str, str, str, str]]:
        return {(p.notebook, p.kind, *sorted((p.copier, p.original))) for p in self.planted}


def _common_answers(styles: dict[str, list[str]], rng: random.Random) -> dict[str, dict[str, str]]:
    """The same short correct answers that half of a "common-answer" class hands in: the
    reference code of every cell, bare, and one free-text answer per question."""
    return {CODE_NB: {cell: options[0] for cell, options in sorted(styles.items())},
            TEXT_NB: {cell: honest_text(cell, rng) for cell in sorted(_TEXT_PARTS)}}


def _add_rings(answers: dict[str, dict[str, dict[str, str]]], originals: tuple[str, ...],
               rng: random.Random) -> list[Ring]:
    """A ring of 3 and a ring of 4 around ``originals``: every copier hands in the original's
    answers to both notebooks, each disguised another way (``RING_DISGUISES``)."""
    rings = []
    for size, original in zip((3, 4), originals, strict=True):
        members = [original]
        for n in range(size - 1):
            copier = f"ring{size}_{chr(ord('a') + n)}"
            disguise = RING_DISGUISES[n % len(RING_DISGUISES)]
            answers[copier] = {
                nb: {cell: ring_copy(src, kind, disguise, rng, len(rings) + n)
                     for cell, src in answers[original][nb].items()}
                for nb, kind in ((CODE_NB, "code"), (TEXT_NB, "text"))}
            members.append(copier)
        rings += [Ring(CODE_NB, "code", tuple(members)), Ring(TEXT_NB, "text", tuple(members))]
    return rings


def make_class(honest: int = 40, seed: int = 4, touches: bool = True,
               common: bool = False, rings: bool = False) -> ClassCorpus:
    """``honest`` students and six copiers (three levels, code and free text). Without
    ``touches`` honest code is the bare styles: a stress case where students who pick the same
    style for every item write identical code. With ``common`` every even-numbered honest
    student hands in the same answers (the reference code, one shared text); the copies are
    taken from odd-numbered students, whose answers are their own. With ``rings`` a ring of 3
    and a ring of 4 copy two more odd-numbered students (s013, s015)."""
    rng = random.Random(seed)
    styles = code_styles()
    answers: dict[str, dict[str, dict[str, str]]] = {}

    def fresh() -> dict[str, dict[str, str]]:
        code = {cell: honest_touches(choice, rng) if touches else choice
                for cell, options in sorted(styles.items())
                for choice in [rng.choice(options)]}
        text = {cell: honest_text(cell, rng) for cell in sorted(_TEXT_PARTS)}
        return {CODE_NB: code, TEXT_NB: text}

    shared = _common_answers(styles, rng) if common else None
    for i in range(honest):
        answers[f"s{i:03d}"] = fresh()
        if shared is not None and i % 2 == 0:
            answers[f"s{i:03d}"] = {nb: dict(cells) for nb, cells in shared.items()}
    code_from, text_from = ((1, 5, 7), (3, 9, 11)) if common else ((1, 4, 7), (20, 23, 26))
    planted = []
    for n, level in enumerate(LEVELS):
        original = f"s{code_from[n]:03d}"
        copier = f"copy_code_{level}"
        answers[copier] = fresh()
        answers[copier][CODE_NB] = {cell: copy_code(src, level)
                                    for cell, src in answers[original][CODE_NB].items()}
        planted.append(Planted(CODE_NB, "code", copier, original, level))
        original = f"s{text_from[n]:03d}"
        copier = f"copy_text_{level}"
        answers[copier] = fresh()
        answers[copier][TEXT_NB] = {cell: copy_text(src, level, rng)
                                    for cell, src in answers[original][TEXT_NB].items()}
        planted.append(Planted(TEXT_NB, "text", copier, original, level))
    ring_list = _add_rings(answers, ("s013", "s015"), rng) if rings else []
    return ClassCorpus(answers, planted, ring_list)


def class_answers(corpus: ClassCorpus) -> list:
    """The corpus as the similarity module's answers, starter code taken from the release."""
    from autograder.grading import similarity as sim

    out = []
    for notebook in (CODE_NB, TEXT_NB):
        source = REPO / "solutions" / f"{notebook}.ipynb"
        starters, kinds = sim.starter_cells(source), sim.cell_kinds(source)
        for student, notebooks in sorted(corpus.answers.items()):
            if notebook in notebooks:
                out += sim.answers_of(student, notebook, notebooks[notebook], starters, kinds)
    return out
