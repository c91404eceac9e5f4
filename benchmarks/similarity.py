"""Similarity hints: precision and recall of the flagged pairs, and the time they add.

    python -m benchmarks.similarity [--seeds 5] [--honest 40] [--common-honest 14] [--threshold 0.4]

For every seed a class is generated (tests/corpus/similarity_class.py): ``--honest`` honest
students plus six planted copies (notebook 05 code and four questionnaire free-text answers,
each at three levels: verbatim, renamed and reformatted, reordered with dead code). A flagged
pair is right when it is a planted copy. Three kinds of honest class are measured: the default
one (several correct styles per item plus personal touches); a stress case where honest code
is the bare corpus styles, so that students who pick the same style everywhere write the same
code; and a common-answer class where every other honest student hands in the same short
correct answers (the reference code, one shared free text), the copies taken from the others;
it has ``--common-honest`` honest students (14 by default: the issue's class, where 7 students
sharing their answers used to raise all 21 of their pairs).
In that class no pair may be raised by the shared answers ("common pairs": false pairs of two
students who both handed them in) and the group must be reported once ("largest group").
Targets: every planted copy found, at most one false pair per 40 honest students, no common
pair, and the time added under 5 % of grading the class (seconds per submission from
benchmarks/results/grading.json, 1 worker).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from autograder.grading import similarity as sim
from benchmarks.table import RESULTS, render, save

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from corpus.similarity_class import class_answers, make_class  # noqa: E402


def grading_seconds_per_submission() -> float:
    """Measured ``ch4 grade --workers 1`` seconds per submission (5.0 when not measured)."""
    try:
        data = json.loads((RESULTS / "grading.json").read_text())
        return data["seconds"]["ch4 grade --workers 1"] / data["n"]
    except (OSError, ValueError, KeyError, ZeroDivisionError):
        return 5.0


CLASSES = (("styles + touches", True, False), ("bare styles (stress)", False, False),
           ("half hand in the same answers", True, True))


def _common(student: str) -> bool:
    """Whether an honest student of the common-answer class handed in the shared answers."""
    return student.startswith("s") and student[1:].isdigit() and int(student[1:]) % 2 == 0


def measure(seed: int, honest: int, threshold: float, touches: bool, common: bool) -> dict:
    corpus = make_class(honest, seed, touches, common)
    started = time.perf_counter()
    answers = class_answers(corpus)
    found = sim.compare(answers, threshold)
    with tempfile.TemporaryDirectory() as folder:   # csv, pages and report data included
        sim.write_outputs(found, Path(folder))
    seconds = time.perf_counter() - started
    planted = corpus.planted_pairs()
    flagged = {(p.notebook, p.kind, p.a, p.b) for p in found.pairs}
    missed = [f"{p.kind}:{p.level.split('_')[0]}" for p in corpus.planted
              if (p.notebook, p.kind, *sorted((p.copier, p.original))) not in flagged]
    false = sorted(flagged - planted)
    shares = {(p.notebook, p.kind, p.a, p.b): p.share for p in found.pairs}
    weakest = min((shares.get(k, 0.0) for k in planted), default=0.0)
    common_pairs = [f for f in false if common and _common(f[2]) and _common(f[3])]
    return {"tp": len(flagged & planted), "fp": len(false), "fn": len(planted - flagged),
            "common_pairs": len(common_pairs),
            "largest_group": max((c.size for c in found.clusters), default=0),
            "missed": missed, "seconds": seconds, "students": len(corpus.answers),
            "weakest_planted": weakest, "false_pairs": [list(f) for f in false]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--honest", type=int, default=40)
    parser.add_argument("--common-honest", type=int, default=14)
    parser.add_argument("--threshold", type=float, default=sim.THRESHOLD)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    per_sub = grading_seconds_per_submission()
    rows = []
    for name, touches, common in CLASSES:
        for seed in range(1, args.seeds + 1):
            honest = args.common_honest if common else args.honest
            m = measure(seed, honest, args.threshold, touches, common)
            flagged = m["tp"] + m["fp"]
            grading = m["students"] * 2 * per_sub      # two notebooks per student
            rows.append({
                "honest class": name,
                "seed": seed, "students": m["students"],
                "planted found": f"{m['tp']}/{m['tp'] + m['fn']}",
                "missed": " ".join(m["missed"]) or "-",
                "false pairs": m["fp"],
                "common pairs": m["common_pairs"] if common else "-",
                "largest group": m["largest_group"],
                "precision": f"{m['tp'] / flagged:.2f}" if flagged else "-",
                "recall": f"{m['tp'] / (m['tp'] + m['fn']):.2f}",
                "weakest copy share": f"{m['weakest_planted']:.2f}",
                "time s": f"{m['seconds']:.2f}",
                "grading s": f"{grading:.0f}",
                "% of grading": f"{100 * m['seconds'] / grading:.2f}",
                "false": m["false_pairs"],
            })
            print(f"{rows[-1]['honest class']} seed {seed}: {rows[-1]['planted found']} found, "
                  f"{m['fp']} false, {m['seconds']:.2f}s", flush=True)
    columns = ["honest class", "seed", "students", "planted found", "missed",
               "false pairs", "common pairs", "largest group", "precision", "recall",
               "weakest copy share", "time s", "grading s", "% of grading"]
    print(render(rows, columns))
    print(f"\nthreshold {args.threshold:g}; grading reference {per_sub:.2f} s per submission "
          "(1 worker); targets: recall 1.00, at most 1 false pair, no common pair, "
          "< 5 % of grading")
    saved = save("similarity", {"threshold": args.threshold, "table": rows}, args.out)
    print(f"written to {saved}")


if __name__ == "__main__":
    main()
