"""The locked check cell and ``ch4 check``: public probes judged in the student's notebook.

The expected values of public probes were recorded from the reference solution
(``ch4 expected``) and ship with the package in ``expected/``: values on public inputs, never
a reference implementation (answers a student could read off are stored as digests). The
verdict comes from ``compare.judge``, the same function ``ch4 grade`` uses.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from autograder.items import wire
from autograder.items.compare import Outcome, judge, unanswered
from autograder.items.runner import run_probe
from autograder.items.spec import Item, NotebookSpec

EXPECTED_DIR = Path(__file__).parent / "expected"
RECORD_ENV = "CH4_RECORD_EXPECTED"


class CheckFailed(AssertionError):
    """A public check did not pass; the message says what to look at, in plain words."""


def outcome_of(record: object) -> Outcome:
    """A probe record (from the kernel, as JSON) as an Outcome; malformed ones fail."""
    if not isinstance(record, dict):
        return Outcome(missing="returned no usable result")
    if "raised" in record:
        return Outcome(raised=str(record["raised"]))
    if "value" in record:
        try:
            return Outcome(value=wire.from_plain(record["value"]))
        except (wire.WireError, RecursionError):
            return Outcome(missing="returned data the grader cannot read")
    return Outcome(missing="returned no usable result")


def _namespace(namespace: dict | None) -> dict:
    if namespace is not None:
        return namespace
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        shell = None
    if shell is not None:
        return shell.user_ns
    return sys._getframe(3).f_globals


def expected_path(notebook: str) -> Path:
    return EXPECTED_DIR / f"{notebook}.json"


def load_expected(notebook: str) -> dict[str, list]:
    try:
        return json.loads(expected_path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def missing_names(spec: NotebookSpec, item: Item, namespace: dict) -> str | None:
    """Plain words naming the exercise to do first, when a name the item uses is missing."""
    for name in item.names:
        if name not in namespace:
            return (f"{name} is not defined yet: write it in the answer cell of "
                    f"{item.display} and run that cell first")
    return None


def needs_note(spec: NotebookSpec, item: Item, namespace: dict) -> str:
    """When a failing item uses an earlier exercise that is not done, say which."""
    for other in item.needs:
        needed = spec.item(other)
        if any(name not in namespace for name in needed.names):
            return f" (this exercise uses {needed.display}: do that one first)"
    return ""


def sealed_record(record: dict) -> dict:
    value = outcome_of(record).value
    from autograder.items.compare import digest

    return {"value": "sha256:" + digest(value)}


def check_item(spec: NotebookSpec, item: Item, namespace: dict | None = None) -> None:
    """Run ``item``'s public probes here; raise CheckFailed with the first failure's reason."""
    namespace = _namespace(namespace)
    missing = missing_names(spec, item, namespace)
    if missing:
        raise CheckFailed(missing)
    records = []
    for probe in item.public:
        record = run_probe(namespace, probe.setup, probe.code, wire.encode(probe.inputs))
        records.append(json.loads(json.dumps(record)))   # exactly what the grader would get
    if os.environ.get(RECORD_ENV):
        _record(spec, item, records)
        return
    early = unanswered(item.names, [outcome_of(r) for r in records])
    if early is not None:
        raise CheckFailed(early.message)
    expected = load_expected(spec.notebook).get(item.grade_id, [])
    for index, (probe, record) in enumerate(zip(item.public, records, strict=True)):
        want = outcome_of(expected[index]) if index < len(expected) else None
        verdict = judge(probe.compare, outcome_of(record), want, probe.label, probe.hint)
        if not verdict.passed:
            raise CheckFailed(verdict.message + needs_note(spec, item, namespace))
    print(f"\u2713 {item.display}: passed the public checks (hidden tests run at grading)")


def _record(spec: NotebookSpec, item: Item, records: list[dict]) -> None:
    """Store the reference's public values (``ch4 expected`` runs the solutions this way)."""
    stored = [sealed_record(r) if p.compare.sealed and "value" in r else r
              for p, r in zip(item.public, records, strict=True)]
    path = expected_path(spec.notebook)
    data = load_expected(spec.notebook)
    data[item.grade_id] = stored
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(stored)} public value(s) for {item.grade_id}")
