"""Stage 3, dispatch: run what the plan left to do, in a process pool or on a Dask cluster.

A notebook without stored reference data has its reference computed first; its submissions
are sent when it lands. Each graded submission is written into OUT once (``store_graded``)
and recorded in the gradebook as it lands, so a run killed halfway keeps what it finished.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from nbgrader.api import Gradebook

from autograder.grading import gradebook, reference
from autograder.grading.backends import backend_for
from autograder.grading.collect import Skipped
from autograder.grading.layout import OutputLayout
from autograder.grading.pipeline.intake import Intake
from autograder.grading.pipeline.plan import Plan, job_key, warn_reference, with_reference
from autograder.grading.pipeline.settings import Settings
from autograder.grading.tasks import (
    Graded,
    GradeTask,
    ReferenceTask,
    grade_task_for,
    run_grade_task,
    run_reference_task,
    store_graded,
)
from autograder.grading.worker import Job
from autograder.results import GraderError, GradeResult


@dataclass(frozen=True)
class Unit:
    """One task for the executor: grade a submission (``job`` set) or compute a reference."""

    key: str
    task: GradeTask | ReferenceTask
    job: Job | None = None

    def function(self) -> Callable:
        return run_grade_task if isinstance(self.task, GradeTask) else run_reference_task


@dataclass(frozen=True)
class Failed:
    """A task that produced no value (its worker failed it)."""

    error: str


@dataclass
class Ran:
    """What the dispatch stage produced."""

    results: dict[str, GradeResult]          # student/notebook -> result (resumed included)
    errors: list[Skipped]                    # submissions the grader failed on
    reference_seconds: float = 0.0


def progress(done: int, total: int, label: str, stream: TextIO) -> None:
    """A one-line progress bar, redrawn in place."""
    width = 30
    filled = int(width * done / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    stream.write(f"\rgrading [{bar}] {done}/{total} {label[:40]:<40}")
    stream.flush()


def shown(file: str, submissions: Path) -> str:
    """A submitted file's name as the instructor gave it (relative to the submissions)."""
    try:
        return str(Path(file).relative_to(Path(submissions).resolve()))
    except ValueError:
        return Path(file).name


@dataclass
class Dispatcher:
    """Settles each unit's value as it lands: stores and records results, turns a landed
    reference into its notebook's grade units."""

    s: Settings
    taken: Intake
    plan: Plan
    gb: Gradebook
    stream: TextIO
    ran: Ran = field(init=False)

    def __post_init__(self) -> None:
        self.ran = Ran(dict(self.plan.resumed), [])

    def grade_units(self, name: str) -> list[Unit]:
        """The grade units of one notebook whose reference is known (or failed)."""
        found = self.plan.refs.get(name)
        data = Path(found).read_bytes() if found else b""
        units = []
        for job in self.plan.todo.get(name, []):
            job = with_reference(job, found)
            units.append(Unit(job_key(job), grade_task_for(
                job, self.plan.conditions, self.taken.sources[name].data, data), job))
        return units

    def first_units(self) -> list[Unit]:
        """References to compute first, then the submissions whose reference is known."""
        todo = sorted(self.plan.todo)
        first = [Unit(f"reference:{name}", ReferenceTask(
            name, self.taken.sources[name].data, self.plan.conditions))
            for name in todo if name not in self.plan.refs]
        return first + [u for name in todo if name in self.plan.refs
                        for u in self.grade_units(name)]

    def settle(self, unit: Unit, value: Graded | dict | Failed) -> list[Unit]:
        """Take one landed value; the units it makes ready."""
        if unit.job is None:
            return self.reference_landed(unit.task.notebook, value)
        if isinstance(value, Failed):
            self.landed(unit.job, GraderError(unit.job.student, unit.job.notebook, value.error))
        else:
            self.landed(unit.job, store_graded(unit.job, value,
                                               self.plan.inputs_digests[unit.key]))
        return []

    def reference_landed(self, name: str, value: dict | Failed) -> list[Unit]:
        """Store a computed reference and release its notebook's submissions; when it
        failed, each of them is a grader error."""
        if not isinstance(value, Failed):
            try:
                src = self.taken.sources[name]
                ref = reference.store(src.path, OutputLayout(self.s.out).reference, value,
                                      self.taken.key, src.facts)
            except (ValueError, OSError) as exc:
                value = Failed(str(exc))
        if isinstance(value, Failed):
            for job in self.plan.todo.get(name, []):
                self.landed(job, GraderError(job.student, job.notebook,
                                             f"the reference solution of {name} could not "
                                             f"be run: {value.error}"))
            return []
        self.ran.reference_seconds += ref.seconds
        warn_reference(name, ref, self.s, self.stream)
        self.plan.refs[name] = ref.path
        return self.grade_units(name)

    def landed(self, job: Job, result: GradeResult | GraderError) -> None:
        """Record one submission's result (or the grader's failure on it)."""
        if isinstance(result, GraderError):
            self.ran.errors.append(Skipped(shown(job.submission, self.s.submissions),
                                           f"grader error: {result.error}", job.student,
                                           job.notebook, grader_error=True))
        else:
            gradebook.record(self.gb, result)
            self.ran.results[job_key(job)] = result
        if not self.s.quiet:
            progress(len(self.ran.results) + len(self.ran.errors), len(self.plan.jobs),
                     job_key(job), self.stream)


def _submit(pool, unit: Unit, pending: dict, broken: list[Unit]) -> None:
    try:
        pending[pool.submit(unit.function(), unit.task)] = unit
    except BrokenProcessPool:
        broken.append(unit)


def _collect(backend, pool, pending: dict, broken: list[Unit],
             settle: Callable[[Unit, object], list[Unit]]) -> None:
    """Wait for every pending unit, settling each value (and submitting what it frees)."""
    while pending:
        ready, _ = wait(pending, timeout=5, return_when=FIRST_COMPLETED)
        if not ready:
            backend.check_alive()
        for future in ready:
            unit = pending.pop(future)
            try:
                value = future.result()
            except BrokenProcessPool:
                broken.append(unit)
                continue
            except Exception as exc:  # noqa: BLE001 - never stop the class
                backend.check_alive(exc)
                value = Failed(f"worker failed: {exc!r}"[:500])
            for following in settle(unit, value):
                _submit(pool, following, pending, broken)


def dispatch(backend, first: list[Unit], settle: Callable[[Unit, object], list[Unit]]
             ) -> None:
    """Run ``first`` and whatever ``settle(unit, value)`` returns next, until none is left.

    A process pool that breaks (a worker process died) costs only the units it was running:
    they are retried once in a fresh pool, then settled as failed. Any other task failure is
    settled as failed, unless the backend says the cluster itself is gone (it raises)."""
    attempts: dict[str, int] = {}
    queue = list(first)
    while queue:
        broken: list[Unit] = []
        with backend.executor() as pool:
            pending: dict = {}
            for unit in queue:
                _submit(pool, unit, pending, broken)
            queue = []
            _collect(backend, pool, pending, broken, settle)
        for unit in broken:
            attempts[unit.key] = attempts.get(unit.key, 0) + 1
            if attempts[unit.key] > 1:
                queue += settle(unit, Failed("the grading worker process died twice on this "
                                             "file"))
            else:
                queue.append(unit)


def run_plan(s: Settings, taken: Intake, plan: Plan, gb: Gradebook,
             stream: TextIO = sys.stderr) -> Ran:
    """Grade what the plan left to do; every result of the run (resumed ones included)."""
    dispatcher = Dispatcher(s, taken, plan, gb, stream)
    if not s.quiet:
        progress(len(plan.resumed), len(plan.jobs), "(resumed)" if plan.resumed else "",
                 stream)
    first = dispatcher.first_units()
    with backend_for(s.scheduler, s.workers, plan.conditions) as backend:
        if not s.quiet and first:
            stream.write(f"\rgrading on {backend.describe()}\n")
        dispatch(backend, first, dispatcher.settle)
    if not s.quiet:
        stream.write("\n")
    return dispatcher.ran
