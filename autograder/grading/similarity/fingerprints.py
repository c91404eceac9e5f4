"""Fingerprints of an answer and how much one weighs in a class.

Code is fingerprinted with ``copydetect`` (MIT, on PyPI; pure Python on top of pygments and
numpy): its filter turns every identifier into ``V``/``F``/``O``, drops comments and layout, and
winnows character k-grams of the result. Renaming, reformatting and comments therefore do not
hide a copy, and because fingerprints are compared as sets, reordered functions do not either.
We use its filter, winnowing and offset map (with a hash that is stable across processes, so
reruns agree) rather than its whole-directory detector, because cells are compared item by item
and weighed against the class. Free-text answers are shingles of two content words (function
words dropped, a plural "s" trimmed), so that swapping small words or clause order does not
hide copied prose.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from autograder.grading.similarity.model import CODE_K, CODE_WINDOW, TEXT_K, Answer, Doc


def stable_hash(text: str) -> int:
    """A 48-bit hash that is the same in every process (Python's ``hash`` of a str is salted
    per process, which would make winnowing pick different fingerprints from run to run)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=6).digest(), "big")


def _code_doc(answer: Answer) -> Doc | None:
    from copydetect.utils import filter_code, winnow

    filtered, offsets = filter_code(answer.own, "answer.py", "python")
    if len(filtered) < CODE_K:
        return None
    hashes = np.array([stable_hash(filtered[i:i + CODE_K])
                       for i in range(len(filtered) - CODE_K + 1)], dtype=np.int64)
    selected, where = winnow(hashes, CODE_WINDOW, remove_duplicates=False)
    grams: dict[int, list[int]] = {}
    for h, i in zip(selected.tolist(), where.tolist(), strict=True):
        if i not in grams.setdefault(h, []):
            grams[h].append(i)
    positions = np.arange(len(filtered) + 1)
    if len(offsets):
        shift = offsets[:, 1][np.clip(np.searchsorted(offsets[:, 0], positions), 0,
                                      offsets.shape[0] - 1)]
    else:
        shift = np.zeros_like(positions)
    raw = positions + shift
    return Doc(answer, grams, CODE_K, raw[:-1], raw[1:])


_WORD = re.compile(r"[A-Za-z0-9_]+(?:'[A-Za-z]+)?")
# function words: swapping or dropping them is the cheapest way to disguise copied prose
STOP_WORDS = frozenset("""a an the and or but so as of to in on at by for with from into onto
is are was were be been being it its this that these those there here then than thus we i you
he she they them our my your their me us one each every some any all plus also just very too
has have had do does did can could will would should may might must not no yes if when while
which who whom what where how why""".split())


def _text_doc(answer: Answer) -> Doc | None:
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(answer.own)]
    words = [(w[:-1] if len(w) > 3 and w.endswith("s") else w, s, e) for w, s, e in words
             if w not in STOP_WORDS]
    if len(words) < TEXT_K:
        return None
    grams: dict[int, list[int]] = {}
    for i in range(len(words) - TEXT_K + 1):
        key = stable_hash(" ".join(w for w, _, _ in words[i:i + TEXT_K]))
        grams.setdefault(key, []).append(i)
    return Doc(answer, grams, TEXT_K, np.array([s for _, s, _ in words]),
               np.array([e for _, _, e in words]))


def fingerprint(answer: Answer) -> Doc | None:
    """The answer's fingerprints, or None when its own part is too short to hold one."""
    return _code_doc(answer) if answer.kind == "code" else _text_doc(answer)


def rarity(df: int, students: int) -> float:
    """Weight of a fingerprint held by ``df`` students: 1 when at most a pair has it, 1/(df-1)
    beyond (a style ten students share weighs a ninth); nothing when the whole class has it."""
    if df <= 2:
        return 1.0
    return 0.0 if df >= students else 1.0 / (df - 1)


