"""Refuse the kernel keyring to a student's kernel (a seccomp filter).

Linux keeps a keyring per uid that outlives the processes of that uid, and the grader reuses
a slot's uid for the next notebook: a key one notebook adds could be read by the next one
(red team, 2026-12-06). The filter makes ``add_key``, ``request_key`` and ``keyctl`` fail
with EPERM in the kernel and everything it starts (seccomp filters are inherited and cannot
be removed). No library the notebooks use needs the keyring.

Used in two ways: ``install()`` in a process that already has no-new-privileges (the zygote's
forked init), and ``python -m autograder.keyring_filter -- CMD...`` as the last step of a
bubblewrap command line before the kernel (cold kernels and spares).
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1
# machine -> (audit arch, syscall numbers of add_key, request_key, keyctl, x32 bit or 0)
ARCHES = {
    "x86_64": (0xC000003E, (248, 249, 250), 0x40000000),
    "aarch64": (0xC00000B7, (217, 218, 219), 0),
}
LD_W_ABS, JEQ_K, JGE_K, RET_K = 0x20, 0x15, 0x35, 0x06


class FilterUnavailable(RuntimeError):
    """This machine's architecture has no filter here (the kernel runs without it)."""


def program(machine: str | None = None) -> bytes:
    """The BPF program: another architecture's call is refused, the keyring calls get EPERM,
    everything else is allowed."""
    arch = ARCHES.get(machine or platform.machine())
    if arch is None:
        raise FilterUnavailable(f"no keyring filter for {machine or platform.machine()}")
    audit, numbers, x32 = arch
    deny = SECCOMP_RET_ERRNO | EPERM
    body = [(LD_W_ABS, 0, 0, 4)]                            # seccomp_data.arch
    body.append((JEQ_K, 1, 0, audit))                       # ours: skip the deny below
    body.append((RET_K, 0, 0, deny))
    body.append((LD_W_ABS, 0, 0, 0))                        # seccomp_data.nr
    if x32:
        body.append((JGE_K, len(numbers) + 1, 0, x32))      # the x32 ABI: deny
    for i, number in enumerate(numbers):
        body.append((JEQ_K, len(numbers) - i, 0, number))   # jump to the deny at the end
    body.append((RET_K, 0, 0, SECCOMP_RET_ALLOW))
    body.append((RET_K, 0, 0, deny))
    return b"".join(struct.pack("=HBBI", *ins) for ins in body)


def install() -> None:
    """Apply the filter to this process (and all it starts); needs no-new-privileges set."""
    code = program()
    buffer = ctypes.create_string_buffer(code)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.prctl(
            PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp keyring filter: {os.strerror(err)}")


def main(argv: list[str]) -> None:
    """``-- CMD...``: install the filter (where this architecture has one), then exec CMD."""
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        sys.exit("usage: python -m autograder.keyring_filter -- CMD...")
    try:
        install()
    except FilterUnavailable as exc:
        print(f"ch4 sandbox: {exc}", file=sys.stderr)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
