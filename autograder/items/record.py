"""``ch4 expected``: record the public probes' values from the reference solutions.

Runs each solution notebook in a fresh kernel with ``CH4_RECORD_EXPECTED`` set, so every
locked check cell stores what the reference returned on the public inputs in
``autograder/items/expected/<notebook>.json`` instead of judging. Rerun it after changing a
solution or a public probe; the solutions' own check cells (nbval in CI) fail when it is stale.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from autograder import notebook as nbk
from autograder.device import CPU_ONLY_ENV
from autograder.execute import run
from autograder.items.selfcheck import RECORD_ENV, expected_path


def record(solution: Path, timeout: float = 1800) -> list[str]:
    """Run ``solution`` in record mode; return the errors of cells that failed."""
    nb = nbk.read(solution)
    expected_path(solution.stem).unlink(missing_ok=True)
    env = dict(os.environ, **{RECORD_ENV: "1"}, PYTHONWARNINGS="ignore", TQDM_DISABLE="1",
               MPLBACKEND="agg", **CPU_ONLY_ENV)     # expected values always come from the CPU
    with tempfile.TemporaryDirectory(prefix="ch4-record-") as cwd:
        result = run(nb, cwd=Path(cwd), cell_timeout=timeout, total_timeout=4 * timeout,
                     env=env)
    errors = [f"cell {c.index}: {c.error}" for c in result.cells if c.error]
    if result.fatal:
        errors.append(result.fatal)
    return errors


def main(paths: list[Path]) -> int:
    status = 0
    for path in paths:
        errors = record(path)
        print(f"{path}: " + ("recorded" if not errors else "; ".join(errors)))
        status = status or (1 if errors else 0)
    return status
