"""Build the notebook that is actually graded.

Start from the instructor's source, ``grading_version`` it (solutions cleared, hidden tests
kept) and copy into it ONLY the student's answer cells (solution cells, matched by grade id).
Locked cells, tests and hidden tests always come from the source. Whatever the student did to
other cells is reported, never used. Answer cells that try to reach the grader (IPython hooks,
``sys.modules`` edits, patching ``autograder``, ``torch`` or ``numpy``, frame or garbage
collector tricks) are flagged for an instructor to look at; the flag never changes a score.

Test cells are emptied: the grader judges items by probing the student's code after the
notebook has run (``probing``), so no test, check or reference code enters the kernel.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from nbformat import NotebookNode

from autograder import notebook as nbk
from autograder.release import grading_version, student_version

# (pattern, why) -- looked for in the source of answer cells
_TEXT_RULES = [
    (r"\bget_ipython\s*\(\s*\)\s*\.\s*(events|input_transformers|ast_transformers|"
     r"register_magic|set_custom_exc|run_cell|user_ns|showtraceback|ex\b)",
     "hooks into the IPython kernel"),
    (r"\bsys\s*\.\s*modules\b", "edits sys.modules"),
    (r"\b(import|from)\s+autograder\b", "imports the grader's package"),
    (r"\bautograder\s*\.\s*(checks|grading)", "touches the grader's checks"),
    (r"\b(sys\s*\.\s*_getframe|inspect\s*\.\s*(currentframe|stack)|gc\s*\.\s*get_(objects|"
     r"referrers))", "inspects the grader's frames or objects"),
    (r"\bsys\s*\.\s*(settrace|setprofile|excepthook|displayhook)\b",
     "installs interpreter hooks"),
    (r"\b(builtins|__builtins__)\b", "modifies builtins"),
    (r"\bctypes\b", "uses ctypes"),
    (r"\bos\s*\.\s*_exit\b|\bos\s*\.\s*kill\b|\bsignal\s*\.\s*signal\b",
     "kills or signals the kernel"),
    (r"\bCheckFailed\b|\bverify_untouched\b|\bexpect_close\b", "refers to the check machinery"),
    (r"\bimportlib\b", "reloads modules"),
    (r"\b__(import|dict|subclasses|globals|code|closure|bases?|mro|loader|spec|getattribute)__\b",
     "uses interpreter internals"),
    (r"\b(globals|vars|locals)\s*\(", "edits namespaces"),
    (r"_ch4", "refers to the grader's guard"),
]
_PATCH_TARGETS = ("torch", "numpy", "np", "autograder", "builtins", "fastai", "math", "sys",
                  "IPython", "unittest", "pytest")


@dataclass
class Assembled:
    """The notebook to run and what was noticed while building it."""

    nb: NotebookNode | None
    problems: list[str] = field(default_factory=list)      # cell-level notes for the student
    flags: dict[str, list[str]] = field(default_factory=dict)  # answer id -> tamper reasons
    invalid: str | None = None                              # the submission cannot be graded
    blank_answers: set[str] = field(default_factory=set)    # free-text answers left empty


def _patches(tree: ast.AST) -> list[str]:
    reasons = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                root = target
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in _PATCH_TARGETS:
                    reasons.append(f"patches {ast.unparse(target)}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("setattr", "delattr") and node.args:
            first = node.args[0]
            while isinstance(first, ast.Attribute):
                first = first.value
            if isinstance(first, ast.Name) and first.id in _PATCH_TARGETS:
                reasons.append(f"patches {ast.unparse(node.args[0])} with {node.func.id}")
        if isinstance(node, ast.Global):
            pass
    return reasons


def tamper_reasons(source: str) -> list[str]:
    """Why an answer cell's code looks like an attempt to reach the grader ([] if clean)."""
    reasons = [why for pattern, why in _TEXT_RULES if re.search(pattern, source)]
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = None
    if tree is not None:
        reasons += _patches(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("__eq__", "__ne__",
                                                                  "__bool__", "__array__"):
                reasons.append(f"defines {node.name} (look-alike object)")
            if isinstance(node, ast.Name) and node.id in ("exec", "eval", "compile"):
                reasons.append(f"uses {node.id}")
    seen: list[str] = []
    for reason in reasons:
        if reason not in seen:
            seen.append(reason)
    return seen


def _is_blank_text(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped == "YOUR ANSWER HERE"


def _kind(cell: dict) -> str:
    return cell.get("cell_type", "?")


def _take_answer(cell: NotebookNode, theirs: list[dict], result: Assembled) -> None:
    """Copy the student's answer (the first cell with its id) into the harness ``cell``,
    noting a deleted, repeated or retyped answer, a blank text and tamper flags."""
    gid = nbk.grade_id(cell)
    if not theirs:
        result.problems.append(f"{gid}: answer cell deleted (graded as unanswered)")
        if cell.cell_type == "markdown":
            result.blank_answers.add(gid)
        return
    if len(theirs) > 1:
        result.problems.append(f"{gid}: answer cell appears {len(theirs)} times; "
                               "the first one is graded")
    mine = theirs[0]
    if _kind(mine) != cell.cell_type:
        result.problems.append(f"{gid}: answer cell changed from {cell.cell_type} to "
                               f"{_kind(mine)} (graded as unanswered)")
        if cell.cell_type == "markdown":
            result.blank_answers.add(gid)
        return
    cell.source = mine.get("source", "")
    if cell.cell_type == "markdown" and _is_blank_text(cell.source):
        result.blank_answers.add(gid)
    if cell.cell_type == "code":
        reasons = tamper_reasons(cell.source)
        if reasons:
            result.flags[gid] = reasons


def _note_locked(gid: str, theirs: list[dict], expected: NotebookNode | None,
                 result: Assembled) -> None:
    """Note what the student did to a locked cell (the source's copy is used anyway)."""
    if not theirs:
        result.problems.append(f"{gid}: locked cell deleted (restored from the source)")
    elif len(theirs) > 1:
        result.problems.append(f"{gid}: locked cell duplicated (restored from the source)")
    elif expected is not None and (
            _kind(theirs[0]) != expected.cell_type
            or theirs[0].get("source", "").strip() != expected.source.strip()):
        result.problems.append(f"{gid}: locked cell edited (restored from the source)")


def assemble(source: NotebookNode, submitted: NotebookNode) -> Assembled:
    """The graded notebook: source harness + the student's answer cells; test cells are
    emptied (the grader's probes run after the notebook, and no test code enters the kernel)."""
    harness = grading_version(source)
    release = student_version(source)
    released = {nbk.grade_id(c): c for c in release.cells if nbk.grade_id(c)}
    result = Assembled(None)
    by_id: dict[str, list[dict]] = {}
    for cell in submitted.cells:
        gid = nbk.grade_id(cell)
        if gid:
            by_id.setdefault(gid, []).append(cell)
    for cell in harness.cells:
        gid = nbk.grade_id(cell)
        if gid and nbk.is_solution(cell):
            _take_answer(cell, by_id.get(gid, []), result)
        elif gid:
            _note_locked(gid, by_id.get(gid, []), released.get(gid), result)
    extra = sum(1 for c in submitted.cells if not nbk.grade_id(c))
    ours = sum(1 for c in release.cells if not nbk.grade_id(c))
    if extra > ours:
        result.problems.append(f"{extra - ours} cell(s) added outside the answer cells were "
                               "ignored (only answer cells are graded)")
    for cell in harness.cells:
        if nbk.is_autograded_test(cell):
            cell.source = ""
    result.nb = harness
    return result


def answer_before(nb: NotebookNode) -> dict[str, list[str]]:
    """For every test cell id, the answer ids that run before it (in notebook order)."""
    seen: list[str] = []
    out: dict[str, list[str]] = {}
    for cell in nb.cells:
        gid = nbk.grade_id(cell)
        if not gid:
            continue
        if nbk.is_solution(cell) and cell.cell_type == "code":
            seen.append(gid)
        elif nbk.is_autograded_test(cell):
            out[gid] = list(seen)
    return out

