"""A solution notebook's answers defined in this process, for judging many wrong answers cheaply.

Executing a notebook takes a kernel and, for the later ones, minutes of training; judging a
check message needs neither. ``Answers`` runs the setup cell (imports, data, helpers), then
only the imports and definitions of the other provided cells and every answer cell, in one
namespace; a wrong answer replaces one answer cell and is undone by running the right one
again. The probes and judges are the real ones (``selfcheck.check_item``,
``probing.public_verdict``, ``probing.judge_item``).
"""

from __future__ import annotations

import ast
import contextlib
import io
import warnings
from collections.abc import Iterator
from pathlib import Path

from autograder import notebook as nbk
from autograder.items import probing
from autograder.items.spec import NotebookSpec

REPO = Path(__file__).resolve().parent.parent


def _definitions_only(source: str) -> str:
    tree = ast.parse(source)
    kept = [node for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef)]
    return ast.unparse(ast.Module(body=kept, type_ignores=[]))


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Nothing printed or warned while the block runs."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class Answers:
    """One solution notebook's definitions in a namespace of this process."""

    def __init__(self, path: Path) -> None:
        self.nb = nbk.read(path)
        self.spec: NotebookSpec = probing.spec_of(self.nb)
        self.answers = {nbk.grade_id(c): c.source for c in self.nb.cells if nbk.is_solution(c)}
        self.namespace: dict = {"__name__": "__main__"}
        code = [c for c in self.nb.cells
                if c.cell_type == "code" and not nbk.is_autograded_test(c)]
        with quiet():
            for index, cell in enumerate(code):
                whole = index == 0 or nbk.is_solution(cell)
                self.run(cell.source if whole else _definitions_only(cell.source))

    def run(self, source: str) -> None:
        exec(compile(source, "<answer>", "exec"), self.namespace)  # noqa: S102

    @contextlib.contextmanager
    def replaced(self, answer_id: str, source: str) -> Iterator[None]:
        """The answer cell ``answer_id`` replaced by ``source`` while the block runs."""
        with quiet():
            self.run(source)
        try:
            yield
        finally:
            with quiet():
                self.run(self.answers[answer_id])
