"""In-sandbox side of the kernel zygote (grader side: ``autograder.grading.zygote``).

The zygote runs inside ONE bubblewrap sandbox per worker slot (read-only system view, no
network, its own PID/IPC/UTS namespaces, dies with the grader) as root with CAP_SYS_ADMIN,
CAP_SETUID, CAP_SETGID and CAP_SETPCAP. It imports the notebook's libraries, ipykernel and
the grader's kernel-side modules once, starts no thread, event loop or ZeroMQ context, tells
the grader it is ready, then waits for requests. Each request (one JSON ``Request`` and two
file descriptors: a status socket and the kernel's stdout/stderr pipe) forks a child that:

1. closes every other descriptor (the control socket above all), enters new mount, PID,
   IPC, network and UTS namespaces and makes every mount private;
2. binds its notebook folder (``conn`` + ``work``, on the grader's quota tmpfs) at the fixed
   path ``Request.seen`` and covers the slot folder (the other notebooks, the zygote's own
   scratch) with an empty read-only tmpfs; gives /dev/shm a fresh tmpfs;
3. forks the namespace's init (PID 1), which mounts a fresh /proc, sets the limits
   (``setrlimit``: the values bubblewrap's ``prlimit`` uses), drops the capability bounding
   set, becomes the slot uid (``setgroups([])``, ``setgid``, ``setuid``: every capability
   goes), sets no-new-privs and a parent-death signal, and forks the kernel (PID 2): a new
   session, the environment replaced by ``Request.env``, the random generators reseeded
   from ``os.urandom`` (a fork copies their state), then ipykernel's app in this process;
4. writes ``UP`` on the status socket once init is set up, then waits for init and writes
   its exit status there: the grader's sign that the kernel is gone. The init is the only
   reaper of the namespace; when it dies (the grader kills the slot uid) every process of
   the notebook dies with it.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import resource
import select
import signal
import socket
import sys
from dataclasses import dataclass

from autograder import keyring_filter

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
READY = b"ready"
UP = b"u"                       # on the status socket: the sandbox is set up, the kernel starts
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "zmq",
                  "jupyter_client.session", "autograder.figures", "autograder.warmup")
SHM_OPTIONS = "mode=1777,size=268435456"

_libc = ctypes.CDLL(None, use_errno=True)


@dataclass(frozen=True)
class Request:
    """One notebook's kernel: its folder (zygote view), where the kernel sees it, the slot
    uid, the whole environment, the limits (``prlimit`` names) and ipykernel's arguments."""

    root: str
    seen: str
    slot: str
    uid: int
    env: dict[str, str]
    rlimits: list[tuple[str, int]]
    argv: list[str]

    def encode(self) -> bytes:
        return json.dumps(self.__dict__).encode()

    @classmethod
    def decode(cls, data: bytes) -> Request:
        fields = json.loads(data)
        fields["rlimits"] = [tuple(pair) for pair in fields["rlimits"]]
        return cls(**fields)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    _check(_libc.mount(source and source.encode(), target.encode(),
                       fstype and fstype.encode(), ctypes.c_ulong(flags),
                       data and data.encode()), f"mount {target}")


def _enter_namespaces(req: Request) -> None:
    """Step 1 and 2: private namespaces and this notebook's file-system view."""
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET
                         | CLONE_NEWUTS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount(req.root, req.seen, None, MS_BIND | MS_REC)
    _mount("ch4-slot", req.slot, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k")
    _mount(None, req.slot, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _mount("ch4-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, SHM_OPTIONS)


def _drop_privileges(req: Request) -> None:
    """Step 3 (init): limits, no capability left, the slot uid, no new privileges."""
    for name, value in req.rlimits:
        limit = getattr(resource, f"RLIMIT_{name.upper()}")
        resource.setrlimit(limit, (value, value))
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break                               # past the last capability this kernel knows
    os.setgroups([])
    os.setgid(req.uid)
    os.setuid(req.uid)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    try:
        keyring_filter.install()                # the uid's keyring outlives the kernel
    except keyring_filter.FilterUnavailable:
        pass


def _reseed() -> None:
    """Fresh random generators: a fork copies the zygote's state to every kernel."""
    random.seed(os.urandom(32))
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(int.from_bytes(os.urandom(4), "little"))
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(int.from_bytes(os.urandom(8), "little") >> 1)


def _run_kernel(req: Request, out_fd: int) -> None:
    """Step 3 (kernel, PID 2): never returns."""
    os.setsid()
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)   # its own /proc entries readable, as today
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.closerange(3, 1 << 16)
    os.environ.clear()
    os.environ.update(req.env)
    work = os.path.join(req.seen, "work")
    os.chdir(work)
    sys.path[0] = work                          # as ``python -m ipykernel_launcher`` there
    sys.argv = ["ipykernel_launcher", *req.argv]
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    _reseed()
    code = 0
    try:
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(req.argv)
        app.start()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - reported on the kernel's stderr, then gone
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _init(req: Request, out_fd: int, up_fd: int) -> None:
    """PID 1 of the notebook's namespace: set up, say so on ``up_fd``, start the kernel,
    reap until it ends."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    socket.sethostname("sandbox")
    _drop_privileges(req)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)      # PID 1: ignored from inside the namespace
    os.write(up_fd, UP)
    os.close(up_fd)
    kernel = os.fork()
    if kernel == 0:
        _run_kernel(req, out_fd)
    os.close(out_fd)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == kernel:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _child(req: Request, status_fd: int, out_fd: int) -> None:
    """The forked child (still in the zygote's namespaces, as root): never returns."""
    code = 1
    try:
        for fd in [int(name) for name in os.listdir("/proc/self/fd")]:
            if fd > 2 and fd not in (status_fd, out_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass
        _enter_namespaces(req)
        up_read, up_write = os.pipe()
        init = os.fork()
        if init == 0:
            os.close(status_fd)
            os.close(up_read)
            try:
                _init(req, out_fd, up_write)
            finally:
                os._exit(1)
        os.close(out_fd)
        os.close(up_write)
        if os.read(up_read, 1) == UP:
            os.write(status_fd, UP + b"\n")
        os.close(up_read)
        _, status = os.waitpid(init, 0)
        code = os.waitstatus_to_exitcode(status)
    except BaseException as exc:  # noqa: BLE001 - said on the kernel's output, then gone
        try:
            os.write(out_fd, f"ch4 zygote: {exc}\n".encode())
        except OSError:
            pass
    try:
        os.write(status_fd, f"{code}\n".encode())
    finally:
        os._exit(0)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(control: socket.socket) -> None:
    """Fork one child per request until the grader closes the control socket."""
    while True:
        ready, _, _ = select.select([control], [], [], 1.0)
        _reap()
        if not ready:
            continue
        data, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        if not data:
            return
        req = Request.decode(data)
        pid = os.fork()
        if pid == 0:
            control.close()
            _child(req, fds[0], fds[1])
        for fd in fds:
            os.close(fd)


def main(argv: list[str]) -> int:
    """``python -m autograder.zygote_child FD MODULE...``: preload, say ready, serve."""
    control = socket.socket(fileno=int(argv[0]))
    from autograder.warmup import load

    load([*KERNEL_MODULES, *argv[1:]])
    control.sendall(READY)
    serve(control)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
