"""Grade ONE submission: assemble, run in the sandbox, judge, and keep the result.

``grade_submission`` does the work in memory and returns the result and the executed notebook
(``Work``); ``save`` writes both into OUT once, through the layout's atomic writer
(``results/<student>/<notebook>.json`` complete or absent, and ``executed/``). ``grade`` is
the two together. A result's ``inputs_digest`` (hashes of the submission, the source and the
grading settings) lets a rerun skip finished work; the source's part of it (``SourceFacts``)
is worked out once per notebook, not once per submission.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from autograder import notebook as nbk
from autograder.analysis.diagnose import diagnose
from autograder.device import CPU_ONLY_ENV
from autograder.execute import CellResult, RunResult, run
from autograder.grading import assemble as asm
from autograder.grading.kernels import Kernel, KernelNeeds, kernel_for
from autograder.grading.layout import (
    OutputLayout,
    ResultUnreadable,
    read_result,
    write_json_atomic,
    write_text_atomic,
)
from autograder.grading.sandbox import Limits, disk_full
from autograder.grading.secret import KEY_ENV, key_id
from autograder.items import probing
from autograder.items.compare import safe_name
from autograder.items.spec import NotebookSpec
from autograder.results import GradeResult, ItemResult
from autograder.scoring import NOT_ATTEMPTED
from autograder.warm import preload_modules

RESULT_VERSION = 5
KERNEL_SIDE = ("autograder.items.runner",)   # what every probe cell imports


@dataclass(frozen=True)
class Job:
    """Everything a worker needs; plain data so it pickles to another process."""

    student: str
    assignment: str
    notebook: str
    submission: str
    source: str
    out: str
    limits: Limits
    data_dirs: tuple[str, ...] = ()
    sandbox: bool = True
    max_output_chars: int = 100_000
    reference: str = ""          # the reference outcomes file (reference.ensure)
    key: str = ""                # the grading secret behind the hidden inputs (secret.py)
    spares: int = 1              # kernels kept started ahead (0: cold; same sandbox, grades)

    def result_path(self) -> Path:
        return OutputLayout(Path(self.out)).result(self.student, self.notebook)

    def executed_path(self) -> Path:
        return OutputLayout(Path(self.out)).executed_notebook(self.student, self.notebook)


def file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


@dataclass(frozen=True)
class SourceFacts:
    """What a result's inputs digest takes from the source notebook: its bytes' hash and the
    hash of its item specs."""

    sha256: str
    specs: str


def source_facts(path: Path, nb: NotebookNode | None = None,
                 data: bytes | None = None) -> SourceFacts:
    """The facts of the source at ``path`` (``nb``/``data``: it already parsed or read)."""
    try:
        specs = probing.spec_hash(nb if nb is not None else nbk.read(path))
    except (nbk.NotebookError, probing.SpecMissing, ImportError, OSError):
        specs = "no spec"
    sha = hashlib.sha256(data).hexdigest() if data is not None else file_hash(Path(path))
    return SourceFacts(sha, specs)


def inputs_digest(job: Job, source: SourceFacts | None = None) -> str:
    """The digest of the inputs ``job``'s result is made from (``source``: the source's facts,
    when known)."""
    facts = source if source is not None else source_facts(Path(job.source))
    settings = json.dumps({"v": RESULT_VERSION, "limits": asdict(job.limits),
                           "sandbox": job.sandbox, "specs": facts.specs,
                           "key": key_id(job.key)}, sort_keys=True)
    parts = [file_hash(Path(job.submission)), facts.sha256, settings]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def finished(job: Job, expected: str | None = None) -> GradeResult | None:
    """The stored result when it is complete and for the same inputs (``expected``: the job's
    inputs digest, when known), else None."""
    try:
        result = read_result(job.result_path())
    except ResultUnreadable:
        return None
    return result if result.inputs_digest == (expected or inputs_digest(job)) else None


def _error_name(error: str) -> str:
    name = error.split(":", 1)[0].strip()
    return safe_name(name) if name else "Error"


def _answer_error(error: str | None, limits: Limits, seconds: float) -> str:
    """Why an answer cell failed, from its exception's type name only (never its text)."""
    if error is None:
        return ""
    name = _error_name(error)
    if name == "KernelDied":
        return "the kernel stopped here (exit, crash or memory limit)"
    if name == "KeyboardInterrupt" and seconds >= limits.cell_timeout - 1:
        return f"timed out: the cell ran longer than {limits.cell_timeout:g}s"
    if name == "NotImplementedError":
        return NOT_ATTEMPTED
    if name == "MemoryError":
        return f"ran out of memory (limit {limits.memory_mb} MB)"
    return f"raised {name}"


@dataclass
class Executed:
    """A notebook run with its probe cells, and the records the probes wrote."""

    outcome: RunResult
    records: probing.RecordChannel   # decoded one item at a time (``item_records``)
    killed: str | None
    stages: dict[str, float]         # chapter stages the notebook reported (autograder.figures)
    disk_full: bool = False          # the sandbox's disk quota was used up
    oversized: frozenset[str] = frozenset()   # items whose records were over their limit
    kernel_output: str = ""          # what the kernel process wrote to stdout/stderr (capped)
    warm: bool = False               # the kernel was started ahead (``kernels.kernel_for``)


def execute_with_probes(nb, spec, planned: dict[str, list[probing.Planned]], limits: Limits,
                        data_dirs: tuple[str, ...], sandbox: bool,
                        max_output_chars: int = 100_000,
                        preludes: dict[str, str] | None = None,
                        record_limits: dict[str, int] | None = None,
                        spares: int = 0, preload: tuple[str, ...] = ()) -> Executed:
    """Run ``nb`` (probe cells appended) in a kernel of its own, sandboxed unless told
    otherwise; the probe records are taken around each probe cell (``probing.RecordChannel``),
    and the notebook's outputs are frozen when probing begins. ``preludes``: per item, the
    answer's definitions each probe re-runs (``probing.preludes``); ``record_limits``: the most
    bytes each item's records may take; ``spares``: kernels to keep started ahead, importing
    ``preload`` (``kernels.kernel_for``; 0: a kernel started now)."""
    preludes = preludes or {}
    nb.cells += [probing.probe_cell(gid, probes, preludes.get(gid, ""), spec.item(gid).names)
                 for gid, probes in planned.items()]
    needs = KernelNeeds(limits, tuple(data_dirs), preload if spares else ())
    with kernel_for(needs, sandbox, spares) as kernel:
        return _execute_in(kernel, nb, limits, max_output_chars, record_limits or {})


def _execute_in(kernel: Kernel, nb, limits: Limits, max_output_chars: int,
                record_limits: dict[str, int]) -> Executed:
    km, cwd, figures = kernel.km, kernel.work, kernel.figures
    channel = probing.RecordChannel(cwd, figures, record_limits)
    env = {"PATH": "/usr/bin:/bin"} if km is not None else dict(
        os.environ, PYTHONWARNINGS="ignore", TQDM_DISABLE="1", CH4_OFFLINE="1",
        HOME=str(cwd), MPLCONFIGDIR=str(cwd / ".matplotlib"), MPLBACKEND="agg",
        CH4_FIGURES_OUT=str(figures), **CPU_ONLY_ENV)
    env.pop(KEY_ENV, None)          # the kernel never learns where the grading key is
    try:
        outcome = run(nb, cwd=cwd, cell_timeout=limits.cell_timeout,
                      total_timeout=limits.notebook_timeout, env=env, kernel_manager=km,
                      max_output_chars=max_output_chars, startup_timeout=120,
                      hooks=channel.hooks())
    except Exception as exc:  # noqa: BLE001 - the kernel is the student's: it may send
        # messages jupyter_client cannot read (a patched json or signing); the run stops
        # there, and whatever records were written before are still judged
        outcome = RunResult(nb, [CellResult(i) for i in range(len(nb.cells))],
                            fatal="the kernel sent messages the grader cannot read "
                                  f"({type(exc).__name__})")
    killed, output = None, ""
    if km is not None:
        output = km.finish()            # killed and reaped now, not when the worker exits
        killed = km.killed_reason
    stages = channel.stages if channel.probing else probing.read_stages(figures)
    return Executed(outcome, channel, killed, stages, disk_full(kernel.root, limits),
                    frozenset(channel.oversized), output, kernel.warm)


@dataclass
class Work:
    """One submission graded in memory: its result and the notebook as run (probe cells
    removed; None when the submission could not be built)."""

    result: GradeResult
    executed: NotebookNode | None


def grade(job: Job) -> GradeResult:
    """Grade one submission, write its result and executed notebook into ``job.out``."""
    work = grade_submission(job)
    save(job, work)
    return work.result


def save(job: Job, work: Work) -> None:
    """Write the executed notebook, then the result (a rerun trusts a complete result)."""
    if work.executed is not None:
        write_text_atomic(job.executed_path(), nbk.dumps(work.executed))
    write_json_atomic(job.result_path(), work.result.to_json())


def grade_submission(job: Job, source: NotebookNode | None = None,
                     facts: SourceFacts | None = None) -> Work:
    """Grade one submission and return it (nothing written). ``source``/``facts``: the source
    notebook parsed and the facts its inputs digest takes, when the caller has them."""
    started = time.monotonic()
    source = source if source is not None else nbk.read(job.source)
    built = _assembled(job, source)
    result = GradeResult(job.student, job.assignment, job.notebook, job.submission,
                         inputs_digest(job, facts or source_facts(Path(job.source), source)),
                         RESULT_VERSION, problems=built.problems, flags=built.flags,
                         invalid=built.invalid)
    executed = None
    if built.nb is None:
        result.items = [ItemResult(it.grade_id, 0.0, it.points, False, it.manual,
                                   f"not graded: {built.invalid}")
                        for it in nbk.graded_items(source)]
    else:
        executed = _run_and_judge(job, source, built, result)
    result.timings["total_s"] = round(time.monotonic() - started, 2)
    return Work(result, executed)


def _assembled(job: Job, source: NotebookNode) -> asm.Assembled:
    """The notebook to run, or why the submission cannot be graded."""
    try:
        return asm.assemble(source, nbk.read(job.submission))
    except nbk.NotebookError as exc:
        return asm.Assembled(None, invalid=str(exc).replace(str(Path(job.submission).parent),
                                                            "").lstrip("/"))


def _run_and_judge(job: Job, source: NotebookNode, built: asm.Assembled,
                   result: GradeResult) -> NotebookNode:
    """Run the built notebook with its probes, fill ``result`` in, return the notebook run."""
    nb = built.nb
    spec = probing.spec_of(source)
    planned = probing.plan(spec, job.key)
    reference = (load_reference(Path(job.reference)) if job.reference
                 else ReferenceData({}, {}))
    executed = execute_with_probes(nb, spec, planned, job.limits, job.data_dirs, job.sandbox,
                                   job.max_output_chars, probing.preludes(spec, nb),
                                   reference.record_limits, job.spares,
                                   preload_modules(source, KERNEL_SIDE))
    _note_run(result, executed, reference, job.limits)
    judging = Judging(nb, built, spec, planned, executed, reference, job.limits,
                      probing.answer_sources(spec, nb), asm.answer_before(nb))
    result.items, result.answers, analysis_s = judge_cells(judging)
    result.timings["analysis_s"] = round(analysis_s, 4)
    result.outputs = _answer_outputs(nb)
    nb.cells = [c for c in nb.cells if not probing.is_probe_cell(c)]
    return nb


def _note_run(result: GradeResult, executed: Executed, reference: ReferenceData,
              limits: Limits) -> None:
    """What the run itself tells: fatal errors, the kernel, timings, stages, quota."""
    outcome = executed.outcome
    result.fatal = outcome.fatal
    result.killed = executed.killed
    result.kernel_output = executed.kernel_output
    result.warm_kernel = executed.warm
    result.timings = {"kernel_start_s": round(outcome.kernel_start_s, 2),
                      "run_s": round(outcome.total_s, 2)}
    # only stages the reference also reached: a stage name is the kernel's text
    result.stages = {name: value for name, value in executed.stages.items()
                     if name in reference.stages}
    if executed.disk_full:
        result.problems.append(f"the notebook used up the sandbox's disk quota "
                               f"({limits.disk_mb} MB for all its files): writes failed "
                               "from then on")
    for stage in sorted(set(reference.stages) - set(executed.stages)):
        result.problems.append(f"the notebook's {stage} stage did not run to the end here "
                               "(the reference solution's did): see the cells before it")


@dataclass
class Judging:
    """Everything the items of one run are judged from."""

    nb: NotebookNode
    built: asm.Assembled
    spec: NotebookSpec                             # the notebook's item specs
    planned: dict[str, list[probing.Planned]]
    executed: Executed
    reference: ReferenceData
    limits: Limits
    sources: dict[str, str]                        # answer sources, for construct rules
    before: dict[str, list[str]]                   # item -> answer cells before it
    verdicts: dict[str, probing.Verdict] = field(default_factory=dict)
    analysis_s: float = 0.0
    by_id: dict[str, int] = field(init=False)      # grade id -> cell index
    probes: dict[str, int] = field(init=False)     # item -> its probe cell's index

    def __post_init__(self) -> None:
        self.by_id = {nbk.grade_id(c): i for i, c in enumerate(self.nb.cells)
                      if nbk.grade_id(c)}
        self.probes = {c.metadata.get("ch4_item"): i for i, c in enumerate(self.nb.cells)
                       if probing.is_probe_cell(c)}


def judge_cells(j: Judging) -> tuple[list[ItemResult], dict[str, str], float]:
    """Every graded cell's item, in notebook order, the answers' text and the seconds the
    instructor-only analysis took."""
    items: list[ItemResult] = []
    answers: dict[str, str] = {}
    for cell in j.nb.cells:
        gid = nbk.grade_id(cell)
        if not gid:
            continue
        points = float(nbk.meta(cell).get("points", 0))
        if nbk.is_solution(cell):
            answers[gid] = cell.source
        if nbk.is_manual(cell):
            blank = gid in j.built.blank_answers
            items.append(ItemResult(gid, 0.0, points, False, True,
                                    "left blank" if blank else "marked by hand",
                                    needs_review=not blank))
        elif nbk.is_autograded_test(cell):
            items.append(judge_autograded(j, gid, points))
    return items, answers, j.analysis_s


def judge_autograded(j: Judging, gid: str, points: float) -> ItemResult:
    """One autograded item: its verdict on the probes' values against the reference's, the
    public probes' verdict (the one function ``ch4 check`` uses too) and the diagnosis."""
    outcome, planned = j.executed.outcome, gid in j.planned
    item = j.spec.item(gid) if planned else None
    probes = j.planned.get(gid, [])
    why = probing.why_no_records(outcome, j.probes.get(gid), gid in j.executed.oversized,
                                 j.executed.killed, j.limits.cell_timeout)
    got = probing.outcomes(j.executed.records.item_records(gid, len(probes)), len(probes), why)
    want = j.reference.outcomes.get(gid) or [
        probing.Outcome(missing="reference missing")] * len(probes)
    source = j.sources.get(gid, "")
    verdict = probing.judge_item(item, probes, got, want, source) if planned \
        else probing.Verdict(False, "not graded: this item has no spec (grader problem)")
    j.verdicts[gid] = verdict
    analysis_started = time.perf_counter()
    diagnosis = diagnose(item, [p.probe for p in probes], got, want, verdict.passed) \
        if planned and verdict.message != NOT_ATTEMPTED else None    # instructor-only
    j.analysis_s += time.perf_counter() - analysis_started
    public_passed = planned and probing.public_verdict(item, probes, got, want, source).passed
    flagged = sorted(set(j.built.flags).intersection(j.before.get(gid, [])))
    return ItemResult(gid, points if verdict.passed else 0.0, points, verdict.passed, False,
                      _message(j, gid, verdict, flagged), public_passed=public_passed,
                      needs_review=bool(flagged), diagnosis=diagnosis)


def _message(j: Judging, gid: str, verdict: probing.Verdict, flagged: list[str]) -> str:
    """The item's message: the verdict's, why its answer cell failed, what it needs, and
    whether it is flagged for review."""
    message = verdict.message
    own = j.by_id.get(f"{gid}_answer")
    outcome = j.executed.outcome
    if not verdict.passed and own is not None and outcome.cells[own].error:
        why = _answer_error(outcome.cells[own].error, j.limits, outcome.cells[own].seconds)
        if why != message:
            message += f" (your answer cell {gid}_answer failed: {why})"
    if not verdict.passed and gid in j.planned and message != NOT_ATTEMPTED:
        message += probing.needs_note(j.spec, j.spec.item(gid), j.verdicts)
    if flagged:
        message = (message + "; " if message else "") + (
            "flagged for review: answer cell(s) " + ", ".join(flagged)
            + " reach for the grader (the score above does not depend on it)")
    return message


@dataclass(frozen=True)
class ReferenceData:
    """What the reference solution produced: probe outcomes and stage accuracies, and the most
    bytes a student's records of each item may take (a legitimate answer is about the size of
    the reference's; the limit leaves room for other dtypes and formatting)."""

    outcomes: dict[str, list[probing.Outcome]]
    stages: dict[str, float]
    record_limits: dict[str, int] = field(default_factory=dict)


RECORD_SLACK = 4                 # a student's records may take this many times the reference's
RECORD_FLOOR = 256 * 1024        # ... and never less than this


def load_reference(path: Path) -> ReferenceData:
    """The reference data written by ``reference.ensure`` (empty when unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ReferenceData({}, {})
    records = data.get("records", {})
    return ReferenceData({gid: [probing.outcome_of(r) for r in items]
                          for gid, items in records.items()},
                         dict(data.get("stages", {})),
                         {gid: max(RECORD_FLOOR, RECORD_SLACK * len(json.dumps(items)))
                          for gid, items in records.items()})


def _answer_outputs(nb) -> dict[str, str]:
    """Text the student's own answer cells printed (for the feedback), capped."""
    out = {}
    for cell in nb.cells:
        gid = nbk.grade_id(cell)
        if not gid or not nbk.is_solution(cell) or cell.cell_type != "code":
            continue
        parts = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                parts.append(o.get("text", ""))
            elif o.get("output_type") == "error":
                parts.append(f"{o.get('ename')}: {o.get('evalue')}")
        out[gid] = "".join(parts)[:5000]
    return out
