"""Run notebook cells in one live kernel so that many mutants can be tried cheaply.

A notebook is executed once; then each mutant replaces an answer cell, the matching grade
cell is re-run (it must fail), and the original answer is restored (the grade cell must pass
again).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder import notebook as nbk

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
COURSE = REPO / "course"


class Session:
    """A kernel that executes cells of one notebook on demand."""

    def __init__(self, client: NotebookClient, nb):
        self.client = client
        self.nb = nb
        self.by_id = {nbk.grade_id(c): c for c in nb.cells if nbk.grade_id(c)}

    def run_source(self, source: str) -> str | None:
        """Execute code; return "Ename: message" if it raised, else None."""
        cell = nbformat.v4.new_code_cell(source)
        self.client.nb.cells.append(cell)
        index = len(self.client.nb.cells) - 1
        self.client.allow_errors = True  # a failing cell records an error output
        try:
            self.client.execute_cell(cell, index)
        except CellExecutionError as exc:
            return f"{exc.ename}: {exc.evalue}"
        for out in cell.outputs:
            if out.output_type == "error":
                return f"{out.ename}: {out.evalue}"
        return None

    def run_id(self, gid: str) -> str | None:
        return self.run_source(self.by_id[gid].source)

    def try_mutant(self, answer_id: str, grade_id: str, mutant_source: str) -> str | None:
        """Run a mutant answer then the grade cell; restore the original; return the error."""
        setup_error = self.run_source(mutant_source)
        error = setup_error or self.run_id(grade_id)
        restored = self.run_id(answer_id) or self.run_id(grade_id)
        if restored:
            raise AssertionError(f"{grade_id} fails after restoring the solution: {restored}")
        return error


@contextmanager
def live_notebook(path: Path, hidden: bool = True, timeout: int = 900):
    """Execute a solutions notebook (with hidden tests unless hidden=False) and keep the kernel."""
    from autograder.release import public_version

    nb = nbk.read(path)
    if not hidden:
        nb = public_version(nb)
    client = NotebookClient(nb, timeout=timeout, allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        yield Session(client, nb)
