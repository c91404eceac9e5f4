"""Class outputs: grades.csv, intake.csv, an nbgrader-style export, LMS CSVs, report.html with
plots and what needs the instructor (files not graded, invalid, flagged, missing, to mark).

Percentages use the whole assignment's maximum, hand-marked points included (from the course
definition, or every notebook graded for anyone when there is none): a student who handed in one
notebook of two gets at most half, and unmarked answers count 0 until marked. The autograded
subtotal and the maximum of the notebooks received are shown beside it. With a course
definition grades.csv has a block of columns per assignment (``term.standing.AssignmentGrade``).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from autograder import notebook as nbk
from autograder.analysis import section as item_analysis
from autograder.analysis.items import write_items_csv
from autograder.grading import links, lms, reopen, similarity
from autograder.grading.collect import Skipped
from autograder.grading.gradebook import EXPORT_HEADER, ExportRow
from autograder.grading.layout import OutputLayout, write_rows_atomic, write_text_atomic
from autograder.grading.source_set import notebook_of
from autograder.results import GradeResult, ItemResult
from autograder.term import standing as term_standing
from autograder.term.definition import single


def _fmt(x: float) -> str:
    return f"{x:g}"


def item_columns(sources: dict[str, Path]) -> list[tuple[str, str, bool]]:
    """(notebook, grade_id, manual) for every graded item, in notebook order."""
    cols = []
    for name in sorted(sources):
        for item in nbk.graded_items(notebook_of(sources, name)):
            cols.append((name, item.grade_id, item.manual))
    return cols


def table(results: list[GradeResult]) -> dict[str, dict[str, GradeResult]]:
    by_student: dict[str, dict[str, GradeResult]] = {}
    for r in results:
        by_student.setdefault(r.student, {})[r.notebook] = r
    return dict(sorted(by_student.items()))


@dataclass(frozen=True)
class Standing:
    """One student's autograded total against the whole assignment and what is still open."""

    student: str
    score: float
    full_max: float           # every notebook of the assignment graded in this run
    received_max: float       # only the notebooks this student handed in
    missing: tuple[str, ...]  # notebooks not handed in (or not gradable)
    to_mark: int              # hand-marked answers still to mark
    flagged: tuple[str, ...]  # notebooks held for review
    invalid: tuple[str, ...]  # notebooks that could not be graded at all

    @property
    def percent(self) -> float:
        return 100 * self.score / self.full_max if self.full_max else 0.0

    @property
    def percent_received(self) -> float:
        return 100 * self.score / self.received_max if self.received_max else 0.0


def notebook_max(sources: dict[str, Path]) -> dict[str, float]:
    """Autograded points of each source notebook."""
    return {name: sum(i.points for i in nbk.graded_items(notebook_of(sources, name))
                      if not i.manual)
            for name in sources}


def _flagged(r: GradeResult) -> bool:
    """Held for review (an answer reaching for the grader); an invalid file is not flagged."""
    return not r.invalid and (bool(r.flags)
                              or any(i.needs_review and not i.manual for i in r.items))


def standings(results: list[GradeResult], sources: dict[str, Path]) -> list[Standing]:
    """One Standing per student who handed in anything."""
    maxima = notebook_max(sources)
    out = []
    for student, per_nb in table(results).items():
        out.append(Standing(
            student, sum(r.score for r in per_nb.values()), sum(maxima.values()),
            sum(r.max_score for r in per_nb.values()),
            tuple(nb for nb in sorted(sources) if nb not in per_nb),
            sum(1 for r in per_nb.values() for i in r.items if i.manual and i.needs_review),
            tuple(nb for nb, r in sorted(per_nb.items()) if _flagged(r)),
            tuple(nb for nb, r in sorted(per_nb.items()) if r.invalid)))
    return out


def _shown(file: str, roots: Sequence[Path]) -> str:
    for root in roots:
        try:
            return str(Path(file).relative_to(Path(root).resolve()))
        except ValueError:
            continue
    return Path(file).name


INTAKE_HEADER = ["file", "student", "notebook", "status", "reason", "submitted_at"]


def _when(times: Mapping[str, Mapping[str, datetime]], student: str, notebook: str) -> str:
    when = times.get(student, {}).get(notebook)
    return when.isoformat(timespec="seconds") if when else ""


def intake_rows(results: list[GradeResult], skipped: Sequence[Skipped],
                roots: Sequence[Path] = (),
                times: Mapping[str, Mapping[str, datetime]] | None = None
                ) -> list[dict[str, str]]:
    """One row per handed-in file: graded, invalid, skipped, superseded (an older copy) or
    grader error, with the reason and when it arrived."""
    times = times or {}
    rows = []
    for r in sorted(results, key=lambda r: (r.student, r.notebook)):
        notes = []
        if _flagged(r):
            notes.append("flagged for review: " + ", ".join(sorted(r.flags) or ["see items"]))
        to_mark = sum(1 for i in r.items if i.manual and i.needs_review)
        if to_mark:
            notes.append(f"{to_mark} to mark by hand")
        rows.append({"file": _shown(r.submission, roots), "student": r.student,
                     "notebook": r.notebook, "status": "invalid" if r.invalid else "graded",
                     "reason": r.invalid or "; ".join(notes),
                     "submitted_at": _when(times, r.student, r.notebook)})
    for sk in skipped:
        rows.append({"file": sk.file, "student": sk.student, "notebook": sk.notebook,
                     "status": "grader error" if sk.grader_error else
                     "superseded" if sk.superseded else "skipped",
                     "reason": sk.reason, "submitted_at": sk.submitted_at.isoformat(
                         timespec="seconds") if sk.submitted_at else ""})
    return rows


def write_intake(rows: list[dict[str, str]], path: Path) -> None:
    write_rows_atomic(path, INTAKE_HEADER, rows)


def default_grades(results: list[GradeResult], sources: Mapping[str, Path],
                   out: Path | None = None) -> list[term_standing.AssignmentGrade]:
    """Grades when no term is given: one assignment of ``sources`` (no deadline)."""
    name = results[0].assignment if results else "ch4"
    times = term_standing.load_times(out) if out else {}
    return term_standing.grades_for(results, single(name, sorted(sources)),
                                    term_standing.notebook_maxima(sources), times)


ASSIGNMENT_COLUMNS = ("grade", "max", "percent", "auto", "auto_max", "hand", "penalty",
                      "late_by", "submitted_at", "to_mark", "missing")


def _late_text(grade: term_standing.AssignmentGrade) -> str:
    return "" if grade.late_by is None else f"{grade.late_by.total_seconds() / 3600:.2f}h"


def assignment_cells(grade: term_standing.AssignmentGrade) -> dict[str, str]:
    """One assignment's block of grades.csv: the grade to upload (blank while something is to
    mark), percent of the full assignment, the autograded subtotal beside it."""
    a = grade.assignment
    final = grade.final
    return {f"{a}:grade": "" if final is None else _fmt(round(final, 4)),
            f"{a}:max": _fmt(grade.maximum), f"{a}:percent": f"{grade.percent:.1f}",
            f"{a}:auto": _fmt(grade.auto), f"{a}:auto_max": _fmt(grade.auto_max),
            f"{a}:hand": _fmt(grade.hand), f"{a}:penalty": _fmt(round(grade.penalty, 4)),
            f"{a}:late_by": _late_text(grade),
            f"{a}:submitted_at": grade.submitted_at.isoformat(timespec="seconds")
            if grade.submitted_at else "",
            f"{a}:to_mark": str(grade.to_mark), f"{a}:missing": " ".join(grade.missing)}


def _by_student(grades: Sequence[term_standing.AssignmentGrade]
                ) -> dict[str, list[term_standing.AssignmentGrade]]:
    per_student: dict[str, list[term_standing.AssignmentGrade]] = {}
    for g in grades:
        per_student.setdefault(g.student, []).append(g)
    return per_student


def write_csv(results: list[GradeResult], sources: dict[str, Path], path: Path,
              grades: Sequence[term_standing.AssignmentGrade] | None = None) -> None:
    """grades.csv: one row per student, item and notebook columns, then a block per
    assignment, then the term's totals (``percent``: of every assignment's full maximum)."""
    if grades is None:
        grades = default_grades(results, sources, path.parent)
    assignments = list(dict.fromkeys(g.assignment for g in grades))
    per_student = _by_student(grades)
    cols = item_columns(sources)
    notebooks = sorted(sources)
    standing = {st.student: st for st in standings(results, sources)}
    header = (["student"] + [f"{nb}:{gid}" for nb, gid, _ in cols]
              + [f"{nb}:total" for nb in notebooks] + ["auto_total", "auto_max",
                                                       "needs_manual_grading", "flagged",
                                                       "auto_max_received", "percent",
                                                       "percent_received",
                                                       "missing_notebooks", "to_mark",
                                                       "hand_total", "invalid"]
              + [f"{a}:{c}" for a in assignments for c in ASSIGNMENT_COLUMNS])
    rows = []
    for student, per_nb in table(results).items():
        row = {"student": student}
        total = maximum = 0.0
        manual = flagged = invalid = False
        for nb, gid, is_manual in cols:
            r = per_nb.get(nb)
            item = r.item(gid) if r else None
            if item is None:
                row[f"{nb}:{gid}"] = ""
            elif is_manual:
                row[f"{nb}:{gid}"] = "to mark" if item.needs_review else _fmt(item.score)
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
            flagged = flagged or _flagged(r)
            invalid = invalid or bool(r.invalid)
        st = standing[student]
        mine = per_student.get(student, [])
        full = sum(g.maximum for g in mine)
        for g in mine:
            row.update(assignment_cells(g))
        row.update(auto_total=_fmt(total), auto_max=_fmt(st.full_max),
                   needs_manual_grading=str(manual).lower(), flagged=str(flagged).lower(),
                   auto_max_received=_fmt(maximum),
                   percent=f"{100 * sum(g.running for g in mine) / full if full else 0:.1f}",
                   percent_received=f"{st.percent_received:.1f}",
                   missing_notebooks=" ".join(st.missing), to_mark=str(st.to_mark),
                   hand_total=_fmt(sum(i.score for r in per_nb.values() for i in r.items
                                       if i.manual and not i.needs_review)),
                   invalid=str(invalid).lower())
        rows.append(row)
    write_rows_atomic(path, header, rows)


def write_export(rows: Sequence[ExportRow], path: Path) -> None:
    write_rows_atomic(path, EXPORT_HEADER, [asdict(r) for r in rows])


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


def _table(headers: list[str], rows: list[list[str]]) -> str:
    esc = html.escape
    return ("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                      for row in rows) + "</table>")


def _missing_rows(results: list[GradeResult], stands: list[Standing],
                  grades: Sequence[term_standing.AssignmentGrade]) -> list[list[str]]:
    """[student, assignment, notebooks not handed in]: per assignment of the term, else from
    the standings (the assignment the student's results name)."""
    if grades:
        return [[g.student, g.assignment, ", ".join(g.missing)] for g in grades if g.missing]
    named = {r.student: r.assignment for r in results}
    return [[st.student, named.get(st.student, ""), ", ".join(st.missing)] for st in stands
            if st.missing]


def attention_html(results: list[GradeResult], skipped: Sequence[Skipped],
                   stands: list[Standing], out: Path | None = None,
                   roots: Sequence[Path] = (),
                   grades: Sequence[term_standing.AssignmentGrade] = ()) -> str:
    """The sections an instructor acts on: files not graded, superseded copies, invalid,
    flagged, missing, to mark; with ``out``, each row links to what it needs (links.py)."""
    parts = ["<h2 id='attention'>Needs your attention</h2>"]
    assignment = {(r.student, r.notebook): r.assignment for r in results}
    by_notebook = {r.notebook: r.assignment for r in results}
    where = Path(out) if out is not None else Path(".")
    roots = tuple(roots) + (OutputLayout(where).extracted,)

    def of(student: str, notebook: str, file: str = "") -> links.RowLinks:
        handed = links.handed_in_file(file, roots) if file else None
        return links.for_notebook(where, student, assignment.get(
            (student, notebook), by_notebook.get(notebook, "")), notebook, handed)

    superseded = [sk for sk in skipped if sk.superseded]
    others = [sk for sk in skipped if not sk.superseded]
    missing = _missing_rows(results, stands, grades)
    reopened = sorted(reopen.open_items(where).values(), key=lambda e: e.key) \
        if out is not None else []
    sections = [
        ("Files not graded", ["file", "student", "status", "reason"],
         [([sk.file, sk.student, "grader error" if sk.grader_error else "skipped", sk.reason],
           of(sk.student, sk.notebook, sk.file)) for sk in others]),
        ("Superseded copies", ["file", "student", "notebook", "why"],
         [([sk.file, sk.student, sk.notebook, sk.reason], of(sk.student, sk.notebook, sk.file))
          for sk in superseded]),
        ("Invalid submissions", ["student", "notebook", "why"],
         [([r.student, r.notebook, r.invalid or ""], of(r.student, r.notebook))
          for r in results if r.invalid]),
        ("Flagged for review", ["student", "notebook", "why"],
         [([r.student, r.notebook, "; ".join(f"{k}: {', '.join(v)}"
                                             for k, v in sorted(r.flags.items()))
            or "an item held for review"], of(r.student, r.notebook))
          for r in results if _flagged(r)]),
        ("Missing notebooks", ["student", "assignment", "not handed in"],
         [(row, links.for_student(where, row[0], row[1])) for row in missing]),
        ("Hand marking to do", ["student", "notebook", "answers to mark"],
         [([r.student, r.notebook, str(n)], of(r.student, r.notebook)) for r in results
          if (n := sum(1 for i in r.items if i.manual and i.needs_review))]),
        ("Answers changed after marking (to mark again)",
         ["student", "notebook", "answer", "previous mark"],
         [([e.student, e.notebook, e.grade_id, f"{e.previous_score:g}/{e.max_score:g}"],
           of(e.student, e.notebook)) for e in reopened]),
    ]
    for title, headers, rows in sections:
        table_html = (links.table(headers, [t for t, _ in rows], [lk for _, lk in rows])
                      if out is not None else _table(headers, [t for t, _ in rows]))
        parts.append(f"<h3>{html.escape(title)} ({len(rows)})</h3>"
                     + (table_html if rows else "<p>None.</p>"))
    if out is not None:
        parts.append(f"<p>{links.NOTE}</p>")
    return "\n".join(parts)


def term_html(grades: Sequence[term_standing.AssignmentGrade], out: Path | None = None) -> str:
    """The term table: one row per student, one cell per assignment (grade of the full
    maximum, the autograded subtotal beside it, what is to mark, lateness)."""
    names = list(dict.fromkeys(g.assignment for g in grades))
    cells: dict[str, dict[str, str]] = {}
    for g in grades:
        final = g.final
        text = (f"{_fmt(round(g.running, 2))}/{_fmt(g.maximum)} ({g.percent:.0f}%)"
                f"{'' if final is not None else ' so far'}; auto {_fmt(g.auto)}/"
                f"{_fmt(g.auto_max)}")
        extra = [f"{g.to_mark} to mark" if g.to_mark else "",
                 f"missing {', '.join(g.missing)}" if g.missing else "",
                 term_standing.lateness_text(g)]
        cells.setdefault(g.student, {})[g.assignment] = "; ".join(
            [text] + [e for e in extra if e])
    late = [[g.student, g.assignment, term_standing.lateness_text(g),
             g.due.isoformat(timespec="minutes") if g.due else ""] for g in grades if g.late]
    return ("<h2 id='term'>Term</h2>" + _table(
        ["student"] + names, [[s] + [row.get(n, "") for n in names]
                              for s, row in sorted(cells.items())])
            + f"<h3>Late work ({len(late)})</h3>"
            + (_late_table(late, out) if late else "<p>None.</p>"))


def _late_table(late: list[list[str]], out: Path | None) -> str:
    """The Late work rows, each linking to the student's pages and formgrader (with ``out``)."""
    headers = ["student", "assignment", "lateness", "due"]
    if out is None:
        return _table(headers, late)
    return links.table(headers, late, [links.for_student(out, row[0], row[1]) for row in late])


_HEAD = ("<!doctype html><html><head><meta charset='utf-8'><title>Class report</title>"
         "<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto}"
         "td,th{border:1px solid #ddd;padding:.2rem .5rem}table{border-collapse:collapse}"
         "</style></head><body><h1>Class report</h1>")


def _totals(results: list[GradeResult], stands: list[Standing],
            whole: bool) -> dict[str, tuple[float, float]]:
    """student -> (score, maximum): of the whole assignment (``whole``), else of the notebooks
    graded for that student."""
    if whole:
        return {st.student: (st.score, st.full_max) for st in stands}
    return {student: (sum(r.score for r in per_nb.values()),
                      sum(r.max_score for r in per_nb.values()))
            for student, per_nb in table(results).items()}


def _distribution_html(totals: dict[str, tuple[float, float]]) -> str:
    """The histogram of the students' percentages ('' without students)."""
    if not totals:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    pct = [100 * s / m if m else 0 for s, m in totals.values()]
    ax.hist(pct, bins=10, range=(0, 100), color="#4c72b0")
    ax.set_xlabel("autograded score (%)")
    ax.set_ylabel("students")
    ax.set_title("Score distribution")
    shown = (f"<h2>Score distribution</h2><img alt='score distribution' "
             f"src='data:image/png;base64,{_png(fig)}'>")
    plt.close(fig)
    return shown


def _items_html(stats: list[dict]) -> str:
    """The pass rate per item (a bar chart) and the ten hardest items ('' without items)."""
    if not stats:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    esc = html.escape
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.25 * len(stats))))
    labels = [f"{s['notebook']}:{s['grade_id']}" for s in stats]
    ax.barh(labels, [100 * s["rate"] for s in stats], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("pass rate (%)")
    ax.invert_yaxis()
    ax.set_title("Pass rate per item")
    chart = (f"<h2>Pass rate per item</h2><img alt='pass rate per item' "
             f"src='data:image/png;base64,{_png(fig)}'>")
    plt.close(fig)
    hardest = sorted(stats, key=lambda s: (s["rate"], s["notebook"], s["grade_id"]))[:10]
    return chart + "\n<h2>Hardest items</h2><table><tr><th>item</th><th>passed</th>" \
        "<th>rate</th></tr>" + "".join(
            f"<tr><td>{esc(s['notebook'])}:{esc(s['grade_id'])}</td>"
            f"<td>{s['passed']}/{s['n']}</td><td>{100 * s['rate']:.0f}%</td></tr>"
            for s in hardest) + "</table>"


def _students_html(stands: list[Standing], totals: dict[str, tuple[float, float]],
                   whole: bool) -> str:
    """The Students table: standings of the whole assignment (``whole``), else totals."""
    esc = html.escape
    if whole:
        return "<h2>Students</h2>" + _table(
            ["student", "score", "%", "% of received", "missing", "to mark"],
            [[st.student, f"{_fmt(st.score)}/{_fmt(st.full_max)}", f"{st.percent:.0f}%",
              f"{st.percent_received:.0f}% of {_fmt(st.received_max)}",
              ", ".join(st.missing), str(st.to_mark)] for st in stands])
    return ("<h2>Students</h2><table><tr><th>student</th><th>score</th></tr>"
            + "".join(f"<tr><td>{esc(k)}</td><td>{_fmt(s)}/{_fmt(m)}</td></tr>"
                      for k, (s, m) in totals.items()) + "</table>")


def write_html(results: list[GradeResult], path: Path, sources: dict[str, Path] | None = None,
               skipped: Sequence[Skipped] = (),
               grades: Sequence[term_standing.AssignmentGrade] = (),
               roots: Sequence[Path] = (), similarity_html: str | None = None) -> None:
    """report.html; ``similarity_html``: the similarity section (None: from the folder's
    pairs.json, as ``ch4 similarity`` left it)."""
    stands = standings(results, sources or {})
    whole = sources is not None
    totals = _totals(results, stands, whole)
    parts = [_HEAD,
             f"<p>{len(totals)} students, {len(results)} graded notebooks, "
             f"{len(skipped)} files not graded. Percentages are of the whole assignment "
             "(every notebook graded in this run); 'of received' counts only the notebooks a "
             "student handed in.</p>"]
    if whole:
        parts.append(attention_html(results, skipped, stands, path.parent, roots, grades))
    if grades:
        parts.append(term_html(grades, path.parent))
    parts += [p for p in (_distribution_html(totals), _items_html(item_stats(results))) if p]
    parts.append(similarity.html_section(path.parent) if similarity_html is None
                 else similarity_html)                       # '' when not computed
    parts.append(item_analysis.html_section(results))   # instructor-only
    parts.append(_students_html(stands, totals, whole) + "</body></html>")
    write_text_atomic(path, "\n".join(parts))


def write_all(results: list[GradeResult], sources: dict[str, Path], out: Path,
              export: Sequence[ExportRow], skipped: Sequence[Skipped] = (),
              roots: Sequence[Path] = (), lms_options: lms.LmsOptions | None = None,
              grades: Sequence[term_standing.AssignmentGrade] | None = None,
              similarity_html: str | None = None) -> lms.LmsWritten:
    """Every class file in ``out``; returns what the LMS files left blank (marking pending).
    ``grades``: the term's grades (``term.standing.grades_for``; default: one assignment of
    ``sources``); ``similarity_html``: the report's similarity section (``write_html``)."""
    paths = OutputLayout(out)
    if grades is None:
        grades = default_grades(results, sources, out)
    write_csv(results, sources, paths.grades_csv, grades)
    write_items_csv(results, paths.items_csv)
    write_export(export, paths.scores_csv)
    write_intake(intake_rows(results, skipped, roots, term_standing.load_times(out)),
                 paths.intake_csv)
    definition = term_standing.term_of(out, results, sources)    # the LMS columns
    written = lms.write_term(grades, definition, out, lms_options)
    write_html(results, paths.report_html, sources, skipped, grades, roots, similarity_html)
    return written


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
