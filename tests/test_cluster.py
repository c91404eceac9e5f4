"""`ch4 grade --scheduler`: a real `dask scheduler` and `dask worker` processes on 127.0.0.1.

The class is small (the tiny fixture course) but covers the faults that matter on a cluster:
a worker killed in the middle of a task, the scheduler killed in the middle of a run, a worker
that cannot sandbox. Every run is compared with the process pool's grades.csv, byte for byte.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_grading import FIXTURE, LIMITS, REPO, make, needs_bwrap, settings, source, write_sub

from autograder.grading.backends import (
    QUIET_WORKER_SETTINGS,
    ClusterError,
    DaskBackend,
    worker_environment,
)
from autograder.grading.run import grade_class
from autograder.grading.tasks import Conditions
from autograder.results import GradeResult

DASK = Path(sys.executable).parent / "dask"
STUDENTS = 6
pytestmark = pytest.mark.skipif(not DASK.exists(), reason="dask is not installed")


@dataclass
class Cluster:
    """A scheduler and its workers, each a process this test started."""

    folder: Path
    env: dict[str, str]
    scheduler: subprocess.Popen | None = None
    address: str = ""
    workers: list[subprocess.Popen] = field(default_factory=list)

    def start_scheduler(self) -> None:
        info = self.folder / "scheduler.json"
        info.unlink(missing_ok=True)
        self.scheduler = self._spawn(["scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard", "--scheduler-file", str(info)],
                                     "scheduler")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if info.exists():
                try:
                    self.address = json.loads(info.read_text())["address"]
                    return
                except (ValueError, KeyError):
                    pass
            time.sleep(0.2)
        raise RuntimeError("the dask scheduler did not start: " + self._log("scheduler"))

    def start_worker(self, name: str, env: dict[str, str] | None = None) -> None:
        self.workers.append(self._spawn(
            ["worker", self.address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
             "--no-dashboard", "--name", name, "--local-directory", str(self.folder / name)],
            name, env))

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(count, timeout=60)

    def worker_pids(self) -> dict[str, int]:
        """Worker address -> its process id, as each worker reports it."""
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            return client.run(os.getpid)

    def busy_worker(self, timeout: float = 120) -> str:
        """The address of a worker that is running a grading task right now."""
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                for worker, keys in client.processing().items():
                    if any("run_grade_task" in str(k) for k in keys):
                        return worker
                time.sleep(0.2)
        raise AssertionError("no worker ever ran a grading task")

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [*self.workers, self.scheduler]:
            if proc is not None:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.workers = []
        self.scheduler = None

    def _spawn(self, args: list[str], name: str,
               env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        return subprocess.Popen([str(DASK), *args], cwd=REPO, env=env or self.env, stdout=log,
                                stderr=subprocess.STDOUT)

    def _log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()[-2000:]


@pytest.fixture
def cluster(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO),       # workers started as README says
               CH4_REFERENCE_CACHE=str(tmp_path / "refcache"), **worker_environment())
    made = Cluster(tmp_path / "cluster", env)
    made.folder.mkdir()
    made.start_scheduler()
    for name in ("w1", "w2"):
        made.start_worker(name)
    made.wait_for_workers(2)
    yield made
    made.stop()


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    """Six submissions (right, wrong, untouched, one slow) and their process-pool grading."""
    root = tmp_path_factory.mktemp("cluster-class")
    src = source()
    good = make.answer_cells(src)
    slow = {**good, **{gid: "import time\ntime.sleep(6)\n" + code
                       for gid, code in list(good.items())[:1]}}
    wrong = {gid: code.replace("2 *", "3 *") for gid, code in good.items()}
    for i, answers in enumerate([good, slow, wrong, good, {}, slow]):
        write_sub(root / "subs", f"s{i}", make.fill(src, answers))
    (root / "nodata").mkdir()
    pool = grade_class(settings(root / "subs", root / "pool", workers=2))
    assert len(pool.results) == STUDENTS and not pool.skipped
    return root


def command(root: Path, out: Path, scheduler: str) -> list[str]:
    return [sys.executable, "-m", "autograder.cli", "grade", str(root / "subs"), "--solutions",
            str(FIXTURE), "--out", str(out), "--scheduler", scheduler, "--timeout", "20",
            "--notebook-timeout", "60", "--memory", "3072", "--processes", "128",
            "--file-size", "16", "--data", str(root / "nodata"), "--quiet"]


def grades(out: Path) -> bytes:
    return (out / "grades.csv").read_bytes()


def result_files(out: Path) -> list[Path]:
    return sorted((out / "results").rglob("*.json")) if (out / "results").exists() else []


def counts(stdout: str) -> tuple[int, int]:
    match = re.search(rf"{STUDENTS} submissions \((\d+) graded now, (\d+) reused\)", stdout)
    assert match, stdout
    return int(match.group(1)), int(match.group(2))


@needs_bwrap
def test_a_dask_cluster_grades_exactly_like_the_process_pool(small_class, cluster, tmp_path):
    out = tmp_path / "dask"
    outcome = grade_class(settings(small_class / "subs", out, scheduler=cluster.address))
    assert not outcome.skipped
    assert grades(out) == grades(small_class / "pool")
    assert len(result_files(out)) == STUDENTS
    # the client wrote the executed notebooks the workers sent back
    assert len(list((out / "executed").rglob("*.ipynb"))) == STUDENTS
    stored = {p.parent.name: GradeResult.from_json(json.loads(p.read_text()))
              for p in result_files(out)}
    assert all(Path(r.submission).is_relative_to(small_class / "subs") for r in stored.values())


@needs_bwrap
def test_a_worker_killed_mid_task_loses_and_doubles_nothing(small_class, cluster, tmp_path):
    out = tmp_path / "killed-worker"
    pids = cluster.worker_pids()
    grading = subprocess.Popen(command(small_class, out, cluster.address), cwd=REPO,
                               env=cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    victim = cluster.busy_worker()
    os.kill(pids[victim], signal.SIGKILL)
    stdout, stderr = grading.communicate(timeout=300)
    assert grading.returncode == 0, stdout + stderr
    assert counts(stdout) == (STUDENTS, 0)
    assert len(result_files(out)) == STUDENTS
    assert grades(out) == grades(small_class / "pool")


@needs_bwrap
def test_a_lost_scheduler_stops_the_run_and_a_rerun_resumes(small_class, cluster, tmp_path):
    out = tmp_path / "lost-scheduler"
    grading = subprocess.Popen(command(small_class, out, cluster.address), cwd=REPO,
                               env=cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 180
    while len(result_files(out)) < 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    cluster.scheduler.send_signal(signal.SIGKILL)
    stdout, stderr = grading.communicate(timeout=180)
    assert grading.returncode == 2, stdout + stderr
    assert "lost the Dask scheduler" in stderr and "run the same command again" in stderr
    before = len(result_files(out))
    assert 1 <= before < STUDENTS

    cluster.stop()
    cluster.start_scheduler()
    for name in ("w3", "w4"):
        cluster.start_worker(name)
    cluster.wait_for_workers(2)
    done = subprocess.run(command(small_class, out, cluster.address), cwd=REPO,
                          env=cluster.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    graded_now, reused = counts(done.stdout)
    assert reused >= before and graded_now + reused == STUDENTS
    assert grades(out) == grades(small_class / "pool")


@needs_bwrap
def test_a_worker_that_cannot_sandbox_is_refused_before_any_grading(small_class, cluster,
                                                                    tmp_path):
    no_bwrap = dict(cluster.env, PATH=str(tmp_path / "empty-bin"))
    cluster.start_worker("no-bwrap", no_bwrap)
    cluster.wait_for_workers(3)
    out = tmp_path / "refused"
    done = subprocess.run(command(small_class, out, cluster.address), cwd=REPO,
                          env=cluster.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "refusing to grade" in done.stderr and "bubblewrap" in done.stderr
    assert result_files(out) == []


def test_no_scheduler_at_the_address_is_a_clear_error(tmp_path):
    backend = DaskBackend("tcp://127.0.0.1:9", Conditions(LIMITS, (), True), connect_timeout=2)
    with pytest.raises(ClusterError, match="cannot use the Dask scheduler"):
        backend.__enter__()


def test_without_dask_installed_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ClusterError, match=r"ch4-companion\[cluster\]"):
        DaskBackend("local:1", Conditions(LIMITS, (), True)).__enter__()


def test_a_worker_removes_sandbox_folders_a_killed_worker_left_on_its_machine():
    """The client cleans only its own machine; each Dask worker cleans its own temp folder."""
    from autograder.grading.backends import _worker_fitness

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    start = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    child.kill()
    child.wait()
    left = Path(tempfile.gettempdir()) / f"ch4-task-{child.pid}.{start}-left"
    (left / "submitted").mkdir(parents=True)
    assert _worker_fitness(Conditions(LIMITS, (), False)) == ""
    assert not left.exists()


def _settings(client) -> list[dict[str, object]]:
    """The QUIET_WORKER_SETTINGS keys as each worker of ``client`` reads them."""
    import dask

    seen = {key: client.run(dask.config.get, key) for key in QUIET_WORKER_SETTINGS}
    workers = sorted({worker for values in seen.values() for worker in values})
    return [{key: seen[key][worker] for key in seen} for worker in workers]


def test_workers_run_with_dasks_background_loops_slowed_down(cluster):
    """local:N sets them itself; external workers get them from README's environment."""
    import dask
    from distributed import Client

    assert {key: dask.config.get(key) for key in QUIET_WORKER_SETTINGS} != \
        QUIET_WORKER_SETTINGS                                  # Dask's defaults differ
    with DaskBackend("local:1", Conditions(LIMITS, (), False)) as backend:
        local = _settings(backend.client)
    with Client(cluster.address, timeout=30) as client:
        external = _settings(client)
    assert local == [QUIET_WORKER_SETTINGS]
    assert external == [QUIET_WORKER_SETTINGS] * 2


def test_readme_gives_external_workers_exactly_these_settings():
    lines = re.findall(r"^\s*export (DASK_\w+)=(\S+)$", (REPO / "README.md").read_text(),
                       re.MULTILINE)
    assert dict(lines) == worker_environment()
