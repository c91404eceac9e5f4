"""Grade a class: collect, grade in a process pool or on a Dask cluster, record, report.

Resumable: every finished submission has a complete result file (temp + rename); a rerun
replays those into the gradebook (idempotent) and grades only what is missing or changed.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading import (
    course_folder,
    feedback,
    gradebook,
    hand_marks,
    lms,
    reference,
    reopen,
    report,
    secret,
    similarity,
    term_run,
)
from autograder.grading.backends import backend_for
from autograder.grading.collect import Skipped, Submission, collect
from autograder.grading.lms import LmsOptions, LmsWritten
from autograder.grading.sandbox import Limits, remove_orphaned_folders
from autograder.grading.tasks import (
    Conditions,
    GradeTask,
    ReferenceTask,
    grade_task_for,
    run_grade_task,
    run_reference_task,
    store_graded,
)
from autograder.grading.worker import Job, finished
from autograder.results import GraderError, GradeResult
from autograder.term import standing


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
    scheduler: str | None = None        # Dask: tcp://HOST:PORT or local:N (None: process pool)
    lms: LmsOptions = field(default_factory=LmsOptions)  # partial scores, Moodle emails
    key_file: Path | None = None        # the grading key (default: secret.key_path)
    course: Path | None = None          # the course definition (default: OUT's copy, if any)
    warm: bool = True                   # kernels started ahead (autograder.warm); Dask: cold


@dataclass
class Outcome:
    results: list[GradeResult]
    skipped: list[Skipped]
    reused: int
    graded: int
    seconds: float
    out: Path
    reference_seconds: float = 0.0
    lms_written: LmsWritten = field(default_factory=LmsWritten)  # who the LMS CSVs left blank


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


def _shown(file: str, submissions: Path) -> str:
    try:
        return str(Path(file).relative_to(Path(submissions).resolve()))
    except ValueError:
        return Path(file).name


def _make_job(sub: Submission, source: Path, s: Settings, refs: dict[str, Path],
              key: str) -> Job:
    return Job(sub.student, sub.assignment, sub.notebook, str(sub.path.resolve()),
               str(source.resolve()), str(s.out.resolve()), s.limits, tuple(s.data_dirs),
               s.sandbox, reference=str(refs.get(sub.notebook, "")), key=key,
               spares=_spares(s))


def _spares(s: Settings) -> int:
    """Kernels each worker keeps started ahead: enough to keep this machine's cores busy
    starting kernels while notebooks run (0: cold; Dask workers always start cold)."""
    if not s.warm or s.scheduler or not s.sandbox:
        return 0
    return max(1, (os.cpu_count() or 1) // max(1, s.workers))


@dataclass(frozen=True)
class Unit:
    """One task for the executor: grade a submission (``job`` set) or compute a reference."""

    key: str
    task: GradeTask | ReferenceTask
    job: Job | None = None

    def function(self):
        return run_grade_task if isinstance(self.task, GradeTask) else run_reference_task


@dataclass(frozen=True)
class Failed:
    """A task that produced no value (its worker failed it)."""

    error: str


def _submit(pool, unit: Unit, pending: dict, broken: list[Unit]) -> None:
    try:
        pending[pool.submit(unit.function(), unit.task)] = unit
    except BrokenProcessPool:
        broken.append(unit)


def _dispatch(backend, first: list[Unit], settle) -> None:
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
        for unit in broken:
            attempts[unit.key] = attempts.get(unit.key, 0) + 1
            if attempts[unit.key] > 1:
                queue += settle(unit, Failed("the grading worker process died twice on this "
                                             "file"))
            else:
                queue.append(unit)


def _warn_reference(name: str, ref: reference.Reference, s: Settings, stream) -> None:
    if ref.errors:
        stream.write(f"warning: the reference solution of {name} failed in "
                     f"{'; '.join(ref.errors)} (raise --timeout or --memory?): stages "
                     "after it are not compared\n")
    if ref.missing and not s.quiet:
        stream.write(f"warning: the reference solution of {name} gave no result for "
                     f"{', '.join(ref.missing)}; those items cannot pass\n")


def grade_class(s: Settings) -> Outcome:
    started = time.monotonic()
    s.out.mkdir(parents=True, exist_ok=True)
    remove_orphaned_folders()       # sandboxes of a grader that was killed
    term = term_run.prepare(s.out, s.course, s.assignment)
    srcs = sources(s.solutions, s.notebooks or tuple(term.notebooks))
    if not srcs:
        raise nbk.NotebookError(f"{s.solutions}: no source notebooks")
    srcs = freeze_sources(srcs, s.out / "sources")
    whole = freeze_sources(sources(s.solutions, tuple(term.notebooks)), s.out / "sources") \
        if term.definition else srcs           # every notebook of the term: its maxima
    key = secret.grading_key(s.out, s.key_file)
    subs, skipped = collect(s.submissions, list(srcs), s.assignment, s.out / "extracted",
                            term.notebooks, term.cutoff if term.definition else None)
    term_run.record_arrivals(s.out, subs)
    lms.remember_submissions(((sub.student, sub.notebook, sub.lms_name) for sub in subs
                              if sub.lms_name), s.out)
    stream = sys.stderr
    needed = sorted({x.notebook for x in subs})
    refs: dict[str, Path] = {}
    for name in needed:
        stored = reference.lookup(srcs[name], s.out / "reference", key)
        if stored is not None:
            refs[name] = stored.path
            _warn_reference(name, stored, s, stream)
    conditions = Conditions(s.limits, tuple(s.data_dirs), s.sandbox, remote=bool(s.scheduler),
                            full_mnist=bool(s.scheduler) and any(
                                "full_path(" in srcs[n].read_text(encoding="utf-8")
                                for n in needed),
                            key=key, spares=_spares(s))
    jobs = [_make_job(sub, srcs[sub.notebook], s, refs, key) for sub in subs]
    gb, db = gradebook.open_for(s.out, s.db)   # the URL recorded in OUT, or --db
    reference_s = 0.0
    try:
        term_run.setup(gb, term_run.term_sources(term, whole, {j.notebook for j in jobs}))
        results: dict[str, GradeResult] = {}
        todo: dict[str, list[Job]] = {}
        for job in jobs:
            done = None if s.force else finished(job)
            if done is not None:
                done = term_run.reassigned(done, job.assignment)
                gradebook.record(gb, done)
                results[f"{job.student}/{job.notebook}"] = done
            else:
                todo.setdefault(job.notebook, []).append(job)
        reused = len(results)
        total = len(jobs)
        graded_now = sum(len(v) for v in todo.values())
        if not s.quiet:
            _progress(len(results), total, "(resumed)" if reused else "", stream)
        errors: list[Skipped] = []

        def grade_units(name: str) -> list[Unit]:
            found = refs.get(name)
            return [Unit(f"{j.student}/{j.notebook}",
                         grade_task_for(replace(j, reference=str(found or "")), conditions),
                         replace(j, reference=str(found or "")))
                    for j in todo.get(name, [])]

        def settle(unit: Unit, value) -> list[Unit]:
            nonlocal reference_s
            if unit.job is None:                      # a reference landed
                name = unit.task.notebook
                if isinstance(value, Failed):
                    for job in todo.get(name, []):
                        landed(job, GraderError(job.student, job.notebook,
                                                f"the reference solution of {name} could not "
                                                f"be run: {value.error}"))
                    return []
                try:
                    ref = reference.store(srcs[name], s.out / "reference", value, key)
                except (ValueError, OSError) as exc:
                    return settle(unit, Failed(str(exc)))
                reference_s += ref.seconds
                _warn_reference(name, ref, s, stream)
                refs[name] = ref.path
                return grade_units(name)
            if isinstance(value, Failed):
                landed(unit.job, GraderError(unit.job.student, unit.job.notebook, value.error))
            else:
                landed(unit.job, store_graded(unit.job, value))
            return []

        def landed(job: Job, result: GradeResult | GraderError) -> None:
            if isinstance(result, GraderError):
                errors.append(Skipped(_shown(job.submission, s.submissions),
                                      f"grader error: {result.error}", job.student,
                                      job.notebook, grader_error=True))
            else:
                gradebook.record(gb, result)
                results[f"{job.student}/{job.notebook}"] = result
            if not s.quiet:
                _progress(len(results) + len(errors), total, f"{job.student}/{job.notebook}",
                          stream)

        first = [Unit(f"reference/{name}", ReferenceTask(name, srcs[name].read_bytes(),
                                                         conditions))
                 for name in sorted(todo) if name not in refs]
        first += [u for name in sorted(todo) if name in refs for u in grade_units(name)]
        with backend_for(s.scheduler, s.workers, conditions) as backend:
            if not s.quiet and first:
                stream.write(f"\rgrading on {backend.describe()}\n")
            _dispatch(backend, first, settle)
        if not s.quiet:
            stream.write("\n")
        skipped += errors
        ordered = [results[k] for k in sorted(results)]
        srcs_used = {n: srcs[n] for n in {r.notebook for r in ordered}}
        reopened = reopen.apply(gb, s.out, ordered)   # answers changed after their mark
        for name in term_run.in_play(ordered, s.assignment):
            course_folder.write(s.out, name, {n: p for n, p in srcs.items()
                                              if term.assignment_of(n) == name},
                                [r for r in ordered if r.assignment == name], gb,
                                gradebook.normalize_url(db),
                                {f"{j.student}/{j.notebook}": Path(j.submission) for j in jobs},
                                reopened)
        stored = term_run.other_results(s.out, results, term)   # other weeks, other runs
        everything = ordered + (stored if term.definition else [])
        term_run.settle_missing(gb, ordered + stored, term_run.in_play(everything, s.assignment))
        marks = term_run.all_marks(gb, everything, s.assignment)
        ordered = hand_marks.applied(ordered, marks)
        everything = hand_marks.applied(everything, marks)
        definition = term.effective({r.notebook for r in everything})
        grades = standing.grades_for(everything, definition, standing.notebook_maxima(whole),
                                     standing.load_times(s.out),
                                     lms_late=standing.load_lms_late(s.out))
        feedback.write_all(ordered, srcs_used, s.out / "feedback",
                           standing.lateness_notes(grades, definition))
        export = [row for name in term_run.in_play(everything, s.assignment)
                  for row in gradebook.export_rows(gb, name)]
        gradebook.nbgrader_csv(gb, s.out / "nbgrader_export.csv")
    finally:
        gb.close()
    similarity.after_grading(ordered, srcs_used, s.out)   # a hint; a failure only warns
    listed = term_run.carry_skipped(s.out, term, skipped, subs) if term.definition \
        else skipped                 # the report lists the other weeks' files too
    written = report.write_all(everything, {n: whole[n] for n in {r.notebook for r in everything}
                                            if n in whole}, s.out, export, listed,
                               (Path(s.submissions), s.out / "extracted"), s.lms, grades)
    return Outcome(ordered, skipped, reused, graded_now, time.monotonic() - started, s.out,
                   reference_s, written)
