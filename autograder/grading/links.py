"""Links in report.html: from a row that needs the instructor to what they act on.

Every flagged, invalid, skipped, superseded, late and missing row names a student (and often a
notebook); its links lead to the file handed in (the course folder's ``submitted/`` copy, or
the file as it lies in the submissions folder or ``OUT/extracted/``), the feedback page
(``feedback/<student>/<notebook>.html``) and formgrader's page of the student's assignment
(``/formgrader/manage_students/<student>/<assignment>``, which lists each notebook with a
link to mark it). Paths inside OUT are relative, so the report still works when OUT is moved
or copied; a link is left out when its target does not exist.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from autograder.grading.layout import OutputLayout

FORMGRADER = "http://localhost:8888"   # `jupyter lab` started in OUT/course, default port
NOTE = ("Formgrader links expect <code>jupyter lab</code> started in <code>course/</code> on "
        f"<code>{FORMGRADER}</code>.")


@dataclass(frozen=True)
class RowLinks:
    """Where one report row leads (each "" when there is nothing to link)."""

    notebook: str = ""
    feedback: str = ""
    formgrader: str = ""


def _href(out: Path, target: Path) -> str:
    """A link from OUT/report.html to ``target``: relative inside OUT, else a file URI."""
    target = Path(target)
    if not target.exists():
        return ""
    try:
        rel = target.resolve().relative_to(Path(out).resolve())
        return quote(rel.as_posix())
    except ValueError:
        return target.resolve().as_uri()


def formgrader_url(student: str, assignment: str) -> str:
    """Formgrader's page of one student's assignment (its notebooks, each to mark)."""
    return (f"{FORMGRADER}/formgrader/manage_students/{quote(student, safe='')}/"
            f"{quote(assignment, safe='')}")


def for_notebook(out: Path, student: str, assignment: str, notebook: str,
                 handed_in: Path | None = None) -> RowLinks:
    """Links of a row about one student's notebook; ``handed_in`` is the file the row is about
    when it is not the graded copy in the course folder (a superseded or skipped file)."""
    out = Path(out)
    paths = OutputLayout(out)
    copy = paths.course_submitted(student, assignment) / f"{notebook}.ipynb"
    file = _href(out, handed_in) if handed_in is not None else ""
    if not file and notebook and student and assignment:
        file = _href(out, copy)
    page = (_href(out, paths.feedback_page(student, notebook))
            if notebook and student else "")
    return RowLinks(file, page, _formgrader_if_known(out, student, assignment))


def for_student(out: Path, student: str, assignment: str) -> RowLinks:
    """Links of a row about a student's assignment as a whole (late, missing notebooks)."""
    out = Path(out)
    return RowLinks("", _href(out, OutputLayout(out).feedback / student) if student else "",
                    _formgrader_if_known(out, student, assignment))


def _formgrader_if_known(out: Path, student: str, assignment: str) -> str:
    """Formgrader's page, when the course folder holds that student's assignment."""
    if not (student and assignment):
        return ""
    known = OutputLayout(out).course_submitted(student, assignment).is_dir()
    return formgrader_url(student, assignment) if known else ""


def handed_in_file(file: str, roots: Sequence[Path]) -> Path | None:
    """A skipped file's path (relative to the submissions folder or the extracted zip)."""
    for root in roots:
        candidate = Path(root) / file
        if candidate.exists():
            return candidate
    return None


def cell(links: RowLinks) -> str:
    """The HTML of a row's links cell."""
    parts = [(links.notebook, "notebook"), (links.feedback, "feedback"),
             (links.formgrader, "formgrader")]
    return " · ".join(f"<a href='{html.escape(href, quote=True)}'>{name}</a>"
                      for href, name in parts if href)


def table(headers: list[str], rows: list[list[str]], links: list[RowLinks]) -> str:
    """An HTML table of escaped text cells with a last cell of links per row."""
    esc = html.escape
    return ("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers)
            + "<th>open</th></tr>"
            + "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row)
                      + f"<td>{cell(link)}</td></tr>" for row, link in zip(rows, links,
                                                                          strict=True))
            + "</table>")

