"""The typed values of the similarity hints: answers, fingerprints, pairs, clusters, findings.

Shared by every other module of the package; it imports none of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from autograder.grading.collect import safe_id
from autograder.grading.layout import SIMILARITY

CODE_K = 20            # filtered characters per fingerprint (copydetect's noise threshold)
CODE_WINDOW = 2        # winnowing window (guarantee threshold = K + window - 1)
TEXT_K = 2             # words per shingle
THRESHOLD = 0.4        # exclusive share (scoring.py): one side's answer beyond the class
MIN_MATCHED = {"code": 40.0, "text": 8.0}   # rarity-weighted units (filtered chars / words)
CLUSTER_MIN = 3        # students with one answer in common that form a cluster, not pairs
CLUSTER_JACCARD = 0.8  # fingerprint overlap at which two answers count as the same answer
RARE_FRACTION = 0.15   # a group of at most this part of the class shares something rare ...
RING_MIN = 3           # ... and one of at most 3 always does (rings.py)
SECTION_START, SECTION_END = "<!-- similarity -->", "<!-- /similarity -->"
DISCLAIMER = ("Similarity is a hint to look, not proof: students who write the same short idea "
              "the same way, who worked from the same book passage or who were allowed to work "
              "together can look alike. Read both answers before drawing any conclusion; "
              "nothing here changes a score.")


class SimilarityError(ValueError):
    """The grading output cannot be compared (one-line message)."""


@dataclass(frozen=True)
class Answer:
    """One answer cell of one student: the whole text and the text with starter code blanked."""

    student: str
    notebook: str
    cell: str              # the answer cell's grade id, e.g. ex_mse_answer or q07_free
    kind: str              # "code" or "text"
    text: str
    own: str

    @property
    def item(self) -> str:
        return self.cell[: -len("_answer")] if self.cell.endswith("_answer") else self.cell


@dataclass
class Doc:
    """An answer's fingerprints: hash -> positions (in units: filtered chars or words)."""

    answer: Answer
    grams: dict[int, list[int]]
    k: int
    starts: np.ndarray            # raw character where each unit position starts
    ends: np.ndarray              # raw character where each unit position ends (exclusive)


@dataclass(frozen=True)
class CellMatch:
    """What two students share in one answer cell (matched units at their rarity weight)."""

    cell: str
    item: str
    matched_a: float
    matched_b: float
    spans_a: list[tuple[int, int]]
    spans_b: list[tuple[int, int]]


@dataclass(frozen=True)
class Pair:
    """Two students whose answers in one notebook share what the rest of the class does not."""

    notebook: str
    kind: str
    a: str
    b: str
    share: float           # the larger of share_a and share_b
    share_a: float         # share of a's own units b has, beyond a's closest other classmate
    share_b: float
    matched: float         # rarity-weighted units matched (the larger side)
    items: list[str]

    @property
    def page(self) -> str:
        """The side-by-side page, relative to the grading output folder."""
        return f"{SIMILARITY}/{safe_id(self.notebook)}/{self.kind}-{safe_id(self.a)}--" \
               f"{safe_id(self.b)}.html"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Pair:
        return cls(**{k: data[k] for k in ("notebook", "kind", "a", "b", "share", "share_a",
                                           "share_b", "matched", "items")})


@dataclass(frozen=True)
class Cluster:
    """Students listed once, with the answer, instead of as every pair among them: either a
    copy ring (``rare``: a small group sharing code or prose the rest of the class does not
    write, disguised or not) or a larger group who handed in one answer (up to renames and
    layout), usually the common way to write it."""

    notebook: str
    kind: str
    students: list[str]
    items: list[str]
    answers: dict[str, str]     # item -> the shared answer, as its first student wrote it
    rare: bool = False
    share: float = 0.0          # a ring's group share (rings.group_share); 0 for the others

    @property
    def size(self) -> int:
        return len(self.students)

    def to_json(self) -> dict:
        return {**asdict(self), "size": self.size}

    @classmethod
    def from_json(cls, data: dict) -> Cluster:
        return cls(**{k: data[k] for k in ("notebook", "kind", "students", "items", "answers")},
                   rare=bool(data.get("rare", False)), share=float(data.get("share", 0.0)))


@dataclass
class Findings:
    """All flagged pairs and clusters of a class, what was left out and why, and the time."""

    pairs: list[Pair] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    matches: dict[tuple[str, str, str, str], list[CellMatch]] = field(default_factory=dict)
    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    students: dict[str, int] = field(default_factory=dict)   # notebook -> students compared
    threshold: float = THRESHOLD
    seconds: float = 0.0
