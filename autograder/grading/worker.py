"""Grade ONE submission: assemble, run in the sandbox, score, write the result atomically.

A result is a JSON file ``OUT/results/<student>/<notebook>.json`` written through a temporary
file and a rename, so it is either complete or absent. Its ``fingerprint`` (hashes of the
submission, the source and the grading settings) lets a rerun skip finished work.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder import notebook as nbk
from autograder.execute import run
from autograder.grading import assemble as asm
from autograder.grading.sandbox import Limits, SandboxedKernelManager, SandboxSpec, Slot
from autograder.scoring import NOT_ATTEMPTED

RESULT_VERSION = 2
# a guard cell that stops for these reasons was hit by a limit, not by tampering
_NOT_TAMPERING = ("KernelDied", "TimeoutError", "KeyboardInterrupt")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"(?:Cell In\s*\[\d*\]|Input In \[\d*\]|<ipython-input-[^>]*>)"
                        r",?\s*(?:line|in <cell line: )\s*(\d+)")


@dataclass(frozen=True)
class Job:
    """Everything a worker needs; plain data so it pickles to another process."""

    student: str
    assignment: str
    notebook: str
    submission: str
    source: str
    out: str
    limits: Limits
    data_dirs: tuple[str, ...] = ()
    sandbox: bool = True
    max_output_chars: int = 100_000

    def result_path(self) -> Path:
        return Path(self.out) / "results" / self.student / f"{self.notebook}.json"

    def executed_path(self) -> Path:
        return Path(self.out) / "executed" / self.student / f"{self.notebook}.ipynb"


def file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def fingerprint(job: Job) -> str:
    settings = json.dumps({"v": RESULT_VERSION, "limits": asdict(job.limits),
                           "sandbox": job.sandbox}, sort_keys=True)
    parts = [file_hash(Path(job.submission)), file_hash(Path(job.source)), settings]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def finished(job: Job) -> dict | None:
    """The stored result when it is complete and for the same inputs, else None."""
    try:
        data = json.loads(job.result_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("fingerprint") == fingerprint(job) else None


def write_json_atomic(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _first_cell_line(cell) -> int | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            text = _ANSI.sub("", "\n".join(out.get("traceback", [])))
            match = _CELL_LINE.search(text)
            return int(match.group(1)) if match else None
    return None


def _error_name(error: str) -> str:
    return error.split(":", 1)[0].strip() or "Error"


def _message(error: str | None, ran: bool, fatal: str | None, cell, hidden: set[int],
             limits: Limits, killed: str | None, seconds: float) -> str:
    """A plain-words reason that never quotes a hidden test."""
    if not ran:
        why = killed or fatal or "an earlier problem"
        return f"not run: {why}"
    if error is None:
        return ""
    name = _error_name(error)
    if name == "KernelDied":
        return "the kernel stopped here (" + (killed or "exit, crash or memory limit") + ")"
    if name == "KeyboardInterrupt" and seconds >= limits.cell_timeout - 1:
        return f"timed out: the cell ran longer than {limits.cell_timeout:g}s"
    if name == "NotImplementedError":
        return NOT_ATTEMPTED
    line = _first_cell_line(cell)
    if hidden and (line is None or line in hidden):   # unknown line: assume hidden
        return f"did not pass a hidden test ({name})"
    if name == "CheckFailed":
        return error.split(": ", 1)[1] if ": " in error else "a check failed"
    if name == "MemoryError":
        return f"ran out of memory (limit {limits.memory_mb} MB)"
    return error[:300]


def grade(job: Job) -> dict:
    """Grade one submission and return the result (also written to disk)."""
    started = time.monotonic()
    base = {"student": job.student, "assignment": job.assignment, "notebook": job.notebook,
            "submission": job.submission, "fingerprint": fingerprint(job),
            "version": RESULT_VERSION}
    source = nbk.read(job.source)
    items_meta = nbk.graded_items(source)
    try:
        submitted = nbk.read(job.submission)
        built = asm.assemble(source, submitted)
    except nbk.NotebookError as exc:
        built = asm.Assembled(None, invalid=str(exc).replace(str(Path(job.submission).parent),
                                                             "").lstrip("/"))
    result = {**base, "problems": built.problems, "flags": built.flags, "invalid": built.invalid,
              "fatal": None, "killed": None, "timings": {}}
    if built.nb is None:
        result["items"] = [{"grade_id": it.grade_id, "score": 0.0, "max_score": it.points,
                            "passed": False, "manual": it.manual, "needs_review": False,
                            "message": f"not graded: {built.invalid}"} for it in items_meta]
        result["answers"] = {}
        return _finish(job, result, started)

    nb = built.nb
    root = Path(tempfile.mkdtemp(prefix="ch4-grade-"))
    slot = Slot() if (job.sandbox and os.geteuid() == 0) else None
    try:
        spec = SandboxSpec(root, job.limits, [Path(d) for d in job.data_dirs],
                           uid=slot.uid if slot else None)
        spec.prepare()
        km = SandboxedKernelManager(spec) if job.sandbox else None
        cwd = spec.work
        env = {"PATH": "/usr/bin:/bin"} if job.sandbox else dict(
            os.environ, PYTHONWARNINGS="ignore", TQDM_DISABLE="1", CH4_OFFLINE="1",
            HOME=str(cwd), MPLCONFIGDIR=str(cwd / ".matplotlib"))
        outcome = run(nb, cwd=cwd, cell_timeout=job.limits.cell_timeout,
                      total_timeout=job.limits.notebook_timeout, env=env, kernel_manager=km,
                      max_output_chars=job.max_output_chars, startup_timeout=120)
        killed = None
        if km is not None:
            km.stop_watchdog()
            killed = km.killed_reason
    finally:
        if slot is not None:
            slot.release()
        shutil.rmtree(root, ignore_errors=True)

    result["fatal"] = outcome.fatal
    result["killed"] = killed
    result["timings"] = {"kernel_start_s": round(outcome.kernel_start_s, 2),
                         "run_s": round(outcome.total_s, 2)}
    guard_failures = [i for i, c in enumerate(nb.cells)
                      if asm.is_guard(c) and outcome.cells[i].ran and outcome.cells[i].error
                      and _error_name(outcome.cells[i].error) not in _NOT_TAMPERING]
    if guard_failures:
        result["flags"].setdefault("grader", []).append(
            "the grader's guard failed before a test (checks were tampered with)")
    before = asm.answer_before(nb)
    flagged = set(built.flags)
    items, answers = [], {}
    by_id_index = {nbk.grade_id(c): i for i, c in enumerate(nb.cells) if nbk.grade_id(c)}
    for index, cell in enumerate(nb.cells):
        gid = nbk.grade_id(cell)
        if not gid:
            continue
        points = float(nbk.meta(cell).get("points", 0))
        if nbk.is_solution(cell):
            answers[gid] = cell.source
        if nbk.is_manual(cell):
            # a mark-scheme task (qNN_scheme) of a blank free-text answer has nothing to mark
            blank = gid in built.blank_answers or (
                gid.endswith("_scheme") and f"{gid[:-len('_scheme')]}_free" in built.blank_answers)
            items.append({"grade_id": gid, "score": 0.0, "max_score": points, "passed": False,
                          "manual": True, "needs_review": not blank,
                          "message": "left blank" if blank else "marked by hand"})
            continue
        if not nbk.is_autograded_test(cell):
            continue
        res = outcome.cells[index]
        ok = res.ran and res.error is None
        message = _message(res.error, res.ran, outcome.fatal, cell, asm.hidden_lines(cell.source),
                           job.limits, killed, res.seconds)
        own = by_id_index.get(f"{gid}_answer")
        if not ok and own is not None and outcome.cells[own].error and res.ran:
            why = _message(outcome.cells[own].error, True, None, nb.cells[own], set(),
                           job.limits, killed, outcome.cells[own].seconds)
            message += f" (your answer cell {gid}_answer failed: {why})"
        held = sorted(flagged.intersection(before.get(gid, [])))
        if guard_failures and any(g < index for g in guard_failures):
            held.append("grader")
        needs_review = False
        if held and ok:
            ok, needs_review = False, True
            message = ("held for review (0 until an instructor checks it): answer cell(s) "
                       + ", ".join(held) + " try to reach the grader")
        items.append({"grade_id": gid, "score": points if ok else 0.0, "max_score": points,
                      "passed": ok, "manual": False, "needs_review": needs_review,
                      "message": message})
    result["items"] = items
    result["answers"] = answers
    result["outputs"] = _answer_outputs(nb)
    job.executed_path().parent.mkdir(parents=True, exist_ok=True)
    nbk.write(nb, job.executed_path())
    return _finish(job, result, started)


def _answer_outputs(nb) -> dict[str, str]:
    """Text the student's own answer cells printed (for the feedback), capped."""
    out = {}
    for cell in nb.cells:
        gid = nbk.grade_id(cell)
        if not gid or not nbk.is_solution(cell) or cell.cell_type != "code":
            continue
        parts = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                parts.append(o.get("text", ""))
            elif o.get("output_type") == "error":
                parts.append(f"{o.get('ename')}: {o.get('evalue')}")
            elif "text/plain" in o.get("data", {}):
                parts.append(str(o["data"]["text/plain"]))
        out[gid] = "".join(parts)[:5000]
    return out


def _finish(job: Job, result: dict, started: float) -> dict:
    auto = [i for i in result["items"] if not i["manual"]]
    result["score"] = sum(i["score"] for i in auto)
    result["max_score"] = sum(i["max_score"] for i in auto)
    result["manual_max"] = sum(i["max_score"] for i in result["items"] if i["manual"])
    result["timings"]["total_s"] = round(time.monotonic() - started, 2)
    write_json_atomic(job.result_path(), result)
    return result
