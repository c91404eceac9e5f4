"""Turn an executed notebook into per-item results (``ch4 check``: public checks only).

The result type is ``autograder.results.ItemResult``: one type for ``ch4 check`` and ``ch4 grade``.
"""

from __future__ import annotations

from autograder import notebook as nbk
from autograder.execute import RunResult
from autograder.items.compare import NOT_ATTEMPTED
from autograder.results import ItemResult


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


def score(run: RunResult) -> list[ItemResult]:
    """Autograded cells pass when their public check ran without raising; hand-marked cells
    score 0 and wait for a marker."""
    items = []
    for index, cell in enumerate(run.nb.cells):
        gid = nbk.grade_id(cell) or f"cell-{index}"
        points = float(nbk.meta(cell).get("points", 0))
        if nbk.is_manual(cell):
            items.append(ItemResult(gid, 0.0, points, False, True, "marked by hand",
                                    needs_review=True))
        elif nbk.is_autograded_test(cell):
            result = run.cells[index]
            ok = result.ran and result.error is None
            message = _reason(result.error, result.ran, run.fatal)
            items.append(ItemResult(gid, points if ok else 0.0, points, ok, False, message,
                                    public_passed=ok))
    return items
