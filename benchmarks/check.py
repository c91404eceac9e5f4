"""Feedback latency: ``ch4 check`` on every notebook, split into kernel start, code and checks.

    python -m benchmarks.check [--repeat 3] [--which course solutions]

The course notebooks measure a student who has not started (stubs fail fast); the solutions
measure a student who has finished (all their code runs). Target: the questionnaire under 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from autograder.check import check_notebook
from benchmarks.table import render, save

REPO = Path(__file__).resolve().parent.parent
TARGETS = {"08_questionnaire.ipynb": 5.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--which", nargs="+", default=["course", "solutions"])
    parser.add_argument("--only", nargs="*", help="only notebooks whose name contains these")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    for folder in args.which:
        for path in sorted((REPO / folder).glob("*.ipynb")):
            if args.only and not any(n in path.name for n in args.only):
                continue
            runs = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                report = check_notebook(path)
                wall = time.perf_counter() - start
                runs.append({**report.timings, "wall_s": wall, "score": report.score,
                             "max": report.max_score})
            med = {k: statistics.median(r[k] for r in runs) for k in
                   ("kernel_start_s", "student_code_s", "checks_s", "wall_s")}
            target = TARGETS.get(path.name)
            rows.append({
                "notebook": f"{folder}/{path.name}",
                "score": f"{runs[0]['score']:g}/{runs[0]['max']:g}",
                "kernel start s": f"{med['kernel_start_s']:.2f}",
                "student code s": f"{med['student_code_s']:.2f}",
                "checks s": f"{med['checks_s']:.2f}", "verdict s (median)": f"{med['wall_s']:.2f}",
                "target": f"< {target:g} s" if target else "-",
                "met": "-" if not target else ("yes" if med["wall_s"] < target
                                               else f"NO (+{med['wall_s'] - target:.2f} s)"),
            })
            print(f"{folder}/{path.name}: {med['wall_s']:.2f} s", flush=True)
    columns = ["notebook", "score", "kernel start s", "student code s", "checks s",
               "verdict s (median)", "target", "met"]
    print(render(rows, columns))
    print(f"\nwritten to {save('check', {'repeat': args.repeat, 'table': rows}, args.out)}")


if __name__ == "__main__":
    main()
