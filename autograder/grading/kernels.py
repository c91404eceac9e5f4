"""The kernel one notebook runs in: sandboxed, started now (cold), forked by this worker
process's zygote (warm, ``grading/zygote.py``: the default when the grader is root), or taken
from its pool of spares started ahead (warm, ``autograder.warm``: when no zygote can run).

Both are built by the same function (``_build``): a fresh writable folder (a tmpfs with the
disk quota when root), its own slot uid, the same bubblewrap command and limits. A warm kernel
differs only in when it was launched and in having imported the notebook's libraries at
start-up; it is taken from the pool for good and killed with its sandbox when its notebook
ends, and the next notebook's spare is launched as soon as one is taken. Without a sandbox
(``--no-sandbox``) kernels are always cold.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jupyter_core.utils import run_sync

from autograder.grading.sandbox import (
    Limits,
    SandboxedKernelManager,
    SandboxSpec,
    Slot,
    sandbox_folder,
)
from autograder.grading.zygote import (
    SEEN,
    ZygoteError,
    ZygoteKernelManager,
    ZygoteKey,
    broken,
    zygote_for,
)
from autograder.items import probing
from autograder.warm import (
    HISTORY_ARGS,
    Spare,
    launch_process,
    preload_arguments,
    process_pool,
)

STAGES_FILE = ".ch4-figures.jsonl"


@dataclass(frozen=True)
class KernelNeeds:
    """What a notebook's kernel must be: its limits, data folders, and (when warm) the
    modules it imports while starting. Spares are kept by this key."""

    limits: Limits
    data_dirs: tuple[str, ...]
    preload: tuple[str, ...] = ()


@dataclass
class Kernel:
    """A notebook's kernel: its writable folder, the stage file, the manager (None without a
    sandbox: ``execute.run`` starts a plain kernel) and whether it was started ahead."""

    root: Path
    km: SandboxedKernelManager | None
    warm: bool = False

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def figures(self) -> Path:
        return self.work / STAGES_FILE


def _build(needs: KernelNeeds, sandbox: bool, stack: ExitStack) -> Kernel:
    """A fresh folder, slot uid and kernel manager (not launched); ``stack`` undoes them."""
    root = stack.enter_context(sandbox_folder(needs.limits, quota=sandbox,
                                              reserved=(f"work/{probing.PROBE_DIR}",)))
    slot = Slot() if (sandbox and os.geteuid() == 0) else None
    if slot is not None:
        stack.callback(slot.release)
    kernel = Kernel(root, None)
    spec = SandboxSpec(root, needs.limits, [Path(d) for d in needs.data_dirs],
                       uid=slot.uid if slot else None,
                       extra_env={"CH4_FIGURES_OUT": str(kernel.figures)})
    spec.prepare()
    if sandbox:
        kernel.km = SandboxedKernelManager(spec)
        stack.callback(kernel.km.finish)          # runs first: kill before removing
    return kernel


def _spare(needs: KernelNeeds, launch: Callable) -> Spare:
    """A sandboxed kernel launched now, importing ``needs.preload`` as it starts."""
    stack = ExitStack()
    try:
        kernel = _build(needs, True, stack)
        launch(kernel.km, {"extra_arguments": [*preload_arguments(needs.preload),
                                               *HISTORY_ARGS],
                           "env": {"PATH": "/usr/bin:/bin"}, "cwd": str(kernel.work)})
    except BaseException:
        stack.close()
        raise
    kernel.warm = True
    return Spare(needs, kernel.km, stack.close, {"kernel": kernel})


def _forked(needs: KernelNeeds, stack: ExitStack) -> Kernel | None:
    """A kernel forked now by this process's zygote (None when no zygote can serve: the
    reason is said once and spares are used from then on)."""
    zygote = zygote_for(ZygoteKey(needs.preload, needs.data_dirs))
    if zygote is None:
        return None
    root = stack.enter_context(sandbox_folder(needs.limits, reserved=(
        f"work/{probing.PROBE_DIR}",), parent=zygote.slot))
    slot = Slot()
    stack.callback(slot.release)
    kernel = Kernel(root, None, warm=True)
    spec = SandboxSpec(root, needs.limits, [Path(d) for d in needs.data_dirs], uid=slot.uid,
                       extra_env={"CH4_FIGURES_OUT": str(SEEN / "work" / STAGES_FILE)},
                       seen=SEEN)
    spec.prepare()
    kernel.km = ZygoteKernelManager(spec, zygote)
    stack.callback(kernel.km.finish)
    try:
        # run_sync, as nbclient does: the caller's thread may already run an event loop
        run_sync(launch_process)(kernel.km, {
            "extra_arguments": list(HISTORY_ARGS), "env": {}, "cwd": str(kernel.work)})
    except (ZygoteError, OSError) as exc:
        broken(str(exc))
        return None
    kernel.km.begin()
    return kernel


@contextmanager
def kernel_for(needs: KernelNeeds, sandbox: bool, spares: int = 0) -> Iterator[Kernel]:
    """The kernel for one notebook: with ``spares`` (kernels to keep started ahead), one
    forked by the zygote, else a spare when one is ready (the next ones are launched now,
    while this notebook runs), else a cold one. Everything made for it is removed when the
    block ends."""
    if spares > 0 and sandbox:
        with ExitStack() as stack:
            forked = _forked(needs, stack)
            if forked is not None:
                yield forked
                return
    spare = None
    if spares > 0 and sandbox:
        pool = process_pool()
        spare = pool.take(needs)
        pool.prepare(needs, partial(_spare, needs), spares)
        if spare is not None and spare.km.provisioner.process.poll() is not None:
            spare.close()               # it died while waiting: never the student's fault
            spare = None
    if spare is not None:
        kernel = spare.extra["kernel"]
        kernel.km.begin()
        try:
            yield kernel
        finally:
            spare.close()
        return
    with ExitStack() as stack:
        yield _build(needs, sandbox, stack)
