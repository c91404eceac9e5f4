"""The kernel zygote (``grading/zygote.py``, ``autograder/zygote_child.py``): a forked kernel
cannot see, signal, trace or write to the zygote, runs under the sandbox's limits with no
capability, network or instructor file, starts with fresh random generators, can be
interrupted, leaves no process behind; two students in a row get the grades they get alone;
and when no zygote can run, grading goes on with spare kernels and says so once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from harness import sandbox_ok
from test_isolation import LEAVER
from test_orphans import FIXTURE, HANG, REPO, _alive, _tree, write_class

from autograder.execute import run
from autograder.grading import zygote
from autograder.grading.kernels import KernelNeeds, kernel_for
from autograder.grading.run import Settings, grade_class
from autograder.grading.sandbox import OWNED, Limits, uid_processes
from autograder.warm import close_process_pool

pytestmark = [
    pytest.mark.skipif(not sandbox_ok(), reason="bubblewrap cannot run here"),
    pytest.mark.skipif(zygote.unsupported() is not None,
                       reason=f"no zygote here: {zygote.unsupported()}"),
]

LIMITS = Limits(memory_mb=1024, processes=40, file_size_mb=8, cell_timeout=20,
                notebook_timeout=90, grace_s=2, disk_mb=64)
NEEDS = KernelNeeds(LIMITS, (), ("numpy", "torch"))


def _run(cells: list[str], needs: KernelNeeds = NEEDS) -> tuple[list[str], dict]:
    """Run ``cells`` in a kernel from ``kernel_for`` (warm); each cell's printed text and
    what the kernel was (its uid, whether the zygote forked it, whether a pid was left)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    with kernel_for(needs, True, spares=1) as kernel:
        uid = kernel.km.sandbox.uid
        forked = isinstance(kernel.km, zygote.ZygoteKernelManager)
        outcome = run(nb, cwd=kernel.work, kernel_manager=kernel.km,
                      cell_timeout=needs.limits.cell_timeout,
                      total_timeout=needs.limits.notebook_timeout)
        kernel.km.finish()
    texts = ["".join(o.get("text", "") + (f"{o.get('ename')}: {o.get('evalue')}"
                                          if o.get("output_type") == "error" else "")
                     for o in cell.outputs) for cell in outcome.nb.cells]
    return texts, {"uid": uid, "forked": forked, "left": uid_processes(uid),
                   "fatal": outcome.fatal}


def _zygote_pid() -> int:
    found = zygote.zygote_for(zygote.ZygoteKey(NEEDS.preload, NEEDS.data_dirs))
    assert found is not None and found.process is not None
    return found.process.pid


ATTACK = '''import ctypes, os, signal, sys, types
pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
uids = {}
for pid in pids:
    try:
        with open(f"/proc/{pid}/status") as handle:
            uids[pid] = int(handle.read().split("Uid:")[1].split()[0])
    except OSError:
        pass
print("PIDS", pids, "PPID", os.getppid())
print("SEES_ROOT", sorted(pid for pid, uid in uids.items() if uid != os.getuid()))
libc = ctypes.CDLL(None, use_errno=True)
print("PTRACE", libc.ptrace(16, 1, 0, 0), libc.ptrace(16, os.getppid(), 0, 0))
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
    try:
        os.kill(1, sig)
    except OSError as exc:
        print("KILL", exc)
slots = [line.split()[4] for line in open("/proc/self/mountinfo")
         if "ch4-zygote" in line.split()[4]]
print("SLOTS", slots)
for slot in slots:
    try:
        print("SLOT LIST", os.listdir(slot))
    except OSError:
        print("SLOT HIDDEN")
    try:
        open(os.path.join(slot, "planted"), "w").close()
        print("WROTE SLOT")
    except OSError:
        print("SLOT CLOSED")
sys.modules["ch4_zygote_plant"] = types.ModuleType("ch4_zygote_plant")'''


def test_a_student_cannot_see_signal_trace_or_write_to_the_zygote():
    before = _zygote_pid()
    texts, kernel = _run([ATTACK, "print('ALIVE')"])
    attack = texts[0]
    assert kernel["forked"] and kernel["fatal"] is None, (kernel, texts)
    assert "PIDS [1, 2] PPID 1" in attack, attack   # its init and itself, nothing else
    assert "SEES_ROOT []" in attack, attack
    assert "PTRACE -1 -1" in attack, attack
    assert "SLOT LIST []" in attack and "SLOT CLOSED" in attack, attack
    assert "WROTE SLOT" not in attack
    assert texts[1] == "ALIVE\n"                   # its init ignored every signal
    assert _zygote_pid() == before                 # the same zygote, still serving
    after, _ = _run(["import sys\nprint('PLANT' in str(sorted(sys.modules)))",
                     "print(__import__('sys').modules.get('ch4_zygote_plant'))"])
    assert after == ["False\n", "None\n"], after


LIMITED = f'''import os, resource, socket
print("UID", os.getuid(), os.getgid(), os.getgroups())
status = open("/proc/self/status").read()
print([line for line in status.splitlines() if line.startswith(("CapEff", "CapBnd",
       "CapPrm", "NoNewPrivs"))])
print("LIMITS", [resource.getrlimit(getattr(resource, "RLIMIT_" + n))[0]
                 for n in ("DATA", "NPROC", "FSIZE", "CPU")])
print("NETS", socket.if_nameindex())
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
    print("NETWORK")
except OSError:
    print("NO NETWORK")
print("INSTRUCTOR", [p for p in ({str(FIXTURE)!r}, {str(REPO / "tests")!r}) if os.path.exists(p)])
try:
    block = bytearray({LIMITS.memory_mb + 256} * 2**20)
    print("ALLOCATED")
except MemoryError:
    print("MEMORY LIMITED")
try:
    with open("big", "wb") as handle:
        handle.write(b"x" * {(LIMITS.file_size_mb + 1) * 2**20})
    print("WROTE BIG")
except OSError:
    print("FILE LIMITED")
children = []
try:
    for _ in range({LIMITS.processes + 10}):
        pid = os.fork()
        if pid == 0:
            import time
            time.sleep(30)
            os._exit(0)
        children.append(pid)
except OSError:
    pass
print("FORKED", len(children))
for pid in children:
    os.kill(pid, 9)
    os.waitpid(pid, 0)'''


def test_a_forked_kernel_has_the_sandboxs_limits_and_no_capability_network_or_instructor_file():
    texts, kernel = _run([LIMITED])
    out = texts[0]
    assert kernel["forked"], kernel
    assert f"UID {kernel['uid']} {kernel['uid']} []" in out, out
    for cap in ("CapEff:\\t0000000000000000", "CapBnd:\\t0000000000000000",
                "CapPrm:\\t0000000000000000", "NoNewPrivs:\\t1"):
        assert cap in out, (cap, out)
    assert (f"LIMITS [{LIMITS.memory_mb * 2**20}, {LIMITS.processes}, "
            f"{LIMITS.file_size_mb * 2**20}, {LIMITS.cpu_seconds}]") in out, out
    assert "NETS [(1, 'lo')]" in out and "NO NETWORK" in out, out
    assert "INSTRUCTOR []" in out, out
    assert "MEMORY LIMITED" in out and "FILE LIMITED" in out, out
    forked = int(out.split("FORKED ")[1].split()[0])
    assert 0 < forked < LIMITS.processes, out
    assert kernel["left"] == []                     # nothing of its uid outlives it


RANDOM = ("import random, numpy, torch\n"
          "print(random.random(), numpy.random.rand(), torch.rand(1).item())")


def test_every_forked_kernel_starts_with_fresh_random_generators():
    first, one = _run([RANDOM])
    second, two = _run([RANDOM])
    assert one["forked"] and two["forked"]
    a, b = first[0].split(), second[0].split()
    assert len(a) == len(b) == 3
    assert all(x != y for x, y in zip(a, b, strict=True)), (a, b)


def test_a_forked_kernel_is_interrupted_over_its_control_channel():
    started = time.monotonic()
    texts, kernel = _run(["import time\ntry:\n    while True:\n        time.sleep(0.05)\n"
                          "except KeyboardInterrupt:\n    print('INTERRUPTED')",
                          "print('NEXT')"],
                         KernelNeeds(Limits(cell_timeout=3, notebook_timeout=60,
                                            grace_s=2), (), NEEDS.preload))
    assert kernel["forked"] and texts == ["INTERRUPTED\n", "NEXT\n"], (texts, kernel)
    assert time.monotonic() - started < 30


SECOND = "import torch\nnoise = torch.rand(1)\ndef double(x):\n    return x * 2"


def test_the_second_student_in_a_slot_gets_the_grade_it_gets_alone(tmp_path):
    graded = {}
    for name, students in (("pair", {"a_leaver": LEAVER, "b_second": SECOND}),
                           ("alone", {"b_second": SECOND})):
        root = write_class(tmp_path / name, students)
        outcome = grade_class(Settings(root, FIXTURE, tmp_path / f"out-{name}", "ch4", 1,
                                       LIMITS, None, (), True, quiet=True, warm=True))
        graded[name] = {r.student: r for r in outcome.results}["b_second"]
    pair, alone = graded["pair"], graded["alone"]
    assert pair.warm_kernel and alone.warm_kernel
    assert [(i.grade_id, i.score, i.passed, i.message) for i in pair.items] == \
        [(i.grade_id, i.score, i.passed, i.message) for i in alone.items]
    assert (pair.fatal, pair.killed, pair.problems) == (alone.fatal, alone.killed,
                                                        alone.problems)
    assert pair.item("ex_double").passed


@pytest.fixture
def fresh_state(monkeypatch):
    """This process's zygote state restored afterwards (and its spares closed)."""
    zygote.close_zygote()
    monkeypatch.setattr(zygote, "_BROKEN", None)
    yield monkeypatch
    zygote.close_zygote()
    close_process_pool()


def test_when_no_zygote_can_start_the_kernel_is_a_spare_and_it_is_said_once(fresh_state,
                                                                           capfd):
    fresh_state.setattr(zygote, "CAPS", ("CAP_NO_SUCH_THING",))
    first, one = _run(["print(1 + 1)"])
    second, two = _run(["print(2 + 2)"])
    assert (first, second) == (["2\n"], ["4\n"])
    assert not one["forked"] and not two["forked"]
    err = capfd.readouterr().err
    assert err.count("kernel zygote unavailable") == 1, err


def test_a_zygote_that_died_is_not_used_again_and_grading_goes_on(fresh_state, capfd):
    _, one = _run(["print('first')"])
    assert one["forked"]
    process = zygote.zygote_for(zygote.ZygoteKey(NEEDS.preload, NEEDS.data_dirs)).process
    process.kill()
    process.wait(timeout=30)
    texts, two = _run(["print('second')"])
    assert texts == ["second\n"] and not two["forked"]
    assert "kernel zygote unavailable (the zygote stopped" in capfd.readouterr().err


def _zygote_kernel(tree: dict[int, str]) -> bool:
    """A kernel forked by a zygote runs in ``tree``: a zygote process no longer root."""
    for pid in tree:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            uid = Path(f"/proc/{pid}/status").read_text().split("Uid:")[1].split()[0]
        except (OSError, IndexError):
            continue
        if b"autograder.zygote_child" in cmd and b"bwrap" not in cmd and uid != "0":
            return True
    return False


def test_sigkill_of_ch4_grade_takes_the_zygote_and_its_kernel_and_the_rerun_cleans_up(
        tmp_path):
    root = write_class(tmp_path / "cls", {"slow": HANG})
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "autograder.cli", "grade", str(root), "--solutions",
           str(FIXTURE), "--out", str(out), "--workers", "1", "--memory", "3072",
           "--processes", "128", "--data", str(tmp_path / "nodata"), "--quiet"]
    env = {k: v for k, v in os.environ.items() if k != zygote.OFF_ENV}
    proc = subprocess.Popen([*cmd, "--timeout", "120"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            tree = _tree(proc.pid)
            if _zygote_kernel(tree):
                break
            time.sleep(0.2)
        assert _zygote_kernel(tree), "the student's forked kernel never started"
        owners = {pid for pid in tree if pid != proc.pid}
        folders = [p for p in Path(tempfile.gettempdir()).iterdir()
                   if (m := OWNED.match(p.name)) and int(m["pid"]) in owners]
        assert any(p.name.startswith("ch4-zygote-") for p in folders), folders
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 20
    while _alive(tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(tree) == [], [Path(f"/proc/{p}/cmdline").read_bytes()[:80]
                                for p in _alive(tree)]
    done = subprocess.run([*cmd, "--timeout", "3"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not any(f.exists() for f in folders)          # removed (and unmounted) by the rerun
    assert not [m for m in Path("/proc/self/mounts").read_text().splitlines()
                if any(str(f) in m for f in folders)]


def test_a_child_that_cannot_set_its_sandbox_up_is_never_the_students_fault(fresh_state,
                                                                          capfd):
    from autograder.grading import kernels

    fresh_state.setattr(kernels, "SEEN", Path("/no-such-place-ch4"))   # the bind fails
    texts, kernel = _run(["print('graded')"])
    assert texts == ["graded\n"] and not kernel["forked"], (texts, kernel)
    assert "a forked kernel could not set its sandbox up" in capfd.readouterr().err


def test_a_kernel_is_forked_when_the_callers_thread_already_runs_an_event_loop():
    """A caller inside a running event loop (a notebook, a browser test's loop left running)
    still gets a forked kernel: the launch must not start a second loop in that thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_loop() -> tuple[list[str], dict]:
        return _run(["print(6 * 7)"])

    # a thread of its own: this test's own thread may hold a loop left by another module
    with ThreadPoolExecutor(1) as pool:
        texts, kernel = pool.submit(asyncio.run, inside_a_loop()).result()
    assert kernel["forked"] and texts == ["42\n"], (texts, kernel)
