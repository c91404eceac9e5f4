"""Class outputs: grades.csv, an nbgrader-style export, report.html with plots, a summary table."""

from __future__ import annotations

import base64
import csv
import html
import io
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading.result import GradeResult, ItemResult


def _fmt(x: float) -> str:
    return f"{x:g}"


def item_columns(sources: dict[str, Path]) -> list[tuple[str, str, bool]]:
    """(notebook, grade_id, manual) for every graded item, in notebook order."""
    cols = []
    for name in sorted(sources):
        for item in nbk.graded_items(nbk.read(sources[name])):
            cols.append((name, item.grade_id, item.manual))
    return cols


def table(results: list[GradeResult]) -> dict[str, dict[str, GradeResult]]:
    by_student: dict[str, dict[str, GradeResult]] = {}
    for r in results:
        by_student.setdefault(r.student, {})[r.notebook] = r
    return dict(sorted(by_student.items()))


def write_csv(results: list[GradeResult], sources: dict[str, Path], path: Path) -> None:
    cols = item_columns(sources)
    notebooks = sorted(sources)
    header = (["student"] + [f"{nb}:{gid}" for nb, gid, _ in cols]
              + [f"{nb}:total" for nb in notebooks] + ["auto_total", "auto_max",
                                                       "needs_manual_grading", "flagged"])
    rows = []
    for student, per_nb in table(results).items():
        row = {"student": student}
        total = maximum = 0.0
        manual = flagged = False
        for nb, gid, is_manual in cols:
            r = per_nb.get(nb)
            item = r.item(gid) if r else None
            if item is None:
                row[f"{nb}:{gid}"] = ""
            elif is_manual:
                row[f"{nb}:{gid}"] = "manual" if item.needs_review else _fmt(item.score)
            else:
                row[f"{nb}:{gid}"] = _fmt(item.score)
        for nb in notebooks:
            r = per_nb.get(nb)
            if r is None:
                row[f"{nb}:total"] = ""
                continue
            row[f"{nb}:total"] = _fmt(r.score)
            total += r.score
            maximum += r.max_score
            manual = manual or any(i.needs_review for i in r.items)
            flagged = flagged or bool(r.flags or r.invalid)
        row.update(auto_total=_fmt(total), auto_max=_fmt(maximum),
                   needs_manual_grading=str(manual).lower(), flagged=str(flagged).lower())
        rows.append(row)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def write_export(rows: list[dict], path: Path) -> None:
    header = ["assignment", "student_id", "raw_score", "max_score", "needs_manual_grade"]
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def item_stats(results: list[GradeResult]) -> list[dict]:
    stats: dict[tuple[str, str], list[ItemResult]] = {}
    for r in results:
        for item in r.items:
            if not item.manual:
                stats.setdefault((r.notebook, item.grade_id), []).append(item)
    out = []
    for (nb, gid), items in sorted(stats.items()):
        passed = sum(1 for i in items if i.passed)
        out.append({"notebook": nb, "grade_id": gid, "n": len(items), "passed": passed,
                    "rate": passed / len(items) if items else 0.0,
                    "max_score": items[0].max_score})
    return out


def write_html(results: list[GradeResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    esc = html.escape
    totals = {}
    for student, per_nb in table(results).items():
        score = sum(r.score for r in per_nb.values())
        maximum = sum(r.max_score for r in per_nb.values())
        totals[student] = (score, maximum)
    stats = item_stats(results)
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Class report</title>"
             "<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto}"
             "td,th{border:1px solid #ddd;padding:.2rem .5rem}table{border-collapse:collapse}"
             "</style></head><body><h1>Class report</h1>",
             f"<p>{len(totals)} students, {len(results)} graded notebooks.</p>"]
    if totals:
        fig, ax = plt.subplots(figsize=(6, 3))
        pct = [100 * s / m if m else 0 for s, m in totals.values()]
        ax.hist(pct, bins=10, range=(0, 100), color="#4c72b0")
        ax.set_xlabel("autograded score (%)")
        ax.set_ylabel("students")
        ax.set_title("Score distribution")
        parts.append(f"<h2>Score distribution</h2><img alt='score distribution' "
                     f"src='data:image/png;base64,{_png(fig)}'>")
        plt.close(fig)
    if stats:
        fig, ax = plt.subplots(figsize=(7, max(2.5, 0.25 * len(stats))))
        labels = [f"{s['notebook']}:{s['grade_id']}" for s in stats]
        ax.barh(labels, [100 * s["rate"] for s in stats], color="#55a868")
        ax.set_xlim(0, 100)
        ax.set_xlabel("pass rate (%)")
        ax.invert_yaxis()
        ax.set_title("Pass rate per item")
        parts.append(f"<h2>Pass rate per item</h2><img alt='pass rate per item' "
                     f"src='data:image/png;base64,{_png(fig)}'>")
        plt.close(fig)
        hardest = sorted(stats, key=lambda s: (s["rate"], s["notebook"], s["grade_id"]))[:10]
        parts.append("<h2>Hardest items</h2><table><tr><th>item</th><th>passed</th>"
                     "<th>rate</th></tr>" + "".join(
                         f"<tr><td>{esc(s['notebook'])}:{esc(s['grade_id'])}</td>"
                         f"<td>{s['passed']}/{s['n']}</td><td>{100 * s['rate']:.0f}%</td></tr>"
                         for s in hardest) + "</table>")
    parts.append("<h2>Students</h2><table><tr><th>student</th><th>score</th></tr>" + "".join(
        f"<tr><td>{esc(k)}</td><td>{_fmt(s)}/{_fmt(m)}</td></tr>" for k, (s, m) in totals.items())
        + "</table></body></html>")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(path)


def write_all(results: list[GradeResult], sources: dict[str, Path], out: Path,
              export: list[dict]) -> None:
    write_csv(results, sources, out / "grades.csv")
    write_export(export, out / "scores_by_student.csv")
    write_html(results, out / "report.html")


def summary(results: list[GradeResult]) -> str:
    """A plain-text class table: one row per student and notebook."""
    rows = [("student", "notebook", "score", "notes")]
    for r in sorted(results, key=lambda r: (r.student, r.notebook)):
        notes = []
        if r.invalid:
            notes.append("invalid: " + r.invalid[:50])
        if r.flags:
            notes.append("FLAGGED: " + ", ".join(sorted(r.flags)))
        if r.fatal:
            notes.append(r.fatal[:40])
        manual = sum(1 for i in r.items if i.manual and i.needs_review)
        if manual:
            notes.append(f"{manual} to mark by hand")
        rows.append((r.student, r.notebook, f"{_fmt(r.score)}/{_fmt(r.max_score)}",
                     "; ".join(notes)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(line.rstrip() for line in lines)
