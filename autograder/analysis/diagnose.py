"""The diagnosis of one item, made in the grader right after its verdict (``worker.grade``):
which probes failed, how each failed value relates to the reference's (``relations``), which
of the spec's known misconceptions matches, and for a choice item the option(s) chosen.

Everything here reads values the grader already holds (the decoded records and the
reference's); no kernel work. The result goes into ``ItemResult.diagnosis``, which only the
instructor's outputs read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograder.analysis.relations import outcome_relation
from autograder.items.compare import Outcome, judge_probe, measured
from autograder.items.spec import Item, Misconception, Probe
from autograder.results import Diagnosis

MAX_CHOSEN = 12


def _holds(known: Misconception, failed: Sequence[tuple[Probe, Outcome, Outcome]]) -> bool:
    with_values = [(p, g, w) for p, g, w in failed if g.ok and w.ok]
    if not with_values:
        return False
    results = []
    for probe, got, want in with_values:
        try:
            results.append(bool(known.test(got.value, want.value, dict(probe.inputs))))
        except Exception:  # noqa: BLE001 - a test meeting data it did not foresee: no match
            results.append(False)
    return all(results) if known.every else any(results)


def _chosen(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v)[:200] for v in value[:MAX_CHOSEN])
    return () if value is None else (str(value)[:200],)


def diagnose(item: Item, probes: Sequence[Probe], got: Sequence[Outcome],
             want: Sequence[Outcome], passed: bool) -> Diagnosis | None:
    """The item's diagnosis (None for a passed item that tallies nothing). ``probes``,
    ``got`` and ``want``: the probes in plan order, the student's and the reference's
    outcomes. Never raises: an analysis problem must not stop grading."""
    try:
        return _diagnose(item, probes, got, want, passed)
    except Exception:  # noqa: BLE001 - analysis only; the verdict stands without it
        return None if passed else Diagnosis(relations=("not analysed",))


def _diagnose(item: Item, probes: Sequence[Probe], got: Sequence[Outcome],
              want: Sequence[Outcome], passed: bool) -> Diagnosis | None:
    chosen = _chosen(got[0].value) if item.tally and got and got[0].ok else ()
    if passed:
        return Diagnosis(chosen=chosen) if item.tally else None
    failed = []
    for probe, mine, theirs in zip(probes, got, want, strict=True):
        if not judge_probe(probe, mine, theirs).passed:
            failed.append((probe, measured(probe.measure, mine) or mine,
                           measured(probe.measure, theirs) or theirs))
    parts = [[part for i in range(len(p.parts)) if (part := p.part(i)) is not None]
             for p, _, _ in failed]
    relations = tuple(dict.fromkeys(outcome_relation(g, w, pp)
                                    for (_, g, w), pp in zip(failed, parts, strict=True))) \
        or ("every probe passed (a construct or another rule failed)",)
    match = next((m for m in item.misconceptions if _holds(m, failed)), None)
    return Diagnosis(tuple(dict.fromkeys(p.label for p, _, _ in failed)), relations,
                     match.name if match else "", chosen, item.display,
                     match.what if match else "", match.hint if match else "")
