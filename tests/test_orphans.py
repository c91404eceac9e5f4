"""Nothing outlives the grader and nothing runs away: a SIGKILLed `ch4 grade` leaves no process
and its rerun removes the dead run's sandbox folders; a hung cell costs the cell timeout plus a
few seconds; a sandbox's files together are held to a disk quota."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from harness import sandbox_ok

from autograder import notebook as nbk
from autograder.grading.run import Settings, grade_class
from autograder.grading.sandbox import (
    OWNED,
    Limits,
    owned_folder,
    quota_supported,
    remove_orphaned_folders,
)

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "grading" / "solutions"
CELL_TIMEOUT = 10
LIMITS = Limits(memory_mb=3072, processes=128, file_size_mb=8, cell_timeout=CELL_TIMEOUT,
                notebook_timeout=90, grace_s=2, disk_mb=24)
HANG = ("while True:\n    try:\n        while True:\n            pass\n"
        "    except KeyboardInterrupt:\n        pass")
DISK_HOG = ("import os\nWRITTEN = 0\ntry:\n    for i in range(40):\n"
            "        with open(f'blob{i}', 'wb') as f:\n"
            "            f.write(b'x' * (4 * 2**20))\n        WRITTEN += 1\n"
            "except OSError:\n    pass\ndef double(x):\n    return 2 * x")


pytestmark = pytest.mark.skipif(not sandbox_ok(), reason="bubblewrap cannot run here")


def _make():
    spec = importlib.util.spec_from_file_location("make_submissions",
                                                  REPO / "examples" / "make_submissions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_class(root: Path, students: dict[str, str]) -> Path:
    """nbgrader layout; each student's ex_double answer is the given code."""
    make = _make()
    source = nbk.read(FIXTURE / "01_tiny.ipynb")
    answers = make.answer_cells(source)
    for student, code in students.items():
        path = root / "submitted" / student / "ch4" / "01_tiny.ipynb"
        path.parent.mkdir(parents=True)
        nbk.write(make.fill(source, {**answers, "ex_double_answer": code}), path)
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = write_class(tmp_path_factory.mktemp("cls"), {"hang": HANG, "disk_hog": DISK_HOG})
    out = tmp_path_factory.mktemp("out")
    outcome = grade_class(Settings(root, FIXTURE, out, "ch4", 2, LIMITS, None, (), True,
                                   quiet=True))
    return out, {r.student: r for r in outcome.results}


def test_a_hung_cell_that_ignores_the_interrupt_costs_the_timeout_plus_a_few_seconds(graded):
    _, results = graded
    hang = results["hang"]
    assert "ignored the interrupt" in (hang.killed or "")
    spent = hang.timings["run_s"] - hang.timings["kernel_start_s"]
    assert spent <= CELL_TIMEOUT + LIMITS.grace_s + 5, hang.timings
    assert hang.item("ex_double").score == 0


@pytest.mark.skipif(not quota_supported(), reason="the disk quota (a tmpfs) needs root")
def test_many_files_under_the_file_cap_hit_the_sandbox_disk_quota(graded):
    _, results = graded
    problems = " ".join(results["disk_hog"].problems)
    assert f"disk quota ({LIMITS.disk_mb} MB" in problems
    # the quota stopped the writes, not the grading: the later answers were still graded
    assert results["disk_hog"].item("ex_double").passed


def test_folders_of_a_dead_owner_are_removed_and_live_ones_kept(tmp_path):
    mine = owned_folder("grade")
    try:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        start = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        child.kill()
        child.wait()
        dead = Path(tempfile.gettempdir()) / f"ch4-grade-{child.pid}.{start}-test"
        dead.mkdir()
        (dead / "work").mkdir()
        removed = remove_orphaned_folders()
        assert dead in removed and not dead.exists()
        assert mine.exists()
    finally:
        shutil.rmtree(mine, ignore_errors=True)


def test_a_folder_whose_owner_is_an_unreaped_zombie_is_removed():
    """A killed worker that nobody reaps (a container's first process may never wait) stays a
    zombie with the same pid and start time; its folder is still an orphan."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        start = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        os.kill(child.pid, signal.SIGKILL)          # killed but not waited for: a zombie
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            state = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                break
            time.sleep(0.05)
        assert state == "Z"
        dead = Path(tempfile.gettempdir()) / f"ch4-task-{child.pid}.{start}-zombie"
        dead.mkdir()
        assert dead in remove_orphaned_folders() and not dead.exists()
    finally:
        child.wait()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _identity(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a process, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], fields[19]


def _tree(root: int) -> dict[int, str]:
    """Every process under ``root`` (included), with its start time."""
    children, found, todo = _children(), {}, [root]
    while todo:
        pid = todo.pop()
        ident = _identity(pid)
        if ident is not None:
            found[pid] = ident[1]
            todo += children.get(pid, [])
    return found


def _alive(tree: dict[int, str]) -> list[int]:
    alive = []
    for pid, start in tree.items():
        ident = _identity(pid)
        if ident is not None and ident[1] == start and ident[0] not in ("Z", "X"):
            alive.append(pid)
    return alive


def _kernel_running(tree: dict[int, str]) -> bool:
    for pid in tree:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmd and b"bwrap" not in cmd:
            return True
    return False


def _sandboxes(tree: dict[int, str]) -> int:
    """How many bubblewrap sandboxes run in ``tree`` (the kernel's and the spares')."""
    count = 0
    for pid in tree:
        try:
            count += Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].endswith(
                b"bwrap")
        except OSError:
            continue
    return count


def test_sigkill_of_ch4_grade_leaves_no_process_and_the_rerun_removes_its_folders(
        graded, tmp_path):
    """Spare kernels (``CH4_NO_ZYGOTE``; the zygote's case is in test_zygote.py): the kill
    takes the running kernel and the spare started ahead for the next notebook."""
    out_done, _ = graded
    root = write_class(tmp_path / "cls", {"slow": HANG})
    out = tmp_path / "out"
    shutil.copytree(out_done / "reference", out / "reference")   # no reference run needed
    cmd = [sys.executable, "-m", "autograder.cli", "grade", str(root), "--solutions",
           str(FIXTURE), "--out", str(out), "--workers", "1", "--memory", "3072",
           "--processes", "128", "--data", str(tmp_path / "nodata"), "--quiet"]
    proc = subprocess.Popen([*cmd, "--timeout", "120"], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=dict(os.environ, CH4_NO_ZYGOTE="1"))
    tree: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            tree = _tree(proc.pid)
            if _kernel_running(tree):
                break
            time.sleep(0.2)
        assert _kernel_running(tree), "the student's kernel never started"
        deadline = time.monotonic() + 30
        while _sandboxes(tree) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            tree = _tree(proc.pid)
        assert _sandboxes(tree) >= 2, "a spare sandbox runs beside the student's kernel"
        time.sleep(1)
        tree = _tree(proc.pid)
        owners = {pid for pid in tree if pid != proc.pid}
        folders = [p for p in Path(tempfile.gettempdir()).iterdir()
                   if (m := OWNED.match(p.name)) and int(m["pid"]) in owners]
        assert folders, "the sandbox folder is named after its worker process"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 20
    while _alive(tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(tree) == [], [Path(f"/proc/{p}/cmdline").read_bytes()[:80]
                                for p in _alive(tree)]
    assert all(f.exists() for f in folders)          # left behind by the killed run ...
    done = subprocess.run([*cmd, "--timeout", "3"], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"1 submissions \(1 graded now", done.stdout), done.stdout
    assert not any(f.exists() for f in folders)      # ... and removed by the rerun
