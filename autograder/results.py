"""The typed results of ``ch4 check`` and ``ch4 grade``: one item, one graded submission, and
the JSON form (results/<student>/<nb>.json). It lives outside ``grading/`` because the
student's command uses it too (the student's side never imports the instructor's).

Workers build a ``GradeResult``; it crosses to the parent process by pickling (plain
dataclasses) and to disk with ``to_json``; a resumed run reads it back with ``from_json``.
Everything downstream (gradebook, grades.csv, feedback, report) reads these fields, never
string keys, and no flag travels inside a message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Diagnosis:
    """How an item failed on its probes, for the instructor's analysis only (never a student
    page): the labels of the probes that failed, the relations the grader found between the
    student's values and the reference's (``autograder.analysis.relations``: "scaled x255",
    "transposed", "NaN", ...), the spec's misconception that matched, if any, and for a choice
    or ordering item the option(s) chosen. Computed in the grader from raw values."""

    failed: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    misconception: str = ""
    chosen: tuple[str, ...] = ()
    title: str = ""                  # the item's title, and the matched misconception's
    what: str = ""                   # words and student-facing hint (so that the analysis
    hint: str = ""                   # needs no spec: importing one costs seconds)

    @classmethod
    def from_json(cls, data: object) -> Diagnosis | None:
        if not isinstance(data, dict):
            return None
        return cls(**{f.name: (str(data[f.name]) if isinstance(f.default, str)
                               else tuple(str(x) for x in data[f.name]))
                      for f in fields(cls) if f.name in data})


@dataclass(frozen=True)
class ItemResult:
    """One graded cell: an autograded item or a hand-marked answer."""

    grade_id: str
    score: float
    max_score: float
    passed: bool
    manual: bool
    message: str = ""
    public_passed: bool = False      # the verdict on the public probes alone (= ch4 check)
    needs_review: bool = False       # hand marking to do, or flagged for an instructor
    diagnosis: Diagnosis | None = None   # instructor-only: how it failed (analysis/)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemResult:
        names = {f.name for f in fields(cls)} - {"diagnosis"}
        return cls(**{k: v for k, v in data.items() if k in names},
                   diagnosis=Diagnosis.from_json(data.get("diagnosis")))


# fields stored under an earlier name in result files written before the rename
LEGACY_NAMES = {"fingerprint": "inputs_digest"}


@dataclass
class GradeResult:
    """One submission of one student, graded."""

    student: str
    assignment: str
    notebook: str
    submission: str
    inputs_digest: str                 # what the result was made from (a rerun reuses it)
    version: int
    items: list[ItemResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)          # notes on the student's cells
    flags: dict[str, list[str]] = field(default_factory=dict)  # answer id -> review reasons
    invalid: str | None = None         # why the file could not be graded at all
    fatal: str | None = None           # why the run stopped early
    killed: str | None = None          # what the sandbox watchdog did
    timings: dict[str, float] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)     # stage -> accuracy (info only)
    answers: dict[str, str] = field(default_factory=dict)      # the student's answer cells
    outputs: dict[str, str] = field(default_factory=dict)      # what those cells printed
    kernel_output: str = ""            # the kernel process's own stdout/stderr (capped)
    warm_kernel: bool = False          # graded in a kernel started ahead (autograder.warm)

    @property
    def auto(self) -> list[ItemResult]:
        return [i for i in self.items if not i.manual]

    @property
    def score(self) -> float:
        return sum(i.score for i in self.auto)

    @property
    def max_score(self) -> float:
        return sum(i.max_score for i in self.auto)

    @property
    def manual_max(self) -> float:
        return sum(i.max_score for i in self.items if i.manual)

    @property
    def needs_manual_grading(self) -> bool:
        return any(i.needs_review for i in self.items)

    def item(self, grade_id: str) -> ItemResult | None:
        return next((i for i in self.items if i.grade_id == grade_id), None)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(score=self.score, max_score=self.max_score, manual_max=self.manual_max)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradeResult:
        names = {f.name for f in fields(cls)} - {"items"}
        data = {LEGACY_NAMES.get(k, k): v for k, v in data.items()}
        result = cls(**{k: v for k, v in data.items() if k in names})
        result.items = [ItemResult.from_json(i) for i in data.get("items", [])]
        return result


@dataclass(frozen=True)
class GraderError:
    """A submission the grader itself failed on (reported, never scored)."""

    student: str
    notebook: str
    error: str
