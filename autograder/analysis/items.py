"""Item statistics of a graded class (classical test theory), and ``items.csv``.

For every autograded and hand-marked item: how many students attempted it, the share with
full marks (its *difficulty*: high means easy), and its *discrimination*, the correlation of
the item's score with the rest of the student's score (the corrected item-total
correlation). An item that strong students miss as often as weak ones (discrimination below
``LOW_DISCRIMINATION``) is flagged: its wording or its check may be at fault. For choice and
ordering items, how many students chose each answer.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.layout import write_text_atomic
from autograder.results import GradeResult, ItemResult
from autograder.scoring import NOT_ATTEMPTED

LOW_DISCRIMINATION = 0.2
ORDER_JOIN = " > "
COLUMNS = ("notebook", "grade_id", "kind", "max_score", "students", "attempted", "scored",
           "full_marks", "difficulty", "mean_score", "discrimination", "low_discrimination",
           "options")


@dataclass(frozen=True)
class ItemStats:
    """One item's statistics over a class."""

    notebook: str
    grade_id: str
    manual: bool
    max_score: float
    students: int              # students whose notebook holds the item
    attempted: int             # ... who answered it (not the stub, not blank)
    scored: int                # ... with a score (hand-marked: marked or blank)
    full_marks: int
    mean_score: float
    difficulty: float | None   # share of ``scored`` with full marks
    discrimination: float | None
    options: tuple[tuple[str, int], ...] = ()

    @property
    def low_discrimination(self) -> bool:
        return self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION


def attempted(item: ItemResult) -> bool:
    """The student answered the item (the stub was replaced, the answer is not blank)."""
    if item.manual:
        return item.message != "left blank"
    return not item.message.startswith(NOT_ATTEMPTED) and not item.message.startswith(
        "not graded")


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r (None when either list is constant or has fewer than 3 values)."""
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _totals(results: list[GradeResult]) -> dict[str, float]:
    """Each student's score over every notebook and item (hand marks included)."""
    totals: dict[str, float] = {}
    for r in results:
        totals[r.student] = totals.get(r.student, 0.0) + sum(i.score for i in r.items)
    return totals


def _options(items: list[ItemResult]) -> tuple[tuple[str, int], ...]:
    counts = Counter(ORDER_JOIN.join(i.diagnosis.chosen) for i in items
                     if i.diagnosis is not None and i.diagnosis.chosen)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _stats(notebook: str, pairs: list[tuple[str, ItemResult]],
           totals: dict[str, float]) -> ItemStats:
    first = pairs[0][1]
    scored = [(s, i) for s, i in pairs if not (i.manual and i.needs_review)]
    full = sum(1 for _, i in scored if i.max_score > 0 and i.score >= i.max_score)
    scores = [i.score for _, i in scored]
    rest = [totals[s] - i.score for s, i in scored]
    return ItemStats(notebook, first.grade_id, first.manual, first.max_score, len(pairs),
                     sum(1 for _, i in pairs if attempted(i)), len(scored), full,
                     sum(scores) / len(scores) if scores else 0.0,
                     full / len(scored) if scored else None, correlation(scores, rest),
                     _options([i for _, i in pairs]))


def item_statistics(results: list[GradeResult]) -> list[ItemStats]:
    """Statistics of every item, in notebook then item order (invalid notebooks left out)."""
    totals = _totals(results)
    by_item: dict[tuple[str, str], list[tuple[str, ItemResult]]] = {}
    order: dict[tuple[str, str], tuple[str, int]] = {}
    for r in results:
        if r.invalid:
            continue
        for index, item in enumerate(r.items):
            key = (r.notebook, item.grade_id)
            by_item.setdefault(key, []).append((r.student, item))
            order.setdefault(key, (r.notebook, index))
    return [_stats(nb, by_item[(nb, gid)], totals)
            for nb, gid in sorted(by_item, key=lambda k: order[k])]


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def csv_text(stats: list[ItemStats]) -> str:
    """``items.csv``: one row per item (options as "answer=count; ...")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in stats:
        writer.writerow([s.notebook, s.grade_id, "manual" if s.manual else "auto",
                         f"{s.max_score:g}", s.students, s.attempted, s.scored, s.full_marks,
                         _fmt(s.difficulty), _fmt(s.mean_score), _fmt(s.discrimination),
                         "yes" if s.low_discrimination else "",
                         "; ".join(f"{o}={n}" for o, n in s.options)])
    return buffer.getvalue()


def write_items_csv(results: list[GradeResult], path: Path) -> list[ItemStats]:
    """Write ``items.csv`` (atomically) and return the statistics."""
    stats = item_statistics(results)
    write_text_atomic(path, csv_text(stats))
    return stats
