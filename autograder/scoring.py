"""Turn an executed notebook into per-item scores."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from autograder import notebook as nbk
from autograder.execute import RunResult
from autograder.items.compare import NOT_ATTEMPTED


@dataclass(frozen=True)
class ItemScore:
    """The result of one graded cell."""

    grade_id: str
    score: float
    max_score: float
    passed: bool
    manual: bool
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _reason(error: str | None, ran: bool, fatal: str | None) -> str:
    if not ran:
        return f"not run: {fatal}" if fatal else "not run"
    if error is None:
        return ""
    if error.startswith("NotImplementedError"):
        return NOT_ATTEMPTED
    if error.startswith("CheckFailed: ") or error.startswith("AssertionError: "):
        return error.split(": ", 1)[1] or "a test failed"
    return error


def score(run: RunResult) -> list[ItemScore]:
    """Autograded cells pass when they ran without raising; hand-marked cells score 0 for now."""
    items = []
    for index, cell in enumerate(run.nb.cells):
        gid = nbk.grade_id(cell) or f"cell-{index}"
        points = float(nbk.meta(cell).get("points", 0))
        if nbk.is_manual(cell):
            items.append(ItemScore(gid, 0.0, points, False, True, "marked by hand"))
        elif nbk.is_autograded_test(cell):
            result = run.cells[index]
            ok = result.ran and result.error is None
            message = _reason(result.error, result.ran, run.fatal)
            items.append(ItemScore(gid, points if ok else 0.0, points, ok, False, message))
    return items
