"""The reference side: the same probes run on the instructor's solution, once per run.

The solution notebook (answer cells as the instructor wrote them, test cells emptied) runs in a
fresh kernel of its own, with the same probe cells a student's notebook gets; what the probes
return is stored in ``OUT/reference/<notebook>.json`` with a digest of its inputs (the source
and the specs), so a rerun (or a resumed run) reuses it. The reference never runs in, or is
sent to, a student's kernel. ``CH4_REFERENCE_CACHE`` names an extra folder shared between
runs (tests and benchmarks use it to avoid recomputing the same references).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autograder import notebook as nbk
from autograder.grading.layout import write_bytes_atomic, write_json_atomic
from autograder.grading.sandbox import Limits
from autograder.grading.secret import key_id
from autograder.items import probing
from autograder.warm import preload_modules

if TYPE_CHECKING:
    from autograder.grading.worker import SourceFacts

VERSION = 3


@dataclass(frozen=True)
class Reference:
    path: Path
    seconds: float          # time spent computing it in this run (0 when reused)
    missing: list[str]      # items whose reference probes returned nothing usable
    errors: list[str]       # cells of the solution that failed (a time limit, usually)


def _inputs_digest(source: Path, key: str, facts: SourceFacts | None = None) -> str:
    """The digest of the reference's inputs (``facts``: the source's hashes, when the run has
    them)."""
    if facts is not None and facts.specs != "no spec":
        sha, specs = facts.sha256, facts.specs
    else:
        sha = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        specs = probing.spec_hash(nbk.read(source))
    parts = [str(VERSION), sha, specs, key_id(key)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _harness(source: Path):
    nb = nbk.read(source)
    for cell in nb.cells:
        if nbk.is_autograded_test(cell):
            cell.source = ""
        if cell.cell_type == "code":
            cell.outputs = []
    return nb


def _stored(path: Path, inputs_digest: str) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("inputs_digest") == inputs_digest else None


def _missing(data: dict) -> list[str]:
    return sorted(gid for gid, records in data.get("records", {}).items()
                  if not records or any(not isinstance(r, dict) or "value" not in r
                                        for r in records))


def _target(source: Path, folder: Path) -> Path:
    return Path(folder) / f"{Path(source).stem}.json"


def _cache_file(inputs_digest: str) -> Path | None:
    cache_dir = os.environ.get("CH4_REFERENCE_CACHE")
    return Path(cache_dir) / f"{inputs_digest}.json" if cache_dir else None


def lookup(source: Path, folder: Path, key: str,
           facts: SourceFacts | None = None) -> Reference | None:
    """The stored reference of ``source`` for the grading ``key`` (this run's folder, else the
    shared cache), or None when it must be computed; ``facts``: the source's hashes."""
    inputs_digest = _inputs_digest(source, key, facts)
    target = _target(source, folder)
    data = _stored(target, inputs_digest)
    cached = _cache_file(inputs_digest)
    if data is None and cached is not None and _stored(cached, inputs_digest) is not None:
        write_bytes_atomic(target, cached.read_bytes())
        data = _stored(target, inputs_digest)
    if data is None:
        return None
    return Reference(target, 0.0, _missing(data), list(data.get("errors", [])))


def compute(source: Path, limits: Limits, data_dirs: tuple[str, ...], sandbox: bool,
            key: str, spares: int = 0) -> dict:
    """Run the solution with its probes and return the reference data (no file written: this
    may run on a cluster worker; the grading client stores it). ``spares``: kernels kept
    started ahead, as for the students' notebooks (``kernels.kernel_for``)."""
    from autograder.grading.worker import KERNEL_SIDE, execute_with_probes

    started = time.monotonic()
    nb = nbk.read(source)
    spec = probing.spec_of(nb)
    planned = probing.plan(spec, key)
    harness = _harness(source)
    executed = execute_with_probes(harness, spec, planned, limits, data_dirs, sandbox,
                                   preludes=probing.preludes(spec, harness), spares=spares,
                                   preload=preload_modules(nb, KERNEL_SIDE))
    return {"inputs_digest": _inputs_digest(source, key), "notebook": Path(source).stem,
            "records": executed.records.records(planned),
            "fatal": executed.outcome.fatal, "stages": executed.stages,
            "errors": [f"cell {c.index}: {c.error.split(':', 1)[0]}"
                       for c in executed.outcome.cells if c.error],
            "seconds": round(time.monotonic() - started, 2)}


def store(source: Path, folder: Path, data: dict, key: str,
          facts: SourceFacts | None = None) -> Reference:
    """Write computed reference data for ``source`` (and into the shared cache)."""

    inputs_digest = _inputs_digest(source, key, facts)
    if data.get("inputs_digest") != inputs_digest:
        raise ValueError(f"the reference of {Path(source).stem} was computed by a grader with "
                         "other item specs (install the same version on every worker)")
    target = _target(source, folder)
    write_json_atomic(target, data)
    cached = _cache_file(inputs_digest)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(cached, data)
    return Reference(target, float(data.get("seconds", 0.0)), _missing(data),
                     list(data.get("errors", [])))


def ensure(source: Path, folder: Path, limits: Limits, data_dirs: tuple[str, ...],
           sandbox: bool, key: str) -> Reference:
    """The reference outcomes of ``source``'s probes, computed here unless already stored."""
    return lookup(source, folder, key) or store(
        source, folder, compute(source, limits, data_dirs, sandbox, key), key)
