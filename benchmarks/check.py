"""Feedback latency: ``ch4 check`` on every notebook, split into kernel start, code and checks.

    python -m benchmarks.check [--repeat 3] [--which course solutions] [--no-warm]
                               [--settle 5]

The course notebooks measure a student who has not started (stubs fail fast); the solutions
measure a student who has finished (all their code runs). Each notebook is checked cold (a
kernel started for it, as a single ``ch4 check`` does) and warm (a kernel started ahead
through a ``WarmPool``, as ``ch4 check`` does for the next of several notebooks; ``--settle``
seconds pass between starting it and the check, as a student reads the last verdict).
Targets: the questionnaire under 5 s cold; notebook 08 under 1.5 s warm.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from autograder.check import check_notebook, prepare
from autograder.warm import WarmPool
from benchmarks.table import render, save

REPO = Path(__file__).resolve().parent.parent
TARGETS = {("08_questionnaire.ipynb", "cold"): 5.0, ("08_questionnaire.ipynb", "warm"): 1.5}
KEYS = ("kernel_start_s", "student_code_s", "checks_s", "wall_s")


def timed(path: Path, repeat: int, pool: WarmPool | None, settle: float) -> list[dict]:
    """``repeat`` checks of ``path``; with ``pool``, each in a kernel started ahead."""
    runs = []
    for _ in range(repeat):
        if pool is not None:
            prepare(pool, path)
            time.sleep(settle)
        start = time.perf_counter()
        report = check_notebook(path, pool=pool)
        wall = time.perf_counter() - start
        runs.append({**report.timings, "wall_s": wall, "score": report.score,
                     "max": report.max_score, "warm": report.warm})
    return runs


def table_row(name: str, mode: str, runs: list[dict]) -> dict:
    med = {k: statistics.median(r[k] for r in runs) for k in KEYS}
    target = TARGETS.get((Path(name).name, mode))
    return {
        "notebook": name, "kernel": mode if all(r["warm"] == (mode == "warm") for r in runs)
        else f"{mode} (not always)",
        "score": f"{runs[0]['score']:g}/{runs[0]['max']:g}",
        "kernel start s": f"{med['kernel_start_s']:.2f}",
        "student code s": f"{med['student_code_s']:.2f}",
        "checks s": f"{med['checks_s']:.2f}", "verdict s (median)": f"{med['wall_s']:.2f}",
        "target": f"< {target:g} s" if target else "-",
        "met": "-" if not target else ("yes" if med["wall_s"] < target
                                       else f"NO (+{med['wall_s'] - target:.2f} s)"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--which", nargs="+", default=["course", "solutions"])
    parser.add_argument("--only", nargs="*", help="only notebooks whose name contains these")
    parser.add_argument("--no-warm", action="store_true", help="cold rows only")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between starting a warm kernel and the check")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    pool = None if args.no_warm else WarmPool()
    try:
        for folder in args.which:
            for path in sorted((REPO / folder).glob("*.ipynb")):
                if args.only and not any(n in path.name for n in args.only):
                    continue
                name = f"{folder}/{path.name}"
                for mode, used in (("cold", None), ("warm", pool)):
                    if mode == "warm" and pool is None:
                        continue
                    rows.append(table_row(name, mode,
                                          timed(path, args.repeat, used, args.settle)))
                    print(f"{name} {mode}: {rows[-1]['verdict s (median)']} s", flush=True)
    finally:
        if pool is not None:
            pool.close()
    columns = ["notebook", "kernel", "score", "kernel start s", "student code s", "checks s",
               "verdict s (median)", "target", "met"]
    print(render(rows, columns))
    print(f"\nwritten to {save('check', {'repeat': args.repeat, 'table': rows}, args.out)}")


if __name__ == "__main__":
    main()
