"""Multiple-choice and ordering questions: options shuffled per student, sealed answer keys.

Each option is shown with a letter (a, b, c, ...). The order of the options depends on a stable
seed made from the student's id and the item id, so the student and the grader (which runs the
student's own notebook, with the same ``STUDENT_ID``) always see the same letters, and two
students usually see different ones. An empty id falls back to a fixed default.

The key is not stored in plain text. Every option carries a *sealed* payload: a small JSON
object (``{"ok": true}``, a rank, a hint naming the misconception, ...) XOR-ed with a keystream
derived from a salted SHA-256 of the item id and the option's own text, then base64-encoded.
Reading this package therefore shows only opaque strings, one per option, correct or not.

Limitation: this only stops casual reading. The salt is in this file, so anyone who runs
``unseal`` on every option recovers the key in a few lines of Python. That is acceptable for
self-checks; the hand-marked free-text answers remain the real assessment. To change a key or
a hint, build the new payload with ``seal(item, option, payload)`` and paste the string in.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
from collections.abc import Mapping, Sequence

from autograder.checks._common import fail

_SALT = "ch4-questionnaire-v1"
DEFAULT_STUDENT = "anonymous"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ID_NAME = "STUDENT_ID"
UNSET_ID = ("STUDENT_ID is not set: the multiple-choice and ordering options are shown in the "
            "default order, and your letters will be read under the id you set later; write "
            "your id in the STUDENT_ID cell near the top and run it before you answer")


def _keystream(item: str, option: str, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(f"{_SALT}|{item}|{option}|{counter}".encode()).digest()
        counter += 1
    return out[:length]


def seal(item: str, option: str, payload: dict) -> str:
    """The sealed form of ``payload`` for one option of one item (used to write the keys)."""
    data = json.dumps(payload, sort_keys=True).encode()
    data += b" " * (-len(data) % 256)  # equal lengths, so a short payload gives nothing away
    mixed = bytes(a ^ b for a, b in zip(data, _keystream(item, option, len(data)), strict=True))
    return base64.b64encode(mixed).decode()


def unseal(item: str, option: str, sealed: str) -> dict:
    """The payload sealed with ``seal(item, option, ...)``."""
    mixed = base64.b64decode(sealed)
    data = bytes(a ^ b for a, b in zip(mixed, _keystream(item, option, len(mixed)), strict=True))
    return json.loads(data.decode())


def digest(*parts: str) -> str:
    """A salted hash of some texts (used for accepted orderings)."""
    return hashlib.sha256("|".join((_SALT, *parts)).encode()).hexdigest()[:24]


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


def parse_letters(answer: object, count: int, name: str) -> list[str]:
    """The letters in ``answer`` ('b', 'a c', 'a,c', ['a', 'c']); fail clearly otherwise."""
    if answer is None:
        fail(f"{name} is empty: answer with the letter(s) of your choice")
    if isinstance(answer, (list, tuple)):
        if not all(isinstance(part, str) for part in answer):
            fail(f"{name} should be letters written as strings, e.g. 'b' or ['a', 'c']")
        text = "".join(answer)
    elif isinstance(answer, str):
        text = answer
    else:
        fail(f"{name} should be a letter written as a string, e.g. 'b', "
             f"not a {type(answer).__name__}")
    letters = [ch for ch in text.lower() if ch not in " ,;()[]'\"./-"]
    if not letters:
        fail(f"{name} is empty: answer with the letter(s) of your choice")
    valid = LETTERS[:count]
    for ch in letters:
        if ch not in valid:
            fail(f"{name}: '{ch}' is not one of the letters shown ({', '.join(valid)})")
    return letters


def check_single(item: str, answer: object, keyed: Mapping[str, str], student_id: object,
                 name: str) -> None:
    """One correct option: fail with that option's hint when another one is chosen."""
    options = list(keyed)
    letters = parse_letters(answer, len(options), name)
    if len(letters) != 1:
        fail(f"{name}: choose exactly one letter, not {len(letters)}")
    chosen = dict(labelled(item, options, student_id))[letters[0]]
    payload = unseal(item, chosen, keyed[chosen])
    if not payload.get("ok"):
        fail(f"({letters[0]}) is not right: {payload.get('hint', 'think again')}")


def check_multi(item: str, answer: object, keyed: Mapping[str, str], student_id: object,
                name: str) -> None:
    """Several correct options: every needed one and nothing else."""
    options = list(keyed)
    letters = parse_letters(answer, len(options), name)
    if len(set(letters)) != len(letters):
        fail(f"{name}: each letter should appear once")
    shown = dict(labelled(item, options, student_id))
    chosen = {shown[ch] for ch in letters}
    for ch in letters:
        payload = unseal(item, shown[ch], keyed[shown[ch]])
        if not payload.get("ok"):
            fail(f"({ch}) does not belong: {payload.get('hint', 'think again')}")
    missing = [text for text in options
               if text not in chosen and unseal(item, text, keyed[text]).get("ok")]
    if missing:
        fail(f"something is missing: {len(missing)} more option(s) apply")


def check_order(item: str, answer: object, keyed: Mapping[str, str], student_id: object,
                name: str, accepted: Sequence[str] = ()) -> list[str]:
    """Steps to put in order. Each step's payload holds its ``rank`` (or null when it may go
    in several places) and a ``hint``; ``accepted`` holds ``digest(item, *steps)`` of every
    valid complete order when there is more than one. Returns the steps in the given order."""
    options = list(keyed)
    letters = parse_letters(answer, len(options), name)
    shown = dict(labelled(item, options, student_id))
    if len(letters) != len(options) or len(set(letters)) != len(letters):
        fail(f"{name} should use each of the {len(options)} letters exactly once")
    steps = [shown[ch] for ch in letters]
    ranks = [unseal(item, step, keyed[step]).get("rank") for step in steps]
    ranked = [(rank, step) for rank, step in zip(ranks, steps, strict=True) if rank is not None]
    for (rank_a, step_a), (rank_b, step_b) in zip(ranked, ranked[1:], strict=False):
        if rank_a > rank_b:
            hint = unseal(item, step_a, keyed[step_a]).get("hint", "")
            fail(f"'{step_b}' should come before '{step_a}'" + (f": {hint}" if hint else ""))
    if accepted and digest(item, *steps) not in accepted:
        loose = [step for rank, step in zip(ranks, steps, strict=True) if rank is None]
        hints = [unseal(item, step, keyed[step]).get("hint", "") for step in loose]
        fail(f"'{loose[0]}' is in the wrong place" + (f": {hints[0]}" if hints[0] else "")
             if loose else "this order is not right")
    return steps
