"""What ``ch4 grade`` is asked to do (``Settings``) and what it did (``ClassRun``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.collect import Skipped
from autograder.grading.lms import LmsOptions, LmsWritten
from autograder.grading.sandbox import Limits
from autograder.results import GradeResult


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
class ClassRun:
    """What one `ch4 grade` run of a class did: every result, what it skipped or reused, how
    long it took and where it wrote (a probe's value is ``items.compare.Outcome``)."""

    results: list[GradeResult]
    skipped: list[Skipped]
    reused: int
    graded: int
    seconds: float
    out: Path
    reference_seconds: float = 0.0
    lms_written: LmsWritten = field(default_factory=LmsWritten)  # who the LMS CSVs left blank


def spares(s: Settings) -> int:
    """Kernels each worker keeps started ahead: enough to keep this machine's cores busy
    starting kernels while notebooks run (0: cold; Dask workers always start cold)."""
    if not s.warm or s.scheduler or not s.sandbox:
        return 0
    return max(1, (os.cpu_count() or 1) // max(1, s.workers))
