"""``ch4 check``: a student's instant verdict on one notebook, with the public checks only."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from autograder import notebook as nbk
from autograder.checks.choice import UNSET_ID, id_unset_in
from autograder.device import CPU_ONLY_ENV
from autograder.execute import RunResult, run
from autograder.items import probing
from autograder.items.compare import NOT_ATTEMPTED
from autograder.items.spec import NotebookSpec
from autograder.results import ItemResult
from autograder.scoring import score, score_probes
from autograder.warm import WarmPool, plain_spare, preload_modules

DISCLAIMER = ("public checks only: hidden tests and hand-marked answers are not included "
              "in this score")


@dataclass
class CheckReport:
    """The verdict on one notebook."""

    notebook: str
    title: str
    items: list[ItemResult]
    timings: dict[str, float] = field(default_factory=dict)
    fatal: str | None = None
    warnings: list[str] = field(default_factory=list)
    warm: bool = False                 # checked in a kernel started ahead (autograder.warm)

    @property
    def auto(self) -> list[ItemResult]:
        return [item for item in self.items if not item.manual]

    @property
    def score(self) -> float:
        return sum(item.score for item in self.auto)

    @property
    def max_score(self) -> float:
        return sum(item.max_score for item in self.auto)

    def headline(self) -> str:
        return f"{self.title}: {_fmt(self.score)}/{_fmt(self.max_score)} (autograded)"

    def lines(self) -> list[str]:
        out = [self.headline()]
        out += [f"  warning: {warning}" for warning in self.warnings]
        out += [f"  {i.grade_id}: {i.message}" for i in self.auto if not i.passed]
        tried = [i for i in self.auto if not i.passed and i.message != NOT_ATTEMPTED]
        if tried:
            number = Path(self.notebook).stem.split("_", 1)[0]
            out.append(f"  hint: `ch4 hint {number} {tried[0].grade_id}` (any failed item; "
                       "--level 2, 3 for more specific hints)")
        manual = [i for i in self.items if i.manual and i.max_score > 0]  # not 0-point tasks
        if manual:
            out.append(f"  ({len(manual)} hand-marked answers, "
                       f"{_fmt(sum(i.max_score for i in manual))} points, are not scored here)")
        if self.fatal:
            out.append(f"  stopped early: {self.fatal}")
        out.append(f"  Note: {DISCLAIMER}.")
        return out

    def as_dict(self) -> dict:
        return {"notebook": self.notebook, "title": self.title, "score": self.score,
                "max_score": self.max_score, "note": DISCLAIMER, "fatal": self.fatal,
                "timings": self.timings, "warnings": self.warnings, "warm": self.warm,
                "items": [asdict(i) for i in self.items]}


# Short tracebacks: formatting IPython's long ones costs ~0.1 s per failing cell, and a
# self-check only shows the error's name and message anyway.
QUICK_TRACEBACKS = ("--InteractiveShell.xmode=Minimal",)
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME")


def _fmt(value: float) -> str:
    return f"{value:g}"


def _public(source):
    """The notebook without hidden tests and mark schemes (course notebooks have none)."""
    if not any(marker in cell.source for cell in source.cells for marker in HIDDEN_MARKERS):
        return source
    from autograder.release import public_version  # nbgrader takes ~1 s to import

    return public_version(source)


def notebook_warnings(nb) -> list[str]:
    """What the student should fix before answering, read from the notebook's cells: a
    ``STUDENT_ID`` cell (grade id ``student_id``) that leaves the id unset."""
    cells = [c for c in nb.cells if nbk.grade_id(c) == "student_id"]
    return [UNSET_ID] if cells and id_unset_in(cells[-1].source) else []


def _spec(source) -> NotebookSpec | None:
    try:
        return probing.spec_of(source)
    except probing.SpecMissing:
        return None


def _with_probe_cells(nb, spec: NotebookSpec, planned: dict[str, list[probing.Planned]],
                      folder: Path):
    """``nb`` with its check cells emptied (the public probes run in probe cells appended at
    the end, as at grading) and the probe cells added."""
    preludes = probing.preludes(spec, nb)
    for cell in nb.cells:
        if nbk.is_autograded_test(cell) and nbk.grade_id(cell) in planned:
            cell.source = ""
    nb.cells += [probing.probe_cell(gid, probes, preludes.get(gid, ""), spec.item(gid).names,
                                    folder) for gid, probes in planned.items()]
    return nb


def _kernel_env(scratch: Path) -> dict[str, str]:
    """The kernel's environment: figures are not shown by a self-check (the Agg backend skips
    rendering them to PNG); the CPU only, as the grader (the public checks compare numbers
    computed on the CPU); temporary files (the probes' file trees, records) in ``scratch``."""
    return dict(os.environ, PYTHONWARNINGS="ignore", TQDM_DISABLE="1", MPLBACKEND="agg",
                TMPDIR=str(scratch), **CPU_ONLY_ENV)


def _warm_key(path: Path, nb, spec: NotebookSpec | None) -> tuple:
    """What a spare kernel for ``path`` must be: started in its folder, with its imports."""
    return (str(path.resolve().parent),
            preload_modules(nb, ("autograder.items.runner",) if spec is not None else ()))


def prepare(pool: WarmPool, path: Path) -> None:
    """Start a spare kernel for checking ``path`` next (nothing when it cannot be read)."""
    try:
        source = nbk.read(Path(path))
    except nbk.NotebookError:
        return
    key = _warm_key(Path(path), _public(source), _spec(source))
    pool.prepare(key, partial(plain_spare, key, Path(key[0]), _kernel_env, QUICK_TRACEBACKS,
                              key[1]))


def check_notebook(path: Path, cell_timeout: float = 600, total_timeout: float = 3600,
                   pool: WarmPool | None = None) -> CheckReport:
    """Run ``path`` in a kernel of its own (hidden tests stripped) and score its public
    checks: from the public probes' records where the notebook names an item spec (as
    ``ch4 grade`` judges them), else from its check cells. ``pool``: take a kernel started
    ahead (``prepare``) when there is one; a kernel is used for one notebook only."""
    path = Path(path)
    source = nbk.read(path)
    if not nbk.graded_items(source):
        raise nbk.NotebookError(f"{path}: has no graded cells (is it a course notebook?)")
    nb = _public(source)
    spec = _spec(source)
    spare = pool.take(_warm_key(path, nb, spec)) if pool is not None else None
    if spare is not None:
        try:
            result, items = _check_in(nb, spec, path, spare.extra["scratch"], cell_timeout,
                                      total_timeout, spare.km)
        finally:
            spare.close()
    else:
        with tempfile.TemporaryDirectory(prefix="ch4-check-") as scratch:
            result, items = _check_in(nb, spec, path, Path(scratch), cell_timeout,
                                      total_timeout, None)
    return CheckReport(str(path), nbk.title(source, path.stem), items, _timings(result),
                       result.fatal, notebook_warnings(source), warm=spare is not None)


def _check_in(nb, spec: NotebookSpec | None, path: Path, scratch: Path, cell_timeout: float,
              total_timeout: float, km) -> tuple[RunResult, list[ItemResult]]:
    """Run the notebook in ``km`` (None: a kernel started now) and score it."""
    common = {"cwd": path.resolve().parent, "cell_timeout": cell_timeout,
              "total_timeout": total_timeout, "env": _kernel_env(scratch),
              "kernel_args": QUICK_TRACEBACKS, "kernel_manager": km}
    if spec is None:
        result = run(nb, **common)
        return result, score(result)
    planned = probing.public_plan(spec)
    channel = probing.RecordChannel(scratch)
    nb = _with_probe_cells(nb, spec, planned, scratch)
    result = run(nb, hooks=channel.hooks(), **common)
    return result, score_probes(result, spec, planned, channel, cell_timeout)


def _timings(result: RunResult) -> dict[str, float]:
    def checking(cell) -> bool:
        return nbk.is_autograded_test(cell) or probing.is_probe_cell(cell)

    student_s = sum(c.seconds for i, c in enumerate(result.cells)
                    if not checking(result.nb.cells[i]))
    checks_s = sum(c.seconds for i, c in enumerate(result.cells)
                   if checking(result.nb.cells[i]))
    return {"kernel_start_s": round(result.kernel_start_s, 3),
            "student_code_s": round(student_s, 3), "checks_s": round(checks_s, 3),
            "total_s": round(result.total_s, 3)}


def main(paths: list[Path], as_json: bool, timeout: float, warm: bool = True) -> int:
    """Print the verdicts; exit code 0 when every autograded item passed, 1 otherwise. With
    several notebooks (and ``warm``), the next one's kernel starts while one is checked."""
    pool = WarmPool() if warm and len(paths) > 1 else None
    try:
        return _check_all(paths, as_json, timeout, pool)
    finally:
        if pool is not None:
            pool.close()


def _check_all(paths: list[Path], as_json: bool, timeout: float,
               pool: WarmPool | None) -> int:
    reports = []
    status = 0
    for index, path in enumerate(paths):
        if pool is not None and index + 1 < len(paths):
            prepare(pool, paths[index + 1])
        try:
            report = check_notebook(path, cell_timeout=timeout, pool=pool)
        except nbk.NotebookError as exc:
            print(json.dumps({"notebook": str(path), "error": str(exc)}) if as_json
                  else f"error: {exc}")
            status = 2
            continue
        reports.append(report)
        if report.score < report.max_score:
            status = max(status, 1)
        if not as_json:
            print("\n".join(report.lines()))
    if as_json:
        payload = [r.as_dict() for r in reports]
        print(json.dumps(payload[0] if len(payload) == 1 else payload, indent=1))
    return status
