"""Reading, writing and inspecting nbgrader notebooks (cell metadata schema v3)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

# nbformat validates with jsonschema, which imports rfc3987_syntax when it is installed (it
# comes with jupyter-events): that import compiles an IRI grammar for about two seconds, in
# every grading process. Notebook schemas never use the "iri" format it checks, so a process
# that has not loaded jsonschema yet skips it; jsonschema treats it as not installed.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import nbformat  # noqa: E402
from nbformat import NotebookNode  # noqa: E402

SCHEMA_VERSION = 3
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


class NotebookError(ValueError):
    """A notebook could not be read or is not a usable nbgrader notebook (one-line message)."""


def read(path: Path | str) -> NotebookNode:
    """Read a notebook; raise NotebookError with a clear message if it is broken."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotebookError(f"{path}: no such notebook") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookError(f"{path}: cannot be read ({exc})") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise NotebookError(f"{path}: not valid notebook JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError(f"{path}: not a notebook (no list of cells)")
    try:
        nb = nbformat.from_dict(data)
        if nb.get("nbformat", 0) < 4:
            nb = nbformat.convert(nb, 4)
    except Exception as exc:  # noqa: BLE001 - any malformed structure
        raise NotebookError(f"{path}: malformed notebook ({exc})") from exc
    for index, cell in enumerate(nb.cells):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise NotebookError(f"{path}: cell {index} is malformed")
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        if not isinstance(cell.get("source", ""), str):
            raise NotebookError(f"{path}: cell {index} has a malformed source")
    return nb


def dumps(nb: NotebookNode) -> str:
    """Deterministic JSON text (sorted keys, one-space indent, final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(nb: NotebookNode, path: Path | str) -> None:
    """Write a notebook deterministically (``dumps``), replacing the file atomically: the one
    writer of every notebook the project commits or generates."""
    write_text(dumps(nb), path)


def write_text(text: str, path: Path | str) -> None:
    """Replace ``path`` with ``text`` atomically (a temporary file, then a rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# metadata a notebook editor adds on a run; a committed source notebook carries none of it
RUN_METADATA = ("execution", "collapsed", "scrolled")


def tidy(nb: NotebookNode) -> NotebookNode:
    """A source notebook as it is committed: no outputs, execution counts or run metadata;
    ids, cells and nbgrader metadata kept as they are."""
    for cell in nb.cells:
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def tidy_file(path: Path | str, check: bool = False) -> bool:
    """Whether a source notebook is in its committed form (``tidy`` content written by
    ``dumps``); without ``check`` an untidy one is rewritten in place (Jupyter writes each line
    of a cell as a list item: the same notebook, another text). False when it was not."""
    path = Path(path)
    text = dumps(tidy(read(path)))
    if path.read_text(encoding="utf-8") == text:
        return True
    if not check:
        write_text(text, path)
    return False


# ---------------------------------------------------------------- metadata


def meta(cell: dict) -> dict:
    """The cell's nbgrader metadata ({} when it has none)."""
    value = cell.get("metadata", {}).get("nbgrader", {})
    return value if isinstance(value, dict) else {}


def grade_id(cell: dict) -> str | None:
    return meta(cell).get("grade_id")


def is_grade(cell: dict) -> bool:
    return bool(meta(cell).get("grade"))


def is_solution(cell: dict) -> bool:
    return bool(meta(cell).get("solution"))


def is_task(cell: dict) -> bool:
    return bool(meta(cell).get("task"))


def is_autograded_test(cell: dict) -> bool:
    """A locked code cell that holds tests (nbgrader's "Autograder tests")."""
    return cell.get("cell_type") == "code" and is_grade(cell) and not is_solution(cell)


EXPECTS_ERROR = "raises-exception"   # nbval's tag: the cell may fail (a release's stubs)


def is_provided(cell: dict) -> bool:
    """A code cell the course gives ready-made: not an answer cell, and not one allowed to
    fail (a release tags every cell after its first stub ``raises-exception``)."""
    return (cell.get("cell_type") == "code" and not is_solution(cell)
            and EXPECTS_ERROR not in cell.get("metadata", {}).get("tags", []))


def provided_noise(cell: dict, outputs: list | None = None) -> str:
    """What a provided cell wrote to stderr (warnings land there), "" for a quiet cell or a
    cell that is not provided. ``outputs`` defaults to the cell's own outputs."""
    if not is_provided(cell):
        return ""
    shown = cell.get("outputs", []) if outputs is None else outputs
    return "".join(o.get("text", "") for o in shown
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")


MARK_SCHEME_BEGIN = "### BEGIN MARK SCHEME"


def is_mark_scheme(cell: dict) -> bool:
    """A task cell that holds a mark scheme: instructor text for the answer before it, shown to
    the marker, never an item (its points, if any, are ignored) and never released."""
    return is_task(cell) and MARK_SCHEME_BEGIN in cell.get("source", "")


def is_manual(cell: dict) -> bool:
    """A hand-graded cell: a graded answer that is not code, or a task (not a mark scheme)."""
    if is_mark_scheme(cell):
        return False
    return is_task(cell) or (is_grade(cell) and is_solution(cell))


@dataclass(frozen=True)
class GradedItem:
    """One graded cell: its id, points and whether a human marks it."""

    grade_id: str
    points: float
    manual: bool


def graded_items(nb: NotebookNode) -> list[GradedItem]:
    """Every graded cell of a notebook in order (autograded tests and hand-marked cells)."""
    items = []
    for cell in nb.cells:
        if is_autograded_test(cell) or is_manual(cell):
            items.append(GradedItem(grade_id(cell) or "", float(meta(cell).get("points", 0)),
                                    is_manual(cell)))
    return items


# ---------------------------------------------------------------- authoring


def _cell(kind: str, source: str, nbgrader: dict | None = None, tags=()) -> NotebookNode:
    maker = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = maker(source.strip("\n"))
    if nbgrader is not None:
        cell.metadata["nbgrader"] = {"schema_version": SCHEMA_VERSION, "task": False,
                                     "solution": False, "grade": False, "locked": False,
                                     **nbgrader}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def markdown(source: str) -> NotebookNode:
    """Plain explanatory text (locked, so students do not edit the instructions)."""
    return _cell("markdown", source)


def code(source: str, tags=()) -> NotebookNode:
    """Ordinary code that students run as is."""
    return _cell("code", source, tags=tags)


def answer(gid: str, source: str) -> NotebookNode:
    """An autograded answer cell: the solution lives between BEGIN/END SOLUTION."""
    return _cell("code", source, {"grade_id": gid, "solution": True})


def tests(gid: str, source: str, points: float) -> NotebookNode:
    """A locked test cell worth ``points``; may contain a BEGIN/END HIDDEN TESTS block."""
    return _cell("code", source, {"grade_id": gid, "grade": True, "locked": True,
                                  "points": points})


def free_text(gid: str, source: str, points: float) -> NotebookNode:
    """A hand-marked markdown answer; the source is the model answer (cleared on release)."""
    return _cell("markdown", source, {"grade_id": gid, "grade": True, "solution": True,
                                      "points": points})


def task(gid: str, source: str, points: float) -> NotebookNode:
    """A hand-marked task cell; may hold a BEGIN/END MARK SCHEME block."""
    return _cell("markdown", source, {"grade_id": gid, "task": True, "locked": True,
                                      "points": points})


def new_notebook(cells: list, title: str) -> NotebookNode:
    """A Python 3 notebook with our metadata."""
    nb = nbformat.v4.new_notebook(cells=cells)
    for index, cell in enumerate(nb.cells):  # stable ids: regenerating gives the same file
        cell["id"] = grade_id(cell) or f"cell-{index:03d}"
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["ch4"] = {"title": title}
    return nb


def title(nb: NotebookNode, fallback: str) -> str:
    return nb.metadata.get("ch4", {}).get("title", fallback)
