"""Warm kernels: a kernel started ahead, with the notebook's libraries already imported when
the notebook arrives, used for exactly one notebook and then killed.

A ``WarmPool`` starts *spare* kernels in the background (one long-lived starter thread) while
the previous notebook runs. Taking a spare removes it from the pool for good: a kernel never
serves two notebooks, and the caller kills it when its notebook ends. Each spare is built by
a factory the caller gives (``ch4 grade``: a fresh bubblewrap sandbox with its own folder,
uid and limits, exactly as a cold kernel gets; ``ch4 check``: a plain kernel in a fresh
scratch folder), so a warm kernel is isolated exactly as a cold one: the difference is only
*when* it started.

Spares and the fork server. Measured on the course's 2-core machine (busy with other work):
a bare Python starts in 0.02 s, importing ipykernel takes 0.2 s, torch 1.5-1.7 s,
``fastai.vision.all`` 5.5-6.6 s; the student's code and the probes of a questionnaire take
about 0.5 s. A spare still pays its imports on a core while the previous notebook runs, and on
two cores with two workers there is no spare core. So when the grader is root, ``ch4 grade``
forks each kernel from a *zygote* per worker slot (``grading/zygote.py``, in-sandbox side
``autograder/zygote_child.py``) that imported the libraries once: bubblewrap still builds the
slot's read-only view, and each forked child enters its own mount, PID, IPC, network and UTS
namespaces, its own notebook folder, slot uid and limits before the student's code runs. The
zygote starts no thread pool, event loop or ZeroMQ context, so forking it is safe. Spares
remain what ``ch4 grade`` uses when no zygote can run (not root, bubblewrap refuses the
capabilities, the zygote died: said once on stderr) and what ``ch4 check`` uses (a plain
kernel in a fresh scratch folder). The libraries a spare (or zygote) imports are those the
notebook's locked cells import at top level (``preload_modules``): what the notebook would
import first thing anyway, never more (a questionnaire does not pay for fastai).
jupyter_client's provisioner hook was weighed: a spare must be launched before the kernel
manager that uses it exists, and the launch is all that differs, so the spare is a kernel
manager whose process was launched ahead (``launch``), which nbclient then uses as a kernel it
did not start; a zygote kernel is the same, launched by a message to the zygote.

The pool is tied to the process that owns it: its starter thread launches every spare, so a
spare started with a parent-death signal (bubblewrap's ``--die-with-parent``) dies with the
process, and ``close`` (also run at exit) kills the spares nobody took.
"""

from __future__ import annotations

import ast
import asyncio
import atexit
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

TAKE_WAIT_S = 60            # how long ``take`` waits for a spare that is being launched
HISTORY_ARGS = ("--HistoryManager.hist_file=:memory:",)   # as nbclient starts a kernel


@dataclass
class Spare:
    """A kernel launched ahead for one notebook. ``km``: its kernel manager (process launched,
    not yet used); ``close``: kills the kernel and removes whatever was made for it;
    ``extra``: what the factory made that the user needs (folders, sandbox description)."""

    key: Hashable
    km: Any
    close: Callable[[], None]
    extra: dict[str, Any] = field(default_factory=dict)
    taken: bool = False


def preload_modules(nb: NotebookNode, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The modules the notebook's locked code cells import at top level (answer cells are
    the student's, never preloaded), then ``extra``: what a warm kernel imports ahead."""
    from autograder import notebook as nbk

    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code" or nbk.is_solution(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.append(node.module)
    return tuple(dict.fromkeys([*found, *extra]))


def preload_arguments(modules: tuple[str, ...]) -> tuple[str, ...]:
    """Kernel options that import ``modules`` while the kernel starts, before it answers its
    first request, binding no name in the user's namespace and storing no history (IPython's
    ``exec_lines`` run with ``store_history=False``); a module that fails to import is skipped
    (the notebook's own import then fails as it would have)."""
    if not modules:
        return ()
    line = f"__import__('autograder.warmup').warmup.load({list(modules)!r})"
    return (f"--IPKernelApp.exec_lines={line}",)


async def launch_process(km: Any, options: dict[str, Any]) -> None:
    """Launch ``km``'s kernel process (what ``start_kernel`` does before it connects)."""
    cmd, kw = await km._async_pre_start_kernel(**options)
    await km._async_launch_kernel(cmd, **kw)


def kill_kernel(km: Any) -> None:
    """Kill a kernel started by ``launch`` (its process group) and reap it."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is None:
        return
    try:
        os.killpg(process.pid, 9)
    except OSError:
        process.kill()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


def plain_spare(key: Hashable, cwd: Path, env: Callable[[Path], dict[str, str]],
                kernel_args: tuple[str, ...], preload: tuple[str, ...],
                launch: Callable) -> Spare:
    """An unsandboxed kernel (``ch4 check``) launched now in ``cwd``, with a fresh scratch
    folder (``extra["scratch"]``, given to ``env``) and Unix sockets in a private folder."""
    from jupyter_client.manager import AsyncKernelManager

    scratch = Path(tempfile.mkdtemp(prefix="ch4-check-"))
    sockets = Path(tempfile.mkdtemp(prefix="ch4-kernel-"))
    km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                            ip=str(sockets / "kernel"))

    def close() -> None:
        kill_kernel(km)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)

    try:
        launch(km, {"extra_arguments": [*kernel_args, *preload_arguments(preload),
                                        *HISTORY_ARGS], "env": env(scratch), "cwd": str(cwd)})
    except BaseException:
        close()
        raise
    return Spare(key, km, close, {"scratch": scratch})


class WarmPool:
    """Spare kernels by key (what kernel a notebook needs: its settings and preloads)."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._ready: dict[Hashable, list[Spare]] = {}
        self._pending: dict[Hashable, int] = {}
        self._jobs: queue.Queue = queue.Queue()
        self._closed = False
        self._current: Hashable = None      # the key last prepared
        self.launched = 0
        self.taken = 0
        self._thread = threading.Thread(target=self._serve, name="ch4-warm-starter",
                                        daemon=True)
        self._thread.start()

    # -- the starter thread: every spare is launched here (its parent-death signal is tied
    # to this thread, which lives as long as the process)
    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        while True:
            job = self._jobs.get()
            if job is None:
                loop.close()
                return
            key, factory = job
            spare = None
            try:
                spare = factory(lambda km, options: loop.run_until_complete(
                    launch_process(km, options)))
            except Exception:  # noqa: BLE001 - no spare: the notebook starts cold instead
                spare = None
            with self._lock:
                self._pending[key] -= 1
                if spare is not None and (self._closed or key != self._current):
                    spare.close()           # the batch moved on while it was launched
                elif spare is not None:
                    self.launched += 1
                    self._ready.setdefault(key, []).append(spare)
                self._lock.notify_all()

    def prepare(self, key: Hashable, factory: Callable[..., Spare], spares: int = 1) -> None:
        """Start a spare for ``key`` in the background unless ``spares`` are ready or on the
        way; spares of other keys are killed (the batch moved on to another notebook).
        ``factory(launch)`` builds the spare and calls ``launch(km, options)`` to start it."""
        stale: list[Spare] = []
        with self._lock:
            if self._closed:
                return
            self._current = key
            for other in [k for k in self._ready if k != key]:
                stale += self._ready.pop(other)
            have = len(self._ready.get(key, [])) + self._pending.get(key, 0)
            for _ in range(max(0, spares - have)):
                self._pending[key] = self._pending.get(key, 0) + 1
                self._jobs.put((key, factory))
        for spare in stale:
            spare.close()

    def take(self, key: Hashable, wait_s: float = TAKE_WAIT_S) -> Spare | None:
        """A spare for ``key``, removed from the pool for good (None when there is none; one
        being launched is waited for). The caller must ``close`` it when its notebook ends."""
        with self._lock:
            self._lock.wait_for(lambda: self._ready.get(key) or not self._pending.get(key),
                                timeout=wait_s)
            ready = self._ready.get(key) or []
            if not ready:
                return None
            spare = ready.pop(0)
            spare.taken = True
            self.taken += 1
            return spare

    def close(self) -> None:
        """Kill every spare nobody took and stop the starter thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            stale = [s for spares in self._ready.values() for s in spares]
            self._ready.clear()
        self._jobs.put(None)
        for spare in stale:
            spare.close()
        self._thread.join(timeout=30)


_POOL: WarmPool | None = None
_POOL_LOCK = threading.Lock()


def process_pool() -> WarmPool:
    """This process's pool (created on first use, closed at exit, also in a worker process
    of ``multiprocessing``, whose exit skips ``atexit``)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._closed:
            _POOL = WarmPool()
            atexit.register(_POOL.close)
            from multiprocessing import util

            util.Finalize(_POOL, _POOL.close, exitpriority=10)
        return _POOL


def close_process_pool() -> None:
    """Close this process's pool now (its spares are killed)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.close()
