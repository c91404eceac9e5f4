"""The verdict corpora, counted: every correct alternative and every wrong answer, graded.

    python -m benchmarks.corpora [--notebook 01_pixels_and_similarity ...] [--workers 2]

Packs the cases of each notebook into submissions (tests/corpus/grade_cases.py), grades them
all in one sandboxed ``ch4 grade`` run per notebook (CH4_QUICK for notebook 07's resnet
stage), runs ``ch4 check`` on the correct ones, and prints per notebook: correct alternatives
tried / rejected by grade / rejected by check, wrong answers tried / accepted, and the cases
judged wrongly. Writes the table to benchmarks/results/corpora.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.table import render, save

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from corpus import grade_cases as gc  # noqa: E402


def count(notebook: str, workers: int, root: Path,
          timeout: float | None = None) -> tuple[dict, list[str]]:
    from dataclasses import replace

    from autograder.check import check_notebook
    from autograder.grading.sandbox import Limits

    correct, wrong = gc.correct_cases(notebook), gc.wrong_cases(notebook)
    good = gc.write_submissions(notebook, gc.pack(notebook, correct, False), root, "correct")
    bad = gc.write_submissions(notebook, gc.pack(notebook, wrong, True), root, "wrong")
    started = time.monotonic()
    limits = None if timeout is None else replace(
        Limits(), cell_timeout=timeout, notebook_timeout=max(Limits().notebook_timeout,
                                                             4 * timeout))
    results = gc.grade(root, root / "out", [notebook], workers=workers, limits=limits)
    misjudged: list[str] = []
    rejected = rejected_check = accepted = 0
    for sub in good:
        verdicts = gc.verdicts(results[(sub.student, notebook)])
        checked = {i.grade_id: i.passed for i in check_notebook(sub.path).auto}
        for gid, case in sub.cases.items():
            if not verdicts[gid][0]:
                rejected += 1
                misjudged.append(f"{notebook} correct rejected: {gid} {case[2]}: "
                                 f"{verdicts[gid][1]}")
            if not checked.get(gid, False):
                rejected_check += 1
                misjudged.append(f"{notebook} correct rejected by ch4 check: {gid} {case[2]}")
    for sub in bad:
        verdicts = gc.verdicts(results[(sub.student, notebook)])
        for gid, case in sub.cases.items():
            if verdicts[gid][0]:
                accepted += 1
                misjudged.append(f"{notebook} wrong accepted: {gid} {case[2]}")
    row = {"notebook": notebook, "correct tried": len(correct), "rejected (grade)": rejected,
           "rejected (check)": rejected_check, "wrong tried": len(wrong),
           "accepted (grade)": accepted, "submissions": len(good) + len(bad),
           "seconds": f"{time.monotonic() - started:.0f}"}
    return row, misjudged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebook", action="append", help="notebook stem (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="JSON file (default results/corpora.json)")
    parser.add_argument("--timeout", type=float,
                        help="seconds per cell (default: ch4 grade's); raise on a loaded machine")
    args = parser.parse_args(argv)
    notebooks = args.notebook or sorted(p.stem for p in (REPO / "solutions").glob("*.ipynb"))
    os.environ.setdefault("CH4_QUICK", "1")
    rows, misjudged = [], []
    with tempfile.TemporaryDirectory(prefix="ch4-corpora-") as tmp:
        for notebook in notebooks:
            row, bad = count(notebook, args.workers, Path(tmp) / notebook, args.timeout)
            rows.append(row)
            misjudged += bad
            print(render([row], list(row)), flush=True)
    columns = list(rows[0])
    print()
    print(render(rows, columns))
    for line in misjudged:
        print("  " + line)
    path = save("corpora", {"rows": rows, "misjudged": misjudged, "cpus": os.cpu_count()},
                args.out)
    print(f"\nwritten to {path}")
    return 1 if misjudged else 0


if __name__ == "__main__":
    sys.exit(main())
