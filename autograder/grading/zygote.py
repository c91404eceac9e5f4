"""Grader side of the kernel zygote: one long-lived process per worker slot that has imported
the notebook's libraries and forks one sandboxed kernel per notebook (in-sandbox side and the
per-kernel isolation steps: ``autograder.zygote_child``).

Bubblewrap still builds the file-system view: the zygote runs in ONE bwrap sandbox with the
same read-only mounts and namespaces as a cold kernel, plus the worker's *slot folder*
(writable, a shared mount so that the quota tmpfs the grader mounts there for each notebook
reaches the zygote) and its own scratch folder at ``SEEN``, where every kernel later sees its
notebook folder. It keeps CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID and CAP_SETPCAP (the grader
is root), which each child drops for good before the student's code runs.

To nbclient a zygote kernel is a kernel manager whose kernel is already launched
(``ZygoteKernelManager``): the launch sends the zygote a ``Request`` instead of starting a
process; "the process" is a status socket that the forked child answers when its kernel ends
(``ZygoteProcess``); killing it kills every process of the notebook's slot uid (the kernel's
PID namespace goes with its init). Interrupts go over the control channel, as for any
sandboxed kernel. Whenever the zygote cannot be used (not root, bubblewrap refuses the
capabilities, it died) the caller falls back to spare kernels (``autograder.warm``).
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

from autograder.grading.sandbox import (
    NAMESPACE_ARGS,
    Limits,
    SandboxedKernelManager,
    SandboxSpec,
    SandboxUnavailable,
    _mounts_under,
    _unmount,
    bwrap_path,
    clear_uid,
    owned_folder,
    system_mounts,
)
from autograder.zygote_child import READY, UP, Request

SEEN = Path("/tmp/ch4-sandbox")     # where every zygote kernel sees its notebook folder
READY_WAIT_S = 240                   # importing torch and fastai on a busy machine
CAPS = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP")
KILL_WAIT_S = 15
UP_WAIT_S = 30                       # a forked child sets its sandbox up in milliseconds
OFF_ENV = "CH4_NO_ZYGOTE"            # set: spare kernels instead (tests of that path)


class ZygoteError(RuntimeError):
    """The zygote cannot be started or has stopped answering."""


@dataclass(frozen=True)
class ZygoteKey:
    """What a zygote has loaded and mounted: the modules it imported, the data folders."""

    preload: tuple[str, ...]
    data_dirs: tuple[str, ...]


def unsupported() -> str | None:
    """Why no zygote can run here (None: it can be tried)."""
    if os.environ.get(OFF_ENV):
        return f"{OFF_ENV} is set"
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if os.geteuid() != 0:
        return "the grader is not root"
    if bwrap_path() is None:
        return "bubblewrap is not installed"
    return None


class ZygoteProcess:
    """What jupyter_client's provisioner sees as the kernel process: the status socket the
    zygote's child answers (with the exit status) when the kernel and its namespace end."""

    stdin = stdout = stderr = None
    pid = None

    def __init__(self, status: socket.socket, uid: int) -> None:
        self._status, self.uid = status, uid
        self._buffer = b""
        self.up = False                 # the child set its sandbox up and starts the kernel
        self.returncode: int | None = None

    def _pump(self, timeout: float | None) -> None:
        """Read what the child said (``UP``, then the exit status), waiting ``timeout``."""
        if self.returncode is not None or not select.select([self._status], [], [], timeout)[0]:
            return
        try:
            data = self._status.recv(64)
        except OSError:
            data = b""
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            if line == UP:
                self.up = True
            elif line.strip().lstrip(b"-").isdigit():
                self.returncode = int(line)
        if not data and self.returncode is None:
            self.returncode = -signal.SIGKILL        # the zygote (and the child) are gone
        if self.returncode is not None:
            self._status.close()

    def _until(self, done, timeout: float | None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not done() and self.returncode is None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return
            self._pump(left)

    def wait_up(self, timeout: float) -> bool:
        """True once the child has set up the sandbox; False when it failed or is late."""
        self._until(lambda: self.up, timeout)
        return self.up

    def poll(self) -> int | None:
        self._pump(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        self._until(lambda: False, timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired("zygote kernel", timeout or 0)
        return self.returncode

    def kill(self) -> None:
        """Kill every process of the slot uid until the child reports its kernel gone (a
        kill that lands before the child dropped to the uid is repeated)."""
        deadline = time.monotonic() + KILL_WAIT_S
        while self.poll() is None and time.monotonic() < deadline:
            clear_uid(self.uid, wait_s=0.5)
            self._pump(0.05)

    def send_signal(self, signum: int) -> None:
        if signum == signal.SIGKILL:
            self.kill()

    terminate = kill


class Zygote:
    """One zygote process (in its bubblewrap sandbox) and its slot folder."""

    def __init__(self, key: ZygoteKey) -> None:
        self.key = key
        self.slot = owned_folder("zygote")
        self.scratch = self.slot / ".zygote"
        self._lock = threading.Lock()
        self._log = tempfile.TemporaryFile()
        self.process: subprocess.Popen | None = None
        try:
            self._share_slot()
            self._start()
        except BaseException:
            self.close()
            raise

    def _share_slot(self) -> None:
        mount = shutil.which("mount") or "/usr/bin/mount"
        for args in (["--bind", str(self.slot), str(self.slot)],
                     ["--make-shared", str(self.slot)]):
            done = subprocess.run([mount, *args], capture_output=True, text=True, timeout=30)
            if done.returncode != 0:
                raise ZygoteError(f"mount {' '.join(args)}: {done.stderr.strip()[:200]}")

    def command(self, fd: int) -> list[str]:
        """The bwrap command of the zygote (control socket: ``fd``)."""
        spec = SandboxSpec(self.scratch, Limits(), [Path(d) for d in self.key.data_dirs],
                           seen=SEEN)
        spec.prepare()
        m = system_mounts(spec.data_dirs)
        m.bind(self.slot, writable=True)
        m.bind(self.scratch, writable=True, dest=SEEN)
        args = [bwrap_path() or "bwrap", *m.args, *NAMESPACE_ARGS, "--cap-drop", "ALL"]
        for cap in CAPS:
            args += ["--cap-add", cap]
        args += ["--chdir", str(SEEN / "work"), "--clearenv"]
        for name, value in spec.env().items():
            args += ["--setenv", name, value]
        return [*args, "--", sys.executable, "-m", "autograder.zygote_child", str(fd),
                *self.key.preload]

    def _start(self) -> None:
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(
                self.command(theirs.fileno()), pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        if not select.select([self.control], [], [], READY_WAIT_S)[0] or \
                self.control.recv(64) != READY:
            raise ZygoteError(f"the zygote did not start: {self.log()[-400:]}")

    def log(self) -> str:
        """What the zygote wrote on its stdout and stderr."""
        self._log.seek(0)
        return self._log.read().decode("utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def spawn(self, request: Request, out_fd: int) -> ZygoteProcess:
        """Fork a kernel for ``request`` whose stdout and stderr go to ``out_fd``."""
        ours, theirs = socket.socketpair()
        try:
            with self._lock:
                if not self.alive():
                    raise ZygoteError(f"the zygote has stopped: {self.log()[-400:]}")
                socket.send_fds(self.control, [request.encode()], [theirs.fileno(), out_fd])
        except (OSError, ZygoteError):
            ours.close()
            raise
        finally:
            theirs.close()
        return ZygoteProcess(ours, request.uid)

    def close(self) -> None:
        """Stop the zygote (its namespace, and every kernel still in it, dies) and remove
        the slot folder."""
        control = getattr(self, "control", None)
        if control is not None:
            control.close()
        if self.process is not None:
            self.process.kill()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        for point in _mounts_under(self.slot):
            _unmount(point)
        shutil.rmtree(self.slot, ignore_errors=True)
        self._log.close()


class ZygoteKernelManager(SandboxedKernelManager):
    """A sandboxed kernel manager whose kernel is forked by a ``Zygote``."""

    def __init__(self, spec: SandboxSpec, zygote: Zygote, **kwargs) -> None:
        super().__init__(spec, **kwargs)
        self.zygote = zygote

    def format_kernel_cmd(self, extra_arguments=None):  # type: ignore[override]
        return AsyncKernelManager.format_kernel_cmd(self, extra_arguments)

    def _kernel_argv(self, kernel_cmd: list[str]) -> list[str]:
        """ipykernel's arguments, with a connection file naming the kernel's own paths."""
        spec, seen = self.sandbox, self.sandbox.seen or self.sandbox.root
        info = json.loads(Path(self.connection_file).read_text())
        info["ip"] = str(seen / Path(info["ip"]).relative_to(spec.root))
        inside = spec.root / "conn" / "kernel-inside.json"
        inside.write_text(json.dumps(info))
        if spec.uid is not None:
            os.chown(inside, spec.uid, spec.uid)
        argv = kernel_cmd[kernel_cmd.index("-f"):]
        argv[1] = str(seen / inside.relative_to(spec.root))
        return argv

    async def _async_launch_kernel(self, kernel_cmd, **kw):  # type: ignore[override]
        spec = self.sandbox
        try:
            if spec.uid is None or spec.seen is None:
                raise SandboxUnavailable("a zygote kernel needs a slot uid and a seen path")
            request = Request(str(spec.root), str(spec.seen), str(self.zygote.slot),
                              spec.uid, spec.env(), spec.rlimits(),
                              self._kernel_argv(kernel_cmd))
            process = self.zygote.spawn(request, kw["stdout"])
        finally:
            self.output.close_writer()
        if not process.wait_up(UP_WAIT_S):
            process.kill()
            raise ZygoteError(f"a forked kernel could not set its sandbox up "
                              f"(exit {process.returncode}): {self.output.text(1)[-300:]}")
        assert self.provisioner is not None
        self.provisioner.process = process      # type: ignore[attr-defined]
        self._reconcile_connection_info(self.provisioner.connection_info)

    def _hard_kill(self) -> None:
        process = getattr(getattr(self, "provisioner", None), "process", None)
        if isinstance(process, ZygoteProcess):
            process.kill()


# ------------------------------------------------------------- this worker process's zygote

_STARTER = ThreadPoolExecutor(1, thread_name_prefix="ch4-zygote-starter")
_ZYGOTE: Zygote | None = None
_BROKEN: str | None = None          # why this process stopped using zygotes (said once)


def zygote_for(key: ZygoteKey) -> Zygote | None:
    """This process's zygote for ``key`` (started, or restarted for another key, by a
    long-lived thread: bubblewrap's parent-death signal follows that thread); None when
    zygotes cannot be used here, said once on stderr."""
    global _ZYGOTE
    if _BROKEN is not None or unsupported() is not None:
        return None                      # off root: the ordinary case, no message
    if _ZYGOTE is not None and (_ZYGOTE.key != key or not _ZYGOTE.alive()):
        old, _ZYGOTE = _ZYGOTE, None
        if not old.alive() and old.key == key:
            return broken(f"the zygote stopped: {old.log()[-200:]}")
        old.close()
    if _ZYGOTE is None:
        _register_exit()
        try:
            _ZYGOTE = _STARTER.submit(Zygote, key).result()
        except (OSError, ZygoteError, SandboxUnavailable) as exc:
            return broken(str(exc))
    return _ZYGOTE


_REGISTERED = False


def _register_exit() -> None:
    """Close the zygote at exit, also in a ``multiprocessing`` worker (which skips atexit)."""
    global _REGISTERED
    if not _REGISTERED:
        _REGISTERED = True
        atexit.register(close_zygote)
        from multiprocessing import util

        util.Finalize(None, close_zygote, exitpriority=10)


def broken(reason: str) -> None:
    """Stop using zygotes in this process (spare kernels instead) and say why, once."""
    global _BROKEN
    if _BROKEN is None:
        print(f"ch4: kernel zygote unavailable ({reason.strip()[:300]}); "
              "using spare kernels", file=sys.stderr)
    _BROKEN = reason
    close_zygote()


def close_zygote() -> None:
    """Stop this process's zygote (at exit, or when it is no longer wanted)."""
    global _ZYGOTE
    zygote, _ZYGOTE = _ZYGOTE, None
    if zygote is not None:
        zygote.close()
