"""Run a notebook in a fresh kernel, cell by cell, and record what happened to each cell.

A cell "fails" only when it raises (an ``error`` output), times out, or never ran because the
kernel died; text on stderr never counts against it. Outputs are capped per cell and for the
whole notebook, display updates included, so that a cell that prints gigabytes cannot exhaust
the grader's memory. The grader may hook in before and after each cell (``CellHooks``: the
probe records are taken there) and freeze the notebook's outputs from a given cell on: outputs
and display updates that arrive after that (while the grader probes) never reach the notebook.
"""

from __future__ import annotations

import copy
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from traitlets.config import Config

MAX_OUTPUT_CHARS = 200_000
NOTEBOOK_OUTPUT_FACTOR = 8      # the whole notebook's outputs: at most this many cells' worth


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


@dataclass
class CellHooks:
    """Grader callbacks around each code cell: ``before(index, cell)`` and
    ``after(index, cell, result)``; ``freeze(cell)`` is True for the first cell from which the
    notebook's earlier outputs are frozen (the grader's probe cells)."""

    before: Callable[[int, NotebookNode], None] | None = None
    after: Callable[[int, NotebookNode, CellResult], None] | None = None
    freeze: Callable[[NotebookNode], bool] | None = None


class _CappedClient(NotebookClient):
    """nbclient with a cap on the text a cell (and the whole notebook) may produce, display
    updates included, and no display update reaching a frozen cell."""

    def __init__(self, *args, max_output_chars: int = MAX_OUTPUT_CHARS, **kwargs):
        super().__init__(*args, **kwargs)
        self._max_chars = max_output_chars
        self._max_total = NOTEBOOK_OUTPUT_FACTOR * max_output_chars
        self._sizes: dict[int, int] = {}
        self.truncated: set[int] = set()
        self.reply_errors: dict[int, str] = {}
        self.frozen_before: int | None = None   # cells before this index are frozen

    def _over(self, cell_index: int, size: int) -> bool:
        """Count ``size`` characters against the cell and the notebook; True when over."""
        total = self._sizes.get(cell_index, 0) + size
        self._sizes[cell_index] = total
        return total > self._max_chars or sum(self._sizes.values()) > self._max_total

    def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
        first_error = msg["msg_type"] == "error" and not any(
            o.get("output_type") == "error" for o in outs)
        if msg["msg_type"] == "error":      # the first is always kept (it decides the
            msg = _short_error(msg)         # verdict), but short
        size = len(str(msg.get("content", "")))
        if self._over(cell_index, size) and not first_error:
            if cell_index not in self.truncated:
                self.truncated.add(cell_index)
                outs.append({"output_type": "stream", "name": "stderr",
                             "text": f"[output truncated after {self._max_chars} characters]\n"})
            return None
        return super().output(outs, msg, display_id, cell_index)

    def _update_display_id(self, display_id, msg):  # type: ignore[override]
        """A display update rewrites earlier outputs: it counts against every cell it reaches
        (as many times as it appears there) and never reaches a frozen cell."""
        targets = self._display_id_map.get(display_id, {})
        if self.frozen_before is not None and any(i < self.frozen_before for i in targets):
            return None
        size = len(str(msg.get("content", "")))
        if any(self._over(i, size * len(outputs)) for i, outputs in list(targets.items())):
            self.truncated.update(targets)
            return None
        return super()._update_display_id(display_id, msg)

    async def _check_raise_for_error(self, cell, cell_index, exec_reply):  # type: ignore[override]
        # The kernel's reply says whether the cell failed even when its error *output* never
        # arrived (nbclient stops waiting for output after a few seconds, e.g. behind a flood
        # of prints): a missing output must never turn a failure into a pass.
        content = (exec_reply or {}).get("content", {})
        if content.get("status") in ("error", "aborted"):
            name = str(content.get("ename") or "Error")[:MAX_ERROR_NAME]
            value = str(content.get("evalue") or "execution aborted")[:MAX_ERROR_VALUE]
            value = value.strip().splitlines()
            self.reply_errors[cell_index] = f"{name}: {value[-1] if value else ''}".strip()
        return await super()._check_raise_for_error(cell, cell_index, exec_reply)


MAX_ERROR_NAME = 100
MAX_ERROR_VALUE = 2_000
MAX_TRACEBACK_CHARS = 20_000


def _short_error(msg: dict) -> dict:
    """An error message cut to a sensible size: the exception's name and text can be anything
    the kernel chose (a 30 MB message, a 2 MB class name)."""
    content = dict(msg.get("content", {}))
    content["ename"] = str(content.get("ename", "Error"))[:MAX_ERROR_NAME]
    content["evalue"] = str(content.get("evalue", ""))[:MAX_ERROR_VALUE]
    lines, total = [], 0
    for line in content.get("traceback", []) or []:
        line = str(line)[:MAX_TRACEBACK_CHARS]
        total += len(line)
        if total > MAX_TRACEBACK_CHARS:
            lines.append("[traceback truncated]")
            break
        lines.append(line)
    content["traceback"] = lines
    return {**msg, "content": content}


def _error_text(cell: NotebookNode) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            value = str(out.get("evalue", "")).strip().splitlines()
            return f"{out.get('ename', 'Error')}: {value[-1] if value else ''}".strip()
    return None


def run(nb: NotebookNode, cwd: Path, cell_timeout: float = 600, total_timeout: float = 3600,
        kernel_name: str = "python3", env: dict | None = None, kernel_manager=None,
        max_output_chars: int = MAX_OUTPUT_CHARS, startup_timeout: float = 120,
        kernel_args: tuple[str, ...] = (), hooks: CellHooks | None = None) -> RunResult:
    """Execute ``nb`` (in place) in a new kernel; never raises for errors in the notebook.

    ``kernel_args`` are extra command-line options for the kernel (e.g. IPython settings);
    ``hooks``: the grader's callbacks around each cell and the cell that freezes outputs.
    ``kernel_manager``: the caller's manager, whose kernel may already be running (a kernel
    started ahead, ``autograder.warm``: it is used as it is); the caller kills that kernel.
    """
    hooks = hooks or CellHooks()
    if kernel_manager is not None:
        return _run(nb, cwd, cell_timeout, total_timeout, env, {"km": kernel_manager},
                    max_output_chars, startup_timeout, kernel_args, hooks)
    # Unix sockets in a private folder instead of TCP ports: nothing else on the machine can
    # connect, and the kernel prints no "unencrypted TCP" warning on stderr.
    with tempfile.TemporaryDirectory(prefix="ch4-kernel-") as sockets:
        ipc = {"transport": "ipc", "ip": os.path.join(sockets, "kernel")}
        kwargs = {"kernel_name": kernel_name, "config": Config({"KernelManager": ipc})}
        return _run(nb, cwd, cell_timeout, total_timeout, env, kwargs, max_output_chars,
                    startup_timeout, kernel_args, hooks)


def _run(nb: NotebookNode, cwd: Path, cell_timeout: float, total_timeout: float,
         env: dict | None, kwargs: dict, max_output_chars: int, startup_timeout: float,
         kernel_args: tuple[str, ...], hooks: CellHooks) -> RunResult:
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
    frozen: dict[int, list] | None = None
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
                if frozen is None and hooks.freeze is not None and hooks.freeze(cell):
                    frozen = _freeze(nb, index)
                    client.frozen_before = index
                if hooks.before is not None:
                    hooks.before(index, cell)
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
                if hooks.after is not None:
                    hooks.after(index, cell, results[index])
    except DeadKernelError:
        outcome.fatal = outcome.fatal or "kernel died"
    except RuntimeError as exc:  # kernel failed to start
        outcome.fatal = outcome.fatal or f"kernel could not run: {exc}"
    finally:
        if not client.owns_km and client.kc is not None:
            client.kc.stop_channels()       # the caller's kernel: close our sockets to it
    if frozen is not None:
        for index, outputs in frozen.items():
            nb.cells[index].outputs = outputs
    outcome.truncated_cells = client.truncated
    outcome.total_s = time.monotonic() - started
    return outcome


def _freeze(nb: NotebookNode, upto: int) -> dict[int, list]:
    """Copies of the outputs of the code cells before ``upto``: what the notebook showed
    before the grader began probing (put back when the run ends)."""
    return {i: copy.deepcopy(c.get("outputs", [])) for i, c in enumerate(nb.cells[:upto])
            if c.cell_type == "code"}
