"""Let notebooks report the chapter's figures (accuracy and time per stage) to benchmarks.

In a normal run these calls only print one line. When ``CH4_FIGURES_OUT`` names a file (the
benchmark sets it), each figure is also appended to it as a JSON line.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENV_OUT = "CH4_FIGURES_OUT"
_timings: dict[str, float] = {}


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Measure the wall time of a stage (training, usually) for a later ``record``."""
    start = time.perf_counter()
    try:
        yield
    finally:
        _timings[stage] = time.perf_counter() - start


def record(stage: str, accuracy: float, **extra: float) -> None:
    """Print a stage's accuracy; append it (with its timing) to $CH4_FIGURES_OUT when set."""
    seconds = _timings.get(stage)
    shown = f" in {seconds:.1f}s" if seconds is not None else ""
    print(f"[figure] {stage}: accuracy {float(accuracy):.4f}{shown}")
    out = os.environ.get(ENV_OUT)
    if out:
        row = {"stage": stage, "accuracy": float(accuracy), "seconds": seconds,
               "seed": os.environ.get("CH4_SEED"), **{k: float(v) for k, v in extra.items()}}
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(row) + "\n")
