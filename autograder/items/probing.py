"""Probes from plan to verdict, shared by ``ch4 check`` and ``ch4 grade``: which probes an item
gets, the cells that run them in the student's kernel, reading back what they returned, and the
verdict per item (the grader's side: nothing here runs in the student's kernel).

A notebook names its spec in its locked check cells (``from autograder.items.nb01 import
SPEC``), so the grader finds it without a registry. Hidden probes are generated from the
instructor's grading key (``secret``), which nothing a student can read derives from.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import math
import os
import re
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder import notebook as nbk
from autograder.execute import CellHooks, CellResult, RunResult
from autograder.items import wire
from autograder.items.compare import (
    NOT_ATTEMPTED,
    Outcome,
    Verdict,
    judge_probe,
    knock_on,
    reported,
    sealed,
    unanswered,
)
from autograder.items.selfcheck import outcome_of
from autograder.items.spec import (
    Item,
    NotebookSpec,
    Probe,
    construct_failure,
    defining_source,
    definitions,
)

PROBE_TAG = "ch4-probe"
PROBE_DIR = ".ch4-probes"
MAX_RECORD_BYTES = 2 * wire.MAX_BYTES     # one item's records, whatever the item
MAX_STAGES_BYTES = 64 * 1024              # the stage file (a few short JSON lines)
_SPEC_IMPORT = re.compile(r"^\s*from\s+(autograder\.items\.\w+)\s+import\s+SPEC\b", re.M)
ITEMS_DIR = Path(__file__).resolve().parent


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


@dataclass(frozen=True)
class Planned:
    """One probe as the grader will run it."""

    probe: Probe
    hidden: bool


def plan(spec: NotebookSpec, key: str) -> dict[str, list[Planned]]:
    """Public then hidden probes of every item, by grade id (``key``: the grading secret)."""
    if not key:
        raise ValueError("no grading key: hidden probes need the instructor's key")
    return {item.grade_id: [Planned(p, False) for p in item.public]
            + [Planned(p, True) for p in item.hidden_probes(key)] for item in spec.items}


def public_plan(spec: NotebookSpec) -> dict[str, list[Planned]]:
    """The public probes of every item (``ch4 check``: no key, no hidden probes)."""
    return {item.grade_id: [Planned(p, False) for p in item.public] for item in spec.items}


def probe_cell(grade_id: str, probes: list[Planned], prelude: str = "",
               names: tuple[str, ...] = (), folder: Path | None = None) -> NotebookNode:
    """A code cell that runs ``probes`` in the kernel and writes their records to a file
    (under ``folder``, else under the kernel's working folder); ``prelude``: the student's own
    definitions of ``names`` to re-run in each probe. The cell carries a fresh one-time nonce
    (``ch4_nonce``): a record without it was not written by this cell."""
    payload = json.dumps([[p.probe.setup, p.probe.code, wire.encode(p.probe.inputs)]
                          for p in probes])
    nonce = secrets.token_hex(16)
    out = str(folder / record_name(grade_id)) if folder is not None else record_name(grade_id)
    source = ("import autograder.items.runner as _ch4_runner\n"
              f"_ch4_runner.run_item(globals(), {out!r}, "
              f"{payload!r}, {prelude!r}, {nonce!r}, {tuple(names)!r})\ndel _ch4_runner")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [PROBE_TAG]
    cell.metadata["ch4_item"] = grade_id
    cell.metadata["ch4_nonce"] = nonce
    return cell


def record_name(grade_id: str) -> str:
    """The record file of an item, relative to the kernel's work folder."""
    return f"{PROBE_DIR}/{grade_id}.json"


def preludes(spec: NotebookSpec, nb: NotebookNode) -> dict[str, str]:
    """grade id -> the definitions its probes re-run (``Item.redefine``), taken from the
    item's answer cell in ``nb`` (the student's notebook)."""
    answers = {nbk.grade_id(c): c.source for c in nb.cells if nbk.grade_id(c)}
    return {item.grade_id: definitions(answers.get(f"{item.grade_id}_answer", ""), item.names)
            for item in spec.items if item.redefine}


def answer_sources(spec: NotebookSpec, nb: NotebookNode) -> dict[str, str]:
    """grade id -> the source the grader reads an asked-for construct from
    (``Item.source_rule``): of the answer cells of ``nb`` (the student's notebook), the last
    one that defines the item's names, as the kernel ran them."""
    answers = [c.source for c in nb.cells if nbk.is_solution(c)]
    return {item.grade_id: defining_source(answers, item.names)
            for item in spec.items if item.source_rule is not None}


def is_probe_cell(cell: dict) -> bool:
    return PROBE_TAG in cell.get("metadata", {}).get("tags", [])


class RecordChannel:
    """The grader's end of the probe records, taken around each probe cell (``CellHooks``).

    Before a probe cell runs, everything in the record folder is removed (a record planted
    earlier never counts); as soon as the cell ends, its item's file is read (bounded, no
    symlinks, no pipes) and removed, and kept only when the cell ended without an error and
    the file carries the cell's nonce. Nothing the kernel writes after that is read. The stage
    file is read once, when the first probe cell is about to run: stages reported while the
    grader probes never count. ``limits``: the most bytes each item's records may take."""

    def __init__(self, work: Path, stages_file: Path | None = None,
                 limits: dict[str, int] | None = None) -> None:
        self.work = Path(work)
        self.stages_file = stages_file
        self.limits = limits or {}
        self.raw: dict[str, tuple[str, bytes]] = {}   # grade id -> (nonce, file bytes)
        self.stages: dict[str, float] = {}
        self.oversized: set[str] = set()
        self.probing = False      # True once the first probe cell was reached

    def hooks(self) -> CellHooks:
        return CellHooks(before=self.before, after=self.after, freeze=is_probe_cell)

    def before(self, index: int, cell: NotebookNode) -> None:
        if not is_probe_cell(cell):
            return
        if not self.probing:
            self.probing = True
            if self.stages_file is not None:
                self.stages = read_stages(self.stages_file)
        _empty_folder(self.work / PROBE_DIR)

    def after(self, index: int, cell: NotebookNode, result: CellResult) -> None:
        if not is_probe_cell(cell):
            return
        gid = str(cell.metadata.get("ch4_item", ""))
        path = self.work / record_name(gid)
        limit = min(self.limits.get(gid, MAX_RECORD_BYTES), MAX_RECORD_BYTES)
        try:
            data = _read_record_file(path, limit)
        except RecordTooLarge:
            self.oversized.add(gid)
            data = None
        except OSError:
            data = None
        _empty_folder(self.work / PROBE_DIR)
        if data is None or result.error is not None:
            return
        nonce = str(cell.metadata.get("ch4_nonce", ""))
        if nonce:
            self.raw[gid] = (nonce, data)

    def records(self, planned: dict[str, list[Planned]]) -> dict[str, list[object]]:
        """The raw records of every item (JSON only; missing or malformed gives [])."""
        return {gid: self.item_records(gid, len(probes)) for gid, probes in planned.items()}

    def item_records(self, grade_id: str, count: int) -> list[object]:
        """One item's records, decoded from JSON now (one item at a time)."""
        nonce, data = self.raw.get(grade_id, ("", b""))
        try:
            written = json.loads(data) if nonce else None
        except (ValueError, RecursionError):
            return []
        if type(written) is not dict or written.get("nonce") != nonce:
            return []
        records = written.get("records")
        return records if type(records) is list and len(records) == count else []


class RecordTooLarge(OSError):
    """A record file over its item's limit."""


def _empty_folder(folder: Path) -> None:
    """Remove everything in the record folder (the kernel may have put anything there)."""
    if os.path.islink(folder):
        os.unlink(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


def read_stages(path: Path) -> dict[str, float]:
    """Stage accuracies the notebook reported through ``autograder.figures.record`` (JSON
    lines). Information for the instructor only: no score depends on them."""
    try:
        text = _read_record_file(path, MAX_STAGES_BYTES).decode("utf-8", errors="replace")
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


def _read_record_file(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes:
    """The bytes of a file the kernel wrote, checked for size before anything is decoded. The
    kernel owns the work folder, so the file (or a folder above it) may be a symlink to a file
    of the grader's, a named pipe that would block the grader forever, or huge: only a regular
    file reached without any symlink, opened without blocking, and at most ``limit`` bytes
    long is read."""
    absolute = os.path.abspath(path)
    if os.path.realpath(absolute) != absolute:
        raise OSError("a symlink on the way to the record file")
    fd = os.open(absolute, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        if info.st_size > limit:
            raise RecordTooLarge("record file too large")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise RecordTooLarge("record file too large")
    return data


def outcomes(records: list[object], count: int, why_missing: str) -> list[Outcome]:
    if len(records) != count:
        return [Outcome(missing=why_missing)] * count
    return [outcome_of(r) for r in records]


def judge_item(item: Item, probes: list[Planned], got: list[Outcome],
               want: list[Outcome], source: str = "") -> Verdict:
    """Passed when every probe passes; else the first failure in plain words (for an item of
    several functions, the first failure of each, joined by "; ": ``compare.reported``)."""
    early = unanswered(item.names, got)
    if early is not None:
        return early
    construct = construct_failure(item, source)   # ``source``: see ``answer_sources``
    if construct is not None:
        return Verdict(False, construct)
    verdicts = [judge_probe(planned.probe, mine, theirs, hidden=planned.hidden)
                for planned, mine, theirs in zip(probes, got, want, strict=True)]
    shown = reported(item, [planned.probe for planned in probes], verdicts)
    if not shown:
        return Verdict(True)
    return Verdict(False, "; ".join(verdicts[i].message
                                    + (" [hidden test]" if probes[i].hidden else "")
                                    for i in shown))


def item_message(spec: NotebookSpec, item: Item, verdict: Verdict,
                 verdicts: dict[str, Verdict]) -> str:
    """An item's message as ``ch4 check`` and ``ch4 grade`` show it: the verdict's words,
    and for a failure (not an unattempted one) the earlier item it uses that failed too
    (``verdicts``: the items judged before it)."""
    if verdict.passed or verdict.message == NOT_ATTEMPTED:
        return verdict.message
    return verdict.message + needs_note(spec, item, verdicts)


def needs_note(spec: NotebookSpec, item: Item, verdicts: dict[str, Verdict]) -> str:
    """For a failed item, the earlier exercise it uses that did not pass either (judged
    before it, in notebook order), in the shared words of ``compare.knock_on``; else ""."""
    for other in item.needs:
        if other in verdicts and not verdicts[other].passed:
            return knock_on(spec.item(other))
    return ""


def why_no_records(outcome: RunResult, index: int | None, oversized: bool = False,
                   stopped: str | None = None, cell_timeout: float = 0) -> str:
    """Plain words for an item whose probe cell (at ``index``) left no usable records;
    ``stopped``: why the run was stopped from outside (the sandbox's watchdog)."""
    if oversized:
        return ("returned far more data than this exercise's answer takes (the grader did not "
                "read it)")
    if index is None or not outcome.cells[index].ran:
        return f"not run: {stopped or outcome.fatal or 'an earlier problem'}"
    error = outcome.cells[index].error or ""
    name = error.split(":", 1)[0].strip()
    if name in ("KeyboardInterrupt", "TimeoutError"):
        return f"timed out: the checks of this item ran longer than {cell_timeout:g}s"
    if name == "KernelDied":
        return "the kernel stopped while this item was checked"
    return "the checks of this item could not run"


def public_verdict(item: Item, probes: list[Planned], got: list[Outcome],
                   want: list[Outcome], source: str = "") -> Verdict:
    """The verdict ``ch4 check`` gives on the public probes: a sealed probe compares the
    answer's form only (its expected value never ships), so the reference's is sealed too."""
    public = [i for i, p in enumerate(probes) if not p.hidden]
    return judge_item(item, [probes[i] for i in public], [got[i] for i in public],
                      [sealed(want[i]) if probes[i].probe.compare.sealed else want[i]
                       for i in public], source)
