"""Grading throughput: ``ch4 grade`` with 1 and 2 workers against plain ``nbgrader autograde``.

    python -m benchmarks.grading [--n 40] [--notebook 08_questionnaire] [--skip-nbgrader]
                                 [--dask] [--n01 10] [--baseline FILE]

Generates N submissions of one notebook (a fixed mix: 40 % complete, 30 % partial, 20 % wrong
in ways that still run, 10 % untouched), then times, on the same files:

- ``ch4 grade --workers 1`` and ``--workers 2`` (sandboxed, the way instructors run it: warm
  kernels, started ahead while the previous notebook runs, ``autograder.warm``);
- ``ch4 grade --workers 1 --no-warm``: the cold path (every kernel started when its notebook
  arrives), compared with ``--baseline`` (an earlier results file, e.g. one saved before warm
  kernels) when given;
- ``ch4 grade --workers 1`` on ``--n01`` submissions of notebook 01 (its own target), warm
  and cold;
- ``ch4 grade --workers 1 --no-sandbox`` (same pipeline, no bubblewrap: isolates the sandbox);
- the reference side: the solution run once per grading run to get the probes' expected
  values (included in the ``ch4 grade`` rows; shown apart);
- with ``--dask``: ``--scheduler local:1``, ``local:2`` and an external ``dask scheduler`` with
  two ``dask worker`` processes on 127.0.0.1 (Dask's cost per task against the process pool).
  The Dask runs sit between two process-pool runs with as many workers (``--workers 1`` and
  ``--workers 2`` run twice) and are compared with their mean, so that a machine whose speed
  drifts during the half hour does not decide the difference;
- the item analysis (``autograder/analysis``): the diagnoses made while grading (each
  result's ``analysis_s``, summed over workers) plus items.csv, the report's section and
  ``ch4 insight``'s clusters, against the ``--workers 2`` run's wall time (target < 2 %);
- every submission executed bare with nbclient, one after the other (the floor);
- ``nbgrader generate_assignment`` + ``nbgrader autograde`` on an nbgrader course folder
  (only ``autograde`` is timed).

Prints seconds per submission, the 2-worker speed-up, the ratio to nbgrader and the sandbox
overhead per submission; writes the table to benchmarks/results/grading.json.
Targets (issue 24): ``--workers 1`` <= 2.0 s per submission and >= 2.5x faster than nbgrader
autograde; 2 workers >= 1.8x faster than 1; notebook 01 <= 3 s per submission; the cold path
within 10 % of the baseline; sandbox overhead < 1 s per submission; Dask overhead < 0.3 s per
submission.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from autograder import notebook as nbk
from autograder.execute import run as run_bare
from benchmarks.table import render, save

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "ch4"
MIX = (("complete", 0.4), ("partial", 0.3), ("wrong", 0.2), ("untouched", 0.1))
TARGET_SPEEDUP = 1.8
TARGET_OVERHEAD_S = 1.0
TARGET_DASK_OVERHEAD_S = 0.3
TARGET_ONE_S = 2.0              # --workers 1, seconds per questionnaire submission
TARGET_VS_NBGRADER = 2.5        # nbgrader autograde's time over --workers 1's
TARGET_NB01_S = 3.0             # notebook 01, seconds per submission
TARGET_COLD_DRIFT = 0.10        # the cold path against the baseline
NB01 = "01_pixels_and_similarity"


def _examples_module():
    """examples/make_submissions.py builds answers from the reference solutions."""
    path = REPO / "examples" / "make_submissions.py"
    spec = importlib.util.spec_from_file_location("_make_submissions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kinds(n: int) -> list[str]:
    """The mix of submission kinds for ``n`` students, in a fixed shuffled order."""
    counts = {kind: round(share * n) for kind, share in MIX}
    counts["complete"] += n - sum(counts.values())
    order = [kind for kind, count in counts.items() for _ in range(count)]
    random.Random(0).shuffle(order)
    return order


def make_submissions(source_path: Path, n: int, root: Path) -> list[Path]:
    """Write ``root/submitted/<student>/ch4/<notebook>.ipynb`` for n students."""
    ex = _examples_module()
    source = nbk.read(source_path)
    answers = ex.answer_cells(source)
    ids = list(answers)
    rng = random.Random(1)
    paths = []
    for i, kind in enumerate(kinds(n)):
        if kind == "complete":
            chosen = answers
        elif kind == "partial":
            keep = set(rng.sample(ids, max(1, len(ids) // 2)))
            chosen = {k: v for k, v in answers.items() if k in keep}
        elif kind == "wrong":
            bad = set(rng.sample(ids, max(1, len(ids) // 3)))
            chosen = {k: (ex._wrong(v) if k in bad else v) for k, v in answers.items()}
        else:
            chosen = {}
        path = root / "submitted" / f"student{i:03d}" / ASSIGNMENT / source_path.name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbk.write(ex.fill(source, chosen), path)
        paths.append(path)
    return paths


class RunFailed(RuntimeError):
    """One timed run failed; the others still count."""


def timed_command(cmd: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-2000:]
        raise RunFailed(f"{' '.join(cmd[:4])} ... failed ({done.returncode}):\n{tail}")
    return seconds


def ch4_grade(root: Path, out: Path, notebook: str, workers: int, sandbox: bool,
              env: dict, scheduler: str | None = None, warm: bool = True) -> float:
    cmd = [sys.executable, "-m", "autograder.cli", "grade", str(root), "--out", str(out),
           "--workers", str(workers), "--notebook", notebook, "--quiet"]
    if not sandbox:
        cmd.append("--no-sandbox")
    if not warm:
        cmd.append("--no-warm")
    if scheduler:
        cmd += ["--scheduler", scheduler]
    return timed_command(cmd, REPO, env)


@contextmanager
def external_cluster(folder: Path, workers: int, env: dict):
    """A ``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes on
    127.0.0.1, stopped on exit; yields the scheduler's address."""
    from autograder.grading.backends import worker_environment

    dask = str(Path(sys.executable).parent / "dask")
    env = {**env, **worker_environment()}              # as README tells instructors
    info = folder / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(info)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        address = json.loads(info.read_text())["address"]
        for i in range(workers):
            procs.append(subprocess.Popen(
                [dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                 "--no-dashboard", "--local-directory", str(folder / f"w{i}")], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def reference_seconds(out: Path, notebook: str) -> float:
    """What computing the reference outcomes cost in that run (reference/<notebook>.json)."""
    data = json.loads((out / "reference" / f"{notebook}.json").read_text(encoding="utf-8"))
    return float(data["seconds"])


def bare_nbclient(paths: list[Path], env: dict) -> float:
    """Execute each submission with nbclient directly, no grading pipeline, no sandbox."""
    start = time.perf_counter()
    for path in paths:
        run_bare(nbk.read(path), cwd=path.parent, cell_timeout=120, env=env)
    return time.perf_counter() - start


def nbgrader_autograde(source_path: Path, submitted: Path, work: Path, env: dict) -> float:
    """Plain nbgrader on a course folder with the same source and submissions."""
    source_dir = work / "source" / ASSIGNMENT
    source_dir.mkdir(parents=True)
    shutil.copy(source_path, source_dir / source_path.name)
    shutil.copytree(submitted, work / "submitted")
    (work / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(work)!r}\n"
        "c.CourseDirectory.course_id = 'ch4-benchmark'\n"
        "c.ExecutePreprocessor.timeout = 120\n")
    nbgrader = [sys.executable, "-m", "nbgrader"]
    timed_command([*nbgrader, "generate_assignment", ASSIGNMENT, "--force"], work, env)
    return timed_command([*nbgrader, "autograde", ASSIGNMENT, "--force"], work, env)


def row(name: str, seconds: float, n: int, **extra: str) -> dict:
    return {"run": name, "total s": f"{seconds:.1f}", "s per submission": f"{seconds / n:.2f}",
            **extra}


ONE, ONE_AGAIN = "ch4 grade --workers 1", "ch4 grade --workers 1, again"
TWO, TWO_AGAIN = "ch4 grade --workers 2", "ch4 grade --workers 2, again"
NO_SANDBOX = "ch4 grade --workers 1 --no-sandbox"
COLD = "ch4 grade --workers 1 --no-warm (cold path)"
ONE_NB01 = "ch4 grade --workers 1, notebook 01"
COLD_NB01 = "ch4 grade --workers 1 --no-warm, notebook 01"
REFERENCE = "reference side (once per run, in the row above)"
DASK_LOCAL_1 = "ch4 grade --scheduler local:1"
DASK_LOCAL_2 = "ch4 grade --scheduler local:2"
DASK_EXTERNAL = "ch4 grade --scheduler tcp:// (external, 2 workers)"
DASK_PAIRS = (("local:1 vs --workers 1", DASK_LOCAL_1, (ONE, ONE_AGAIN)),
              ("local:2 vs --workers 2", DASK_LOCAL_2, (TWO, TWO_AGAIN)),
              ("external, 2 workers, vs --workers 2", DASK_EXTERNAL, (TWO, TWO_AGAIN)))


def _mean(timings: dict[str, float], runs: tuple[str, ...]) -> float | None:
    """The mean of those of ``runs`` that were measured (None when none was)."""
    measured = [timings[run] for run in runs if run in timings]
    return sum(measured) / len(measured) if measured else None


def _verdict(name: str, measured: float, goal: float, unit: str, higher: bool = False) -> dict:
    met = measured >= goal if higher else measured < goal
    sign = ">=" if higher else "<"
    gap = f"short by {goal - measured:.2f}{unit}" if higher else f"+{measured - goal:.2f}{unit}"
    return {"target": name, "measured": f"{measured:.2f}{unit}", "goal": f"{sign} {goal}{unit}",
            "met": "yes" if met else f"NO ({gap})"}


TARGET_ANALYSIS_SHARE = 0.02
ANALYSIS = "item analysis (diagnoses while grading + report section, items.csv, insight)"


def analysis_seconds(out: Path) -> float:
    """The item analysis's share of a graded run, in seconds: the diagnoses made while
    grading (``analysis_s`` in each result) plus items.csv, the report section and the
    clusters of ``ch4 insight``, run again here on the results."""
    from autograder.analysis import insight, items, section

    results = insight.load_results(out)
    during = sum(r.timings.get("analysis_s", 0.0) for r in results)
    start = time.perf_counter()
    items.write_items_csv(results, out / "items-again.csv")
    section.html_section(results)
    insight.text(insight.top(results))
    return during + time.perf_counter() - start


def report(timings: dict[str, float], n: int, counts: dict[str, int] | None = None,
           baseline: float | None = None) -> list[dict]:
    """Print the table of runs and the targets; returns the target rows. A run measured twice
    counts with its mean; Dask's overhead is the wall-time difference per submission against
    the process pool with as many workers. ``counts``: submissions of runs that graded another
    number than ``n``; ``baseline``: seconds per submission of the cold path before."""
    counts = counts or {}
    one = _mean(timings, (ONE, ONE_AGAIN))
    two = _mean(timings, (TWO, TWO_AGAIN))
    nbg = timings.get("nbgrader autograde")
    rows = [row(name, seconds, counts.get(name, n),
                **{"vs nbgrader": f"{seconds / nbg:.2f}x" if nbg and name not in counts
                   else "-"})
            for name, seconds in timings.items()]
    print(render(rows, ["run", "total s", "s per submission", "vs nbgrader"]))
    targets = _speed_targets(timings, n, counts, baseline, one, two, nbg)
    if ANALYSIS in timings and TWO in timings:
        targets.append(_verdict("analysis share of grading time (--workers 2)",
                                100 * timings[ANALYSIS] / timings[TWO],
                                100 * TARGET_ANALYSIS_SHARE, " %"))
    for label, dask_run, pool_runs in DASK_PAIRS:
        pool = _mean(timings, pool_runs)
        if dask_run in timings and pool:
            targets.append(_verdict(f"Dask overhead per submission ({label})",
                                    (timings[dask_run] - pool) / n, TARGET_DASK_OVERHEAD_S,
                                    " s"))
    print()
    print(render(targets, ["target", "measured", "goal", "met"]))
    return targets


def _speed_targets(timings: dict[str, float], n: int, counts: dict[str, int],
                   baseline: float | None, one: float | None, two: float | None,
                   nbg: float | None) -> list[dict]:
    """The targets of issue 24 (warm kernels) and the sandbox's overhead."""
    targets = []
    if one:
        targets.append(_verdict("--workers 1, s per submission", one / n, TARGET_ONE_S, " s"))
    if one and nbg:
        targets.append(_verdict("nbgrader autograde / --workers 1", nbg / one,
                                TARGET_VS_NBGRADER, "x", higher=True))
    if one and two:
        targets.append(_verdict("2-worker speed-up", one / two, TARGET_SPEEDUP, "x",
                                higher=True))
    if ONE_NB01 in timings:
        targets.append(_verdict("notebook 01, s per submission",
                                timings[ONE_NB01] / counts.get(ONE_NB01, n), TARGET_NB01_S,
                                " s"))
    if COLD in timings and baseline:
        drift = (timings[COLD] / n - baseline) / baseline
        targets.append(_verdict("cold path against the baseline", drift, TARGET_COLD_DRIFT,
                                ""))
    if NO_SANDBOX in timings and COLD in timings:
        targets.append(_verdict("sandbox overhead per submission (cold)",
                                (timings[COLD] - timings[NO_SANDBOX]) / n, TARGET_OVERHEAD_S,
                                " s"))
    return targets


def baseline_seconds(path: Path | None) -> float | None:
    """Seconds per submission of ``--workers 1`` in an earlier results file (the cold path
    when it predates warm kernels, else its cold row); None without one."""
    if path is None or not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    seconds = data.get("seconds", {})
    value = seconds.get(COLD) or (seconds.get(ONE) if not data.get("warm") else None)
    return value / data["n"] if value else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="number of submissions (default 40)")
    parser.add_argument("--notebook", default="08_questionnaire",
                        help="solutions notebook to grade (default 08_questionnaire)")
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--dask", action="store_true",
                        help="add rows for --scheduler local:1, local:2 and an external "
                             "scheduler with 2 workers")
    parser.add_argument("--n01", type=int, default=10,
                        help="submissions of notebook 01 for its own row (0: none; default 10)")
    parser.add_argument("--baseline", type=Path,
                        help="an earlier results file: the cold path is compared with it")
    parser.add_argument("--out", type=Path, help="JSON file (default results/grading.json)")
    args = parser.parse_args(argv)
    baseline = baseline_seconds(args.baseline)
    source_path = REPO / "solutions" / f"{args.notebook}.ipynb"
    if not source_path.exists():
        parser.error(f"{source_path} does not exist")
    # nbgrader runs the ``alembic`` command: the virtual environment's bin folder goes on PATH
    env = dict(os.environ, PYTHONWARNINGS="ignore",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    n = args.n
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="ch4-bench-") as tmp:
        tmp_path = Path(tmp)
        root = tmp_path / "class"
        paths = make_submissions(source_path, n, root)
        print(f"{n} submissions of {source_path.name}: "
              + ", ".join(f"{k} {kinds(n).count(k)}" for k, _ in MIX), flush=True)
        failed: list[str] = []

        def measure(name: str, run) -> None:
            """Time one run; a failure is printed and leaves its row out, nothing else."""
            try:
                timings[name] = run()
            except (RunFailed, OSError, subprocess.SubprocessError) as exc:
                failed.append(name)
                print(f"{name}: FAILED, left out of the table\n{exc}", flush=True)
                return
            print(f"{name}: {timings[name]:.1f} s", flush=True)

        def grade(name: str, workers: int, sandbox: bool = True,
                  scheduler: str | None = None, warm: bool = True,
                  class_root: Path = root, notebook: str = args.notebook) -> None:
            """``workers``: pool processes, or the external cluster's workers (a Dask run's
            ``--workers`` stays 1: the scheduler decides)."""
            out = tmp_path / f"out-{len(timings)}-{len(failed)}"

            def run() -> float:
                if scheduler and not scheduler.startswith("local:"):
                    folder = tmp_path / f"cluster-{len(timings)}"
                    folder.mkdir()
                    with external_cluster(folder, workers, env) as address:
                        return ch4_grade(root, out, args.notebook, 1, sandbox, env, address)
                return ch4_grade(class_root, out, notebook, 1 if scheduler else workers,
                                 sandbox, env, scheduler, warm)

            measure(name, run)
            if name == ONE and name in timings:
                timings[REFERENCE] = reference_seconds(out, args.notebook)
            if name == TWO and name in timings:
                timings[ANALYSIS] = analysis_seconds(out)

        # Each Dask run sits between two process-pool runs with as many workers, and is
        # compared with their mean: the machine's speed drifts over a run of half an hour.
        grade(ONE, 1)
        if args.dask:
            grade(DASK_LOCAL_1, 1, scheduler="local:1")
            grade(ONE_AGAIN, 1)
        grade(TWO, 2)
        if args.dask:
            grade(DASK_LOCAL_2, 2, scheduler="local:2")
            grade(DASK_EXTERNAL, 2, scheduler="tcp://")
            grade(TWO_AGAIN, 2)
        grade(COLD, 1, warm=False)
        grade(NO_SANDBOX, 1, sandbox=False)
        counts = {}
        if args.n01:
            nb01_root = tmp_path / "class01"
            make_submissions(REPO / "solutions" / f"{NB01}.ipynb", args.n01, nb01_root)
            counts[ONE_NB01] = counts[COLD_NB01] = args.n01
            grade(ONE_NB01, 1, class_root=nb01_root, notebook=NB01)
            grade(COLD_NB01, 1, warm=False, class_root=nb01_root, notebook=NB01)
        measure("nbclient, bare, serial", lambda: bare_nbclient(paths, env))
        if not args.skip_nbgrader:
            measure("nbgrader autograde", lambda: nbgrader_autograde(
                source_path, root / "submitted", tmp_path / "nbgrader", env))

    target_rows = report(timings, n, counts, baseline)
    payload = {"n": n, "notebook": args.notebook, "mix": dict(MIX), "cpus": os.cpu_count(),
               "warm": True, "counts": counts, "baseline_s": baseline,
               "seconds": timings, "targets": target_rows}
    print(f"\nwritten to {save('grading', payload, args.out)}")
    if failed:
        print(f"{len(failed)} run(s) failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
