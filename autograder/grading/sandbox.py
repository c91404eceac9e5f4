"""Run a Jupyter kernel inside bubblewrap with resource limits.

The kernel sees a minimal file system: the system libraries (``/usr``), the Python installation
and virtual environment, the ``autograder`` package and the MNIST data folder, all read-only, and
one fresh temporary folder, the only writable place. Solutions, the gradebook, the output folder
and other students' work are simply not mounted. The kernel has no network (``--unshare-net``):
it talks to the grader over ZeroMQ's ``ipc`` transport through socket files in the temporary
folder. It has its own PID namespace and dies with the grader (``--die-with-parent``).

Limits (``prlimit`` inside the sandbox, inherited by every process the student starts):
memory, number of processes, file size and CPU time. Memory is limited with RLIMIT_DATA (the
private writable memory a process allocates: heap, anonymous mmap, tensors), because importing
torch alone reserves over 3 GB of *address space* that it never uses; RLIMIT_AS is set to the
memory limit plus ``AS_OVERHEAD_MB`` as a backstop for shared anonymous mappings. When the
grader runs as root, the kernel also drops to a per-slot unprivileged uid, so the process
limit counts only that kernel's processes (a new slot first kills whatever that uid left).
Wall-clock limits: nbclient interrupts a cell that runs past its limit; if the cell ignores the
interrupt, or the notebook runs past its total limit, a watchdog kills the whole sandbox, and the
client's shell channel notices at once (a hung cell costs ``cell_timeout + grace_s``, not twice
the timeout: nbclient would otherwise wait a second full timeout for a reply).

Disk: when the grader runs as root, the writable folder is a tmpfs of ``disk_mb`` in all (the
file-size limit caps one file, the quota caps them together); elsewhere only the file-size cap
applies. Nothing outlives the grader: grading worker processes get a parent-death signal
(``die_with_parent``), bubblewrap runs with ``--die-with-parent``, and the temporary folders are
named after the process that owns them, so the next run removes (and unmounts) those of a
process that is gone (``remove_orphaned_folders``).
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import Type

from autograder.device import CPU_ONLY_ENV

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent
SLOT_DIR = Path(tempfile.gettempdir()) / "ch4-grader-slots"
BASE_UID = 61000
MAX_SLOTS = 64
AS_OVERHEAD_MB = 6144     # libraries' code and reservations (torch + fastai: ~3.9 GB)
ETC_FILES = ("ld.so.cache", "ld.so.conf", "localtime", "nsswitch.conf", "fonts", "mime.types",
             "ssl/openssl.cnf")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one notebook run."""

    memory_mb: int = 4096
    processes: int = 256
    file_size_mb: int = 64
    cell_timeout: float = 120
    notebook_timeout: float = 900
    grace_s: float = 5
    disk_mb: int = 512          # all files of one sandbox together (tmpfs, when root)

    @property
    def cpu_seconds(self) -> int:
        # torch uses threads: CPU time may exceed wall time; this bounds runaway processes
        return int(2 * self.notebook_timeout + 60)


SHM_BYTES = 256 * 1024 * 1024
# switches the test suite and benchmarks set for the notebooks (see CONTRIBUTING.md)
PASSED_ENV = ("CH4_QUICK", "CH4_SEED", "CH4_FULL_RUN")


def shm_args() -> list[str]:
    """bwrap options for a small private tmpfs on /dev/shm (size-capped where supported)."""
    return ["--perms", "1777", *(["--size", str(SHM_BYTES)] if _supports_size() else []),
            "--tmpfs", "/dev/shm"]


@functools.lru_cache(maxsize=1)
def _supports_size() -> bool:
    import subprocess

    exe = bwrap_path()
    if exe is None:
        return False
    try:
        done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--size" in done.stdout + done.stderr


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def check_available() -> None:
    """Raise SandboxUnavailable unless a trivial command runs under bubblewrap."""
    import subprocess

    exe = bwrap_path()
    if exe is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    probe = [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net", "--unshare-pid",
             "--die-with-parent", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable(f"bubblewrap does not run: {exc}") from exc
    if done.returncode != 0:
        raise SandboxUnavailable(f"bubblewrap cannot create namespaces here: "
                                 f"{done.stderr.strip()[:300]}")


def uid_processes(uid: int) -> list[int]:
    """Pids whose real uid is ``uid`` (read from /proc)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("Uid:"):
                        if int(line.split()[1]) == uid:
                            pids.append(int(entry))
                        break
        except (OSError, ValueError, IndexError):
            continue
    return pids


def clear_uid(uid: int, wait_s: float = 10.0) -> None:
    """Kill and wait out any process left with a slot's uid (e.g. the last kernel's fork bomb
    still being reaped), so that the process limit of the next kernel starts from zero."""
    deadline = time.monotonic() + wait_s
    while True:
        pids = uid_processes(uid)
        if not pids or time.monotonic() > deadline:
            return
        for pid in pids:
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        time.sleep(0.05)


class Slot:
    """An exclusive slot number (file lock), used to give each live kernel its own uid."""

    def __init__(self) -> None:
        SLOT_DIR.mkdir(parents=True, exist_ok=True)
        for number in range(MAX_SLOTS):
            handle = open(SLOT_DIR / f"{number}.lock", "w")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            self.number, self._handle = number, handle
            clear_uid(self.uid)
            return
        raise SandboxUnavailable(f"more than {MAX_SLOTS} sandboxes at once")

    @property
    def uid(self) -> int:
        return BASE_UID + self.number

    def release(self) -> None:
        self._handle.close()


def _parents(path: Path) -> list[Path]:
    return list(reversed(path.parents))[1:]  # without "/"


class _Mounts:
    """bwrap arguments that create parent folders world-traversable (bwrap makes them 0700)."""

    def __init__(self) -> None:
        self.args: list[str] = []
        self._dirs: set[Path] = {Path("/")}

    def dir(self, path: Path) -> None:
        for p in [*_parents(path), path]:
            if p not in self._dirs:
                self._dirs.add(p)
                self.args += ["--perms", "0755", "--dir", str(p)]

    def bind(self, path: Path, writable: bool = False, dest: Path | None = None) -> None:
        dest = dest or path
        for p in _parents(dest):
            self.dir(p)
        self._dirs.add(dest)
        self.args += ["--bind" if writable else "--ro-bind", str(path), str(dest)]


def system_mounts(data_dirs: list[Path]) -> _Mounts:
    """The read-only view every sandbox gets: system libraries, Python, the package, the
    data folders, a private /dev with a small /dev/shm and /proc (no writable place yet)."""
    m = _Mounts()
    m.args += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
        link = Path("/") / name
        if link.is_symlink():
            m.args += ["--symlink", os.readlink(link), str(link)]
        elif link.is_dir():
            m.bind(link)
    for name in ETC_FILES:
        path = Path("/etc") / name
        if path.exists():
            m.bind(path)
    prefixes = {Path(sys.base_prefix).resolve(), Path(sys.prefix).absolute()}
    for prefix in sorted(prefixes):
        m.bind(prefix)
    real_exe = Path(sys.executable).resolve()
    if not any(real_exe.is_relative_to(p) for p in prefixes) and real_exe.parent != Path(
            "/usr/bin"):
        m.bind(real_exe.parent)
    m.bind(PACKAGE_DIR)
    for data in data_dirs:
        if data.exists():
            m.bind(data.resolve())
    # a private, world-writable /dev/shm: multiprocessing (fastai/torch DataLoaders)
    # needs it for semaphores; bwrap's own /dev/shm belongs to root
    m.args += ["--dev", "/dev", *shm_args(), "--proc", "/proc"]
    return m


NAMESPACE_ARGS = ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                  "--hostname", "sandbox", "--die-with-parent", "--new-session")


@dataclass
class SandboxSpec:
    """Everything needed to build the bwrap command line for one kernel. ``seen``: where the
    kernel sees ``root`` (the zygote binds every notebook's folder at one fixed path;
    default: the same path)."""

    root: Path                       # fresh temp folder: the only writable place
    limits: Limits
    data_dirs: list[Path] = field(default_factory=list)
    uid: int | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    seen: Path | None = None

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def seen_work(self) -> Path:
        """The working folder as the kernel sees it."""
        return (self.seen or self.root) / "work"

    def env(self) -> dict[str, str]:
        """The kernel's whole environment (nothing else of the grader's is passed)."""
        work = self.seen_work
        return {
            "HOME": str(work), "TMPDIR": str(work), "USER": "student",
            "LOGNAME": "student", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "PATH": f"{Path(sys.prefix).absolute() / 'bin'}:/usr/bin:/bin",
            "PYTHONPATH": str(REPO_DIR), "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONWARNINGS": "ignore", "TQDM_DISABLE": "1", "CH4_OFFLINE": "1",
            "MPLCONFIGDIR": str(work / ".matplotlib"),
            "FASTAI_HOME": str(work / ".fastai"), "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "JPY_PARENT_PID": "1",
            **{name: os.environ[name] for name in PASSED_ENV if name in os.environ},
            **self.extra_env,
            **CPU_ONLY_ENV,  # grading compares numbers computed on the CPU, never a GPU
        }

    def rlimits(self) -> list[tuple[str, int]]:
        """(resource name, soft and hard value) for each limit, as ``prlimit`` names them."""
        lim = self.limits
        return [("data", lim.memory_mb * 2**20),
                ("as", (lim.memory_mb + AS_OVERHEAD_MB) * 2**20),
                ("nproc", lim.processes), ("fsize", lim.file_size_mb * 1024 * 1024),
                ("cpu", lim.cpu_seconds), ("core", 0)]

    def command(self, kernel_cmd: list[str]) -> list[str]:
        exe = bwrap_path()
        if exe is None:
            raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
        m = system_mounts(self.data_dirs)
        m.bind(self.root, writable=True)
        args = [exe, *m.args, *NAMESPACE_ARGS, "--chdir", str(self.work), "--clearenv"]
        for key, value in self.env().items():
            args += ["--setenv", key, value]
        prlimit = shutil.which("prlimit") or "/usr/bin/prlimit"
        args += ["--", prlimit, *[f"--{name}={value}" for name, value in self.rlimits()]]
        if self.uid is not None:
            setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
            args += [setpriv, f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                     "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        # last: the seccomp filter that refuses the uid's keyring (it outlives the kernel)
        keyring = [sys.executable, "-m", "autograder.keyring_filter", "--"]
        return args + keyring + list(kernel_cmd)

    def prepare(self) -> None:
        """Create the writable folders (owned by the sandbox uid) and the fastai config."""
        self.work.mkdir(parents=True, exist_ok=True)
        (self.root / "conn").mkdir(exist_ok=True)
        fastai_home = self.work / ".fastai"
        fastai_home.mkdir(exist_ok=True)
        seen = self.seen_work
        if self.data_dirs:
            (fastai_home / "config.ini").write_text(
                f"[DEFAULT]\ndata = {self.data_dirs[0].resolve()}\n"
                f"archive = {seen / 'archive'}\nstorage = {seen / 'storage'}\n"
                f"model = {seen / 'models'}\n")
        if self.uid is not None:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, self.uid, self.uid)


class _KillAwareChannel(AsyncZMQSocketChannel):
    """A shell channel that stops waiting as soon as the watchdog has killed the kernel, so
    nbclient sees the dead kernel now instead of after a second full cell timeout."""

    killed: threading.Event | None = None

    async def get_msg(self, timeout: float | None = None):  # type: ignore[override]
        if self.killed is None:
            return await super().get_msg(timeout=timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = 0.25 if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await super().get_msg(timeout=min(0.25, left))
            except Empty:
                if self.killed.is_set() or (deadline is not None
                                            and time.monotonic() >= deadline):
                    raise


class _WatchedClient(AsyncKernelClient):
    """A kernel client that tells its manager when a cell starts (for the watchdog)."""

    shell_channel_class = Type(_KillAwareChannel)  # type: ignore[assignment]

    @property
    def shell_channel(self):  # type: ignore[override]
        channel = super().shell_channel
        manager = getattr(self, "_ch4_manager", None)
        if manager is not None and isinstance(channel, _KillAwareChannel):
            channel.killed = manager.killed_event
        return channel

    def execute(self, *args, **kwargs):  # type: ignore[override]
        manager = getattr(self, "_ch4_manager", None)
        if manager is not None:
            manager.cell_started()
        return super().execute(*args, **kwargs)


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs under bubblewrap, over the ipc transport."""

    def __init__(self, spec: SandboxSpec, **kwargs):
        conn = spec.root / "conn"
        super().__init__(transport="ipc", ip=str(conn / "kernel-ipc"),
                         connection_file=str(conn / "kernel.json"), kernel_name="python3",
                         **kwargs)
        self.client_factory = _WatchedClient
        self.sandbox = spec
        self.killed_reason: str | None = None
        self.killed_event = threading.Event()
        self._cell_start: float | None = None
        self._interrupted_at: float | None = None
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        self.output = KernelOutput()

    # -- launch
    def format_kernel_cmd(self, extra_arguments=None):  # type: ignore[override]
        cmd = super().format_kernel_cmd(extra_arguments)
        return self.sandbox.command(cmd)

    def write_connection_file(self, **kwargs):  # type: ignore[override]
        result = super().write_connection_file(**kwargs)
        path = Path(self.connection_file)
        if path.exists():
            os.chmod(path, 0o644)
            if self.sandbox.uid is not None:
                os.chown(path, self.sandbox.uid, self.sandbox.uid)
        return result

    def client(self, **kwargs):  # type: ignore[override]
        kc = super().client(**kwargs)
        kc._ch4_manager = self
        return kc

    async def _async_pre_start_kernel(self, **kw):  # type: ignore[override]
        self._started = time.monotonic()
        if self._watchdog is None:
            self._watchdog = threading.Thread(target=self._watch, daemon=True)
            self._watchdog.start()
        # the kernel's own stdout and stderr (start-up messages, crashes, what its child
        # processes print) go to the result, never to the instructor's terminal
        kw["stdout"] = kw["stderr"] = self.output.writer()
        kw["stdin"] = subprocess.DEVNULL
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):  # type: ignore[override]
        try:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            self.output.close_writer()

    def begin(self) -> None:
        """The notebook starts now (a kernel launched ahead counts its limits from here)."""
        self._started = time.monotonic()
        self._cell_start = self._interrupted_at = None

    # -- watchdog
    def cell_started(self) -> None:
        self._cell_start = time.monotonic()
        self._interrupted_at = None

    async def _async_interrupt_kernel(self) -> None:  # type: ignore[override]
        # Signals sent to bwrap do not reach the kernel: ask it over the control channel
        # (ipykernel then sends SIGINT to its own process group inside the sandbox).
        # the grace period runs from the FIRST interrupt of a cell: nbclient asks again after
        # every further cell timeout, which must not push the hard kill back (a timeout
        # shorter than the grace would otherwise never end)
        if self._interrupted_at is None:
            self._interrupted_at = time.monotonic()
        if not self.has_kernel:
            return
        msg = self.session.msg("interrupt_request", content={})
        self._connect_control_socket()
        self.session.send(self._control_socket, msg)

    interrupt_kernel = _async_interrupt_kernel  # type: ignore[assignment]

    def _watch(self) -> None:
        lim = self.sandbox.limits
        while not self._stop.wait(0.25):
            now = time.monotonic()
            reason = None
            if now - self._started > lim.notebook_timeout + 2 * lim.grace_s + 60:
                reason = f"notebook ran longer than its {lim.notebook_timeout:.0f}s limit"
            elif self._interrupted_at is not None and now - self._interrupted_at > lim.grace_s:
                reason = (f"a cell ran longer than {lim.cell_timeout:.0f}s and ignored the "
                          "interrupt")
            if reason:
                self.killed_reason = reason
                self._hard_kill()
                self.killed_event.set()
                return

    def _hard_kill(self) -> None:
        provisioner = getattr(self, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, 9)
            except OSError:
                try:
                    process.kill()
                except OSError:
                    pass

    def stop_watchdog(self) -> None:
        self._stop.set()
        self._hard_kill()

    def finish(self) -> str:
        """The notebook is over: kill the sandbox, reap its process (no zombie is left for
        the worker's lifetime) and return what the kernel wrote to its stdout and stderr."""
        self.stop_watchdog()
        provisioner = getattr(self, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        return self.output.text()


class KernelOutput:
    """A pipe for a kernel's stdout and stderr, drained by a thread that keeps the first
    ``limit`` characters and discards the rest (the kernel may print without end)."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._chunks: list[bytes] = []
        self._size = 0
        self._write_fd: int | None = None
        self._thread: threading.Thread | None = None

    def writer(self) -> int:
        """The write end to give the kernel (opened on first use)."""
        if self._write_fd is None:
            read_fd, self._write_fd = os.pipe()
            self._thread = threading.Thread(target=self._drain, args=(read_fd,), daemon=True)
            self._thread.start()
        return self._write_fd

    def close_writer(self) -> None:
        """Close this process's copy of the write end (the kernel holds its own)."""
        if self._write_fd is not None:
            os.close(self._write_fd)
            self._write_fd = -1

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                if self._size < self.limit:
                    self._chunks.append(chunk[: self.limit - self._size])
                    self._size += len(self._chunks[-1])

    def text(self, wait_s: float = 5) -> str:
        """What was written (after the kernel is gone: waits for the pipe to close)."""
        if self._thread is not None:
            self._thread.join(timeout=wait_s)
        return b"".join(self._chunks).decode("utf-8", errors="replace")




# ---------------------------------------------------------------- nothing outlives the grader

PR_SET_PDEATHSIG = 1
OWNED = re.compile(r"^ch4-(?:grade|task|reftask|zygote)-(?P<pid>\d+)\.(?P<start>\d+)-")
QUOTA_INODES = 100_000      # files a sandbox may create in its tmpfs
RESERVED_MB = 256           # the grader's own record folder inside a sandbox (RAM when used)


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (pool worker initializer)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:        # the parent died before the signal was armed
        os._exit(1)


def _start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (clock ticks since boot), None when it is gone.

    A zombie counts as gone: a killed worker whose new parent (init, or a container's first
    process) has not reaped it yet, or never will, still has a /proc entry."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def owned_folder(kind: str, parent: Path | None = None) -> Path:
    """A fresh temporary folder (in ``parent``, default the temporary folder) named after this
    process (pid and start time), so that a later run can tell whether its owner is alive."""
    pid = os.getpid()
    return Path(tempfile.mkdtemp(prefix=f"ch4-{kind}-{pid}.{_start_time(pid) or 0}-",
                                 dir=parent))


def _mounted(path: Path) -> bool:
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as handle:
            return any(line.split()[1] == str(path) for line in handle if line.strip())
    except (OSError, IndexError):
        return False


def _unmount(path: Path) -> None:
    umount = shutil.which("umount") or "/usr/bin/umount"
    subprocess.run([umount, "--lazy", str(path)], capture_output=True, timeout=30)


def _mounts_under(path: Path) -> list[Path]:
    """Mount points at or below ``path``, deepest first."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as handle:
            points = [Path(line.split()[1]) for line in handle if line.strip()]
    except (OSError, IndexError):
        return []
    inside = [p for p in points if p == path or p.is_relative_to(path)]
    return sorted(set(inside), key=lambda p: len(p.parts), reverse=True)


def remove_orphaned_folders(tmp: Path | None = None) -> list[Path]:
    """Remove (and unmount) the sandbox folders of processes that no longer exist."""
    removed = []
    tmp = Path(tmp or tempfile.gettempdir())
    try:
        entries = list(os.scandir(tmp))
    except OSError:
        return removed
    for entry in entries:
        match = OWNED.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        if _start_time(int(match["pid"])) == match["start"]:
            continue        # its owner is alive
        path = Path(entry.path)
        for point in _mounts_under(path):
            _unmount(point)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def quota_supported() -> bool:
    """A per-sandbox tmpfs needs mount rights (root)."""
    return sys.platform.startswith("linux") and os.geteuid() == 0


def _mount_tmpfs(path: Path, size_mb: int, inodes: int) -> bool:
    mount = shutil.which("mount") or "/usr/bin/mount"
    done = subprocess.run([mount, "-t", "tmpfs", "-o",
                           f"size={int(size_mb)}m,nr_inodes={inodes},mode=0700,nosuid,nodev",
                           "ch4-sandbox", str(path)], capture_output=True, text=True, timeout=30)
    return done.returncode == 0


@contextmanager
def sandbox_folder(limits: Limits, quota: bool = True, reserved: tuple[str, ...] = (),
                   parent: Path | None = None) -> Iterator[Path]:
    """The sandbox's writable folder: a tmpfs of ``limits.disk_mb`` when root (else a plain
    folder), named after this process; unmounted and removed afterwards. Each ``reserved``
    sub-folder (the grader's probe records) gets its own small tmpfs, so a notebook that fills
    its quota does not stop the grader's probes from writing their records. ``parent``: where
    (a zygote's slot folder; default the temporary folder)."""
    root = owned_folder("grade", parent)
    try:
        if quota and quota_supported() and _mount_tmpfs(root, limits.disk_mb, QUOTA_INODES):
            for name in reserved:
                (root / name).mkdir(parents=True, exist_ok=True)
                _mount_tmpfs(root / name, RESERVED_MB, 1000)
        yield root
    finally:
        for point in _mounts_under(root):
            _unmount(point)
        shutil.rmtree(root, ignore_errors=True)


def disk_full(root: Path, limits: Limits) -> bool:
    """True when the sandbox's tmpfs quota is (nearly) used up: writes failed there."""
    if not _mounted(root):
        return False
    try:
        usage = shutil.disk_usage(root)
        stat = os.statvfs(root)
    except OSError:
        return False
    return usage.free < 2 * 2**20 or stat.f_ffree < 16
