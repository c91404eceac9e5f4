"""The report's "Item analysis" section: a plot of every item's difficulty against its
discrimination (inline SVG, no image library), the item table, and the misconception
clusters with their students and one answer each. Instructor-only: it names students and
shows answers; nothing here goes to a student's page."""

from __future__ import annotations

import html
from pathlib import Path

from autograder.analysis.clusters import Cluster, clusters
from autograder.analysis.items import LOW_DISCRIMINATION, ItemStats, item_statistics
from autograder.results import GradeResult

QUALITY_PAGE = Path(__file__).resolve().parents[2] / "docs" / "check_quality.md"
W, H, PAD = 540, 320, 44


def _xy(difficulty: float, discrimination: float) -> tuple[float, float]:
    x = PAD + difficulty * (W - 2 * PAD)
    y = PAD + (1 - (discrimination + 1) / 2) * (H - 2 * PAD)
    return x, y


def plot_svg(stats: list[ItemStats]) -> str:
    """Difficulty (x, share with full marks) against discrimination (y, -1..1), one dot per
    item; the low-discrimination band is shaded and its items drawn in red."""
    _, band_top = _xy(0, LOW_DISCRIMINATION)
    _, bottom = _xy(0, -1)
    parts = [f"<svg id='item-plot' xmlns='http://www.w3.org/2000/svg' width='{W}' "
             f"height='{H}' role='img' aria-label='difficulty against discrimination'>",
             f"<rect x='{PAD}' y='{band_top:.1f}' width='{W - 2 * PAD}' "
             f"height='{bottom - band_top:.1f}' fill='#fbe3e3'/>",
             f"<rect x='{PAD}' y='{PAD}' width='{W - 2 * PAD}' height='{H - 2 * PAD}' "
             "fill='none' stroke='#888'/>",
             f"<text x='{W / 2}' y='{H - 8}' text-anchor='middle' font-size='12'>share with "
             "full marks (difficulty)</text>",
             f"<text x='10' y='{H / 2}' font-size='12' transform='rotate(-90 10 {H / 2})' "
             "text-anchor='middle'>discrimination</text>"]
    for value in (0.0, 0.5, 1.0):
        x, _ = _xy(value, -1)
        parts.append(f"<text x='{x:.1f}' y='{bottom + 14:.1f}' font-size='10' "
                     f"text-anchor='middle'>{value:g}</text>")
    for value in (-1.0, 0.0, LOW_DISCRIMINATION, 1.0):
        _, y = _xy(0, value)
        parts.append(f"<text x='{PAD - 4}' y='{y + 3:.1f}' font-size='10' "
                     f"text-anchor='end'>{value:g}</text>")
    for s in stats:
        if s.difficulty is None or s.discrimination is None:
            continue
        x, y = _xy(s.difficulty, s.discrimination)
        colour = "#c44e52" if s.low_discrimination else "#4c72b0"
        parts.append(f"<circle class='item-dot' cx='{x:.1f}' cy='{y:.1f}' r='5' "
                     f"fill='{colour}'><title>{html.escape(s.notebook)}:"
                     f"{html.escape(s.grade_id)}</title></circle>")
    return "".join(parts) + "</svg>"


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def _item_rows(stats: list[ItemStats]) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr{' class=low' if s.low_discrimination else ''}><td>{esc(s.notebook)}</td>"
        f"<td>{esc(s.grade_id)}</td><td>{'hand' if s.manual else 'auto'}</td>"
        f"<td>{s.attempted}/{s.students}</td><td>{_num(s.difficulty)}</td>"
        f"<td>{_num(s.discrimination)}{' (low)' if s.low_discrimination else ''}</td>"
        f"<td>{esc('; '.join(f'{o}: {n}' for o, n in s.options))}</td></tr>"
        for s in stats)
    return ("<table id='item-table'><tr><th>notebook</th><th>item</th><th>marking</th>"
            "<th>attempted</th><th>full marks</th><th>discrimination</th><th>answers chosen"
            "</th></tr>" + rows + "</table>")


def cluster_html(found: list[Cluster], names: bool = True) -> str:
    """The clusters as a table (``names``: list the students, else count them)."""
    esc = html.escape
    rows = []
    for c in found:
        who = ", ".join(c.students) if names else f"{c.size} students"
        label = f"<b>{esc(c.misconception)}</b>: " if c.named else ""
        hint = f"<br><i>Hint for them: {esc(c.hint)}</i>" if c.hint else ""
        example = f"<details><summary>one answer</summary><pre>{esc(c.example)}</pre>" \
                  "</details>" if names and c.example else ""
        rows.append(f"<tr class='cluster'><td>{c.size}</td><td>{esc(c.notebook)}<br>"
                    f"{esc(c.title)}</td><td>{label}{esc(c.what)}{hint}</td>"
                    f"<td>{esc(who)}{example}</td></tr>")
    return ("<table id='clusters'><tr><th>students</th><th>item</th><th>how they failed</th>"
            "<th>who</th></tr>" + "".join(rows) + "</table>") if rows else "<p>None.</p>"


def html_section(results: list[GradeResult]) -> str:
    """The whole section for report.html."""
    stats = item_statistics(results)
    if not stats:
        return ""
    return ("<h2 id='item-analysis'>Item analysis</h2><p>Difficulty is the share of students "
            "with full marks; discrimination the correlation of an item's score with the rest "
            f"of the score (below {LOW_DISCRIMINATION} it is flagged: check the item's wording "
            f"and its check). How far each check's verdict can be trusted: "
            f"<a href='{QUALITY_PAGE.as_uri()}'>check quality</a> (also items.csv).</p>"
            + plot_svg(stats) + _item_rows(stats)
            + "<h3>Misconception clusters</h3><p>Failing answers grouped by how they failed "
              "on the hidden checks; named where the item's spec knows the mistake.</p>"
            + cluster_html(clusters(results)))
