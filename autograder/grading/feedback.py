"""Per-submission HTML feedback: the student's cells, each test's result and message.

Test cells are shown from the STUDENT (release) version, so no hidden test, solution or mark
scheme can appear; messages were already made hidden-safe by the worker. As a last line of
defence every page is scanned for hidden-test and solution lines before it is written.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from pathlib import Path

from nbformat import NotebookNode

from autograder import notebook as nbk
from autograder.checks import choice
from autograder.grading.layout import write_text_atomic
from autograder.grading.source_set import notebook_of
from autograder.items import probing
from autograder.release import student_version
from autograder.results import GradeResult, ItemResult

CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.pass{color:#176b2c}.fail{color:#b3261e}.review{color:#8a5a00}
.item{border-left:4px solid #ccc;padding-left:.8rem;margin:1rem 0}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem}"""


def secret_lines(source) -> set[str]:
    """Lines that must never reach a student: solution, hidden test and mark-scheme text."""
    secrets: set[str] = set()
    markers = (("### BEGIN SOLUTION", "### END SOLUTION"),
               ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
               ("### BEGIN MARK SCHEME", "### END MARK SCHEME"))
    for cell in source.cells:
        lines = cell.source.splitlines()
        for begin, end in markers:
            inside = False
            for line in lines:
                if begin in line:
                    inside = True
                    continue
                if end in line:
                    inside = False
                if inside and len(line.strip()) >= 12:
                    secrets.add(line.strip())
        if nbk.is_solution(cell) and cell.cell_type == "markdown":
            secrets.update(x.strip() for x in lines if len(x.strip()) >= 12)
    return secrets


def _fmt(x: float) -> str:
    return f"{x:g}"


def _checked(source) -> dict[str, list[str]]:
    """The labels of each item's public probes (what the feedback says was checked)."""
    try:
        spec = probing.spec_of(source)
    except (probing.SpecMissing, ImportError):
        return {}
    return {item.grade_id: [p.label for p in item.public] for item in spec.items}


def _hand_line(result: GradeResult) -> str:
    """Hand-marked points given so far, and how many answers are still to mark."""
    manual = [i for i in result.items if i.manual]
    if not manual:
        return ""
    waiting = sum(1 for i in manual if i.needs_review)
    given = sum(i.score for i in manual if not i.needs_review)
    return (f"<p>Marked by hand: <b>{_fmt(given)}/{_fmt(result.manual_max)}</b>"
            + (f" ({waiting} answer(s) still to be marked)" if waiting else "") + "</p>")


UNANSWERED = "Not answered yet: this cell is as it was released."


@dataclasses.dataclass(frozen=True)
class ShownOutput:
    """What a page shows under an answer: a one-line note and/or the cell's output."""

    note: str
    output: str


def shown_output(release_cell, answer: str, output: str) -> ShownOutput:
    """An answer cell left as released shows one line, never the traceback of its stub's
    ``raise NotImplementedError()``; an unset ``STUDENT_ID`` says what to do instead."""
    if choice.ID_NAME in release_cell.source and choice.id_unset_in(answer):
        return ShownOutput(choice.UNSET_ID[0].upper() + choice.UNSET_ID[1:] + ".", "")
    if answer.strip() == release_cell.source.strip():
        return ShownOutput(UNANSWERED if output else "", "")
    return ShownOutput("", output)


@dataclasses.dataclass(frozen=True)
class PageSource:
    """What every page of one source notebook is built from, worked out once per notebook
    (the student release, the public checks' labels, the lines that must never appear)."""

    source: NotebookNode
    release: NotebookNode
    checked: dict[str, list[str]]
    secrets: set[str]

    @classmethod
    def of(cls, source: NotebookNode) -> PageSource:
        return cls(source, student_version(source), _checked(source), secret_lines(source))


def _head(result: GradeResult, page_source: PageSource, lateness: str,
          returned: bool) -> list[str]:
    """The page's top: title, student, score, lateness, hand marks (``returned``), and what
    was noticed about the notebook as a whole."""
    esc = html.escape
    title = nbk.title(page_source.source, result.notebook)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)} — "
             f"{esc(result.student)}</title><style>{CSS}</style></head><body>",
             f"<h1>{esc(title)}</h1><p>Student: <b>{esc(result.student)}</b></p>",
             f"<p>Autograded score: <b>{_fmt(result.score)}/{_fmt(result.max_score)}</b>"
             + (f"; {_fmt(result.manual_max)} more points are marked by hand"
                if result.manual_max else "") + "</p>"]
    if lateness:
        parts.append(f"<p class='fail'>Handed in {esc(lateness)}.</p>")
    if returned:
        parts.append(_hand_line(result))
    return parts + _notebook_notes(result)


def _notebook_notes(result: GradeResult) -> list[str]:
    """Invalid, notes, flags, the training stages reached and an early stop."""
    esc = html.escape
    parts = []
    if result.invalid:
        parts.append(f"<p class='fail'>This submission could not be graded: "
                     f"{esc(result.invalid)}</p>")
    if result.problems:
        parts.append("<h2>Notes on the notebook</h2><ul>" + "".join(
            f"<li>{esc(p)}</li>" for p in result.problems) + "</ul>")
    if result.flags:
        parts.append("<h2 class='review'>Flagged for review (scores do not depend on it)</h2>"
                     "<ul>" + "".join(f"<li>{esc(k)}: {esc('; '.join(v))}</li>"
                                      for k, v in result.flags.items()) + "</ul>")
    if result.stages:
        parts.append("<p>Training stages your notebook reached (validation accuracy): "
                     + ", ".join(f"{esc(k)} {v:.4f}" for k, v in sorted(result.stages.items()))
                     + "</p>")
    if result.fatal:
        parts.append(f"<p class='fail'>The run stopped early: {esc(result.fatal)}"
                     + (f" ({esc(result.killed)})" if result.killed else "") + "</p>")
    return parts


def _answer_html(result: GradeResult, cell, gid: str, comments: dict[str, str]) -> list[str]:
    """The student's answer, what it printed, and a marker's comment on it."""
    esc = html.escape
    text = result.answers.get(gid, "")
    parts = [f"<div class='item'><h3>Your answer <code>{esc(gid)}</code></h3>"
             f"<pre>{esc(text)}</pre>"]
    shown = shown_output(cell, text, result.outputs.get(gid, ""))
    if shown.note:
        parts.append(f"<p class='review'>{esc(shown.note)}</p>")
    if shown.output:
        parts.append(f"<p>Output:</p><pre>{esc(shown.output)}</pre>")
    if comments.get(gid) and not nbk.is_grade(cell):
        parts.append(f"<p class='comment'>Marker's comment: {esc(comments[gid])}</p>")
    parts.append("</div>")
    return parts


def _item_html(item: ItemResult, cell, comments: dict[str, str],
               checked: dict[str, list[str]]) -> list[str]:
    """One graded item: its status and score, its message, a comment, the public checks."""
    esc, gid = html.escape, item.grade_id
    if item.manual:
        status, cls = ("to be marked by hand" if item.needs_review else "marked by hand",
                       "review")
    elif item.passed:
        status, cls = ("passed", "pass")
    else:
        status, cls = ("failed", "fail")
    parts = [f"<div class='item'><h3>{esc(gid)}: <span class='{cls}'>{status}</span> "
             f"({_fmt(item.score)}/{_fmt(item.max_score)})</h3>"]
    if item.message and (not item.passed or item.needs_review) and \
            item.message != "marked by hand":
        parts.append(f"<p>{esc(item.message)}</p>")
    if comments.get(gid):
        parts.append(f"<p class='comment'>Marker's comment: {esc(comments[gid])}</p>")
    if nbk.is_autograded_test(cell) and checked.get(gid):
        parts.append("<details><summary>Public checks (hidden ones run on other inputs)"
                     "</summary><ul>" + "".join(f"<li>{esc(label)}</li>"
                                                for label in checked[gid])
                     + "</ul></details>")
    parts.append("</div>")
    return parts


def render(result: GradeResult, page_source: PageSource,
           comments: dict[str, str] | None = None, lateness: str = "") -> str:
    """The page; ``comments`` (grade id -> the marker's comment) come from the gradebook;
    ``lateness`` says how late the assignment came and what it cost ("" when on time)."""
    returned = comments is not None       # ch4 feedback: hand marks are part of the page
    comments = comments or {}
    items = {i.grade_id: i for i in result.items}
    parts = _head(result, page_source, lateness, returned) + ["<h2>Items</h2>"]
    for cell in page_source.release.cells:
        gid = nbk.grade_id(cell)
        if not gid:
            continue
        if nbk.is_solution(cell):
            parts += _answer_html(result, cell, gid, comments)
        item = items.get(gid)
        if item is None or (nbk.is_solution(cell) and not nbk.is_grade(cell)):
            continue
        parts += _item_html(item, cell, comments, page_source.checked)
    parts.append("</body></html>")
    return "\n".join(parts)


class LeakError(RuntimeError):
    """A feedback page would reveal a hidden test or a solution."""


def check_no_leak(page: str, secrets: set[str], answers: dict[str, str]) -> None:
    student_text = "\n".join(answers.values())
    for line in secrets:
        if html.escape(line) in page and line not in student_text:
            raise LeakError(f"feedback would reveal: {line[:60]!r}")


def safe_page(result: GradeResult, page_source: PageSource,
              comments: dict[str, str] | None = None, lateness: str = "") -> str:
    """The feedback page; if it would leak (say the student's code printed a hidden line),
    drop the printed outputs and messages, and as a last resort withhold the page."""
    answers = result.answers
    page = render(result, page_source, comments, lateness)
    try:
        check_no_leak(page, page_source.secrets, answers)
        return page
    except LeakError:
        pass
    trimmed = dataclasses.replace(result, outputs={}, items=[
        dataclasses.replace(i, message="see your instructor") for i in result.items])
    page = render(trimmed, page_source, comments, lateness)
    try:
        check_no_leak(page, page_source.secrets, answers)
        return page
    except LeakError:
        return WITHHELD_PAGE


WITHHELD_PAGE = ("<!doctype html><html><body><p>Feedback for this notebook is withheld; "
                 "your instructor will send it.</p></body></html>")


def write_page(folder: Path, result: GradeResult, page: str) -> Path:
    """``folder/<student>/<notebook>.html``, written whole or not at all."""
    path = folder / result.student / f"{result.notebook}.html"
    write_text_atomic(path, page)
    return path


def write_all(results: list[GradeResult], sources: dict[str, Path], folder: Path,
              lateness: Mapping[tuple[str, str], str] | None = None) -> list[Path]:
    """Every page; ``lateness``: (student, notebook) -> how late (``standing.lateness_notes``)."""
    written = []
    pages = {name: PageSource.of(notebook_of(sources, name)) for name in sources}
    late = lateness or {}
    for result in results:
        written.append(write_page(folder, result, safe_page(
            result, pages[result.notebook],
            lateness=late.get((result.student, result.notebook), ""))))
    return written
