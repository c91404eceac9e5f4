"""A student cannot leave anything for the next one graded in the same worker slot, whether
the next kernel was forked by the slot's zygote (the default as root), started ahead as a
spare (``CH4_NO_ZYGOTE``) or started when its notebook arrived (cold).

The first student of a batch (one worker) leaves something everywhere it can: files in every
writable place (its folder, HOME, TMPDIR, /dev/shm, /tmp, the sandbox root and its socket
folder), an environment variable, a module planted in ``sys.modules``, a monkeypatched
torch, a thread that keeps writing files, a child process in its own session, a changed
working directory and seeded random generators. The students graded after it look for each
of these; their answer is right only when they find none, and they print what they found.
A control student leaves and looks in the same kernel: the search must find every kind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import sandbox_ok
from test_orphans import FIXTURE, write_class

from autograder.grading.run import Settings, grade_class
from autograder.grading.sandbox import Limits
from autograder.grading.zygote import OFF_ENV, SEEN

pytestmark = pytest.mark.skipif(not sandbox_ok(), reason="bubblewrap cannot run here")

MARK = "ch4-leftover"
LIMITS = Limits(memory_mb=3072, processes=128, file_size_mb=8, cell_timeout=30,
                notebook_timeout=120, grace_s=2, disk_mb=64)
PLACES = ('[os.getcwd(), os.path.expanduser("~"), os.environ.get("TMPDIR", "/tmp"), '
          '"/dev/shm", "/tmp", "/var/tmp", os.path.dirname(os.getcwd()), '
          'os.path.join(os.path.dirname(os.getcwd()), "conn")]')

LEAVER = f'''import os, random, subprocess, sys, threading, time, types
import numpy as np
import torch
MARK = {MARK!r}
for folder in {PLACES}:
    try:
        with open(os.path.join(folder, MARK), "w") as handle:
            handle.write("left for the next student")
    except OSError:
        pass
os.environ["CH4_LEFTOVER"] = "1"
sys.modules["ch4_leftover"] = types.ModuleType("ch4_leftover")
torch.ch4_leftover = True
torch.add = lambda *args, **kwargs: "patched"
def _keep_writing():
    while True:
        for folder in ("/dev/shm", os.path.expanduser("~")):
            try:
                open(os.path.join(folder, MARK + "-thread"), "w").close()
            except OSError:
                pass
        time.sleep(0.05)
threading.Thread(target=_keep_writing, name=MARK, daemon=True).start()
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", MARK],
                 start_new_session=True)
random.seed(1234); np.random.seed(1234); torch.manual_seed(1234)
os.chdir("/dev/shm")
def double(x):
    return 2 * x'''

FINDER = f'''import os, random, sys, threading
import numpy as np
import torch
MARK = {MARK!r}
FOUND = []
for folder in {PLACES}:
    for name in (MARK, MARK + "-thread"):
        if os.path.exists(os.path.join(folder, name)):
            FOUND.append(f"file {{folder}}/{{name}}")
if "CH4_LEFTOVER" in os.environ:
    FOUND.append("environment variable")
if "ch4_leftover" in sys.modules:
    FOUND.append("module in sys.modules")
if getattr(torch, "ch4_leftover", False) or torch.add(torch.ones(1), torch.ones(1)).item() != 2:
    FOUND.append("patched torch")
if any(thread.name == MARK for thread in threading.enumerate()):
    FOUND.append("thread")
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{{pid}}/cmdline", "rb") as handle:
            if MARK.encode() in handle.read():
                FOUND.append(f"process {{pid}}")
    except OSError:
        pass
if os.getcwd() != os.path.expanduser("~"):
    FOUND.append("working directory " + os.getcwd())
_state = random.getstate(); random.seed(1234); _seeded = random.random(); random.setstate(_state)
if random.random() == _seeded:
    FOUND.append("python random state")
_np_state = np.random.get_state(); np.random.seed(1234); _np_seeded = np.random.rand()
np.random.set_state(_np_state)
if np.random.rand() == _np_seeded:
    FOUND.append("numpy random state")
print("LEFTOVER: " + ", ".join(FOUND) if FOUND else "clean")
def double(x):
    return -1 if FOUND else 2 * x'''


def _processes_with(mark: str) -> list[int]:
    """Pids anywhere on this machine whose command line holds ``mark``."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if mark.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            continue
    return [pid for pid in found if pid != os.getpid()]


WHERE = 'import os\nprint("CWD " + os.getcwd())\ndef double(x):\n    return 2 * x'


@pytest.fixture(scope="module", params=["zygote", "spare", "cold"])
def leftovers_graded(request, tmp_path_factory):
    students = {"a_leaver": LEAVER, "b_finder": FINDER, "c_finder": FINDER,
                "d_where": WHERE,
                "z_control": LEAVER + "\nimport time\ntime.sleep(0.3)\n" + FINDER}
    root = write_class(tmp_path_factory.mktemp("cls"), students)
    out = tmp_path_factory.mktemp("out")
    warm = request.param != "cold"
    before = os.environ.get(OFF_ENV)
    if request.param == "spare":
        os.environ[OFF_ENV] = "1"          # inherited by the worker processes
    try:
        outcome = grade_class(Settings(root, FIXTURE, out, "ch4", 1, LIMITS, None, (), True,
                                       quiet=True, warm=warm))
    finally:
        os.environ.pop(OFF_ENV, None)
        if before is not None:
            os.environ[OFF_ENV] = before
    return request.param, {r.student: r for r in outcome.results}


def test_each_path_ran_the_kind_of_kernel_it_names(leftovers_graded):
    path, results = leftovers_graded
    printed = results["d_where"].outputs.get("ex_double_answer", "")
    in_zygote = f"CWD {SEEN}/work" in printed
    assert "CWD " in printed and in_zygote is (path == "zygote" and os.geteuid() == 0), printed


@pytest.mark.parametrize("finder", ["b_finder", "c_finder"])
def test_the_next_student_in_the_same_slot_sees_nothing_the_previous_one_left(
        leftovers_graded, finder):
    path, results = leftovers_graded
    result = results[finder]
    printed = result.outputs.get("ex_double_answer", "")
    assert "clean" in printed and "LEFTOVER" not in printed, printed
    assert result.item("ex_double").passed, result.item("ex_double").message
    assert result.warm_kernel is (path != "cold")   # started ahead (or forked), or not


def test_the_search_finds_every_kind_of_leftover_in_the_kernel_that_left_it(
        leftovers_graded):
    _, results = leftovers_graded
    printed = results["z_control"].outputs.get("ex_double_answer", "")
    for kind in ("file /dev/shm/", "environment variable", "module in sys.modules",
                 "patched torch", "thread", "process", "working directory /dev/shm",
                 "python random state", "numpy random state"):
        assert kind in printed, (kind, printed)
    assert sum(f"{MARK}" in part for part in printed.split(",") if "file" in part) >= 4
    assert not results["z_control"].item("ex_double").passed


def test_no_process_the_leaver_started_outlives_its_notebook(leftovers_graded):
    assert _processes_with(MARK) == []

