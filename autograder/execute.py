"""Run a notebook in a fresh kernel, cell by cell, and record what happened to each cell.

A cell "fails" only when it raises (an ``error`` output), times out, or never ran because the
kernel died; text on stderr never counts against it. Outputs are capped so that a cell that
prints gigabytes cannot exhaust the grader's memory.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from traitlets.config import Config

MAX_OUTPUT_CHARS = 200_000


@dataclass
class CellResult:
    """What happened when one cell ran."""

    index: int
    ran: bool = False
    error: str | None = None
    seconds: float = 0.0


@dataclass
class RunResult:
    """The executed notebook and per-cell results."""

    nb: NotebookNode
    cells: list[CellResult]
    kernel_start_s: float = 0.0
    total_s: float = 0.0
    fatal: str | None = None
    truncated_cells: set[int] = field(default_factory=set)


class _CappedClient(NotebookClient):
    """nbclient with a cap on the text a cell may produce."""

    def __init__(self, *args, max_output_chars: int = MAX_OUTPUT_CHARS, **kwargs):
        super().__init__(*args, **kwargs)
        self._max_chars = max_output_chars
        self._sizes: dict[int, int] = {}
        self.truncated: set[int] = set()
        self.reply_errors: dict[int, str] = {}

    def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
        size = len(str(msg.get("content", "")))
        total = self._sizes.get(cell_index, 0) + size
        self._sizes[cell_index] = total
        if total > self._max_chars and msg["msg_type"] != "error":
            if cell_index not in self.truncated:
                self.truncated.add(cell_index)
                outs.append({"output_type": "stream", "name": "stderr",
                             "text": f"[output truncated after {self._max_chars} characters]\n"})
            return None
        return super().output(outs, msg, display_id, cell_index)

    async def _check_raise_for_error(self, cell, cell_index, exec_reply):  # type: ignore[override]
        # The kernel's reply says whether the cell failed even when its error *output* never
        # arrived (nbclient stops waiting for output after a few seconds, e.g. behind a flood
        # of prints): a missing output must never turn a failure into a pass.
        content = (exec_reply or {}).get("content", {})
        if content.get("status") in ("error", "aborted"):
            name = content.get("ename") or "Error"
            value = str(content.get("evalue") or "execution aborted").strip().splitlines()
            self.reply_errors[cell_index] = f"{name}: {value[-1] if value else ''}".strip()
        return await super()._check_raise_for_error(cell, cell_index, exec_reply)


def _error_text(cell: NotebookNode) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            value = str(out.get("evalue", "")).strip().splitlines()
            return f"{out.get('ename', 'Error')}: {value[-1] if value else ''}".strip()
    return None


def run(nb: NotebookNode, cwd: Path, cell_timeout: float = 600, total_timeout: float = 3600,
        kernel_name: str = "python3", env: dict | None = None, kernel_manager=None,
        max_output_chars: int = MAX_OUTPUT_CHARS, startup_timeout: float = 120,
        kernel_args: tuple[str, ...] = ()) -> RunResult:
    """Execute ``nb`` (in place) in a new kernel; never raises for errors in the notebook.

    ``kernel_args`` are extra command-line options for the kernel (e.g. IPython settings).
    """
    if kernel_manager is not None:
        return _run(nb, cwd, cell_timeout, total_timeout, env, {"km": kernel_manager},
                    max_output_chars, startup_timeout, kernel_args)
    # Unix sockets in a private folder instead of TCP ports: nothing else on the machine can
    # connect, and the kernel prints no "unencrypted TCP" warning on stderr.
    with tempfile.TemporaryDirectory(prefix="ch4-kernel-") as sockets:
        ipc = {"transport": "ipc", "ip": os.path.join(sockets, "kernel")}
        kwargs = {"kernel_name": kernel_name, "config": Config({"KernelManager": ipc})}
        return _run(nb, cwd, cell_timeout, total_timeout, env, kwargs, max_output_chars,
                    startup_timeout, kernel_args)


def _run(nb: NotebookNode, cwd: Path, cell_timeout: float, total_timeout: float,
         env: dict | None, kwargs: dict, max_output_chars: int, startup_timeout: float,
         kernel_args: tuple[str, ...]) -> RunResult:
    started = time.monotonic()
    env = dict(os.environ) if env is None else env
    client = _CappedClient(nb, timeout=cell_timeout, allow_errors=True,
                           startup_timeout=startup_timeout,
                           interrupt_on_timeout=True, record_timing=False,
                           shutdown_kernel="immediate",
                           resources={"metadata": {"path": str(cwd)}},
                           max_output_chars=max_output_chars,
                           extra_arguments=list(kernel_args), **kwargs)
    results = [CellResult(i) for i in range(len(nb.cells))]
    outcome = RunResult(nb, results)
    try:
        with client.setup_kernel(env=env, cwd=str(cwd)):
            outcome.kernel_start_s = time.monotonic() - started
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = total_timeout - (time.monotonic() - started)
                if left <= 0:
                    outcome.fatal = f"notebook time limit of {total_timeout:.0f}s reached"
                    break
                client.timeout = max(1, int(min(cell_timeout, left)))
                t0 = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                    results[index].error = (_error_text(cell)
                                            or client.reply_errors.get(index))
                except CellTimeoutError:
                    results[index].error = f"TimeoutError: cell ran longer than {client.timeout}s"
                except DeadKernelError:
                    results[index].error = "KernelDied: the kernel stopped (exit, crash or memory)"
                    results[index].ran = True
                    outcome.fatal = f"kernel died in cell {index}"
                    break
                results[index].ran = True
                results[index].seconds = time.monotonic() - t0
    except DeadKernelError:
        outcome.fatal = outcome.fatal or "kernel died"
    except RuntimeError as exc:  # kernel failed to start
        outcome.fatal = outcome.fatal or f"kernel could not run: {exc}"
    outcome.truncated_cells = client.truncated
    outcome.total_s = time.monotonic() - started
    return outcome
