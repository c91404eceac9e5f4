"""``ch4 demo``'s grading part: grade examples/submissions with safe, fast defaults and compare
every score with the one the rubric predicts (examples/submissions/EXPECTED.json)."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.grading.cli import execute
from autograder.grading.data_dirs import default_data_dirs
from autograder.grading.layout import OutputLayout, ResultUnreadable, read_result
from autograder.grading.run import Settings
from autograder.grading.sandbox import Limits

# short per-cell limit: frank's endless loop costs DEMO_LIMITS.cell_timeout seconds
DEMO_LIMITS = Limits(memory_mb=4096, processes=256, file_size_mb=64, cell_timeout=20,
                     notebook_timeout=300)


def demo_settings(repo: Path, out: Path, workers: int = 2) -> Settings:
    submissions = Path(repo) / "examples" / "submissions"
    return Settings(submissions, Path(repo) / "solutions", Path(out), "ch4", max(1, workers),
                    DEMO_LIMITS, None, tuple(str(d) for d in default_data_dirs()), True,
                    quiet=False)


def compare(expected_file: Path, out: Path) -> tuple[str, bool]:
    """A table of expected (rubric) against graded scores, and whether all of them agree."""
    expected = json.loads(Path(expected_file).read_text(encoding="utf-8"))
    rows, ok = [("submission", "expected", "graded", "")], True
    for key, rec in sorted(expected.items()):
        student, notebook = key.split("/", 1)
        try:
            got = read_result(OutputLayout(out).result(student, notebook))
            graded = f"{got.score:g}/{got.max_score:g}"
            same = got.score == rec["score"] and got.max_score == rec["max_score"]
        except ResultUnreadable:
            graded, same = "missing", False
        ok = ok and same
        rows.append((key, f"{rec['score']:g}/{rec['max_score']:g}", graded,
                     "ok" if same else "DIFFERENT"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    return "\n".join(line.rstrip() for line in lines), ok


def run(repo: Path, args) -> int:
    submissions = Path(repo) / "examples" / "submissions"
    if not (submissions / "submitted").is_dir():
        print(f"no example submissions in {submissions}: run examples/make_submissions.py")
        return 0
    out = Path(getattr(args, "out", "grading-out/demo"))
    print(f"\ngrading the example submissions in {submissions} -> {out}")
    settings = demo_settings(Path(repo), out, int(getattr(args, "workers", 2)))
    status = execute(settings)
    table, ok = compare(submissions / "EXPECTED.json", out)
    print("\nexpected scores (from the rubric, examples/submissions/EXPECTED.md) vs graded:")
    print(table)
    print("all scores as the rubric predicts" if ok else "SOME SCORES DIFFER FROM THE RUBRIC")
    return status if ok else 1
