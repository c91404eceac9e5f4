"""Grade a class: collect, grade in a process pool, record, write feedback and reports.

Resumable: every finished submission has a complete result file (temp + rename); a rerun
replays those into the gradebook (idempotent) and grades only what is missing or changed.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading import feedback, gradebook, reference, report
from autograder.grading.collect import Submission, collect
from autograder.grading.result import GraderError, GradeResult
from autograder.grading.sandbox import Limits
from autograder.grading.worker import Job, finished, grade


@dataclass
class Settings:
    submissions: Path
    solutions: Path
    out: Path
    assignment: str = "ch4"
    workers: int = 1
    limits: Limits = field(default_factory=Limits)
    db: str | None = None
    data_dirs: tuple[str, ...] = ()
    sandbox: bool = True
    force: bool = False
    notebooks: tuple[str, ...] = ()     # restrict to these notebook names (empty: all)
    quiet: bool = False


@dataclass
class Outcome:
    results: list[GradeResult]
    skipped: list[str]
    reused: int
    graded: int
    seconds: float
    out: Path
    reference_seconds: float = 0.0


def sources(solutions: Path, only: tuple[str, ...] = ()) -> dict[str, Path]:
    found = {p.stem: p for p in sorted(Path(solutions).glob("*.ipynb"))
             if not p.name.startswith(".")}
    if only:
        found = {k: v for k, v in found.items() if k in only}
    return found


def freeze_sources(srcs: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Copy the source notebooks once, so that the whole batch is graded against the same
    version even if someone edits solutions/ while it runs (instructor-only folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    frozen = {}
    for name, path in srcs.items():
        data = Path(path).read_bytes()
        target = folder / f"{name}.ipynb"
        if not target.exists() or target.read_bytes() != data:
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
        frozen[name] = target
    return frozen


def _progress(done: int, total: int, label: str, stream) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    stream.write(f"\rgrading [{bar}] {done}/{total} {label[:40]:<40}")
    stream.flush()


def _make_job(sub: Submission, source: Path, s: Settings, refs: dict[str, Path]) -> Job:
    return Job(sub.student, sub.assignment, sub.notebook, str(sub.path.resolve()),
               str(source.resolve()), str(s.out.resolve()), s.limits, tuple(s.data_dirs),
               s.sandbox, reference=str(refs.get(sub.notebook, "")))


def _references(srcs: dict[str, Path], s: Settings, stream) -> tuple[dict[str, Path], float]:
    """Compute (or reuse) the reference outcomes of every notebook to grade."""
    paths, seconds = {}, 0.0
    for name, path in srcs.items():
        ref = reference.ensure(path, s.out / "reference", s.limits, tuple(s.data_dirs),
                               s.sandbox)
        paths[name] = ref.path
        seconds += ref.seconds
        if ref.errors:
            stream.write(f"warning: the reference solution of {name} failed in "
                         f"{'; '.join(ref.errors)} (raise --timeout or --memory?): stages "
                         "after it are not compared\n")
        if ref.missing and not s.quiet:
            stream.write(f"warning: the reference solution of {name} gave no result for "
                         f"{', '.join(ref.missing)}; those items cannot pass\n")
    return paths, seconds


def _safe_grade(job: Job) -> GradeResult | GraderError:
    try:
        return grade(job)
    except Exception as exc:  # noqa: BLE001 - one bad submission must not stop the class
        return GraderError(job.student, job.notebook, repr(exc)[:500])


def _run_pool(todo: list[Job], workers: int, landed) -> None:
    """Grade ``todo`` in worker processes; a worker that dies (the pool breaks) costs only the
    jobs it was running: they are retried once in a fresh pool, then reported as errors."""
    attempts: dict[Job, int] = {}
    queue = list(todo)
    ctx = multiprocessing.get_context("spawn")
    while queue:
        broken: list[Job] = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            pending = {pool.submit(_safe_grade, job): job for job in queue}
            queue = []
            while pending:
                ready, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in ready:
                    job = pending.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken.append(job)
                        continue
                    except Exception as exc:  # noqa: BLE001 - never stop the class
                        result = GraderError(job.student, job.notebook,
                                             f"worker failed: {exc!r}"[:500])
                    landed(job, result)
        for job in broken:
            attempts[job] = attempts.get(job, 0) + 1
            if attempts[job] > 1:
                landed(job, GraderError(job.student, job.notebook,
                                        "the grading worker process died twice on this file"))
            else:
                queue.append(job)


def grade_class(s: Settings) -> Outcome:
    started = time.monotonic()
    s.out.mkdir(parents=True, exist_ok=True)
    srcs = sources(s.solutions, s.notebooks)
    if not srcs:
        raise nbk.NotebookError(f"{s.solutions}: no source notebooks")
    srcs = freeze_sources(srcs, s.out / "sources")
    subs, skipped = collect(s.submissions, list(srcs), s.assignment, s.out / "extracted")
    stream = sys.stderr
    refs, reference_s = _references({n: srcs[n] for n in sorted({x.notebook for x in subs})},
                                    s, stream)
    jobs = [_make_job(sub, srcs[sub.notebook], s, refs) for sub in subs]
    gb = gradebook.open_gradebook(s.db or gradebook.default_url(s.out))
    try:
        gradebook.setup_assignment(gb, s.assignment, {n: srcs[n] for n in sorted(
            {j.notebook for j in jobs})})
        results: dict[str, GradeResult] = {}
        todo = []
        for job in jobs:
            done = None if s.force else finished(job)
            if done is not None:
                gradebook.record(gb, done)
                results[f"{job.student}/{job.notebook}"] = done
            else:
                todo.append(job)
        reused = len(results)
        total = len(jobs)
        if not s.quiet:
            _progress(len(results), total, "(resumed)" if reused else "", stream)
        errors: list[str] = []

        def landed(job: Job, result: GradeResult | GraderError) -> None:
            if isinstance(result, GraderError):
                errors.append(f"{job.student}/{job.notebook}: {result.error}")
            else:
                gradebook.record(gb, result)
                results[f"{job.student}/{job.notebook}"] = result
            if not s.quiet:
                _progress(len(results) + len(errors), total, f"{job.student}/{job.notebook}",
                          stream)

        _run_pool(todo, max(1, s.workers), landed)
        if not s.quiet:
            stream.write("\n")
        skipped += [f"grader error: {e}" for e in errors]
        ordered = [results[k] for k in sorted(results)]
        srcs_used = {n: srcs[n] for n in {r.notebook for r in ordered}}
        feedback.write_all(ordered, srcs_used, s.out / "feedback")
        export = gradebook.export_rows(gb, s.assignment)
        gradebook.nbgrader_csv(gb, s.out / "nbgrader_export.csv")
    finally:
        gb.close()
    report.write_all(ordered, srcs_used, s.out, export)
    return Outcome(ordered, skipped, reused, len(todo), time.monotonic() - started, s.out,
                   reference_s)
