"""Run notebook cells in one live kernel so that many mutants can be tried cheaply.

A notebook is executed once; then each mutant replaces an answer cell, the matching grade
cell is re-run (it must fail), and the original answer is restored (the grade cell must pass
again).
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
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
        # stderr of the provided cells as the notebook ran (before any cell is added)
        self.noise = {i: text for i, c in enumerate(nb.cells) if (text := nbk.provided_noise(c))}

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

    def stderr_of(self, source: str) -> str:
        """Execute code as a new cell; what it wrote to stderr (where warnings go)."""
        self.run_source(source)
        return "".join(o.get("text", "") for o in self.client.nb.cells[-1].outputs
                       if o.output_type == "stream" and o.get("name") == "stderr")

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
    # warnings are left on, as in Jupyter: the tests read what the student would see
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        yield Session(client, nb)


# ------------------------------------------------------------ shared by the notebook tests

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# the browser tests drive Debian's chromium (the launch arguments are in conftest.py)
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian's chromium is not installed "
                                           "(./run.sh installs it)")

MUTANTS_DIR = Path(__file__).resolve().parent / "mutants"
Mutant = tuple[str, str, str, str]   # (answer id, grade id, what is wrong, source)


def load_mutants(key: str) -> list[Mutant]:
    """The MUTANTS list of tests/mutants/<key>.py (empty when the file does not exist)."""
    import importlib.util

    file = MUTANTS_DIR / f"{key}.py"
    if not file.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"_mutants_{key}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MUTANTS


# A student's code that warns: its own warnings.warn, and two PyTorch warnings a student's
# call causes (each shown every time; the requires_grad-to-scalar one is shown once a process).
STUDENT_WARNINGS = {
    "a warning from your own code":
        'import warnings as _w\n_w.warn("a warning from your own code")',
    "Implicit dimension choice for softmax":
        "import torch as _t\nimport torch.nn.functional as _F\n_F.softmax(_t.ones(2, 2))",
    "To copy construct from a tensor": "import torch as _t\n_t.tensor(_t.ones(2))",
}


def assert_quiet_and_honest(session: Session) -> None:
    """The notebook's provided cells wrote nothing to stderr, and warnings from code the
    student writes are still shown (no blanket filter in the setup)."""
    assert not session.noise, f"provided cells wrote to stderr: {session.noise}"
    for words, source in STUDENT_WARNINGS.items():
        assert words in session.stderr_of(source), f"hidden: {words!r}"


@contextmanager
def environment(**values: str | None):
    """Set (or with None, remove) environment variables; kernels started inside inherit them."""
    saved = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class SessionPool:
    """One live kernel per solutions notebook, started on first use, closed with the pool."""

    def __init__(self, notebooks: dict[str, str]):
        self._notebooks = notebooks
        self._open: dict = {}

    def get(self, key: str) -> Session:
        if key not in self._open:
            manager = live_notebook(SOLUTIONS / self._notebooks[key])
            session = manager.__enter__()
            # The solution ran cleanly; from now on a failing cell comes back as an error
            # output (read by Session.run_source) instead of CellExecutionError.
            session.client.allow_errors = True
            self._open[key] = (manager, session)
        return self._open[key][1]

    def close(self) -> None:
        for manager, _session in self._open.values():
            manager.__exit__(None, None, None)
        self._open.clear()


def assert_full_marks(path: Path) -> None:
    """``ch4 check`` gives the notebook every autograded point, with no fatal error."""
    from autograder.check import check_notebook

    report = check_notebook(path)
    assert report.fatal is None, report.fatal
    failed = [f"{i.grade_id}: {i.message}" for i in report.auto if not i.passed]
    assert not failed, failed
    assert report.max_score > 0 and report.score == report.max_score


def assert_scores_zero(path: Path) -> None:
    """``ch4 check`` gives the (untouched) notebook no point at all."""
    from autograder.check import check_notebook

    report = check_notebook(path)
    assert report.max_score > 0
    assert report.score == 0, [i.grade_id for i in report.auto if i.passed]
    assert all(not i.passed for i in report.auto)


def sandbox_ok() -> bool:
    """True when bubblewrap can run here (grading tests skip otherwise)."""
    from autograder.grading.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
        return True
    except SandboxUnavailable:
        return False
