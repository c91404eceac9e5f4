"""The grader's side of probes: which probes an item gets, the cells that run them in the
student's kernel, reading back what they returned, and the verdict per item.

A notebook names its spec in its locked check cells (``from autograder.items.nb01 import
SPEC``), so the grader finds it without a registry. Hidden probes are generated from a key
derived from the instructor's source notebook, which students never see.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder import notebook as nbk
from autograder.items import wire
from autograder.items.compare import Outcome, Verdict, judge, unanswered
from autograder.items.selfcheck import outcome_of
from autograder.items.spec import Item, NotebookSpec, Probe, definitions

PROBE_TAG = "ch4-probe"
PROBE_DIR = ".ch4-probes"
_SPEC_IMPORT = re.compile(r"^\s*from\s+(autograder\.items\.\w+)\s+import\s+SPEC\b", re.M)
ITEMS_DIR = Path(__file__).resolve().parent.parent / "items"


class SpecMissing(LookupError):
    """A source notebook whose check cells name no item spec."""


def spec_module(source: NotebookNode) -> str:
    """The module named by the source notebook's check cells (``autograder.items.nb01``)."""
    modules = {m for c in source.cells if nbk.is_autograded_test(c)
               for m in _SPEC_IMPORT.findall(c.source)}
    if len(modules) != 1:
        raise SpecMissing("its check cells do not name exactly one item spec "
                          f"(found {sorted(modules) or 'none'})")
    return modules.pop()


def spec_of(source: NotebookNode) -> NotebookSpec:
    """The NotebookSpec named by the source notebook's check cells."""
    spec = importlib.import_module(spec_module(source)).SPEC
    if not isinstance(spec, NotebookSpec):
        raise SpecMissing("its SPEC is not a NotebookSpec")
    return spec


CORE_MODULES = ("spec", "wire", "runner", "compare", "fixtures", "selfcheck")


def spec_hash(source: NotebookNode) -> str:
    """A hash of the code that judges this notebook: the generic item modules and its own
    spec module (a changed spec regrades that notebook, and only that one)."""
    own = importlib.util.find_spec(spec_module(source))
    files = [ITEMS_DIR / f"{name}.py" for name in CORE_MODULES]
    if own is not None and own.origin:
        files.append(Path(own.origin))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def hidden_key(source_path: Path) -> str:
    """The secret for hidden inputs: a hash of the instructor's source notebook."""
    return hashlib.sha256(Path(source_path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class Planned:
    """One probe as the grader will run it."""

    probe: Probe
    hidden: bool


def plan(spec: NotebookSpec, key: str) -> dict[str, list[Planned]]:
    """Public then hidden probes of every item, by grade id."""
    return {item.grade_id: [Planned(p, False) for p in item.public]
            + [Planned(p, True) for p in item.hidden_probes(key)] for item in spec.items}


def probe_cell(grade_id: str, probes: list[Planned], prelude: str = "") -> NotebookNode:
    """A code cell that runs ``probes`` in the kernel and writes their records to a file;
    ``prelude``: the student's own definitions to re-run first in each probe."""
    payload = json.dumps([[p.probe.setup, p.probe.code, wire.encode(p.probe.inputs)]
                          for p in probes])
    source = ("import autograder.items.runner as _ch4_runner\n"
              f"_ch4_runner.run_item(globals(), {f'{PROBE_DIR}/{grade_id}.json'!r}, "
              f"{payload!r}, {prelude!r})\ndel _ch4_runner")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [PROBE_TAG]
    cell.metadata["ch4_item"] = grade_id
    return cell


def preludes(spec: NotebookSpec, nb: NotebookNode) -> dict[str, str]:
    """grade id -> the definitions its probes re-run (``Item.redefine``), taken from the
    item's answer cell in ``nb`` (the student's notebook)."""
    answers = {nbk.grade_id(c): c.source for c in nb.cells if nbk.grade_id(c)}
    return {item.grade_id: definitions(answers.get(f"{item.grade_id}_answer", ""), item.names)
            for item in spec.items if item.redefine}


def is_probe_cell(cell: dict) -> bool:
    return PROBE_TAG in cell.get("metadata", {}).get("tags", [])


def read_records(work: Path, planned: dict[str, list[Planned]]) -> dict[str, list[object]]:
    """The raw records the kernel wrote (JSON only; missing or malformed files give [])."""
    out: dict[str, list[object]] = {}
    for grade_id, probes in planned.items():
        path = Path(work) / PROBE_DIR / f"{grade_id}.json"
        try:
            records = json.loads(_read_record_file(path))
        except (OSError, ValueError, RecursionError):
            records = []
        out[grade_id] = records if isinstance(records, list) and len(records) == len(
            probes) else []
    return out


def read_stages(path: Path) -> dict[str, float]:
    """Stage accuracies the notebook reported through ``autograder.figures.record`` (JSON
    lines). Information for the instructor only: no score depends on them."""
    try:
        text = _read_record_file(path).decode("utf-8", errors="replace")
    except OSError:
        return {}
    stages: dict[str, float] = {}
    for line in text.splitlines()[:200]:
        try:
            row = json.loads(line)
            name, accuracy = str(row["stage"])[:60], float(row["accuracy"])
        except (ValueError, KeyError, TypeError, RecursionError):
            continue
        if re.fullmatch(r"[\w.-]+", name) and math.isfinite(accuracy):
            stages[name] = accuracy
    return stages


def _read_record_file(path: Path) -> bytes:
    """The bytes of a record file the kernel wrote. The kernel owns the work folder, so the
    file (or a folder above it) may be a symlink to a file of the grader's, a named pipe that
    would block the grader forever, or huge: only a regular file reached without any symlink,
    opened without blocking, and at most ``2 * MAX_BYTES`` long is read."""
    absolute = os.path.abspath(path)
    if os.path.realpath(absolute) != absolute:
        raise OSError("a symlink on the way to the record file")
    fd = os.open(absolute, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > 2 * wire.MAX_BYTES:
            raise OSError("not a regular file of a sensible size")
        data = handle.read(2 * wire.MAX_BYTES + 1)
    if len(data) > 2 * wire.MAX_BYTES:
        raise OSError("record file too large")
    return data


def outcomes(records: list[object], count: int, why_missing: str) -> list[Outcome]:
    if len(records) != count:
        return [Outcome(missing=why_missing)] * count
    return [outcome_of(r) for r in records]


def judge_item(item: Item, probes: list[Planned], got: list[Outcome],
               want: list[Outcome]) -> Verdict:
    """Passed when every probe passes; else the first failure, in plain words."""
    early = unanswered(item.names, got)
    if early is not None:
        return early
    for planned, mine, theirs in zip(probes, got, want, strict=True):
        verdict = judge(planned.probe.compare, mine, theirs, planned.probe.label,
                        planned.probe.hint, hidden=planned.hidden, measure=planned.probe.measure)
        if not verdict.passed:
            suffix = " [hidden test]" if planned.hidden else ""
            return Verdict(False, verdict.message + suffix)
    return Verdict(True)
