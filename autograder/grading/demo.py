"""``ch4 demo``'s grading part: grade examples/submissions with safe, fast defaults."""

from __future__ import annotations

from pathlib import Path

from autograder.grading.cli import default_data_dirs, execute
from autograder.grading.run import Settings
from autograder.grading.sandbox import Limits

DEMO_LIMITS = Limits(memory_mb=4096, processes=256, file_size_mb=64, cell_timeout=20,
                     notebook_timeout=300)


def run(repo: Path, args) -> int:
    submissions = Path(repo) / "examples" / "submissions"
    if not (submissions / "submitted").is_dir():
        print(f"no example submissions in {submissions}: run examples/make_submissions.py")
        return 0
    out = Path(getattr(args, "out", "grading-out/demo"))
    print(f"\ngrading the example submissions in {submissions} -> {out}")
    settings = Settings(submissions, Path(repo) / "solutions", out, "ch4",
                        max(1, int(getattr(args, "workers", 2))), DEMO_LIMITS, None,
                        tuple(str(d) for d in default_data_dirs()), True)
    status = execute(settings)
    print(f"expected scores (from the rubric): {submissions / 'EXPECTED.md'}")
    return status
