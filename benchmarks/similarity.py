"""Similarity hints: precision and recall of the flagged pairs and groups, and the time.

    python -m benchmarks.similarity [--seeds 5] [--honest 40] [--common-honest 14]
                                    [--ring-honest 40] [--threshold 0.4]

For every seed a class is generated (tests/corpus/similarity_class.py): ``--honest`` honest
students plus six planted copies (notebook 05 code and four questionnaire free-text answers,
each at three levels: verbatim, renamed and reformatted, reordered with dead code). A flagged
pair is right when it is a planted copy. Four kinds of honest class are measured: the default
one (several correct styles per item plus personal touches); a stress case where honest code
is the bare corpus styles, so that students who pick the same style everywhere write the same
code; a common-answer class where every other honest student hands in the same short correct
answers (the reference code, one shared free text), the copies taken from the others, with
``--common-honest`` honest students (14 by default: the issue's class, where 7 students
sharing their answers used to raise all 21 of their pairs); and a rings class, the same with
``--ring-honest`` honest students and two copy rings (3 and 4 students, each copy disguised).
No pair or group may be raised by the shared answers ("common pairs": false pairs of two
students who both handed them in, and rare groups with two of them); the group is reported
once ("largest group"). A ring is found when a rare group lists exactly its members; a planted
copy counts as found when it is a pair or inside a rare group ("in a group"); a rare group
that is neither is a false group. Precision is over pairs and rare groups listed, recall over
planted copies and rings. Targets: every planted copy and ring found, at most one false pair
per 40 honest students, no common pair or group, and the time added under 5 % of grading the
class (seconds per submission from benchmarks/results/grading.json, 1 worker).
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


CLASSES = (("styles + touches", True, False, False),
           ("bare styles (stress)", False, False, False),
           ("half hand in the same answers", True, True, False),
           ("rings amid a common answer", True, True, True))


def _common(student: str) -> bool:
    """Whether an honest student of the common-answer class handed in the shared answers."""
    return student.startswith("s") and student[1:].isdigit() and int(student[1:]) % 2 == 0


def _groups(corpus, found, common: bool) -> dict:
    """Rings found (a rare cluster with exactly the ring's members), planted pairs inside a
    rare cluster, and rare clusters that are neither (false groups; common ones among them)."""
    rare = {(c.notebook, c.kind, frozenset(c.students)) for c in found.clusters if c.rare}
    rings = {(r.notebook, r.kind, frozenset(r.members)) for r in corpus.rings}
    inside = {k for k in corpus.planted_pairs()
              if any(k[:2] == g[:2] and set(k[2:]) <= g[2] for g in rare)}
    false = [g for g in rare - rings
             if not any(k[:2] == g[:2] and set(k[2:]) <= g[2] for k in corpus.planted_pairs())]
    return {"rings": len(rings & rare), "ring_total": len(rings), "inside": inside,
            "true_groups": len(rare) - len(false), "false_groups": false,
            "common_groups": [g for g in false if common and sum(map(_common, g[2])) >= 2]}


def measure(seed: int, honest: int, threshold: float, touches: bool, common: bool,
            rings: bool = False) -> dict:
    corpus = make_class(honest, seed, touches, common, rings)
    started = time.perf_counter()
    answers = class_answers(corpus)
    found = sim.compare(answers, threshold)
    with tempfile.TemporaryDirectory() as folder:   # csv, pages and report data included
        sim.write_outputs(found, Path(folder))
    seconds = time.perf_counter() - started
    planted = corpus.planted_pairs()
    flagged = {(p.notebook, p.kind, p.a, p.b) for p in found.pairs}
    groups = _groups(corpus, found, common)
    caught = flagged | groups["inside"]
    missed = [f"{p.kind}:{p.level.split('_')[0]}" for p in corpus.planted
              if (p.notebook, p.kind, *sorted((p.copier, p.original))) not in caught]
    false = sorted(flagged - planted)
    shares = {(p.notebook, p.kind, p.a, p.b): p.share for p in found.pairs}
    weakest = min((shares.get(k, 0.0) for k in planted), default=0.0)
    common_pairs = [f for f in false if common and _common(f[2]) and _common(f[3])]
    return {"tp": len(caught & planted), "fp": len(false), "fn": len(planted - caught),
            "in_groups": len(groups["inside"] - flagged), "rings": groups["rings"],
            "ring_total": groups["ring_total"], "true_groups": groups["true_groups"],
            "false_groups": len(groups["false_groups"]),
            "common_pairs": len(common_pairs) + len(groups["common_groups"]),
            "largest_group": max((c.size for c in found.clusters), default=0),
            "missed": missed, "seconds": seconds, "students": len(corpus.answers),
            "weakest_planted": weakest, "false_pairs": [list(f) for f in false],
            "highest_false": max((p.share for p in found.pairs
                                  if (p.notebook, p.kind, p.a, p.b) not in planted),
                                 default=0.0)}


def _row(name: str, seed: int, m: dict, common: bool, per_sub: float) -> dict:
    """One table row: pairs and groups, precision over both, recall over copies and rings."""
    flags = m["tp"] - m["in_groups"] + m["fp"] + m["true_groups"] + m["false_groups"]
    right = m["tp"] - m["in_groups"] + m["true_groups"]
    wanted = m["tp"] + m["fn"] + m["ring_total"]
    grading = m["students"] * 2 * per_sub      # two notebooks per student
    return {
        "honest class": name, "seed": seed, "students": m["students"],
        "planted found": f"{m['tp']}/{m['tp'] + m['fn']}"
                         + (f" ({m['in_groups']} in a group)" if m["in_groups"] else ""),
        "rings found": f"{m['rings']}/{m['ring_total']}" if m["ring_total"] else "-",
        "missed": " ".join(m["missed"]) or "-",
        "false pairs": m["fp"], "false groups": m["false_groups"],
        "common pairs": m["common_pairs"] if common else "-",
        "largest group": m["largest_group"],
        "precision": f"{right / flags:.2f}" if flags else "-",
        "recall": f"{(m['tp'] + m['rings']) / wanted:.2f}",
        "weakest copy share": f"{m['weakest_planted']:.2f}",
        "highest false share": f"{m['highest_false']:.2f}",
        "time s": f"{m['seconds']:.2f}",
        "grading s": f"{grading:.0f}",
        "% of grading": f"{100 * m['seconds'] / grading:.2f}",
        "false": m["false_pairs"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--honest", type=int, default=40)
    parser.add_argument("--common-honest", type=int, default=14)
    parser.add_argument("--ring-honest", type=int, default=40)
    parser.add_argument("--threshold", type=float, default=sim.THRESHOLD)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    per_sub = grading_seconds_per_submission()
    rows = []
    for name, touches, common, rings in CLASSES:
        for seed in range(1, args.seeds + 1):
            honest = args.ring_honest if rings else args.common_honest if common else args.honest
            m = measure(seed, honest, args.threshold, touches, common, rings)
            rows.append(_row(name, seed, m, common, per_sub))
            print(f"{name} seed {seed}: {rows[-1]['planted found']} found, rings "
                  f"{rows[-1]['rings found']}, {m['fp']} false pairs, {m['false_groups']} false "
                  f"groups, {m['seconds']:.2f}s", flush=True)
    columns = ["honest class", "seed", "students", "planted found", "rings found", "missed",
               "false pairs", "false groups", "common pairs", "largest group", "precision",
               "recall", "weakest copy share", "highest false share", "time s", "% of grading"]
    print(render(rows, columns))
    print(f"\nthreshold {args.threshold:g}; grading reference {per_sub:.2f} s per submission "
          "(1 worker); targets: recall 1.00, at most 1 false pair, no common pair or group, "
          "< 5 % of grading")
    saved = save("similarity", {"threshold": args.threshold, "table": rows}, args.out)
    print(f"written to {saved}")


if __name__ == "__main__":
    main()
