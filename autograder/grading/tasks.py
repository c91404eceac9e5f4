"""The units of work a grading worker runs, wherever it is: plain bytes in, plain data out.

A worker may be a local process or a Dask worker on another machine without the instructor's
files, so a task carries everything it needs (the submission's bytes, the frozen source
notebook's bytes, the reference data) and returns its result as data (the typed result as JSON
and the executed notebook's text), graded in memory (``worker.grade_submission``). The worker
writes only its inputs into its own temporary folder; the grading client alone writes
results/, executed/, reference/ and the gradebook (``store_*``), each once.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading import reference as ref
from autograder.grading.layout import write_json_atomic, write_text_atomic
from autograder.grading.sandbox import (
    Limits,
    SandboxUnavailable,
    check_available,
    owned_folder,
)
from autograder.grading.worker import Job, grade_submission, inputs_digest, source_facts
from autograder.results import GraderError, GradeResult


@dataclass(frozen=True)
class Conditions:
    """How every notebook of the run is executed (the same for every task)."""

    limits: Limits
    data_dirs: tuple[str, ...]
    sandbox: bool
    remote: bool = False          # on a cluster: a worker lacking the data folders builds them
    full_mnist: bool = False      # ... with full MNIST too
    key: str = ""                 # the grading secret (hidden inputs); never sent to a kernel
    spares: int = 0               # kernels kept started ahead per worker (autograder.warm)


@dataclass(frozen=True)
class GradeTask:
    """One submission to grade."""

    student: str
    assignment: str
    notebook: str
    file_name: str                # the submitted file's name (messages only)
    submission: bytes
    source: bytes                 # the frozen source notebook
    reference: bytes              # the reference data (JSON), b"" when there is none
    conditions: Conditions


@dataclass(frozen=True)
class ReferenceTask:
    """One source notebook whose solution gives the reference outcomes."""

    notebook: str
    source: bytes
    conditions: Conditions


@dataclass(frozen=True)
class Graded:
    """What a grade task sends back: the result and the executed notebook (None if none)."""

    result: dict
    executed: str | None


class WorkerUnfit(RuntimeError):
    """This worker cannot grade safely (no sandbox, no data); another worker may."""


def prepare_worker(conditions: Conditions) -> tuple[str, ...]:
    """Check the sandbox and return data folders that exist here (building MNIST if none)."""
    if conditions.sandbox:
        try:
            check_available()
        except SandboxUnavailable as exc:
            raise WorkerUnfit(f"this worker cannot sandbox student code: {exc}") from exc
    present = tuple(d for d in conditions.data_dirs if Path(d).is_dir())
    if conditions.remote and conditions.data_dirs and not present:
        from autograder.grading.data_dirs import default_data_dirs

        present = tuple(str(d) for d in default_data_dirs(conditions.full_mnist))
        if not present:
            raise WorkerUnfit("this worker has no MNIST data (set CH4_MNIST_DIR or run "
                              "`ch4 data` on it)")
    return present


def run_grade_task(task: GradeTask) -> Graded:
    """Grade one submission (its inputs in a scratch folder of this worker, the work in
    memory) and return it as data."""
    data_dirs = prepare_worker(task.conditions)
    scratch = owned_folder("task")
    try:
        source = scratch / "source" / f"{task.notebook}.ipynb"
        submitted = scratch / "submitted" / (Path(task.file_name).name or "submission.ipynb")
        reference = scratch / "reference.json"
        for path, data in ((source, task.source), (submitted, task.submission),
                           (reference, task.reference)):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        c = task.conditions
        job = Job(task.student, task.assignment, task.notebook, str(submitted), str(source),
                  "", c.limits, data_dirs, c.sandbox,
                  reference=str(reference) if task.reference else "", key=c.key,
                  spares=c.spares)
        try:
            parsed = nbk.read(source)                   # read once, here on the worker
            work = grade_submission(job, parsed, source_facts(source, parsed, task.source))
        except Exception as exc:  # noqa: BLE001 - one bad submission must not stop the class
            return Graded({"grader_error": repr(exc)[:500]}, None)
        return Graded(work.result.to_json(),
                      nbk.dumps(work.executed) if work.executed is not None else None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run_reference_task(task: ReferenceTask) -> dict:
    """Run the solution's probes in a scratch folder of this worker; the reference data."""
    data_dirs = prepare_worker(task.conditions)
    scratch = owned_folder("reftask")
    try:
        source = scratch / f"{task.notebook}.ipynb"
        source.write_bytes(task.source)
        c = task.conditions
        return ref.compute(source, c.limits, data_dirs, c.sandbox, c.key, c.spares)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def grade_task_for(job: Job, conditions: Conditions, source: bytes | None = None,
                   reference: bytes | None = None) -> GradeTask:
    """The task of a job, with the bytes it needs read here on the client (``source``,
    ``reference``: the frozen source's and the reference's bytes, when already read)."""
    if reference is None:
        reference = Path(job.reference).read_bytes() if job.reference else b""
    if source is None:
        source = Path(job.source).read_bytes()
    return GradeTask(job.student, job.assignment, job.notebook, Path(job.submission).name,
                     Path(job.submission).read_bytes(), source, reference, conditions)


def store_graded(job: Job, graded: Graded, expected: str | None = None
                 ) -> GradeResult | GraderError:
    """Write what a worker returned into the client's output folder (results/, executed/),
    once; ``expected``: the job's inputs digest, when the client already worked it out."""
    if "grader_error" in graded.result:
        return GraderError(job.student, job.notebook, str(graded.result["grader_error"]))
    try:
        result = GradeResult.from_json(graded.result)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        return GraderError(job.student, job.notebook, f"unreadable result from worker: {exc!r}")
    if result.inputs_digest != (expected or inputs_digest(job)):
        return GraderError(job.student, job.notebook,
                           "the worker graded with another version of the grader or its "
                           "settings (install the same version on every worker)")
    result.submission = job.submission
    if graded.executed is not None:
        write_text_atomic(job.executed_path(), graded.executed)
    write_json_atomic(job.result_path(), result.to_json())
    return result

