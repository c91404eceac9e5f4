"""Entry points: ``ch4 grade``'s last step and ``ch4 similarity OUT``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from autograder.grading.layout import OutputLayout
from autograder.grading.similarity.loading import from_results, load_results
from autograder.grading.similarity.model import THRESHOLD, Findings, SimilarityError
from autograder.grading.similarity.pages import refresh_report, write_outputs
from autograder.grading.similarity.scoring import compare


def analyse(results, sources: dict[str, Path], out: Path, threshold: float = THRESHOLD,
            skipped: list[str] | None = None) -> Findings:
    """Compare a graded class and write similarity.csv, the pages and the report data."""
    started = time.monotonic()
    answers, left_out = from_results(results, sources)
    found = compare(answers, threshold,
                    Findings(skipped=(skipped or []) + left_out, threshold=threshold))
    found.seconds = time.monotonic() - started
    write_outputs(found, Path(out))
    return found


def after_grading(results, sources: dict[str, Path], out: Path,
                  stream=sys.stderr) -> Findings | None:
    """``ch4 grade``'s last step: a failure here is a warning (None), never a failed grading
    run; the findings go on to the report."""
    try:
        return analyse(results, sources, out)
    except Exception as exc:  # noqa: BLE001 - a hint must never stop grading
        OutputLayout(out).pairs_json.unlink(missing_ok=True)
        stream.write(f"warning: similarity hints not computed: {exc!r}\n"[:500])
        return None


def _print_findings(found: Findings, out: Path, threshold: float, updated: bool) -> None:
    for note in found.skipped:
        print(f"skipped: {note}")
    for p in found.pairs:
        print(f"{p.notebook} ({p.kind}): {p.a} and {p.b}  {100 * p.share:.0f}%  "
              f"{', '.join(p.items)}")
    for c in found.clusters:
        what = (f"share what the rest of the class does not write ({100 * c.share:.0f}%)"
                if c.rare else "share one answer")
        print(f"{c.notebook} ({c.kind}): {c.size} students {what} in "
              f"{', '.join(c.items)}: {', '.join(c.students)}")
    rings = sum(c.rare for c in found.clusters)
    print(f"{len(found.pairs)} pair(s) at or above {100 * threshold:.0f}%, {rings} small "
          f"group(s) sharing rare answers, {len(found.clusters) - rings} group(s) sharing one "
          f"answer ({found.seconds:.2f}s); similarity is a hint to look, not proof")
    paths = OutputLayout(out)
    print(f"pairs: {paths.similarity_csv}"
          + (f"  report: {paths.report_html}" if updated else "  (no report.html to update)"))


def main(out: Path, threshold: float | None = None) -> int:
    """``ch4 similarity OUT``: compare an existing grading output, update report.html."""
    threshold = THRESHOLD if threshold is None else threshold
    if not 0 < threshold <= 1:
        raise SimilarityError(f"--threshold must be a share between 0 and 1, not {threshold:g}")
    results, sources, skipped = load_results(Path(out))
    found = analyse(results, sources, Path(out), threshold, skipped)
    _print_findings(found, Path(out), threshold, refresh_report(Path(out), found))
    return 0
