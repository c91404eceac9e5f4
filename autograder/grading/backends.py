"""Where grading tasks run: a local process pool (default) or a Dask distributed cluster.

Both give the run loop a ``concurrent.futures`` executor, so the loop is the same code. The
process pool is reopened when a worker process dies (``BrokenProcessPool``); Dask reruns work
lost with a worker on another worker by itself. ``--scheduler tcp://HOST:8786`` connects to a
running scheduler; ``--scheduler local:N`` starts a LocalCluster of N worker processes here.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from autograder.grading.sandbox import die_with_parent, remove_orphaned_folders
from autograder.grading.tasks import Conditions, WorkerUnfit

TASK_RETRIES = 2            # Dask: reruns of a task whose worker failed it (not the student)
WORKER_WAIT_S = 60          # Dask: how long to wait for the first worker to join

# Dask's background loops, set for tasks that take seconds to minutes. The defaults (a 20 ms
# tick, a 10 ms stack profiler, 100-500 ms resource monitors) suit sub-second tasks; on an idle
# one-worker LocalCluster they cost 0.081 of a core, which competes with the student's kernel.
# With these: 0.012. Used for ``local:N``; README gives them to external workers (see
# ``worker_environment``).
QUIET_WORKER_SETTINGS: dict[str, str | bool] = {
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "2s",
    "distributed.worker.profile.enabled": False,
}


def worker_environment() -> dict[str, str]:
    """QUIET_WORKER_SETTINGS as the environment variables Dask reads at start-up, for a
    ``dask scheduler`` or ``dask worker`` started outside ``ch4 grade``."""
    return {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
            for key, value in QUIET_WORKER_SETTINGS.items()}


class ClusterError(RuntimeError):
    """The cluster cannot be used (no driver, no scheduler, unfit workers, scheduler lost)."""


@dataclass
class ProcessBackend:
    """Worker processes on this machine (spawned: no state shared with the client)."""

    workers: int = 1

    def __enter__(self) -> ProcessBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    @contextmanager
    def executor(self) -> Iterator[Executor]:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=max(1, self.workers), mp_context=ctx,
                                 initializer=die_with_parent) as pool:
            yield pool

    def check_alive(self, exc: BaseException | None = None) -> None:
        """Nothing to lose: a failed task is that task's problem."""

    def describe(self) -> str:
        return f"{max(1, self.workers)} local worker process(es)"


def _worker_fitness(conditions: Conditions) -> str:
    """Run on each Dask worker before any task: '' when it can grade, else why not. It also
    removes sandbox folders that a killed worker left in this machine's temporary folder (the
    client only cleans its own machine)."""
    from autograder.grading.tasks import prepare_worker

    remove_orphaned_folders()
    try:
        prepare_worker(conditions)
    except WorkerUnfit as exc:
        return str(exc)
    return ""


class DaskBackend:
    """A Dask client connected to ``address`` (``tcp://...``) or to a LocalCluster
    (``local:N``); every worker is checked for a working sandbox before any task is sent."""

    def __init__(self, address: str, conditions: Conditions, connect_timeout: float = 30) -> None:
        self.address = address
        self.connect_timeout = connect_timeout
        self.conditions = conditions
        self.client = None
        self.cluster = None

    def __enter__(self) -> DaskBackend:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ClusterError("grading on a cluster needs Dask: pip install "
                               "'ch4-companion[cluster]' (dask[distributed])") from exc
        try:
            if self.address.startswith("local:"):
                count = int(self.address.split(":", 1)[1] or "1")
                with dask.config.set(QUIET_WORKER_SETTINGS):   # the nannies pass it on
                    self.cluster = LocalCluster(n_workers=max(1, count), threads_per_worker=1,
                                                processes=True, host="127.0.0.1",
                                                dashboard_address=_dashboard_address())
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address, timeout=self.connect_timeout)
            self.client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            self.__exit__()
            raise ClusterError(f"cannot use the Dask scheduler at {self.address}: {exc}") from exc
        unfit = {worker: why for worker, why in self.client.run(
            _worker_fitness, self.conditions).items() if why}
        if unfit:
            self.__exit__()
            raise ClusterError("refusing to grade: " + "; ".join(
                f"worker {worker}: {why}" for worker, why in sorted(unfit.items())))
        return self

    def __exit__(self, *exc: object) -> None:
        for thing in (self.client, self.cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 - closing a lost connection may fail too
                    pass
        self.client = self.cluster = None

    @contextmanager
    def executor(self) -> Iterator[Executor]:
        yield self.client.get_executor(pure=False, retries=TASK_RETRIES)

    def check_alive(self, exc: BaseException | None = None) -> None:
        """Raise ClusterError when the scheduler is gone, judged from the client's state and
        from ``exc``, the failure of a task if any (a lost connection cancels every future of
        this client, so nothing in flight can still land)."""
        from concurrent.futures import CancelledError

        from distributed.comm import CommClosedError

        lost = isinstance(exc, (CancelledError, CommClosedError, ConnectionError))
        if lost or self.client is None or self.client.status != "running":
            why = type(exc).__name__ if exc is not None else "connection closed"
            raise ClusterError(f"lost the Dask scheduler at {self.address} ({why})"
                               "; what finished is saved: run the same command again to "
                               "resume") from exc

    def describe(self) -> str:
        workers = len(self.client.scheduler_info().get("workers", {}))
        text = f"Dask cluster {self.address} ({workers} worker(s))"
        link = self.dashboard()
        return text + (f", dashboard: {link}" if link else "")

    def dashboard(self) -> str | None:
        try:
            import bokeh  # noqa: F401 - the dashboard exists only where bokeh is installed
        except ImportError:
            return None
        return self.client.dashboard_link


def _dashboard_address() -> str | None:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return None
    return "127.0.0.1:0"


def backend_for(scheduler: str | None, workers: int, conditions: Conditions):
    """The backend a run asked for: Dask when ``scheduler`` is given, else the process pool."""
    return DaskBackend(scheduler, conditions) if scheduler else ProcessBackend(workers)
