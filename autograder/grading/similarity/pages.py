"""What the similarity hints write: similarity.csv (pairs), similarity/pairs.json (pairs and
clusters, for users and for ``ch4 similarity``'s later report updates), one side-by-side page
per pair, and the "Similarity" section of report.html (built from the findings in memory by
``ch4 grade``, from pairs.json otherwise). Every student text is escaped."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.layout import (
    OutputLayout,
    write_json_atomic,
    write_table_atomic,
    write_text_atomic,
)
from autograder.grading.similarity.model import (
    DISCLAIMER,
    SECTION_END,
    SECTION_START,
    THRESHOLD,
    Cluster,
    Findings,
    Pair,
)

SHOWN_CHARS = 600      # of a cluster's shared answer, per item, in the report


def write_csv(found: Findings, path: Path) -> None:
    write_table_atomic(path, [
        ["notebook", "kind", "student_a", "student_b", "share_matched", "share_a", "share_b",
         "items", "page"],
        *([p.notebook, p.kind, p.a, p.b, f"{p.share:.3f}", f"{p.share_a:.3f}",
           f"{p.share_b:.3f}", " ".join(p.items), p.page] for p in found.pairs)])


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    parts, pos = [], 0
    for start, end in spans:
        parts.append(html.escape(text[pos:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


_STYLE = ("body{font-family:system-ui,sans-serif;max-width:90rem;margin:2rem auto}"
          ".cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}"
          "pre{background:#f7f7f7;padding:.5rem;white-space:pre-wrap;overflow-x:auto}"
          "mark{background:#ffd54f}.note{background:#eef;padding:.5rem}")


def pair_page(found: Findings, pair: Pair) -> str:
    """A side-by-side page of one pair, the matching regions highlighted (all text escaped)."""
    esc = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(pair.a)} and "
             f"{esc(pair.b)}: {esc(pair.notebook)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{esc(pair.notebook)} ({esc(pair.kind)}): {esc(pair.a)} and {esc(pair.b)}</h1>",
             f"<p class='note'>{esc(DISCLAIMER)}</p>",
             f"<p>Share of own {'code' if pair.kind == 'code' else 'text'} that the two share "
             "and the rest of the class does not: "
             f"{esc(pair.a)} {100 * pair.share_a:.0f}%, {esc(pair.b)} "
             f"{100 * pair.share_b:.0f}%. Starter code is not counted; highlighted regions "
             "are shared fingerprints that are rare in the class.</p>"]
    for m in found.matches.get((pair.notebook, pair.kind, pair.a, pair.b), []):
        left = found.answers[(pair.notebook, pair.a, m.cell)].text
        right = found.answers[(pair.notebook, pair.b, m.cell)].text
        parts.append(f"<h2>{esc(m.cell)}</h2><div class='cols'><div><h3>{esc(pair.a)}</h3>"
                     f"<pre>{_marked(left, m.spans_a)}</pre></div><div><h3>{esc(pair.b)}</h3>"
                     f"<pre>{_marked(right, m.spans_b)}</pre></div></div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_outputs(found: Findings, out: Path) -> None:
    """similarity.csv, similarity/pairs.json and one page per pair."""
    paths = OutputLayout(out)
    paths.similarity.mkdir(parents=True, exist_ok=True)
    for old in paths.similarity.glob("*/*.html"):
        old.unlink()
    for pair in found.pairs:
        write_text_atomic(paths.root / pair.page, pair_page(found, pair))
    write_csv(found, paths.similarity_csv)
    data = {"threshold": found.threshold, "students": found.students,
            "skipped": found.skipped, "seconds": round(found.seconds, 3),
            "pairs": [p.to_json() for p in found.pairs],
            "clusters": [c.to_json() for c in found.clusters]}
    write_json_atomic(paths.pairs_json, data, sort_keys=False)


@dataclass(frozen=True)
class Stored:
    """The findings the report's section shows (from memory, or pairs.json read back)."""

    threshold: float
    pairs: list[Pair]
    clusters: list[Cluster]
    skipped: list[str]

    @classmethod
    def of(cls, found: Findings) -> Stored:
        """What the section shows of findings still in memory."""
        return cls(found.threshold, list(found.pairs), list(found.clusters),
                   list(found.skipped))


def read_stored(out: Path) -> Stored | None:
    """The stored findings of a grading output folder; None when absent or unreadable."""
    try:
        data = json.loads(OutputLayout(out).pairs_json.read_text(encoding="utf-8"))
        return Stored(float(data.get("threshold", THRESHOLD)),
                      [Pair.from_json(p) for p in data["pairs"]],
                      [Cluster.from_json(c) for c in data.get("clusters", [])],
                      [str(s) for s in data.get("skipped") or []])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _kind_words(kind: str) -> str:
    return "code" if kind == "code" else "free text"


def _pairs_html(pairs: list[Pair]) -> list[str]:
    esc = html.escape
    parts: list[str] = []
    by_nb: dict[tuple[str, str], list[Pair]] = {}
    for p in pairs:
        by_nb.setdefault((p.notebook, p.kind), []).append(p)
    for (notebook, kind), group in sorted(by_nb.items()):
        parts.append(f"<h3>{esc(notebook)} ({_kind_words(kind)})</h3>"
                     "<table><tr><th>students</th><th>share matched</th><th>items</th></tr>")
        for p in sorted(group, key=lambda p: -p.share):
            parts.append(f"<tr><td><a href='{esc(p.page, quote=True)}'>{esc(p.a)} and "
                         f"{esc(p.b)}</a></td><td>{100 * p.share:.0f}%</td>"
                         f"<td>{esc(', '.join(p.items))}</td></tr>")
        parts.append("</table>")
    return parts


def _group_rows(clusters: list[Cluster], share: bool) -> list[str]:
    esc = html.escape
    rows = []
    for c in clusters:
        shown = "".join(
            f"<pre>{esc(item)}:\n{esc(text[:SHOWN_CHARS])}"
            f"{'…' if len(text) > SHOWN_CHARS else ''}</pre>" for item, text in c.answers.items())
        rows.append(f"<tr><td>{esc(c.notebook)} ({_kind_words(c.kind)})</td>"
                    f"<td>{esc(', '.join(c.students))}</td><td>{c.size}</td>"
                    + (f"<td>{100 * c.share:.0f}%</td>" if share else "")
                    + f"<td>{esc(', '.join(c.items))}</td><td>{shown}</td></tr>")
    return rows


def _clusters_html(clusters: list[Cluster]) -> list[str]:
    rings = [c for c in clusters if c.rare]
    same = [c for c in clusters if not c.rare]
    parts: list[str] = []
    if rings:
        parts += ["<h3>Small groups who share what the rest of the class does not write</h3>",
                  "<p>Three or more students whose answers share code or prose that nobody "
                  "else in the class has, up to renames, layout, order and added lines: a "
                  "possible copy ring, listed once instead of as its pairs. The share is the "
                  "weakest member's strongest link inside the group, beyond what that member "
                  "shares with anyone outside it; the answer shown is the first member's.</p>",
                  "<table><tr><th>notebook</th><th>students</th><th>size</th><th>share</th>"
                  "<th>items</th><th>the first member's answer</th></tr>",
                  *_group_rows(rings, True), "</table>"]
    if same:
        parts += ["<h3>Groups who handed in the same answer</h3>",
                  "<p>Each group is listed once instead of as every pair in it. A large group "
                  "is usually the common way to write a short answer; a small group with a "
                  "long answer is worth a look.</p>",
                  "<table><tr><th>notebook</th><th>students</th><th>size</th><th>items</th>"
                  "<th>the shared answer</th></tr>", *_group_rows(same, False), "</table>"]
    return parts


def html_section(out: Path) -> str:
    """The report's "Similarity" section from OUT/similarity/pairs.json ('' when absent)."""
    stored = read_stored(out)
    return "" if stored is None else section_html(stored)


def section_html(stored: Stored) -> str:
    """The report's "Similarity" section of these findings."""
    esc = html.escape
    parts = [SECTION_START, "<h2>Similarity</h2>", f"<p><strong>{esc(DISCLAIMER)}</strong></p>",
             f"<p>Pairs of students who share at least {100 * stored.threshold:.0f}% of one "
             "side's own code (or free text) that the rest of the class does not write; starter "
             "code is not counted and code many students write the same way weighs little. "
             "Also in similarity.csv.</p>"]
    if not stored.pairs:
        parts.append("<p>No pair above the threshold.</p>")
    parts += _pairs_html(stored.pairs) + _clusters_html(stored.clusters)
    if stored.skipped:
        parts.append("<p>Not compared:</p><ul>" + "".join(
            f"<li>{esc(s)}</li>" for s in stored.skipped) + "</ul>")
    parts.append(SECTION_END)
    return "\n".join(parts)


def refresh_report(out: Path, found: Findings | None = None) -> bool:
    """Put the section of ``found`` (default: pairs.json's) into an existing report.html
    (replacing an older one) without rebuilding the rest of the report; False when there is
    no report to update."""
    path = OutputLayout(out).report_html
    try:
        page = path.read_text(encoding="utf-8")
    except OSError:
        return False
    section = html_section(out) if found is None else section_html(Stored.of(found))
    start, end = page.find(SECTION_START), page.find(SECTION_END)
    if start >= 0 and end > start:
        page = page[:start] + section + page[end + len(SECTION_END):]
    elif "<h2>Students</h2>" in page:
        page = page.replace("<h2>Students</h2>", section + "\n<h2>Students</h2>", 1)
    elif "</body>" in page:
        page = page.replace("</body>", section + "\n</body>", 1)
    else:
        page += section
    write_text_atomic(path, page)
    return True


