"""Turn an executed notebook into per-item results for ``ch4 check`` (public checks only).

A course notebook names its item spec: its items are scored from the records of the public
probes, by the grader's own judge (``probing.public_verdict``, the function ``ch4 grade`` uses
for its public verdict), so the two agree by construction and no verdict travels as exception
text. A notebook without a spec (plain ``assert`` check cells) is scored by whether each check
cell ran without raising. The result type is ``autograder.results.ItemResult``, one type for
``ch4 check`` and ``ch4 grade``.
"""

from __future__ import annotations

from autograder import notebook as nbk
from autograder.execute import RunResult
from autograder.items import probing
from autograder.items.compare import NOT_ATTEMPTED, Outcome
from autograder.items.selfcheck import load_expected, outcome_of
from autograder.items.spec import NotebookSpec
from autograder.results import ItemResult

MANUAL = "marked by hand"
NO_EXPECTED = "no recorded public values for this item (run `ch4 expected` on its solution)"


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


def _manual(cell, gid: str) -> ItemResult:
    points = float(nbk.meta(cell).get("points", 0))
    return ItemResult(gid, 0.0, points, False, True, MANUAL, needs_review=True)


def score(run: RunResult) -> list[ItemResult]:
    """A notebook without an item spec: autograded cells pass when their check ran without
    raising; hand-marked cells score 0 and wait for a marker."""
    items = []
    for index, cell in enumerate(run.nb.cells):
        gid = nbk.grade_id(cell) or f"cell-{index}"
        points = float(nbk.meta(cell).get("points", 0))
        if nbk.is_manual(cell):
            items.append(_manual(cell, gid))
        elif nbk.is_autograded_test(cell):
            result = run.cells[index]
            ok = result.ran and result.error is None
            message = _reason(result.error, result.ran, run.fatal)
            items.append(ItemResult(gid, points if ok else 0.0, points, ok, False, message,
                                    public_passed=ok))
    return items


def _expected(stored: list, count: int) -> list[Outcome]:
    if len(stored) != count:
        return [Outcome(missing=NO_EXPECTED)] * count
    return [outcome_of(record) for record in stored]


def score_probes(run: RunResult, spec: NotebookSpec,
                 planned: dict[str, list[probing.Planned]],
                 channel: probing.RecordChannel, cell_timeout: float) -> list[ItemResult]:
    """A notebook with an item spec: every autograded item judged on the records its public
    probe cell wrote (``probing.RecordChannel``), against the public expected values."""
    probe_index = {c.metadata.get("ch4_item"): i for i, c in enumerate(run.nb.cells)
                   if probing.is_probe_cell(c)}
    expected = load_expected(spec.notebook)        # read once for the whole notebook
    sources = probing.answer_sources(spec, run.nb)  # constructs are read from the answers
    verdicts: dict[str, probing.Verdict] = {}
    items = []
    for cell in run.nb.cells:
        gid = nbk.grade_id(cell)
        if not gid or probing.is_probe_cell(cell):
            continue
        points = float(nbk.meta(cell).get("points", 0))
        if nbk.is_manual(cell):
            items.append(_manual(cell, gid))
            continue
        if not nbk.is_autograded_test(cell):
            continue
        if gid not in planned:
            items.append(ItemResult(gid, 0.0, points, False, False,
                                    "not checked: this item has no spec (grader problem)"))
            continue
        item, probes = spec.item(gid), planned[gid]
        why = probing.why_no_records(run, probe_index.get(gid), gid in channel.oversized,
                                     None, cell_timeout)
        got = probing.outcomes(channel.item_records(gid, len(probes)), len(probes), why)
        want = _expected(expected.get(gid, []), len(probes))
        verdict = probing.public_verdict(item, probes, got, want, sources.get(gid, ""))
        verdicts[gid] = verdict
        message = probing.item_message(spec, item, verdict, verdicts)
        items.append(ItemResult(gid, points if verdict.passed else 0.0, points, verdict.passed,
                                False, message, public_passed=verdict.passed))
    return items
