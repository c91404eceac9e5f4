"""Multiple-choice and ordering questions: options shuffled per student.

Each option is shown with a letter (a, b, c, ...). The order of the options depends on a stable
seed made from the student's id and the item id, so the student and the grader (which runs the
student's own notebook, with the same ``STUDENT_ID``) always see the same letters, and two
students usually see different ones. An empty id falls back to a fixed default.

No key is stored here or anywhere in the package: the grader compares the texts of the options
a student's letters stand for with the reference solution's (``autograder.items.nb08``).
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Sequence

_SALT = "ch4-questionnaire-v1"  # part of the shuffle's seed: changing it moves every letter
DEFAULT_STUDENT = "anonymous"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ID_NAME = "STUDENT_ID"
UNSET_ID = ("STUDENT_ID is not set: the multiple-choice and ordering options are shown in the "
            "default order, and your letters will be read under the id you set later; write "
            "your id in the STUDENT_ID cell near the top and run it before you answer")


def _student(student_id: object) -> str:
    text = "" if student_id is None else str(student_id).strip()
    return text or DEFAULT_STUDENT


def id_is_unset(student_id: object) -> bool:
    """Whether an id falls back to the default order (None, empty or blank)."""
    return not ("" if student_id is None else str(student_id).strip())


def id_unset_in(source: str) -> bool:
    """Whether a cell leaves ``STUDENT_ID`` unset, read from its source without running it:
    the last literal it assigns before a ``raise`` (the release's stub) is blank, or there is
    none. A computed value (``os.environ[...]``) counts as set: it cannot be known here."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    value: object = None
    for node in tree.body:
        if isinstance(node, ast.Raise):
            break
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == ID_NAME
                                                for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                value = node
    return isinstance(value, str | type(None)) and id_is_unset(value)


def shuffled(item: str, options: Sequence[str], student_id: object) -> list[str]:
    """The options in this student's order (stable: a hash of id, item and option text)."""
    who = _student(student_id)
    return sorted(options, key=lambda text: hashlib.sha256(
        f"{_SALT}|order|{who}|{item}|{text}".encode()).hexdigest())


def labelled(item: str, options: Sequence[str], student_id: object) -> list[tuple[str, str]]:
    """``[(letter, option), ...]`` in this student's order."""
    return list(zip(LETTERS, shuffled(item, options, student_id), strict=False))


def letter_of(item: str, options: Sequence[str], student_id: object, text: str) -> str:
    """The letter under which this student sees the option ``text``."""
    for letter, option in labelled(item, options, student_id):
        if option == text:
            return letter
    raise KeyError(f"{item} has no option {text!r}")


def show(item: str, options: Sequence[str], student_id: object, multi: bool = False,
         ordering: bool = False) -> None:
    """Print the options with their letters."""
    for letter, option in labelled(item, options, student_id):
        print(f"  ({letter}) {option}")
    if ordering:
        print("Answer with the letters in the right order, e.g. 'cab...'.")
    elif multi:
        print("Answer with every letter that applies, e.g. 'ac'.")
    else:
        print("Answer with one letter, e.g. 'b'.")
