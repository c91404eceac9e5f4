"""Stage 2, plan: the references already computed, how every notebook runs, one ``Job`` per
submission with its inputs digest (worked out once, here), and the stored results a rerun
reuses (replayed into the gradebook: idempotent)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from nbgrader.api import Gradebook

from autograder.grading import gradebook, reference, term_run
from autograder.grading.layout import OutputLayout
from autograder.grading.pipeline.intake import Intake
from autograder.grading.pipeline.settings import Settings, spares
from autograder.grading.tasks import Conditions
from autograder.grading.worker import Job, finished, inputs_digest
from autograder.results import GradeResult


@dataclass
class Plan:
    """What the run will do."""

    conditions: Conditions
    refs: dict[str, Path]                          # notebook -> its reference data file
    jobs: list[Job]
    inputs_digests: dict[str, str]                 # student/notebook -> the result's
    resumed: dict[str, GradeResult] = field(default_factory=dict)   # finished before
    todo: dict[str, list[Job]] = field(default_factory=dict)       # notebook -> to grade

    @property
    def to_grade(self) -> int:
        return sum(len(v) for v in self.todo.values())


def job_key(job: Job) -> str:
    """``student/notebook``: how a run names one submission."""
    return f"{job.student}/{job.notebook}"


def warn_reference(name: str, ref: reference.Reference, s: Settings, stream: TextIO) -> None:
    """Say when the reference solution failed somewhere or gave no result for an item."""
    if ref.errors:
        stream.write(f"warning: the reference solution of {name} failed in "
                     f"{'; '.join(ref.errors)} (raise --timeout or --memory?): stages "
                     "after it are not compared\n")
    if ref.missing and not s.quiet:
        stream.write(f"warning: the reference solution of {name} gave no result for "
                     f"{', '.join(ref.missing)}; those items cannot pass\n")


def _known_references(s: Settings, taken: Intake, paths: OutputLayout,
                      stream: TextIO) -> dict[str, Path]:
    """The reference data already stored for the notebooks handed in."""
    refs: dict[str, Path] = {}
    for name in sorted({x.notebook for x in taken.submissions}):
        src = taken.sources[name]
        stored = reference.lookup(src.path, paths.reference, taken.key, src.facts)
        if stored is not None:
            refs[name] = stored.path
            warn_reference(name, stored, s, stream)
    return refs


def _conditions(s: Settings, taken: Intake) -> Conditions:
    """How every notebook of the run is executed."""
    needed = {x.notebook for x in taken.submissions}
    full = bool(s.scheduler) and any(b"full_path(" in taken.sources[n].data for n in needed)
    return Conditions(s.limits, tuple(s.data_dirs), s.sandbox, remote=bool(s.scheduler),
                      full_mnist=full, key=taken.key, spares=spares(s))


def with_reference(job: Job, found: Path | None) -> Job:
    """``job`` with the reference data file of its notebook ('' when none)."""
    return replace(job, reference=str(found or ""))


def plan(s: Settings, taken: Intake, paths: OutputLayout, gb: Gradebook,
         stream: TextIO = sys.stderr) -> Plan:
    """The jobs, their inputs digests, what is finished already (recorded again in ``gb``) and
    what is left to grade, per notebook."""
    refs = _known_references(s, taken, paths, stream)
    conditions = _conditions(s, taken)
    jobs = [Job(sub.student, sub.assignment, sub.notebook, str(sub.path.resolve()),
                str(taken.sources[sub.notebook].path.resolve()), str(s.out.resolve()),
                s.limits, tuple(s.data_dirs), s.sandbox,
                reference=str(refs.get(sub.notebook, "")), key=taken.key,
                spares=conditions.spares) for sub in taken.submissions]
    inputs_digests = {job_key(j): inputs_digest(j, taken.sources[j.notebook].facts) for j in jobs}
    the_plan = Plan(conditions, refs, jobs, inputs_digests)
    term_run.setup(gb, term_run.term_sources(taken.term, taken.whole,
                                             {j.notebook for j in jobs}))
    for job in jobs:
        done = None if s.force else finished(job, inputs_digests[job_key(job)])
        if done is None:
            the_plan.todo.setdefault(job.notebook, []).append(job)
            continue
        done = term_run.reassigned(done, job.assignment)
        gradebook.record(gb, done)
        the_plan.resumed[job_key(job)] = done
    return the_plan
