"""Warm kernels (``autograder.warm``, ``grading/kernels.py``): a spare is handed out once and
never again, spares nobody took are killed, a preloaded kernel looks like a fresh one to the
notebook, ``ch4 check`` gives the same verdicts warm and cold (spares: ``CH4_NO_ZYGOTE``, or
the zygote's kernels where it says so); and (issue 22) a finished sandbox is reaped when its
notebook ends and its kernel's stderr goes to the result."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from harness import sandbox_ok
from test_orphans import FIXTURE, write_class

from autograder import notebook as nbk
from autograder.check import check_notebook, prepare
from autograder.execute import run
from autograder.grading import zygote
from autograder.grading.kernels import KernelNeeds, kernel_for
from autograder.grading.sandbox import Limits
from autograder.grading.worker import Job, grade
from autograder.warm import (
    Spare,
    WarmPool,
    close_process_pool,
    plain_spare,
    preload_arguments,
    preload_modules,
    process_pool,
)

LIMITS = Limits(memory_mb=3072, processes=128, file_size_mb=8, cell_timeout=30,
                notebook_timeout=120, grace_s=2, disk_mb=64)


class Counting:
    """A factory of fake spares (no kernel) that counts what was built and closed."""

    def __init__(self) -> None:
        self.built: list[Spare] = []
        self.closed: list[Spare] = []
        self.lock = threading.Lock()

    def __call__(self, key):
        def make(launch) -> Spare:
            spare = Spare(key, object(), lambda: self.closed.append(spare))
            with self.lock:
                self.built.append(spare)
            return spare
        return make


def test_a_spare_is_handed_out_once_and_never_again():
    pool, factory = WarmPool(), Counting()
    try:
        pool.prepare("nb08", factory("nb08"), spares=2)
        first, second = pool.take("nb08"), pool.take("nb08")
        assert first is not None and second is not None and first is not second
        assert first.taken and second.taken
        assert pool.take("nb08", wait_s=0.5) is None       # nothing left: the caller goes cold
        assert {id(s) for s in factory.built} == {id(first), id(second)}
    finally:
        pool.close()


def test_spares_of_another_notebook_are_killed_when_the_batch_moves_on():
    pool, factory = WarmPool(), Counting()
    try:
        pool.prepare("nb01", factory("nb01"))
        pool.take("nb01", wait_s=5)                          # taken: the caller closes it
        pool.prepare("nb01", factory("nb01"))
        assert pool.take("nb08", wait_s=0.5) is None         # no spare of another notebook
        pool.prepare("nb08", factory("nb08"))
        assert pool.take("nb08", wait_s=5).key == "nb08"
        assert [s.key for s in factory.closed] == ["nb01"]   # the untaken nb01 spare
    finally:
        pool.close()


def test_closing_the_pool_kills_every_spare_nobody_took():
    pool, factory = WarmPool(), Counting()
    pool.prepare("nb08", factory("nb08"), spares=2)
    taken = pool.take("nb08")
    pool.take("nb08", wait_s=5)            # wait for the second to be built
    pool.prepare("nb08", factory("nb08"), spares=1)
    pool.take("nb08", wait_s=0)            # may or may not be ready: either way it is handled
    pool.close()
    untaken = [s for s in factory.built if not s.taken]
    assert all(s in factory.closed for s in untaken)
    assert taken not in factory.closed                       # the user closes what it took
    pool.prepare("nb08", factory("nb08"))                    # a closed pool starts nothing
    assert pool.take("nb08", wait_s=0.5) is None


def test_preloads_are_the_locked_cells_imports_never_the_answer_cells():
    nb = nbk.new_notebook([nbk.code("import numpy as np\nimport torch\n"
                                    "from fastai.vision.all import *\nfrom . import x"),
                           nbk.answer("import scipy\ndef f():\n    import pandas", "ex_f_answer"),
                           nbk.code("if True:\n    import json")], "t")
    assert preload_modules(nb, ("autograder.items.runner",)) == (
        "numpy", "torch", "fastai.vision.all", "autograder.items.runner")


def test_a_preloaded_kernel_binds_no_name_and_stores_no_history(tmp_path):
    nb = nbk.new_notebook([nbk.code(
        "import sys\n"
        "assert 'wave' not in dir() and 'wave' in sys.modules, dir()\n"
        "assert len(In) == 2 and ('warm' + 'up') not in ''.join(In), In\n")], "t")
    pool = WarmPool()
    try:
        pool.prepare("k", lambda launch: plain_spare(
            "k", tmp_path, lambda scratch: dict(os.environ, TMPDIR=str(scratch)), (),
            ("wave",), launch))
        spare = pool.take("k")
        assert spare is not None
        try:
            result = run(nb, cwd=tmp_path, cell_timeout=60, kernel_manager=spare.km)
        finally:
            spare.close()
    finally:
        pool.close()
    assert result.fatal is None and result.cells[0].error is None, result.cells[0].error
    assert nb.cells[0].execution_count == 1
    assert spare.km.provisioner.process.poll() is not None     # killed once used
    assert not spare.extra["scratch"].exists()
    assert preload_arguments(()) == ()


def _tiny_course(tmp_path: Path) -> Path:
    """The tiny fixture's solutions, as a student's finished notebook."""
    path = tmp_path / "01_tiny.ipynb"
    path.write_bytes((FIXTURE / "01_tiny.ipynb").read_bytes())
    return path


def test_ch4_check_gives_the_same_verdicts_in_a_warm_kernel_as_in_a_cold_one(tmp_path):
    path = _tiny_course(tmp_path)
    cold = check_notebook(path, cell_timeout=60)
    pool = WarmPool()
    try:
        prepare(pool, path)
        warm = check_notebook(path, cell_timeout=60, pool=pool)
        again = check_notebook(path, cell_timeout=60, pool=pool)   # nothing prepared: cold
    finally:
        pool.close()
    assert warm.warm and not cold.warm and not again.warm
    assert [(i.grade_id, i.passed, i.message) for i in warm.items] == \
        [(i.grade_id, i.passed, i.message) for i in cold.items]
    assert warm.score == warm.max_score > 0


# ---------------------------------------------------------------- sandboxed, in this process

needs_sandbox = pytest.mark.skipif(not sandbox_ok(), reason="bubblewrap cannot run here")
STDERR = ("import subprocess\n"
          "subprocess.run(['sh', '-c', 'echo ch4-kernel-stderr-marker >&2'])\n"
          "def double(x):\n    return 2 * x")


def _zombie_children() -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and fields[0] == "Z":
            found.append(int(pid))
    return found


@pytest.fixture
def spares_only(monkeypatch):
    """Spare kernels, not the zygote (``CH4_NO_ZYGOTE``): the tests of the spare path."""
    monkeypatch.setenv(zygote.OFF_ENV, "1")


@pytest.fixture(scope="module", params=["spare", "zygote"])
def graded_here(request, tmp_path_factory):
    """Three notebooks graded one after the other in this process with warm kernels: spares
    (``CH4_NO_ZYGOTE``), or forked by the zygote (as root); the folders left to remove."""
    root = write_class(tmp_path_factory.mktemp("cls"),
                       {"s1": STDERR, "s2": STDERR, "s3": STDERR})
    out = tmp_path_factory.mktemp("out")
    results = []
    close_process_pool()
    zygote.close_zygote()
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "spare":
            patch.setenv(zygote.OFF_ENV, "1")
        for student in ("s1", "s2", "s3"):
            job = Job(student, "ch4", "01_tiny",
                      str(root / "submitted" / student / "ch4" / "01_tiny.ipynb"),
                      str(FIXTURE / "01_tiny.ipynb"), str(out), LIMITS, key="k" * 64,
                      spares=1)
            results.append(grade(job))
    zombies = _zombie_children()
    left = [k.root for s in process_pool()._ready.values() for k in
            (x.extra["kernel"] for x in s)]
    if zygote._ZYGOTE is not None:
        left.append(zygote._ZYGOTE.slot)
    close_process_pool()
    zygote.close_zygote()
    return request.param, results, zombies, left


@needs_sandbox
def test_a_finished_sandbox_is_reaped_when_its_notebook_ends(graded_here):
    _, results, zombies, _ = graded_here
    assert all(r.fatal is None for r in results)
    assert zombies == []
    assert _zombie_children() == []


@needs_sandbox
def test_the_kernels_stderr_goes_to_the_result_not_the_terminal(graded_here, capfd):
    _, results, _, _ = graded_here
    for result in results:
        assert "ch4-kernel-stderr-marker" in result.kernel_output, result.kernel_output
    assert "ch4-kernel-stderr-marker" not in capfd.readouterr().err


@needs_sandbox
def test_later_notebooks_ran_in_warm_kernels_and_the_spare_left_over_is_removed(graded_here):
    path, results, _, left = graded_here
    forked = path == "zygote" and zygote.unsupported() is None
    # spares: the first notebook's kernel starts cold; the zygote forks every one
    assert [r.warm_kernel for r in results] == [forked, True, True]
    assert left and not any(folder.exists() for folder in left)


@needs_sandbox
def test_a_kernel_started_ahead_counts_its_time_limits_from_its_notebook(tmp_path, spares_only):
    needs = KernelNeeds(LIMITS, ())
    close_process_pool()
    try:
        with kernel_for(needs, True, spares=1) as first:
            assert not first.warm
        entered = time.monotonic()
        with kernel_for(needs, True, spares=1) as second:
            assert second.warm and second.km is not first.km
            assert second.km._started >= entered     # not from when it was launched
        assert second.km.provisioner.process.poll() is not None
        assert not second.root.exists() and not first.root.exists()
    finally:
        close_process_pool()


# ---------------------------------------------------------------- the options, no kernel


def test_ch4_grade_is_warm_unless_told_no_warm_and_dask_or_no_sandbox_run_cold(tmp_path):
    from dataclasses import replace

    from autograder.cli import build_parser
    from autograder.grading import cli as grading_cli
    from autograder.grading.run import _spares

    def settings(*extra: str):
        args = build_parser("grade").parse_args(
            ["grade", str(tmp_path), "--data", str(tmp_path), *extra])
        return grading_cli.settings_from(args)

    warm, cold = settings(), settings("--no-warm")
    assert warm.warm and not cold.warm
    assert _spares(cold) == 0
    assert _spares(warm) == max(1, (os.cpu_count() or 1) // warm.workers)
    assert _spares(replace(warm, workers=64)) == 1
    assert _spares(replace(warm, scheduler="local:2")) == 0
    assert _spares(replace(warm, sandbox=False)) == 0


def test_ch4_check_starts_the_next_notebooks_kernel_ahead_unless_told_no_warm(monkeypatch,
                                                                              tmp_path):
    import autograder.check as check

    seen: list[tuple[str, bool]] = []
    prepared: list[str] = []

    def fake_check(path, cell_timeout=600, total_timeout=3600, pool=None):
        seen.append((Path(path).name, pool is not None))
        return check.CheckReport(str(path), "t", [])

    monkeypatch.setattr(check, "check_notebook", fake_check)
    monkeypatch.setattr(check, "prepare", lambda pool, path: prepared.append(Path(path).name))
    paths = [tmp_path / "a.ipynb", tmp_path / "b.ipynb"]
    assert check.main(paths, False, 60) == 0
    assert seen == [("a.ipynb", True), ("b.ipynb", True)] and prepared == ["b.ipynb"]
    seen.clear(), prepared.clear()
    check.main(paths, False, 60, warm=False)
    check.main(paths[:1], False, 60)                   # one notebook: nothing to start ahead
    assert seen == [("a.ipynb", False), ("b.ipynb", False), ("a.ipynb", False)]
    assert prepared == []


@needs_sandbox
def test_a_spare_that_died_while_waiting_is_replaced_by_a_kernel_started_now(spares_only):
    needs = KernelNeeds(LIMITS, ())
    close_process_pool()
    try:
        with kernel_for(needs, True, spares=1) as first:
            pass
        spare = process_pool().take(needs)
        spare.km.finish()                                  # the spare dies before its turn
        process_pool()._ready.setdefault(needs, []).append(spare)
        with kernel_for(needs, True, spares=1) as second:
            assert not second.warm and second.km is not spare.km
    finally:
        close_process_pool()
    assert not first.warm


def test_a_result_file_written_before_these_fields_still_loads():
    from autograder.results import GradeResult

    old = GradeResult("s", "ch4", "01_tiny", "f.ipynb", "fp", 5).to_json()
    del old["kernel_output"], old["warm_kernel"]
    loaded = GradeResult.from_json(old)
    assert loaded.kernel_output == "" and loaded.warm_kernel is False


def test_a_result_file_with_the_old_name_of_its_inputs_digest_still_loads():
    from autograder.results import GradeResult

    old = GradeResult("s", "ch4", "01_tiny", "f.ipynb", "abc", 5).to_json()
    old["fingerprint"] = old.pop("inputs_digest")
    assert GradeResult.from_json(old).inputs_digest == "abc"
