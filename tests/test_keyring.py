"""The kernel keyring is refused to students' kernels (red team, 2026-12-06).

Linux keeps a keyring per uid that outlives every process of that uid, and a slot's uid
serves one notebook after another: without ``autograder.keyring_filter`` a key added by one
notebook was read by the next one of the slot (confirmed on the zygote path; cold kernels and
spares reuse the same uids). The filter makes ``add_key``/``request_key``/``keyctl`` fail.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import uuid

import pytest
from harness import sandbox_ok

from autograder import keyring_filter
from autograder.grading import zygote
from autograder.grading.sandbox import Limits, SandboxSpec

X86 = platform.machine() == "x86_64"
# add_key(248) into the user keyring (@u = -4); keyctl(250) SEARCH(10) for it
PLANT = '''import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
ok = libc.syscall(248, b"user", b"{name}", b"left-behind", 11, -4) > 0
print("PLANTED", ok, ctypes.get_errno())'''
FIND = '''import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
key = libc.syscall(250, 10, -4, b"user", b"{name}", 0)
print("FOUND" if key > 0 else "GONE")
if key > 0:
    libc.syscall(250, 9, key, -4)                  # KEYCTL_UNLINK: clean up'''


def _as_uid(uid: int, code: str) -> str:
    """``code`` in a fresh, unfiltered process of ``uid`` (the system's Python: the grader's
    may live under a folder only root can enter)."""
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    python = shutil.which("python3", path="/usr/bin:/bin")
    assert python is not None, "no system python3 to run as the slot uid"
    done = subprocess.run([setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                           "--no-new-privs", python, "-c", code], capture_output=True,
                          text=True, timeout=60)
    return done.stdout + done.stderr


def _filtered(code: str) -> str:
    done = subprocess.run([sys.executable, "-m", "autograder.keyring_filter", "--",
                           sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    return done.stdout + done.stderr


@pytest.mark.skipif(not X86, reason="the planted syscall numbers are x86_64's")
def test_the_filter_refuses_the_keyring_and_runs_the_command() -> None:
    name = f"ch4-test-{uuid.uuid4().hex[:8]}"
    assert _filtered(PLANT.format(name=name)).split() == ["PLANTED", "False", "1"]  # EPERM
    assert _filtered("print(6 * 7)").strip() == "42"          # everything else runs


def test_an_architecture_without_a_filter_is_said_not_guessed() -> None:
    with pytest.raises(keyring_filter.FilterUnavailable, match="riscv"):
        keyring_filter.program("riscv64")
    assert len(keyring_filter.program("x86_64")) % 8 == 0
    done = subprocess.run([sys.executable, "-m", "autograder.keyring_filter"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "usage" in done.stderr


def test_cold_kernels_and_spares_start_behind_the_filter(tmp_path) -> None:
    command = SandboxSpec(tmp_path, Limits()).command(["KERNEL"])
    wrapper = command.index("autograder.keyring_filter")
    assert command[wrapper - 2:] == [sys.executable, "-m", "autograder.keyring_filter",
                                     "--", "KERNEL"]


@pytest.mark.skipif(not (X86 and sandbox_ok()), reason="bubblewrap cannot run here")
@pytest.mark.skipif(zygote.unsupported() is not None,
                    reason=f"no zygote here: {zygote.unsupported()}")
def test_a_notebook_leaves_nothing_in_its_slot_uids_keyring() -> None:
    from test_zygote import _run

    name = f"ch4-redteam-{uuid.uuid4().hex[:8]}"
    texts, kernel = _run([PLANT.format(name=name)])
    assert kernel["forked"] and texts == ["PLANTED False 1\n"], (texts, kernel)
    assert kernel["left"] == []
    assert _as_uid(kernel["uid"], FIND.format(name=name)).strip() == "GONE"
    # control: outside the filter the same uid can keep a key, and the search finds it
    assert _as_uid(kernel["uid"], PLANT.format(name=name)).split()[:2] == ["PLANTED", "True"]
    assert _as_uid(kernel["uid"], FIND.format(name=name)).strip() == "FOUND"
    assert _as_uid(kernel["uid"], FIND.format(name=name)).strip() == "GONE"   # cleaned up
