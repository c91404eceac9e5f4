"""Hand marks stay honest: a written answer that changed after it was marked is reopened.

A marker's score belongs to the answer the marker read. ``ch4 grade`` remembers, per
hand-marked answer, the text shown in the course folder on the last run
(``OUT/marked_answers.json``). A score found in the gradebook was given on that text; when the
newly graded answer differs from it, the score is taken back out of the gradebook (the item is
"to mark" again everywhere: grades.csv, the report, the LMS blank rule) and the previous mark
and comment are kept here and shown to the marker: in the marker copy, right after the answer,
and as the placeholder of formgrader's comment box. Entering a score again confirms the item;
the next run then forgets the previous mark. A folder graded before this file existed has no
hashes: its marks are taken as given on the current answers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from nbgrader.api import Comment, Grade, Gradebook, MissingEntry

from autograder.grading import layout
from autograder.grading.layout import OutputLayout, write_json_atomic
from autograder.grading.nbgrader_plugins import REOPENED_NOTE
from autograder.results import GradeResult

LEDGER = layout.MARKED_ANSWERS_JSON
NOTE = REOPENED_NOTE


@dataclass(frozen=True)
class Reopened:
    """A hand-marked answer whose text changed after its mark: to mark again."""

    assignment: str
    student: str
    notebook: str
    grade_id: str
    previous_score: float
    max_score: float
    previous_comment: str
    previous_answer: str

    @property
    def key(self) -> str:
        return _key(self.assignment, self.student, self.notebook, self.grade_id)

    def note(self) -> str:
        """One line for the marker (formgrader's comment placeholder)."""
        text = (f"{NOTE}: previous mark {self.previous_score:g}/{self.max_score:g}"
                " — enter a score again to confirm.")
        if self.previous_comment:
            text += f" Previous comment: {self.previous_comment}"
        return text


@dataclass
class Ledger:
    """What OUT/marked_answers.json holds: the answer shown per item and open reopenings."""

    shown: dict[str, str]              # item key -> the answer text last shown to markers
    reopened: dict[str, Reopened]      # item key -> its previous mark, until confirmed

    @classmethod
    def load(cls, out: Path) -> Ledger:
        path = OutputLayout(out).marked_answers_json
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(dict(data.get("shown", {})),
                       {k: Reopened(**v) for k, v in data.get("reopened", {}).items()})
        except FileNotFoundError:
            return cls({}, {})
        except (OSError, ValueError, TypeError) as exc:
            raise ReopenError(f"{path} cannot be read ({exc}); move it away to start over "
                              "(marks are then taken as given on the current answers)") from exc

    def save(self, out: Path) -> None:
        write_json_atomic(OutputLayout(out).marked_answers_json, {
            "shown": self.shown,
            "reopened": {k: asdict(v) for k, v in sorted(self.reopened.items())}},
            ensure_ascii=False)


class ReopenError(RuntimeError):
    """The ledger of marked answers is unreadable."""


def _key(assignment: str, student: str, notebook: str, grade_id: str) -> str:
    return f"{assignment}/{student}/{notebook}/{grade_id}"


def same(a: str, b: str) -> bool:
    """Two answers are the same text (surrounding blank space does not count)."""
    return a.strip() == b.strip()


def _grade_and_comment(gb: Gradebook, r: GradeResult,
                       grade_id: str) -> tuple[Grade, Comment] | tuple[None, None]:
    """The gradebook's grade and comment rows of one hand-marked answer (None: not there)."""
    try:
        return (gb.find_grade(grade_id, r.notebook, r.assignment, r.student),
                gb.find_comment(grade_id, r.notebook, r.assignment, r.student))
    except MissingEntry:
        return None, None


def _take_back(gb: Gradebook, r: GradeResult, grade_id: str, blank: bool,
               previous_answer: str) -> Reopened | None:
    """Remove a mark given on an earlier answer; None when there was no mark."""
    grade, comment = _grade_and_comment(gb, r, grade_id)
    if grade is None or grade.manual_score is None:
        return None
    found = Reopened(r.assignment, r.student, r.notebook, grade_id, float(grade.manual_score),
                     float(grade.max_score or 0), (comment.manual_comment or "").strip(),
                     previous_answer)
    grade.manual_score = None
    grade.extra_credit = None
    grade.needs_manual_grade = not blank       # a blank answer scores 0 with nothing to mark
    comment.manual_comment = None
    if not blank:                              # the marker's placeholder in formgrader
        comment.auto_comment = found.note()
    return found


def _confirmed(gb: Gradebook, entry: Reopened, r: GradeResult) -> bool:
    """True once a marker scored the reopened answer again (or nothing is left to mark)."""
    grade, comment = _grade_and_comment(gb, r, entry.grade_id)
    if grade is None or grade.manual_score is None and grade.needs_manual_grade:
        return False
    if comment is not None and comment.auto_comment == entry.note():
        comment.auto_comment = None
    return True


def _drop_stale_override(gb: Gradebook, ledger: Ledger, r: GradeResult, grade_id: str) -> None:
    """A marker's score on an autograded item (an override, partial credit) was given on the
    code then handed in: when that code changed, the override goes and the new automatic
    score stands (nothing to mark: the grader judged the new code)."""
    answer_id = f"{grade_id}_answer"
    if answer_id not in r.answers:
        return
    key = _key(r.assignment, r.student, r.notebook, answer_id)
    before, text = ledger.shown.get(key), r.answers[answer_id]
    ledger.shown[key] = text
    if before is None or same(before, text):
        return
    try:            # an autograded cell has a grade row and no comment row
        grade = gb.find_grade(grade_id, r.notebook, r.assignment, r.student)
    except MissingEntry:
        return
    if grade.manual_score is not None:
        grade.manual_score = None
        grade.needs_manual_grade = False


def apply(gb: Gradebook, out: Path, results: list[GradeResult]) -> dict[str, Reopened]:
    """Reopen every hand-marked answer of ``results`` (recorded in ``gb`` already) whose text
    differs from the one its mark was given on; confirm the ones marked again. Returns the
    open reopenings by item key."""
    ledger = Ledger.load(out)
    for r in results:
        for item in r.items:
            if not item.manual:
                _drop_stale_override(gb, ledger, r, item.grade_id)
                continue
            key = _key(r.assignment, r.student, r.notebook, item.grade_id)
            text = r.answers.get(item.grade_id, "")
            before = ledger.shown.get(key)
            if key in ledger.reopened and _confirmed(gb, ledger.reopened[key], r):
                del ledger.reopened[key]
            if before is not None and not same(before, text):
                found = _take_back(gb, r, item.grade_id, not item.needs_review, before)
                if found is not None and item.needs_review:
                    ledger.reopened[key] = found
            ledger.shown[key] = text
    gb.db.commit()
    ledger.save(out)
    return dict(ledger.reopened)


def open_items(out: Path) -> dict[str, Reopened]:
    """The reopened answers not yet confirmed (for the report and the marker copy)."""
    return dict(Ledger.load(out).reopened)
