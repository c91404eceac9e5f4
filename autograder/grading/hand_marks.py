"""What markers entered in formgrader: manual scores and comments, read from the gradebook.

The gradebook is the one place hand marks live (formgrader writes them there); every output
that shows them (grades.csv, the report, ``ch4 feedback``) reads them back through here after
``ch4 grade`` has recorded its autograded scores, so a rerun can never lose or reset them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.grading import reopen
from autograder.results import GradeResult


@dataclass(frozen=True)
class HandMark:
    """One graded cell of one submitted notebook, as the marker left it."""

    student: str
    notebook: str
    grade_id: str
    manual_score: float | None     # None: no score entered by a marker
    max_score: float
    needs_manual_grade: bool
    comment: str = ""              # the marker's comment ("" when none)


Key = tuple[str, str, str]         # (student, notebook, grade_id)


def read(gb: Gradebook, assignment: str) -> dict[Key, HandMark]:
    """Every grade and comment of ``assignment`` in the gradebook."""
    marks: dict[Key, HandMark] = {}
    try:
        submissions = gb.assignment_submissions(assignment)
    except MissingEntry:
        return marks
    for sub in submissions:
        student = sub.student.id
        for nb in sub.notebooks:
            comments = {c.name: (c.manual_comment or "").strip() for c in nb.comments}
            for g in nb.grades:
                marks[(student, nb.name, g.name)] = HandMark(
                    student, nb.name, g.name,
                    None if g.manual_score is None else float(g.manual_score),
                    float(g.max_score or 0), bool(g.needs_manual_grade),
                    comments.get(g.name, ""))
            for name, text in comments.items():     # answer cells that carry no grade
                if (student, nb.name, name) not in marks and text:
                    marks[(student, nb.name, name)] = HandMark(student, nb.name, name, None,
                                                               0.0, False, text)
    return marks


def reopened(out: Path) -> dict[Key, reopen.Reopened]:
    """Answers changed after they were marked and not marked again (grading/reopen.py): their
    score is out of the gradebook, so they already count as to mark everywhere; this says
    which of the answers to mark are such and what their previous mark was."""
    return {(e.student, e.notebook, e.grade_id): e for e in reopen.open_items(out).values()}


def applied(results: list[GradeResult], marks: dict[Key, HandMark]) -> list[GradeResult]:
    """The results with the markers' scores in place of the grader's (a hand-marked answer
    is then no longer 'to mark'); the stored result files are not changed."""
    out = []
    for result in results:
        items = []
        for item in result.items:
            mark = marks.get((result.student, result.notebook, item.grade_id))
            if mark is None or mark.manual_score is None:
                items.append(item)
                continue
            items.append(dataclasses.replace(
                item, score=mark.manual_score, needs_review=False,
                passed=item.passed if not item.manual else mark.manual_score >= item.max_score,
                message="marked by hand" if item.manual else
                f"{item.message}; score set by the marker".lstrip("; ")))
        out.append(dataclasses.replace(result, items=items))
    return out
