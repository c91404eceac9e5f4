"""``ch4 insight OUT``: the week's top misconceptions, in a few lines for the start of the
next study session, or (``--html``) as a page to share. Reads results/<student>/<nb>.json of
a graded output folder; no student names unless asked for."""

from __future__ import annotations

import html
from pathlib import Path

from autograder.analysis.clusters import Cluster, clusters
from autograder.analysis.section import cluster_html
from autograder.grading.layout import read_results
from autograder.results import GradeResult

TOP = 5
MIN_STUDENTS = 2


def load_results(out: Path) -> list[GradeResult]:
    """Every graded result under ``out/results`` (unreadable files are skipped)."""
    return read_results(out).results


def top(results: list[GradeResult], count: int = TOP) -> list[Cluster]:
    """The largest clusters of at least ``MIN_STUDENTS`` students, named ones first on ties."""
    return [c for c in clusters(results) if c.size >= MIN_STUDENTS][:count]


def text(found: list[Cluster], names: bool = False) -> str:
    """A few lines: one per cluster, with its hint when the spec knows the mistake."""
    if not found:
        return "No shared misconception this week (no failure common to 2 or more students)."
    lines = ["Top misconceptions this week:"]
    for c in found:
        lines.append(f"- {c.size} students, {c.title} ({c.notebook}): "
                     + (f"{c.misconception}: " if c.named else "") + c.what)
        if c.hint:
            lines.append(f"    talk about: {c.hint}")
        if names:
            lines.append("    " + ", ".join(c.students))
    return "\n".join(lines)


def page(found: list[Cluster], names: bool = False) -> str:
    """A standalone HTML page of the same clusters."""
    return ("<!doctype html><html><head><meta charset='utf-8'><title>This week's "
            "misconceptions</title><style>body{font-family:system-ui,sans-serif;max-width:"
            "56rem;margin:2rem auto}td,th{border:1px solid #ddd;padding:.3rem .5rem}"
            "table{border-collapse:collapse}</style></head><body><h1>This week's "
            f"misconceptions</h1><p>{html.escape(text(found, False).splitlines()[0])}</p>"
            + cluster_html(found, names) + "</body></html>")


def main(out: Path, html_path: Path | None = None, names: bool = False,
         count: int = TOP) -> str:
    """The text ``ch4 insight`` prints; writes the page too when ``html_path`` is given."""
    found = top(load_results(out), count)
    if html_path is not None:
        html_path.write_text(page(found, names), encoding="utf-8")
    return text(found, names)
