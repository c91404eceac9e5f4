"""``ch4 progress``: one table of every notebook, for a student or a study group, by week.

Each notebook is run the way ``ch4 check`` runs it (a fresh kernel, public checks only), so
the scores here are the same as ``ch4 check``'s and leave out hidden tests and hand-marked
answers (the output says so). Free-text answers (notebook 08) are counted as written or not,
never marked. ``--html`` writes the same table as a small self-contained page with one bar per
notebook, headed by the student's name (``--name``, else ``STUDENT_ID`` from the notebooks)
and the date, so that it can be shared in a study group.

Only what changed is run again: each notebook's row is remembered in a hidden file of the
working folder under a hash of the notebook's content, the ch4 package and the libraries
(``autograder.progress_cache``), so a finished course with nothing changed answers in seconds;
the table says which rows were reused (``--rerun`` runs every notebook anyway).

An item counts as "to retry" only once the student has tried it: while its answer cell is
the one the release gave (nbgrader's checksum of the cell still matches) or its stub still
raises ``NotImplementedError``, it is "not started".

The weekly plan lives here, in ``PLAN``, and nowhere else in code: README's "Weekly study
plan" table is ``plan_markdown()`` (a test keeps the two equal).
"""

from __future__ import annotations

import ast
import datetime
import html
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import notebook as nbk
from autograder.check import DISCLAIMER, check_notebook
from autograder.checks.choice import ID_NAME
from autograder.items.compare import NOT_ATTEMPTED
from autograder.progress_cache import ProgressCache, content_key

STUB_ANSWER = "YOUR ANSWER HERE"


@dataclass(frozen=True)
class Week:
    """One row of the weekly plan: when to do a notebook and which book sections it covers."""

    week: str
    notebook: str
    sections: str


PLAN: tuple[Week, ...] = (
    Week("1", "01_pixels_and_similarity",
         "Pixels: The Foundations of Computer Vision; First Try: Pixel Similarity"),
    Week("1", "02_tensors_and_metrics",
         "NumPy Arrays and PyTorch Tensors; Computing Metrics Using Broadcasting"),
    Week("1", "03_sgd_by_hand",
         "Stochastic Gradient Descent; Calculating Gradients; Stepping With a Learning Rate; "
         "An End-to-End SGD Example; Summarizing Gradient Descent"),
    Week("1", "04_mnist_loss_and_sigmoid", "The MNIST Loss Function; Sigmoid"),
    Week("2", "05_minibatches_and_training_loop", "SGD and Mini-Batches; Putting It All Together"),
    Week("2", "06_optimizer_and_learner", "Creating an Optimizer"),
    Week("2", "07_nonlinearity_and_resnet", "Adding a Nonlinearity; Going Deeper"),
    Week("2", "08_questionnaire", "Jargon Recap; Questionnaire"),
    Week("3 (optional)", "09_your_own_learner", "Further Research"),
    Week("3 (optional)", "10_full_mnist", "Further Research"),
)


class ProgressError(ValueError):
    """A course folder or notebook name that ``ch4 progress`` cannot use."""


def plan_markdown() -> str:
    """The weekly plan as README shows it (notebooks of one week and section share a row)."""
    rows = ["| Week | Notebook | Book sections |", "|---|---|---|"]
    index = 0
    while index < len(PLAN):
        group = [PLAN[index]]
        while index + len(group) < len(PLAN) and \
                PLAN[index + len(group)].week == group[0].week and \
                PLAN[index + len(group)].sections == group[0].sections:
            group.append(PLAN[index + len(group)])
        names = ", ".join(f"`{w.notebook}`" for w in group)
        rows.append(f"| {group[0].week} | {names} | {group[0].sections} |")
        index += len(group)
    return "\n".join(rows)


@dataclass
class NotebookProgress:
    """Where one notebook stands on its public checks."""

    week: str
    notebook: str
    score: float = 0.0
    max_score: float = 0.0
    passed: int = 0
    to_retry: list[str] = field(default_factory=list)
    not_started: int = 0
    free_text: tuple[int, int] = (0, 0)     # (written, asked)
    problem: str | None = None              # missing file, unreadable notebook, early stop
    reused: bool = False                    # remembered from an earlier run, not run now

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    def to_json(self) -> dict:
        data = asdict(self)
        del data["reused"]
        return data

    @classmethod
    def from_json(cls, data: dict, reused: bool = False) -> NotebookProgress:
        written, asked = data["free_text"]
        return cls(str(data["week"]), str(data["notebook"]), float(data["score"]),
                   float(data["max_score"]), int(data["passed"]),
                   [str(g) for g in data["to_retry"]], int(data["not_started"]),
                   (int(written), int(asked)), data["problem"], reused)


@dataclass
class ProgressRun:
    """The rows of one ``ch4 progress`` run and what it has to say about its cache."""

    rows: list[NotebookProgress]
    notes: list[str] = field(default_factory=list)

    @property
    def reused(self) -> list[str]:
        return [r.notebook for r in self.rows if r.reused]


def free_text_written(path: Path) -> tuple[int, int]:
    """(written, asked) free-text answers: a hand-marked cell counts once it is not the stub."""
    manual = [c for c in nbk.read(path).cells if nbk.is_manual(c)]
    written = [c for c in manual if c.source.strip() not in ("", STUB_ANSWER)]
    return len(written), len(manual)


def untouched_answers(path: Path) -> set[str]:
    """Grade ids of the answer cells still exactly as released: nbgrader stored a checksum of
    each answer cell at release, and an unchanged cell still has it."""
    from nbgrader.utils import compute_checksum

    return {nbk.grade_id(c) for c in nbk.read(path).cells
            if nbk.is_solution(c) and c.cell_type == "code"
            and nbk.meta(c).get("checksum") == compute_checksum(c)}


def student_id_in(source: str) -> str | None:
    """The ``STUDENT_ID`` a cell sets, read without running it: the last non-blank string
    assigned at top level before a ``raise`` (the release's stub); None when there is none."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    found = None
    for node in tree.body:
        if isinstance(node, ast.Raise):
            break
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str) and node.value.value.strip() \
                and any(isinstance(t, ast.Name) and t.id == ID_NAME for t in node.targets):
            found = node.value.value.strip()
    return found


def student_id(course: Path) -> str | None:
    """The first ``STUDENT_ID`` set in the course folder's notebooks (plan order), if any."""
    for week in PLAN:
        path = Path(course) / f"{week.notebook}.ipynb"
        try:
            cells = nbk.read(path).cells if path.exists() else []
        except nbk.NotebookError:
            continue
        for cell in cells:
            if cell.cell_type == "code" and ID_NAME in cell.source:
                found = student_id_in(cell.source)
                if found:
                    return found
    return None


def notebook_progress(week: Week, path: Path, timeout: float) -> NotebookProgress:
    """Run one notebook's public checks and summarise them."""
    row = NotebookProgress(week.week, week.notebook)
    if not path.exists():
        row.problem = "not in this folder"
        return row
    try:
        report = check_notebook(path, cell_timeout=timeout)
        row.free_text = free_text_written(path)
        untouched = untouched_answers(path)
    except nbk.NotebookError as exc:
        row.problem = str(exc)
        return row
    row.score, row.max_score = report.score, report.max_score
    for item in report.auto:
        if item.passed:
            row.passed += 1
        elif item.message == NOT_ATTEMPTED or f"{item.grade_id}_answer" in untouched:
            row.not_started += 1
        else:
            row.to_retry.append(item.grade_id)
    row.problem = f"stopped early: {report.fatal}" if report.fatal else None
    return row


def remembered_progress(week: Week, path: Path, timeout: float, cache: ProgressCache,
                        reuse: bool = True) -> NotebookProgress:
    """The row of one notebook: the remembered one when nothing it depends on changed (and
    ``reuse``), else run now and remembered, unless the run had a problem (such a notebook is
    always run again)."""
    if not path.exists():
        cache.drop(week.notebook)
        return notebook_progress(week, path, timeout)
    key = content_key(path, timeout)
    stored = cache.get(week.notebook, key) if reuse else None
    if stored is not None:
        try:
            return NotebookProgress.from_json(stored, reused=True)
        except (KeyError, TypeError, ValueError) as exc:
            cache.notes.append(f"{week.notebook}: remembered row unreadable ({exc!r}); run again")
    row = notebook_progress(week, path, timeout)
    if row.problem is None:
        cache.put(week.notebook, key, row.to_json())
    else:
        cache.drop(week.notebook)
    return row


def selected(notebooks: list[str]) -> list[Week]:
    """The plan rows named by ``--notebook`` (number, stem or file name); all when none."""
    if not notebooks:
        return list(PLAN)
    chosen = []
    for name in notebooks:
        stem = Path(name).stem
        match = [w for w in PLAN if w.notebook == stem or
                 (stem.isdigit() and w.notebook.startswith(f"{int(stem):02d}_"))]
        if not match:
            known = ", ".join(w.notebook for w in PLAN)
            raise ProgressError(f"no notebook {name!r} in the plan; the notebooks are: {known}")
        chosen += [w for w in match if w not in chosen]
    return chosen


def _fmt(value: float) -> str:
    return f"{value:g}"


def table(rows: list[NotebookProgress]) -> str:
    """The plain-text table ``ch4 progress`` prints."""
    head = ("Week", "Notebook", "Score", "Passed", "To retry", "Not started", "Free text",
            "This run")
    body = []
    for r in rows:
        run = "reused" if r.reused else "run"
        if r.problem and not r.max_score:
            body.append((r.week, r.notebook, "-", "-", r.problem, "-", "-", run))
            continue
        items = r.passed + len(r.to_retry) + r.not_started
        retry = ", ".join(r.to_retry) if r.to_retry else "-"
        free = f"{r.free_text[0]}/{r.free_text[1]}" if r.free_text[1] else "-"
        body.append((r.week, r.notebook, f"{_fmt(r.score)}/{_fmt(r.max_score)}",
                     f"{r.passed}/{items}", retry, str(r.not_started), free, run))
    widths = [max(len(str(line[i])) for line in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
             for line in [head, *body]]
    total, most = sum(r.score for r in rows), sum(r.max_score for r in rows)
    lines.append(f"Total: {_fmt(total)}/{_fmt(most)} (autograded). Note: {DISCLAIMER}.")
    return "\n".join(lines)


def page(rows: list[NotebookProgress], name: str | None = None,
         day: datetime.date | None = None) -> str:
    """The same table as a self-contained HTML page, one bar per notebook, headed by whose
    progress it is (``name``) and the day it was made (``day``, default today)."""
    day = day or datetime.date.today()
    who = html.escape(name) if name else "(no name: pass --name or set STUDENT_ID)"
    cells = []
    for r in rows:
        width = round(100 * r.fraction)
        status = html.escape(r.problem) if r.problem and not r.max_score else (
            f"{_fmt(r.score)}/{_fmt(r.max_score)}")
        retry = html.escape(", ".join(r.to_retry)) or "&ndash;"
        free = f"{r.free_text[0]}/{r.free_text[1]}" if r.free_text[1] else "&ndash;"
        cells.append(
            f"<tr><td>{html.escape(r.week)}</td><td>{html.escape(r.notebook)}</td>"
            f'<td><div class="bar"><div style="width:{width}%"></div></div></td>'
            f"<td>{status}</td><td>{r.passed}</td><td>{retry}</td><td>{r.not_started}</td>"
            f"<td>{free}</td></tr>")
    return ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Chapter 4 progress"
            "</title>\n<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}"
            ".bar{width:160px;height:12px;background:#eee}.bar div{height:12px;"
            "background:#4a8}</style></head>\n<body><h1>Chapter 4 progress</h1>\n"
            f'<p class="who">Student: <strong>{who}</strong> &middot; '
            f'<time datetime="{day.isoformat()}">{day.isoformat()}</time></p>\n'
            f"<p>{html.escape(DISCLAIMER)}.</p>\n<table><tr><th>Week</th><th>Notebook</th>"
            "<th>Progress</th><th>Score</th><th>Passed</th><th>To retry</th>"
            "<th>Not started</th><th>Free text</th></tr>\n" + "\n".join(cells)
            + "\n</table></body></html>\n")


def run_progress(course: Path, notebooks: list[str], timeout: float = 600,
                 rerun: bool = False) -> ProgressRun:
    """The progress rows of ``course`` (a folder of notebooks), in plan order: notebooks that
    did not change since the last run are reused from its cache unless ``rerun``."""
    course = Path(course)
    if not course.is_dir():
        raise ProgressError(f"{course} is not a folder (give the folder with your notebooks)")
    weeks = selected(notebooks)
    cache = ProgressCache.load(course)
    rows = [remembered_progress(w, course / f"{w.notebook}.ipynb", timeout, cache, not rerun)
            for w in weeks]
    cache.save()
    return ProgressRun(rows, cache.notes)


def progress(course: Path, notebooks: list[str], timeout: float = 600) -> list[NotebookProgress]:
    """The progress rows of ``course`` (a folder of notebooks), in plan order."""
    return run_progress(course, notebooks, timeout).rows


def main(course: Path, notebooks: list[str], html_path: Path | None, timeout: float,
         name: str | None = None, rerun: bool = False) -> int:
    """Print the table (and write the page, for ``name`` or the notebooks' ``STUDENT_ID``);
    exit 2 on a bad folder or notebook name."""
    try:
        weeks = selected(notebooks)
        print(f"Checking {len(weeks)} notebook(s) with their public checks only (a notebook "
              "that changed since the last run is executed, which takes a while; "
              "unchanged ones are reused)...", flush=True)
        run = run_progress(course, notebooks, timeout, rerun)
    except ProgressError as exc:
        print(f"ch4 progress: {exc}")
        return 2
    rows = run.rows
    for note in run.notes:
        print(f"note: {note}")
    print(table(rows))
    if run.reused:
        print(f"Reused {len(run.reused)} of {len(rows)} notebook(s), unchanged since the last "
              f"run: {', '.join(run.reused)} (--rerun runs them again).")
    if html_path is not None:
        who = (name or "").strip() or student_id(course)
        Path(html_path).write_text(page(rows, who), encoding="utf-8")
        print(f"wrote {html_path}")
    return 0
