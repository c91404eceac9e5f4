"""The adversarial corpus (tests/corpus/adversarial/attacks.py) graded by the real ``ch4 grade``.

Every attack is a submission with WRONG answers plus a cheat. All selected attacks of one
notebook are graded in ONE batch (the ``ch4 grade`` command, two workers, sandboxed), and:

1. no undeserved points: every item an attack lists scores 0, flagged for review or not;
2. no hidden text in any feedback page: no solution line, no hidden probe code, no hidden input
   value or hidden reference output (as the digits a cheat would echo them with), none of the
   probe cells' payload (``_ch4_runner``, ``run_item``);
3. the batch finishes (within a deadline) and every submitted file has a row in grades.csv;
4. what the grader keeps stays small and clean: the executed notebook (OUT/executed) and the
   marker's copy (OUT/course/autograded) are a few MB at most and hold no hidden text in any
   output; a hidden probe's message carries no number derived from the expected value (no
   largest difference, expected shape or length); no stage written while probing counts; and
   no grader process grows by more than 1 GB over its baseline while grading.

One attack per family runs by default; ``pytest -m corpus`` runs them all.
"""

from __future__ import annotations

import csv
import html
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from corpus.adversarial.attacks import (
    ATTACKS,
    FAMILIES,
    NB01,
    NB02,
    NB05,
    TINY,
    Attack,
    by_name,
)
from harness import sandbox_ok

from autograder import notebook as nbk
from autograder.grading.feedback import secret_lines
from autograder.grading.secret import key_path
from autograder.items import probing, wire
from autograder.items.selfcheck import outcome_of

REPO = Path(__file__).resolve().parent.parent
SOURCES = {TINY: REPO / "tests" / "fixtures" / "grading" / "solutions",
           NB01: REPO / "solutions", NB02: REPO / "solutions", NB05: REPO / "solutions"}
# (cell timeout, notebook timeout, deadline for the whole batch) per notebook
TIMES = {TINY: (20, 60, 1500), NB01: (60, 300, 1500), NB02: (60, 300, 1500),
         NB05: (120, 900, 2400)}
MAX_KEPT_BYTES = 3 * 1024 * 1024        # an executed notebook or a marker's copy
# The largest resident size a grader process (CLI or worker) may reach. A worker with torch
# and the grader imported sits near 600 MB and, over a batch of 60+ attacks, drifts up by a
# few hundred MB (allocator fragmentation; 0.25 MB per honest submission was measured). The
# attack this guards against (one 63 MB record file read whole) took a worker to 2.1 GB.
MAX_RESIDENT_BYTES = 1536 * 1024 ** 2
REQUIRED_FAMILIES = {
    "encoded_exec", "ipython_hooks", "daemon_thread", "grader_modules", "tensor_subclass",
    "lookalike", "frame_walk", "shadowed_builtins", "forged_records", "reach_reference",
    "input_history", "exception_echo", "fake_output", "patch_libraries", "kill_during_probes",
    "huge_outputs", "delete_functions", "interpreter_internals", "touch_grader",
    # the trust rule (DESIGN.md): the kernel's records are the student's word
    "library_patches", "runner_wrapping", "record_threads", "audit_hooks", "planted_records",
    "self_reported", "difference_oracle", "stage_channel", "display_channel", "redefine_tricks",
    "floods"}
# phrases only a non-hidden message may use: each gives away a number of the expected value
ORACLE_PHRASES = ("largest difference", "elements, expected", "expected (", "has shape",
                  "is outside the expected range")
PAYLOAD_MARKERS = ("_ch4_runner", "run_item", "autograder.items.runner", ".ch4-probes",
                   "BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "MARK SCHEME")

_spec = importlib.util.spec_from_file_location("make_submissions",
                                               REPO / "examples" / "make_submissions.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)


def _param(attack: Attack):
    marks = [] if attack.default else [pytest.mark.corpus]
    return pytest.param(attack.name, id=attack.name, marks=marks)


# ------------------------------------------------------------------ the corpus itself


def test_corpus_covers_every_family_with_wrong_answers():
    names = [a.name for a in ATTACKS]
    assert len(names) == len(set(names))
    assert len(ATTACKS) >= 137
    assert sum(a.notebook == NB01 for a in ATTACKS) >= 10
    assert REQUIRED_FAMILIES <= set(FAMILIES)
    defaults = Counter(a.family for a in ATTACKS if a.default)
    assert set(defaults) == set(FAMILIES), set(FAMILIES) - set(defaults)
    for attack in ATTACKS:
        assert attack.zero, attack.name
        source = nbk.read(SOURCES[attack.notebook] / f"{attack.notebook}.ipynb")
        ids = {nbk.grade_id(c) for c in source.cells if nbk.is_solution(c)}
        assert set(attack.answers) <= ids, attack.name


# ------------------------------------------------------------------ the fixes it led to (no kernel)


def test_forged_records_fail_the_probe_instead_of_crashing_the_grader():
    from autograder.items.compare import Outcome, judge
    from autograder.items.spec import close

    want = Outcome(value=wire.from_plain(wire.to_plain(np.ones(2, dtype=np.float32))))
    for record in ({"value": 10 ** 30}, {"value": [10 ** 30]},
                   {"value": {"t": "array", "dtype": "float32", "shape": [2], "b64": "!!!!"}},
                   {"value": {"t": "dict", "v": [[{"t": "list", "v": []}, 1]]}}):
        verdict = judge(close(), outcome_of(record), want, "f")
        assert not verdict.passed, record


def test_hidden_messages_show_no_name_shape_or_number_the_student_chose():
    from autograder.items.compare import Outcome, judge
    from autograder.items.spec import between, close

    want = Outcome(value=wire.from_plain(wire.to_plain(np.ones(5, dtype=np.float32))))
    shaped = {"t": "array", "dtype": "float32", "shape": [441712, 0], "b64": ""}
    cases = [Outcome(raised="V441712_23317"), outcome_of({"value": shaped}),
             outcome_of({"value": {"t": "opaque", "type": "torch.V441712"}}),
             outcome_of({"value": {"t": "list", "v": [None] * 44171}})]
    for got in cases:
        message = judge(close(), got, want, "f", hidden=True).message
        assert "4417" not in message and "V44" not in message, message
    assert "44.17" not in judge(between(0, 1), Outcome(value=44.17), None, "f",
                                hidden=True).message
    assert judge(close(), Outcome(raised="ValueError"), want, "f").message == \
        "f: raised ValueError"


def test_record_files_are_read_only_when_plain_files(tmp_path):
    from autograder.execute import CellResult

    def taken(work: Path, gid: str, make) -> list:
        cell = probing.probe_cell(gid, [probing.Planned(probing.Probe("p", "1"), False)])
        channel = probing.RecordChannel(work)
        channel.before(0, cell)
        (work / probing.PROBE_DIR).mkdir(exist_ok=True)
        make(work / probing.record_name(gid), cell.metadata["ch4_nonce"])
        channel.after(0, cell, CellResult(0, ran=True))
        return channel.item_records(gid, 1)

    def plain(path, nonce):
        path.write_text(json.dumps({"nonce": nonce, "records": [{"value": 1}]}))

    def linked(path, nonce):
        elsewhere = tmp_path / "elsewhere.json"
        elsewhere.write_text(json.dumps({"nonce": nonce, "records": [{"value": 2}]}))
        path.symlink_to(elsewhere)

    assert taken(tmp_path, "a", plain) == [{"value": 1}]
    assert taken(tmp_path, "b", lambda path, nonce: os.mkfifo(path)) == []   # never blocks
    assert taken(tmp_path, "c", linked) == []
    assert taken(tmp_path, "d", lambda path, nonce: path.mkdir()) == []
    assert taken(tmp_path, "e", lambda path, nonce: path.write_text(
        json.dumps({"nonce": "guessed", "records": [{"value": 1}]}))) == []
    linked_work = tmp_path / "linked"
    linked_work.mkdir()
    real = tmp_path / "real-folder"
    real.mkdir()

    def folder_link(path, nonce):       # the record folder itself replaced by a symlink
        os.rmdir(path.parent)
        path.parent.symlink_to(real)
        plain(real / path.name, nonce)

    assert taken(linked_work, "f", folder_link) == []


# ------------------------------------------------------------------ grading one batch


def _selected(request, notebook: str) -> list[str]:
    names = []
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        name = params.get("attack")
        if name and by_name(name).notebook == notebook and name not in names:
            names.append(name)
    return names


def _write(root: Path, attack: Attack) -> None:
    source = nbk.read(SOURCES[attack.notebook] / f"{attack.notebook}.ipynb")
    nb = make.fill(source, attack.answers)
    path = root / "submitted" / attack.name / "ch4" / f"{attack.notebook}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbk.write(nb, path)


def _grade(notebook: str, names: list[str], tmp: Path, data: list[Path]) -> dict:
    root, out = tmp / "subs", tmp / "out"
    for name in names:
        _write(root, by_name(name))
    cell, total, deadline = TIMES[notebook]
    cmd = [sys.executable, "-m", "autograder.cli", "grade", str(root), "--solutions",
           str(SOURCES[notebook]), "--out", str(out), "--workers", "2", "--notebook", notebook,
           "--timeout", str(cell), "--notebook-timeout", str(total), "--memory", "3072",
           "--processes", "128", "--file-size", "16", "--quiet"]
    for folder in data or [tmp / "nodata"]:
        cmd += ["--data", str(folder)]
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    memory: dict[int, list] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_memory, args=(proc.pid, memory, stop), daemon=True)
    watcher.start()
    try:
        log, _ = proc.communicate(timeout=deadline)
        finished = True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        log, _ = proc.communicate()
        finished = False
    finally:
        stop.set()
        watcher.join(5)
    results = {}
    for name in names:
        path = out / "results" / name / f"{notebook}.json"
        if path.exists():
            results[name] = json.loads(path.read_text())
    rows = list(csv.DictReader(open(out / "grades.csv"))) if (out / "grades.csv").exists() \
        else []
    return {"names": names, "out": out, "results": results, "rows": rows, "log": log,
            "finished": finished, "returncode": proc.returncode, "memory": memory}


def _watch_memory(group: int, memory: dict[int, list], stop: threading.Event) -> None:
    """Sample the resident size of the grader's own processes (the process group of
    ``ch4 grade``: the CLI and its workers; kernels run in their own sandboxed session):
    pid -> [command, first size, largest size] in bytes."""
    page = os.sysconf("SC_PAGE_SIZE")
    while not stop.wait(0.25):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                fields = stat.rsplit(")", 1)[1].split()
                if int(fields[2]) != group:        # pgrp
                    continue
                command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
                if b"ipykernel" in command or b"bwrap" in command:
                    continue
                rss = int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * page
            except (OSError, ValueError, IndexError):
                continue
            seen = memory.setdefault(int(entry), [command.decode(errors="replace")[:120], rss,
                                                  rss])
            seen[2] = max(seen[2], rss)


_BATCHES: dict[str, dict] = {}


@pytest.fixture(scope="module")
def batch(request, tmp_path_factory, shared_references):
    if not sandbox_ok():
        pytest.skip("bubblewrap cannot run here, and the corpus is only meaningful sandboxed")

    def get(notebook: str) -> dict:
        if notebook not in _BATCHES:
            names = _selected(request, notebook)
            data = []
            if notebook != TINY:
                data = [request.getfixturevalue("mnist_dir")]
            os.environ.setdefault("CH4_QUICK", "1")
            with shared_references():     # the solutions' references: once per session
                _BATCHES[notebook] = _grade(notebook, names,
                                            tmp_path_factory.mktemp(f"adv-{notebook}"), data)
        return _BATCHES[notebook]
    return get


# ------------------------------------------------------------------ what must never leak


def _floats(value) -> list[float]:
    if isinstance(value, wire.Array):
        if value.values.dtype.kind == "f":
            return [float(v) for v in value.values.reshape(-1)]
        return []
    if isinstance(value, float):
        return [value]
    if isinstance(value, list | tuple):
        return [f for v in value for f in _floats(v)]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    return []


def _fingerprints(v: float) -> set[str]:
    """How a hidden number could show up: as a cheat echoes it (the integer part of
    |v| * 1e6, the attacks' encoding) or printed with four or more decimals."""
    if not np.isfinite(v) or abs(v) < 0.1:
        return set()
    out = {f"{v:.4f}", str(int(abs(v) * 1e6)), repr(v)}
    if v == np.float32(v):
        out.add(repr(float(np.float32(v))))
    return out


def _file_names(value) -> set[str]:
    if isinstance(value, dict):
        return {n for names in value.values() if isinstance(names, list) for n in names
                if isinstance(n, str)}
    return set()


def hidden_texts(notebook: str, out: Path, first: int | None = None) -> set[str]:
    """Strings that only the hidden part of the grading knows: hidden probe code, hidden input
    values, the reference's hidden outputs (as a cheat would echo them). ``first``: only the
    first values of each input and output (what the attacks echo), for texts such as a
    notebook's own outputs, whose numbers would meet some of the tens of thousands of hidden
    input values by chance."""
    source_path = SOURCES[notebook] / f"{notebook}.ipynb"
    source = nbk.read(source_path)
    spec = probing.spec_of(source)
    planned = probing.plan(spec, _key(out))
    public_codes, public_numbers, public_names = set(), set(), set()
    for item in spec.items:
        for probe in item.public:
            public_codes.add(probe.code)
            for value in probe.inputs.values():
                plain = wire.from_plain(wire.to_plain(value))
                for f in _floats(plain):
                    public_numbers |= _fingerprints(f)
                public_names |= _file_names(plain)
    texts: set[str] = set()
    reference = json.loads(next((out / "reference").glob("*.json")).read_text())
    for gid, probes in planned.items():
        records = reference["records"].get(gid, [])
        for index, p in enumerate(probes):
            if not p.hidden:
                continue
            # hidden probe code, unless the spec chose to show it in the probe's label
            if p.probe.code not in public_codes and len(p.probe.code) >= 8 \
                    and p.probe.code not in p.probe.label:
                texts.add(p.probe.code)
            for value in p.probe.inputs.values():
                plain = wire.from_plain(wire.to_plain(value))
                for f in _floats(plain)[:first]:
                    texts |= _fingerprints(f)
                for n in _file_names(plain) - public_names:
                    if re.fullmatch(r"\d{2,}\.png", n):
                        texts |= {n, n.replace(".", "_")}
            if index < len(records):
                got = outcome_of(records[index])
                for f in _floats(got.value)[:first]:
                    texts |= _fingerprints(f)
    return {t for t in texts - public_numbers if len(t) >= 5}


def _key(out: Path) -> str:
    """The grading key the batch used (``ch4 grade`` keeps it in its output folder)."""
    return key_path(out).read_text(encoding="ascii").strip()


def hidden_expected(notebook: str, out: Path) -> list[float]:
    """The reference's numbers on hidden probes (what a difference oracle would reveal)."""
    source = nbk.read(SOURCES[notebook] / f"{notebook}.ipynb")
    planned = probing.plan(probing.spec_of(source), _key(out))
    reference = json.loads(next((out / "reference").glob("*.json")).read_text())
    found = []
    for gid, probes in planned.items():
        records = reference["records"].get(gid, [])
        for index, p in enumerate(probes):
            if p.hidden and index < len(records):
                found += _floats(outcome_of(records[index]).value)
    return found


def _oracle_texts(values: list[float]) -> set[str]:
    """A hidden expected number as a message would print it (3 or 4 significant digits)."""
    texts = set()
    for v in values:
        if np.isfinite(v) and abs(v) >= 0.01:
            for form in (f"{v:.3g}", f"{v:.4g}", f"{abs(v):.3g}"):
                if "." in form and len(form) >= 4:
                    texts.add(form)
    return texts


def _outputs_text(path: Path) -> str:
    """Everything a kept notebook shows that the student did not type: every output, and the
    source of every cell that is not the student's answer."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        if not nbk.is_solution(cell):
            parts.append("".join(cell.get("source", "")))
        parts.append(json.dumps(cell.get("outputs", [])))
    return "\n".join(parts)


def _without_answers(page: str) -> str:
    """The page without what the student wrote themselves: their answer cells and the review
    notes that quote them (both may contain anything, e.g. the attack's own code)."""
    page = re.sub(r"<h3>Your answer <code>[^<]*</code></h3><pre>.*?</pre>", "", page,
                  flags=re.S)
    return re.sub(r"<h2 class='review'>.*?</ul>", "", page, flags=re.S)


_HIDDEN: dict[str, set[str]] = {}


def leaks(notebook: str, got: dict, name: str) -> list[str]:
    out = got["out"]
    if notebook not in _HIDDEN:
        _HIDDEN[notebook] = hidden_texts(notebook, out)
    page_path = out / "feedback" / name / f"{notebook}.html"
    page = page_path.read_text(encoding="utf-8")
    rest = _without_answers(page)
    source = nbk.read(SOURCES[notebook] / f"{notebook}.ipynb")
    found = []
    for line in secret_lines(source):
        if line in rest or html.escape(line) in rest:
            found.append(f"solution/hidden line {line!r}")
    own_code = "\n".join(by_name(name).answers.values())
    for marker in PAYLOAD_MARKERS:
        # a name the student's own code spells out (e.g. the record folder it attacks) may
        # come back in its own error output: that echoes nothing the student did not have
        if marker in rest and marker not in own_code:
            found.append(f"probe payload {marker!r}")
    for text in _HIDDEN[notebook]:
        if text in rest or html.escape(text) in rest:
            found.append(f"hidden text {text!r}")
    return found


# ------------------------------------------------------------------ the verdicts


def _check(batch_get, name: str) -> None:
    attack = by_name(name)
    got = batch_get(attack.notebook)
    assert name in got["results"], (f"{name}: no result (batch finished={got['finished']})\n"
                                     + got["log"][-3000:])
    result = got["results"][name]
    items = {i["grade_id"]: i for i in result["items"]}
    earned = {gid: items[gid]["score"] for gid in attack.zero if items[gid]["score"] > 0}
    assert not earned, (name, earned, {g: items[g]["message"] for g in earned})
    assert any(r["student"] == name for r in got["rows"]), f"{name}: no row in grades.csv"
    found = leaks(attack.notebook, got, name)
    assert not found, (name, found)
    _check_kept_files(attack, got)
    _check_messages_and_stages(attack, got, result)


def _kept_files(attack: Attack, got: dict) -> list[Path]:
    out = got["out"]
    files = [out / "executed" / attack.name / f"{attack.notebook}.ipynb"]
    files += sorted((out / "course" / "autograded" / attack.name).rglob("*.ipynb"))
    return [f for f in files if f.exists()]


def _check_kept_files(attack: Attack, got: dict) -> None:
    """The executed notebook and the marker's copy: small, and no hidden text in what they
    show (outputs, and cells the student did not write)."""
    if attack.notebook not in _HIDDEN_FIRST:
        _HIDDEN_FIRST[attack.notebook] = hidden_texts(attack.notebook, got["out"], first=3)
    own_code = "\n".join(attack.answers.values())
    kept = _kept_files(attack, got)
    assert kept, f"{attack.name}: no executed notebook kept"
    for path in kept:
        size = path.stat().st_size
        assert size <= MAX_KEPT_BYTES, (attack.name, str(path.relative_to(got["out"])), size)
        shown = _outputs_text(path)
        found = [t for t in _HIDDEN_FIRST[attack.notebook]
                 if t in shown or html.escape(t) in shown]
        found += [m for m in PAYLOAD_MARKERS if m in shown and m not in own_code]
        assert not found, (attack.name, str(path.relative_to(got["out"])), found)


_ORACLE: dict[str, set[str]] = {}
_HIDDEN_FIRST: dict[str, set[str]] = {}


def _check_messages_and_stages(attack: Attack, got: dict, result: dict) -> None:
    """A hidden probe's message carries no number of the expected value; no stage reported
    while probing (or unknown to the reference) counts."""
    if attack.notebook not in _ORACLE:
        _ORACLE[attack.notebook] = _oracle_texts(hidden_expected(attack.notebook, got["out"]))
    for item in result["items"]:
        message = item.get("message", "")
        if "[hidden test]" not in message:
            continue
        hidden_part = message.split(": ", 1)[-1]
        said = [p for p in ORACLE_PHRASES if p in hidden_part]
        said += [t for t in _ORACLE[attack.notebook] if t in hidden_part]
        assert not said, (attack.name, item["grade_id"], message, said)
    reference = json.loads(next((got["out"] / "reference").glob("*.json")).read_text())
    unknown = set(result.get("stages") or {}) - set(reference.get("stages") or {})
    assert not unknown, (attack.name, sorted(unknown))
    texts = _HIDDEN.get(attack.notebook, set())
    shown = json.dumps([result.get("stages"), result.get("problems"),
                        [i.get("message") for i in result["items"]]])
    assert not [t for t in texts if t in shown], attack.name


@pytest.mark.parametrize("attack", [_param(a) for a in ATTACKS if a.notebook == TINY])
def test_tiny_attack_earns_nothing_and_leaks_nothing(batch, attack):
    _check(batch, attack)


@pytest.mark.parametrize("attack", [_param(a) for a in ATTACKS if a.notebook == NB01])
def test_notebook_01_attack_earns_nothing_and_leaks_nothing(batch, attack):
    _check(batch, attack)


@pytest.mark.parametrize("attack", [_param(a) for a in ATTACKS if a.notebook == NB02])
def test_notebook_02_attack_earns_nothing_and_leaks_nothing(batch, attack):
    _check(batch, attack)


@pytest.mark.parametrize("attack", [_param(a) for a in ATTACKS if a.notebook == NB05])
def test_notebook_05_attack_earns_nothing_and_leaks_nothing(batch, attack):
    _check(batch, attack)


@pytest.mark.parametrize("notebook", [TINY, NB01, NB02, NB05])
def test_batch_finishes_with_a_grade_row_per_submission(batch, request, notebook):
    if not _selected(request, notebook):
        pytest.skip("no attack of this notebook selected")
    got = batch(notebook)
    assert got["finished"], "the batch did not finish before its deadline:\n" + got["log"][-3000:]
    assert got["returncode"] == 0, got["log"][-3000:]
    assert sorted(got["results"]) == sorted(got["names"]), got["log"][-3000:]
    assert sorted(r["student"] for r in got["rows"]) == sorted(got["names"])
    for name in got["names"]:
        assert (got["out"] / "feedback" / name / f"{notebook}.html").exists(), name
    grown = {pid: seen for pid, seen in got["memory"].items() if seen[2] > MAX_RESIDENT_BYTES}
    assert not grown, f"grader processes grew past 1.5 GiB resident: {grown}"
