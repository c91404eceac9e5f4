"""Stage 1, intake: the term, the source notebooks, the grading key and the submissions.

Each source notebook is read once here, frozen into OUT/sources and parsed; the later stages
use these values (its bytes for the tasks, the facts of its inputs digest for every submission
of it) instead of reading it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from autograder import notebook as nbk
from autograder.grading import lms, secret, term_run
from autograder.grading.collect import Skipped, Submission, collect
from autograder.grading.layout import OutputLayout, write_bytes_atomic
from autograder.grading.pipeline.settings import Settings
from autograder.grading.sandbox import remove_orphaned_folders
from autograder.grading.source_set import SourceSet
from autograder.grading.worker import SourceFacts, source_facts


@dataclass(frozen=True)
class Source:
    """One source notebook of the run, read once: its frozen copy in OUT, bytes, parsed
    notebook and the facts a result's inputs digest takes from it."""

    name: str
    path: Path
    data: bytes
    nb: NotebookNode | None       # None: not a readable notebook (each submission says so)
    facts: SourceFacts


@dataclass
class Intake:
    """What the run starts from."""

    term: term_run.Term
    sources: dict[str, Source]         # the notebooks graded in this run
    whole: SourceSet                   # every notebook of the term (their maxima)
    key: str                           # the grading secret
    submissions: list[Submission]
    skipped: list[Skipped]

    @property
    def frozen(self) -> SourceSet:
        """The notebooks graded in this run as the later stages take them."""
        return source_set(self.sources)


def source_set(srcs: dict[str, Source]) -> SourceSet:
    """``srcs`` as a name -> path mapping that carries the values already read."""
    return SourceSet({n: s.path for n, s in srcs.items()},
                     {n: s.nb for n, s in srcs.items() if s.nb is not None},
                     {n: s.data for n, s in srcs.items()})


def sources(solutions: Path, only: tuple[str, ...] = ()) -> dict[str, Path]:
    """The source notebooks in ``solutions`` by name (``only``: just these)."""
    found = {p.stem: p for p in sorted(Path(solutions).glob("*.ipynb"))
             if not p.name.startswith(".")}
    if only:
        found = {k: v for k, v in found.items() if k in only}
    return found


def _frozen(name: str, path: Path, folder: Path) -> tuple[Path, bytes]:
    """Copy one source into ``folder`` unless the copy there is the same; (copy, bytes)."""
    data = Path(path).read_bytes()
    target = folder / f"{name}.ipynb"
    if not target.exists() or target.read_bytes() != data:
        write_bytes_atomic(target, data)
    return target, data


def freeze_sources(srcs: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Copy the source notebooks once, so that the whole batch is graded against the same
    version even if someone edits solutions/ while it runs (instructor-only folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: _frozen(name, path, folder)[0] for name, path in srcs.items()}


def read_sources(srcs: dict[str, Path], folder: Path) -> dict[str, Source]:
    """Freeze the sources into ``folder`` and read each once."""
    folder.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, path in srcs.items():
        target, data = _frozen(name, path, folder)
        try:
            nb: NotebookNode | None = nbk.read(target)
        except nbk.NotebookError:
            nb = None
        found[name] = Source(name, target, data, nb, source_facts(target, nb, data))
    return found


def _whole_term(s: Settings, term: term_run.Term, srcs: dict[str, Source],
                paths: OutputLayout) -> SourceSet:
    """Every notebook of the term, frozen (this run's are frozen and read already)."""
    every = sources(s.solutions, tuple(term.notebooks))
    frozen = {n: srcs[n].path if n in srcs else _frozen(n, p, paths.sources)[0]
              for n, p in every.items()}
    return SourceSet(frozen, {n: src.nb for n, src in srcs.items() if src.nb is not None},
                     {n: src.data for n, src in srcs.items()})


def intake(s: Settings, paths: OutputLayout) -> Intake:
    """The term, this run's sources (frozen and read), the key and the submissions; records
    when each submission arrived and who it is in the LMS."""
    paths.root.mkdir(parents=True, exist_ok=True)
    remove_orphaned_folders()       # sandboxes of a grader that was killed
    term = term_run.prepare(s.out, s.course, s.assignment)
    wanted = sources(s.solutions, s.notebooks or tuple(term.notebooks))
    if not wanted:
        raise nbk.NotebookError(f"{s.solutions}: no source notebooks")
    srcs = read_sources(wanted, paths.sources)
    whole = _whole_term(s, term, srcs, paths) if term.definition else source_set(srcs)
    key = secret.grading_key(s.out, s.key_file)
    subs, skipped = collect(s.submissions, list(srcs), s.assignment, paths.extracted,
                            term.notebooks, term.cutoff if term.definition else None)
    term_run.record_arrivals(s.out, subs)
    lms.remember_submissions(((sub.student, sub.notebook, sub.lms_name) for sub in subs
                              if sub.lms_name), s.out)
    return Intake(term, srcs, whole, key, subs, skipped)
